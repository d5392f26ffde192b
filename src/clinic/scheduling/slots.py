"""Pure slot arithmetic: working hours + exceptions + closed dates + bookings -> free slots.

No I/O here. Working hours are local wall-clock times, so a 09:00 slot stays at 09:00 on both
sides of a DST change; slots whose wall-clock time does not exist that day are skipped.
"""

from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple
from zoneinfo import ZoneInfo

from clinic.core.timeutils import wall_clock_exists


@dataclass(frozen=True, order=True)
class Interval:
    """A local wall-clock interval within one day, `start` inclusive, `end` exclusive."""

    start: time
    end: time


_START_END = attrgetter("start", "end")


@dataclass(frozen=True)
class Slot:
    doctor_id: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class DoctorSchedule:
    """Everything needed to know when one doctor can be booked.

    `exceptions` replace the weekly hours on their dates; an empty sequence is a day off.
    """

    doctor_id: int
    slot_minutes: int
    weekly: Mapping[int, Sequence[Interval]]  # weekday, Monday = 0
    exceptions: Mapping[date, Sequence[Interval]] = field(default_factory=dict)
    closed_dates: frozenset[date] = frozenset()

    def intervals_on(self, day: date) -> Sequence[Interval]:
        if day in self.closed_dates:
            return ()
        # Sorted by (start, end), the intervals' own order, without a dataclass comparison
        # per pair: this runs for every day a search walks.
        if day in self.exceptions:
            return sorted(self.exceptions[day], key=_START_END)
        return sorted(self.weekly.get(day.weekday(), ()), key=_START_END)


def grid_times(interval: Interval, slot_minutes: int) -> Iterator[time]:
    """Slot start times from the interval start, every `slot_minutes`, each fitting whole."""
    step = timedelta(minutes=slot_minutes)
    # Any ordinary date works as the anchor for wall-clock arithmetic within one day.
    anchor = date(2000, 1, 1)
    current = datetime.combine(anchor, interval.start)
    last_start = datetime.combine(anchor, interval.end) - step
    while current <= last_start:
        yield current.time()
        current += step


def day_slots(schedule: DoctorSchedule, day: date, tz: ZoneInfo) -> Iterator[Slot]:
    """All slots of one local day, booked or not, earliest first."""
    length = timedelta(minutes=schedule.slot_minutes)
    # Only a day whose UTC offset changes can have wall-clock times that do not exist;
    # checking the offset once spares the zone conversions per slot on all other days.
    changes = _offset_changes(day, tz)
    previous_end: datetime | None = None
    for interval in schedule.intervals_on(day):
        for at in grid_times(interval, schedule.slot_minutes):
            if changes and not wall_clock_exists(day, at, tz):
                continue
            start = datetime.combine(day, at, tzinfo=tz)
            if not changes:
                # Wall-clock arithmetic is exact on a day without a DST change (a slot never
                # runs past midnight: it fits in an interval of one day).
                yield Slot(schedule.doctor_id, start, start + length)
                continue
            # Add in UTC so a slot spanning a DST jump keeps its real length.
            end = (start.astimezone(UTC) + length).astimezone(tz)
            # A visit running across the jump can outlast the next wall-clock slot
            # (01:30 + 45 min ends at 03:15, after the clocks went to 03:00): skip that one.
            if previous_end is not None and start.astimezone(UTC) < previous_end:
                continue
            previous_end = end.astimezone(UTC)
            yield Slot(schedule.doctor_id, start, end)


@lru_cache(maxsize=4096)
def _offset_changes(day: date, tz: ZoneInfo) -> bool:
    # Cached: every search asks it for each day it walks (a 409's gap search for each night
    # between fully booked days), and a zone's rules do not change while the process runs.
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start.utcoffset() != end.utcoffset()


def slot_at(schedule: DoctorSchedule, start: datetime, tz: ZoneInfo) -> Slot | None:
    """The doctor's slot starting exactly at `start`, or None when it is off the grid."""
    local = start.astimezone(tz)
    day = local.date()
    if _offset_changes(day, tz):
        # Compare instants, not wall clocks: on a fall-back night one wall time happens twice.
        instant = start.astimezone(UTC)
        return next(
            (s for s in day_slots(schedule, day, tz) if s.start.astimezone(UTC) == instant), None
        )
    # Any other day: every wall-clock time exists once, so the grid is plain arithmetic (the
    # booking path checks one start; generating the whole day to find it cost more).
    step = timedelta(minutes=schedule.slot_minutes)
    wished = datetime.combine(day, local.time())
    for interval in schedule.intervals_on(day):
        first = datetime.combine(day, interval.start)
        if first <= wished and wished + step <= datetime.combine(day, interval.end):
            if (wished - first) % step == timedelta(0):
                slot_start = datetime.combine(day, wished.time(), tzinfo=tz)
                return Slot(schedule.doctor_id, slot_start, slot_start + step)
    return None


def free_slots(
    schedule: DoctorSchedule,
    tz: ZoneInfo,
    window_start: datetime,
    window_end: datetime,
    busy: Sequence[tuple[datetime, datetime]],
    time_from: time | None = None,
    time_to: time | None = None,
) -> Iterator[Slot]:
    """Free slots starting in [window_start, window_end], earliest first.

    `busy` holds the doctor's active bookings sorted by start; a slot is free when it overlaps
    none of them. `time_from`/`time_to` bound the local start time, both inclusive, so an exact
    wished time is `time_from == time_to`.
    """
    bounds = _Bounds(window_start, window_end, time_from, time_to)
    in_utc = _InUtc.of(window_start, window_end, busy)
    busy_starts: list[datetime] | None = None  # aware, for a day whose offset changes
    day = window_start.astimezone(tz).date()
    last_day = window_end.astimezone(tz).date()
    while day <= last_day:
        offset = _steady_offset(day, tz)
        if offset is not None:
            yield from _free_on_plain_day(schedule, day, tz, offset, bounds, in_utc)
        else:
            if busy_starts is None:
                busy_starts = [b[0] for b in busy]
            yield from _free_on_change_day(schedule, day, tz, bounds, busy, busy_starts)
        day += timedelta(days=1)


@lru_cache(maxsize=4096)
def _steady_offset(day: date, tz: ZoneInfo) -> timedelta | None:
    """The day's one UTC offset, or None on a day whose offset changes (cached as
    `_offset_changes`)."""
    if _offset_changes(day, tz):
        return None
    return datetime.combine(day, time(0), tzinfo=tz).utcoffset()


# The walk's own records are named tuples: made for every doctor of every search, and a
# frozen dataclass sets each field through object.__setattr__.
class _Bounds(NamedTuple):
    """Where a slot may start: inside the window, and within the local times of day."""

    window_start: datetime
    window_end: datetime
    time_from: time | None
    time_to: time | None

    def allow(self, start: datetime) -> bool:
        local_time = start.timetz().replace(tzinfo=None)
        return (
            self.window_start <= start <= self.window_end
            and (self.time_from is None or local_time >= self.time_from)
            and (self.time_to is None or local_time <= self.time_to)
        )


class _InUtc(NamedTuple):
    """The window and the bookings in UTC, for the walk on ordinary days. Aware datetimes
    with one and the same tzinfo compare and subtract as plain numbers; of two zones (the
    slot's and the database's UTC) each comparison calls utcoffset() on both sides, and the
    walk compares at every step. Values already in UTC, as the database returns them, are
    kept as they are."""

    window_start: datetime
    window_end: datetime
    busy_starts: list[datetime]
    busy_ends: list[datetime]

    @classmethod
    def of(
        cls, start: datetime, end: datetime, busy: Sequence[tuple[datetime, datetime]]
    ) -> "_InUtc":
        return cls(
            start.astimezone(UTC),
            end.astimezone(UTC),
            [b[0].astimezone(UTC) for b in busy],
            [b[1].astimezone(UTC) for b in busy],
        )


def _free_on_plain_day(
    schedule: DoctorSchedule,
    day: date,
    tz: ZoneInfo,
    offset: timedelta,
    bounds: _Bounds,
    in_utc: _InUtc,
) -> Iterator[Slot]:
    """A day without a DST change: the grid is arithmetic, so the walk starts at the window
    and jumps over each booking instead of visiting every slot it covers (a fully booked
    week costs one step per booking, not per slot). All day long the wall clock is UTC plus
    `offset`, so the walk steps through the grid's instants in UTC."""
    step = timedelta(minutes=schedule.slot_minutes)

    def instant(at: time) -> datetime:
        """The UTC instant of this day's wall-clock time `at`."""
        return datetime.combine(day, at, tzinfo=UTC) - offset

    lowest, highest = in_utc.window_start, in_utc.window_end
    if bounds.time_from is not None:
        lowest = max(lowest, instant(bounds.time_from))
    if bounds.time_to is not None:
        highest = min(highest, instant(bounds.time_to))
    busy_starts, busy_ends = in_utc.busy_starts, in_utc.busy_ends
    doctor_id = schedule.doctor_id
    for interval in schedule.intervals_on(day):
        first = instant(interval.start)
        last = min(instant(interval.end) - step, highest)
        current = _grid_at_or_after(first, lowest, step)
        while current <= last:
            end = current + step
            index = bisect_left(busy_starts, end)
            if index > 0 and busy_ends[index - 1] > current:
                # Taken: the next candidate is the first grid time at or after its end.
                current = _grid_at_or_after(first, busy_ends[index - 1], step)
                continue
            start = current.astimezone(tz)
            yield Slot(doctor_id, start, start + step)
            current = end


def _grid_at_or_after(first: datetime, moment: datetime, step: timedelta) -> datetime:
    """The first time of the grid `first + k * step` (k >= 0) that is not before `moment`."""
    if moment <= first:
        return first
    return first - (first - moment) // step * step


def _free_on_change_day(
    schedule: DoctorSchedule,
    day: date,
    tz: ZoneInfo,
    bounds: _Bounds,
    busy: Sequence[tuple[datetime, datetime]],
    busy_starts: Sequence[datetime],
) -> Iterator[Slot]:
    """A day whose UTC offset changes: every slot of the day, checked one by one."""
    for slot in day_slots(schedule, day, tz):
        if bounds.allow(slot.start) and not _overlaps_any(slot, busy, busy_starts):
            yield slot


def _overlaps_any(
    slot: Slot, busy: Sequence[tuple[datetime, datetime]], busy_starts: Sequence[datetime]
) -> bool:
    # Bookings starting at or after the slot end cannot overlap; of those starting earlier,
    # only ones ending after the slot start do. Bookings never overlap each other, so checking
    # the last one starting before the slot end is enough.
    index = bisect_left(busy_starts, slot.end)
    return index > 0 and busy[index - 1][1] > slot.start
