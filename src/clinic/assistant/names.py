"""A doctor the patient names by surname, in any grammatical case: "к Новикову", "Ивановой".

Surnames are matched against every inflected form pymorphy3 knows for them. A surname that is
also an ordinary word ("волков", of "волк") counts only when written with a capital letter or
right after "к", "у", "врач", "доктор", so "боюсь волков" names nobody.
"""

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from clinic.assistant.normalize import morph_analyzer

_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)?")
_POINTERS = {"к", "ко", "у", "врач", "врачу", "врача", "доктор", "доктору", "доктора"}
_NAME_TAGS = {"Surn", "Name", "Patr"}


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
