"""The free-slot walk (jumping over bookings on ordinary days) finds exactly the slots that
checking every slot of every day finds, DST days and time-of-day bounds included."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.scheduling.slots import DoctorSchedule, Interval, Slot, day_slots, free_slots

ZONES = [ZoneInfo(name) for name in ("Europe/Moscow", "Europe/Berlin", "America/New_York")]
START_DAYS = st.sampled_from([date(2026, 3, 6), date(2026, 3, 26), date(2026, 10, 23)])


class Case(NamedTuple):
    schedule: DoctorSchedule
    tz: ZoneInfo
    start: datetime
    end: datetime
    busy: list[tuple[datetime, datetime]]
    time_from: time | None
    time_to: time | None


def _every_slot_checked(
    schedule: DoctorSchedule,
    tz: ZoneInfo,
    start: datetime,
    end: datetime,
    busy: list[tuple[datetime, datetime]],
    time_from: time | None,
    time_to: time | None,
) -> Iterator[Slot]:
    """The plain definition: every slot of every day, checked against every booking."""
    day, last_day = start.astimezone(tz).date(), end.astimezone(tz).date()
    while day <= last_day:
        for slot in day_slots(schedule, day, tz):
            local = slot.start.astimezone(tz).time()
            if not start <= slot.start <= end:
                continue
            if (time_from and local < time_from) or (time_to and local > time_to):
                continue
            if not any(b_start < slot.end and slot.start < b_end for b_start, b_end in busy):
                yield slot
        day += timedelta(days=1)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    tz = draw(st.sampled_from(ZONES))
    slot_minutes = draw(st.sampled_from([15, 20, 30, 45]))
    begin = draw(st.integers(0, 14 * 60)) // 5 * 5
    finish = min(begin + 9 * 60, 23 * 60)
    hours = Interval(time(begin // 60, begin % 60), time(finish // 60, finish % 60))
    schedule = DoctorSchedule(1, slot_minutes, {day: [hours] for day in range(7)})
    first_day = draw(START_DAYS)
    origin = datetime.combine(first_day, time(0), tzinfo=tz).astimezone(UTC)
    # Bookings of any length and position, never overlapping each other (as in the table).
    busy: list[tuple[datetime, datetime]] = []
    at = origin
    for _ in range(draw(st.integers(0, 40))):
        at += timedelta(minutes=draw(st.integers(0, 600)))
        length = timedelta(minutes=draw(st.sampled_from([15, 20, 30, 45, 60, 240])))
        busy.append((at, at + length))
        at += length
    start = origin + timedelta(minutes=draw(st.integers(0, 3 * 24 * 60)))
    end = start + timedelta(minutes=draw(st.integers(0, 5 * 24 * 60)))
    time_from = draw(st.none() | st.times())
    time_to = draw(st.none() | st.times())
    return Case(schedule, tz, start, end, busy, time_from, time_to)


@settings(max_examples=300, deadline=None)
@given(case=cases())
def test_the_walk_finds_what_checking_every_slot_finds(case: Case) -> None:
    expected = list(_every_slot_checked(*case))

    found = list(free_slots(*case))

    assert found == expected
