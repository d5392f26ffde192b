"""Which reminder is due: the latest lead time whose moment has passed, never one from
before the booking, and never one when an equal or later one was already claimed."""

from datetime import UTC, datetime, timedelta

import pytest

from clinic.core.settings import Settings
from clinic.reminders.repository import Candidate
from clinic.reminders.service import Due, due_reminder

START = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)
LEADS = (24, 2)


def _candidate(booked_hours_before: float = 72, claimed: tuple[int, ...] = ()) -> Candidate:
    return Candidate(7, START, START - timedelta(hours=booked_hours_before), frozenset(claimed))


@pytest.mark.parametrize(
    ("hours_before_start", "claimed", "due"),
    [
        (24.02, (), None),  # a minute early
        (24, (), 24),  # its very moment
        (23, (), 24),
        (23, (24,), None),  # sent already
        (2, (24,), 2),
        (1, (24, 2), None),
        (1, (), 2),  # the worker was down for the 24 h one: only the latest is sent
        (1, (2,), None),
    ],
)
def test_the_due_reminder(
    hours_before_start: float, claimed: tuple[int, ...], due: int | None
) -> None:
    now = START - timedelta(hours=hours_before_start)

    found = due_reminder(_candidate(claimed=claimed), LEADS, now)

    assert found == (Due(7, due, START) if due else None)


def test_a_moment_before_the_booking_sends_nothing() -> None:
    booked_late = _candidate(booked_hours_before=1.5)

    assert due_reminder(booked_late, LEADS, START - timedelta(hours=1)) is None
    assert due_reminder(_candidate(booked_hours_before=3), LEADS, START - timedelta(hours=1)) == (
        Due(7, 2, START)
    )


def test_reminder_hours_are_read_largest_first_and_may_be_off() -> None:
    assert Settings(reminder_hours="2, 24,2").reminder_lead_hours == (24, 2)
    assert Settings(reminder_hours="off").reminder_lead_hours == ()
    with pytest.raises(ValueError, match="REMINDER_HOURS"):
        Settings(reminder_hours="24,soon")
    with pytest.raises(ValueError, match="REMINDER_HOURS"):
        Settings(reminder_hours="0")
