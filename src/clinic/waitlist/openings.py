"""Days that may have opened (weekly hours added, an exception lifted or given hours, a closed
date removed, a doctor taking bookings again) turned into offers: each patient in line whose
wish meets those days, in line order, is offered the earliest free slot there that was not
offered to them before.

One read brings the free time of every doctor concerned (the slot search's own statement);
choosing slots is arithmetic, and a patient costs one offer (`service.offer_next`, a lock and
a hold), never a query per candidate slot.
"""

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from clinic.availability import repository as availability_repository
from clinic.availability.repository import DoctorInfo, SearchData
from clinic.availability.service import BookingWindow
from clinic.core.settings import Settings
from clinic.core.timeutils import local_day_bounds
from clinic.scheduling.slots import Slot, free_slots
from clinic.waitlist import repository
from clinic.waitlist.service import FreedSlot, Offer, offer_next

# Slots tried for one patient before the next: a try fails only when another worker or a
# booking took the slot since the read, so a few tries are plenty.
TRIES_PER_ENTRY = 3


Days = tuple[tuple[date | None, date | None], ...]
EVERY_DAY_AHEAD: Days = ((None, None),)


@dataclass(frozen=True)
class Opening:
    """Days of a doctor (None: every doctor, a clinic-wide date) that may have opened, as
    (first, last) ranges: no first day means from today, no last day up to the horizon."""

    doctor_id: int | None
    days: Days = EVERY_DAY_AHEAD


async def offer_opened(
    session: AsyncSession, settings: Settings, opening: Opening, now: datetime
) -> list[Offer]:
    """Offer the free slots of the opened days to the patients in line who want them; the
    offers made (at most one per patient)."""
    tz = settings.tz
    window = BookingWindow.seen_at(settings, now)
    days = _bookable(opening.days, window, settings)
    if not days:
        return []  # past days, or beyond the horizon
    first, last = days[0][0], max(d[1] for d in days)
    entries = await repository.in_line_for_days(session, opening.doctor_id, first, last)
    entries = [e for e in entries if any(_overlap(e, d) for d in days)]
    if not entries:
        return []
    # Only the days some patient waits for are read.
    first = max(first, min(e["first_day"] for e in entries))
    last = min(last, max(e["last_day"] for e in entries))
    start = max(window.opens, local_day_bounds(first, tz)[0])
    end = min(window.closes, local_day_bounds(last, tz)[1])
    if opening.doctor_id is not None:
        doctor_ids = [opening.doctor_id]
    else:
        doctor_ids = await repository.doctors_wanted(
            session,
            sorted({e["doctor_id"] for e in entries if e["doctor_id"] is not None}),
            sorted({e["specialty"] for e in entries if e["specialty"] is not None}),
        )
    data = await availability_repository.load_search(
        session, doctor_ids=doctor_ids, first_day=first, last_day=last, start=start, end=end
    )
    if not data.doctors:
        return []
    offered = await repository.offered_slots(session, [e["id"] for e in entries], start)
    taken: set[tuple[int, datetime]] = set()  # offered during this pass
    offers: list[Offer] = []
    for entry in entries:
        tries = 0
        for slot in _free_for(entry, data, settings, start, end):
            key = (slot.doctor_id, slot.start)
            if key in taken or (entry["id"], *key) in offered:
                continue
            if not _within(slot.start.astimezone(tz).date(), days):
                continue  # between two opened ranges: nothing changed there
            tries += 1
            offer = await offer_next(
                session, settings, FreedSlot(slot.doctor_id, slot.start, slot.end), now
            )
            taken.add(key)
            if offer is not None:
                offers.append(offer)
                if offer.entry.id == entry["id"]:
                    break
            if tries >= TRIES_PER_ENTRY:
                break
    return offers


def _bookable(days: Days, window: BookingWindow, settings: Settings) -> list[tuple[date, date]]:
    """The ranges cut to the days a booking may fall on now, earliest first."""
    tz = settings.tz
    opens, closes = window.opens.astimezone(tz).date(), window.closes.astimezone(tz).date()
    cut = [(max(first or opens, opens), min(last or closes, closes)) for first, last in days]
    return sorted((first, last) for first, last in cut if first <= last)


def _overlap(entry: dict[str, Any], days: tuple[date, date]) -> bool:
    return bool(entry["first_day"] <= days[1] and days[0] <= entry["last_day"])


def _within(day: date, days: Sequence[tuple[date, date]]) -> bool:
    return any(first <= day <= last for first, last in days)


def _free_for(
    entry: dict[str, Any], data: SearchData, settings: Settings, start: datetime, end: datetime
) -> Iterator[Slot]:
    """The free slots the entry wants, earliest first (doctor id breaks a tie)."""
    tz = settings.tz
    since = max(start, local_day_bounds(entry["first_day"], tz)[0])
    until = min(end, local_day_bounds(entry["last_day"], tz)[1])
    if since >= until:
        return iter(())
    doctors: Sequence[DoctorInfo] = [d for d in data.doctors if _wants(entry, d)]
    per_doctor = [
        free_slots(
            data.schedules[d.id],
            tz,
            since,
            until,
            data.busy.get(d.id, ()),
            entry["time_from"],
            entry["time_to"],
        )
        for d in doctors
    ]
    merged = heapq.merge(*per_doctor, key=lambda s: (s.start, s.doctor_id))
    # free_slots' end is inclusive: a slot at the next midnight is not the entry's day.
    return (slot for slot in merged if slot.start < until)


def _wants(entry: dict[str, Any], doctor: DoctorInfo) -> bool:
    if entry["doctor_id"] is not None:
        return bool(entry["doctor_id"] == doctor.id)
    return bool(entry["specialty"] == doctor.specialty_code)
