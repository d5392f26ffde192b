"""The alternatives a 409 offers: the nearest free slots of the doctor and of their colleagues.

A refused booking usually lands on fully booked days, and the nearest free slot may be days
away. Reading those days' bookings whole and walking them in Python cost the 409 more than
the booking it refused. Here the database walks each doctor's bookings from the wished time
in order and returns only the gaps between them (`lead`-style: each booking's start against
the latest end before it), stopping after the first few gaps long enough for one visit
that meet the doctor's hours; Python then lays the working-hours grid over those gaps and
takes out the live holds. A fully booked day costs no row of the answer (its night is left
in the database), though the database still reads its bookings. So on the hot lane each
doctor's search starts past the stretch found booked solid by an earlier search
(`clinic.availability.booked_through`), while nothing has given time back since: then the
cost follows the free time read, not the booked days ahead.

Both groups come from one round trip: the specialty's active doctors, their hours,
exceptions and closed dates up to the booking horizon, live holds, and each one's first gaps.
"""

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain, islice
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CompoundSelect,
    Date,
    Integer,
    String,
    and_,
    bindparam,
    case,
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
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import DateTime
from sqlalchemy.types import Interval as IntervalType

from clinic.appointments.models import ACTIVE, Appointment, FreedVersion
from clinic.availability.booked_through import BookedThrough, Skip
from clinic.availability.repository import (
    _DOCTORS_OF_SPECIALTY,
    MAX_SLOT,
    SCHEDULE_VERSION,
    DoctorInfo,
    _row,
    read_schedules,
    schedule_rows,
)
from clinic.core.driver import DriverStatement, Executor, fetch
from clinic.doctors.models import ScheduleException, ScheduleVersion, WorkingHours
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
_SKIP_DOCTORS = bindparam("skip_doctors", type_=ARRAY(Integer))
_SKIP_TO = bindparam("skip_to", type_=ARRAY(DateTime(timezone=True)))
_SKIP_FREED = bindparam("skip_freed", type_=ARRAY(BigInteger))
_SKIP_SCHEDULE = bindparam("skip_schedule", type_=ARRAY(BigInteger))


def _searched(chosen: Any) -> Any:
    """Each chosen doctor with where their search starts: past a stretch found booked solid
    before (`clinic.availability.booked_through`, bound as arrays) while the doctor's freed
    version and the schedule version are still the ones it was found at, else at `start`;
    with the freed version now, for the next finding."""
    skip = (
        func.unnest(_SKIP_DOCTORS, _SKIP_TO, _SKIP_FREED, _SKIP_SCHEDULE)
        .table_valued("doctor_id", "to_at", "freed", "schedule")
        .render_derived(name="skip")
    )
    freed = func.coalesce(
        select(FreedVersion.version)
        .where(FreedVersion.doctor_id == chosen.c.id)
        .correlate(chosen)
        .scalar_subquery(),
        0,
    )
    doctors = select(chosen.c.id, chosen.c.slot_minutes, freed.label("freed_version")).subquery()
    still_true = and_(
        skip.c.freed == doctors.c.freed_version,
        skip.c.schedule == select(ScheduleVersion.version).scalar_subquery(),
    )
    return (
        select(
            doctors.c.id,
            doctors.c.slot_minutes,
            doctors.c.freed_version,
            case((still_true, func.greatest(_START, skip.c.to_at)), else_=_START).label("from_at"),
        )
        .select_from(doctors.outerjoin(skip, skip.c.doctor_id == doctors.c.id))
        .cte("searched")
    )


def _statement() -> CompoundSelect[Any]:
    chosen = _DOCTORS_OF_SPECIALTY.cte("chosen")
    ids = select(chosen.c.id).scalar_subquery()
    searched = _searched(chosen)
    key = tuple_(Appointment.doctor_id, Appointment.start_time)
    # Everything booked of a doctor's time from where their search starts, in start order:
    # active bookings (by the (doctor_id, start_time) index, compared as rows as in the slot
    # search), and a stop at the end of the search so the last gap has an end. Holds come as
    # rows of their own: a gap between bookings is what a finding of `booked_through` is
    # made of, and holds lapse unannounced.
    since = searched.c.from_at - literal(MAX_SLOT, IntervalType)
    taken = union_all(
        select(Appointment.start_time, Appointment.end_time)
        .where(
            ACTIVE,  # spelled as in the partial index, so the planner can use it
            key >= tuple_(searched.c.id, since),
            key < tuple_(searched.c.id, _UNTIL),
            Appointment.end_time > searched.c.from_at,
        )
        .correlate(searched),
        select(_UNTIL.label("start_time"), _UNTIL.label("end_time")),
    ).subquery("taken")
    # Before each booking: from the latest end before it (or the search start) to its start.
    before = func.max(taken.c.end_time).over(order_by=taken.c.start_time, rows=(None, -1))
    gaps = (
        select(
            func.greatest(searched.c.from_at, before).label("gap_from"),
            taken.c.start_time.label("gap_to"),
        )
        .correlate(searched)
        .subquery("gaps")
    )
    length = cast(searched.c.slot_minutes, Integer) * literal(timedelta(minutes=1), IntervalType)
    usable = (
        select(gaps.c.gap_from, gaps.c.gap_to)
        .where(gaps.c.gap_to - gaps.c.gap_from >= length, _may_hold_a_slot(searched, gaps))
        # The window's own order (no second sort). The bookings under it are sorted whole: the
        # (doctor_id, start_time) range is not known to come in start_time order, and ordering
        # the window by (doctor_id, start_time) did not buy a streaming plan either.
        .order_by(gaps.c.gap_to)
        .limit(_GAPS)
        .correlate(searched)
        .lateral("usable")
    )
    return union_all(
        *schedule_rows(chosen, ids),
        # As text, as the schedule version: a bigint.
        select(
            *_row("freed", doctor_id=searched.c.id, name=cast(searched.c.freed_version, String))
        ),
        SCHEDULE_VERSION,
        select(
            *_row("hold", doctor_id=Hold.doctor_id, from_at=Hold.start_time, to_at=Hold.end_time)
        ).where(
            Hold.doctor_id.in_(ids),
            Hold.expires_at > func.statement_timestamp(),
            Hold.start_time >= _SINCE,
            Hold.start_time < _UNTIL,
            Hold.end_time > _START,
        ),
        select(
            *_row("gap", doctor_id=searched.c.id, from_at=usable.c.gap_from, to_at=usable.c.gap_to)
        ).select_from(searched.join(usable, true())),
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

    meets_hours = (
        exists()
        .where(
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
        .correlate(chosen, gaps)
    )
    excepted = (
        exists()
        .where(
            ScheduleException.doctor_id == chosen.c.id,
            ScheduleException.on_date.between(days[0], days[1]),
        )
        .correlate(chosen, gaps)
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
    """One doctor's schedule, first usable gaps between bookings (from where their search
    started: past a stretch known booked solid, or at the wished time) and live holds;
    `known_until` is where the gaps read stop telling the whole story (None: they reach the
    end of the search); the doctor's freed version at the read."""

    doctor: DoctorInfo
    schedule: DoctorSchedule
    gaps: list[tuple[datetime, datetime]]
    known_until: datetime | None
    holds: list[tuple[datetime, datetime]]  # sorted, disjoint
    freed_version: int

    def free(self, tz: ZoneInfo, end: datetime, *, holds: bool = True) -> Iterator[Slot]:
        """The doctor's free slots in the gaps, starting by `end`, earliest first, lazily;
        with `holds=False`, free of bookings only (what `booked_through` keeps)."""
        return chain.from_iterable(
            free_slots(
                self.schedule, tz, gap_from, min(gap_to, end), self._taken(gap_from, gap_to, holds)
            )
            for gap_from, gap_to in self.gaps
            if gap_from <= end
        )

    def _taken(
        self, gap_from: datetime, gap_to: datetime, holds: bool
    ) -> list[tuple[datetime, datetime]]:
        # The booking at the gap's end, and the holds inside it, are all a slot in the gap
        # may overlap.
        after = (gap_to, gap_to + MAX_SLOT)
        if not holds or not self.holds:
            return [after]
        inside = [h for h in self.holds if h[1] > gap_from and h[0] < gap_to]
        return _disjoint([*inside, after])

    def first_free_of_bookings(self, tz: ZoneInfo, end: datetime) -> Slot | None:
        """The first slot free of bookings, when the gaps read make it certain."""
        slot = next(self.free(tz, end, holds=False), None)
        if slot is None or (self.known_until is not None and slot.start >= self.known_until):
            return None
        return slot


def _disjoint(stretches: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Sorted, with overlapping stretches joined (a hold may overlap another)."""
    joined: list[tuple[datetime, datetime]] = []
    for start, end in sorted(stretches):
        if joined and start < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


@dataclass(frozen=True)
class _Found:
    doctors: list[_Gaps]
    schedule_version: int | None


async def _load(
    session: Executor,
    specialty_code: str,
    tz: ZoneInfo,
    start: datetime,
    end: datetime,
    gap_count: int | None,
    skips: Sequence[Skip],
) -> _Found:
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
        "skip_doctors": [s.doctor_id for s in skips],
        "skip_to": [s.to for s in skips],
        "skip_freed": [s.freed_version for s in skips],
        "skip_schedule": [s.schedule_version for s in skips],
    }
    rows = await fetch(session, _ALTERNATIVES, parameters, begin=False)
    freed: dict[int, int] = {}
    holds: dict[int, list[tuple[datetime, datetime]]] = {}
    schedule_version = None
    for row in rows:  # the rows of this search's own kinds; read_schedules skips them
        kind = row["kind"]
        if kind == "freed":
            freed[row["doctor_id"]] = int(row["name"])
        elif kind == "hold":
            holds.setdefault(row["doctor_id"], []).append((row["from_at"], row["to_at"]))
        elif kind == "version":
            schedule_version = int(row["name"])
    doctors, schedules, gaps = read_schedules(rows, "gap")
    found = []
    for doctor in doctors:
        mine = gaps.get(doctor.id, [])
        # Fewer gaps than asked for: they reach the stop at `until`, the whole story.
        cut = gap_count is not None and len(mine) >= gap_count and mine[-1][1] < until
        found.append(
            _Gaps(
                doctor,
                schedules[doctor.id],
                mine,
                mine[-1][1] if cut else None,
                _disjoint(holds.get(doctor.id, [])),
                freed[doctor.id],
            )
        )
    return _Found(found, schedule_version)


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


def _learn(
    booked_through: BookedThrough,
    found: _Found,
    tz: ZoneInfo,
    start: datetime,
    end: datetime,
    now: datetime,
) -> None:
    """Keep, for each doctor, that no slot from `start` to their first slot free of bookings
    is free: the stretch skipped (checked current by the statement) and the one read."""
    if found.schedule_version is None:
        return
    for gaps in found.doctors:
        first = gaps.first_free_of_bookings(tz, end)
        if first is not None:
            versions = (found.schedule_version, gaps.freed_version)
            doctor = gaps.doctor
            booked_through.learn(
                doctor.id, doctor.specialty_code, versions, start, first.start, now
            )


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
    *,
    now: datetime,
    booked_through: BookedThrough | None = None,
) -> Alternatives:
    """Up to `per_group` free slots of `doctor` (when active) starting in [start, end], then
    up to `per_group` of the other active doctors of their specialty, earliest first (ties by
    doctor id): the same answer as merging every doctor's free slots, read as gaps.

    With `booked_through` (reads of committed data only), the search of each doctor starts
    past a stretch found booked solid before, and what it reads adds to those findings."""
    skips = [] if booked_through is None else booked_through.skips(doctor.specialty_code, start)
    for gap_count in GAP_COUNTS:
        found = await _load(session, doctor.specialty_code, tz, start, end, gap_count, skips)
        picked = _pick(found.doctors, doctor.id, tz, end, per_group)
        if picked is not None:
            if booked_through is not None:
                _learn(booked_through, found, tz, start, end, now)
            names = {g.doctor.id: g.doctor for g in found.doctors}
            same, colleagues = picked
            return Alternatives(
                [(doctor, s) for s in same], [(names[s.doctor_id], s) for s in colleagues]
            )
    raise AssertionError("an unbounded read of the gaps always answers")
