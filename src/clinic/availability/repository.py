"""Queries behind the free-slot search: Core, index-driven, never one query per slot."""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    Boolean,
    ColumnElement,
    CompoundSelect,
    Date,
    DateTime,
    Integer,
    Select,
    String,
    Time,
    and_,
    any_,
    bindparam,
    cast,
    exists,
    func,
    literal,
    null,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeEngine

from clinic.appointments.models import ACTIVE, Appointment
from clinic.core.driver import DriverStatement, Executor, fetch
from clinic.doctors.models import (
    ClosedDate,
    Doctor,
    ScheduleException,
    ScheduleVersion,
    Specialty,
    WorkingHours,
)
from clinic.holds.models import Hold
from clinic.scheduling.slots import DoctorSchedule, Interval

# Appointments are at most this long (the doctor.slot_minutes check), which bounds how far
# before a window a booking overlapping it can start, so the busy query stays on the index.
MAX_SLOT = timedelta(minutes=240)


@dataclass(frozen=True)
class DoctorInfo:
    id: int
    full_name: str
    slot_minutes: int
    is_active: bool
    specialty_code: str


# The statements are built once: constructing SQLAlchemy expressions costs more Python time
# per request than running them, and these run on every slot search and every booking.
_DOCTORS = (
    select(
        Doctor.id,
        Doctor.full_name,
        Doctor.slot_minutes,
        Doctor.is_active,
        Specialty.code.label("specialty_code"),
    )
    .join(Specialty, Specialty.id == Doctor.specialty_id)
    .order_by(Doctor.id)
)
_DOCTORS_OF_SPECIALTY = _DOCTORS.where(Specialty.code == bindparam("code"), Doctor.is_active)
_DOCTOR_BY_ID = _DOCTORS.where(Doctor.id == bindparam("doctor_id"))
_DOCTORS_BY_IDS = _DOCTORS.where(
    Doctor.id == any_(bindparam("doctor_ids", type_=ARRAY(Integer))), Doctor.is_active
)

_IDS: BindParameter[Any] = bindparam("ids", expanding=True)
_FIRST, _LAST = bindparam("first_day", type_=Date), bindparam("last_day", type_=Date)
_SCHEDULES: CompoundSelect[Any] = union_all(
    select(
        literal("weekly").label("kind"),
        WorkingHours.doctor_id,
        WorkingHours.weekday,
        null().label("on_date"),
        WorkingHours.start_time,
        WorkingHours.end_time,
    ).where(WorkingHours.doctor_id.in_(_IDS)),
    select(
        literal("exception"),
        ScheduleException.doctor_id,
        null(),
        ScheduleException.on_date,
        ScheduleException.start_time,
        ScheduleException.end_time,
    ).where(
        ScheduleException.doctor_id.in_(_IDS), ScheduleException.on_date.between(_FIRST, _LAST)
    ),
    select(literal("closed"), null(), null(), ClosedDate.on_date, null(), null()).where(
        ClosedDate.on_date.between(_FIRST, _LAST)
    ),
)

_START = bindparam("start", type_=DateTime(timezone=True))
_SINCE = bindparam("since", type_=DateTime(timezone=True))
_UNTIL = bindparam("until", type_=DateTime(timezone=True))


def _busy_in_window(doctors: ColumnElement[bool]) -> ColumnElement[bool]:
    """Active bookings of the doctors that may overlap a slot starting in [start, end]
    (bind since = start - MAX_SLOT, until = end + MAX_SLOT): one index range per doctor."""
    return and_(
        doctors,
        ACTIVE,  # spelled as in the partial index, so the planner can use it
        and_(Appointment.start_time >= _SINCE, Appointment.start_time < _UNTIL),
        Appointment.end_time > _START,
    )


def _busy_of_doctor(doctor: ColumnElement[int]) -> ColumnElement[bool]:
    """`_busy_in_window` for one doctor, written so that only the (doctor_id, start_time)
    index can serve the range: the window's bounds compared as (doctor_id, start_time) rows.
    With plain bounds on start_time, the generic plan over a million past appointments chose
    the start_time index (its rows lie in time order, so it looked cheap) and read every
    doctor's bookings in the window, once per doctor: 1 ms each instead of 0.01. (With an
    equality on doctor_id beside the rows, the scan starts at the doctor's first booking ever;
    the generic plan over-estimates these ranges: JIT off and generic plans forced on the
    hot routes' connections, clinic.core.database.)"""
    key = tuple_(Appointment.doctor_id, Appointment.start_time)
    return and_(
        ACTIVE,  # spelled as in the partial index, so the planner can use it
        key >= tuple_(doctor, _SINCE),
        key < tuple_(doctor, _UNTIL),
        Appointment.end_time > _START,
    )


def _held_in_window(doctors: ColumnElement[bool]) -> ColumnElement[bool]:
    """Active holds of the doctors that may overlap a slot starting in [start, end], bound as
    for `_busy_in_window`: a held slot is taken for everyone else until the hold expires."""
    return and_(
        doctors,
        Hold.expires_at > func.statement_timestamp(),
        and_(Hold.start_time >= _SINCE, Hold.start_time < _UNTIL),
        Hold.end_time > _START,
    )


_taken = union_all(
    select(Appointment.doctor_id, Appointment.start_time, Appointment.end_time).where(
        _busy_in_window(Appointment.doctor_id.in_(_IDS))
    ),
    select(Hold.doctor_id, Hold.start_time, Hold.end_time).where(
        _held_in_window(Hold.doctor_id.in_(_IDS))
    ),
).subquery("taken")
_BUSY = select(_taken).order_by(_taken.c.doctor_id, _taken.c.start_time)


@dataclass(frozen=True)
class Visit:
    """An active appointment as the staff's day board shows it."""

    id: int
    doctor_id: int
    patient_name: str
    status: str
    start_time: datetime
    end_time: datetime
    confirmed_at: datetime | None = None  # the patient confirmed they will come


async def load_doctors(
    session: AsyncSession, *, specialty_code: str | None = None, doctor_id: int | None = None
) -> list[DoctorInfo]:
    """One doctor by id, the active doctors of a specialty, or (neither given) every doctor."""
    if doctor_id is not None:
        result = await session.execute(_DOCTOR_BY_ID, {"doctor_id": doctor_id})
    elif specialty_code is not None:
        result = await session.execute(_DOCTORS_OF_SPECIALTY, {"code": specialty_code})
    else:
        result = await session.execute(_DOCTORS)
    return [DoctorInfo(**row._mapping) for row in result]


async def load_schedules(
    session: AsyncSession, doctors: Sequence[DoctorInfo], first_day: date, last_day: date
) -> dict[int, DoctorSchedule]:
    """Weekly hours, exceptions and closed dates of the doctors for the days, in one round trip."""
    weekly_hours: dict[int, dict[int, list[Interval]]] = defaultdict(lambda: defaultdict(list))
    exception_hours: dict[int, dict[date, list[Interval]]] = defaultdict(lambda: defaultdict(list))
    closed_dates: set[date] = set()
    parameters = {"ids": [d.id for d in doctors], "first_day": first_day, "last_day": last_day}
    rows = (await session.execute(_SCHEDULES, parameters)).mappings()
    for row in rows:
        if row["kind"] == "weekly":
            weekly_hours[row["doctor_id"]][row["weekday"]].append(
                Interval(row["start_time"], row["end_time"])
            )
        elif row["kind"] == "exception":
            hours = exception_hours[row["doctor_id"]][row["on_date"]]  # a day off stays empty
            if row["start_time"] is not None:
                hours.append(Interval(row["start_time"], row["end_time"]))
        else:
            closed_dates.add(row["on_date"])
    frozen_closed = frozenset(closed_dates)
    return {
        d.id: DoctorSchedule(
            doctor_id=d.id,
            slot_minutes=d.slot_minutes,
            weekly=dict(weekly_hours[d.id]),
            exceptions=dict(exception_hours[d.id]),
            closed_dates=frozen_closed,
        )
        for d in doctors
    }


async def load_busy(
    session: AsyncSession, doctor_ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Active bookings that may overlap a slot starting in [start, end], per doctor, sorted.

    Slot starts are inclusive at both ends, so a slot starting exactly at `end` runs up to
    MAX_SLOT past it: bookings starting in that tail overlap it too.
    """
    busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    parameters = {
        "ids": list(doctor_ids),
        "start": start,
        "since": start - MAX_SLOT,
        "until": end + MAX_SLOT,
    }
    for doctor_id, booked_start, booked_end in await session.execute(_BUSY, parameters):
        busy[doctor_id].append((booked_start, booked_end))
    return busy


async def load_visits(
    session: AsyncSession, doctor_ids: Sequence[int], start: datetime, end: datetime
) -> list[Visit]:
    """Active appointments of the doctors starting in [start, end), earliest first."""
    query = (
        select(
            Appointment.id,
            Appointment.doctor_id,
            Appointment.patient_name,
            Appointment.status,
            Appointment.start_time,
            Appointment.end_time,
            Appointment.confirmed_at,
        )
        .where(
            Appointment.doctor_id.in_(doctor_ids),
            ACTIVE,
            Appointment.start_time >= start,
            Appointment.start_time < end,
        )
        .order_by(Appointment.start_time, Appointment.id)
    )
    return [Visit(**row._mapping) for row in await session.execute(query)]


# --- A booking's doctor and day, as part of the booking's one read ---------------------------

_WEEKDAY = bindparam("weekday", type_=Integer)
_DAY = bindparam("day", type_=Date)


def doctor_day(doctor_id: ColumnElement[int]) -> Select[Any]:
    """The doctor with this id and their hours on one day (bind `weekday` and `day`): one row
    of plain columns, for a statement that reads everything a booking needs at once."""
    weekly = (
        select(
            func.array_agg(WorkingHours.start_time).label("starts"),
            func.array_agg(WorkingHours.end_time).label("ends"),
        )
        .where(WorkingHours.doctor_id == Doctor.id, WorkingHours.weekday == _WEEKDAY)
        .lateral("weekly")
    )
    exception = (
        select(
            func.array_agg(ScheduleException.start_time).label("starts"),
            func.array_agg(ScheduleException.end_time).label("ends"),
            func.count().label("rows"),
        )
        .where(ScheduleException.doctor_id == Doctor.id, ScheduleException.on_date == _DAY)
        .lateral("exception")
    )
    return (
        select(
            Doctor.id.label("doc_id"),
            Doctor.full_name.label("doc_name"),
            Doctor.slot_minutes.label("doc_slot_minutes"),
            Doctor.is_active.label("doc_active"),
            Specialty.code.label("doc_specialty"),
            weekly.c.starts.label("weekly_starts"),
            weekly.c.ends.label("weekly_ends"),
            exception.c.starts.label("exception_starts"),
            exception.c.ends.label("exception_ends"),
            exception.c.rows.label("exception_rows"),
            exists().where(ClosedDate.on_date == _DAY).label("closed"),
        )
        .select_from(Doctor)
        .join(Specialty, Specialty.id == Doctor.specialty_id)
        .join(weekly, true())
        .join(exception, true())
        .where(Doctor.id == doctor_id)
    )


def doctor_day_parameters(day: date) -> dict[str, Any]:
    return {"day": day, "weekday": day.weekday()}


def doctor_day_from_row(
    row: Mapping[str, Any], day: date
) -> tuple[DoctorInfo, DoctorSchedule] | None:
    """The doctor and their schedule for `day` from a row of `doctor_day`; None when no doctor."""
    if row["doc_id"] is None:
        return None
    doctor = DoctorInfo(
        row["doc_id"],
        row["doc_name"],
        row["doc_slot_minutes"],
        row["doc_active"],
        row["doc_specialty"],
    )
    starts, ends = row["weekly_starts"] or (), row["weekly_ends"] or ()
    weekly = [Interval(s, e) for s, e in zip(starts, ends, strict=True)]
    exceptions: dict[date, list[Interval]] = {}
    if row["exception_rows"]:  # an exception row without times is a day off
        exceptions[day] = [
            Interval(s, e)
            for s, e in zip(row["exception_starts"], row["exception_ends"], strict=True)
            if s is not None
        ]
    schedule = DoctorSchedule(
        doctor_id=doctor.id,
        slot_minutes=doctor.slot_minutes,
        weekly={day.weekday(): weekly},
        exceptions=exceptions,
        closed_dates=frozenset({day}) if row["closed"] else frozenset(),
    )
    return doctor, schedule


_SPECIALTY_EXISTS = DriverStatement.compile(
    select(Specialty.id).where(Specialty.code == bindparam("code", type_=String))
)


async def specialty_exists(session: Executor, code: str) -> bool:
    """Whether a specialty has this code (a lone read, outside any transaction of its own)."""
    return bool(await fetch(session, _SPECIALTY_EXISTS, {"code": code}, begin=False))


_DOCTOR_DAY = DriverStatement.compile(doctor_day(bindparam("doctor_id", type_=Integer)))


async def load_doctor_day(
    session: Executor, doctor_id: int, day: date
) -> tuple[DoctorInfo, DoctorSchedule] | None:
    """The doctor and their hours on `day`, or None when there is no such doctor."""
    rows = await fetch(session, _DOCTOR_DAY, {"doctor_id": doctor_id, **doctor_day_parameters(day)})
    return doctor_day_from_row(rows[0], day) if rows else None


# --- The slot search in one round trip ------------------------------------------------------
# A search needs the doctors, their hours, exceptions and closed dates for the days, and
# their bookings in the window. One UNION ALL of typed rows brings all of it, tagged by kind,
# in asyncpg's binary types (no JSON to parse).

_COLUMNS: tuple[tuple[str, TypeEngine[Any]], ...] = (
    ("doctor_id", Integer()),
    ("number", Integer()),  # weekday, or a doctor's slot length
    ("day", Date()),
    ("from_time", Time()),
    ("to_time", Time()),
    ("from_at", DateTime(timezone=True)),
    ("to_at", DateTime(timezone=True)),
    ("name", String()),
    ("code", String()),
    ("active", Boolean()),
)


def _row(kind: str, **values: Any) -> list[Any]:
    """The tagged row's columns: the given ones, and typed NULLs for the rest."""
    columns: list[Any] = [literal(kind).label("kind")]
    for name, type_ in _COLUMNS:
        value = values.get(name)
        columns.append((cast(null(), type_) if value is None else value).label(name))
    return columns


def schedule_rows(chosen: Any, ids: Any) -> list[Select[Any]]:
    """The tagged rows of the chosen doctors' schedules over the days searched: each doctor,
    their weekly hours, their exceptions and the clinic's closed dates (the slot search's and
    the alternatives' common part)."""
    # Each chosen doctor's weekly hours by the (doctor_id, weekday) index; OFFSET 0 keeps the
    # subquery apart, or the generic plan hashes every doctor's hours to join a handful.
    weekly = (
        select(
            WorkingHours.doctor_id,
            WorkingHours.weekday,
            WorkingHours.start_time,
            WorkingHours.end_time,
        )
        .where(WorkingHours.doctor_id == chosen.c.id)
        .offset(0)
        .lateral("weekly")
    )
    return [
        select(
            *_row(
                "doctor",
                doctor_id=chosen.c.id,
                number=cast(chosen.c.slot_minutes, Integer),
                name=chosen.c.full_name,
                code=chosen.c.specialty_code,
                active=chosen.c.is_active,
            )
        ),
        select(
            *_row(
                "weekly",
                doctor_id=weekly.c.doctor_id,
                number=cast(weekly.c.weekday, Integer),
                from_time=weekly.c.start_time,
                to_time=weekly.c.end_time,
            )
        ).select_from(chosen.join(weekly, true())),
        select(
            *_row(
                "exception",
                doctor_id=ScheduleException.doctor_id,
                day=ScheduleException.on_date,
                from_time=ScheduleException.start_time,
                to_time=ScheduleException.end_time,
            )
        ).where(
            ScheduleException.doctor_id.in_(ids),
            ScheduleException.on_date.between(_FIRST, _LAST),
        ),
        select(*_row("closed", day=ClosedDate.on_date)).where(
            ClosedDate.on_date.between(_FIRST, _LAST)
        ),
    ]


def read_schedules(
    rows: Iterable[Mapping[str, Any]], stretch_kind: str
) -> tuple[list[DoctorInfo], dict[int, DoctorSchedule], dict[int, list[tuple[datetime, datetime]]]]:
    """The tagged rows of `schedule_rows` plus one kind of time stretch per doctor ("busy"
    or "gap"): the doctors in id order, each one's schedule, and each one's stretches in time
    order (a doctor with none has no entry). Rows of any other kind are left out."""
    doctors: list[DoctorInfo] = []
    weekly: dict[int, dict[int, list[Interval]]] = defaultdict(lambda: defaultdict(list))
    exceptions: dict[int, dict[date, list[Interval]]] = defaultdict(lambda: defaultdict(list))
    closed: set[date] = set()
    stretches: dict[int, list[tuple[datetime, datetime]]] = {}
    for row in rows:
        kind = row["kind"]
        if kind == stretch_kind:
            stretches.setdefault(row["doctor_id"], []).append((row["from_at"], row["to_at"]))
        elif kind == "weekly":
            weekly[row["doctor_id"]][row["number"]].append(
                Interval(row["from_time"], row["to_time"])
            )
        elif kind == "exception":
            day_hours = exceptions[row["doctor_id"]][row["day"]]  # a day off stays empty
            if row["from_time"] is not None:
                day_hours.append(Interval(row["from_time"], row["to_time"]))
        elif kind == "closed":
            closed.add(row["day"])
        elif kind == "doctor":
            doctors.append(
                DoctorInfo(row["doctor_id"], row["name"], row["number"], row["active"], row["code"])
            )
    for mine in stretches.values():
        mine.sort()
    doctors.sort(key=lambda d: d.id)
    frozen_closed = frozenset(closed)
    schedules = {
        d.id: DoctorSchedule(
            doctor_id=d.id,
            slot_minutes=d.slot_minutes,
            weekly=dict(weekly[d.id]),
            exceptions=dict(exceptions[d.id]),
            closed_dates=frozen_closed,
        )
        for d in doctors
    }
    return doctors, schedules, stretches


# The schedule version the rows were read at, as a row of its own (as text: it is a bigint).
SCHEDULE_VERSION = select(*_row("version", name=cast(ScheduleVersion.version, String)))


def _search(
    chosen_doctors: Select[int, str, int, bool, str],
    *,
    schedule: bool = True,
    version: bool = False,
) -> CompoundSelect[Any]:
    """The tagged rows of a search: the schedule's (unless `schedule` is False: a copy is
    kept), each chosen doctor's busy stretches, and with `version` the schedule version."""
    chosen = chosen_doctors.cte("chosen")
    ids = select(chosen.c.id).scalar_subquery()
    # Per doctor: an index range on (doctor_id, start_time) for each one, never a scan of
    # every doctor's bookings in the window (which a generic plan would pick); the aggregate
    # keeps PostgreSQL from flattening the LATERAL subquery into a plain join.
    # Active holds take their slots as bookings do.
    taken = union_all(
        select(Appointment.start_time, Appointment.end_time)
        .where(_busy_of_doctor(chosen.c.id))
        .correlate(chosen),
        select(Hold.start_time, Hold.end_time)
        .where(_held_in_window(Hold.doctor_id == chosen.c.id))
        .correlate(chosen),
    ).subquery("taken")
    # Back-to-back bookings come back as one busy stretch: a fully booked week is a handful
    # of rows, not hundreds. range_agg joins touching and overlapping ranges in one aggregate
    # (a sort, two window functions and a grouping per doctor cost PostgreSQL a third more);
    # active bookings and holds never overlap one another, so the stretches are the same.
    stretches = func.range_agg(func.tstzrange(taken.c.start_time, taken.c.end_time))
    busy = select(func.unnest(stretches).label("stretch")).lateral("busy")
    return union_all(
        *(schedule_rows(chosen, ids) if schedule else ()),
        *((SCHEDULE_VERSION,) if version else ()),
        select(
            *_row(
                "busy",
                doctor_id=chosen.c.id,
                from_at=func.lower(busy.c.stretch),
                to_at=func.upper(busy.c.stretch),
            )
        ).select_from(chosen.join(busy, true())),
    )


_SEARCH_DOCTOR = DriverStatement.compile(_search(_DOCTOR_BY_ID))
_SEARCH_SPECIALTY = DriverStatement.compile(_search(_DOCTORS_OF_SPECIALTY))
_SEARCH_DOCTORS = DriverStatement.compile(_search(_DOCTORS_BY_IDS))
# For a search whose schedule is kept (KeptSchedules): all of it with the version, or
# (a copy held) only the bookings and the version.
_TO_KEEP = {
    "doctor_id": DriverStatement.compile(_search(_DOCTOR_BY_ID, version=True)),
    "code": DriverStatement.compile(_search(_DOCTORS_OF_SPECIALTY, version=True)),
}
_WITH_KEPT = {
    "doctor_id": DriverStatement.compile(_search(_DOCTOR_BY_ID, schedule=False, version=True)),
    "code": DriverStatement.compile(_search(_DOCTORS_OF_SPECIALTY, schedule=False, version=True)),
}


@dataclass(frozen=True)
class SearchData:
    """What a slot search needs for one window: doctors (by id), their schedules and bookings."""

    doctors: list[DoctorInfo]
    schedules: dict[int, DoctorSchedule]
    busy: dict[int, list[tuple[datetime, datetime]]]


@dataclass(frozen=True)
class KeptSchedule:
    """The doctors and schedules one search read, and the schedule version they belong to."""

    version: str  # schedule_version, as the statement returns it
    doctors: list[DoctorInfo]
    schedules: dict[int, DoctorSchedule]


# A clinic's specialties and doctors times a few windows each, with room to spare.
MAX_KEPT_SCHEDULES = 1024


class KeptSchedules:
    """The doctors and schedules of recent searches, by what was searched and the days.

    A slot search reads the same doctors and hours on every request; only the bookings move.
    Kept with the schedule version (migration 0009: bumped in the same transaction by every
    change to specialty, doctor, working_hours, schedule_exception or closed_date), a copy is
    good for as long as the version is the same: with a copy held, a search reads only the
    bookings and the version, and reads everything again when the version has moved. Only
    reads of committed data may be kept (a pool in autocommit): a version seen inside a
    transaction that later rolls back could come back with other hours."""

    def __init__(self, max_kept: int = MAX_KEPT_SCHEDULES) -> None:
        self.max_kept = max_kept
        self._kept: dict[tuple[Any, ...], KeptSchedule] = {}

    def get(self, key: tuple[Any, ...]) -> KeptSchedule | None:
        return self._kept.get(key)

    def keep(self, key: tuple[Any, ...], kept: KeptSchedule) -> None:
        if key not in self._kept and len(self._kept) >= self.max_kept:
            del self._kept[next(iter(self._kept))]  # the earliest kept goes first
        self._kept[key] = kept


async def load_search(
    session: Executor,
    *,
    doctor_id: int | None = None,
    specialty_code: str | None = None,
    doctor_ids: Sequence[int] | None = None,
    first_day: date,
    last_day: date,
    start: datetime,
    end: datetime,
    kept: KeptSchedules | None = None,
) -> SearchData:
    """One doctor by id (active or not), the active doctors of a specialty, or the active
    ones among `doctor_ids` (the waitlist's openings), with their schedules for the days
    and their active bookings overlapping [start, end]; one round trip. With `kept` (only
    on a connection in autocommit), the doctors and schedules of a search by doctor or
    specialty come from there while the schedule has not changed."""
    if kept is not None and doctor_ids is None:
        return await _load_search_kept(
            session, kept, doctor_id, specialty_code, first_day, last_day, start, end
        )
    parameters: dict[str, Any] = {
        "first_day": first_day,
        "last_day": last_day,
        "start": start,
        "until": end + MAX_SLOT,
        "since": start - MAX_SLOT,
    }
    if doctor_id is not None:
        statement, parameters["doctor_id"] = _SEARCH_DOCTOR, doctor_id
    elif doctor_ids is not None:
        statement, parameters["doctor_ids"] = _SEARCH_DOCTORS, list(doctor_ids)
    else:
        statement, parameters["code"] = _SEARCH_SPECIALTY, specialty_code
    # A lone read: it needs no BEGIN and COMMIT of its own (inside a booking's transaction
    # it runs in that transaction).
    rows = await fetch(session, statement, parameters, begin=False)
    doctors, schedules, busy = read_schedules(rows, "busy")
    return SearchData(doctors, schedules, busy)


async def _load_search_kept(
    session: Executor,
    kept: KeptSchedules,
    doctor_id: int | None,
    specialty_code: str | None,
    first_day: date,
    last_day: date,
    start: datetime,
    end: datetime,
) -> SearchData:
    by, value = ("doctor_id", doctor_id) if doctor_id is not None else ("code", specialty_code)
    key = (by, value, first_day, last_day)
    parameters: dict[str, Any] = {
        by: value,
        "first_day": first_day,
        "last_day": last_day,
        "start": start,
        "until": end + MAX_SLOT,
        "since": start - MAX_SLOT,
    }
    copy = kept.get(key)
    if copy is not None:
        rows = await fetch(session, _WITH_KEPT[by], parameters, begin=False)
        if _version(rows) == copy.version:
            return SearchData(copy.doctors, copy.schedules, read_schedules(rows, "busy")[2])
        # The schedule changed since: read all of it (a second round trip, once per change).
    rows = await fetch(session, _TO_KEEP[by], parameters, begin=False)
    doctors, schedules, busy = read_schedules(rows, "busy")
    version = _version(rows)
    if version is not None:  # None: no schedule_version row, nothing to keep by
        kept.keep(key, KeptSchedule(version, doctors, schedules))
    return SearchData(doctors, schedules, busy)


def _version(rows: Sequence[Mapping[str, Any]]) -> str | None:
    return next((row["name"] for row in rows if row["kind"] == "version"), None)
