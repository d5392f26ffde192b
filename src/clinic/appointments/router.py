"""HTTP for appointments: every call needs a bearer token."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from clinic.api.deps import AdminRole, CurrentRole, SessionDep, SettingsDep
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
from clinic.core.schemas import ClinicDatetime, ClinicUntil, DbId, PageOffset, TelegramId
from clinic.core.settings import Role
from clinic.core.timeutils import utcnow

router = APIRouter(prefix="/appointments", tags=["appointments"])

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


def actor_for(role: Role) -> service.Actor:
    source = AppointmentSource.bot if role == "bot" else AppointmentSource.api
    return service.Actor(role=role, source=source)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": SlotTakenProblem, "description": "Taken; see alternatives."}},
)
async def create_appointment(
    data: AppointmentCreate,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    role: CurrentRole,
    idempotency_key: IdempotencyKey = None,
) -> AppointmentRead:
    """Book a slot. The database refuses double-booking; a 409 lists free alternatives."""
    booking = await service.create_appointment(
        session, settings, data, actor_for(role), utcnow(), idempotency_key
    )
    if booking.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return booking.appointment


@router.get("")
async def list_appointments(
    session: SessionDep,
    role: CurrentRole,
    doctor_id: DbId | None = None,
    patient_telegram_id: TelegramId | None = None,
    status_: Annotated[AppointmentStatus | None, Query(alias="status")] = None,
    start: Annotated[ClinicDatetime | None, Query(alias="from")] = None,
    end: Annotated[ClinicUntil | None, Query(alias="to", description=UNTIL)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: PageOffset = 0,
) -> AppointmentPage:
    criteria = AppointmentFilter(
        doctor_id=doctor_id,
        patient_telegram_id=patient_telegram_id,
        status=status_,
        start=start,
        end=end,
        limit=limit,
        offset=offset,
    )
    return await service.list_appointments(session, criteria, role)


@router.get("/{appointment_id}")
async def get_appointment(
    appointment_id: DbId, session: SessionDep, _: CurrentRole
) -> AppointmentRead:
    return await service.get_appointment_or_raise(session, appointment_id)


@router.get("/{appointment_id}/history")
async def get_history(
    appointment_id: DbId, session: SessionDep, _: AdminRole
) -> list[AppointmentEventRead]:
    return await service.list_history(session, appointment_id)


@router.patch(
    "/{appointment_id}",
    responses={409: {"model": SlotTakenProblem, "description": "Taken; see alternatives."}},
)
async def update_appointment(
    appointment_id: DbId,
    data: AppointmentUpdate,
    session: SessionDep,
    settings: SettingsDep,
    role: CurrentRole,
) -> AppointmentRead:
    """Reschedule atomically under the booking rules, correct details, or set the status."""
    return await service.update_appointment(
        session, settings, appointment_id, data, actor_for(role), utcnow()
    )


@router.post("/{appointment_id}/cancel")
async def cancel_appointment(
    appointment_id: DbId,
    session: SessionDep,
    role: CurrentRole,
    data: AppointmentCancel | None = None,
) -> AppointmentRead:
    """Cancel (idempotent). The row stays, and the slot becomes free again."""
    reason = data.reason if data else None
    return await service.cancel_appointment(session, appointment_id, reason, actor_for(role))
