"""The alternatives a 409 offers: the nearest free slots of the doctor and of their colleagues.

A refused booking usually lands on fully booked days, and the nearest free slot may be days
away. Reading those days' bookings whole and walking them in Python cost the 409 more than
the booking it refused. Here the database walks each doctor's bookings from the wished time
in order and returns only the gaps between them (`lead`-style: each booking's start against
the latest end before it), stopping after the first few gaps long enough for one visit
that meet the doctor's hours; Python then lays the working-hours grid over those gaps. A
fully booked day costs no row of the answer (its night is left in the database), though
the database still reads its bookings: the cost follows the fully booked days ahead.

Both groups come from one round trip: the specialty's active doctors, their hours,
exceptions and closed dates up to the booking horizon, and each one's first gaps.
"""

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain, islice
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Date,
    Integer,
    String,
    and_,
    bindparam,
    cast,
    exists,
    extract,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.types import DateTime
from sqlalchemy.types import Interval as IntervalType

from clinic.appointments.models import ACTIVE, Appointment
from clinic.availability.repository import (
    _DOCTORS_OF_SPECIALTY,
    MAX_SLOT,
    DoctorInfo,
    _row,
    read_schedules,
    schedule_rows,
)
from clinic.core.driver import DriverStatement, Executor, fetch
from clinic.doctors.models import ScheduleException, WorkingHours
from clinic.holds.models import Hold
from clinic.scheduling.slots import DoctorSchedule, Slot, free_slots

# Gaps read per doctor at first, counting only those that may hold a slot (a freed slot, the
# free rest of a day; not nights or lunch breaks). When a doctor's gaps run out before the
# answer is certain, the read is repeated with the next, larger count; the last is unbounded.
GAP_COUNTS = (16, 256, None)

_START = bindparam("start", type_=DateTime(timezone=True))
_SINCE = bindparam("since", type_=DateTime(timezone=True))
_UNTIL = bindparam("until", type_=DateTime(timezone=True))
_GAPS = bindparam("gaps", type_=Integer)
_TZ = bindparam("tz", type_=String)


def _statement() -> CompoundSelect[Any]:
    chosen = _DOCTORS_OF_SPECIALTY.cte("chosen")
    ids = select(chosen.c.id).scalar_subquery()
    key = tuple_(Appointment.doctor_id, Appointment.start_time)
    # Everything that takes a doctor's time from the wished moment on, in start order: active
    # bookings (by the (doctor_id, start_time) index, compared as rows as in the slot search),
    # active holds, and a stop at the end of the search so the last gap has an end.
    taken = union_all(
        select(Appointment.start_time, Appointment.end_time)
        .where(
            ACTIVE,  # spelled as in the partial index, so the planner can use it
            key >= tuple_(chosen.c.id, _SINCE),
            key < tuple_(chosen.c.id, _UNTIL),
            Appointment.end_time > _START,
        )
        .correlate(chosen),
        select(Hold.start_time, Hold.end_time)
        .where(
            Hold.doctor_id == chosen.c.id,
            Hold.expires_at > func.statement_timestamp(),
            Hold.start_time >= _SINCE,
            Hold.start_time < _UNTIL,
            Hold.end_time > _START,
        )
        .correlate(chosen),
        select(_UNTIL.label("start_time"), _UNTIL.label("end_time")),
    ).subquery("taken")
    # Before each taken stretch: from the latest end before it (or the search start) to its
    # start. Overlapping holds and bookings make a negative gap, dropped below; so do ties
    # (a hold and a booking starting together), whichever comes first.
    before = func.max(taken.c.end_time).over(order_by=taken.c.start_time, rows=(None, -1))
    gaps = select(
        func.greatest(_START, before).label("gap_from"),
        taken.c.start_time.label("gap_to"),
    ).subquery("gaps")
    length = cast(chosen.c.slot_minutes, Integer) * literal(timedelta(minutes=1), IntervalType)
    usable = (
        select(gaps.c.gap_from, gaps.c.gap_to)
        .where(gaps.c.gap_to - gaps.c.gap_from >= length, _may_hold_a_slot(chosen, gaps))
        # The window's own order (no second sort). The bookings under it are sorted whole: the
        # (doctor_id, start_time) range is not known to come in start_time order, and ordering
        # the window by (doctor_id, start_time) did not buy a streaming plan either.
        .order_by(gaps.c.gap_to)
        .limit(_GAPS)
        .correlate(chosen)
        .lateral("usable")
    )
    return union_all(
        *schedule_rows(chosen, ids),
        select(
            *_row("gap", doctor_id=chosen.c.id, from_at=usable.c.gap_from, to_at=usable.c.gap_to)
        ).select_from(chosen.join(usable, true())),
    )


def _may_hold_a_slot(chosen: Any, gaps: Any) -> ColumnElement[bool]:
    """Whether a gap may hold a slot: never false for one that does. A gap shorter than a day
    is kept only when it meets the doctor's weekly hours on its first or last local day, or
    either day has an exception or a change of UTC offset (there the hours are checked in
    Python alone). So the nights between fully booked days do not use up the gaps read."""
    gap_from, gap_to = gaps.c.gap_from, gaps.c.gap_to
    days = [cast(func.timezone(_TZ, gap_from), Date), cast(func.timezone(_TZ, gap_to), Date)]

    def at(day: ColumnElement[Any], clock: Any) -> ColumnElement[Any]:
        return func.timezone(_TZ, cast(day, DateTime) + cast(clock, IntervalType))

    def offset_changes(day: ColumnElement[Any]) -> ColumnElement[bool]:
        midnight = cast(day, DateTime)
        next_midnight = midnight + literal(timedelta(days=1), IntervalType)
        return func.timezone(_TZ, next_midnight) - func.timezone(_TZ, midnight) != literal(
            timedelta(days=1), IntervalType
        )

    meets_hours = exists().where(
        WorkingHours.doctor_id == chosen.c.id,
        or_(
            *(
                and_(
                    WorkingHours.weekday == cast(extract("isodow", day), Integer) - 1,
                    at(day, WorkingHours.end_time) > gap_from,
                    at(day, WorkingHours.start_time) < gap_to,
                )
                for day in days
            )
        ),
    )
    excepted = exists().where(
        ScheduleException.doctor_id == chosen.c.id,
        ScheduleException.on_date.between(days[0], days[1]),
    )
    return or_(
        gap_to - gap_from >= literal(timedelta(days=1), IntervalType),
        meets_hours,
        excepted,
        *(offset_changes(day) for day in days),
    )


_ALTERNATIVES = DriverStatement.compile(_statement())


@dataclass(frozen=True)
class _Gaps:
    """One doctor's schedule and first usable gaps; `known_until` is where the gaps read stop
    telling the whole story (None: they reach the end of the search)."""

    doctor: DoctorInfo
    schedule: DoctorSchedule
    gaps: list[tuple[datetime, datetime]]
    known_until: datetime | None

    def free(self, tz: ZoneInfo, end: datetime) -> Iterator[Slot]:
        """The doctor's free slots in the gaps, starting by `end`, earliest first, lazily."""
        return chain.from_iterable(
            # The booking at the gap's end is the one thing a slot in the gap may overlap.
            free_slots(self.schedule, tz, gap_from, min(gap_to, end), [(gap_to, gap_to + MAX_SLOT)])
            for gap_from, gap_to in self.gaps
            if gap_from <= end
        )


async def _load(
    session: Executor,
    specialty_code: str,
    tz: ZoneInfo,
    start: datetime,
    end: datetime,
    gap_count: int | None,
) -> list[_Gaps]:
    until = end + MAX_SLOT
    parameters = {
        "code": specialty_code,
        "first_day": start.astimezone(tz).date(),
        "last_day": end.astimezone(tz).date(),
        "start": start,
        "since": start - MAX_SLOT,
        "until": until,
        "gaps": gap_count,
        "tz": tz.key,
    }
    rows = await fetch(session, _ALTERNATIVES, parameters, begin=False)
    doctors, schedules, gaps = read_schedules(rows, "gap")
    found = []
    for doctor in doctors:
        mine = gaps.get(doctor.id, [])
        # Fewer gaps than asked for: they reach the stop at `until`, the whole story.
        cut = gap_count is not None and len(mine) >= gap_count and mine[-1][1] < until
        found.append(_Gaps(doctor, schedules[doctor.id], mine, mine[-1][1] if cut else None))
    return found


def _first(slots: Iterator[Slot], count: int, known_until: datetime | None) -> list[Slot] | None:
    """The first `count` slots, or None when the gaps read may have missed some of them:
    a slot starting at or after `known_until` may come after gaps not read."""
    taken = list(islice(slots, count))
    if known_until is not None and (
        len(taken) < count or any(s.start >= known_until for s in taken)
    ):
        return None
    return taken


def _pick(
    found: Sequence[_Gaps], doctor_id: int, tz: ZoneInfo, end: datetime, per_group: int
) -> tuple[list[Slot], list[Slot]] | None:
    """Both groups from the gaps read, or None when they cannot be certain yet."""
    same: list[Slot] = []
    for gaps in found:
        if gaps.doctor.id == doctor_id:
            picked = _first(gaps.free(tz, end), per_group, gaps.known_until)
            if picked is None:
                return None
            same = picked
    others = [g for g in found if g.doctor.id != doctor_id]
    limits = [g.known_until for g in others if g.known_until is not None]
    merged = heapq.merge(*(g.free(tz, end) for g in others), key=lambda s: (s.start, s.doctor_id))
    colleagues = _first(merged, per_group, min(limits) if limits else None)
    if colleagues is None:
        return None
    return same, colleagues


@dataclass(frozen=True)
class Alternatives:
    same: list[tuple[DoctorInfo, Slot]]
    colleagues: list[tuple[DoctorInfo, Slot]]


async def nearest(
    session: Executor,
    tz: ZoneInfo,
    doctor: DoctorInfo,
    start: datetime,
    end: datetime,
    per_group: int,
) -> Alternatives:
    """Up to `per_group` free slots of `doctor` (when active) starting in [start, end], then
    up to `per_group` of the other active doctors of their specialty, earliest first (ties by
    doctor id): the same answer as merging every doctor's free slots, read as gaps."""
    for gap_count in GAP_COUNTS:
        found = await _load(session, doctor.specialty_code, tz, start, end, gap_count)
        picked = _pick(found, doctor.id, tz, end, per_group)
        if picked is not None:
            names = {g.doctor.id: g.doctor for g in found}
            same, colleagues = picked
            return Alternatives(
                [(doctor, s) for s in same], [(names[s.doctor_id], s) for s in colleagues]
            )
    raise AssertionError("an unbounded read of the gaps always answers")
