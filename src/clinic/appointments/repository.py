"""Appointment queries. The booking path is Core statements, no ORM: a booking is one read
and one write (plus BEGIN and COMMIT), a reschedule the same."""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

import asyncpg
from sqlalchemy import (
    Integer,
    Select,
    String,
    Table,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    insert,
    literal,
    literal_column,
    null,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.appointments.models import Appointment, AppointmentEvent, IdempotencyKey
from clinic.appointments.schemas import AppointmentFilter
from clinic.availability.repository import (
    MAX_SLOT,
    DoctorInfo,
    doctor_day,
    doctor_day_from_row,
    doctor_day_parameters,
)
from clinic.core.driver import DriverStatement, Executor, fetch, sqlstate
from clinic.doctors.models import ScheduleVersion
from clinic.scheduling.slots import DoctorSchedule

TABLE = cast(Table, Appointment.__table__)
EVENTS = cast(Table, AppointmentEvent.__table__)
COLUMNS = TABLE.c
Record = dict[str, Any]


KEYS = cast(Table, IdempotencyKey.__table__)
VERSION = cast(Table, ScheduleVersion.__table__)


def _record(row: RowMapping | None) -> Record | None:
    return None if row is None else {str(k): v for k, v in row.items()}


# --- The booking path: one read, one write -----------------------------------------------------
# Statements are built once: on the booking path, building SQLAlchemy statements per request
# costs more Python time than the round trips. Values are bound at execution.

# Everything a booking checks, in one statement: the doctor, their hours on the day, and what
# an earlier request with the same Idempotency-Key did; and the schedule version they go with.
_BOOKING_READ = DriverStatement.compile(
    doctor_day(bindparam("doctor_id", type_=Integer))
    .add_columns(
        KEYS.c.fingerprint.label("key_fingerprint"),
        KEYS.c.appointment_id.label("key_appointment_id"),
        select(VERSION.c.version).scalar_subquery().label("schedule_version"),
    )
    .outerjoin(
        KEYS,
        and_(
            KEYS.c.role == bindparam("key_role", type_=String),
            KEYS.c.key == bindparam("key", type_=String),
        ),
    )
)

_BOOKED_COLUMNS = (
    "doctor_id",
    "patient_name",
    "patient_phone",
    "patient_telegram_id",
    "reason",
    "start_time",
    "end_time",
    "status",
    "source",
    "patient_language",
)


def _new_row() -> Any:
    """The new appointment's values, as bind parameters named `new_<column>`."""
    return [bindparam(f"new_{name}", type_=COLUMNS[name].type) for name in _BOOKED_COLUMNS]


def _created_event(booked: Any) -> Any:
    """The `created` event of the appointment the `booked` CTE inserted (none if it did not)."""
    return (
        insert(EVENTS)
        .from_select(
            ["appointment_id", "action", "source", "new"],
            select(
                booked.c.id,
                literal("created"),
                booked.c.source,
                bindparam("new_event", type_=JSONB),
            ),
        )
        .cte("created_event")
    )


def _stored_key(booked: Any) -> Any:
    """The Idempotency-Key, stored with the appointment the `booked` CTE inserted. It has no ON
    CONFLICT: a key taken meanwhile by a concurrent request fails the whole statement
    (unique_violation), so the appointment is never stored without its key, in autocommit as
    well as in a transaction."""
    return (
        insert(KEYS)
        .from_select(
            ["role", "key", "fingerprint", "appointment_id"],
            select(
                bindparam("new_key_role", type_=String),
                bindparam("new_key", type_=String),
                bindparam("new_fingerprint", type_=String),
                booked.c.id,
            ),
        )
        .cte("stored_key")
    )


# The appointment, its `created` event and the idempotency key, in one statement. ON CONFLICT
# DO NOTHING covers both the unique index and the exclusion constraint and waits for a
# concurrent insert of the same slot to finish, so exactly one of many wins; the loser's
# `booked` is empty and so are its event and key.
_booked = (
    pg_insert(TABLE)
    .values(dict(zip(_BOOKED_COLUMNS, _new_row(), strict=True)))
    .on_conflict_do_nothing()
    .returning(*TABLE.c)
    .cte("booked")
)
_BOOK = DriverStatement.compile(select(_booked).add_cte(_created_event(_booked)))
_BOOK_WITH_KEY = DriverStatement.compile(
    select(_booked).add_cte(_created_event(_booked)).add_cte(_stored_key(_booked))
)


_start = bindparam("new_start_time", type_=COLUMNS.start_time.type)
# An active booking overlapping the slot, committed before the statement began (the CTEs'
# writes are not visible to its reads). When the slot was refused for one of those, no
# request racing this one took it, so none with the same key can have: no re-check of the key.
# Asked only when nothing was booked.
_taken = TABLE.alias("taken")
_taken_before = (
    select(literal(1))
    .where(
        _taken.c.doctor_id == bindparam("new_doctor_id", type_=Integer),
        _taken.c.status != literal_column("'cancelled'"),  # as in the partial index
        _taken.c.start_time > _start - MAX_SLOT,
        _taken.c.start_time < bindparam("new_end_time", type_=COLUMNS.end_time.type),
        _taken.c.end_time > _start,
    )
    .exists()
)


def _known_day_booking(keyed: bool) -> DriverStatement:
    """A booking whose rules were checked against a doctor-day read earlier: the write above,
    done only while the schedule version is the one read with that day and no earlier request
    used the key. One statement, so one round trip: its one row tells which happened (the
    appointment's columns, else the key's earlier use, and the version now)."""
    earlier = (
        select(KEYS.c.fingerprint, KEYS.c.appointment_id)
        .where(
            KEYS.c.role == bindparam("new_key_role", type_=String),
            KEYS.c.key == bindparam("new_key", type_=String),
        )
        .cte("earlier")
    )
    current = select(VERSION.c.version).cte("current_version")
    conditions = [select(current.c.version).scalar_subquery() == bindparam("known_version")]
    if keyed:
        conditions.append(~exists(select(earlier.c.fingerprint)))
    booked = (
        pg_insert(TABLE)
        .from_select(
            list(_BOOKED_COLUMNS),
            select(*_new_row()).where(*conditions),
        )
        .on_conflict_do_nothing()
        .returning(*TABLE.c)
        .cte("booked")
    )
    outcome = select(
        *booked.c,
        current.c.version.label("schedule_version"),
        (earlier.c.fingerprint if keyed else null()).label("key_fingerprint"),
        (earlier.c.appointment_id if keyed else null()).label("key_appointment_id"),
        case((booked.c.id.is_(None), _taken_before), else_=false()).label("taken_before"),
    ).add_cte(_created_event(booked))
    joined = current.outerjoin(booked, true())
    if keyed:
        outcome = outcome.add_cte(_stored_key(booked))
        joined = joined.outerjoin(earlier, true())
    return DriverStatement.compile(outcome.select_from(joined))


_KNOWN_DAY_BOOK = _known_day_booking(keyed=False)
_KNOWN_DAY_BOOK_WITH_KEY = _known_day_booking(keyed=True)
# unique_violation, exclusion_violation, and deadlock_detected: the last happens when two
# appointments swap slots concurrently; for the loser it means the same thing, the slot is taken.
SLOT_CONFLICT_STATES = frozenset({"23505", "23P01", "40P01"})


class WriteRefused(Exception):
    """The constraints refused a booking or a move racing another for the slot (or a
    booking whose Idempotency-Key a concurrent request took); nothing was written, and a
    transaction it ran in is aborted and must be rolled back."""


@dataclass(frozen=True)
class RequestKey:
    """A request's Idempotency-Key: a role's own name space, and the fingerprint of its body."""

    role: str
    key: str
    fingerprint: str


@dataclass(frozen=True)
class BookingRead:
    doctor: DoctorInfo
    schedule: DoctorSchedule  # the doctor's hours on the booking's day
    earlier: Record | None  # fingerprint and appointment of an earlier request with the key
    version: int | None  # schedule_version (None only without its row)


async def read_for_booking(
    session: Executor, doctor_id: int, day: date, key: RequestKey | None
) -> BookingRead | None:
    """The doctor, their hours on `day` and the key's earlier use; None for an unknown doctor."""
    parameters = {
        "doctor_id": doctor_id,
        "key_role": key and key.role,
        "key": key and key.key,
        **doctor_day_parameters(day),
    }
    rows = await fetch(session, _BOOKING_READ, parameters)
    found = doctor_day_from_row(rows[0], day) if rows else None
    if found is None:
        return None
    earlier = None
    if rows[0]["key_fingerprint"] is not None:
        earlier = {
            "fingerprint": rows[0]["key_fingerprint"],
            "appointment_id": rows[0]["key_appointment_id"],
        }
    return BookingRead(*found, earlier, rows[0]["schedule_version"])


def _book_parameters(
    values: Mapping[str, Any], event: Mapping[str, Any], key: RequestKey | None
) -> dict[str, Any]:
    parameters = {f"new_{name}": values.get(name) for name in _BOOKED_COLUMNS}
    parameters["new_event"] = json.dumps(event)
    if key is not None:
        parameters |= {
            "new_key_role": key.role,
            "new_key": key.key,
            "new_fingerprint": key.fingerprint,
        }
    return parameters


async def book(
    session: Executor,
    values: Mapping[str, Any],
    event: Mapping[str, Any],
    key: RequestKey | None,
) -> Record | None:
    """Insert the appointment, its `created` event and the key, all or nothing, in one
    statement; None when the slot is taken. Raises WriteRefused when a concurrent booking of
    the slot, or of the key, made the constraints refuse it."""
    statement = _BOOK if key is None else _BOOK_WITH_KEY
    rows = await _write(session, statement, _book_parameters(values, event, key))
    return dict(rows[0]) if rows else None


@dataclass(frozen=True)
class KnownDayBooking:
    row: Record | None  # the appointment booked, if it was
    earlier: Record | None  # else: the key's earlier use, if any
    version: int | None  # the schedule version at the write
    taken_before: bool  # not booked: the slot was taken before the statement began


async def book_on_known_day(
    session: Executor,
    values: Mapping[str, Any],
    event: Mapping[str, Any],
    key: RequestKey | None,
    known_version: int,
) -> KnownDayBooking:
    """`book`, for rules checked against a doctor-day read earlier with `known_version`: it
    books only if the schedule is still at that version and the key was not used before,
    and says which held. Raises WriteRefused as `book` does."""
    statement = _KNOWN_DAY_BOOK if key is None else _KNOWN_DAY_BOOK_WITH_KEY
    parameters = _book_parameters(values, event, key) | {"known_version": known_version}
    row = (await _write(session, statement, parameters))[0]
    earlier = None
    if row["key_fingerprint"] is not None:
        earlier = {
            "fingerprint": row["key_fingerprint"],
            "appointment_id": row["key_appointment_id"],
        }
    booked = None
    if row["id"] is not None:
        booked = {column.name: row[column.name] for column in TABLE.c}
    return KnownDayBooking(booked, earlier, row["schedule_version"], row["taken_before"])


async def _write(
    session: Executor, statement: DriverStatement, parameters: Mapping[str, Any]
) -> Sequence[Any]:
    try:
        return await fetch(session, statement, parameters)
    except (DBAPIError, asyncpg.PostgresError) as error:
        if sqlstate(error) in SLOT_CONFLICT_STATES:
            raise WriteRefused from error
        raise


# A move reads the appointment (locked) with the target doctor and their hours on the day.
_target = doctor_day(
    func.coalesce(bindparam("doctor_id", type_=Integer), COLUMNS.doctor_id)
).lateral("target")
_MOVE_READ = DriverStatement.compile(
    select(TABLE, _target)
    .select_from(TABLE.outerjoin(_target, true()))
    .where(COLUMNS.id == bindparam("move_id"))
    .with_for_update(of=TABLE)
)
_other = TABLE.alias("other")
_to_start = bindparam("move_start", type_=COLUMNS.start_time.type)
_to_end = bindparam("move_end", type_=COLUMNS.end_time.type)
_to_doctor = bindparam("move_doctor_id", type_=Integer)
# Moved unless another active booking of the doctor overlaps the new time: a refusal leaves
# the transaction usable for the alternatives. Two moves racing for one slot both pass this
# check; the constraints then refuse the later one with an error.
_moved = (
    update(TABLE)
    .where(
        COLUMNS.id == bindparam("move_id"),
        ~exists().where(
            _other.c.doctor_id == _to_doctor,
            # Spelled as in the partial index, not as a parameter, so the plan can use it.
            _other.c.status != literal_column("'cancelled'"),
            _other.c.id != bindparam("move_id"),
            _other.c.start_time >= bindparam("move_since", type_=COLUMNS.start_time.type),
            _other.c.start_time < _to_end,
            _other.c.end_time > _to_start,
        ),
    )
    # A confirmation was for the old time: the patient is asked again before the new one.
    .values(
        doctor_id=_to_doctor,
        start_time=_to_start,
        end_time=_to_end,
        confirmed_at=None,
        updated_at=func.now(),
    )
    .returning(*TABLE.c)
    .cte("moved")
)
_moved_event = (
    insert(EVENTS)
    .from_select(
        ["appointment_id", "action", "source", "old", "new"],
        select(
            _moved.c.id,
            literal("rescheduled"),
            bindparam("move_source", type_=String),
            bindparam("move_old", type_=JSONB),
            bindparam("move_new", type_=JSONB),
        ),
    )
    .cte("moved_event")
)
_MOVE = DriverStatement.compile(select(_moved).add_cte(_moved_event))


@dataclass(frozen=True)
class MoveRead:
    current: Record
    target: tuple[DoctorInfo, DoctorSchedule] | None  # None: unknown doctor, or no day given


async def read_for_move(
    session: AsyncSession, appointment_id: int, doctor_id: int | None, day: date | None
) -> MoveRead | None:
    """The appointment, locked, with the target doctor (`doctor_id`, else its own) and their
    hours on `day`; None when there is no such appointment."""
    parameters = {"move_id": appointment_id, "doctor_id": doctor_id}
    parameters |= doctor_day_parameters(day) if day else {"day": None, "weekday": None}
    rows = await fetch(session, _MOVE_READ, parameters)
    if not rows:
        return None
    current = {column.name: rows[0][column.name] for column in TABLE.c}
    target = doctor_day_from_row(rows[0], day) if day else None
    return MoveRead(current, target)


async def move(
    session: AsyncSession,
    appointment_id: int,
    to: Mapping[str, Any],
    source: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
) -> Record | None:
    """Move the appointment and record the `rescheduled` event, unless the new time overlaps
    another active booking of the doctor (None). Raises WriteRefused when a concurrent
    booking or move of the slot made the constraints refuse it."""
    parameters = {
        "move_id": appointment_id,
        "move_doctor_id": to["doctor_id"],
        "move_start": to["start_time"],
        "move_end": to["end_time"],
        "move_since": to["start_time"] - MAX_SLOT,
        "move_source": source,
        "move_old": json.dumps(_jsonable(old)),
        "move_new": json.dumps(_jsonable(new)),
    }
    rows = await _write(session, _MOVE, parameters)
    return dict(rows[0]) if rows else None


# --- Everything else: reads, corrections, cancellation -----------------------------------------

_INSERT_EVENT = insert(EVENTS)


_GET = DriverStatement.compile(select(TABLE).where(COLUMNS.id == bindparam("id", type_=Integer)))


async def get(session: Executor, appointment_id: int, *, lock: bool = False) -> Record | None:
    if not lock:
        rows = await fetch(session, _GET, {"id": appointment_id}, begin=False)
        return dict(rows[0]) if rows else None
    assert isinstance(session, AsyncSession), "a lock needs the request's transaction"
    query = select(TABLE).where(COLUMNS.id == appointment_id).with_for_update()
    return _record((await session.execute(query)).mappings().first())


async def update_values(
    session: AsyncSession, appointment_id: int, values: Mapping[str, Any]
) -> Record:
    statement = (
        update(Appointment)
        .where(COLUMNS.id == appointment_id)
        .values(**values, updated_at=func.now())
        .returning(TABLE)
    )
    row = _record((await session.execute(statement)).mappings().one())
    assert row is not None
    return row


async def add_event(
    session: AsyncSession,
    appointment_id: int,
    action: str,
    source: str,
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
) -> None:
    await session.execute(
        _INSERT_EVENT,
        {
            "appointment_id": appointment_id,
            "action": action,
            "source": source,
            "old": _jsonable(old),
            "new": _jsonable(new),
        },
    )


def _jsonable(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return dict(json.loads(json.dumps(values, default=_encode)))


def _encode(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


async def list_events(session: AsyncSession, appointment_id: int) -> list[Record]:
    query = (
        select(EVENTS)
        .where(AppointmentEvent.appointment_id == appointment_id)
        .order_by(AppointmentEvent.id)
    )
    return [dict(r) for r in (await session.execute(query)).mappings()]


def _filtered(query: Select[Any], criteria: AppointmentFilter) -> Select[Any]:
    if criteria.doctor_id is not None:
        query = query.where(COLUMNS.doctor_id == criteria.doctor_id)
    if criteria.patient_telegram_id is not None:
        query = query.where(COLUMNS.patient_telegram_id == criteria.patient_telegram_id)
    if criteria.status is not None:
        query = query.where(COLUMNS.status == criteria.status)
    if criteria.start is not None:
        query = query.where(COLUMNS.start_time >= criteria.start)
    if criteria.end is not None:
        query = query.where(COLUMNS.start_time < criteria.end)
    return query


async def list_page(session: AsyncSession, criteria: AppointmentFilter) -> tuple[list[Record], int]:
    page = (
        _filtered(select(TABLE), criteria)
        .order_by(COLUMNS.start_time, COLUMNS.id)
        .limit(criteria.limit)
        .offset(criteria.offset)
    )
    total = _filtered(select(func.count()).select_from(Appointment), criteria)
    rows = [dict(r) for r in (await session.execute(page)).mappings()]
    return rows, int((await session.execute(total)).scalar_one())


_IDEMPOTENCY_KEY = DriverStatement.compile(
    select(KEYS).where(
        KEYS.c.role == bindparam("role", type_=String), KEYS.c.key == bindparam("key", type_=String)
    )
)


async def get_idempotency_key(session: Executor, role: str, key: str) -> Record | None:
    """The stored key: its fingerprint and appointment (a booking's conflict path)."""
    rows = await fetch(session, _IDEMPOTENCY_KEY, {"role": role, "key": key})
    return dict(rows[0]) if rows else None
