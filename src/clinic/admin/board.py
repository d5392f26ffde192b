"""The day board's layout: doctors as columns, the day as a time grid, no I/O.

Slot arithmetic comes from `clinic.scheduling`; this module only places things on the grid, in
minutes from the first hour shown.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from clinic.availability.repository import DoctorInfo
from clinic.core.timeutils import local_day_bounds
from clinic.scheduling.slots import DoctorSchedule, free_slots

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
    label: str  # "10:00–10:30"


@dataclass(frozen=True)
class FreeBlock(Placed):
    label: str
    start: datetime
    bookable: bool  # False when already past the booking notice


@dataclass
class Column:
    doctor_id: int
    doctor_name: str
    specialty: str
    closed_note: str | None = None  # why the whole day is shaded
    open: list[Placed] = field(default_factory=list)
    free: list[FreeBlock] = field(default_factory=list)
    booked: list[BookedBlock] = field(default_factory=list)


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


def _clock(moment: datetime, tz: ZoneInfo) -> str:
    return f"{moment.astimezone(tz):%H:%M}"


def _length(start: datetime, end: datetime) -> int:
    return max(int((end - start).total_seconds() // 60), 1)


def build_board(
    day: date,
    tz: ZoneInfo,
    doctors: Sequence[DoctorInfo],
    schedules: Mapping[int, DoctorSchedule],
    busy: Mapping[int, Sequence[tuple[datetime, datetime]]],
    appointments: Sequence[Mapping[str, Any]],
    bookable_from: datetime,
) -> Board:
    """Lay out one day. `appointments` are the day's active ones (id, doctor_id, patient_name,
    status, start_time, end_time); slots starting before `bookable_from` are shown as past."""
    day_start, day_end = local_day_bounds(day, tz)
    # Collect everything in minutes from local midnight first, then fit the grid around it.
    spans: list[tuple[int, int]] = []
    columns: dict[int, Column] = {}
    for doctor in doctors:
        schedule = schedules[doctor.id]
        column = Column(doctor.id, doctor.full_name, doctor.specialty_code)
        if day in schedule.closed_dates:
            column.closed_note = "Clinic closed"
        elif not schedule.intervals_on(day):
            column.closed_note = "Day off"
        for interval in schedule.intervals_on(day):
            top = interval.start.hour * 60 + interval.start.minute
            bottom = interval.end.hour * 60 + interval.end.minute
            column.open.append(Placed(top, bottom - top))
            spans.append((top, bottom))
        for slot in free_slots(schedule, tz, day_start, day_end, busy.get(doctor.id, ())):
            if slot.start >= day_end:
                continue
            top = _minute_of_day(slot.start, tz)
            column.free.append(
                FreeBlock(
                    top,
                    _length(slot.start, slot.end),
                    _clock(slot.start, tz),
                    slot.start,
                    slot.start >= bookable_from,
                )
            )
        columns[doctor.id] = column
    for row in appointments:
        column_or_none = columns.get(row["doctor_id"])
        if column_or_none is None:
            continue
        top = _minute_of_day(row["start_time"], tz)
        length = _length(row["start_time"], row["end_time"])
        column_or_none.booked.append(
            BookedBlock(
                top,
                length,
                row["id"],
                row["patient_name"],
                row["status"],
                f"{_clock(row['start_time'], tz)}–{_clock(row['end_time'], tz)}",
            )
        )
        spans.append((top, top + length))

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
        columns=[_shifted(columns[d.id], origin) for d in doctors],
    )


def _shifted(column: Column, origin: int) -> Column:
    """The column with every block measured from the grid's first hour instead of midnight."""
    column.open = [replace(p, top=p.top - origin) for p in column.open]
    column.free = [replace(f, top=f.top - origin) for f in column.free]
    column.booked = [replace(b, top=b.top - origin) for b in column.booked]
    return column


def neighbours(day: date) -> tuple[date, date]:
    return day - timedelta(days=1), day + timedelta(days=1)
