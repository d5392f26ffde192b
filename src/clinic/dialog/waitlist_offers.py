"""A waitlist offer's buttons: book the held slot, or pass it to the next in line.

The offer arrives from the worker outside any conversation, so a press leaves whatever the
patient is doing as it is. Whatever went wrong with an offer (it lapsed and passed on, the time
was taken, the patient left the line), the answer is the same polite "no longer available":
the patient can do nothing about the difference.
"""

import logging

from clinic.client import ApiUnavailable, ClinicApiError
from clinic.dialog.events import Reply
from clinic.dialog.replies import Replies
from clinic.dialog.state import Mine
from clinic.dialog.texts import t
from clinic.dialog.turn import Turn

log = logging.getLogger(__name__)


async def accept_offer(turn: Turn) -> Replies:
    """Book the offered slot with the entry's hold, under the name the patient waited with."""
    act, s, sender = turn.act, turn.s, turn.sender
    if sender.id is None or act.waitlist_entry is None or act.slot is None:
        return [turn.say("offer_gone")]
    entry = await turn.services.api.waitlist_entry(
        act.waitlist_entry, patient_telegram_id=sender.id
    )
    if entry is None or entry.status != "offered" or entry.hold_id is None:
        return [turn.say("offer_gone")]
    try:
        appointment = await turn.services.api.book(
            doctor_id=act.slot.doctor_id,
            start=act.slot.start,
            patient_name=entry.patient_name or sender.name or "",
            patient_phone=entry.patient_phone,
            patient_telegram_id=sender.id,
            patient_language=s.lang,
            hold_id=entry.hold_id,
            # One booking per offer, however often the button is pressed.
            idempotency_key=f"waitlist-{entry.id}-{entry.hold_id}",
        )
    except ApiUnavailable:
        raise  # the engine answers "try again later"
    except ClinicApiError:  # the hold lapsed and the time was taken, or it was another slot
        return [turn.say("offer_gone")]
    log.info("dialog booked waitlist offer entry=%s appointment=%s", entry.id, appointment.id)
    api, doctor_id = turn.services.api, appointment.doctor_id
    doctor = turn.services.directory.doctor(doctor_id) or await api.doctor(doctor_id)
    item = Mine(
        id=appointment.id,
        doctor_id=doctor.id,
        doctor_name=doctor.full_name,
        specialty=doctor.specialty.code,
        start=appointment.start_time,
    )
    text = t(
        s.lang,
        "booked",
        id=appointment.id,
        slot=turn.screens.slot_text(item, s.lang),
        name=appointment.patient_name,
        address=turn.services.clinic.address_for(s.lang),
    )
    return [Reply(text=text, remove_keyboard=True)]


async def decline_offer(turn: Turn) -> Replies:
    """Pass the slot on; the patient stays in line for other times."""
    act, sender = turn.act, turn.sender
    if sender.id is None or act.waitlist_entry is None:
        return [turn.say("offer_gone")]
    try:
        await turn.services.api.decline_offer(act.waitlist_entry, patient_telegram_id=sender.id)
    except ApiUnavailable:
        raise
    except ClinicApiError:  # nothing offered to it now (lapsed, already answered), or not theirs
        return [turn.say("offer_gone")]
    log.info("dialog declined waitlist offer entry=%s", act.waitlist_entry)
    return [turn.say("offer_declined")]
