"""Actions outside the booking steps: starting over, small talk, refusals, safety.

After an aside the conversation carries on: the reply ends with what the current step was
waiting for (the offers, the summary...), and the state is left as it was.
"""

from clinic.dialog import mine
from clinic.dialog.acts import Forbidden
from clinic.dialog.booking import MAX_REASON, default_specialty, propose, take_wish
from clinic.dialog.events import Reply
from clinic.dialog.replies import Replies
from clinic.dialog.safety import SELF_HARM
from clinic.dialog.state import Step
from clinic.dialog.texts import t
from clinic.dialog.turn import Turn, restart


async def restart_action(turn: Turn) -> Replies:
    restart(turn.s)
    return [Reply(text=t(turn.s.lang, "conversation_cancelled"), remove_keyboard=True)]


async def greet(turn: Turn) -> Replies:
    s = turn.s
    prompt = turn.screens.prompt(s, turn.sender)
    if not prompt:
        return [turn.screens.greeting(s)]
    return [turn.say("hello_again"), *prompt]


async def thanks(turn: Turn) -> Replies:
    return [turn.say("thanks")]


async def help_action(turn: Turn) -> Replies:
    clinic = turn.services.clinic.name_for(turn.s.lang)
    return [turn.say("help", clinic=clinic)]


async def clinic_info(turn: Turn) -> Replies:
    s = turn.s
    if turn.act.reply:  # a model's own answer to the question
        return [Reply(text=turn.act.reply), *turn.screens.prompt(s, turn.sender)]
    if turn.act.about_address:
        answer = turn.say("clinic_address", address=turn.services.clinic.address_for(s.lang))
    else:  # prices, hours, insurance: the front desk knows
        answer = turn.say("clinic_other")
    return [answer, *(turn.screens.prompt(s, turn.sender) or [turn.say("ask_booking")])]


async def steer_back(turn: Turn) -> Replies:
    s = turn.s
    prompt = turn.screens.prompt(s, turn.sender)
    if turn.act.reply:
        return [Reply(text=turn.act.reply), *prompt]
    return [turn.say("off_topic"), *(prompt or [turn.say("ask_booking")])]


_REFUSALS = {
    Forbidden.past: "refuse_past",
    Forbidden.others_data: "refuse_others",
    Forbidden.staff_claim: "refuse_staff",
    Forbidden.instructions: "refuse_instructions",
}


async def refuse(turn: Turn) -> Replies:
    """A clear refusal with its reason, then the conversation carries on where it was."""
    s, act = turn.s, turn.act
    key = _REFUSALS.get(act.forbidden or Forbidden.instructions, "refuse_instructions")
    if act.forbidden is Forbidden.past and s.step in (Step.idle, Step.need_specialty):
        # The time is refused, not the doctor: "ну ладно, тогда на завтра" books with them.
        doctor = turn.services.directory.doctor(act.doctor_id)
        if doctor is not None:
            s.specialty, s.doctor_id = doctor.specialty.code, doctor.id
        elif turn.services.directory.specialty(act.specialty) is not None:
            s.specialty = act.specialty
        if s.specialty is not None:
            s.step = Step.need_when
            return [turn.say(key), turn.screens.ask_when(s)]
    replies = [turn.say(key)]
    if act.forbidden is Forbidden.others_data and act.maybe_mine:
        replies += await own_instead(turn)
    return [*replies, *(turn.screens.prompt(s, turn.sender) or [turn.say("ask_booking")])]


async def own_instead(turn: Turn) -> Replies:
    """ "когда у мамы приём?": a relative's booking made from this chat is the patient's own;
    those are shown (and only those), the rest stays private."""
    s = turn.s
    if turn.sender.id is None or s.step not in (Step.idle, Step.need_specialty):
        return []
    items = await mine.upcoming(turn)
    if not items:
        return []
    s.listed = items
    return [turn.screens.appointment_list(s, items, t(s.lang, "my_own_list"), None)]


async def no_medical_advice(turn: Turn) -> Replies:
    """No drugs and no doses; a consultation instead, with the doctor the complaint needs."""
    s, act = turn.s, turn.act
    replies = [turn.say("medical_advice")]
    specialty = act.specialty if turn.services.directory.specialty(act.specialty) else None
    changed = specialty is not None and specialty != s.specialty
    if changed:
        s.specialty, s.doctor_id, s.excluded_doctors = specialty, None, []
    if s.specialty is None:
        default_specialty(turn)
    s.reason = s.reason or (turn.text[:MAX_REASON] or None)
    if act.wish is not None:
        take_wish(turn, act.wish)  # "…к терапевту на пятницу": the consultation then
    elif s.step is Step.choosing and s.offers and not changed:
        return [*replies, *turn.screens.prompt(s, turn.sender)]
    return [*replies, *await propose(turn)]


async def emergency_again(turn: Turn) -> Replies:
    """After an emergency warning: the warning again, and still no slots."""
    s = turn.s
    s.offers, s.chosen, s.step = [], None, Step.idle
    if s.emergency == SELF_HARM:
        helpline = turn.services.clinic.crisis_helpline
        return [Reply(text=t(s.lang, "crisis", helpline=helpline), remove_keyboard=True)]
    return [Reply(text=t(s.lang, "emergency_again"), remove_keyboard=True)]
