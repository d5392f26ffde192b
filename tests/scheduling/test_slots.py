"""Pure slot arithmetic: grid, breaks, exceptions, bookings, time windows and DST."""

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from clinic.scheduling.slots import DoctorSchedule, Interval, day_slots, free_slots, slot_at

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2027, 2, 1)


def _schedule(slot_minutes: int = 30, **kwargs: object) -> DoctorSchedule:
    weekly = {d: [Interval(time(9), time(13)), Interval(time(14), time(18))] for d in range(5)}
    return DoctorSchedule(doctor_id=1, slot_minutes=slot_minutes, weekly=weekly, **kwargs)  # type: ignore[arg-type]


def _local(day: date, hour: int, minute: int = 0, tz: ZoneInfo = MOSCOW) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def test_day_slots_follow_the_grid_and_skip_the_lunch_break() -> None:
    starts = [s.start.time() for s in day_slots(_schedule(60), MONDAY, MOSCOW)]
    assert starts == [time(h) for h in (9, 10, 11, 12, 14, 15, 16, 17)]


def test_a_slot_that_does_not_fit_before_the_interval_end_is_dropped() -> None:
    schedule = DoctorSchedule(1, 45, {0: [Interval(time(9), time(10, 40))]})
    assert [s.start.time() for s in day_slots(schedule, MONDAY, MOSCOW)] == [
        time(9, 0),
        time(9, 45),
    ]


def test_weekend_has_no_slots() -> None:
    assert list(day_slots(_schedule(), MONDAY + timedelta(days=5), MOSCOW)) == []


def test_exception_replaces_weekly_hours_and_empty_exception_is_a_day_off() -> None:
    tuesday = MONDAY + timedelta(days=1)
    schedule = _schedule(60, exceptions={MONDAY: [], tuesday: [Interval(time(16), time(18))]})
    assert list(day_slots(schedule, MONDAY, MOSCOW)) == []
    assert [s.start.time() for s in day_slots(schedule, tuesday, MOSCOW)] == [time(16), time(17)]


def test_closed_date_beats_everything() -> None:
    schedule = _schedule(
        exceptions={MONDAY: [Interval(time(9), time(10))]}, closed_dates=frozenset({MONDAY})
    )
    assert list(day_slots(schedule, MONDAY, MOSCOW)) == []


def test_free_slots_skip_bookings_including_partial_overlaps() -> None:
    busy = [
        (_local(MONDAY, 9), _local(MONDAY, 9, 30)),
        (_local(MONDAY, 10, 15), _local(MONDAY, 10, 45)),  # overlaps 10:00 and 10:30
    ]
    found = free_slots(_schedule(), MOSCOW, _local(MONDAY, 0), _local(MONDAY, 11), busy)
    assert [s.start.time() for s in found] == [time(9, 30), time(11)]


def test_time_of_day_window_is_inclusive_on_both_ends() -> None:
    found = free_slots(
        _schedule(), MOSCOW, _local(MONDAY, 0), _local(MONDAY, 23), [], time(15), time(16)
    )
    assert [s.start.time() for s in found] == [time(15), time(15, 30), time(16)]


def test_slot_at_finds_only_grid_starts() -> None:
    schedule = _schedule()
    assert slot_at(schedule, _local(MONDAY, 9, 30), MOSCOW) is not None
    assert slot_at(schedule, _local(MONDAY, 9, 10), MOSCOW) is None
    assert slot_at(schedule, _local(MONDAY, 13), MOSCOW) is None


# --- DST: working hours are wall-clock times --------------------------------------------------

SPRING_FORWARD = date(2027, 3, 28)  # Berlin: 02:00 -> 03:00
FALL_BACK = date(2027, 10, 31)  # Berlin: 03:00 -> 02:00


def test_nine_oclock_stays_nine_oclock_across_spring_forward() -> None:
    every_day = DoctorSchedule(1, 30, {d: [Interval(time(9), time(10))] for d in range(7)})
    before = next(day_slots(every_day, SPRING_FORWARD - timedelta(days=1), BERLIN))
    after = next(day_slots(every_day, SPRING_FORWARD + timedelta(days=1), BERLIN))
    assert before.start.isoformat() == "2027-03-27T09:00:00+01:00"
    assert after.start.isoformat() == "2027-03-29T09:00:00+02:00"
    assert after.end - after.start == timedelta(minutes=30)


def test_nonexistent_local_times_are_skipped_and_lengths_stay_real() -> None:
    night = DoctorSchedule(1, 30, {6: [Interval(time(1), time(4))]})
    slots = list(day_slots(night, SPRING_FORWARD, BERLIN))
    assert [s.start.strftime("%H:%M") for s in slots] == ["01:00", "01:30", "03:00", "03:30"]
    assert all(
        s.end.astimezone(UTC) - s.start.astimezone(UTC) == timedelta(minutes=30) for s in slots
    )


def test_fall_back_day_keeps_slots_ordered_and_non_overlapping() -> None:
    night = DoctorSchedule(1, 30, {6: [Interval(time(1), time(4))]})
    slots = list(day_slots(night, FALL_BACK, BERLIN))
    utc = [(s.start.astimezone(UTC), s.end.astimezone(UTC)) for s in slots]
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(utc))


# --- Properties -------------------------------------------------------------------------------

intervals = st.lists(
    st.tuples(st.integers(0, 23 * 4), st.integers(1, 16)).map(
        lambda p: (p[0] * 15, min(p[0] * 15 + p[1] * 15, 24 * 60 - 1))
    ),
    max_size=3,
)


def _to_intervals(raw: list[tuple[int, int]]) -> list[Interval]:
    # Keep only non-overlapping intervals, as the service's validation guarantees.
    result: list[Interval] = []
    last_end = -1
    for start, end in sorted(raw):
        if start >= last_end and start < end:
            result.append(Interval(time(start // 60, start % 60), time(end // 60, end % 60)))
            last_end = end
    return result


@given(
    weekly=st.dictionaries(st.integers(0, 6), intervals, max_size=7),
    slot_minutes=st.sampled_from([10, 15, 20, 30, 45, 60]),
    day_off=st.booleans(),
    booked=st.lists(st.tuples(st.integers(0, 6 * 24 * 4), st.integers(1, 8)), max_size=8),
    zone=st.sampled_from([MOSCOW, BERLIN]),
    first_day=st.sampled_from(
        [MONDAY, SPRING_FORWARD - timedelta(days=3), FALL_BACK - timedelta(days=2)]
    ),
)
def test_free_slots_are_inside_hours_on_grid_and_never_overlap(
    weekly: dict[int, list[tuple[int, int]]],
    slot_minutes: int,
    day_off: bool,
    booked: list[tuple[int, int]],
    zone: ZoneInfo,
    first_day: date,
) -> None:
    exception_day = first_day + timedelta(days=2)
    schedule = DoctorSchedule(
        1,
        slot_minutes,
        {day: _to_intervals(raw) for day, raw in weekly.items()},
        exceptions={exception_day: []} if day_off else {},
    )
    origin = datetime.combine(first_day, time(0), tzinfo=zone).astimezone(UTC)
    busy_raw = sorted(
        (origin + timedelta(minutes=q * 15), origin + timedelta(minutes=q * 15 + n * 15))
        for q, n in booked
    )
    busy: list[tuple[datetime, datetime]] = []
    for start, end in busy_raw:  # bookings never overlap: the database guarantees it
        if not busy or start >= busy[-1][1]:
            busy.append((start, end))

    window_end = origin + timedelta(days=6)
    slots = list(free_slots(schedule, zone, origin, window_end, busy))

    for slot in slots:
        local = slot.start.astimezone(zone)
        fits = local.time(), (local + timedelta(minutes=slot_minutes)).time()
        inside = [
            i
            for i in schedule.intervals_on(local.date())
            if i.start <= fits[0] and fits[1] <= i.end
        ]
        assert inside, "slot outside working hours"
        first = inside[0].start
        offset = (local.hour * 60 + local.minute) - (first.hour * 60 + first.minute)
        assert offset % slot_minutes == 0, "slot off the grid"
        assert not (day_off and local.date() == exception_day)
        assert all(not (slot.start < b_end and b_start < slot.end) for b_start, b_end in busy)
    ordered = sorted(slots, key=lambda s: s.start)
    assert ordered == slots
    assert all(a.end <= b.start for a, b in itertools.pairwise(slots))


def test_a_visit_across_the_spring_jump_does_not_overlap_the_next_slot() -> None:
    # Found by hypothesis: 01:30 + 45 min ends at 03:15 local, past the 03:00 slot.
    night = DoctorSchedule(1, 45, {6: [Interval(time(0, 45), time(3, 45))]})
    slots = list(day_slots(night, SPRING_FORWARD, BERLIN))
    assert [s.start.strftime("%H:%M") for s in slots] == ["00:45", "01:30"]
    assert slots[1].end.strftime("%H:%M") == "03:15"
