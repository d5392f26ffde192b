"""The patient's own appointments: list them, cancel or move one named by description.

"Cancel my dentist appointment", "move the Friday one to Monday", "отмените вторую": the
act says which (specialty, doctor, day, time, number or position); one match is confirmed
first, several get the question "which one?". Only appointments under the patient's own
Telegram id are ever shown or touched: the API is asked for those, and each is re-checked.
"""

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from clinic.client import Appointment, NotFoundError, RequestRejected, SlotTakenError
from clinic.dialog.acts import Act, AppointmentRef, Intent
from clinic.dialog.booking import propose, search, show
from clinic.dialog.events import Reply
from clinic.dialog.replies import Replies
from clinic.dialog.search import PROPOSALS, Found
from clinic.dialog.state import SHOWN, Mine, Step, Wish
from clinic.dialog.texts import t
from clinic.dialog.turn import Turn, restart

log = logging.getLogger(__name__)


async def upcoming(turn: Turn) -> list[Mine]:
    """The patient's upcoming scheduled appointments, earliest first."""
    services = turn.services
    assert turn.sender.id is not None
    appointments = await services.api.appointments_of(turn.sender.id, start=services.clock())
    found: list[Mine] = []
    for appointment in appointments:
        if appointment.patient_telegram_id not in (None, turn.sender.id):
            continue  # never another patient's, whatever the API returned
        doctor = services.directory.doctor(appointment.doctor_id)
        if doctor is None:
            doctor = await services.api.doctor(appointment.doctor_id)
        found.append(
            Mine(
                id=appointment.id,
                doctor_id=doctor.id,
                doctor_name=doctor.full_name,
                specialty=doctor.specialty.code,
                start=appointment.start_time,
            )
        )
    return found[:SHOWN]


def matching(turn: Turn, items: list[Mine], ref: AppointmentRef) -> list[Mine]:
    """The appointments the description fits; a position counts in the list last shown."""
    if ref.appointment_id is not None:
        return [item for item in items if item.id == ref.appointment_id]
    if ref.position is not None:
        shown = turn.s.listed or items
        if not 0 <= ref.position < len(shown):
            return []
        wanted = shown[ref.position].id
        return [item for item in items if item.id == wanted]
    tz = turn.services.clinic.tz

    def fits(item: Mine, specialty: str | None) -> bool:
        local = item.start.astimezone(tz)
        return (
            (specialty is None or item.specialty == specialty)
            and (ref.doctor_id is None or item.doctor_id == ref.doctor_id)
            and (ref.date_from is None or local.date() >= ref.date_from)
            and (ref.date_to is None or local.date() <= ref.date_to)
            and (ref.at is None or local.time() == ref.at)
        )

    # The likeliest specialty first; "отмените терапевта, я лучше к кардиологу" names two.
    for specialty in (ref.specialty, *ref.alternatives):
        found = [item for item in items if fits(item, specialty)]
        if found:
            return found
    return []


def _remember_doctor(turn: Turn, specialty: str | None, doctor_id: int | None) -> None:
    """ "запишите тогда к нему", "туда же": the doctor just talked about, for a new booking."""
    s = turn.s
    if s.step in (Step.idle, Step.need_specialty) and (specialty or doctor_id):
        doctor = turn.services.directory.doctor(doctor_id)
        s.specialty = doctor.specialty.code if doctor else specialty
        s.doctor_id = doctor_id


def _forget_the_pick(turn: Turn) -> None:
    s = turn.s
    s.listed, s.purpose, s.target = [], None, None


async def list_mine(turn: Turn) -> Replies:
    s = turn.s
    if turn.sender.id is None:
        return [turn.say("my_needs_telegram")]
    items = await upcoming(turn)
    if not items:
        return [turn.say("my_none")]
    ref = turn.act.appointment or AppointmentRef()
    # "а к лору во сколько?", "is my dentist one still on?": the ones asked about, when any
    # fit; the whole list otherwise, saying the one asked about is not among them.
    fitting = matching(turn, items, ref) if not ref.empty else items
    notes = [] if fitting else [turn.say("no_match")]
    shown = fitting or items
    s.listed = shown  # so "отмените вторую" can point into this list
    return [*notes, turn.screens.appointment_list(s, shown, t(s.lang, "my_list"), None)]


async def cancel_mine(turn: Turn) -> Replies:
    s, ref = turn.s, turn.act.appointment or AppointmentRef()
    if s.step is Step.confirming_cancel and ref.empty and s.target is not None:
        return await cancel_appointment(turn)  # "да, отменяйте"
    return await _which(turn, ref, "cancel")


async def reschedule_mine(turn: Turn) -> Replies:
    act = turn.act
    ref = act.appointment or AppointmentRef()
    if act.maybe_mine and turn.sender.id is not None:
        items = await upcoming(turn)
        if not matching(turn, items, ref):
            # No appointment of theirs at that time: it was about a new booking after all.
            turn.act = act.model_copy(update={"intent": Intent.inform, "appointment": None})
            return await search(turn)
    return await _which(turn, ref, "move")


async def _which(turn: Turn, ref: AppointmentRef, purpose: str) -> Replies:
    """Find the appointment meant; confirm it when one fits, ask which when several do."""
    s = turn.s
    if turn.sender.id is None:
        return [turn.say("my_needs_telegram")]
    items = await upcoming(turn)
    if not items:
        _forget_the_pick(turn)
        _remember_doctor(turn, ref.specialty, ref.doctor_id)
        return [turn.say("my_none")]
    # "отмените её": nothing described means the one just shown, if one was.
    just_shown = [item for item in items if item.id in {m.id for m in s.listed}]
    candidates = matching(turn, items, ref) if not ref.empty else (just_shown or items)
    notes: Replies = []
    if not candidates:
        notes.append(turn.say("no_match"))
        candidates = items
    if len(candidates) == 1 and not notes:
        return await _picked(turn, candidates[0], purpose)
    s.listed, s.purpose, s.step = (
        candidates,
        "move" if purpose == "move" else "cancel",
        (Step.picking_appointment),
    )
    key = "which_move" if purpose == "move" else "which_cancel"
    return [*notes, turn.screens.appointment_list(s, candidates, t(s.lang, key), purpose)]


async def pick_appointment(turn: Turn) -> Replies:
    s = turn.s
    ref = turn.act.appointment or AppointmentRef()
    candidates = matching(turn, s.listed, ref) if not ref.empty else s.listed
    if len(candidates) == 1:
        return await _picked(turn, candidates[0], s.purpose or "cancel")
    key = "which_move" if s.purpose == "move" else "which_cancel"
    shown = candidates or s.listed
    notes = [] if candidates else [turn.say("no_match")]
    s.listed = shown
    return [*notes, turn.screens.appointment_list(s, shown, t(s.lang, key), s.purpose)]


async def _picked(turn: Turn, item: Mine, purpose: str) -> Replies:
    s = turn.s
    if purpose == "move":
        return await _start_move(turn, item)
    s.target, s.purpose, s.listed = item, "cancel", []
    s.step = Step.confirming_cancel
    return [turn.screens.cancel_question(s, item)]


def move_wish(act: Act, item: Mine, tz: ZoneInfo) -> Wish | None:
    """Where the patient wants the appointment to go, read against the appointment itself:
    "на то же время" is its time of day; "того же дня", "на следующий день", "на неделю
    позже" count from its day; "later that day" is after its time; "на час позже" is its
    time shifted; and hours alone ("на вечер", "to 3pm") stay on its day."""
    local = item.start.astimezone(tz)
    wish = act.wish
    relative = act.move_days is not None or act.move_side or act.move_minutes
    if act.same_time and (wish is not None or relative):
        same = {"time_from": local.time(), "time_to": local.time()}
        wish = (wish or Wish()).model_copy(update=same)
    if not relative and (wish is None or wish.has_dates):
        return wish
    wish = wish or Wish()
    day = local.date() + timedelta(days=act.move_days or 0)
    if act.move_minutes:
        moved = local + timedelta(minutes=act.move_minutes)
        day = moved.date() if act.move_days is None else day
        wish = Wish(time_from=moved.time(), time_to=moved.time())
    elif act.move_side == "later":
        start = max(local.time(), wish.time_from) if wish.time_from else local.time()
        wish = wish.model_copy(update={"time_from": start})
    elif act.move_side == "earlier":
        end = min(local.time(), wish.time_to) if wish.time_to else local.time()
        wish = wish.model_copy(update={"time_to": end})
    return wish.model_copy(update={"date_from": day, "date_to": day})


async def _start_move(turn: Turn, item: Mine) -> Replies:
    """Look for a new time with the same doctor, in the window given (if any)."""
    s = turn.s
    wish = move_wish(turn.act, item, turn.services.clinic.tz)
    restart(s)
    s.target, s.purpose = item, "move"
    s.specialty, s.doctor_id = item.specialty, item.doctor_id
    s.conversation_id = None
    if wish is None:
        # No new time said: the nearest free ones with the same doctor, and an invitation
        # to name a day instead.
        s.wish = Wish()
        text = t(s.lang, "moving", id=item.id, slot=turn.screens.slot_text(item, s.lang))
        return [Reply(text=text), *await propose(turn, header="nearest_any")]
    s.wish = wish
    return await propose(turn, take_exact=wish.exact_time)


async def _owned(turn: Turn, appointment_id: int) -> Appointment | Reply:
    """The appointment when it is the patient's own and scheduled; else what to say."""
    try:
        appointment = await turn.services.api.get_appointment(
            appointment_id, patient_telegram_id=turn.sender.id
        )
    except NotFoundError:
        return turn.say("appt_unknown")
    # The bot role may touch any appointment, so ownership is checked here.
    if turn.sender.id is None or appointment.patient_telegram_id != turn.sender.id:
        return turn.say("appt_unknown")
    if appointment.status != "scheduled":
        return turn.say("appt_already_cancelled", id=appointment.id)
    return appointment


async def cancel_appointment(turn: Turn) -> Replies:
    s = turn.s
    ref = turn.act.appointment
    appointment_id = ref.appointment_id if ref and ref.appointment_id else None
    if appointment_id is None and s.target is not None:
        appointment_id = s.target.id
    if appointment_id is None:
        return [turn.say("stale")]
    found = await _owned(turn, appointment_id)
    _forget_the_pick(turn)
    if s.step in (Step.confirming_cancel, Step.picking_appointment):
        s.step = Step.idle
    if isinstance(found, Reply):
        return [found]
    await turn.services.api.cancel(
        found.id, reason="cancelled by the patient in the chat", patient_telegram_id=turn.sender.id
    )
    log.info("dialog cancelled appointment=%s", found.id)
    _remember_doctor(turn, None, found.doctor_id)
    doctor = turn.services.directory.doctor(found.doctor_id) or await turn.services.api.doctor(
        found.doctor_id
    )
    item = Mine(
        id=found.id,
        doctor_id=doctor.id,
        doctor_name=doctor.full_name,
        specialty=doctor.specialty.code,
        start=found.start_time,
    )
    return [turn.say("appt_cancelled", id=found.id, slot=turn.screens.slot_text(item, s.lang))]


async def confirm_mine(turn: Turn) -> Replies:
    """ "I will come": the appointment named (a reminder's button), or the patient's only
    upcoming one; with several and none named, the list to choose from."""
    ref = turn.act.appointment or AppointmentRef()
    appointment_id = ref.appointment_id
    if appointment_id is None:
        if turn.sender.id is None:
            return [turn.say("my_needs_telegram")]
        items = await upcoming(turn)
        if len(items) != 1:
            return await list_mine(turn)
        appointment_id = items[0].id
    found = await _owned(turn, appointment_id)
    if isinstance(found, Reply):
        return [found]
    await turn.services.api.confirm(found.id, patient_telegram_id=turn.sender.id)
    log.info("dialog confirmed appointment=%s", found.id)
    return [turn.say("appt_confirmed", id=found.id)]


async def keep_appointment(turn: Turn) -> Replies:
    s = turn.s
    moving = s.purpose == "move"
    _forget_the_pick(turn)
    if moving:
        restart(s)
    s.step = Step.idle
    return [turn.say("appt_kept")]


async def move_appointment(turn: Turn) -> Replies:
    s = turn.s
    item, offer = s.target, s.chosen
    if s.step is not Step.confirming_move or item is None or offer is None:
        return [turn.say("stale"), *turn.screens.prompt(s, turn.sender)]
    found = await _owned(turn, item.id)
    if isinstance(found, Reply):
        restart(s)
        return [found]
    try:
        moved = await turn.services.api.reschedule(
            item.id,
            start=offer.start,
            doctor_id=offer.doctor_id,
            patient_telegram_id=turn.sender.id,
        )
    except SlotTakenError as taken:
        alternatives = taken.alternatives[:PROPOSALS]
        notice = turn.say("taken")
        return [notice, *show(turn, Found(alternatives, "offers_again"))]
    except RequestRejected:
        return [turn.say("refused"), *await propose(turn)]
    log.info("dialog moved appointment=%s", moved.id)
    text = t(
        s.lang,
        "appt_moved",
        id=moved.id,
        slot=turn.screens.slot_text(offer, s.lang),
        address=turn.services.clinic.address_for(s.lang),
    )
    restart(s)
    return [Reply(text=text)]
