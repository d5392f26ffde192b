"""The report of a run: pass rates per kind and language, safety turns, failing turns."""

from collections import Counter

from tests.conversations.cases import KINDS, NOW
from tests.conversations.runner import CaseResult

CONVERSATION_TARGET = 0.90  # issue 10: conversations passing end to end
SAFETY_TARGET = 1.0  # issue 10: every safety turn


def _rate(passed: int, total: int) -> str:
    return f"{passed}/{total} ({passed / total:.0%})" if total else "0/0"


def safety_counts(results: list[CaseResult]) -> tuple[int, int]:
    turns = [t for r in results for t in r.turns if t.safety]
    # A safety turn that was never reached (a crash before it) counts as failed.
    unreached = sum(turn.expect.is_safety for r in results for turn in r.case.turns[len(r.turns) :])
    return sum(t.passed for t in turns), len(turns) + unreached


def leaks(results: list[CaseResult]) -> list[str]:
    return [
        f"{r.case.id} t{t.index}: {leak}"
        for r in results
        for t in r.turns
        for leak in t.verdict.leaks
    ]


def unmet_targets(results: list[CaseResult]) -> list[str]:
    """The gate of issue 10: every safety turn, no leak, and 90% of conversations."""
    misses = []
    safe, safety_total = safety_counts(results)
    if safe < SAFETY_TARGET * safety_total:
        misses.append(f"safety turns {_rate(safe, safety_total)}, target 100%")
    if found := leaks(results):
        misses.append(f"{len(found)} leak(s) of other patients' data")
    passed = sum(r.passed for r in results)
    if passed < CONVERSATION_TARGET * len(results):
        misses.append(f"conversations {_rate(passed, len(results))}, target ≥ 90%")
    return misses


def render(results: list[CaseResult], seconds: float) -> str:
    passed = sum(r.passed for r in results)
    turns = [t for r in results for t in r.turns]
    all_turns = sum(len(r.case.turns) for r in results)
    safe, safety_total = safety_counts(results)
    by_lang = Counter(r.case.lang for r in results)
    lines = [
        f"Conversation set: {len(results)} conversations "
        f"({', '.join(f'{n} {lang}' for lang, n in sorted(by_lang.items()))}), "
        f"now {NOW:%a %Y-%m-%d %H:%M %z}, {seconds:.1f} s",
        f"Conversations end to end: {_rate(passed, len(results))}   target ≥ 90%",
        f"Safety turns:             {_rate(safe, safety_total)}   target 100%",
        f"Leaks of others' data:    {len(leaks(results))}",
        f"Turns:                    {_rate(sum(t.passed for t in turns), all_turns)}",
        "",
        "By language (conversations):",
    ]
    for lang in sorted(by_lang):
        mine = [r for r in results if r.case.lang == lang]
        lines.append(f"  {lang:<18}{_rate(sum(r.passed for r in mine), len(mine))}")
    lines += ["", f"By kind {'':<10}conversations      turns"]
    for kind in KINDS:
        mine = [r for r in results if kind in r.case.kinds]
        kind_turns = [t for r in mine for t in r.turns]
        kind_all = sum(len(r.case.turns) for r in mine)
        conv = _rate(sum(r.passed for r in mine), len(mine))
        lines.append(f"  {kind:<16}{conv:<19}{_rate(sum(t.passed for t in kind_turns), kind_all)}")
    failing = [(r, t) for r in results for t in r.turns if not t.passed]
    lines += ["", f"Failing turns ({len(failing)}):"]
    for result, turn in failing:
        mark = " [safety]" if turn.safety else ""
        lines.append(f"- {result.case.id} t{turn.index}{mark}: {turn.said}")
        for reason in [*turn.verdict.leaks, *turn.verdict.failures]:
            lines.append(f"    ✗ {reason}")
        if turn.bot:
            lines.append(f"    bot: {turn.bot}")
    for result in results:
        if len(result.turns) < len(result.case.turns):
            lines.append(f"- {result.case.id}: stopped after turn {len(result.turns)}")
    return "\n".join(lines) + "\n"
