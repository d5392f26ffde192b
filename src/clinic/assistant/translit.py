"""Russian typed in Latin letters ("golova kruzhitsya", "zavtra posle obeda") back to Cyrillic.

People type translit by ear, with no one standard: "zh", "ch", "sh", "shch"/"sch", "ya"/"ja"/
"ia", "y" for both "ы" and "й", "ts" or "c" for "ц", "h" or "kh" for "х". Each Latin word is
spelt out in the few Cyrillic ways these rules allow, and the first spelling pymorphy3 knows
wins. A message is converted only when most of its longer words come out as Russian words,
so English ("I need a doctor") is left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from clinic.assistant.lexicon import get_lexicon
from clinic.assistant.normalize import lemma, morph_analyzer

# Longest letter groups first; each maps to its likely Cyrillic spellings, commonest first.
_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("shch", ("щ",)), ("sch", ("щ", "сч")), ("tsya", ("тся",)), ("tsa", ("тся", "ца")),
    ("zh", ("ж",)), ("kh", ("х",)), ("ch", ("ч",)), ("sh", ("ш",)), ("ts", ("ц", "тс")),
    ("tz", ("ц",)), ("ya", ("я", "ья", "ыа")), ("ja", ("я",)), ("ia", ("ия", "я")),
    ("yu", ("ю", "ью")), ("ju", ("ю",)), ("iu", ("ию", "ю")), ("yo", ("е", "йо")),
    ("jo", ("е",)), ("ye", ("е", "ье", "ые")), ("je", ("е",)), ("ie", ("ие", "ье")),
    ("ii", ("ий", "ии")), ("iy", ("ий", "ый")), ("yy", ("ый", "ий")), ("ey", ("ей",)),
    ("ay", ("ай",)), ("oy", ("ой",)), ("uy", ("уй",)), ("'", ("ь",)),
    ("a", ("а",)), ("b", ("б",)), ("v", ("в",)), ("w", ("в",)), ("g", ("г",)), ("d", ("д",)),
    ("e", ("е", "э")), ("z", ("з",)), ("i", ("и", "ы", "й")), ("j", ("й", "ж")),
    ("k", ("к",)), ("l", ("л",)), ("m", ("м",)), ("n", ("н",)), ("o", ("о",)),
    ("p", ("п",)), ("r", ("р",)), ("s", ("с",)), ("t", ("т",)), ("u", ("у",)),
    ("f", ("ф",)), ("h", ("х",)), ("c", ("ц", "к")), ("x", ("кс", "х")), ("q", ("к",)),
    ("y", ("ы", "й", "и")),
)  # fmt: skip
_MAX_SPELLINGS = 48
_WORD = re.compile(r"[a-z']+")
# Frequent English words that also spell a Russian word ("most" -> "мост").
_ENGLISH = frozenset(
    "a i the and or to of in on at for my me is it be do go so no not can and have has had "
    "with from this that next week day days today tomorrow morning evening night please "
    "pain head back sick need want doctor most list bad hot tom son bit bolt "
    "got get let set met pet men ten ton top pop mom dad kid kids vet ok okay hi hello "
    "jan feb mar apr may jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri "
    "sat sun am pm noon asap week weeks weekend month after before until till from "
    "january february march april june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday tonight afternoon".split()
)


def _spellings(word: str) -> list[str]:
    """Cyrillic spellings of a Latin word, likeliest first (letter groups may split two ways:
    "sleduyushchey" is "u"+"yu", not "uy")."""
    # partial[i]: spellings of word[:i]
    partial: list[list[str]] = [[] for _ in range(len(word) + 1)]
    partial[0] = [""]
    for i in range(len(word)):
        if not partial[i]:
            continue
        matched = False
        for group, options in _GROUPS:
            if word.startswith(group, i):
                matched = True
                end = i + len(group)
                room = _MAX_SPELLINGS - len(partial[end])
                partial[end] += [p + o for p in partial[i] for o in options][: max(room, 0)]
        if not matched:  # a letter no rule knows is dropped
            partial[i + 1] += partial[i][: _MAX_SPELLINGS - len(partial[i + 1])]
    return partial[len(word)]


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """English words the lexicon knows ("stroke" must not become "строке")."""
    return _ENGLISH | {key for key in get_lexicon().exact if "a" <= key[:1] <= "z"}


@lru_cache(maxsize=20_000)
def to_cyrillic(word: str) -> str | None:
    """The Russian word a Latin one spells, if pymorphy3 knows one of its spellings."""
    english = _english_words()
    if len(word) < 2 or word in english or lemma(word) in english:
        return None
    morph = morph_analyzer()
    for spelling in _spellings(word):
        if spelling and morph.word_is_known(spelling):
            return spelling
    return None


def russian_in_latin(text: str) -> str:
    """The text with its Latin words spelt in Cyrillic, when the text is translit at all."""
    lowered = text.lower()
    if not re.search(r"[a-z]", lowered):
        return text
    words = _WORD.findall(lowered)
    long_words = [w for w in words if len(w) >= 3]
    if not long_words:
        return text
    russian = [w for w in long_words if to_cyrillic(w) is not None]
    # Mostly Russian words: a translit message. A stray "bolit" in English stays English.
    if len(russian) * 3 < len(long_words) * 2:
        return text

    def spell(m: re.Match[str]) -> str:
        word = m.group()
        found = to_cyrillic(word)
        if found is not None:
            return found
        return "".join(_spellings(word)[:1]) if len(word) > 1 else _single(word)

    return _WORD.sub(spell, lowered)


def _single(letter: str) -> str:
    # One-letter prepositions: "k vrachu", "v pyatnicu", "s utra", "u menya"
    return {"k": "к", "v": "в", "s": "с", "u": "у", "o": "о", "i": "и", "a": "а", "y": "у"}.get(
        letter, letter
    )
