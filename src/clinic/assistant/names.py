"""A doctor the patient names by surname, in any grammatical case: "к Новикову", "Ивановой".

Surnames are matched against every inflected form pymorphy3 knows for them. A surname that is
also an ordinary word ("волков", of "волк") counts only when written with a capital letter or
right after "к", "у", "врач", "доктор", so "боюсь волков" names nobody.

A surname typed in Latin letters ("Dr Kuznecov", "with Vasilieva", "Romanoff") is compared
by a key both spellings fold to: the surname's forms romanised one way, the typed word with
the usual variants made equal (kh/h, ya/ia/ja, yu/iu/ju, yo/io/e, -off/-ov, ts/tz/c,
shch/sch/sh, doubled letters).
"""

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from clinic.assistant.normalize import morph_analyzer

_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)?")
_POINTERS = {"к", "ко", "у", "врач", "врачу", "врача", "доктор", "доктору", "доктора"}
_NAME_TAGS = {"Surn", "Name", "Patr"}
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
# Words before a surname that make it one even in lower case: "dr kozlov", "to ivanova".
_LATIN_POINTERS = {"dr", "doctor", "doc", "to", "with", "see", "k", "u", "vrach", "doktor",
                   "ms", "mrs", "mr", "prof"}  # fmt: skip
_MIN_LATIN = 4  # shorter Latin words are too often English
_ROMAN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
})  # fmt: skip
# Variants of one sound, folded to one spelling, longest first.
_LATIN_FOLDS = (
    (re.compile(r"(?<=[oe])ff$"), "v"),  # Romanoff, Sergeeff
    (re.compile(r"shch|sch"), "sh"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"tz|cz|c(?!h)"), "ts"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"w"), "v"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"[yj]o|io"), "e"),  # Fyodorov, Fiodorov, Fedorov
    (re.compile(r"[yj]"), "i"),
    (re.compile(r"ie"), "e"),  # Vasilieva, Vasilyeva, Vasileva; Yegorov, Egorov
    (re.compile(r"'"), ""),
    (re.compile(r"(.)\1+"), r"\1"),  # doubled letters
)


def _fold(word: str) -> str:
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=512)
def surname_forms(surname: str) -> frozenset[str]:
    """Every case form of a surname, both genders ("Иванова" -> иванов, ивановой, ...)."""
    folded = _fold(surname)
    # Forms of other words the analyser groups with it ("мороз" for "Морозов") are dropped.
    base = folded[:-1] if folded.endswith("а") else folded
    forms = {folded}
    for parse in morph_analyzer().parse(folded):
        if "Surn" in parse.tag:
            forms |= {_fold(f.word) for f in parse.lexeme if _fold(f.word).startswith(base)}
    return frozenset(forms)


@lru_cache(maxsize=4096)
def _is_ordinary_word(word: str) -> bool:
    return any(
        parse.tag.POS is not None and not (_NAME_TAGS & set(parse.tag.grammemes))
        for parse in morph_analyzer().parse(word)
        if parse.score > 0.05
    )


def latin_key(word: str) -> str:
    """The key a Latin spelling of a Russian surname folds to ("Kuznecov" as "Kuznetsov")."""
    key = word.lower()
    for pattern, replacement in _LATIN_FOLDS:
        key = pattern.sub(replacement, key)
    return key


@lru_cache(maxsize=512)
def latin_surname_keys(surname: str) -> frozenset[str]:
    """The Latin keys of every case form of a surname ("Новикову" -> "novikovu")."""
    return frozenset(latin_key(form.translate(_ROMAN)) for form in surname_forms(surname))


def _latin_matches(text: str, doctors: Sequence[tuple[int, str]]) -> set[int]:
    matches: set[int] = set()
    words = _LATIN_WORD.findall(text[:2000])
    for position, raw in enumerate(words):
        if len(raw) < _MIN_LATIN:
            continue
        pointed = position > 0 and words[position - 1].lower() in _LATIN_POINTERS
        if not (raw[0].isupper() or pointed):
            continue
        key = latin_key(raw)
        for doctor_id, full_name in doctors:
            surname = full_name.split()[0] if full_name.split() else ""
            if surname and key in latin_surname_keys(surname):
                matches.add(doctor_id)
    return matches


def find_named_doctor(text: str, doctors: Sequence[tuple[int, str]]) -> int | None:
    """The id of the one doctor whose surname the text names, else None (none or ambiguous)."""
    matches: set[int] = set()
    words = _WORD.findall(text[:2000])
    for position, raw in enumerate(words):
        word = _fold(raw)
        if len(word) < 3:
            continue
        pointed = position > 0 and _fold(words[position - 1]) in _POINTERS
        for doctor_id, full_name in doctors:
            surname = full_name.split()[0] if full_name.split() else ""
            if word in surname_forms(surname) and (
                raw[0].isupper() or pointed or not _is_ordinary_word(word)
            ):
                matches.add(doctor_id)
    if not matches:
        matches = _latin_matches(text, doctors)
    return matches.pop() if len(matches) == 1 else None


_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<![.!?])(?<!^)\b[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?")


def surname_words(text: str) -> frozenset[str]:
    """Lower-cased words the text uses as surnames: capitalised inside a sentence and known
    to pymorphy3 as a surname ("к Носову", "доктор Глазунова"), or right after "доктор"/"к".

    Triage skips them, so a surname that contains an organ's name is not a symptom.
    """
    found: set[str] = set()
    words = _WORD.findall(text[:2000])
    for m in _CAPITALISED.finditer(text[:2000]):
        word = _fold(m.group())
        if any("Surn" in p.tag for p in morph_analyzer().parse(word) if p.score > 0.05):
            found.add(word)
    for previous, word in pairwise(words):
        if _fold(previous) in _POINTERS and word[:1].isupper():
            found.add(_fold(word))
    return frozenset(found)
