"""Read queries of the staff screens (the booking rules' own queries live in their domains)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.doctors.models import Doctor


async def doctor_names(session: AsyncSession) -> dict[int, str]:
    rows = await session.execute(select(Doctor.id, Doctor.full_name))
    return {row.id: row.full_name for row in rows}


async def doctor_choices(session: AsyncSession, *, active_only: bool) -> list[tuple[int, str]]:
    query = select(Doctor.id, Doctor.full_name).order_by(Doctor.full_name)
    if active_only:
        query = query.where(Doctor.is_active)
    return [(row.id, row.full_name) for row in await session.execute(query)]
