"""Appointment queries. The booking path is Core statements: one round trip each, no ORM."""

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.appointments.models import Appointment, AppointmentEvent, IdempotencyKey
from clinic.appointments.schemas import AppointmentFilter

TABLE = cast(Table, Appointment.__table__)
EVENTS = cast(Table, AppointmentEvent.__table__)
COLUMNS = TABLE.c
Record = dict[str, Any]


# Built once: on the booking path, building SQLAlchemy statements per request costs more
# Python time than the round trips. Values are bound at execution.
_INSERT_IF_FREE = pg_insert(TABLE).on_conflict_do_nothing().returning(TABLE)
_INSERT_EVENT = insert(EVENTS)


def _record(row: RowMapping | None) -> Record | None:
    return None if row is None else {str(k): v for k, v in row.items()}


async def insert_if_free(session: AsyncSession, values: Mapping[str, Any]) -> Record | None:
    """Insert the appointment unless an active one overlaps it; None means the slot is taken.

    ON CONFLICT DO NOTHING covers both the unique index and the exclusion constraint, and
    waits for a concurrent insert of the same slot to finish, so exactly one of many wins.
    """
    return _record((await session.execute(_INSERT_IF_FREE, dict(values))).mappings().first())


async def get(session: AsyncSession, appointment_id: int, *, lock: bool = False) -> Record | None:
    query = select(TABLE).where(COLUMNS.id == appointment_id)
    if lock:
        query = query.with_for_update()
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


async def claim_idempotency_key(
    session: AsyncSession, role: str, key: str, fingerprint: str
) -> bool:
    """Take the role's key for this request; False when another request holds it (waits for
    it first)."""
    statement = (
        pg_insert(IdempotencyKey)
        .values(role=role, key=key, fingerprint=fingerprint)
        .on_conflict_do_nothing()
        .returning(IdempotencyKey.key)
    )
    return (await session.execute(statement)).first() is not None


async def get_idempotency_key(session: AsyncSession, role: str, key: str) -> Record | None:
    query = select(IdempotencyKey.__table__).where(
        IdempotencyKey.role == role, IdempotencyKey.key == key
    )
    return _record((await session.execute(query)).mappings().first())


async def bind_idempotency_key(
    session: AsyncSession, role: str, key: str, appointment_id: int
) -> None:
    await session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.role == role, IdempotencyKey.key == key)
        .values(appointment_id=appointment_id)
    )
