"""Reminder queries: which are due, the claim, and what became of the message."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, and_, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.appointments.models import Appointment, AppointmentStatus
from clinic.doctors.models import Doctor, Specialty
from clinic.reminders.models import Reminder

APPOINTMENTS = cast(Table, Appointment.__table__).c
REMINDERS = cast(Table, Reminder.__table__)


@dataclass(frozen=True)
class Candidate:
    """A scheduled appointment of a Telegram patient starting within the longest lead time,
    with the lead times already claimed for its current start."""

    appointment_id: int
    start_time: datetime
    created_at: datetime
    claimed: frozenset[int]


async def candidates(session: AsyncSession, now: datetime, longest: timedelta) -> list[Candidate]:
    """Every appointment a reminder may be due for now; one indexed range on start_time."""
    claimed = (
        select(func.array_agg(REMINDERS.c.hours))
        .where(
            REMINDERS.c.appointment_id == APPOINTMENTS.id,
            REMINDERS.c.start_time == APPOINTMENTS.start_time,
        )
        .scalar_subquery()
    )
    query = (
        select(APPOINTMENTS.id, APPOINTMENTS.start_time, APPOINTMENTS.created_at, claimed)
        .where(
            APPOINTMENTS.status == AppointmentStatus.scheduled.value,
            APPOINTMENTS.patient_telegram_id.is_not(None),
            APPOINTMENTS.start_time > now,
            APPOINTMENTS.start_time <= now + longest,
        )
        .order_by(APPOINTMENTS.start_time, APPOINTMENTS.id)
    )
    rows = (await session.execute(query)).all()
    return [Candidate(row[0], row[1], row[2], frozenset(row[3] or ())) for row in rows]


async def claim(
    session: AsyncSession, appointment_id: int, hours: int, start_time: datetime
) -> int | None:
    """Take the reminder for this worker: its row, unless another worker has it or the
    appointment was cancelled or moved since it was found due (None)."""
    source = select(APPOINTMENTS.id, literal(hours), APPOINTMENTS.start_time).where(
        and_(
            APPOINTMENTS.id == appointment_id,
            APPOINTMENTS.status == AppointmentStatus.scheduled.value,
            APPOINTMENTS.start_time == start_time,
        )
    )
    statement = (
        pg_insert(REMINDERS)
        .from_select(["appointment_id", "hours", "start_time"], source)
        .on_conflict_do_nothing()
        .returning(REMINDERS.c.id)
    )
    claimed: int | None = (await session.execute(statement)).scalar_one_or_none()
    return claimed


@dataclass(frozen=True)
class Addressee:
    """What the reminder says and to whom (read after the claim, so it is current)."""

    telegram_id: int
    language: str | None
    start_time: datetime
    doctor_name: str
    specialty_ru: str
    specialty_en: str


async def addressee(session: AsyncSession, appointment_id: int) -> Addressee | None:
    query = (
        select(
            APPOINTMENTS.patient_telegram_id,
            APPOINTMENTS.patient_language,
            APPOINTMENTS.start_time,
            Doctor.full_name,
            Specialty.name_ru,
            Specialty.name_en,
        )
        .join(Doctor, Doctor.id == APPOINTMENTS.doctor_id)
        .join(Specialty, Specialty.id == Doctor.specialty_id)
        .where(APPOINTMENTS.id == appointment_id)
    )
    row = (await session.execute(query)).first()
    if row is None or row[0] is None:
        return None
    return Addressee(*row)


async def mark_sent(session: AsyncSession, reminder_id: int, message_id: int, at: datetime) -> None:
    await session.execute(
        update(REMINDERS)
        .where(REMINDERS.c.id == reminder_id)
        .values(sent_at=at, telegram_message_id=message_id)
    )


async def mark_failed(session: AsyncSession, reminder_id: int, failure: str) -> None:
    await session.execute(
        update(REMINDERS).where(REMINDERS.c.id == reminder_id).values(failure=failure[:60])
    )
