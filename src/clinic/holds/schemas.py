"""Request and response shapes for holds."""

from pydantic import ConfigDict, Field

from clinic.core.schemas import ClinicDatetime, DbId, Schema, TelegramId


class HoldCreate(Schema):
    doctor_id: DbId
    start_time: ClinicDatetime = Field(description="Naive means clinic time.")
    patient_telegram_id: TelegramId | None = Field(
        default=None,
        description="Whose hold: for the `bot` role its patient (the default); staff may name "
        "a patient or leave it empty.",
    )

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"doctor_id": 1, "start_time": "2026-12-01T10:00"}]}
    )


class HoldRead(Schema):
    id: int
    doctor_id: int
    start: ClinicDatetime
    end: ClinicDatetime
    expires_at: ClinicDatetime
    patient_telegram_id: int | None
