"""Booking rules: create, reschedule, cancel and change status, on every write path alike.

Services never commit: the request's unit of work does. The database has the last word on
overlaps (unique index + exclusion constraint); the checks here give the clear 422s.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.appointments import repository
from clinic.appointments.models import AppointmentSource, AppointmentStatus
from clinic.appointments.schemas import (
    AppointmentCreate,
    AppointmentEventRead,
    AppointmentFilter,
    AppointmentPage,
    AppointmentRead,
    AppointmentUpdate,
)
from clinic.availability import service as availability
from clinic.availability.repository import DoctorInfo
from clinic.core.errors import AppointmentNotFound, Conflict, Forbidden, RuleViolation, SlotTaken
from clinic.core.settings import Role, Settings

# unique_violation, exclusion_violation, and deadlock_detected: the last happens when two
# appointments swap slots concurrently; for the loser it means the same thing, the slot is taken.
SLOT_CONFLICT_STATES = {"23505", "23P01", "40P01"}
ALTERNATIVES_PER_GROUP = 3


@dataclass(frozen=True)
class Actor:
    """Who changes an appointment: the token's role, the channel recorded in the history, and
    for the bot the one patient it acts for (None: staff, who may act for anyone)."""

    role: Role
    source: AppointmentSource
    patient_telegram_id: int | None = None

    def may_see(self, row: Mapping[str, Any]) -> bool:
        return self.patient_telegram_id in (None, row["patient_telegram_id"])


@dataclass(frozen=True)
class Booking:
    appointment: AppointmentRead
    replayed: bool  # True when an idempotent retry returned an earlier booking


async def create_appointment(
    session: AsyncSession,
    settings: Settings,
    data: AppointmentCreate,
    actor: Actor,
    now: datetime,
    idempotency_key: str | None = None,
) -> Booking:
    """Book a slot. A taken slot raises SlotTaken with the nearest free alternatives."""
    data = _owned_by_patient(data, actor)
    if idempotency_key is not None:
        replay = await _claim_or_replay(session, actor.role, idempotency_key, _fingerprint(data))
        if replay is not None:
            return Booking(replay, replayed=True)

    doctor = await availability.get_doctor_info_or_422(session, data.doctor_id)
    end = await availability.check_bookable(session, settings, doctor, data.start_time, now)
    row = await repository.insert_if_free(
        session,
        {
            **data.model_dump(),
            "end_time": end,
            "status": AppointmentStatus.scheduled,
            "source": actor.source,
        },
    )
    if row is None:
        raise SlotTaken(
            "this time is already booked; see the nearest free alternatives",
            alternatives=await _alternatives(session, settings, doctor, data.start_time, now),
        )
    await repository.add_event(
        session, row["id"], "created", actor.source, None, _snapshot(row, _MOVE_FIELDS)
    )
    if idempotency_key is not None:
        await repository.bind_idempotency_key(session, actor.role, idempotency_key, row["id"])
    return Booking(AppointmentRead.model_validate(row), replayed=False)


def _owned_by_patient(data: AppointmentCreate, actor: Actor) -> AppointmentCreate:
    """The bot books for its patient only; a booking that names nobody becomes theirs."""
    if actor.patient_telegram_id is None:
        return data
    if data.patient_telegram_id is None:
        return data.model_copy(update={"patient_telegram_id": actor.patient_telegram_id})
    if data.patient_telegram_id != actor.patient_telegram_id:
        raise Forbidden("patient_telegram_id must be the patient in X-Patient-Telegram-Id")
    return data


def _fingerprint(data: AppointmentCreate) -> str:
    canonical = json.dumps(data.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def _claim_or_replay(
    session: AsyncSession, role: Role, key: str, fingerprint: str
) -> AppointmentRead | None:
    """Claim the key for this request, or return what an earlier request of the same role
    with it booked."""
    if await repository.claim_idempotency_key(session, role, key, fingerprint):
        return None
    earlier = await repository.get_idempotency_key(session, role, key)
    if earlier is None or earlier["appointment_id"] is None:
        raise Conflict("a request with this Idempotency-Key is still in progress; retry")
    if earlier["fingerprint"] != fingerprint:
        raise RuleViolation(
            "Idempotency-Key", "key_reused", "this key was used with a different request body"
        )
    return await get_appointment_or_raise(session, earlier["appointment_id"])


async def _alternatives(
    session: AsyncSession, settings: Settings, doctor: DoctorInfo, wished: datetime, now: datetime
) -> list[dict[str, Any]]:
    """Nearest free slots from the wished time: the same doctor first, then colleagues."""
    same = await availability.search_slots(
        session,
        settings,
        availability.SlotQuery(doctor_id=doctor.id, start=wished, limit=ALTERNATIVES_PER_GROUP),
        now,
    )
    colleagues = await availability.search_slots(
        session,
        settings,
        availability.SlotQuery(
            specialty=doctor.specialty_code,
            start=wished,
            limit=ALTERNATIVES_PER_GROUP,
            exclude_doctor_id=doctor.id,
        ),
        now,
    )
    return [slot.model_dump(mode="json") for slot in (*same, *colleagues)]


async def get_appointment_or_raise(
    session: AsyncSession, appointment_id: int, actor: Actor | None = None
) -> AppointmentRead:
    """The appointment; another patient's is as unknown to the bot as a missing one."""
    return AppointmentRead.model_validate(
        await _get_visible_or_raise(session, appointment_id, actor)
    )


async def _get_visible_or_raise(
    session: AsyncSession, appointment_id: int, actor: Actor | None, *, lock: bool = False
) -> dict[str, Any]:
    row = await repository.get(session, appointment_id, lock=lock)
    if row is None or (actor is not None and not actor.may_see(row)):
        raise AppointmentNotFound(f"appointment {appointment_id} does not exist")
    return row


async def list_appointments(
    session: AsyncSession, criteria: AppointmentFilter, actor: Actor
) -> AppointmentPage:
    """A page of appointments; the bot sees its own patient's only."""
    patient = actor.patient_telegram_id
    if patient is not None:
        if criteria.patient_telegram_id not in (None, patient):
            raise Forbidden("the bot role lists only the patient in X-Patient-Telegram-Id")
        criteria = criteria.model_copy(update={"patient_telegram_id": patient})
    rows, total = await repository.list_page(session, criteria)
    return AppointmentPage(
        items=[AppointmentRead.model_validate(r) for r in rows],
        total=total,
        limit=criteria.limit,
        offset=criteria.offset,
    )


async def list_history(session: AsyncSession, appointment_id: int) -> list[AppointmentEventRead]:
    await get_appointment_or_raise(session, appointment_id)
    rows = await repository.list_events(session, appointment_id)
    return [AppointmentEventRead.model_validate(r) for r in rows]


_MOVE_FIELDS = ("doctor_id", "start_time", "end_time", "status")
_DETAIL_FIELDS = ("patient_name", "patient_phone", "reason")


async def update_appointment(
    session: AsyncSession,
    settings: Settings,
    appointment_id: int,
    data: AppointmentUpdate,
    actor: Actor,
    now: datetime,
) -> AppointmentRead:
    """Reschedule (an atomic move under the booking rules), correct details, or change status."""
    current = await _get_visible_or_raise(session, appointment_id, actor, lock=True)
    changes = data.model_dump(exclude_unset=True)
    if "status" in changes and actor.role != "admin":
        raise Forbidden("only staff change an appointment's status")
    if "patient_name" in changes and changes["patient_name"] is None:
        raise RuleViolation("patient_name", "required", "patient_name cannot be empty")
    if current["status"] == AppointmentStatus.cancelled and changes:
        raise Conflict("the appointment is cancelled; book a new one")

    doctor_id = changes.get("doctor_id") or current["doctor_id"]
    start = changes.get("start_time") or current["start_time"]
    moving = doctor_id != current["doctor_id"] or start != current["start_time"]
    values = {k: changes[k] for k in (*_DETAIL_FIELDS, "status") if k in changes}

    row = current
    if moving:
        if current["status"] != AppointmentStatus.scheduled:
            raise Conflict("only a scheduled appointment can be rescheduled")
        row = await _move(session, settings, appointment_id, doctor_id, start, now)
        await repository.add_event(
            session,
            appointment_id,
            "rescheduled",
            actor.source,
            _snapshot(current, _MOVE_FIELDS),
            _snapshot(row, _MOVE_FIELDS),
        )
    if values:
        row = await repository.update_values(session, appointment_id, values)
        for action, fields in (("status_changed", ("status",)), ("updated", _DETAIL_FIELDS)):
            changed = [f for f in fields if f in values and values[f] != current[f]]
            if changed:
                await repository.add_event(
                    session,
                    appointment_id,
                    action,
                    actor.source,
                    _snapshot(current, changed),
                    _snapshot(row, changed),
                )
    return AppointmentRead.model_validate(row)


async def _move(
    session: AsyncSession,
    settings: Settings,
    appointment_id: int,
    doctor_id: int,
    start: datetime,
    now: datetime,
) -> dict[str, Any]:
    doctor = await availability.get_doctor_info_or_422(session, doctor_id)
    end = await availability.check_bookable(session, settings, doctor, start, now)
    try:
        # A savepoint keeps the request's transaction usable after a refused move, so the
        # 409 can still list alternatives.
        async with session.begin_nested():
            return await repository.update_values(
                session,
                appointment_id,
                {"doctor_id": doctor_id, "start_time": start, "end_time": end},
            )
    except DBAPIError as error:
        if _sqlstate(error) not in SLOT_CONFLICT_STATES:
            raise
    raise SlotTaken(
        "this time is already booked; see the nearest free alternatives",
        alternatives=await _alternatives(session, settings, doctor, start, now),
    )


def _sqlstate(error: DBAPIError) -> str | None:
    for candidate in (error.orig, getattr(error.orig, "__cause__", None)):
        state = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if state:
            return str(state)
    return None


async def cancel_appointment(
    session: AsyncSession, appointment_id: int, reason: str | None, actor: Actor
) -> AppointmentRead:
    """Cancel, keeping the row; cancelling a cancelled appointment changes nothing."""
    current = await _get_visible_or_raise(session, appointment_id, actor, lock=True)
    if current["status"] == AppointmentStatus.cancelled:
        return AppointmentRead.model_validate(current)
    if current["status"] != AppointmentStatus.scheduled:
        raise Conflict(f"a {current['status']} appointment cannot be cancelled")
    row = await repository.update_values(
        session,
        appointment_id,
        {"status": AppointmentStatus.cancelled, "cancel_reason": reason},
    )
    await repository.add_event(
        session,
        appointment_id,
        "cancelled",
        actor.source,
        {"status": current["status"]},
        {"status": row["status"], "cancel_reason": reason},
    )
    return AppointmentRead.model_validate(row)


def _snapshot(row: Mapping[str, Any], fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {name: row[name] for name in fields}
