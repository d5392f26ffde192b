"""The reminder as the patient sees it: in their language, with the three buttons.

The buttons carry the dialog's own payloads, so the bot handles a press like any other:
Confirm records the confirmation, Cancel asks "cancel No. N?" as the /my list does, and
Reschedule starts the move of this appointment with the same doctor and specialty.
"""

from clinic.dialog import buttons
from clinic.dialog.clinic import ClinicInfo
from clinic.dialog.events import Button, Lang, Reply
from clinic.dialog.texts import long_when, t
from clinic.reminders.repository import Addressee


def language_of(addressee: Addressee) -> Lang:
    return "en" if addressee.language == "en" else "ru"


def reminder_reply(appointment_id: int, addressee: Addressee, clinic: ClinicInfo) -> Reply:
    lang = language_of(addressee)
    specialty = addressee.specialty_en if lang == "en" else addressee.specialty_ru
    slot = t(
        lang,
        "slot_line",
        specialty=specialty,
        doctor=addressee.doctor_name,
        when=long_when(addressee.start_time, clinic.tz, lang),
    )
    text = t(lang, "reminder", id=appointment_id, slot=slot, address=clinic.address_for(lang))
    confirm = Button(
        label=t(lang, "btn_confirm_visit"),
        data=f"{buttons.CONFIRM_APPOINTMENT}:{appointment_id}",
    )
    cancel = Button(
        label=t(lang, "btn_cancel_visit"), data=f"{buttons.CANCEL_APPOINTMENT}:{appointment_id}"
    )
    move = Button(
        label=t(lang, "btn_move_visit"), data=f"{buttons.MOVE_APPOINTMENT}:{appointment_id}"
    )
    return Reply(text=text, buttons=[[confirm], [cancel, move]])
