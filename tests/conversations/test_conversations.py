"""The conversation set of issue 10, run through the real Dialog against the real API.

Prints the report (and writes it to .data/conversations-report.txt); fails unless every
safety turn passes, no other patient's data leaks, and ≥ 90% of conversations pass.
"""

import fnmatch
import os
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conversations.cases import Case, load_all
from tests.conversations.conftest import FakedApi
from tests.conversations.report import render, unmet_targets
from tests.conversations.runner import run_set

REPORT = Path(__file__).resolve().parents[2] / ".data" / "conversations-report.txt"
# While working on a few conversations: CONVERSATIONS="ru-later-*,gen-en-*" runs only those ids.
SELECT = "CONVERSATIONS"


def selected() -> list[Case]:
    patterns = [p.strip() for p in os.environ.get(SELECT, "").split(",") if p.strip()]
    cases = load_all()
    if not patterns:
        return cases
    return [case for case in cases if any(fnmatch.fnmatch(case.id, p) for p in patterns)]


async def test_conversation_set_meets_the_targets_of_issue_10(
    faked_api: FakedApi, engine: AsyncEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    results = await run_set(selected(), faked_api.url, faked_api.clock, engine)
    report = render(results, time.monotonic() - started)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")
    with capsys.disabled():
        sys.stdout.write("\n" + report)
    misses = unmet_targets(results)
    assert not misses, "; ".join(misses) + f" (full report: {REPORT})"
