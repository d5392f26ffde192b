"""Button payloads: short strings (Telegram allows 64 bytes) that the engine parses back."""

from dataclasses import dataclass
from datetime import UTC, datetime

from clinic.dialog.state import Offer

SPECIALTY = "sp"
WHEN = "w"
SLOT = "s"
LATER = "more"
OTHER_DOCTOR = "odoc"
USE_NAME = "name"
USE_SAVED_NAME = "name:saved"
CONFIRM = "ok"
CHANGE_TIME = "chg"
STOP = "stop"
CANCEL_APPOINTMENT = "x"
CANCEL_APPOINTMENT_YES = "xy"
KEEP_APPOINTMENT = "xn"

WHEN_CHOICES = ("today", "tomorrow", "week", "any")


@dataclass(frozen=True)
class Action:
    name: str
    arg: str = ""


def parse(data: str) -> Action:
    if data == USE_SAVED_NAME:
        return Action(USE_SAVED_NAME)
    name, _, arg = data.partition(":")
    return Action(name, arg)


def slot_data(offer: Offer) -> str:
    # The doctor and the start instant identify a slot; an index would point at the wrong slot
    # once the proposal is recomputed and the patient presses an older button.
    return f"{SLOT}:{offer.doctor_id}:{int(offer.start.timestamp())}"


def parse_slot(arg: str) -> tuple[int, datetime] | None:
    doctor, _, epoch = arg.partition(":")
    if not (doctor.isdigit() and epoch.isdigit()):
        return None
    return int(doctor), datetime.fromtimestamp(int(epoch), UTC)
