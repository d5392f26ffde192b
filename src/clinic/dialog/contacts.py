"""Contact details in free text: a phone (through `core.phones`) and a person's name.

"Иван Петров, 8 (916) 123-45-67", "+7 916 1234567 Анна", "меня зовут Ольга", "John Smith":
any order, one message or two. A name is recognised by pymorphy3's name tags for Russian and
by capitals for Latin script, or simply by being the answer when a name was asked for.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from clinic.assistant.normalize import morph_analyzer
from clinic.core.phones import find_phone

MAX_NAME = 100
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Words around a name that are not part of it ("меня зовут", "my name is", "на имя").
_FILLER = frozenset(
    """
    меня зовут звать мое моё имя фамилия это на записать запишите записывайте пациент пациентка
    пациента пожалуйста вот и да телефон номер мой моя мобильный тел тлф контакт контакты
    my name is i am i'm im this it's its phone number mobile tel please here and yes patient
    for under the
    """.split()
)
_NAME_TAGS = frozenset({"Name", "Surn", "Patr"})


@dataclass(frozen=True, slots=True)
class Contact:
    name: str | None = None
    phone: str | None = None  # E.164
    phone_invalid: bool = False  # something written like a phone that is not a valid one
    phone_text: str | None = None  # the phone as it was written, to read the rest without it


@lru_cache(maxsize=4096)
def is_name_word(word: str) -> bool:
    """A Russian first name, surname or patronymic (pymorphy3 tags), any case."""
    return any(
        _NAME_TAGS & set(parse.tag.grammemes)
        for parse in morph_analyzer().parse(word.lower())
        if parse.score > 0.1
    )


def is_surname(word: str) -> bool:
    """A Russian surname by its likeliest readings ("Гладкова", "Иванову"), any case."""
    return any(
        "Surn" in parse.tag.grammemes
        for parse in morph_analyzer().parse(word.lower())
        if parse.score > 0.1
    )


def _is_cyrillic(word: str) -> bool:
    return bool(re.search("[а-яё]", word.lower()))


def _title(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


_NOT_NAME_POS = frozenset({"VERB", "INFN", "ADVB", "PRED", "CONJ", "PRCL", "PREP", "NPRO", "COMP"})


@lru_cache(maxsize=4096)
def _is_plain_word(word: str) -> bool:
    """A verb, an adverb or a function word (by its likeliest reading): never part of a name."""
    parse = morph_analyzer().parse(word.lower())[0]
    return parse.tag.POS in _NOT_NAME_POS


def name_in(
    text: str,
    *,
    expected: bool,
    with_phone: bool = False,
    vocabulary: frozenset[str] = frozenset(),
) -> str | None:
    """The person's name in the text, if it has one.

    `expected`: the assistant has just asked for a name, so a name may be written any way
    ("иван петров") as long as no word is the conversation's own vocabulary (`vocabulary`:
    "позже", "да", "later") or a verb or adverb. Otherwise only words tagged as names count:
    two of them, or one next to a phone number, so "болит зуб" is never taken for a name.
    """
    words = [w for w in _WORD.findall(text[: MAX_NAME * 3]) if w.lower() not in _FILLER]
    if not words or len(words) > 4 or sum(len(w) for w in words) > MAX_NAME:
        return None
    if any(w.lower() in vocabulary or len(w) < 2 for w in words):
        return None
    cyrillic = [w for w in words if _is_cyrillic(w)]
    if any(_is_plain_word(w) for w in cyrillic):
        return None
    named = [is_name_word(w) if _is_cyrillic(w) else w[:1].isupper() for w in words]
    cue = bool(re.search(r"зовут|\bимя\b|my name|name is|\bi am\b|\bi'm\b", text.lower()))
    if expected:
        # Latin script cannot be checked against a dictionary of names: trust the answer.
        if cyrillic and not any(named):
            return None
    elif not (all(named) and (len(words) >= 2 or with_phone or cue)):
        return None
    if re.search(r"\bна\s+[^\W\d_]", text.lower()):
        # "запишите на Ивана Петрова": the name is in the accusative; book in the nominative,
        # every word in the gender of the first name ("на Анну Смирнову" is Смирнова).
        gender = _gender(words)
        words = [_nominative(w, gender) for w in words]
    return " ".join(_title(w) if w.islower() else w for w in words)


_OBJECT_CASES = ("accs", "gent")


def _name_parses(word: str) -> list[Any]:
    if not _is_cyrillic(word):
        return []
    return [p for p in morph_analyzer().parse(word.lower()) if _NAME_TAGS & set(p.tag.grammemes)]


def _gender(words: list[str]) -> str | None:
    """The gender of the first first name said in the accusative or genitive, if any."""
    for word in words:
        for parse in _name_parses(word):
            if "Name" in parse.tag and parse.tag.case in _OBJECT_CASES and parse.tag.gender:
                return str(parse.tag.gender)
    return None


def _nominative(word: str, gender: str | None) -> str:
    every = _name_parses(word)
    if gender is not None and any(
        p.tag.case == "nomn" and p.tag.gender in (gender, None) for p in every
    ):
        return word  # "Айгуль Валиева": already the nominative of a woman's name
    parses = [p for p in every if p.tag.case in _OBJECT_CASES]
    agreeing = [p for p in parses if gender is None or p.tag.gender in (gender, None)]
    for parse in agreeing or parses:
        found = parse.inflect({"nomn"})
        if found is not None:
            return _title(found.word) if word[:1].isupper() or word.islower() else found.word
    return word


def read_contact(
    text: str, region: str, *, expecting_name: bool, vocabulary: frozenset[str] = frozenset()
) -> Contact:
    """A phone and a name, each if present; the phone's digits are not part of the name."""
    mention = find_phone(text, region)
    rest = text
    phone = None
    invalid = False
    if mention is not None:
        phone, invalid = mention.e164, mention.e164 is None
        rest = text[: mention.start] + " " + text[mention.end :]
    elif sum(c.isdigit() for c in text) >= 7 and not re.search(r"\d[:.]\d", text):
        # Seven or more digits that phonenumbers cannot read at all: a mistyped phone.
        invalid = True
        rest = re.sub(r"[\d+()\s-]{7,}", " ", text)
    with_phone = mention is not None
    name = (
        name_in(rest, expected=expecting_name, with_phone=with_phone, vocabulary=vocabulary)
        or _introduced(rest, vocabulary)
        or _name_apart(rest, expecting_name, with_phone, vocabulary)
    )
    written = text[mention.start : mention.end] if mention is not None else None
    return Contact(name=name, phone=phone, phone_invalid=invalid, phone_text=written)


_PARTS = re.compile(r"[,;.\n]+")


def _name_apart(
    text: str, expected: bool, with_phone: bool, vocabulary: frozenset[str]
) -> str | None:
    """ "в 10 утра, 8 916 500-01-23, Вадим Лапин": the name set apart by commas from the rest
    of the message (a time, a wish), when the message also has a phone or a name was asked."""
    if not (expected or with_phone):
        return None
    for part in _PARTS.split(text):
        words = [w for w in _WORD.findall(part) if w.lower() not in _FILLER]
        if not words:
            continue
        name = name_in(part, expected=False, with_phone=with_phone, vocabulary=vocabulary)
        if name is not None:
            return name
        if _capitalised_name(words, vocabulary):
            # "Вадим Лапин": capitalised words, one of them a known name, none a plain word.
            return " ".join(words)
    return None


def _capitalised_name(words: list[str], vocabulary: frozenset[str]) -> bool:
    if not 2 <= len(words) <= 3 or not all(w[:1].isupper() and len(w) > 1 for w in words):
        return False
    if any(w.lower() in vocabulary or (_is_cyrillic(w) and _is_plain_word(w)) for w in words):
        return False
    return any(is_name_word(w) for w in words if _is_cyrillic(w))


_INTRODUCTION = re.compile(
    r"(?:меня\s+зовут|зовут|мо[её]\s+имя|my\s+name\s+is|name\s+is|name's|"
    r"на\s+имя|фио|имя|\bя|\bэто|\bi\s+am|\bi'm|\bthis\s+is)\s*[:\-—,]?\s+(?P<rest>.+)",
    re.IGNORECASE,
)


def _introduced(text: str, vocabulary: frozenset[str]) -> str | None:
    """A name right after "меня зовут", "my name is", "на имя" inside a longer message:
    the name-like words that follow, up to the first that is not one."""
    for found in _INTRODUCTION.finditer(text):
        words: list[str] = []
        for word in _WORD.findall(found.group("rest"))[:4]:
            cyrillic = _is_cyrillic(word)
            looks_like = is_name_word(word) if cyrillic else word[:1].isupper()
            if not looks_like or word.lower() in vocabulary or word.lower() in _FILLER:
                break
            words.append(word)
        if words:
            return name_in(" ".join(words), expected=True)
    return None
