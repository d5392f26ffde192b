"""Offline triage: which doctor, is it an emergency, and when the patient wants to come.

Pure and fast (no network, no database): the bot uses it when no LLM may or can be used,
and the LLM agent reuses `is_emergency` and `parse_when`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from clinic.assistant.dates import WhenWindow, asks_for_visit, parse_canonical_when, parse_when
from clinic.assistant.lexicon import SPECIALTIES, Clue, RedFlag, get_lexicon
from clinic.assistant.matching import Doc, find, find_all, make_doc, occurrences, surface
from clinic.assistant.names import surname_words
from clinic.assistant.patient import about_child, young_child
from clinic.assistant.roles import Roles, read_roles
from clinic.assistant.spelling import canonical
from clinic.assistant.story import Story, read_story

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
# ... but a baby's or toddler's teeth with a fever are the pediatrician's first.
_YOUNG_CHILD_YIELDS = frozenset({"dentist"})
_GENERAL = frozenset({"therapist", "pediatrician"})
_RED_FLAG_WEIGHT = 5.0
_MAX_ALTERNATIVES = 3
# A clue told as the past ("fainted once years ago") or a relative's past ("у мамы была
# язва") weighs less than what troubles the patient now.
_PAST_WEIGHT = 0.3
# A doctor already seen ("кардиолог сказал", "saw a neurologist") is a hint, not a request.
_SEEN_TIER = "seen"
_SEEN_WEIGHT = 1.0
# What that doctor found ("said it's a sinus problem") outweighs the patient's own words.
_FINDING_FACTOR = 2.0
# The complaints of a field a doctor examined and found clear.
_CLEARED_FACTOR = 0.3


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
    span: tuple[int, ...] = ()  # the tokens that raised it


@lru_cache(maxsize=1)
def _screened_flags() -> tuple[tuple[RedFlag, tuple[frozenset[str], ...]], ...]:
    """Each red flag with, per group, the first words of its phrases: a cheap test before
    matching."""
    return tuple(
        (flag, tuple(frozenset(p.keys[0] for p in group) for group in flag.groups))
        for flag in get_lexicon().red_flags
    )


def _red_flag(doc: Doc) -> RedFlagHit | None:
    """The most specific red flag raised (most groups of evidence; file order on a tie)."""
    best: RedFlagHit | None = None
    story: Story | None = None
    for flag, firsts in _screened_flags():
        if best is not None and len(flag.groups) <= len(best.flag.groups):
            continue
        if any(first.isdisjoint(doc.where) for first in firsts):
            continue  # some group has none of its words in the message
        if any(find(p, doc, negation=False) for p in flag.unless):
            continue
        hits = []
        for group in flag.groups:
            # A red flag's phrase may run into the next sentence: frightened people write
            # in fragments ("Грудь. Давит, как будто камень.")
            hit = next((pos for p in group if (pos := find(p, doc, across=True)) is not None), None)
            if hit is None:
                break
            hits.append(hit)
        else:
            span = tuple(sorted({i for hit in hits for i in hit}))
            story = story or read_story(doc)
            if story.hides(flag, span):
                # "had suicidal thoughts years ago ... and now I have a plan": the first words
                # found were the past, but other words of the flag may be news
                found = _news_span(flag, doc, story)
                if found is None:
                    continue
                span = found
            best = RedFlagHit(flag, surface(span, doc), span)
    return best


def _news_span(flag: RedFlag, doc: Doc, story: Story) -> tuple[int, ...] | None:
    """The words of a flag told as news anywhere in the message, when its first reading was
    a story: every group needs an occurrence the story does not hide."""
    span: set[int] = set()
    for group in flag.groups:
        news = next(
            (
                pos
                for p in group
                for pos in find_all(p, doc, across=True)
                if not story.hides(flag, pos)
            ),
            None,
        )
        if news is None:
            return None
        span.update(news)
    return tuple(sorted(span))


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
    positions: tuple[int, ...] = ()

    def describe(self) -> str:
        kind = {"doctors": "doctor", _SEEN_TIER: "doctor seen"}.get(self.tier, self.tier)
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
    story = read_story(doc)
    roles: Roles | None = None
    used: dict[str, set[int]] = {}
    claimed: dict[int, int] = {}  # token -> length of the longest phrase that read it
    for clue in _candidate_clues(doc):
        positions = find(clue.phrase, doc, negation=not clue.is_doctor)
        if positions is None:
            continue
        seen = False
        if clue.is_doctor:
            # "I've seen a cardiologist, I want another cardiologist": the wanted mention counts
            roles = roles or read_roles(doc)
            spans = occurrences(clue.phrase, doc)
            positions = next((span for span in spans if not roles.seen(span)), positions)
            seen = roles.seen(positions)
        size = len(clue.phrase.terms)
        if any(claimed.get(i, 0) > size for i in positions):
            continue
        taken = used.setdefault(clue.specialty, set())
        if taken.issuperset(positions):
            continue
        taken.update(positions)
        for i in positions:
            claimed[i] = max(claimed.get(i, 0), size)
        weight = clue.weight * (_PAST_WEIGHT if story.told_as_past(positions) else 1.0)
        tier = clue.tier
        if seen:
            tier, weight = _SEEN_TIER, _SEEN_WEIGHT
        found.append(Evidence(clue.specialty, surface(positions, doc), tier, weight, positions))
    if roles is None:
        return found
    cleared = _cleared(found, doc)
    return _lower_cleared(_with_findings(found, roles, cleared), cleared)


def _with_findings(found: list[Evidence], roles: Roles, cleared: set[str]) -> list[Evidence]:
    """What a doctor already seen said weighs double: "my dentist said it's a sinus problem"
    outweighs the patient's own "my upper teeth ache". A doctor who found nothing said no
    finding (`cleared`)."""
    clauses = {
        clause
        for e in found
        if e.tier == _SEEN_TIER
        and e.specialty not in cleared
        and (at := roles.said_after(e.positions)) is not None
        for clause in roles.finding_clauses(at)
    }
    if not clauses:
        return found
    tokens = roles.doc.tokens
    return [
        replace(e, weight=e.weight * _FINDING_FACTOR)
        if e.tier not in ("doctors", _SEEN_TIER) and tokens[e.positions[0]].clause in clauses
        else e
        for e in found
    ]


def _cleared(found: list[Evidence], doc: Doc) -> set[str]:
    """The fields of doctors who examined and found nothing ("кардиолог ничего не нашёл",
    "the cardiologist found nothing"): the words right after the doctor, in their clause
    or the next one."""
    words = get_lexicon().roles.found_nothing.present(doc.where)
    if not words:
        return set()
    tokens = doc.tokens
    nothing = [span[0] for phrase in words for span in occurrences(phrase, doc)]
    return {
        e.specialty
        for e in found
        if e.tier in ("doctors", _SEEN_TIER)
        and any(
            at > e.positions[-1] and 0 <= tokens[at].clause - tokens[e.positions[-1]].clause <= 1
            for at in nothing
        )
    }


def _lower_cleared(found: list[Evidence], cleared: set[str]) -> list[Evidence]:
    """A doctor who found nothing is no request, and the complaints of their field weigh
    less: "panic attacks, heart racing" after a clear heart check is for the psychotherapist."""
    return [
        e
        if e.specialty not in cleared
        else replace(e, tier=_SEEN_TIER, weight=_SEEN_WEIGHT)
        if e.tier in ("doctors", _SEEN_TIER)
        else replace(e, weight=e.weight * _CLEARED_FACTOR)
        for e in found
    ]


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


def _rank(scores: dict[str, float]) -> list[str]:
    order = {code: i for i, code in enumerate(SPECIALTIES)}
    # On a tie the specialist's clue is the more specific one ("после простуды плохо слышу").
    return sorted(
        (c for c, s in scores.items() if s > 0),
        key=lambda c: (-scores[c], c == "therapist", order[c]),
    )


def _without_clauses(span: tuple[int, ...], doc: Doc) -> str:
    """The message without the clauses of `span`: "сегодня с ночи давит в груди" tells
    when the emergency began, not when to come."""
    clauses = {doc.tokens[i].clause for i in span}
    text = doc.text
    for clause in sorted(clauses, reverse=True):
        inside = [t for t in doc.tokens if t.clause == clause]
        text = text[: inside[0].start] + " ; " + text[inside[-1].end :]
    return text


def triage(text: str, now: datetime, tz: ZoneInfo | str) -> TriageResult:
    """Understand a patient's message: specialty, emergency, clarify, and the wished window.

    `now` must be timezone-aware; dates are read in the clinic's zone `tz`.
    """
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    surnames = surname_words(text or "")
    text = canonical(text or "")
    doc = make_doc(text, surnames)
    flag = _red_flag(doc)
    if flag is None:
        when = parse_canonical_when(text, now, zone)
    elif asks_for_visit(text):
        when = parse_canonical_when(_without_clauses(flag.span, doc), now, zone)
    else:
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
    clinical = [e.positions for e in evidence if e.tier != "context"]
    if (
        not named
        and ranked
        and ranked[0] in _YOUNG_CHILD_YIELDS
        and _GENERAL & scores.keys()
        and young_child(doc)
        and about_child(doc, clinical)
    ):
        # a teething baby with a fever: the pediatrician first, the dentist as an alternative
        ranked = ["pediatrician", *(c for c in ranked if c != "pediatrician")]
        notes.append("a baby or toddler with general symptoms: pediatrician")
    elif not named and (not ranked or ranked[0] not in _CHILD_KEEPS) and about_child(doc, clinical):
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
