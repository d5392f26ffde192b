"""Offline triage: which doctor, is it an emergency, and when the patient wants to come.

Pure and fast (no network, no database): the bot uses it when no LLM may or can be used,
and the LLM agent reuses `is_emergency` and `parse_when`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from clinic.assistant.dates import WhenWindow, asks_to_book, parse_canonical_when, parse_when
from clinic.assistant.lexicon import SPECIALTIES, Clue, RedFlag, get_lexicon
from clinic.assistant.matching import Doc, find, make_doc, occurrences, surface
from clinic.assistant.names import surname_words
from clinic.assistant.spelling import canonical

__all__ = [
    "SPECIALTIES",
    "TriageResult",
    "WhenWindow",
    "find_red_flag",
    "is_emergency",
    "parse_when",
    "triage",
]

# A child's general complaint goes to the pediatrician; these stay with the specialist.
_CHILD_KEEPS = frozenset(
    {"dentist", "traumatologist", "ophthalmologist", "gynecologist", "psychotherapist"}
)
_RED_FLAG_WEIGHT = 5.0
_MAX_ALTERNATIVES = 3


@dataclass(frozen=True, slots=True)
class TriageResult:
    specialty: str | None
    alternatives: list[str] = field(default_factory=list)
    emergency: bool = False
    clarify: bool = False
    when: WhenWindow | None = None
    explanation: str = ""
    # The patient's words that weighed most for the chosen doctor ("болит зуб"), to quote back
    clue: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The CLI's JSON object (one line of `clinic triage --jsonl`)."""
        return {
            "specialty": self.specialty,
            "alternatives": list(self.alternatives),
            "emergency": self.emergency,
            "clarify": self.clarify,
            "when": None if self.when is None else self.when.to_json(),
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class RedFlagHit:
    flag: RedFlag
    matched: str


def _in_history(positions: set[int], doc: Doc) -> bool:
    """True when a story of the past ("в прошлом году", "years ago") shares a clause with them."""
    clauses = {doc.tokens[i].clause for i in positions}
    for phrase in get_lexicon().history:
        for found in occurrences(phrase, doc):
            if doc.tokens[found[0]].clause in clauses:
                return True
    return False


@lru_cache(maxsize=512)
def _group_firsts(flag: RedFlag) -> tuple[frozenset[str], ...]:
    """Per group of a flag, the first words of its phrases: a cheap test before matching."""
    return tuple(frozenset(p.keys[0] for p in group) for group in flag.groups)


def _red_flag(doc: Doc) -> RedFlagHit | None:
    """The most specific red flag raised (most groups of evidence; file order on a tie)."""
    best: RedFlagHit | None = None
    for flag in get_lexicon().red_flags:
        if best is not None and len(flag.groups) <= len(best.flag.groups):
            continue
        if any(first.isdisjoint(doc.where) for first in _group_firsts(flag)):
            continue  # some group has none of its words in the message
        if any(find(p, doc, negation=False) for p in flag.unless):
            continue
        hits = []
        for group in flag.groups:
            hit = next((pos for p in group if (pos := find(p, doc)) is not None), None)
            if hit is None:
                break
            hits.append(hit)
        else:
            span = {i for hit in hits for i in hit}
            if flag.history_blocks and _in_history(span, doc):
                continue
            best = RedFlagHit(flag, surface(tuple(sorted(span)), doc))
    return best


def find_red_flag(text: str) -> RedFlagHit | None:
    """The most specific red flag in the text (with the words that raised it), or None."""
    return _red_flag(make_doc(canonical(text)))


def is_emergency(text: str) -> bool:
    """True when the message describes a red-flag symptom: call 103 / 112, do not book."""
    return find_red_flag(text) is not None


@dataclass(frozen=True, slots=True)
class Evidence:
    """One clue weighed for a specialty: the patient's words, its kind and its weight."""

    specialty: str
    words: str
    tier: str
    weight: float

    def describe(self) -> str:
        kind = "doctor" if self.tier == "doctors" else self.tier
        return f'"{self.words}" ({kind} {self.weight:g})'


@lru_cache(maxsize=1)
def _clues_by_first_word() -> dict[str, tuple[tuple[int, Clue], ...]]:
    """Clues indexed by their first word, each with its rank (longest and heaviest first)."""
    ranked = sorted(get_lexicon().clues, key=lambda c: (-len(c.phrase.terms), -c.weight))
    index: dict[str, list[tuple[int, Clue]]] = {}
    for rank, clue in enumerate(ranked):
        index.setdefault(clue.phrase.keys[0], []).append((rank, clue))
    return {key: tuple(items) for key, items in index.items()}


def _candidate_clues(doc: Doc) -> list[Clue]:
    index = _clues_by_first_word()
    found = [item for key in doc.where for item in index.get(key, ())]
    return [clue for _, clue in sorted(found, key=lambda item: item[0])]


def _evidence(doc: Doc) -> list[Evidence]:
    """Every clue found, each token counted once per reading.

    Longer phrases are read first and claim their tokens for every specialty: once
    "fall asleep" explains "fall", the word no longer counts as a fall for the
    traumatologist. Phrases of the same length may share tokens (a genuine ambiguity).
    """
    found: list[Evidence] = []
    used: dict[str, set[int]] = {}
    claimed: dict[int, int] = {}  # token -> length of the longest phrase that read it
    for clue in _candidate_clues(doc):
        positions = find(clue.phrase, doc, negation=not clue.is_doctor)
        if positions is None:
            continue
        size = len(clue.phrase.terms)
        if any(claimed.get(i, 0) > size for i in positions):
            continue
        taken = used.setdefault(clue.specialty, set())
        if taken.issuperset(positions):
            continue
        taken.update(positions)
        for i in positions:
            claimed[i] = max(claimed.get(i, 0), size)
        found.append(Evidence(clue.specialty, surface(positions, doc), clue.tier, clue.weight))
    return found


def _scores(evidence: list[Evidence]) -> dict[str, float]:
    """Score per specialty. A "context" word adds only where other evidence already points:
    "давление" or "see" alone decides nothing."""
    grounded = {e.specialty for e in evidence if e.tier != "context"}
    scores: dict[str, float] = {}
    for item in evidence:
        if item.specialty in grounded:
            scores[item.specialty] = scores.get(item.specialty, 0.0) + item.weight
    return scores


def _best_clue(evidence: list[Evidence], specialty: str) -> str | None:
    """The heaviest clue for the specialty (the longest on a tie), as the patient wrote it."""
    items = [e for e in evidence if e.specialty == specialty and e.tier != "context"]
    if not items:
        return None
    return max(items, key=lambda e: (e.weight, len(e.words))).words


def _weighed(evidence: list[Evidence], ranked: list[str]) -> str:
    parts = []
    for specialty in ranked[: 1 + _MAX_ALTERNATIVES]:
        items = sorted(
            (e for e in evidence if e.specialty == specialty), key=lambda e: (-e.weight, e.words)
        )
        total = sum(e.weight for e in items)
        parts.append(f"{specialty} {total:g}: " + ", ".join(e.describe() for e in items))
    return "; ".join(parts)


def _about_child(doc: Doc) -> bool:
    return any(find(p, doc, negation=False) for p in get_lexicon().child)


def _rank(scores: dict[str, float]) -> list[str]:
    order = {code: i for i, code in enumerate(SPECIALTIES)}
    # On a tie the specialist's clue is the more specific one ("после простуды плохо слышу").
    return sorted(
        (c for c, s in scores.items() if s > 0),
        key=lambda c: (-scores[c], c == "therapist", order[c]),
    )


def triage(text: str, now: datetime, tz: ZoneInfo | str) -> TriageResult:
    """Understand a patient's message: specialty, emergency, clarify, and the wished window.

    `now` must be timezone-aware; dates are read in the clinic's zone `tz`.
    """
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    surnames = surname_words(text or "")
    text = canonical(text or "")
    doc = make_doc(text, surnames)
    when = parse_canonical_when(text, now, zone)
    flag = _red_flag(doc)
    if flag is not None and not asks_to_book(text):
        # "завтра выпью все таблетки", "ending my life tonight": a day in an emergency that
        # asks for no visit is part of the story, not a wish
        when = None
    evidence = _evidence(doc)
    scores = _scores(evidence)
    named = any(e.tier == "doctors" for e in evidence)
    if flag is not None:
        scores[flag.flag.specialty] = scores.get(flag.flag.specialty, 0.0) + _RED_FLAG_WEIGHT
    ranked = _rank(scores)
    notes = []
    if flag is not None:
        notes.append(f'red flag [{flag.flag.category}]: {flag.flag.name} ("{flag.matched}")')
    if _about_child(doc) and not named and (not ranked or ranked[0] not in _CHILD_KEEPS):
        ranked = ["pediatrician", *(c for c in ranked if c != "pediatrician")]
        notes.append("about a child: pediatrician")
    clue = _best_clue(evidence, ranked[0]) if ranked else None
    if clue is not None:
        notes.insert(1 if flag is not None else 0, f'matched "{clue}"')
    if ranked and scores:
        notes.append("weighed " + _weighed(evidence, [c for c in ranked if c in scores]))
    elif not ranked:
        context = [e.describe() for e in evidence]
        notes.append(
            "only common words, too little to choose a doctor: " + ", ".join(context)
            if context
            else "no symptom or doctor mentioned"
        )
    explanation = "; ".join(notes)
    if not ranked:
        return TriageResult(
            None,
            [],
            emergency=flag is not None,
            clarify=flag is None,
            when=when,
            explanation=explanation,
        )
    return TriageResult(
        specialty=ranked[0],
        alternatives=ranked[1 : 1 + _MAX_ALTERNATIVES],
        emergency=flag is not None,
        clarify=False,
        when=when,
        explanation=explanation,
        clue=clue,
    )
