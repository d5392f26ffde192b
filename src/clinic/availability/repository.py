"""Queries behind the free-slot search: Core, index-driven, never one query per slot."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, literal, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.appointments.models import ACTIVE, Appointment
from clinic.doctors.models import ClosedDate, Doctor, ScheduleException, Specialty, WorkingHours
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


async def load_doctors(
    session: AsyncSession, *, specialty_code: str | None = None, doctor_id: int | None = None
) -> list[DoctorInfo]:
    query = (
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
    if specialty_code is not None:
        query = query.where(Specialty.code == specialty_code, Doctor.is_active)
    if doctor_id is not None:
        query = query.where(Doctor.id == doctor_id)
    return [DoctorInfo(**row._mapping) for row in await session.execute(query)]


async def load_schedules(
    session: AsyncSession, doctors: Sequence[DoctorInfo], first_day: date, last_day: date
) -> dict[int, DoctorSchedule]:
    """Weekly hours, exceptions and closed dates of the doctors for the days, in one round trip."""
    ids = [d.id for d in doctors]
    weekly = select(
        literal("weekly").label("kind"),
        WorkingHours.doctor_id,
        WorkingHours.weekday,
        null().label("on_date"),
        WorkingHours.start_time,
        WorkingHours.end_time,
    ).where(WorkingHours.doctor_id.in_(ids))
    exceptions = select(
        literal("exception"),
        ScheduleException.doctor_id,
        null(),
        ScheduleException.on_date,
        ScheduleException.start_time,
        ScheduleException.end_time,
    ).where(
        ScheduleException.doctor_id.in_(ids),
        ScheduleException.on_date.between(first_day, last_day),
    )
    closed = select(literal("closed"), null(), null(), ClosedDate.on_date, null(), null()).where(
        ClosedDate.on_date.between(first_day, last_day)
    )

    weekly_hours: dict[int, dict[int, list[Interval]]] = defaultdict(lambda: defaultdict(list))
    exception_hours: dict[int, dict[date, list[Interval]]] = defaultdict(lambda: defaultdict(list))
    closed_dates: set[date] = set()
    rows = (await session.execute(union_all(weekly, exceptions, closed))).mappings()
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
    """Active bookings overlapping [start, end), per doctor, sorted by start."""
    query = (
        select(Appointment.doctor_id, Appointment.start_time, Appointment.end_time)
        .where(
            Appointment.doctor_id.in_(doctor_ids),
            ACTIVE,  # spelled as in the partial index, so the planner can use it
            and_(Appointment.start_time >= start - MAX_SLOT, Appointment.start_time < end),
            Appointment.end_time > start,
        )
        .order_by(Appointment.doctor_id, Appointment.start_time)
    )
    busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for doctor_id, booked_start, booked_end in await session.execute(query):
        busy[doctor_id].append((booked_start, booked_end))
    return busy
