"""The day board's layout: doctors as columns, the day as a time grid, no I/O.

What is free, booked or bookable comes from `clinic.availability.service.day_board`; this
module only places it on the grid, in minutes from the first hour shown.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from clinic.availability.service import DoctorDay

DEFAULT_HOURS = (time(8), time(20))  # shown when nobody works that day


@dataclass(frozen=True)
class Placed:
    """Something on the grid: `top` and `length` in minutes."""

    top: int
    length: int


@dataclass(frozen=True)
class BookedBlock(Placed):
    appointment_id: int
    patient_name: str
    status: str
    start: datetime
    end: datetime
    confirmed: bool = False  # the patient confirmed they will come (a reminder's button)


@dataclass(frozen=True)
class FreeBlock(Placed):
    start: datetime
    bookable: bool  # False when past the booking notice, beyond the horizon, or inactive


@dataclass(frozen=True)
class HeldBlock(Placed):
    """A slot held for a patient who is confirming (or a waitlist offer), until `expires_at`."""

    start: datetime
    expires_at: datetime


@dataclass
class Column:
    doctor_id: int
    doctor_name: str
    specialty: str  # its name, in the staff's language
    closed: str | None = None  # why the whole day is shaded: "clinic_closed" or "day_off"
    open: list[Placed] = field(default_factory=list)
    free: list[FreeBlock] = field(default_factory=list)
    booked: list[BookedBlock] = field(default_factory=list)
    held: list[HeldBlock] = field(default_factory=list)


@dataclass(frozen=True)
class HourMark:
    top: int
    label: str


@dataclass(frozen=True)
class Board:
    day: date
    minutes: int  # height of the grid
    hours: list[HourMark]
    columns: list[Column]


def _minute_of_day(moment: datetime, tz: ZoneInfo) -> int:
    local = moment.astimezone(tz)
    return local.hour * 60 + local.minute


def _length(start: datetime, end: datetime) -> int:
    return max(int((end - start).total_seconds() // 60), 1)


def build_board(
    day: date,
    tz: ZoneInfo,
    doctor_days: Sequence[DoctorDay],
    specialty_names: Mapping[str, str],
    holds: Sequence[Mapping[str, Any]] = (),
) -> Board:
    """Lay out one day; `specialty_names` maps a specialty code to the name staff read;
    `holds` are the day's active holds (doctor_id, start_time, end_time, expires_at)."""
    # Collect everything in minutes from local midnight first, then fit the grid around it.
    spans: list[tuple[int, int]] = []
    columns: list[Column] = []
    for doctor_day in doctor_days:
        doctor = doctor_day.doctor
        column = Column(
            doctor.id,
            doctor.full_name,
            specialty_names.get(doctor.specialty_code, doctor.specialty_code),
            doctor_day.closed,
        )
        for interval in doctor_day.hours:
            top = interval.start.hour * 60 + interval.start.minute
            bottom = interval.end.hour * 60 + interval.end.minute
            column.open.append(Placed(top, bottom - top))
            spans.append((top, bottom))
        for slot in doctor_day.free:
            top = _minute_of_day(slot.start, tz)
            column.free.append(
                FreeBlock(top, _length(slot.start, slot.end), slot.start, slot.bookable)
            )
        for visit in doctor_day.visits:
            top = _minute_of_day(visit.start_time, tz)
            length = _length(visit.start_time, visit.end_time)
            column.booked.append(
                BookedBlock(
                    top,
                    length,
                    visit.id,
                    visit.patient_name,
                    visit.status,
                    visit.start_time,
                    visit.end_time,
                    confirmed=visit.confirmed_at is not None,
                )
            )
            spans.append((top, top + length))
        for held in holds:
            if held["doctor_id"] == doctor.id:
                top = _minute_of_day(held["start_time"], tz)
                length = _length(held["start_time"], held["end_time"])
                column.held.append(HeldBlock(top, length, held["start_time"], held["expires_at"]))
        columns.append(column)

    if not spans:
        spans.append((DEFAULT_HOURS[0].hour * 60, DEFAULT_HOURS[1].hour * 60))
    first_hour = min(s for s, _ in spans) // 60
    last_hour = min(-(-max(e for _, e in spans) // 60), 24)
    origin = first_hour * 60
    return Board(
        day=day,
        minutes=(last_hour - first_hour) * 60,
        hours=[
            HourMark((h - first_hour) * 60, f"{h:02d}:00") for h in range(first_hour, last_hour)
        ],
        columns=[_shifted(column, origin) for column in columns],
    )


def _shifted(column: Column, origin: int) -> Column:
    """The column with every block measured from the grid's first hour instead of midnight."""
    column.open = [replace(p, top=p.top - origin) for p in column.open]
    column.free = [replace(f, top=f.top - origin) for f in column.free]
    column.booked = [replace(b, top=b.top - origin) for b in column.booked]
    column.held = [replace(h, top=h.top - origin) for h in column.held]
    return column


def neighbours(day: date) -> tuple[date, date]:
    return day - timedelta(days=1), day + timedelta(days=1)
