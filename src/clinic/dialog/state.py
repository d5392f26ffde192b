"""The conversation state: a JSON-serialisable model the transport stores between events."""

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from clinic.dialog.events import Lang


class Step(StrEnum):
    idle = "idle"  # nothing in progress (before /start or after a booking)
    need_specialty = "need_specialty"  # asked which doctor / what bothers the patient
    need_when = "need_when"  # the specialty is known, asked when
    choosing = "choosing"  # free times proposed as buttons
    need_name = "need_name"  # a slot is chosen, asked whose name to book under
    confirming = "confirming"  # summary shown, waiting for "confirm"


class Wish(BaseModel):
    """When the patient would like to come; every bound optional, times in clinic time."""

    date_from: date | None = None
    date_to: date | None = None
    time_from: time | None = None
    time_to: time | None = None

    @property
    def exact_time(self) -> bool:
        return self.time_from is not None and self.time_from == self.time_to

    def merged(self, newer: "Wish") -> "Wish":
        """A refinement replaces the dates or the times it names and keeps the rest, so
        "after 18" keeps the wished day and "on Friday" keeps "after 18"."""
        has_dates = newer.date_from is not None or newer.date_to is not None
        has_times = newer.time_from is not None or newer.time_to is not None
        return Wish(
            date_from=newer.date_from if has_dates else self.date_from,
            date_to=newer.date_to if has_dates else self.date_to,
            time_from=newer.time_from if has_times else self.time_from,
            time_to=newer.time_to if has_times else self.time_to,
        )


class Offer(BaseModel):
    """A free slot shown to the patient as a button."""

    doctor_id: int
    doctor_name: str
    specialty: str
    start: datetime
    end: datetime


class Booked(BaseModel):
    appointment_id: int
    offer: Offer


class Conversation(BaseModel):
    """Everything the assistant remembers about one chat."""

    version: int = 1
    lang: Lang = "ru"
    step: Step = Step.idle
    # A new id per booking attempt: the idempotency key is derived from it.
    conversation_id: str | None = None
    specialty: str | None = None
    doctor_id: int | None = None  # a preferred doctor, when the patient named one
    excluded_doctors: list[int] = Field(default_factory=list)  # "another doctor" pressed
    wish: Wish | None = None
    clarified: bool = False  # the one follow-up question has been asked
    reason: str | None = None  # the patient's complaint, short, for the doctor
    offers: list[Offer] = Field(default_factory=list)
    chosen: Offer | None = None
    patient_name: str | None = None  # kept between bookings, for the next time
    patient_phone: str | None = None
    last_booking: Booked | None = None
    # Opaque memory of the understanding step (the LLM agent keeps its message history here).
    memory: Any = None

    def fresh(self) -> "Conversation":
        """A new booking conversation that still knows the patient."""
        return Conversation(
            lang=self.lang,
            patient_name=self.patient_name,
            patient_phone=self.patient_phone,
            last_booking=self.last_booking,
        )
