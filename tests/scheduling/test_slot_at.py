"""slot_at, the booking path's grid check, agrees with the slots a day really has."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.scheduling.slots import DoctorSchedule, Interval, day_slots, slot_at

ZONES = [ZoneInfo(name) for name in ("Europe/Moscow", "Europe/Berlin", "America/New_York")]
# Days around both DST changes of 2026 in Berlin and New York, and ordinary days.
DAYS = st.dates(min_value=date(2026, 3, 6), max_value=date(2026, 3, 31)) | st.dates(
    min_value=date(2026, 10, 23), max_value=date(2026, 11, 3)
)


@st.composite
def schedules(draw: st.DrawFn) -> DoctorSchedule:
    slot_minutes = draw(st.sampled_from([10, 15, 20, 30, 45, 60]))
    intervals = []
    for _ in range(draw(st.integers(1, 2))):
        start = draw(st.integers(0, 22 * 60)) // 5 * 5
        length = draw(st.integers(30, 8 * 60)) // 5 * 5
        end = min(start + length, 23 * 60 + 55)
        intervals.append(Interval(time(start // 60, start % 60), time(end // 60, end % 60)))
    return DoctorSchedule(1, slot_minutes, {day: intervals for day in range(7)})


@settings(max_examples=400, deadline=None)
@given(
    schedule=schedules(),
    day=DAYS,
    minute=st.integers(0, 24 * 60 - 1),
    tz=st.sampled_from(ZONES),
)
def test_slot_at_is_the_days_slot_with_that_start(
    schedule: DoctorSchedule, day: date, minute: int, tz: ZoneInfo
) -> None:
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC) + timedelta(minutes=minute)
    expected = next((s for s in day_slots(schedule, start.astimezone(tz).date(), tz)
                     if s.start.astimezone(UTC) == start), None)  # fmt: skip

    found = slot_at(schedule, start, tz)

    assert found == expected
