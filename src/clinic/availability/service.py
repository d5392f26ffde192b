"""Free-slot search and the booking-time rules: when may this doctor be booked?"""

import heapq
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from clinic.availability import alternatives, repository
from clinic.availability.booked_through import BookedThrough
from clinic.availability.repository import DoctorInfo, Visit
from clinic.availability.schemas import SlotRead
from clinic.core.driver import Executor
from clinic.core.errors import RuleViolation
from clinic.core.settings import Settings
from clinic.core.timeutils import local_day_bounds
from clinic.doctors.service import get_specialty_or_raise
from clinic.scheduling.slots import DoctorSchedule, Interval, Slot, free_slots, slot_at

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


async def doctor_on_day(
    session: Executor, doctor_id: int, day: date
) -> tuple[DoctorInfo, DoctorSchedule] | None:
    """The doctor (active or not) and their hours on `day`; None for an unknown doctor."""
    return await repository.load_doctor_day(session, doctor_id, day)


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
    """The active doctors a day board covers; an unknown doctor or specialty is a 422."""
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
    session: Executor,
    settings: Settings,
    query: SlotQuery,
    now: datetime,
    kept: repository.KeptSchedules | None = None,
) -> list[SlotRead]:
    """Free slots matching the query, earliest first, across all matching doctors. `kept`:
    schedules read before, on a connection in autocommit only (`repository.KeptSchedules`)."""
    if (query.specialty is None) == (query.doctor_id is None):
        raise RuleViolation("specialty", "one_of", "give exactly one of specialty or doctor_id")
    found: list[SlotRead] = []
    async for window in _windows(session, settings, query, now, kept):
        if not window.data.doctors:
            await _raise_unless_known(session, query)
            break
        doctors = [
            d for d in window.data.doctors if d.is_active and d.id != query.exclude_doctor_id
        ]
        names = {d.id: d for d in doctors}
        wanted = max(query.limit - len(found), 0)
        found.extend(
            _slot_read(names[s.doctor_id], s) for s in islice(window.merged(doctors), wanted)
        )
        if len(found) >= query.limit:
            break
    return found


async def nearest_alternatives(
    session: Executor,
    settings: Settings,
    doctor: DoctorInfo,
    wished: datetime,
    now: datetime,
    per_group: int,
    booked_through: BookedThrough | None = None,
) -> list[SlotRead]:
    """The nearest free slots from `wished`: up to `per_group` of this doctor's (when active),
    then up to `per_group` of the active colleagues of the same specialty, within the booking
    window; both groups from one gap search (`clinic.availability.alternatives`), which skips
    stretches `booked_through` knows are booked solid (reads of committed data only)."""
    bookable = BookingWindow.seen_at(settings, now)
    start = max(wished, bookable.opens)
    # A wish past the window still looks at its own moment, as the slot search does.
    end = max(bookable.closes, start)
    found = await alternatives.nearest(
        session, settings.tz, doctor, start, end, per_group, now=now, booked_through=booked_through
    )
    return [_slot_read(d, s) for d, s in (*found.same, *found.colleagues)]


@dataclass(frozen=True)
class _Window:
    """One search window's data (one query) and the query's time-of-day bounds."""

    data: repository.SearchData
    tz: ZoneInfo
    start: datetime
    end: datetime
    time_from: time | None
    time_to: time | None

    def free(self, doctor: DoctorInfo) -> Iterator[Slot]:
        """The doctor's free slots in the window, earliest first, generated lazily."""
        return free_slots(
            self.data.schedules[doctor.id],
            self.tz,
            self.start,
            self.end,
            self.data.busy.get(doctor.id, []),
            self.time_from,
            self.time_to,
        )

    def merged(self, doctors: Sequence[DoctorInfo]) -> Iterator[Slot]:
        """Free slots merged across doctors, earliest first: a search for the next three
        slots computes little more than three."""
        return heapq.merge(*(self.free(d) for d in doctors), key=lambda s: (s.start, s.doctor_id))


async def _windows(
    session: Executor,
    settings: Settings,
    query: SlotQuery,
    now: datetime,
    kept: repository.KeptSchedules | None = None,
) -> AsyncIterator[_Window]:
    """The search windows in turn, nearest first; the caller stops when it has enough."""
    tz = settings.tz
    bookable = BookingWindow.seen_at(settings, now)
    start = max(query.start or bookable.opens, bookable.opens)
    end = min(query.end or bookable.closes, bookable.closes)
    chunk_start = start
    # An empty window still runs one query, so an unknown doctor is reported all the same.
    for chunk_end in list(_chunk_ends(start, end)) or [start]:
        data = await repository.load_search(
            session,
            doctor_id=query.doctor_id,
            specialty_code=query.specialty,
            first_day=chunk_start.astimezone(tz).date(),
            last_day=chunk_end.astimezone(tz).date(),
            start=chunk_start,
            end=chunk_end,
            kept=kept,
        )
        yield _Window(data, tz, chunk_start, chunk_end, query.time_from, query.time_to)
        # The next chunk starts just after this one: slot starts are inclusive on both ends.
        chunk_start = chunk_end + timedelta(microseconds=1)


def _slot_read(doctor: DoctorInfo, slot: Slot) -> SlotRead:
    return SlotRead(
        doctor_id=doctor.id,
        doctor_name=doctor.full_name,
        specialty=doctor.specialty_code,
        start=slot.start,
        end=slot.end,
    )


async def _raise_unless_known(session: Executor, query: SlotQuery) -> None:
    """A search found no doctor: an unknown doctor or specialty is a 422, else no slots."""
    if query.doctor_id is not None:
        raise RuleViolation(
            "doctor_id", "unknown_doctor", f"doctor {query.doctor_id} does not exist"
        )
    # No active doctor may also mean an unknown specialty code.
    if not await repository.specialty_exists(session, str(query.specialty)):
        raise RuleViolation(
            "specialty", "unknown_specialty", f"no specialty with code {query.specialty!r}"
        )


def _chunk_ends(start: datetime, end: datetime) -> Iterator[datetime]:
    for step in SEARCH_STEPS:
        if start + step >= end:
            break
        yield start + step
    if start <= end:
        yield end


def check_bookable(
    settings: Settings,
    doctor: DoctorInfo,
    schedule: DoctorSchedule,
    start: datetime,
    now: datetime,
) -> datetime:
    """Enforce the booking rules for `start` with `doctor`; return the appointment's end.

    `schedule` needs to hold only the doctor's hours on the local day of `start`.
    """
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
