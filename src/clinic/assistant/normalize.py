"""Text normalisation for triage: tokens, sentences, clauses and lemmas.

Russian words go through pymorphy3, English words through a tiny suffix stripper: the
lexicon is normalised by the same functions, so both sides meet on the same lemma.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

# Long messages are cut: no patient writes a clinical clue after 4,000 characters, and the
# cap keeps a pasted novel from costing more than a few milliseconds.
MAX_CHARS = 4000

_TOKEN = re.compile(r"[a-zа-я]+(?:'[a-z]+)?|\d+")
# A dot between digits is a number or a date ("38.5", "10.12"), not the end of a sentence.
_SENTENCE_BREAK = re.compile(r"[!?;\n]|(?<!\d)\.|\.(?!\d)")
# "and now" turns from the story to the present: "my brother had a fit and now he's not
# responding" tells two things
_CLAUSE_BREAK = re.compile(
    r"[,:()\"«»]|\s(?:но|а|but|though|and\s+now|и\s+теперь|и\s+сейчас)\s|\s[-–—]\s"
)

_IRREGULAR_EN = {
    "teeth": "tooth",
    "feet": "foot",
    "children": "child",
    "kids": "kid",
    "women": "woman",
    "men": "man",
    "eyes": "eye",
    "aches": "ache",
    "headaches": "headache",
    "toothaches": "toothache",
    "earaches": "earache",
    "stomachaches": "stomachache",
    "bled": "bleed",
    "broke": "break",
    "broken": "break",
    "swollen": "swell",
    "threw": "throw",
    "thrown": "throw",
    "felt": "feel",
    "fell": "fall",
    "fallen": "fall",
    "cant": "can't",
    "teething": "teething",
    "cannot": "can't",
}


# Diminutives parents and the elderly use: the lexicon lists the plain word only.
_DIMINUTIVES = {
    "животик": "живот", "пузико": "живот", "пузо": "живот", "головка": "голова",
    "головушка": "голова", "зубик": "зуб", "зубок": "зуб", "глазик": "глаз", "глазок": "глаз",
    "ушко": "ухо", "ушка": "ухо", "носик": "нос", "горлышко": "горло", "ножка": "нога",
    "ноженька": "нога", "ручка": "рука", "ручонка": "рука", "пальчик": "палец",
    "спинка": "спина", "щечка": "щека", "язычок": "язык", "сердечко": "сердце",
    "температурка": "температура", "ротик": "рот", "коленка": "колено", "коленочка": "колено",
    "пяточка": "пятка", "грудка": "грудь", "кашелек": "кашель", "сыпушка": "сыпь",
    "прыщик": "прыщ", "сопельки": "сопли", "соплишки": "сопли", "животишко": "живот",
    "синячок": "синяк", "пятнышко": "пятно", "точечка": "точка",
}  # fmt: skip


# Words that carry no content of their own. Distances between the words of a phrase are
# counted without them: "pressure right in the middle of my chest" has "pressure" and "chest"
# two words apart, as in "давит прямо у меня посередине груди".
_FILLERS = frozenset(
    "a an the my his her their our your its this that these those of in on at to for with by "
    "into onto it i me he she we they you him them is am are was were be been being do does "
    "did just really very so quite some any also still even there here right kind sort like "
    "and or oh well all "
    "в во на у с со к ко по за из о об про для при под над меня мне мой моя мое мои моей моего "
    "моем его ее их наш наша ваш я он она оно мы вы они это этот эта то как будто словно что "
    "то так же ж еще уже очень прям прямо вот ну и а бы ли было был была были есть просто "
    "совсем какой какая какое какие тоже все весь вся всю всем тут там".split()
)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    lemmas: frozenset[str]
    start: int
    end: int
    sentence: int
    clause: int
    known: bool
    slot: int = 0  # the number of content words before this one


def clean(text: str) -> str:
    """Lower-case, fold ё to е and drop what no lexicon entry can contain."""
    text = text[:MAX_CHARS].lower().replace("ё", "е")
    # Curly apostrophes are common on phones; "don't" must stay one token.
    return text.replace("’", "'").replace("`", "'")


def is_cyrillic(word: str) -> bool:
    return "а" <= word[0] <= "я"


def _en_stem(word: str) -> str:
    word = word.replace("'", "") if word.endswith(("n't", "'t")) else word.split("'")[0]
    if word in _IRREGULAR_EN:
        return _IRREGULAR_EN[word]
    if len(word) > 5 and word.endswith("ing"):
        stem = word[:-3]
        # running -> run, but "bleeding" keeps its double "e"
        return (
            stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "els" else stem
        )
    if len(word) > 4 and word.endswith("ied"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("ed"):
        stem = word[:-2]
        return stem[:-1] if stem[-1] == stem[-2] and stem[-1] not in "els" else stem
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("shes", "sses", "xes", "tches", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=1)
def morph_analyzer() -> Any:
    import pymorphy3  # deferred: the dictionaries take ~0.1 s to open

    try:
        import pymorphy3_dicts_ru  # type: ignore[import-untyped]
    except ImportError:
        return pymorphy3.MorphAnalyzer()
    # Naming the dictionary spares pymorphy3 a scan of every installed package's entry
    # points (a third of its start-up).
    return pymorphy3.MorphAnalyzer(path=pymorphy3_dicts_ru.get_path(), lang="ru")


@lru_cache(maxsize=100_000)
def analyse(word: str) -> tuple[frozenset[str], bool]:
    """All plausible lemmas of one word (context-free) and whether the word is a known one."""
    if word.isdigit():
        return frozenset({word}), True
    if is_cyrillic(word):
        morph = morph_analyzer()
        parses = morph.parse(word)
        lemmas = {p.normal_form.replace("ё", "е") for p in parses[:4]}
        lemmas.add(word)
        lemmas |= {_DIMINUTIVES[lem] for lem in lemmas if lem in _DIMINUTIVES}
        return frozenset(lemmas), bool(morph.word_is_known(word))
    stem = _en_stem(word)
    return frozenset({stem, word}), True


# Endings of Russian past forms ("лежал", "открылось", "перенес", "помог", "умер"): only
# such words are parsed.
_PAST_ENDINGS = ("л", "ла", "ло", "ли", "лся", "лась", "лось", "лись", "нес", "ог", "мер")
# Past forms that still ask ("хотела записаться", "могли бы"), not tell a story.
_ASKING_VERBS = frozenset({"хотеть", "мочь", "смочь", "собираться", "планировать"})


@lru_cache(maxsize=20_000)
def is_past_verb(word: str) -> bool:
    """True for a Russian verb in the past tense ("кашлял", "пошли"), asking verbs aside."""
    if not is_cyrillic(word) or not word.endswith(_PAST_ENDINGS):
        return False
    # "пошли" is as often "we went" as "send!": a likely past reading is enough
    return any(
        "VERB" in p.tag and "past" in p.tag and p.normal_form not in _ASKING_VERBS
        for p in morph_analyzer().parse(word)[:2]
        if p.score >= 0.3
    )


@lru_cache(maxsize=20_000)
def lemma(word: str) -> str:
    """The one lemma a lexicon word is stored under (its most likely normal form)."""
    word = clean(word)
    if word.isdigit():
        return word
    if is_cyrillic(word):
        if (known := _lexicon_lemmas().get(word)) is not None:
            return known
        return str(morph_analyzer().parse(word)[0].normal_form).replace("ё", "е")
    return _en_stem(word)


LEMMA_TABLE = "lemmas.json"


@lru_cache(maxsize=1)
def _lexicon_lemmas() -> dict[str, str]:
    """Lemmas of the lexicon's Russian words, computed once by pymorphy3 and shipped beside
    the lexicon (`python -m clinic.assistant.lexicon`): parsing them all at start-up would
    cost most of a second of the CLI's cold start. A test keeps the table in step."""
    path = resources.files("clinic.assistant") / "lexicon" / LEMMA_TABLE
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {str(k): str(v) for k, v in table.items()}


def tokenize(text: str) -> list[Token]:
    """Split cleaned text into tokens that know their sentence and clause."""
    breaks = sorted(
        [(m.start(), 2) for m in _SENTENCE_BREAK.finditer(text)]
        + [(m.start(), 1) for m in _CLAUSE_BREAK.finditer(text)]
    )
    tokens: list[Token] = []
    sentence = clause = slot = 0
    bi = 0
    for m in _TOKEN.finditer(text):
        while bi < len(breaks) and breaks[bi][0] < m.start():
            clause += 1
            if breaks[bi][1] == 2:
                sentence += 1
            bi += 1
        word = m.group()
        lemmas, known = analyse(word)
        tokens.append(Token(word, lemmas, m.start(), m.end(), sentence, clause, known, slot))
        if word not in _FILLERS:
            slot += 1
    return tokens
