"""Free-slot search and the booking-time rules: when may this doctor be booked?"""

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from clinic.availability import repository
from clinic.availability.repository import DoctorInfo, Visit
from clinic.availability.schemas import SlotRead
from clinic.core.errors import RuleViolation
from clinic.core.settings import Settings
from clinic.core.timeutils import local_day_bounds
from clinic.doctors.service import get_specialty_or_raise
from clinic.scheduling.slots import Interval, Slot, free_slots, slot_at

# The search looks at the nearest days first and widens only when they are full, so asking for
# "the next three free slots" reads a few days of bookings, not the whole booking horizon.
SEARCH_STEPS = (timedelta(days=3), timedelta(days=14))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class BookingWindow:
    """When a visit may start, seen from a moment: after the minimum notice, within the
    booking horizon. The one definition the search, the booking rules and the board share."""

    opens: datetime
    closes: datetime

    @classmethod
    def seen_at(cls, settings: Settings, now: datetime) -> "BookingWindow":
        return cls(now + settings.min_notice, now + settings.booking_horizon)

    def admits(self, start: datetime) -> bool:
        return self.opens <= start <= self.closes


@dataclass(frozen=True)
class FreeSlot:
    start: datetime
    end: datetime
    bookable: bool  # inside the booking window, with a doctor taking bookings


@dataclass(frozen=True)
class DoctorDay:
    """One doctor's local day: working hours, why it is closed, free slots and visits."""

    doctor: DoctorInfo
    hours: Sequence[Interval]
    closed: Literal["clinic_closed", "day_off"] | None
    free: list[FreeSlot]
    visits: list[Visit]


@dataclass(frozen=True)
class SlotQuery:
    specialty: str | None = None
    doctor_id: int | None = None
    start: datetime | None = None
    end: datetime | None = None
    time_from: time | None = None
    time_to: time | None = None
    limit: int = 20
    exclude_doctor_id: int | None = None


async def get_doctor_info_or_422(session: AsyncSession, doctor_id: int) -> DoctorInfo:
    """The doctor a request body or query names, active or not, as the booking rules read it;
    an unknown id is a 422 on `doctor_id` (a path id is a 404: `doctors.service`)."""
    doctors = await repository.load_doctors(session, doctor_id=doctor_id)
    if not doctors:
        raise RuleViolation("doctor_id", "unknown_doctor", f"doctor {doctor_id} does not exist")
    return doctors[0]


async def find_doctors(
    session: AsyncSession, *, specialty: str | None, doctor_id: int | None
) -> list[DoctorInfo]:
    """The active doctors a slot search covers; an unknown doctor or specialty is a 422."""
    if (specialty is None) == (doctor_id is None):
        raise RuleViolation("specialty", "one_of", "give exactly one of specialty or doctor_id")
    if doctor_id is not None:
        doctor = await get_doctor_info_or_422(session, doctor_id)
        return [doctor] if doctor.is_active else []
    # The query returns the specialty's active doctors; none may mean an unknown code.
    doctors = await repository.load_doctors(session, specialty_code=specialty)
    if not doctors:
        await get_specialty_or_raise(session, str(specialty), "specialty")  # raises when unknown
    return doctors


async def search_slots(
    session: AsyncSession, settings: Settings, query: SlotQuery, now: datetime
) -> list[SlotRead]:
    """Free slots matching the query, earliest first, across all matching doctors."""
    doctors = await find_doctors(session, specialty=query.specialty, doctor_id=query.doctor_id)
    doctors = [d for d in doctors if d.id != query.exclude_doctor_id]
    window = BookingWindow.seen_at(settings, now)
    start = max(query.start or window.opens, window.opens)
    end = min(query.end or window.closes, window.closes)
    found: list[SlotRead] = []
    if not doctors or query.limit <= 0:
        return found
    names = {d.id: d for d in doctors}

    chunk_start = start
    for chunk_end in _chunk_ends(start, end):
        for slot in await _free_in_window(
            session, settings, doctors, chunk_start, chunk_end, query
        ):
            info = names[slot.doctor_id]
            found.append(
                SlotRead(
                    doctor_id=info.id,
                    doctor_name=info.full_name,
                    specialty=info.specialty_code,
                    start=slot.start,
                    end=slot.end,
                )
            )
            if len(found) >= query.limit:
                return found
        # The next chunk starts just after this one: slot starts are inclusive on both ends.
        chunk_start = chunk_end + timedelta(microseconds=1)
    return found


def _chunk_ends(start: datetime, end: datetime) -> Iterator[datetime]:
    for step in SEARCH_STEPS:
        if start + step >= end:
            break
        yield start + step
    if start <= end:
        yield end


async def _free_in_window(
    session: AsyncSession,
    settings: Settings,
    doctors: Sequence[DoctorInfo],
    start: datetime,
    end: datetime,
    query: SlotQuery,
) -> Iterator[Slot]:
    """Free slots in the window, merged across doctors, earliest first, generated lazily:
    a search for the next three slots computes little more than three."""
    tz = settings.tz
    schedules = await repository.load_schedules(
        session, doctors, start.astimezone(tz).date(), end.astimezone(tz).date()
    )
    busy = await repository.load_busy(session, [d.id for d in doctors], start, end)
    per_doctor = [
        free_slots(
            schedules[d.id], tz, start, end, busy.get(d.id, []), query.time_from, query.time_to
        )
        for d in doctors
    ]
    return heapq.merge(*per_doctor, key=lambda s: (s.start, s.doctor_id))


async def check_bookable(
    session: AsyncSession, settings: Settings, doctor: DoctorInfo, start: datetime, now: datetime
) -> datetime:
    """Enforce the booking rules for `start` with `doctor`; return the appointment's end."""
    if not doctor.is_active:
        raise RuleViolation("doctor_id", "doctor_inactive", "the doctor is not taking bookings")
    window = BookingWindow.seen_at(settings, now)
    if start < now:
        raise RuleViolation("start_time", "in_past", "the time has already passed")
    if start < window.opens:
        raise RuleViolation(
            "start_time",
            "min_notice",
            f"book at least {settings.min_notice_minutes} minutes ahead",
        )
    if start > window.closes:
        raise RuleViolation(
            "start_time",
            "booking_horizon",
            f"bookings open {settings.booking_horizon_days} days ahead",
        )
    tz = settings.tz
    day = start.astimezone(tz).date()
    schedule = (await repository.load_schedules(session, [doctor], day, day))[doctor.id]
    if day in schedule.closed_dates:
        raise RuleViolation("start_time", "clinic_closed", f"the clinic is closed on {day}")
    if schedule.exceptions.get(day) == []:
        raise RuleViolation(
            "start_time",
            "day_off",
            f"the doctor does not work on {day}: a schedule exception (leave, a day off)",
        )
    intervals = schedule.intervals_on(day)
    if not intervals:
        raise RuleViolation(
            "start_time",
            "day_off",
            f"the doctor does not work on {day}: {WEEKDAYS[day.weekday()]}s are a day off",
        )
    slot = slot_at(schedule, start, tz)
    if slot is None:
        local = start.astimezone(tz).time()
        inside = any(i.start <= local < i.end for i in intervals)
        if inside:
            raise RuleViolation(
                "start_time",
                "slot_grid",
                f"appointments with this doctor start every {doctor.slot_minutes} minutes",
            )
        if day in schedule.exceptions:
            raise RuleViolation(
                "start_time",
                "working_hours",
                f"outside the doctor's hours on {day} (set by a schedule exception)",
            )
        raise RuleViolation("start_time", "working_hours", "outside the doctor's working hours")
    return slot.end


async def day_board(
    session: AsyncSession,
    settings: Settings,
    day: date,
    now: datetime,
    *,
    specialty: str | None = None,
    doctor_id: int | None = None,
) -> list[DoctorDay]:
    """Each doctor's `day` as the staff's day board shows it, doctors in id order.

    One doctor (active or not) when `doctor_id` is given; otherwise the active doctors, of one
    specialty when it is given (an unknown specialty is a 422). A free slot is bookable under
    the same window as a booking.
    """
    if doctor_id is not None:
        doctors = [await get_doctor_info_or_422(session, doctor_id)]
    elif specialty is not None:
        doctors = await find_doctors(session, specialty=specialty, doctor_id=None)
    else:
        doctors = [d for d in await repository.load_doctors(session) if d.is_active]
    tz = settings.tz
    start, end = local_day_bounds(day, tz)
    ids = [d.id for d in doctors]
    schedules = await repository.load_schedules(session, doctors, day, day)
    busy = await repository.load_busy(session, ids, start, end)
    visits = await repository.load_visits(session, ids, start, end)
    window = BookingWindow.seen_at(settings, now)
    days = []
    for doctor in doctors:
        schedule = schedules[doctor.id]
        hours = schedule.intervals_on(day)
        closed: Literal["clinic_closed", "day_off"] | None = None
        if day in schedule.closed_dates:
            closed = "clinic_closed"
        elif not hours:
            closed = "day_off"
        free = [
            FreeSlot(slot.start, slot.end, doctor.is_active and window.admits(slot.start))
            for slot in free_slots(schedule, tz, start, end, busy.get(doctor.id, ()))
            if slot.start < end  # the search's end is inclusive; the next midnight is not ours
        ]
        mine = [visit for visit in visits if visit.doctor_id == doctor.id]
        days.append(DoctorDay(doctor, hours, closed, free, mine))
    return days
