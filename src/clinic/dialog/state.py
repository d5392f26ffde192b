"""The tracker: everything the assistant remembers about one chat, as plain JSON-ready data.

The transport stores it between events (memory, or Redis); nothing here talks to anything.
"""

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from clinic.dialog.events import Lang


class Step(StrEnum):
    idle = "idle"  # nothing in progress (before /start or after a booking)
    need_specialty = "need_specialty"  # asked which doctor / what bothers the patient
    need_when = "need_when"  # the specialty is known, asked when
    choosing = "choosing"  # free times proposed as buttons
    need_contact = "need_contact"  # a slot is chosen, asked for the name and the phone
    confirming = "confirming"  # summary shown, waiting for "book"
    picking_appointment = "picking_appointment"  # "which of your appointments?"
    confirming_cancel = "confirming_cancel"  # "cancel appointment No. N?"
    confirming_move = "confirming_move"  # "move appointment No. N to ...?"


SHOWN = 10  # at most this many of the patient's appointments in one list

# Steps in which a new booking is being put together.
BOOKING_STEPS = frozenset({Step.choosing, Step.need_contact, Step.confirming})


class Wish(BaseModel):
    """When the patient would like to come; every bound optional, times in clinic time."""

    date_from: date | None = None
    date_to: date | None = None
    time_from: time | None = None
    time_to: time | None = None

    @property
    def exact_time(self) -> bool:
        return self.time_from is not None and self.time_from == self.time_to

    @property
    def has_dates(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    @property
    def has_times(self) -> bool:
        return self.time_from is not None or self.time_to is not None

    def merged(self, newer: "Wish") -> "Wish":
        """A refinement replaces the dates or the times it names and keeps the rest, so
        "after 18" keeps the wished day and "on Friday" keeps "after 18"."""
        return Wish(
            date_from=newer.date_from if newer.has_dates else self.date_from,
            date_to=newer.date_to if newer.has_dates else self.date_to,
            time_from=newer.time_from if newer.has_times else self.time_from,
            time_to=newer.time_to if newer.has_times else self.time_to,
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


class Mine(BaseModel):
    """One of the patient's own appointments, as shown to them."""

    id: int
    doctor_id: int
    doctor_name: str
    specialty: str
    start: datetime


class Conversation(BaseModel):
    """Everything the assistant remembers about one chat."""

    version: Literal[2] = 2
    lang: Lang = "ru"
    step: Step = Step.idle
    # A new id per booking attempt: the idempotency key is derived from it.
    conversation_id: str | None = None
    specialty: str | None = None
    doctor_id: int | None = None  # a preferred doctor, when the patient named one
    excluded_doctors: list[int] = Field(default_factory=list)  # "another doctor"
    wish: Wish | None = None  # the window the patient gave; corrections refine it
    excluded_days: list[date] = Field(default_factory=list)  # "not that day", "another day"
    # The wish names one exact moment and was said as a request ("запишите на 10"), not as
    # a question ("а на 10 есть?"): when it is free, it is taken at once.
    exact_request: bool = False
    clarified: bool = False  # the one follow-up question has been asked
    reason: str | None = None  # the patient's complaint, short, for the doctor
    offers: list[Offer] = Field(default_factory=list)
    # Lists of proposed times the patient turned down in this booking (see booking.show).
    turned_down: int = 0
    chosen: Offer | None = None
    hold_id: int | None = None  # the API's hold on `chosen`, booked with it on confirm
    patient_name: str | None = None  # kept between bookings, for the next time
    patient_phone: str | None = None
    phone_declined: bool = False  # asked once; the patient would rather not give one
    last_booking: Booked | None = None
    # The category of an emergency warned about in this conversation: no slots until /start.
    emergency: str | None = None
    # Despair said in this conversation: a later "сделаю это в выходные" is read as a plan.
    despair: bool = False
    refused: str | None = None  # why the last message was refused, for "but I'm her son"
    listed: list[Mine] = Field(default_factory=list)  # appointments offered to pick from
    purpose: Literal["cancel", "move"] | None = None  # what the picked appointment is for
    target: Mine | None = None  # the appointment being cancelled or moved
    # Opaque memory of the understanding step (the LLM agent keeps its message history here).
    memory: Any = None

    def fresh(self) -> "Conversation":
        """A new booking conversation that still knows the patient (and any emergency)."""
        return Conversation(
            lang=self.lang,
            patient_name=self.patient_name,
            patient_phone=self.patient_phone,
            last_booking=self.last_booking,
            emergency=self.emergency,
            despair=self.despair,
        )
