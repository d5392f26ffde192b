"""A waitlist offer's buttons: book the held slot, or pass it to the next in line.

The offer arrives from the worker outside any conversation, so a press leaves whatever the
patient is doing as it is. It is no dialogue act (no words say "book offer No. 12"), so the
engine hands the press here directly. Whatever went wrong with an offer (it lapsed and passed
on, the time was taken, the patient left the line), the answer is the same polite "no longer
available": the patient can do nothing about the difference.
"""

import logging

from clinic.client import ApiUnavailable, ClinicApiError
from clinic.dialog.buttons import OfferAnswer
from clinic.dialog.events import Reply, Sender
from clinic.dialog.replies import Replies
from clinic.dialog.state import Conversation, Mine
from clinic.dialog.texts import t
from clinic.dialog.turn import Services

log = logging.getLogger(__name__)


async def answer(
    services: Services, s: Conversation, sender: Sender, offer: OfferAnswer
) -> Replies:
    if sender.id is None:
        return [Reply(text=t(s.lang, "offer_gone"))]
    if offer.slot is None:
        return await _decline(services, s, sender.id, offer.entry_id)
    return await _accept(services, s, sender, offer)


async def _accept(
    services: Services, s: Conversation, sender: Sender, offer: OfferAnswer
) -> Replies:
    """Book the offered slot with the entry's hold, under the name the patient waited with."""
    assert sender.id is not None
    assert offer.slot is not None
    api = services.api
    entry = await api.waitlist_entry(offer.entry_id, patient_telegram_id=sender.id)
    if entry is None or entry.status != "offered" or entry.hold_id is None:
        return [Reply(text=t(s.lang, "offer_gone"))]
    try:
        appointment = await api.book(
            doctor_id=offer.slot.doctor_id,
            start=offer.slot.start,
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
        return [Reply(text=t(s.lang, "offer_gone"))]
    log.info("dialog booked waitlist offer entry=%s appointment=%s", entry.id, appointment.id)
    doctor_id = appointment.doctor_id
    doctor = services.directory.doctor(doctor_id) or await api.doctor(doctor_id)
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
        slot=services.screens.slot_text(item, s.lang),
        name=appointment.patient_name,
        address=services.clinic.address_for(s.lang),
    )
    return [Reply(text=text, remove_keyboard=True)]


async def _decline(services: Services, s: Conversation, telegram_id: int, entry_id: int) -> Replies:
    """Pass the slot on; the patient stays in line for other times."""
    try:
        await services.api.decline_offer(entry_id, patient_telegram_id=telegram_id)
    except ApiUnavailable:
        raise
    except ClinicApiError:  # nothing offered to it now (lapsed, already answered), or not theirs
        return [Reply(text=t(s.lang, "offer_gone"))]
    log.info("dialog declined waitlist offer entry=%s", entry_id)
    return [Reply(text=t(s.lang, "offer_declined"))]
