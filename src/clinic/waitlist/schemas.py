"""Request and response shapes for the waitlist."""

from datetime import date
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from clinic.appointments.schemas import PatientName, Phone
from clinic.core.schemas import ClinicDatetime, Day, DbId, LocalTime, Schema, TelegramId

SpecialtyCode = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)
]
WaitlistStatus = Literal["waiting", "offered", "booked", "left"]


class WaitlistCreate(Schema):
    """A place in line for a specialty or a doctor (exactly one), on the days from `first_day`
    to `last_day`, optionally between two wall-clock times (a slot starting within them)."""

    specialty: SpecialtyCode | None = None
    doctor_id: DbId | None = None
    first_day: Day
    last_day: Day
    time_from: LocalTime | None = None
    time_to: LocalTime | None = None
    patient_name: PatientName
    patient_phone: Phone | None = None
    patient_telegram_id: TelegramId | None = Field(
        default=None,
        description="Who waits; offers go to them in Telegram. For the `bot` role its patient "
        "(the default); required for staff.",
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "specialty": "therapist",
                    "first_day": "2026-12-01",
                    "last_day": "2026-12-07",
                    "time_from": "09:00",
                    "time_to": "12:00",
                    "patient_name": "Иван Петров",
                    "patient_telegram_id": 12345,
                }
            ]
        }
    )


class WaitlistOfferRead(Schema):
    """The slot offered to an entry now (held for the patient until `expires_at`), and what
    became of its Telegram message."""

    doctor_id: int
    start: ClinicDatetime
    end: ClinicDatetime
    expires_at: ClinicDatetime
    sent_at: ClinicDatetime | None = Field(description="When the message went out; None: not yet.")
    send_failure: str | None = Field(description="Why the message could not be sent (a type).")


class WaitlistRead(Schema):
    id: int
    specialty: str | None
    doctor_id: int | None
    first_day: date
    last_day: date
    time_from: LocalTime | None
    time_to: LocalTime | None
    patient_telegram_id: int
    patient_name: str
    patient_phone: str | None
    status: WaitlistStatus
    hold_id: int | None = Field(description="The hold of the slot offered now, if any.")
    offer: WaitlistOfferRead | None = Field(
        default=None, description="The slot offered now, while its hold lasts."
    )
    offered_at: ClinicDatetime | None
    created_at: ClinicDatetime


class WaitlistPage(Schema):
    items: list[WaitlistRead]
    total: int
    limit: int
    offset: int
