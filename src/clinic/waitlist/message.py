"""The offer as the patient sees it: the freed slot, how long it is held, Accept / Decline.

The buttons carry the dialog's payloads (`wla:<entry>:<doctor>:<start>`, `wld:<entry>`), so
the bot handles a press like any other, outside any conversation in progress.
"""

from dataclasses import dataclass
from datetime import datetime

from clinic.dialog import buttons
from clinic.dialog.clinic import ClinicInfo
from clinic.dialog.events import Button, Lang, Reply
from clinic.dialog.texts import clock, long_when, t


@dataclass(frozen=True)
class Addressee:
    """Whom the offer goes to and what it says (read in the message's claim)."""

    entry_id: int
    patient_telegram_id: int
    doctor_id: int
    start_time: datetime
    expires_at: datetime
    doctor_name: str
    specialty_ru: str
    specialty_en: str
    language: str | None


def offer_reply(addressee: Addressee, clinic: ClinicInfo) -> Reply:
    lang: Lang = "en" if addressee.language == "en" else "ru"
    specialty = addressee.specialty_en if lang == "en" else addressee.specialty_ru
    slot = t(
        lang,
        "slot_line",
        specialty=specialty,
        doctor=addressee.doctor_name,
        when=long_when(addressee.start_time, clinic.tz, lang),
    )
    until = clock(addressee.expires_at.astimezone(clinic.tz))
    text = t(lang, "waitlist_offer", slot=slot, until=until)
    start = int(addressee.start_time.timestamp())
    accept = Button(
        label=t(lang, "btn_accept_offer"),
        data=f"{buttons.ACCEPT_OFFER}:{addressee.entry_id}:{addressee.doctor_id}:{start}",
    )
    decline = Button(
        label=t(lang, "btn_decline_offer"), data=f"{buttons.DECLINE_OFFER}:{addressee.entry_id}"
    )
    return Reply(text=text, buttons=[[accept, decline]])
