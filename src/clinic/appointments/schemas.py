"""Request and response shapes for appointments and their history."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints

from clinic.appointments.models import AppointmentSource, AppointmentStatus
from clinic.availability.schemas import SlotRead
from clinic.core.phones import normalise_phone
from clinic.core.schemas import ClinicDatetime, DbId, Schema, StorableText, TelegramId
from clinic.core.settings import get_settings
from clinic.core.timeutils import in_zone

PatientName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), StorableText
]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), StorableText]


def _normalise_phone(value: str) -> str:
    # The one normaliser the dialog uses too; numbers without a country code ("8 916 ...")
    # are read in the clinic's region.
    return normalise_phone(value, get_settings().phone_region)


Phone = Annotated[str, StringConstraints(max_length=40), AfterValidator(_normalise_phone)]


class AppointmentCreate(Schema):
    patient_name: PatientName
    doctor_id: DbId
    start_time: ClinicDatetime = Field(description="Naive means clinic time.")
    patient_phone: Phone | None = None
    patient_telegram_id: TelegramId | None = None
    reason: Reason | None = Field(default=None, description="The patient's own words, short.")
    hold_id: DbId | None = Field(
        default=None,
        description="Book the slot held by POST /holds (the same doctor and time): while the "
        "hold is active nobody else can take it. An expired hold is simply gone.",
    )
    patient_language: Literal["ru", "en"] | None = Field(
        default=None, description="The language reminders are sent in; unset: Russian."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"patient_name": "Иван Петров", "doctor_id": 1, "start_time": "2026-12-01T10:00"}
            ]
        }
    )


class AppointmentUpdate(Schema):
    """A reschedule (start_time and/or doctor_id), a correction, or a status change (admin)."""

    start_time: ClinicDatetime | None = None
    doctor_id: DbId | None = None
    patient_name: PatientName | None = None
    patient_phone: Phone | None = None
    reason: Reason | None = None
    status: Literal["scheduled", "completed", "no_show"] | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{"start_time": "2026-12-02T11:30"}]})


class AppointmentCancel(Schema):
    reason: Reason | None = None


class AppointmentRead(Schema):
    id: int
    doctor_id: int
    patient_name: str
    patient_phone: str | None
    patient_telegram_id: int | None
    reason: str | None
    start_time: ClinicDatetime
    end_time: ClinicDatetime
    status: AppointmentStatus
    source: AppointmentSource
    cancel_reason: str | None
    confirmed_at: ClinicDatetime | None = Field(
        description="When the patient confirmed the visit (a reminder's button)."
    )
    patient_language: Literal["ru", "en"] | None
    created_at: ClinicDatetime
    updated_at: ClinicDatetime


class AppointmentPage(Schema):
    items: list[AppointmentRead]
    total: int
    limit: int
    offset: int


def _instants_in_clinic_time(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """A history entry stores instants as UTC ISO strings; show them in clinic time."""
    if values is None:
        return None
    tz = get_settings().tz
    return {
        name: in_zone(datetime.fromisoformat(value), tz).isoformat()
        if name in HISTORY_INSTANTS and isinstance(value, str)
        else value
        for name, value in values.items()
    }


HISTORY_INSTANTS = ("start_time", "end_time", "confirmed_at")
HistoryValues = Annotated[dict[str, Any] | None, AfterValidator(_instants_in_clinic_time)]


class AppointmentEventRead(Schema):
    id: int
    action: str
    source: AppointmentSource
    at: ClinicDatetime
    old: HistoryValues
    new: HistoryValues


class SlotTakenProblem(Schema):
    """The body of a 409: the time is taken; here are the nearest free ones."""

    type: str
    title: str
    status: int
    detail: str
    alternatives: list[SlotRead]


class AppointmentFilter(Schema):
    doctor_id: int | None = None
    patient_telegram_id: int | None = None
    status: AppointmentStatus | None = None
    start: datetime | None = None
    end: datetime | None = None
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0)
