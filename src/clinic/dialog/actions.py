"""Actions: the policy's decisions, each mapped to the function that carries it out.

Actions are the only place with side effects (API calls, through the client); the booking
steps live in `booking`, the patient's own appointments in `mine`, the rest in `asides`.
"""

from collections.abc import Awaitable, Callable

from clinic.dialog import asides, booking, mine
from clinic.dialog.policy import Do
from clinic.dialog.replies import Replies
from clinic.dialog.turn import Turn

Action = Callable[[Turn], Awaitable[Replies]]

ACTIONS: dict[Do, Action] = {
    Do.search: booking.search,
    Do.choose: booking.choose,
    Do.choose_first: booking.choose_first,
    Do.more: booking.more,
    Do.later: booking.later,
    Do.earlier: booking.earlier,
    Do.other_day: booking.other_day,
    Do.not_that_day: booking.not_that_day,
    Do.other_doctor: booking.other_doctor,
    Do.back_to_offers: booking.back_to_offers,
    Do.take_contact: booking.take_contact,
    Do.remember_contact: booking.remember_contact,
    Do.use_sender_name: booking.use_sender_name,
    Do.skip_phone: booking.skip_phone,
    Do.book: booking.book,
    Do.join_waitlist: booking.join_waitlist,
    Do.list_mine: mine.list_mine,
    Do.cancel_mine: mine.cancel_mine,
    Do.reschedule_mine: mine.reschedule_mine,
    Do.confirm_mine: mine.confirm_mine,
    Do.pick_appointment: mine.pick_appointment,
    Do.cancel_appointment: mine.cancel_appointment,
    Do.move_appointment: mine.move_appointment,
    Do.keep_appointment: mine.keep_appointment,
    Do.restart: asides.restart_action,
    Do.greet: asides.greet,
    Do.thanks: asides.thanks,
    Do.help: asides.help_action,
    Do.clinic_info: asides.clinic_info,
    Do.steer_back: asides.steer_back,
    Do.refuse: asides.refuse,
    Do.no_medical_advice: asides.no_medical_advice,
    Do.emergency_again: asides.emergency_again,
    Do.not_understood: booking.not_understood,
}
