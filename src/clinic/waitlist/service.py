"""Waitlist rules: join, leave, list; and when a slot frees, offer it to the first in line.

An offer is a hold placed for the waiting patient (HOLD_MINUTES, as any hold): they accept by
booking it with `hold_id`, which marks the entry booked. A decline or silence passes the slot
on: `decline_offer` and `pass_on_lapsed` put the entry back in line and offer the slot to the
next patient. Delivering an offer (a Telegram message with buttons) is the caller's part.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from clinic.availability import repository as availability_repository
from clinic.core.errors import (
    Conflict,
    Forbidden,
    RuleViolation,
    WaitlistEntryNotFound,
)
from clinic.core.settings import Settings
from clinic.doctors.service import get_specialty_or_raise
from clinic.holds import repository as holds_repository
from clinic.holds import service as holds
from clinic.holds.schemas import HoldRead
from clinic.waitlist import repository
from clinic.waitlist.schemas import WaitlistCreate, WaitlistPage, WaitlistRead

if TYPE_CHECKING:
    from clinic.appointments.service import Actor

OPEN = ("waiting", "offered")
MAX_OPEN_PER_PATIENT = 5  # enough for real needs; a bound on what one chat can queue


@dataclass(frozen=True)
class FreedSlot:
    """A slot that became free: a cancellation, a reschedule away, a new working day."""

    doctor_id: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Offer:
    """A freed slot held for the first patient in line: tell them, with accept/decline."""

    entry: WaitlistRead
    hold: HoldRead


async def join(
    session: AsyncSession, settings: Settings, data: WaitlistCreate, actor: "Actor", today: date
) -> WaitlistRead:
    """Put the patient at the end of the line for a specialty or a doctor and a window."""
    patient = data.patient_telegram_id
    if actor.patient_telegram_id is not None:
        if patient not in (None, actor.patient_telegram_id):
            raise Forbidden("patient_telegram_id must be the patient in X-Patient-Telegram-Id")
        patient = actor.patient_telegram_id
    if patient is None:
        raise RuleViolation(
            "patient_telegram_id", "required", "offers go by Telegram: name the patient"
        )
    if (data.specialty is None) == (data.doctor_id is None):
        raise RuleViolation("specialty", "one_of", "give exactly one of specialty or doctor_id")
    if data.first_day > data.last_day:
        raise RuleViolation("last_day", "window", "last_day must not be before first_day")
    if data.last_day < today:
        raise RuleViolation("last_day", "in_past", "the window has already passed")
    if (data.last_day - today).days > settings.booking_horizon_days:
        raise RuleViolation(
            "last_day",
            "booking_horizon",
            f"bookings open {settings.booking_horizon_days} days ahead",
        )
    if data.time_from and data.time_to and data.time_from > data.time_to:
        raise RuleViolation("time_to", "window", "time_to must not be before time_from")
    specialty_id = None
    if data.specialty is not None:
        specialty_id = (await get_specialty_or_raise(session, data.specialty, "specialty")).id
    elif not await _doctor_exists(session, data.doctor_id):
        raise RuleViolation(
            "doctor_id", "unknown_doctor", f"doctor {data.doctor_id} does not exist"
        )
    if await repository.count_open_of_patient(session, patient) >= MAX_OPEN_PER_PATIENT:
        raise Conflict(f"a patient waits in at most {MAX_OPEN_PER_PATIENT} lines at once")
    values = data.model_dump(exclude={"specialty"})
    values |= {"specialty_id": specialty_id, "patient_telegram_id": patient}
    return WaitlistRead.model_validate(await repository.add(session, values))


async def _doctor_exists(session: AsyncSession, doctor_id: int | None) -> bool:
    found = await availability_repository.load_doctors(session, doctor_id=doctor_id)
    return doctor_id is not None and bool(found)


async def list_entries(
    session: AsyncSession,
    actor: "Actor",
    *,
    patient_telegram_id: int | None = None,
    open_only: bool = True,
    limit: int = 50,
    offset: int = 0,
) -> WaitlistPage:
    """The line in arrival order; the bot sees its own patient's entries only."""
    if actor.patient_telegram_id is not None:
        if patient_telegram_id not in (None, actor.patient_telegram_id):
            raise Forbidden("the bot role lists only the patient in X-Patient-Telegram-Id")
        patient_telegram_id = actor.patient_telegram_id
    statuses = OPEN if open_only else ("waiting", "offered", "booked", "left")
    rows, total = await repository.list_page(session, patient_telegram_id, statuses, limit, offset)
    return WaitlistPage(
        items=[WaitlistRead.model_validate(r) for r in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


async def leave(session: AsyncSession, entry_id: int, actor: "Actor") -> None:
    """Leave the line (idempotent); a slot held as an offer is released."""
    row = await repository.get(session, entry_id, lock=True)
    if row is None or not actor.may_see(row):
        raise WaitlistEntryNotFound(f"waitlist entry {entry_id} does not exist")
    if row["status"] in OPEN:
        if row["hold_id"] is not None:
            await holds_repository.delete(session, row["hold_id"])
        await repository.set_status(session, entry_id, "left")


async def current_offers(session: AsyncSession) -> list[dict[str, Any]]:
    """The offers out now, by slot, for the staff board: the patient, the slot, when the hold
    expires and what became of the message (sent_at, failure, notified_at: being sent)."""
    return await repository.current_offers(session)


async def first_in_line(
    session: AsyncSession, settings: Settings, slot: FreedSlot
) -> WaitlistRead | None:
    """Who would be offered the freed slot now (no lock, no change)."""
    row = await _first(session, settings, slot, lock=False)
    return None if row is None else WaitlistRead.model_validate(row)


async def _first(
    session: AsyncSession, settings: Settings, slot: FreedSlot, *, lock: bool
) -> dict[str, Any] | None:
    local = slot.start.astimezone(settings.tz)
    return await repository.first_in_line(
        session, slot.doctor_id, slot.start, local.date(), local.time(), lock=lock
    )


async def offer_next(
    session: AsyncSession, settings: Settings, slot: FreedSlot, now: datetime
) -> Offer | None:
    """Hold the freed slot for the first patient in line who wants it and record the offer;
    None when nobody waits for it, or it is booked, held or no longer bookable.

    Safe under concurrency: the slot's lock comes first, so two offers of one slot serialise
    and the second finds it held; the line is read `FOR UPDATE SKIP LOCKED`, so offers of
    different slots running at once go to different patients, in arrival order."""
    if not await repository.lock_slot(session, slot.doctor_id, slot.start, slot.end):
        return None
    entry = await _first(session, settings, slot, lock=True)
    if entry is None:
        return None
    try:
        hold = await holds.hold_slot(
            session,
            settings,
            slot.doctor_id,
            slot.start,
            entry["patient_telegram_id"],
            now,
            replace=False,  # a hold the patient placed in a dialog stays theirs
        )
    except RuleViolation:
        return None  # too soon, past, a day off since: nothing to offer
    if hold is None:
        return None
    await repository.record_offer(
        session, entry["id"], hold["id"], slot.doctor_id, slot.start, hold["end_time"]
    )
    offered = await repository.get(session, entry["id"])
    assert offered is not None
    return Offer(WaitlistRead.model_validate(offered), holds.as_read(hold))


async def decline_offer(
    session: AsyncSession, settings: Settings, entry_id: int, now: datetime
) -> Offer | None:
    """The patient declined: release the hold, keep them in line for other slots, and offer
    the slot to the next in line (the new offer, or None)."""
    row = await repository.get(session, entry_id, lock=True)
    if row is None or row["status"] != "offered" or row["hold_id"] is None:
        return None
    hold = await holds_repository.get(session, row["hold_id"])
    await holds_repository.delete(session, row["hold_id"])
    await repository.set_status(session, entry_id, "waiting")
    if hold is None:
        return None
    slot = FreedSlot(hold["doctor_id"], hold["start_time"], hold["end_time"])
    return await offer_next(session, settings, slot, now)


async def decline(
    session: AsyncSession, settings: Settings, entry_id: int, actor: "Actor", now: datetime
) -> WaitlistRead:
    """The patient's "no, thanks" to the slot offered now (a bot button, or staff for them):
    the slot goes to the next in line; the patient stays in line for other slots."""
    row = await repository.get(session, entry_id, lock=True)
    if row is None or not actor.may_see(row):
        raise WaitlistEntryNotFound(f"waitlist entry {entry_id} does not exist")
    if row["status"] != "offered" or row["hold_id"] is None:
        raise Conflict("no slot is offered to this waitlist entry now")
    await decline_offer(session, settings, entry_id, now)
    declined = await repository.get(session, entry_id)
    assert declined is not None
    return WaitlistRead.model_validate(declined)


async def pass_on_lapsed(session: AsyncSession, settings: Settings, now: datetime) -> list[Offer]:
    """Offers left unanswered for HOLD_MINUTES (or released) go back in line, and each slot
    is offered to the next patient: the new offers. Run it every minute or so."""
    offers = []
    for lapsed in await repository.take_lapsed_offers(session):
        slot = FreedSlot(lapsed["doctor_id"], lapsed["start_time"], lapsed["end_time"])
        offer = await offer_next(session, settings, slot, now)
        if offer is not None:
            offers.append(offer)
    return offers
