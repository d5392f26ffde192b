"""Fixtures of the triage tests: a fixed clinic clock, no database, no network."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

TZ = ZoneInfo("Europe/Moscow")
# The dev set is labelled against this moment: Wednesday, 3 December 2025, 10:30 in Moscow.
NOW = datetime(2025, 12, 3, 10, 30, tzinfo=TZ)


@pytest.fixture
def now() -> datetime:
    return NOW
