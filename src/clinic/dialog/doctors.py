"""A doctor named in the message: "к Новикову", "Ивановой", and "Dr Kozlov" in Latin letters.

Russian surnames go through `clinic.assistant.names` (every case form). Latin words are
transliterated and compared with the surnames' forms loosely (no soft signs, й as и), since
"Vasilyeva", "Vasilieva" and "Vasileva" all mean Васильева.
"""

import re
from collections.abc import Sequence

from clinic.assistant.names import find_named_doctor, surname_forms
from clinic.client import Doctor

_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# Longest sequences first, so "shch" is read before "sh" and "ch".
_TRANSLIT = (
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("tz", "ц"),
    ("ch", "ч"), ("sh", "ш"), ("yu", "ю"), ("iu", "ю"), ("ya", "я"), ("ia", "я"), ("yo", "е"),
    ("ye", "е"), ("a", "а"), ("b", "б"), ("v", "в"), ("w", "в"), ("g", "г"), ("d", "д"),
    ("e", "е"), ("z", "з"), ("i", "и"), ("j", "й"), ("k", "к"), ("l", "л"), ("m", "м"),
    ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"),
    ("f", "ф"), ("h", "х"), ("c", "к"), ("x", "кс"), ("q", "к"), ("y", "и"),
)  # fmt: skip


def _cyrillic(word: str) -> str:
    word = word.lower()
    out: list[str] = []
    i = 0
    while i < len(word):
        for latin, letter in _TRANSLIT:
            if word.startswith(latin, i):
                out.append(letter)
                i += len(latin)
                break
        else:
            i += 1
    return "".join(out)


def _loose(word: str) -> str:
    return word.replace("ь", "").replace("ъ", "").replace("й", "и").replace("ы", "и")


def named_doctor(text: str, doctors: Sequence[Doctor]) -> int | None:
    """The id of the one doctor the text names by surname, else None (none or ambiguous)."""
    pairs = [(d.id, d.full_name) for d in doctors]
    found = find_named_doctor(text, pairs)
    if found is not None:
        return found
    words = {_loose(_cyrillic(w)) for w in _LATIN_WORD.findall(text[:2000]) if w[0].isupper()}
    if not words:
        return None
    matches = {
        doctor_id
        for doctor_id, full_name in pairs
        if full_name.split()
        and words & {_loose(form) for form in surname_forms(full_name.split()[0])}
    }
    return matches.pop() if len(matches) == 1 else None
