"""HTTP for appointments: every call needs a bearer token."""

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response, status

from clinic.api.deps import AdminRole, CurrentRole, SessionDep, SettingsDep
from clinic.api.openapi import Problem, problems
from clinic.appointments import service
from clinic.appointments.models import AppointmentSource, AppointmentStatus
from clinic.appointments.schemas import (
    AppointmentCancel,
    AppointmentCreate,
    AppointmentEventRead,
    AppointmentFilter,
    AppointmentPage,
    AppointmentRead,
    AppointmentUpdate,
    SlotTakenProblem,
)
from clinic.core.errors import Forbidden
from clinic.core.schemas import ClinicDatetime, ClinicUntil, DbId, PageOffset, TelegramId
from clinic.core.timeutils import utcnow

router = APIRouter(
    prefix="/appointments",
    tags=["appointments"],
    responses=problems(401, 403, 422, 503),
)

UNTIL = "Appointments starting before this; a date alone includes that whole day."

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="A retry with the same key and body returns the first booking.",
    ),
]


PatientHeader = Annotated[
    TelegramId | None,
    Header(
        alias="X-Patient-Telegram-Id",
        description="The patient the `bot` role acts for: required for it, on every call. "
        "Ignored for `admin`.",
    ),
]


class ClientKind(StrEnum):
    telegram = "telegram"
    chat = "chat"


ClientHeader = Annotated[
    ClientKind | None,
    Header(
        alias="X-Client",
        description="Which front end of the `bot` role calls: `telegram` (the default) or "
        "`chat` (the terminal chat); bookings and changes are recorded with that source "
        "(`bot` or `chat`). Ignored for `admin`.",
    ),
]


async def current_actor(
    role: CurrentRole, patient_telegram_id: PatientHeader = None, client: ClientHeader = None
) -> service.Actor:
    """Who acts: staff for everyone, or the bot (Telegram or the terminal chat) for the one
    patient it names."""
    if role != "bot":
        return service.Actor(role=role, source=AppointmentSource.api)
    if patient_telegram_id is None:
        raise Forbidden("the bot role acts for one patient: send X-Patient-Telegram-Id")
    source = AppointmentSource.chat if client is ClientKind.chat else AppointmentSource.bot
    return service.Actor(role=role, source=source, patient_telegram_id=patient_telegram_id)


ActorDep = Annotated[service.Actor, Depends(current_actor)]
# Some conflicts have no slots to offer (a cancelled appointment, a key still in progress).
SLOT_TAKEN = {
    "model": SlotTakenProblem | Problem,
    "description": "Taken (see the alternatives), or conflicts with the current state.",
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={409: SLOT_TAKEN, **problems(413)},
)
async def create_appointment(
    data: AppointmentCreate,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> AppointmentRead:
    """Book a slot. The database refuses double-booking; a 409 lists free alternatives.

    For the `bot` role the booking belongs to the patient in X-Patient-Telegram-Id."""
    booking = await service.create_appointment(
        session, settings, data, actor, utcnow(), idempotency_key
    )
    if booking.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return booking.appointment


@router.get("")
async def list_appointments(
    session: SessionDep,
    actor: ActorDep,
    doctor_id: DbId | None = None,
    patient_telegram_id: Annotated[
        TelegramId | None,
        Query(description="For the `bot` role: its patient (the default), nobody else's."),
    ] = None,
    status_: Annotated[AppointmentStatus | None, Query(alias="status")] = None,
    start: Annotated[
        ClinicDatetime | None,
        Query(alias="from", description="Appointments starting then or later."),
    ] = None,
    end: Annotated[ClinicUntil | None, Query(alias="to", description=UNTIL)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: PageOffset = 0,
) -> AppointmentPage:
    """Appointments, earliest first, a page at a time."""
    criteria = AppointmentFilter(
        doctor_id=doctor_id,
        patient_telegram_id=patient_telegram_id,
        status=status_,
        start=start,
        end=end,
        limit=limit,
        offset=offset,
    )
    return await service.list_appointments(session, criteria, actor)


@router.get("/{appointment_id}", responses=problems(404))
async def get_appointment(
    appointment_id: DbId, session: SessionDep, actor: ActorDep
) -> AppointmentRead:
    return await service.get_appointment_or_raise(session, appointment_id, actor)


@router.get("/{appointment_id}/history", responses=problems(404))
async def get_history(
    appointment_id: DbId, session: SessionDep, _: AdminRole
) -> list[AppointmentEventRead]:
    """Every change of the appointment, oldest first, with times in clinic time."""
    return await service.list_history(session, appointment_id)


@router.patch("/{appointment_id}", responses={409: SLOT_TAKEN, **problems(404, 413)})
async def update_appointment(
    appointment_id: DbId,
    data: AppointmentUpdate,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
) -> AppointmentRead:
    """Reschedule atomically under the booking rules, correct details, or set the status."""
    return await service.update_appointment(
        session, settings, appointment_id, data, actor, utcnow()
    )


@router.post("/{appointment_id}/cancel", responses=problems(404, 409, 413))
async def cancel_appointment(
    appointment_id: DbId,
    session: SessionDep,
    actor: ActorDep,
    data: AppointmentCancel | None = None,
) -> AppointmentRead:
    """Cancel (idempotent). The row stays, and the slot becomes free again."""
    reason = data.reason if data else None
    return await service.cancel_appointment(session, appointment_id, reason, actor)


@router.post("/{appointment_id}/confirm", responses=problems(404, 409))
async def confirm_appointment(
    appointment_id: DbId, session: SessionDep, actor: ActorDep
) -> AppointmentRead:
    """The patient confirms they will come (idempotent); recorded in the history. A
    cancelled or finished appointment is 409. For the `bot` role: its patient's only."""
    return await service.confirm_appointment(session, appointment_id, actor, utcnow())
