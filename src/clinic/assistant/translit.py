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
# Longer than any Russian word spelt in Latin letters. Past it a "word" is noise (a pasted key,
# a held-down key), and spelling it out costs time that grows with its length: not tried.
_MAX_WORD_LETTERS = 40
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
    if not 2 <= len(word) <= _MAX_WORD_LETTERS or word in english or lemma(word) in english:
        return None
    if word in _NUMERALS:
        return _NUMERALS[word]
    morph = morph_analyzer()
    spellings = _spellings(word)
    if word.startswith("et"):  # "eto", "etu": a word-initial "e" before "t" is "э"
        spellings = ["э" + s[1:] for s in spellings if s.startswith("е")] + spellings
    for rank, spelling in enumerate(spellings):
        if spelling and morph.word_is_known(spelling):
            return spelling
        if rank < 6:
            # The soft sign is usually left out ("zapis", "syp", "ponedelnik").
            for candidate in _softened(spelling):
                if morph.word_is_known(candidate):
                    return candidate
    return None


_SOFTENED = frozenset("бвдзклмнпрстфц")
# Before these a soft sign would be a separating one, only kept before е, ё, и, ю, я
_VOWELS = frozenset("аоуыэ")
# Numerals whose soft sign is left out and whose bare form is another word ("shest" is a pole).
_NUMERALS = {"pyat": "пять", "shest": "шесть", "sem": "семь", "vosem": "восемь",
             "devyat": "девять", "desyat": "десять"}  # fmt: skip


def _softened(spelling: str) -> list[str]:
    """The spelling with a soft sign after one consonant: at the end, before a consonant, or
    separating ("tretego" is "третьего")."""
    found = []
    for i in range(1, len(spelling) + 1):
        after = spelling[i : i + 1]
        if spelling[i - 1] in _SOFTENED and (not after or after not in _VOWELS):
            found.append(spelling[:i] + "ь" + spelling[i:])
    return found


_SOFTENED = frozenset("бвдзклмнпрстфц")


def russian_in_latin(text: str) -> str:
    """The text with its Latin words spelt in Cyrillic, when the text is translit at all."""
    lowered = text.lower()
    if not re.search(r"[a-z]", lowered):
        return text
    words = _WORD.findall(lowered)
    english = _english_words()
    # "vaccinations" is English because "vaccination" is: words count in any form
    known = {w for w in words if w in english or lemma(w) in english}
    said_english = sum((w in known or w in _COMMON_ENGLISH) and w not in _BOTH for w in words)
    long_words = [w for w in words if len(w) >= 3 and w not in known and w not in _CHAT]
    if not long_words:
        return text
    russian = [w for w in long_words if to_cyrillic(w) is not None]
    # Mostly Russian words and fewer English ones: a translit message. A stray "bolit" in an
    # English message stays English.
    if len(russian) * 2 < len(long_words) or len(russian) <= said_english:
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
    return {"k": "к", "v": "в", "s": "с", "u": "у", "o": "о", "i": "и", "a": "а", "y": "у",
            "e": "е", "z": "з"}.get(letter, letter)  # fmt: skip


# Frequent English words: a message full of them is English, whatever else it spells.
_COMMON_ENGLISH = frozenset(
    "i you he she we they it my your his her our their me him us them the a an and or but if "
    "to of in on at for with from by about as into than then there here this that these those "
    "is are was were be been being am have has had do does did can could will would should "
    "may might must not no yes up down out over under again very too so just also only all "
    "any some what when where which who why how can't won't don't doesn't didn't isn't i'm "
    "i've i'd it's that's let get got make like want need feel feels felt since still keep "
    "please thanks hi hello morning afternoon evening night week weekend today tomorrow "
    "pain hurt hurts sore bad worse better really quite much many more most few little".split()
)
# Short words that are as much Russian as English ("to 150 to 100" is "то 150 то 100").
_BOTH = frozenset("a i to no".split())
# Chat words typed the same in both languages: they decide nothing about the language.
_CHAT = frozenset("plz pls plis pliz spasibo sps thx".split())
