"""Load the triage lexicon (lexicon/*.toml) once and compile it into lemma phrases."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from clinic.assistant.normalize import LEMMA_TABLE, clean, is_cyrillic, lemma, morph_analyzer

SPECIALTIES = (
    "therapist",
    "cardiologist",
    "neurologist",
    "dentist",
    "ent",
    "ophthalmologist",
    "dermatologist",
    "gastroenterologist",
    "gynecologist",
    "urologist",
    "pediatrician",
    "traumatologist",
    "endocrinologist",
    "psychotherapist",
)

# Kinds of emergency. The conversation answers "self_harm" with a crisis line as well as 103/112.
RED_FLAG_CATEGORIES = (
    "cardiac",
    "stroke",
    "breathing",
    "anaphylaxis",
    "bleeding",
    "unresponsive",
    "sudden_headache",
    "poisoning",
    "self_harm",
    "burns",
    "head_injury",
    "meningitis",
    "pregnancy",
    "abdomen",
    "infant_fever",
    "dangerous_values",
    "trauma",
    "confusion",
)

# "context" words ("давление", "pressure", "see") only add to a doctor other evidence
# already points to: one common word alone never decides a specialty.
WEIGHTS = {"doctors": 10.0, "strong": 3.0, "medium": 2.0, "weak": 1.0, "context": 1.0}
# Terms that are not words: measured values found by `vitals.py` ("#bp_crisis").
MARKER = "#"
LANGUAGES = ("ru", "en")


@dataclass(frozen=True, slots=True)
class Term:
    key: str  # the lemma, or the prefix for a "*" term
    prefix: bool


@dataclass(frozen=True, slots=True)
class Phrase:
    source: str
    terms: tuple[Term, ...]
    keys: tuple[str, ...] = ()  # how each term is indexed in a message ("зуб", "кардио*")


@dataclass(frozen=True, slots=True)
class Clue:
    phrase: Phrase
    specialty: str
    weight: float
    is_doctor: bool
    tier: str = "strong"


@dataclass(frozen=True, slots=True)
class RedFlag:
    name: str
    category: str  # one of RED_FLAG_CATEGORIES
    specialty: str
    groups: tuple[tuple[Phrase, ...], ...]
    unless: tuple[Phrase, ...]
    # False for a flag whose words stay an emergency even in a story of the past
    history_blocks: bool = True


@dataclass(frozen=True, slots=True)
class Lexicon:
    clues: tuple[Clue, ...]
    red_flags: tuple[RedFlag, ...]
    child: tuple[Phrase, ...]
    negators: frozenset[str]
    history: tuple[Phrase, ...]  # "в прошлом году", "years ago": a red flag told as past
    exact: frozenset[str]  # every lemma some phrase needs
    prefixes: tuple[str, ...]


def compile_phrase(source: str) -> Phrase:
    words = clean(source).replace("-", " ").split()
    terms = tuple(
        Term(word, False)
        if word.startswith(MARKER)
        else Term(word[:-1], True)
        if word.endswith("*")
        else Term(lemma(word), False)
        for word in words
    )
    return Phrase(source, terms, tuple(t.key + "*" if t.prefix else t.key for t in terms))


def _phrases(items: Any, where: str) -> tuple[Phrase, ...]:
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(f"lexicon: {where} must be a list of strings")
    return tuple(compile_phrase(item) for item in items if item.strip())


def _load_language(data: dict[str, Any], lang: str) -> Lexicon:
    clues: list[Clue] = []
    for specialty, tiers in data.get("specialty", {}).items():
        if specialty not in SPECIALTIES:
            raise ValueError(f"lexicon {lang}: unknown specialty {specialty!r}")
        for tier, items in tiers.items():
            if tier not in WEIGHTS:
                raise ValueError(f"lexicon {lang}: unknown tier {tier!r} in {specialty}")
            for phrase in _phrases(items, f"{lang}.{specialty}.{tier}"):
                clues.append(Clue(phrase, specialty, WEIGHTS[tier], tier == "doctors", tier))
    child = _phrases(data.get("child", []), f"{lang}.child")
    negators = frozenset(clean(word).replace("'", "") for word in data.get("negators", []))
    return _index(tuple(clues), (), child, negators, ())


def _load_red_flags(data: dict[str, Any], lang: str) -> Lexicon:
    flags = []
    for flag in data.get("red_flag", []):
        if flag["specialty"] not in SPECIALTIES:
            raise ValueError(f"lexicon {lang}: red flag {flag['name']!r} has unknown specialty")
        if flag["category"] not in RED_FLAG_CATEGORIES:
            raise ValueError(f"lexicon {lang}: red flag {flag['name']!r} has unknown category")
        groups = tuple(_phrases(group, f"{lang}.red_flag.{flag['name']}") for group in flag["all"])
        unless = _phrases(flag.get("unless", []), f"{lang}.red_flag.{flag['name']}.unless")
        flags.append(
            RedFlag(
                flag["name"],
                flag["category"],
                flag["specialty"],
                groups,
                unless,
                bool(flag.get("history_blocks", True)),
            )
        )
    history = _phrases(data.get("history", []), f"{lang}.history")
    return _index((), tuple(flags), (), frozenset(), history)


def _index(
    clues: tuple[Clue, ...],
    flags: tuple[RedFlag, ...],
    child: tuple[Phrase, ...],
    negators: frozenset[str],
    history: tuple[Phrase, ...],
) -> Lexicon:
    phrases = [c.phrase for c in clues] + list(child) + list(history)
    for flag in flags:
        phrases += [p for group in flag.groups for p in group] + list(flag.unless)
    terms = {t for p in phrases for t in p.terms}
    exact = frozenset(t.key for t in terms if not t.prefix)
    prefixes = tuple(sorted(t.key for t in terms if t.prefix))
    return Lexicon(clues, flags, child, negators, history, exact, prefixes)


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    """The merged Russian and English lexicon, parsed once per process."""
    parts = []
    folder = resources.files("clinic.assistant") / "lexicon"
    for lang in LANGUAGES:
        data = tomllib.loads((folder / f"{lang}.toml").read_text(encoding="utf-8"))
        parts.append(_load_language(data, lang))
    for lang in LANGUAGES:
        data = tomllib.loads((folder / f"red_flags.{lang}.toml").read_text(encoding="utf-8"))
        parts.append(_load_red_flags(data, lang))
    return _index(
        tuple(c for p in parts for c in p.clues),
        tuple(f for p in parts for f in p.red_flags),
        tuple(c for p in parts for c in p.child),
        frozenset().union(*(p.negators for p in parts)),
        tuple(h for p in parts for h in p.history),
    )


def lexicon_words() -> list[str]:
    """Every Russian word the lexicon files spell, for the shipped lemma table."""
    folder = resources.files("clinic.assistant") / "lexicon"
    words: set[str] = set()
    for path in sorted(p.name for p in folder.iterdir() if p.name.endswith(".toml")):
        text = (folder / path).read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.lstrip().startswith("#"):
                continue
            for quoted in re.findall(r'"([^"]*)"', line):
                for word in clean(quoted).replace("-", " ").split():
                    if word and is_cyrillic(word) and not word.endswith("*"):
                        words.add(word)
    return sorted(words)


def write_lemma_table() -> Path:
    """Recompute lexicon/lemmas.json with pymorphy3 (run after editing the lexicon)."""
    morph = morph_analyzer()
    table = {w: str(morph.parse(w)[0].normal_form).replace("ё", "е") for w in lexicon_words()}
    path = Path(str(resources.files("clinic.assistant") / "lexicon" / LEMMA_TABLE))
    path.write_text(json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n", "utf-8")
    return path


if __name__ == "__main__":
    write_lemma_table()
