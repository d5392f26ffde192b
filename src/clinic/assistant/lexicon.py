"""Load the triage lexicon (lexicon/*.toml) once and compile it into lemma phrases."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from itertools import product
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
# A word written "=умереть" matches that very form, not every form of its lemma ("умер").
EXACT = "="
LANGUAGES = ("ru", "en")
# Marks a bound phrase: its words in the order written, close together, in one clause.
BOUND = "^"

# Grammar, not vocabulary: a negator, a modal or a word of degree belongs to the word next
# to it. In a phrase, "can't" and "speak" are one sign only as "can't speak", never as
# "can't focus at work ... talk to someone"; "hard to breathe" is not "hard to find time, I
# breathe fine". A negator stands before its word; the others on either side ("дышать
# тяжело", "крови много").
_NEGATOR_WORDS = (
    "no not never without don't doesn't didn't haven't hasn't isn't can't cannot won't "
    "couldn't wouldn't unable не нет ни без нельзя невозможно"
)
_MODAL_WORDS = (
    "can could мочь смочь получаться hard difficult difficulty trouble struggl* worst lot "
    "lots трудно тяжело сложно много"
)


@dataclass(frozen=True, slots=True)
class Term:
    key: str  # the lemma, or the prefix for a "*" term
    prefix: bool


@dataclass(frozen=True, slots=True)
class Phrase:
    source: str
    terms: tuple[Term, ...]
    keys: tuple[str, ...] = ()  # how each term is indexed in a message ("зуб", "кардио*")
    # "^slurred speech": the words in this order, in one clause, next to each other
    bound: bool = False
    # Terms tied to the term after them: a negator stands just before it ("can't | speak"),
    # a modal next to it on either side ("говорить не | может")
    negates: tuple[int, ...] = ()
    modal: tuple[int, ...] = ()


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
    # False when a relative's past event is still news ("my baby had a fever of 38")
    relative_history: bool = True
    # False when a joke or a figure of speech around it reassures nobody (self-harm)
    figurative_blocks: bool = True
    # True for a flag whose past hides it only when the message also says the present is
    # calm and nothing has come back ("had suicidal thoughts years ago, I'm fine now")
    recovered_blocks: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class PhraseSet:
    """Phrases indexed by their first word: a message is checked against the few whose first
    word it has, not against them all."""

    phrases: tuple[Phrase, ...] = ()
    by_first: Mapping[str, tuple[Phrase, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, phrases: Iterable[Phrase]) -> PhraseSet:
        listed = tuple(phrases)
        by_first: dict[str, list[Phrase]] = {}
        for phrase in listed:
            by_first.setdefault(phrase.keys[0], []).append(phrase)
        return cls(listed, {key: tuple(items) for key, items in by_first.items()})

    def __iter__(self) -> Iterator[Phrase]:
        return iter(self.phrases)

    def present(self, where: Mapping[str, object]) -> list[Phrase]:
        """The phrases whose first word occurs in a message (`Doc.where`)."""
        return [p for key in where if key in self.by_first for p in self.by_first[key]]


@dataclass(frozen=True, slots=True)
class StoryWords:
    """Words that tell a red flag as the past, someone else's past, or a figure of speech."""

    history: PhraseSet = PhraseSet()  # "в прошлом году", "years ago", "as a teenager"
    none_since: PhraseSet = PhraseSet()  # "none since", "больше не повторялось"
    relatives: PhraseSet = PhraseSet()  # "мама", "my grandmother"
    past: PhraseSet = PhraseSet()  # "был", "had", "перенести", "died"
    recent: PhraseSet = PhraseSet()  # "только что", "still", "this morning": it is news
    figurative_causes: PhraseSet = PhraseSet()  # "задыхаюсь от [работы]"
    cause_words: frozenset[str] = frozenset()  # "от", "from": what introduces a cause
    jokes: PhraseSet = PhraseSet()  # "lol", "хаха"
    # A finished episode: an anchor in the past ("лежал в больнице", "discharged"), a calm
    # present ("сейчас всё хорошо", "fine now"), and no sign it goes on ("опять", "still")
    episode: PhraseSet = PhraseSet()
    calm: PhraseSet = PhraseSet()
    ongoing: PhraseSet = PhraseSet()
    # "they're back", "снова", "a plan": a recovered past has returned (see recovered_blocks)
    relapse: PhraseSet = PhraseSet()


@dataclass(frozen=True, slots=True)
class RoleWords:
    """Words that tell what a clue or a named doctor is doing in the message."""

    # "сердце здоровое", "my heart is fine": a clue found healthy is denied
    cleared: PhraseSet = PhraseSet()
    # what may stand between a clue and its clearing ("is", "у меня", "completely")
    cleared_links: frozenset[str] = frozenset()
    # "был у [невролога]", "saw [a neurologist]": a doctor already seen
    seen_before: PhraseSet = PhraseSet()
    # "[кардиолог] сказал", "[the ENT] said": a doctor already seen, who said or did something
    seen_after: PhraseSet = PhraseSet()
    # "направил к [эндокринологу]", "referred me to [a dermatologist]", "хочу к": wanted
    wanted_before: PhraseSet = PhraseSet()
    # "[кардиолог] ничего не нашёл", "[the cardiologist] found nothing": that doctor's field
    # is examined and clear, and the complaint belongs elsewhere
    found_nothing: PhraseSet = PhraseSet()


@dataclass(frozen=True, slots=True)
class Lexicon:
    clues: tuple[Clue, ...]
    red_flags: tuple[RedFlag, ...]
    child: PhraseSet
    negators: frozenset[str]
    story: StoryWords
    idioms: PhraseSet  # "сердце кровью обливается", "pain in the neck": no organ
    adult_children: PhraseSet  # "дочь говорит", "adult son": not a child's complaint
    offspring: frozenset[str]  # "сын", "daughter": a relation, not an age
    selves: PhraseSet  # "у меня", "my": the patient owns the complaint
    exact: frozenset[str]  # every lemma some phrase needs
    prefixes: tuple[str, ...]
    roles: RoleWords = RoleWords()

    @property
    def history(self) -> PhraseSet:
        return self.story.history


@cache
def _term(word: str) -> Term:
    if word.startswith((MARKER, EXACT)):
        return Term(word, False)
    if word.endswith("*"):
        return Term(word[:-1], True)
    return Term(lemma(word), False)


def compile_phrases(source: str) -> tuple[Phrase, ...]:
    """The phrases a lexicon entry spells. A word may list alternatives with "|", and an
    alternative of several words joins them with "_": "шея|затылок не_гнуться|каменный" is
    four phrases, one per choice at each place."""
    bound = source.lstrip().startswith(BOUND)
    words = clean(source.lstrip().removeprefix(BOUND)).replace("-", " ").split()
    choices = [
        [[w] if w.startswith(MARKER) else w.split("_") for w in word.split("|") if w]
        for word in words
    ]
    phrases = []
    for combination in product(*choices):
        terms = tuple(_term(word) for part in combination for word in part if word)
        keys = tuple(t.key + "*" if t.prefix else t.key for t in terms)
        negators, modals = _binders()
        tied = range(len(keys) - 1)
        phrases.append(
            Phrase(
                source,
                terms,
                keys,
                bound,
                tuple(i for i in tied if keys[i] in negators),
                tuple(i for i in tied if keys[i] in modals),
            )
        )
    return tuple(phrases)


@cache
def _binders() -> tuple[frozenset[str], frozenset[str]]:
    """Lemmas of the negators and modals that bind the next word of a phrase."""
    return (
        frozenset(lemma(word) for word in _NEGATOR_WORDS.split()),
        frozenset(lemma(word) for word in _MODAL_WORDS.split()),
    )


def compile_phrase(source: str) -> Phrase:
    return compile_phrases(source)[0]


def _phrases(items: Any, where: str) -> tuple[Phrase, ...]:
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(f"lexicon: {where} must be a list of strings")
    return tuple(p for item in items if item.strip() for p in compile_phrases(item))


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
    child = PhraseSet.of(_phrases(data.get("child", []), f"{lang}.child"))
    negators = frozenset(clean(word).replace("'", "") for word in data.get("negators", []))
    idioms = PhraseSet.of(_phrases(data.get("idioms", []), f"{lang}.idioms"))
    adult_children = PhraseSet.of(
        _phrases(data.get("adult_children", []), f"{lang}.adult_children")
    )
    offspring = frozenset(lemma(word) for word in data.get("offspring", []))
    selves = PhraseSet.of(_phrases(data.get("selves", []), f"{lang}.selves"))
    return Lexicon(
        tuple(clues), (), child, negators, StoryWords(), idioms, adult_children, offspring,
        selves, frozenset(), (), _load_roles(data, lang),
    )  # fmt: skip


def _load_roles(data: dict[str, Any], lang: str) -> RoleWords:
    def read(key: str) -> PhraseSet:
        return PhraseSet.of(_phrases(data.get(key, []), f"{lang}.{key}"))

    return RoleWords(
        cleared=read("cleared"),
        cleared_links=frozenset(lemma(w) for w in data.get("cleared_links", [])),
        seen_before=read("seen_before"),
        seen_after=read("seen_after"),
        wanted_before=read("wanted_before"),
        found_nothing=read("found_nothing"),
    )


def _merge_roles(roles: list[RoleWords]) -> RoleWords:
    def join(key: str) -> PhraseSet:
        return PhraseSet.of(p for role in roles for p in getattr(role, key))

    return RoleWords(
        cleared=join("cleared"),
        cleared_links=frozenset().union(*(role.cleared_links for role in roles)),
        seen_before=join("seen_before"),
        seen_after=join("seen_after"),
        wanted_before=join("wanted_before"),
        found_nothing=join("found_nothing"),
    )


def _load_story(data: dict[str, Any], lang: str) -> StoryWords:
    def read(key: str) -> PhraseSet:
        return PhraseSet.of(_phrases(data.get(key, []), f"{lang}.{key}"))

    return StoryWords(
        history=read("history"),
        none_since=read("none_since"),
        relatives=read("relatives"),
        past=read("past"),
        recent=read("recent"),
        figurative_causes=read("figurative_causes"),
        cause_words=frozenset(clean(w) for w in data.get("cause_words", [])),
        jokes=read("jokes"),
        episode=read("episode"),
        calm=read("calm"),
        ongoing=read("ongoing"),
        relapse=read("relapse"),
    )


def _merge_stories(stories: list[StoryWords]) -> StoryWords:
    def join(key: str) -> PhraseSet:
        return PhraseSet.of(p for story in stories for p in getattr(story, key))

    return StoryWords(
        history=join("history"),
        none_since=join("none_since"),
        relatives=join("relatives"),
        past=join("past"),
        recent=join("recent"),
        figurative_causes=join("figurative_causes"),
        cause_words=frozenset().union(*(story.cause_words for story in stories)),
        jokes=join("jokes"),
        episode=join("episode"),
        calm=join("calm"),
        ongoing=join("ongoing"),
        relapse=join("relapse"),
    )


def _load_red_flags(data: dict[str, Any], lang: str) -> Lexicon:
    flags = []
    for flag in data.get("red_flag", []):
        if flag["specialty"] not in SPECIALTIES:
            raise ValueError(f"lexicon {lang}: red flag {flag['name']!r} has unknown specialty")
        if flag["category"] not in RED_FLAG_CATEGORIES:
            raise ValueError(f"lexicon {lang}: red flag {flag['name']!r} has unknown category")
        groups = tuple(_phrases(group, f"{lang}.red_flag.{flag['name']}") for group in flag["all"])
        unless = _phrases(flag.get("unless", []), f"{lang}.red_flag.{flag['name']}.unless")
        history_blocks = bool(flag.get("history_blocks", True))
        flags.append(
            RedFlag(
                flag["name"],
                flag["category"],
                flag["specialty"],
                groups,
                unless,
                history_blocks,
                bool(flag.get("relative_history", history_blocks)),
                bool(flag.get("figurative_blocks", history_blocks)),
                bool(flag.get("recovered_blocks", False)),
            )
        )
    story = _load_story(data, lang)
    empty = PhraseSet()
    return Lexicon(
        (), tuple(flags), empty, frozenset(), story, empty, empty, frozenset(), empty,
        frozenset(), (),
    )  # fmt: skip


def _index(
    clues: tuple[Clue, ...],
    flags: tuple[RedFlag, ...],
    child: PhraseSet,
    negators: frozenset[str],
    story: StoryWords,
    idioms: PhraseSet,
    adult_children: PhraseSet,
    offspring: frozenset[str],
    selves: PhraseSet,
    roles: RoleWords,
) -> Lexicon:
    """The lexicon with the index of every term its phrases use."""
    phrases = [c.phrase for c in clues] + [*child, *idioms, *adult_children, *selves]
    for key in RoleWords.__dataclass_fields__:
        if key != "cleared_links":
            phrases += list(getattr(roles, key))
    for key in StoryWords.__dataclass_fields__:
        if key != "cause_words":
            phrases += list(getattr(story, key))
    for flag in flags:
        phrases += [p for group in flag.groups for p in group] + list(flag.unless)
    terms = {t for p in phrases for t in p.terms}
    exact = frozenset(t.key for t in terms if not t.prefix) | story.cause_words
    prefixes = tuple(sorted(t.key for t in terms if t.prefix))
    return Lexicon(
        clues, flags, child, negators, story, idioms, adult_children, offspring, selves, exact,
        prefixes, roles,
    )  # fmt: skip


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
        PhraseSet.of(c for p in parts for c in p.child),
        frozenset().union(*(p.negators for p in parts)),
        _merge_stories([p.story for p in parts]),
        PhraseSet.of(i for p in parts for i in p.idioms),
        PhraseSet.of(a for p in parts for a in p.adult_children),
        frozenset().union(*(p.offspring for p in parts)),
        PhraseSet.of(w for p in parts for w in p.selves),
        _merge_roles([p.roles for p in parts]),
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
                for word in re.split(r"[\s|_^-]+", clean(quoted)):
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


# Gzipped JSON: {"keys": digest of the keys, "forms": {key: [its spellings, in order]}}
TYPO_TABLE = "typo_forms.json.gz"


def _keys_digest(keys: list[str]) -> str:
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def shipped_typo_forms(keys: list[str]) -> dict[str, str] | None:
    """The shipped spellings of the typo keys (form -> key, in the order they were made), or
    None when the table was made for other keys."""
    path = resources.files("clinic.assistant") / "lexicon" / TYPO_TABLE
    try:
        table = json.loads(gzip.decompress(path.read_bytes()))
    except FileNotFoundError:
        return None
    if table.get("keys") != _keys_digest(keys):
        return None
    return {str(form): str(key) for key, forms in table["forms"].items() for form in forms}


def write_typo_table() -> Path:
    """Recompute lexicon/typo_forms.json.gz (run after editing the lexicon)."""
    from clinic.assistant.matching import typo_forms, typo_keys

    keys = typo_keys(get_lexicon())
    grouped: dict[str, list[str]] = {}
    for form, key in typo_forms(keys).items():
        grouped.setdefault(key, []).append(form)
    table = {"keys": _keys_digest(keys), "forms": grouped}
    text = json.dumps(table, ensure_ascii=False, separators=(",", ":"))
    path = Path(str(resources.files("clinic.assistant") / "lexicon" / TYPO_TABLE))
    path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))  # the same bytes each run
    return path


if __name__ == "__main__":
    write_lemma_table()
    get_lexicon.cache_clear()  # the lemmas just written change the keys
    write_typo_table()
