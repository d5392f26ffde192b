"""Rules for the clinic's directory: specialties, doctors, weekly hours, exceptions, closures."""

from collections.abc import Sequence
from datetime import date, time
from itertools import pairwise

from sqlalchemy.ext.asyncio import AsyncSession

from clinic.core.errors import Conflict, DoctorNotFound, NotFound, RuleViolation
from clinic.doctors import repository
from clinic.doctors.models import ClosedDate, Doctor, ScheduleException, Specialty, WorkingHours
from clinic.doctors.schemas import (
    ClosedDateCreate,
    DoctorCreate,
    DoctorUpdate,
    ScheduleExceptionCreate,
    SpecialtyCreate,
    SpecialtyUpdate,
    WorkingHoursItem,
)


async def list_specialties(session: AsyncSession) -> Sequence[Specialty]:
    return await repository.list_specialties(session)


async def create_specialty(session: AsyncSession, data: SpecialtyCreate) -> Specialty:
    """Add a specialty; a code that exists already (even one added a moment ago by a
    concurrent request) is a 409, decided by the unique constraint."""
    specialty = Specialty(**data.model_dump())
    if not await repository.insert_unless_duplicate(session, specialty):
        raise Conflict(f"specialty {data.code!r} already exists")
    return specialty


async def update_specialty(
    session: AsyncSession, specialty_id: int, data: SpecialtyUpdate
) -> Specialty:
    """Rename a specialty or change its code, which stays unique (a 409 otherwise)."""
    specialty = await session.get(Specialty, specialty_id)
    if specialty is None:
        raise NotFound(f"specialty {specialty_id} does not exist")
    # As on create, the unique constraint decides, whatever the timing.
    if not await repository.update_unless_duplicate(session, specialty, data.model_dump()):
        raise Conflict(f"specialty {data.code!r} already exists")
    return specialty


async def get_specialty_or_raise(session: AsyncSession, code: str, field: str) -> Specialty:
    specialty = await repository.get_specialty_by_code(session, code)
    if specialty is None:
        raise RuleViolation(field, "unknown_specialty", f"no specialty with code {code!r}")
    return specialty


async def list_doctors(
    session: AsyncSession, specialty_code: str | None, include_inactive: bool = False
) -> Sequence[Doctor]:
    if specialty_code is not None:
        await get_specialty_or_raise(session, specialty_code, "specialty")
    return await repository.list_doctors(session, specialty_code, include_inactive)


async def get_doctor_or_404(session: AsyncSession, doctor_id: int) -> Doctor:
    """The doctor with specialty and weekly hours loaded; an unknown id is a 404 (a path id)."""
    doctor = await repository.get_doctor(session, doctor_id, with_hours=True)
    if doctor is None:
        raise DoctorNotFound(f"doctor {doctor_id} does not exist")
    return doctor


async def create_doctor(session: AsyncSession, data: DoctorCreate) -> Doctor:
    specialty = await get_specialty_or_raise(session, data.specialty, "specialty")
    doctor = Doctor(
        full_name=data.full_name,
        specialty_id=specialty.id,
        slot_minutes=data.slot_minutes,
        is_active=data.is_active,
    )
    session.add(doctor)
    await session.flush()
    await set_working_hours(session, doctor.id, data.working_hours)
    return await get_doctor_or_404(session, doctor.id)


async def update_doctor(session: AsyncSession, doctor_id: int, data: DoctorUpdate) -> Doctor:
    doctor = await get_doctor_or_404(session, doctor_id)
    changes = data.model_dump(exclude_unset=True)
    if "specialty" in changes:
        specialty = await get_specialty_or_raise(session, changes.pop("specialty"), "specialty")
        doctor.specialty_id = specialty.id
    for name, value in changes.items():
        if value is None:
            raise RuleViolation(name, "required", f"{name} cannot be null")
        setattr(doctor, name, value)
    await session.flush()
    return await get_doctor_or_404(session, doctor_id)


def _check_no_overlap(hours: Sequence[WorkingHoursItem]) -> None:
    by_day = sorted(hours, key=lambda h: (h.weekday, h.start_time))
    for earlier, later in pairwise(by_day):
        if earlier.weekday == later.weekday and later.start_time < earlier.end_time:
            raise RuleViolation(
                "working_hours", "overlap", f"intervals overlap on weekday {later.weekday}"
            )


async def set_working_hours(
    session: AsyncSession, doctor_id: int, hours: Sequence[WorkingHoursItem]
) -> None:
    """Replace the doctor's weekly hours. Existing appointments are kept as they are."""
    _check_no_overlap(hours)
    rows = [WorkingHours(doctor_id=doctor_id, **item.model_dump()) for item in hours]
    await repository.replace_working_hours(session, doctor_id, rows)


async def _week_without(
    session: AsyncSession, doctor_id: int, hours_id: int | None
) -> list[WorkingHoursItem]:
    doctor = await get_doctor_or_404(session, doctor_id)
    return [WorkingHoursItem.model_validate(h) for h in doctor.working_hours if h.id != hours_id]


async def _get_hours_or_404(session: AsyncSession, hours_id: int) -> WorkingHours:
    hours = await session.get(WorkingHours, hours_id)
    if hours is None:
        raise NotFound(f"working hours {hours_id} do not exist")
    return hours


async def add_working_hours(
    session: AsyncSession, doctor_id: int, item: WorkingHoursItem
) -> WorkingHours:
    """One more weekly interval for the doctor; it may not overlap the others."""
    _check_no_overlap([*await _week_without(session, doctor_id, None), item])
    hours = WorkingHours(doctor_id=doctor_id, **item.model_dump())
    session.add(hours)
    await session.flush()
    return hours


async def move_working_hours(
    session: AsyncSession, hours_id: int, doctor_id: int, item: WorkingHoursItem
) -> WorkingHours:
    """Change one weekly interval: its times, its weekday, or the doctor it belongs to."""
    hours = await _get_hours_or_404(session, hours_id)
    _check_no_overlap([*await _week_without(session, doctor_id, hours_id), item])
    hours.doctor_id = doctor_id
    for name, value in item.model_dump().items():
        setattr(hours, name, value)
    await session.flush()
    return hours


async def remove_working_hours(session: AsyncSession, hours_id: int) -> None:
    """Drop one weekly interval. Appointments already booked in it are kept."""
    await session.delete(await _get_hours_or_404(session, hours_id))
    await session.flush()


async def list_exceptions(
    session: AsyncSession, doctor_id: int, date_from: date | None
) -> Sequence[ScheduleException]:
    await get_doctor_or_404(session, doctor_id)
    return await repository.list_exceptions(session, doctor_id, date_from)


async def add_exception(
    session: AsyncSession, doctor_id: int, data: ScheduleExceptionCreate
) -> ScheduleException:
    """Add hours (or a day off) for one date. They may not overlap the doctor's other
    exceptions that day; an exclusion constraint settles concurrent requests the same way."""
    await get_doctor_or_404(session, doctor_id)
    await _check_exception_fits(session, doctor_id, data, None)
    exception = ScheduleException(doctor_id=doctor_id, **data.model_dump())
    if not await repository.insert_unless_duplicate(session, exception):
        raise _exception_overlap(data.on_date)
    return exception


async def change_exception(
    session: AsyncSession, exception_id: int, doctor_id: int, data: ScheduleExceptionCreate
) -> ScheduleException:
    """Edit an exception in place, possibly moving it to another doctor; the same rule as
    adding one: no overlap with the doctor's other exceptions that day."""
    exception = await _get_exception_or_404(session, exception_id)
    await get_doctor_or_404(session, doctor_id)
    await _check_exception_fits(session, doctor_id, data, exception_id)
    values = {"doctor_id": doctor_id, **data.model_dump()}
    if not await repository.update_unless_duplicate(session, exception, values):
        raise _exception_overlap(data.on_date)
    return exception


async def _get_exception_or_404(session: AsyncSession, exception_id: int) -> ScheduleException:
    exception = await session.get(ScheduleException, exception_id)
    if exception is None:
        raise NotFound(f"schedule exception {exception_id} does not exist")
    return exception


async def _check_exception_fits(
    session: AsyncSession, doctor_id: int, data: ScheduleExceptionCreate, exception_id: int | None
) -> None:
    same_day = await repository.list_exceptions_on(session, doctor_id, data.on_date)
    if any(_overlap(data, other) for other in same_day if other.id != exception_id):
        raise _exception_overlap(data.on_date)


def _overlap(new: ScheduleExceptionCreate, old: ScheduleException) -> bool:
    # A day off (no times) covers the whole day.
    start, end = new.start_time or time.min, new.end_time or time.max
    old_start, old_end = old.start_time or time.min, old.end_time or time.max
    return start < old_end and old_start < end


def _exception_overlap(day: date) -> RuleViolation:
    return RuleViolation(
        "start_time", "overlap", f"this overlaps another exception of the doctor on {day}"
    )


async def delete_exception(session: AsyncSession, doctor_id: int, exception_id: int) -> None:
    """Delete the doctor's exception; another doctor's is as unknown as a missing one."""
    exception = await session.get(ScheduleException, exception_id)
    if exception is None or exception.doctor_id != doctor_id:
        raise NotFound(f"doctor {doctor_id} has no exception {exception_id}")
    await remove_exception(session, exception_id)


async def remove_exception(session: AsyncSession, exception_id: int) -> None:
    """Delete an exception by its id alone (the staff UI's list knows no doctor in the path)."""
    await session.delete(await _get_exception_or_404(session, exception_id))
    await session.flush()


async def list_closed_dates(session: AsyncSession, date_from: date | None) -> Sequence[ClosedDate]:
    return await repository.list_closed_dates(session, date_from)


async def add_closed_date(session: AsyncSession, data: ClosedDateCreate) -> ClosedDate:
    """Close the clinic for a date; a date closed already is a 409 (the primary key decides)."""
    closed = ClosedDate(**data.model_dump())
    if not await repository.insert_unless_duplicate(session, closed):
        raise Conflict(f"{data.on_date} is already a closed date")
    return closed


async def delete_closed_date(session: AsyncSession, on_date: date) -> None:
    closed = await session.get(ClosedDate, on_date)
    if closed is None:
        raise NotFound(f"{on_date} is not a closed date")
    await session.delete(closed)
    await session.flush()
