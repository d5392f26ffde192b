"""The policy: which action answers an act in a given step. Read it as a table.

`STEP_RULES` are the answers that depend on what is on screen ("да" books on the summary but
picks the first time on a list of times); `ANY_STEP` is what an act means everywhere else.
Two rules come first: after an emergency warning nothing that leads to slots is done, and a
"yes" that names an appointment (its button) cancels or moves that one.
"""

from enum import StrEnum

from clinic.dialog.acts import Act, Intent
from clinic.dialog.state import Conversation, Step


class Do(StrEnum):
    search = "search"  # take in the wish (specialty, doctor, window) and propose times
    choose = "choose"  # the patient picked an offered time
    choose_first = "choose_first"  # "да" to a list of times: the first one
    more = "more"  # "нет" to a list of times: the next ones
    later = "later"
    earlier = "earlier"
    other_day = "other_day"
    not_that_day = "not_that_day"
    other_doctor = "other_doctor"
    back_to_offers = "back_to_offers"
    take_contact = "take_contact"  # a name and/or a phone, when asked for
    remember_contact = "remember_contact"  # given before being asked
    use_sender_name = "use_sender_name"  # "да" to "book under your Telegram name?"
    skip_phone = "skip_phone"
    book = "book"
    list_mine = "list_mine"
    cancel_mine = "cancel_mine"
    reschedule_mine = "reschedule_mine"
    confirm_mine = "confirm_mine"
    pick_appointment = "pick_appointment"
    cancel_appointment = "cancel_appointment"  # confirmed: cancel it now
    move_appointment = "move_appointment"  # confirmed: move it now
    keep_appointment = "keep_appointment"
    restart = "restart"
    greet = "greet"
    thanks = "thanks"
    help = "help"
    clinic_info = "clinic_info"
    steer_back = "steer_back"
    refuse = "refuse"
    no_medical_advice = "no_medical_advice"
    emergency = "emergency"
    emergency_again = "emergency_again"
    not_understood = "not_understood"
    join_waitlist = "join_waitlist"  # wait in line for a freed slot


# What is still answered normally after an emergency warning; anything else (insisting on a
# booking in whatever words, or talk of something else) gets the warning again.
AFTER_EMERGENCY = frozenset(
    {
        Intent.list_mine,
        Intent.cancel_mine,
        Intent.confirm_mine,
        Intent.pick_appointment,
        Intent.stop,
        Intent.greet,
        Intent.thanks,
        Intent.help,
        Intent.clinic_info,
        Intent.forbidden,
    }
)

STEP_RULES: dict[tuple[Intent, Step], Do] = {
    (Intent.affirm, Step.choosing): Do.choose_first,
    (Intent.affirm, Step.need_contact): Do.use_sender_name,
    (Intent.affirm, Step.confirming): Do.book,
    (Intent.affirm, Step.idle): Do.book,  # a second tap on "book": "already booked"
    (Intent.affirm, Step.confirming_cancel): Do.cancel_appointment,
    (Intent.affirm, Step.confirming_move): Do.move_appointment,
    (Intent.affirm, Step.picking_appointment): Do.pick_appointment,
    (Intent.deny, Step.choosing): Do.more,
    (Intent.deny, Step.need_contact): Do.skip_phone,
    (Intent.deny, Step.confirming): Do.back_to_offers,
    (Intent.deny, Step.confirming_cancel): Do.keep_appointment,
    (Intent.deny, Step.confirming_move): Do.keep_appointment,
    (Intent.deny, Step.picking_appointment): Do.keep_appointment,
    (Intent.contact, Step.choosing): Do.choose_first,  # details given: the offer is accepted
    (Intent.contact, Step.need_contact): Do.take_contact,
    (Intent.contact, Step.confirming): Do.take_contact,
    (Intent.cancel_mine, Step.confirming_cancel): Do.cancel_mine,
    (Intent.pick_appointment, Step.picking_appointment): Do.pick_appointment,
}

ANY_STEP: dict[Intent, Do] = {
    Intent.inform: Do.search,
    Intent.affirm: Do.not_understood,
    Intent.deny: Do.not_understood,
    Intent.choose: Do.choose,
    Intent.later: Do.later,
    Intent.earlier: Do.earlier,
    Intent.other_day: Do.other_day,
    Intent.not_that_day: Do.not_that_day,
    Intent.other_doctor: Do.other_doctor,
    Intent.back: Do.back_to_offers,
    Intent.contact: Do.remember_contact,
    Intent.list_mine: Do.list_mine,
    Intent.cancel_mine: Do.cancel_mine,
    Intent.reschedule_mine: Do.reschedule_mine,
    Intent.confirm_mine: Do.confirm_mine,
    Intent.pick_appointment: Do.not_understood,
    Intent.join_waitlist: Do.join_waitlist,
    Intent.stop: Do.restart,
    Intent.greet: Do.greet,
    Intent.thanks: Do.thanks,
    Intent.help: Do.help,
    Intent.clinic_info: Do.clinic_info,
    Intent.off_topic: Do.steer_back,
    Intent.forbidden: Do.refuse,
    Intent.medical_advice: Do.no_medical_advice,
    Intent.emergency: Do.emergency,
    Intent.unknown: Do.not_understood,
}


def decide(act: Act, s: Conversation) -> Do:
    """The action for this act in this state."""
    if s.emergency is not None and act.intent not in AFTER_EMERGENCY:
        return Do.emergency_again
    if act.intent is Intent.affirm and act.appointment and act.appointment.appointment_id:
        return Do.move_appointment if s.step is Step.confirming_move else Do.cancel_appointment
    return STEP_RULES.get((act.intent, s.step)) or ANY_STEP[act.intent]
