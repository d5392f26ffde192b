"""Hold rules: a hold obeys the booking rules, keeps the slot for HOLD_MINUTES, and belongs to
one patient; a patient holds one slot at a time (a new hold releases the earlier one)."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from clinic.availability import service as availability
from clinic.core.errors import Forbidden, HoldNotFound, RuleViolation, SlotTaken
from clinic.core.settings import Settings
from clinic.holds import repository
from clinic.holds.schemas import HoldCreate, HoldRead

if TYPE_CHECKING:  # the appointments service books held slots through this module
    from clinic.appointments.service import Actor

ALTERNATIVES_PER_GROUP = 3


def as_read(row: dict[str, Any]) -> HoldRead:
    return HoldRead(
        id=row["id"],
        doctor_id=row["doctor_id"],
        start=row["start_time"],
        end=row["end_time"],
        expires_at=row["expires_at"],
        patient_telegram_id=row["patient_telegram_id"],
    )


async def place_hold(
    session: AsyncSession, settings: Settings, data: HoldCreate, actor: "Actor", now: datetime
) -> HoldRead:
    """Hold a free, bookable slot for the patient. A slot that breaks a booking rule is a 422;
    one that is booked or held is SlotTaken with the nearest free alternatives."""
    patient = data.patient_telegram_id
    if actor.patient_telegram_id is not None:
        if patient not in (None, actor.patient_telegram_id):
            raise Forbidden("patient_telegram_id must be the patient in X-Patient-Telegram-Id")
        patient = actor.patient_telegram_id
    row = await hold_slot(session, settings, data.doctor_id, data.start_time, patient, now)
    if row is None:
        found = await availability.doctor_on_day(
            session, data.doctor_id, data.start_time.astimezone(settings.tz).date()
        )
        assert found is not None  # hold_slot checked the doctor
        alternatives = await availability.nearest_alternatives(
            session, settings, found[0], data.start_time, now, ALTERNATIVES_PER_GROUP
        )
        raise SlotTaken(
            "this time is already booked or held; see the nearest free alternatives",
            alternatives=[slot.model_dump(mode="json") for slot in alternatives],
        )
    return as_read(row)


async def hold_slot(
    session: AsyncSession,
    settings: Settings,
    doctor_id: int,
    start: datetime,
    patient_telegram_id: int | None,
    now: datetime,
    *,
    replace: bool = True,
) -> dict[str, Any] | None:
    """Place a hold under the booking rules (a RuleViolation when broken); None when the slot
    is booked or held. With `replace`, the patient's earlier holds are released first."""
    day = start.astimezone(settings.tz).date()
    found = await availability.doctor_on_day(session, doctor_id, day)
    if found is None:
        raise RuleViolation("doctor_id", "unknown_doctor", f"doctor {doctor_id} does not exist")
    doctor, schedule = found
    end = availability.check_bookable(settings, doctor, schedule, start, now)
    if replace and patient_telegram_id is not None:
        await repository.delete_of_patient(session, patient_telegram_id)
    return await repository.place(
        session, doctor_id, start, end, patient_telegram_id, settings.hold_minutes
    )


async def _get_visible_or_raise(
    session: AsyncSession, hold_id: int, actor: "Actor", *, lock: bool = False
) -> dict[str, Any]:
    row = await repository.get(session, hold_id, lock=lock)
    if row is None or not actor.may_see(row):
        raise HoldNotFound(f"hold {hold_id} does not exist")
    return row


async def release_hold(session: AsyncSession, hold_id: int, actor: "Actor") -> None:
    """Release early; another patient's hold is as unknown to the bot as a missing one."""
    await _get_visible_or_raise(session, hold_id, actor, lock=True)
    await repository.delete(session, hold_id)


async def take_for_booking(
    session: AsyncSession, hold_id: int, actor: "Actor", doctor_id: int, start: datetime
) -> None:
    """Before the booking of a held slot: the hold must be the actor's and name this very slot.
    It is deleted in the booking's transaction, so the booking's own check no longer sees it
    (and a failed booking rolls the deletion back). An expired hold is simply gone: the
    booking then succeeds only if the slot is still free."""
    row = await _get_visible_or_raise(session, hold_id, actor, lock=True)
    if row["doctor_id"] != doctor_id or row["start_time"] != start:
        raise RuleViolation(
            "hold_id",
            "hold_mismatch",
            "the hold is for another slot: book the held doctor and time",
        )
    await repository.consume(session, hold_id)


async def list_active(
    session: AsyncSession, start: datetime | None = None, end: datetime | None = None
) -> list[dict[str, Any]]:
    """Active holds with their doctor's name, for the staff board."""
    return list(await repository.list_active(session, start, end))
