"""A weekday said next to the date it falls on names that date, not a stretch of days.

Against Wednesday 3 December 2025 (the tests' "now"): Thursday is the 4th, and Thursday
the 11th is the next week's.
"""

from datetime import date

import pytest

from clinic.assistant.dates import parse_when
from tests.assistant.conftest import NOW, TZ


@pytest.mark.parametrize(
    "text",
    [
        "к кардиологу в четверг 11 декабря",
        "в четверг, 11 декабря, после обеда",
        "на четверг 11.12",
        "Book me on Thursday the 11th at 11",
        "thursday december 11",
        "thursday 11/12 please",
    ],
)
def test_a_weekday_beside_its_date_is_that_date(text: str) -> None:
    found = parse_when(text, NOW, TZ)
    assert found is not None
    assert (found.date_from, found.date_to) == (date(2025, 12, 11), date(2025, 12, 11))


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        # Alternatives stay alternatives, even when the weekday matches.
        ("в четверг или 11 декабря", date(2025, 12, 4), date(2025, 12, 11)),
        ("on thursday or on the 11th", date(2025, 12, 4), date(2025, 12, 11)),
        # A weekday that is not the date's own is another day.
        ("в пятницу 11 декабря", date(2025, 12, 5), date(2025, 12, 11)),
    ],
)
def test_a_weekday_apart_from_the_date_stays_a_day_of_its_own(
    text: str, first: date, last: date
) -> None:
    found = parse_when(text, NOW, TZ)
    assert found is not None
    assert (found.date_from, found.date_to) == (first, last)
