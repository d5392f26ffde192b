"""Buttons: short payloads (Telegram allows 64 bytes) and the act each press stands for.

A press becomes the same dialogue act as the sentence it replaces ("✅ Записаться" is "да",
"🕑 Позже" is "попозже"), so the policy never needs to know how the patient answered.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from clinic.dialog.acts import Act, AppointmentRef, Intent, SlotRef
from clinic.dialog.events import Sender
from clinic.dialog.state import Conversation, Offer, Step, Wish

SPECIALTY = "sp"
WHEN = "w"
SLOT = "s"
LATER = "more"
OTHER_DAY = "oday"
OTHER_DOCTOR = "odoc"
USE_NAME = "name"
USE_SAVED_NAME = "name:saved"
NO_PHONE = "nophone"
CONFIRM = "ok"
CHANGE_TIME = "chg"
STOP = "stop"
CANCEL_APPOINTMENT = "x"
CANCEL_APPOINTMENT_YES = "xy"
KEEP_APPOINTMENT = "xn"
MOVE_APPOINTMENT = "mv"
MOVE_YES = "mvy"
WAITLIST = "wl"
CONFIRM_APPOINTMENT = "cf"  # a reminder's "I will come"
ACCEPT_OFFER = "wla"  # a waitlist offer's "book it": wla:<entry>:<doctor>:<start epoch>
DECLINE_OFFER = "wld"  # a waitlist offer's "no, thanks": wld:<entry>

WHEN_CHOICES = ("today", "tomorrow", "week", "any")


def slot_data(offer: Offer) -> str:
    # The doctor and the start instant identify a slot; an index would point at the wrong slot
    # once the proposal is recomputed and the patient presses an older button.
    return f"{SLOT}:{offer.doctor_id}:{int(offer.start.timestamp())}"


def _slot(arg: str) -> SlotRef | None:
    doctor, _, epoch = arg.partition(":")
    if not (doctor.isdigit() and epoch.isdigit()):
        return None
    return SlotRef(doctor_id=int(doctor), start=datetime.fromtimestamp(int(epoch), UTC))


@dataclass(frozen=True)
class OfferAnswer:
    """A press on a waitlist offer: not a dialogue act (no words say it), so the engine
    hands it straight to `waitlist_offers`."""

    entry_id: int
    slot: SlotRef | None  # the held slot to book; None: declined


def offer_answer(data: str) -> OfferAnswer | None:
    """The offer a press answers, or None when the payload is not an offer's (or malformed)."""
    name, _, arg = data.partition(":")
    if name == DECLINE_OFFER and arg.isdigit():
        return OfferAnswer(int(arg), None)
    if name == ACCEPT_OFFER:
        entry, _, slot_arg = arg.partition(":")
        if entry.isdigit() and (slot := _slot(slot_arg)) is not None:
            return OfferAnswer(int(entry), slot)
    return None


def quick_wish(choice: str, today: date) -> Wish:
    if choice == "today":
        return Wish(date_from=today, date_to=today)
    if choice == "tomorrow":
        tomorrow = today + timedelta(days=1)
        return Wish(date_from=tomorrow, date_to=tomorrow)
    if choice == "week":
        return Wish(date_from=today, date_to=today + timedelta(days=6 - today.weekday()))
    return Wish()


def act_for(data: str, sender: Sender, state: Conversation, today: date) -> Act:
    """The act a button press stands for; an unknown or malformed payload is `unknown`."""
    if data == USE_SAVED_NAME:
        return Act(intent=Intent.contact, name=state.patient_name)
    name, _, arg = data.partition(":")
    number = int(arg) if arg.isdigit() else None
    simple = {
        LATER: Intent.later,
        OTHER_DAY: Intent.other_day,
        OTHER_DOCTOR: Intent.other_doctor,
        CONFIRM: Intent.affirm,
        CHANGE_TIME: Intent.back,
        STOP: Intent.stop,
        KEEP_APPOINTMENT: Intent.deny,
        NO_PHONE: Intent.deny,
        WAITLIST: Intent.join_waitlist,
    }
    if name in simple:
        return Act(intent=simple[name])
    if name == SPECIALTY and arg:
        return Act(intent=Intent.inform, specialty=arg)
    if name == WHEN and arg in WHEN_CHOICES:
        return Act(intent=Intent.inform, wish=quick_wish(arg, today))
    if name == SLOT and (slot := _slot(arg)) is not None:
        return Act(intent=Intent.choose, slot=slot)
    if name == USE_NAME and sender.name:
        return Act(intent=Intent.contact, name=sender.name)
    if name in (CANCEL_APPOINTMENT, MOVE_APPOINTMENT) and number is not None:
        intent = Intent.cancel_mine if name == CANCEL_APPOINTMENT else Intent.reschedule_mine
        return Act(intent=intent, appointment=AppointmentRef(appointment_id=number))
    if name == CONFIRM_APPOINTMENT and number is not None:
        return Act(intent=Intent.confirm_mine, appointment=AppointmentRef(appointment_id=number))
    if name == CANCEL_APPOINTMENT_YES and number is not None:
        return Act(intent=Intent.affirm, appointment=AppointmentRef(appointment_id=number))
    moving = state.target is not None and state.target.id == number
    if name == MOVE_YES and moving and state.step is Step.confirming_move:
        return Act(intent=Intent.affirm, appointment=AppointmentRef(appointment_id=number))
    return Act(intent=Intent.unknown)
