"""Dialogue acts: what the patient did with one message, whether typed or pressed.

An act is an intent plus the entities it carries (a specialty, a wished window, a name, a
phone, which offer, which of their appointments). Understanders produce acts from text, the
button codec produces them from presses, and the policy only ever sees acts.
"""

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from clinic.dialog.state import Wish


class Intent(StrEnum):
    inform = "inform"  # a booking wish: a specialty, a doctor, a complaint, a window
    affirm = "affirm"  # "да", "yes", "хорошо, записывайте"
    deny = "deny"  # "нет", "не подходит"
    choose = "choose"  # one of the offered times, by time, by position or by button
    later = "later"  # later than the last proposal
    earlier = "earlier"  # earlier than the first proposal
    other_day = "other_day"  # another day inside the window
    not_that_day = "not_that_day"  # a day (named or proposed) does not suit
    other_doctor = "other_doctor"
    back = "back"  # from the summary back to the proposed times
    contact = "contact"  # a name, a phone, or both
    list_mine = "list_mine"  # "какие у меня записи?"
    cancel_mine = "cancel_mine"  # cancel one of my appointments
    reschedule_mine = "reschedule_mine"  # move one of my appointments
    confirm_mine = "confirm_mine"  # "I will come" to one of my appointments (a reminder's button)
    pick_appointment = "pick_appointment"  # which of my appointments (answering "which?")
    join_waitlist = "join_waitlist"  # "put me on the waitlist" (the button under "no time")
    stop = "stop"  # drop what is in progress
    greet = "greet"
    thanks = "thanks"
    help = "help"
    clinic_info = "clinic_info"  # address, hours, prices
    off_topic = "off_topic"
    forbidden = "forbidden"
    medical_advice = "medical_advice"  # which drug, what dose
    emergency = "emergency"  # only a model says this; the red-flag check runs before it
    unknown = "unknown"


class Forbidden(StrEnum):
    """Why a request is refused."""

    past = "past"  # a time that has passed, or backdating
    others_data = "others_data"  # other patients' appointments or details
    staff_claim = "staff_claim"  # "I am the administrator"
    instructions = "instructions"  # the assistant's internal instructions


class SlotRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    doctor_id: int
    start: datetime


class AppointmentRef(BaseModel):
    """Which of the patient's appointments they mean; every field narrows the choice."""

    model_config = ConfigDict(frozen=True)

    appointment_id: int | None = None
    position: int | None = None  # 0-based, in the list last shown
    specialty: str | None = None
    alternatives: tuple[str, ...] = ()  # other specialties the words may mean, tried next
    doctor_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    at: time | None = None  # the time of day

    @property
    def empty(self) -> bool:
        return self == AppointmentRef()


class Act(BaseModel):
    """One message, understood. Entities that were not said stay empty."""

    model_config = ConfigDict(frozen=True)

    intent: Intent
    specialty: str | None = None  # a specialty code of the clinic
    alternatives: list[str] = Field(default_factory=list)
    clue: str | None = None  # the patient's words that point to the specialty, to quote back
    doctor_id: int | None = None  # a doctor named ("к Новикову")
    wish: Wish | None = None
    days: list[date] = Field(default_factory=list)  # days that do not suit (none: the offered)
    position: int | None = None  # 0-based offer ("второй")
    slot: SlotRef | None = None  # an offer by its doctor and time (a button, "в 10:30")
    described: bool = False  # words of a complaint the understander could not place
    missing: str | None = None  # a specialist named whom the clinic lacks (`specialists`)
    name: str | None = None
    phone: str | None = None  # E.164
    phone_invalid: bool = False  # something like a phone that is not a valid number
    appointment: AppointmentRef | None = None  # which of mine
    same_time: bool = False  # a move "to Monday, same time": the appointment's time of day
    # A move relative to the appointment itself: "того же дня" (0), "на следующий день" (1),
    # "на неделю позже" (7); "later/earlier that day"; "на час позже" (60 minutes).
    move_days: int | None = None
    move_side: Literal["later", "earlier"] | None = None
    move_minutes: int | None = None
    asking: bool = False  # "а в 9:30 можно?": a question about a time, not yet an agreement
    # "мне во вторник на 9 неудобно, можно попозже?": perhaps one of theirs; if none is at that
    # time, a booking wish.
    maybe_mine: bool = False
    forbidden: Forbidden | None = None
    about_address: bool = False  # clinic_info: where the clinic is
    # From a model: its own words to show, and slots it found (re-checked before showing).
    reply: str | None = None
    proposals: list[SlotRef] = Field(default_factory=list)
    memory: Any = None  # the understander's new memory; None keeps the old one
