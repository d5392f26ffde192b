"""Booking rules: create, reschedule, cancel and change status, on every write path alike.

Services never commit: the request's unit of work does. The database has the last word on
overlaps (unique index + exclusion constraint); the checks here give the clear 422s.
"""

import enum
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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
from clinic.availability.booked_through import BookedThrough
from clinic.availability.known_days import KnownDay, KnownDays
from clinic.availability.repository import DoctorInfo
from clinic.core.driver import Executor
from clinic.core.errors import AppointmentNotFound, Conflict, Forbidden, RuleViolation, SlotTaken
from clinic.core.settings import Role, Settings
from clinic.holds import service as holds
from clinic.scheduling.slots import DoctorSchedule

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
    session: Executor,
    settings: Settings,
    data: AppointmentCreate,
    actor: Actor,
    now: datetime,
    idempotency_key: str | None = None,
    known_days: KnownDays | None = None,
    booked_through: BookedThrough | None = None,
) -> Booking:
    """Book a slot. A taken slot raises SlotTaken with the nearest free alternatives.

    One read (the doctor, their hours that day, the key's earlier use) and one write (the
    appointment, its history event and the key together, all or nothing). On a session they
    run in its transaction (four round trips with BEGIN and COMMIT); on a bare connection
    (the hot route) each in autocommit: two round trips. A retry with the same key and body
    returns the first booking. With `hold_id` the patient's hold on this slot is taken over
    (one more read and write, on that path only, and only inside a transaction).

    With `known_days` (the hot route's: reads in autocommit see committed data only) a
    doctor-day read before is checked at once and the booking is one statement, which books
    only while the schedule is unchanged since that read; otherwise it reads as above. With
    `booked_through` (the same condition) a 409's search for alternatives skips stretches
    found booked solid before.
    """
    data = _owned_by_patient(data, actor)
    key = None
    if idempotency_key is not None:
        key = repository.RequestKey(actor.role, idempotency_key, _fingerprint(data))
    day = data.start_time.astimezone(settings.tz).date()
    if known_days is not None and data.hold_id is None:
        known = known_days.get(data.doctor_id, day)
        if known is not None:
            booked = await _book_on_known_day(
                session, settings, data, actor, now, key, known, booked_through
            )
            if isinstance(booked, Booking):
                return booked
            if booked is Reread.schedule_changed:
                known_days.forget_all()
    read = await repository.read_for_booking(session, data.doctor_id, day, key)
    if read is None:
        raise _unknown_doctor(data.doctor_id)
    if known_days is not None and read.version is not None:
        known_days.keep(data.doctor_id, day, KnownDay(read.doctor, read.schedule, read.version))
    if key is not None and read.earlier is not None:
        return Booking(await _replay(session, read.earlier, key), replayed=True)

    end = availability.check_bookable(settings, read.doctor, read.schedule, data.start_time, now)
    if data.hold_id is not None:
        await holds.take_for_booking(session, data.hold_id, actor, data.doctor_id, data.start_time)
    values, event = _new_appointment(data, actor, end)
    try:
        row = await repository.book(session, values, event, key)
    except repository.WriteRefused:
        row = None
        await _forget_refused_write(session)
    if row is not None:
        return Booking(AppointmentRead.model_validate(row), replayed=False)
    return await _refused(session, settings, read.doctor, data, now, key, booked_through)


class Reread(enum.Enum):
    """Why a booking on a known doctor-day needs a fresh read after all."""

    refused = "refused"  # by the rules: the read path replays a retried key first
    schedule_changed = "schedule_changed"  # since the doctor-day was read


async def _book_on_known_day(
    session: Executor,
    settings: Settings,
    data: AppointmentCreate,
    actor: Actor,
    now: datetime,
    key: repository.RequestKey | None,
    known: KnownDay,
    booked_through: BookedThrough | None,
) -> Booking | Reread:
    """The booking in one statement, on a doctor-day read before."""
    try:
        end = availability.check_bookable(
            settings, known.doctor, known.schedule, data.start_time, now
        )
    except RuleViolation:
        return Reread.refused
    values, event = _new_appointment(data, actor, end)
    try:
        outcome = await repository.book_on_known_day(session, values, event, key, known.version)
    except repository.WriteRefused:
        await _forget_refused_write(session)
        return await _refused(session, settings, known.doctor, data, now, key, booked_through)
    if outcome.row is not None:
        return Booking(AppointmentRead.model_validate(outcome.row), replayed=False)
    if key is not None and outcome.earlier is not None:
        return Booking(await _replay(session, outcome.earlier, key), replayed=True)
    if outcome.version != known.version:
        return Reread.schedule_changed
    # Taken before this request began: nobody racing it (so no request with its key) took it.
    recheck = None if outcome.taken_before else key
    return await _refused(session, settings, known.doctor, data, now, recheck, booked_through)


def _new_appointment(
    data: AppointmentCreate, actor: Actor, end: datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The appointment's columns and its `created` event."""
    values = {
        **data.model_dump(),
        "end_time": end,
        "status": AppointmentStatus.scheduled.value,
        "source": actor.source.value,
    }
    event = {
        "doctor_id": data.doctor_id,
        "start_time": data.start_time.isoformat(),
        "end_time": end.isoformat(),
        "status": AppointmentStatus.scheduled.value,
    }
    return values, event


async def _refused(
    session: Executor,
    settings: Settings,
    doctor: DoctorInfo,
    data: AppointmentCreate,
    now: datetime,
    key: repository.RequestKey | None,
    booked_through: BookedThrough | None = None,
) -> Booking:
    """The write booked nothing: the slot is taken (409 with alternatives), unless a
    concurrent request with the same key booked first."""
    if key is not None:
        # A concurrent request with the same key may have booked this very slot, or taken
        # the key with another body: answer as it did, or refuse the reused key.
        earlier = await repository.get_idempotency_key(session, key.role, key.key)
        if earlier is not None:
            return Booking(await _replay(session, earlier, key), replayed=True)
    raise SlotTaken(
        "this time is already booked; see the nearest free alternatives",
        alternatives=await _alternatives(
            session, settings, doctor, data.start_time, now, booked_through
        ),
    )


def _unknown_doctor(doctor_id: int) -> RuleViolation:
    return RuleViolation("doctor_id", "unknown_doctor", f"doctor {doctor_id} does not exist")


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


async def _replay(
    session: Executor, earlier: Mapping[str, Any], key: repository.RequestKey
) -> AppointmentRead:
    """What the earlier request with this key booked, if it had the same body."""
    if earlier["fingerprint"] != key.fingerprint:
        raise _key_reused()
    return await get_appointment_or_raise(session, earlier["appointment_id"])


def _key_reused() -> RuleViolation:
    return RuleViolation(
        "Idempotency-Key", "key_reused", "this key was used with a different request body"
    )


async def _forget_refused_write(session: Executor) -> None:
    """The constraints refused a write racing another for the slot (or a deadlock between
    two swaps): the transaction is dead, so roll it back and go on in a fresh one to answer
    with the alternatives. A bare connection ran the write alone, in autocommit: nothing is
    left to roll back."""
    if isinstance(session, AsyncSession):
        await session.rollback()


async def _alternatives(
    session: Executor,
    settings: Settings,
    doctor: DoctorInfo,
    wished: datetime,
    now: datetime,
    booked_through: BookedThrough | None = None,
) -> list[dict[str, Any]]:
    """Nearest free slots from the wished time: the same doctor first, then colleagues."""
    slots = await availability.nearest_alternatives(
        session, settings, doctor, wished, now, ALTERNATIVES_PER_GROUP, booked_through
    )
    return [slot.model_dump(mode="json") for slot in slots]


async def get_appointment_or_raise(
    session: Executor, appointment_id: int, actor: Actor | None = None
) -> AppointmentRead:
    """The appointment; another patient's is as unknown to the bot as a missing one."""
    return AppointmentRead.model_validate(
        await _get_visible_or_raise(session, appointment_id, actor)
    )


async def _get_visible_or_raise(
    session: Executor, appointment_id: int, actor: Actor | None, *, lock: bool = False
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
    """Reschedule (an atomic move under the booking rules), correct details, or change status.

    A reschedule to a new time is one read (the appointment locked, with the doctor and their
    hours that day) and one write (the move and its history event).
    """
    changes = data.model_dump(exclude_unset=True)
    wished_start = changes.get("start_time")
    day = wished_start.astimezone(settings.tz).date() if wished_start else None
    read = await repository.read_for_move(session, appointment_id, changes.get("doctor_id"), day)
    if read is None or not actor.may_see(read.current):
        raise AppointmentNotFound(f"appointment {appointment_id} does not exist")
    current = read.current
    if "status" in changes and actor.role != "admin":
        raise Forbidden("only staff change an appointment's status")
    if "patient_name" in changes and changes["patient_name"] is None:
        raise RuleViolation("patient_name", "required", "patient_name cannot be empty")
    if current["status"] == AppointmentStatus.cancelled and changes:
        raise Conflict("the appointment is cancelled; book a new one")

    doctor_id = changes.get("doctor_id") or current["doctor_id"]
    start = wished_start or current["start_time"]
    moving = doctor_id != current["doctor_id"] or start != current["start_time"]
    values = {k: changes[k] for k in (*_DETAIL_FIELDS, "status") if k in changes}

    row = current
    if moving:
        if current["status"] != AppointmentStatus.scheduled:
            raise Conflict("only a scheduled appointment can be rescheduled")
        target = read.target
        if day is None:  # a new doctor at the same time: their hours on that day
            day = start.astimezone(settings.tz).date()
            target = await availability.doctor_on_day(session, doctor_id, day)
        if target is None:
            raise _unknown_doctor(doctor_id)
        row = await _move(session, settings, current, target, start, actor, now)
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
    current: Mapping[str, Any],
    target: tuple[DoctorInfo, DoctorSchedule],
    start: datetime,
    actor: Actor,
    now: datetime,
) -> dict[str, Any]:
    doctor, schedule = target
    end = availability.check_bookable(settings, doctor, schedule, start, now)
    to = {"doctor_id": doctor.id, "start_time": start, "end_time": end}
    try:
        row = await repository.move(
            session,
            current["id"],
            to,
            actor.source,
            _snapshot(current, _MOVE_FIELDS),
            {**to, "status": current["status"]},
        )
    except repository.WriteRefused:
        row = None
        await _forget_refused_write(session)
    if row is not None:
        return row
    raise SlotTaken(
        "this time is already booked; see the nearest free alternatives",
        alternatives=await _alternatives(session, settings, doctor, start, now),
    )


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


async def confirm_appointment(
    session: AsyncSession, appointment_id: int, actor: Actor, now: datetime
) -> AppointmentRead:
    """Record that the patient will come (idempotent: a second press keeps the first time).

    Only a scheduled appointment can be confirmed; a cancelled one is 409, so a reminder's
    button pressed after a cancellation tells the patient so."""
    current = await _get_visible_or_raise(session, appointment_id, actor, lock=True)
    if current["status"] != AppointmentStatus.scheduled:
        raise Conflict(f"a {current['status']} appointment cannot be confirmed")
    if current["confirmed_at"] is not None:
        return AppointmentRead.model_validate(current)
    row = await repository.update_values(session, appointment_id, {"confirmed_at": now})
    await repository.add_event(
        session, appointment_id, "confirmed", actor.source, None, {"confirmed_at": now}
    )
    return AppointmentRead.model_validate(row)


def _snapshot(row: Mapping[str, Any], fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {name: row[name] for name in fields}
