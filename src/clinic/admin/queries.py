"""Read queries of the staff screens (the booking rules' own queries live in their domains)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.appointments.models import ACTIVE, Appointment
from clinic.doctors.models import Doctor


async def day_appointments(
    session: AsyncSession, doctor_ids: Sequence[int], start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """Active appointments of the doctors starting in [start, end), earliest first."""
    query = (
        select(
            Appointment.id,
            Appointment.doctor_id,
            Appointment.patient_name,
            Appointment.status,
            Appointment.start_time,
            Appointment.end_time,
        )
        .where(
            Appointment.doctor_id.in_(doctor_ids),
            ACTIVE,
            Appointment.start_time >= start,
            Appointment.start_time < end,
        )
        .order_by(Appointment.start_time)
    )
    return [dict(row) for row in (await session.execute(query)).mappings()]


async def doctor_names(session: AsyncSession) -> dict[int, str]:
    rows = await session.execute(select(Doctor.id, Doctor.full_name))
    return {row.id: row.full_name for row in rows}


async def doctor_choices(session: AsyncSession, *, active_only: bool) -> list[tuple[int, str]]:
    query = select(Doctor.id, Doctor.full_name).order_by(Doctor.full_name)
    if active_only:
        query = query.where(Doctor.is_active)
    return [(row.id, row.full_name) for row in await session.execute(query)]
