"""Queries for specialties, doctors and their schedules (ORM: low-traffic admin CRUD)."""

from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from clinic.core.models import Base
from clinic.doctors.models import ClosedDate, Doctor, ScheduleException, Specialty, WorkingHours

# unique_violation and exclusion_violation
DUPLICATE_STATES = {"23505", "23P01"}


async def list_specialties(session: AsyncSession) -> Sequence[Specialty]:
    return (await session.scalars(select(Specialty).order_by(Specialty.id))).all()


async def get_specialty_by_code(session: AsyncSession, code: str) -> Specialty | None:
    return await session.scalar(select(Specialty).where(Specialty.code == code))


async def list_doctors(
    session: AsyncSession, specialty_code: str | None, include_inactive: bool
) -> Sequence[Doctor]:
    query = select(Doctor).options(selectinload(Doctor.specialty)).order_by(Doctor.id)
    if specialty_code is not None:
        query = query.join(Doctor.specialty).where(Specialty.code == specialty_code)
    if not include_inactive:
        query = query.where(Doctor.is_active)
    return (await session.scalars(query)).all()


async def get_doctor(session: AsyncSession, doctor_id: int, *, with_hours: bool) -> Doctor | None:
    options = [selectinload(Doctor.specialty)]
    if with_hours:
        options.append(selectinload(Doctor.working_hours))
    query = select(Doctor).options(*options).where(Doctor.id == doctor_id)
    return await session.scalar(query.execution_options(populate_existing=True))


async def replace_working_hours(
    session: AsyncSession, doctor_id: int, hours: Sequence[WorkingHours]
) -> None:
    await session.execute(delete(WorkingHours).where(WorkingHours.doctor_id == doctor_id))
    session.add_all(hours)
    await session.flush()


async def list_exceptions(
    session: AsyncSession, doctor_id: int, date_from: date | None
) -> Sequence[ScheduleException]:
    query = select(ScheduleException).where(ScheduleException.doctor_id == doctor_id)
    if date_from is not None:
        query = query.where(ScheduleException.on_date >= date_from)
    query = query.order_by(ScheduleException.on_date, ScheduleException.start_time)
    return (await session.scalars(query)).all()


async def insert_unless_duplicate(session: AsyncSession, row: Base) -> bool:
    """Insert the row; False when a unique or exclusion constraint refuses it.

    A savepoint keeps the request's transaction usable after the refusal, and the constraint
    (not a check before the insert) decides, so concurrent requests cannot both get in.
    """
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError as error:
        if getattr(error.orig, "sqlstate", None) in DUPLICATE_STATES:
            return False
        raise
    return True


async def update_unless_duplicate(
    session: AsyncSession, row: Base, values: Mapping[str, object]
) -> bool:
    """Set the row's values; False when a unique or exclusion constraint refuses them.

    The values are set inside the savepoint, so a refusal leaves the transaction usable.
    """
    try:
        async with session.begin_nested():
            for name, value in values.items():
                setattr(row, name, value)
            await session.flush()
    except IntegrityError as error:
        if getattr(error.orig, "sqlstate", None) in DUPLICATE_STATES:
            return False
        raise
    return True


async def list_exceptions_on(
    session: AsyncSession, doctor_id: int, on_date: date
) -> Sequence[ScheduleException]:
    query = select(ScheduleException).where(
        ScheduleException.doctor_id == doctor_id, ScheduleException.on_date == on_date
    )
    return (await session.scalars(query)).all()


async def list_closed_dates(session: AsyncSession, date_from: date | None) -> Sequence[ClosedDate]:
    query = select(ClosedDate).order_by(ClosedDate.on_date)
    if date_from is not None:
        query = query.where(ClosedDate.on_date >= date_from)
    return (await session.scalars(query)).all()
