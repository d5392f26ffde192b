"""Queries behind the free-slot search: Core, index-driven, never one query per slot."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    Date,
    DateTime,
    and_,
    bindparam,
    literal,
    null,
    select,
    union_all,
)
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
_BUSY = (
    select(Appointment.doctor_id, Appointment.start_time, Appointment.end_time)
    .where(
        Appointment.doctor_id.in_(_IDS),
        ACTIVE,  # spelled as in the partial index, so the planner can use it
        and_(Appointment.start_time >= _SINCE, Appointment.start_time < _UNTIL),
        Appointment.end_time > _START,
    )
    .order_by(Appointment.doctor_id, Appointment.start_time)
)


@dataclass(frozen=True)
class Visit:
    """An active appointment as the staff's day board shows it."""

    id: int
    doctor_id: int
    patient_name: str
    status: str
    start_time: datetime
    end_time: datetime


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
