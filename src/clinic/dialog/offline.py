"""The offline understander: a message plus its context -> a dialogue act, with no network.

Rules over word lemmas (`vocabulary`), the triage of `clinic.assistant` for the specialty,
its date parser for every day and time, pymorphy3 for names and phonenumbers for phones.
The order of the checks is the order of precedence: a refusal beats everything, a question
about the patient's own appointments beats a booking wish, an answer to what is on screen
(a time, "the second one", "later") beats starting over.
"""

import re
from datetime import datetime, time

from clinic.assistant.translit import russian_in_latin
from clinic.assistant.triage import WhenWindow, triage
from clinic.dialog import vocabulary as v
from clinic.dialog.acts import Act, AppointmentRef, Forbidden, Intent, SlotRef
from clinic.dialog.contacts import Contact, read_contact
from clinic.dialog.doctors import named_doctor
from clinic.dialog.phrases import Message
from clinic.dialog.reading import (
    Reading,
    clauses,
    english_therapist,
    usable_window,
    vocabulary_in,
    when,
    when_said,
    wish_of,
)
from clinic.dialog.refusals import forbidden, medical_advice
from clinic.dialog.short_answers import short_reply
from clinic.dialog.spoken_times import hour_alone, typed_clock_times
from clinic.dialog.state import BOOKING_STEPS, SHOWN, Offer, Step, Wish
from clinic.dialog.understanding import TurnContext

# Nobody books after 2,000 characters; the red-flag check has read the whole message.
MAX_READ = 2000

# Steps in which "да"/"нет" answer a question on screen.
_ANSWER_STEPS = frozenset(
    {
        Step.choosing,
        Step.need_contact,
        Step.confirming,
        Step.confirming_cancel,
        Step.confirming_move,
        Step.picking_appointment,
    }
)

# Steps in which a time is being chosen (or was just chosen and may still change).
_TIME_STEPS = frozenset({Step.need_when, Step.choosing, Step.need_contact, Step.confirming})

_TAG = re.compile(r"</?[A-Za-z][^<>]{0,100}>")

_APPOINTMENT_NUMBER = re.compile(
    r"(?:№|#|номер\w*(?:\s+запис\w*)?|no\.?|number)\s*(\d{1,9})", re.IGNORECASE
)

# "2", "вариант 3", "№1", "2nd", "3-й": a position and nothing else.
_NUMBER_ALONE = re.compile(
    r"^\W*(?:(?:давайте|давай|ну|тогда|пусть|можно|беру|lets|let's|ok|ок|okay|окей|the)\W+)*"
    r"(?:вариант|номер|option|number|no\.?|№|#)?\s*(\d{1,2})"
    r"(?:-?(?:й|я|е|ой|ая|ое|ий|st|nd|rd|th))?\W*$",
    re.IGNORECASE,
)

# "the 2nd one", "3rd option", "вариант 2": a position said with its noun, not a date.
_ORDINAL_ONE = re.compile(
    r"\b(\d)(?:st|nd|rd|th|-?(?:й|я|е|ой|ий))\s+(?:one|option|slot|time|вариант|время)\b"
    r"|\b(?:вариант|option|номер)\s*(\d)\b",
    re.IGNORECASE,
)

_HALF = re.compile(r"\b\w+\s+(?:половин\w*|half)\b", re.IGNORECASE)

_BARE_TIME = re.compile(r"(?<![\d:./-])(\d{1,2})(?:[:.](\d{2}))?(?![\d:./-])")


class OfflineUnderstander:
    """Rules, triage and the date parser: the floor every other understander falls back to."""

    async def understand(self, text: str, context: TurnContext) -> Act:
        return read(text, context)


def read(text: str, context: TurnContext) -> Act:
    """The act of one message; pure and deterministic."""
    # Markup is no part of what the patient says ("<b>", "<script>").
    text = _TAG.sub(" ", text.strip()[:MAX_READ]).strip()
    # "da, davaite", "ne mogu v pyatnicu": Russian typed in Latin letters is read in Cyrillic
    # (the name and the phone are read from what was typed).
    spoken = russian_in_latin(text) if context.lang == "ru" else text
    msg = Message(spoken)
    if not msg.tokens:
        return Act(intent=Intent.unknown)
    contact = read_contact(
        text,
        context.phone_region,
        expecting_name=context.step is Step.need_contact,
        vocabulary=vocabulary_in(msg),
    )
    # The phone's digits are no date or time, and the patient's own name ("Анна Зубова") is
    # no doctor and no complaint: the rest is read without them.
    plain = typed_clock_times(_without_contact(spoken, contact))
    window = wished_window(plain, context)
    if window is None and context.step in _TIME_STEPS and context.specialty is not None:
        # "11?", "а 13.30 можно?": with times being chosen, a number alone is an hour.
        hour = hour_alone(plain, len(context.offers))
        if hour is not None:
            window = WhenWindow(None, None, hour, hour)
    return act(Reading(spoken, plain, msg, window, contact, context))


# "book me in for 10 tomorrow": an hour after "for", which the date parser leaves unread.
_FOR_HOUR = re.compile(
    r"\bfor\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?![\d:./-])"
    r"(?!\s*(?:st|nd|rd|th|days?|weeks?|months?|years?|minutes?|mins?|hours?|hrs?|people"
    r"|of|percent|%))",
    re.IGNORECASE,
)


def wished_window(text: str, context: TurnContext) -> WhenWindow | None:
    """The window the message wishes. When its clauses contradict each other ("после 16?
    он в садике до 4" gives an empty window), the first clause that wishes one is it: the
    rest explains."""
    found = when_said(text, context)
    if found is None or (found.time_from is None and found.time_to is None):
        found = _with_hour_for(text, found)
    if found is None or usable_window(found) is not None:
        return found
    for clause in clauses(text):
        part = usable_window(when_said(clause, context))
        if part is not None:
            return part
    return None


def _with_hour_for(text: str, found: WhenWindow | None) -> WhenWindow | None:
    """ "for 10 tomorrow", "for 3pm on Friday": the hour said after "for" (clinic hours)."""
    hour = _FOR_HOUR.search(text)
    if hour is None:
        return found
    h, minute = int(hour.group(1)), int(hour.group(2) or 0)
    suffix = (hour.group(3) or "").replace(".", "").lower()
    if suffix == "pm" and h < 12:
        h += 12
    elif not suffix and h < 8:
        h += 12  # "for 3" in a clinic open 8 to 21 is the afternoon
    if not 7 <= h <= 21 or minute > 59:
        return found
    at = time(h, minute)
    if found is None:
        return WhenWindow(None, None, at, at)
    return WhenWindow(found.date_from, found.date_to, at, at)


def act(r: Reading) -> Act:
    """The checks in order of precedence; the first that recognises the message decides."""
    step = r.context.step
    refusal = forbidden(r)
    if refusal is Forbidden.past:
        # The time is refused; the doctor asked for still holds for the next message.
        return r.make(Intent.forbidden, forbidden=refusal, wish=None)
    if refusal is Forbidden.others_data:
        # A relative's booking may be one made from this chat: the patient's own are shown.
        own = not r.msg.has(v.DETAILS) and not r.msg.has(v.OTHERS, negatable=False)
        return Act(intent=Intent.forbidden, forbidden=refusal, maybe_mine=own)
    if refusal is not None:
        return Act(intent=Intent.forbidden, forbidden=refusal)
    if medical_advice(r):
        # Doses ("по 2 таблетки в 8 утра") are no wish; a day named for the visit is.
        dated = r.window is not None and (r.window.date_from or r.window.date_to)
        return r.make(Intent.medical_advice, wish=wish_of(r.window) if dated else None)
    mine = about_mine(r)
    if mine is not None:
        return mine
    if step is Step.picking_appointment:
        picked = picked_appointment(r)
        if picked is not None:
            return picked
    if step is Step.need_contact and r.msg.has(v.NO_PHONE):
        return r.make(Intent.deny)
    if step is Step.need_contact and (r.contact.name or r.contact.phone):
        return r.make(Intent.contact)
    reply = short_reply(r.text)
    if reply is not None and step in _ANSWER_STEPS:
        # "da", "угууу", "не-а", "nope": an answer to what is on screen, nothing else.
        return Act(intent=Intent.affirm if reply == "yes" else Intent.deny)
    if step is Step.choosing and r.context.offers:
        chosen = chosen_offer(r)
        if chosen is not None:
            return chosen
    if r.refused_at is not None and step not in BOOKING_STEPS:
        return refused_own_time(r, r.refused_at)
    refined = refinement(r)
    if refined is not None:
        return refined
    if step in _ANSWER_STEPS and r.window is None and r.doctor_id is None:
        # "yes, go ahead" answers the screen, whatever a stray word would route to.
        answer = yes_or_no(r)
        if answer is not None:
            return answer
    if r.missing is not None:
        return r.make(Intent.inform, asking=asking(r))  # "к аллергологу": we have none
    if r.changes_the_search():
        if (
            not r.specialty_changes()
            and r.doctor_id is None
            and r.msg.has(v.OFF_TOPIC)
            and not r.msg.has(v.BOOKING_WORDS)
        ):
            return Act(intent=Intent.off_topic)  # "какая погода сегодня?" is no date wish
        # "тогда на ближайшее сегодня", the doctor already known: the first free time it is.
        nearest = r.context.specialty is not None and r.msg.has(v.NEAREST) and not asking(r)
        return r.make(Intent.inform, asking=asking(r), position=0 if nearest else None)
    if r.msg.has(v.ANY_TIME):
        if step is Step.choosing and r.context.offers:
            return r.make(Intent.affirm)  # "без разницы": any of these will do
        return r.make(Intent.inform, wish=Wish())  # any time: the nearest free ones
    answer = short_answer(r)
    if answer is not None:
        return answer
    if r.contact.name or r.contact.phone or r.contact.phone_invalid:
        return r.make(Intent.contact)
    if r.specialty is not None:
        return r.make(Intent.inform)  # the same specialty said again
    if r.off_topic():
        return Act(intent=Intent.off_topic)
    return r.make(Intent.unknown)


def about_mine(r: Reading) -> Act | None:
    """Listing, cancelling or moving one of the patient's own appointments."""
    msg, step = r.msg, r.context.step
    object_named = msg.has(v.APPOINTMENT_WORDS) or msg.has(v.MY)
    if msg.has(v.RESCHEDULE_VERB) and (object_named or step not in BOOKING_STEPS):
        return reschedule(r)
    if msg.has(v.CANCEL_VERB):
        bare = not object_named and not r.specialty and r.doctor_id is None
        if not bare or step in (Step.idle, Step.picking_appointment, Step.confirming_cancel):
            return Act(intent=Intent.cancel_mine, appointment=appointment_ref(r, r.plain))
        if r.window is None:
            return Act(intent=Intent.stop)
    if msg.has(v.LIST_MINE) or still_on(r):
        return Act(intent=Intent.list_mine, appointment=appointment_ref(r, r.plain))
    if _APPOINTMENT_NUMBER.search(r.plain) and (msg.has(v.TIME_WORDS) or "?" in r.text):
        return Act(intent=Intent.list_mine, appointment=appointment_ref(r, r.plain))
    if r.context.listed and step is Step.idle and asks_about_listed(r):
        # "а к лору во сколько?" right after the list: a question about one of them.
        return Act(intent=Intent.list_mine, appointment=appointment_ref(r, r.plain))
    return None


def picked_appointment(r: Reading) -> Act | None:
    """The answer to "which of your appointments?": one described ("the Friday one"), and
    for a move perhaps its new time in the same breath ("пятничную — на вторник в 15")."""
    text, relative = relative_move(r.plain.lower())
    split = new_time(text, r.context)
    if split is not None:
        old, new = split
        ref = appointment_ref(r, old)
        if not ref.empty:
            wish = wish_of(new)
            if wish is not None and relative:
                wish = wish.model_copy(update={"date_from": None, "date_to": None})
            return Act(intent=Intent.pick_appointment, appointment=ref, wish=wish, **relative)
    ref = appointment_ref(r, r.plain)
    if ref.empty:
        return None
    return Act(intent=Intent.pick_appointment, appointment=ref)


def still_on(r: Reading) -> bool:
    """ "а к зубному остаётся?", "is my dentist one still on?", "а остальные в силе?": whether
    an appointment of theirs stands, which the list answers. Free times are another matter."""
    msg = r.msg
    if not msg.has(v.STILL_ON, negatable=False) or msg.has(v.FREE_WORDS) or msg.has(v.WANT):
        return False
    return (
        msg.has(v.APPOINTMENT_WORDS)
        or msg.has(v.MY)
        or r.specialty is not None
        or r.doctor_id is not None
        or (r.window is not None and r.window.date_from is not None)
        or _position(msg, SHOWN) is not None
    )


def asks_about_listed(r: Reading) -> bool:
    msg = r.msg
    if msg.has(v.BOOK_FOR) or not (msg.has(v.TIME_WORDS) or "?" in r.text):
        return False
    return r.specialty is not None or r.doctor_id is not None


def reschedule(r: Reading) -> Act:
    """Which appointment ("my Friday one", "к стоматологу") and, if said, the new time:
    the window after the last "на"/"to" is the new one, the rest describes the old one. A
    new time relative to the appointment ("на вечер того же дня", "a week later", "на час
    позже") is taken out first and carried as such."""
    text, relative = relative_move(r.plain.lower())
    same_time = r.msg.has(v.SAME_TIME)
    split = new_time(text, r.context)
    if split is not None:
        old, new = split
        wish = wish_of(new)
        if wish is not None and relative:
            wish = wish.model_copy(update={"date_from": None, "date_to": None})
        return Act(
            intent=Intent.reschedule_mine,
            appointment=appointment_ref(r, old),
            wish=wish,
            same_time=same_time,
            **relative,
        )
    wish = None
    if relative:
        # "на день раньше, утром": a part of the day for the relative day (an exact time
        # here rather tells which appointment it is).
        found = usable_window(when(text, r.context.now, r.context.tz))
        if found is not None and found.time_from != found.time_to:
            wish = Wish(time_from=found.time_from, time_to=found.time_to)
    return Act(
        intent=Intent.reschedule_mine,
        appointment=appointment_ref(r, text),
        wish=wish,
        same_time=same_time,
        **relative,
    )


def new_time(text: str, context: TurnContext) -> tuple[str, WhenWindow] | None:
    """ "пятничную на вторник в 15", "the Monday one to Friday at 10": the window after the
    last "на"/"to"/"for" is the new time, the text before it describes the old one."""
    tokens = Message(text).tokens
    for position in range(len(tokens) - 1, 0, -1):
        if tokens[position].text not in ("на", "to", "for"):
            continue
        start = tokens[position].start
        new = when(text[start:], context.now, context.tz)
        if new is not None:
            return text[:start], new
    return None


_SHIFT = re.compile(
    r"\bна\s+(?P<ru>полчаса|час|пару\s+часов|\d+\s+час\w*|два\s+часа|три\s+часа)\s+"
    r"(?P<ru_side>позже|попозже|раньше|пораньше)\b"
    r"|\b(?P<en>half\s+an\s+hour|an\s+hour|one\s+hour|a\s+couple\s+of\s+hours|\d+\s+hours?"
    r"|two\s+hours|three\s+hours)\s+(?P<en_side>later|earlier)\b"
)
_SHIFT_MINUTES = {
    "полчаса": 30, "час": 60, "пару часов": 120, "два часа": 120, "три часа": 180,
    "half an hour": 30, "an hour": 60, "one hour": 60, "a couple of hours": 120,
    "two hours": 120, "three hours": 180,
}  # fmt: skip
# The longer phrases first: "тот же день через неделю" is a week on, not that day.
_RELATIVE_DAYS = ((v.WEEK_LATER, 7), (v.NEXT_DAY, 1), (v.DAY_BEFORE, -1), (v.SAME_DAY, 0))


def relative_move(text: str) -> tuple[str, dict[str, object]]:
    """A move's new time said relative to the appointment, taken out of the text: the day
    ("того же дня" 0, "на следующий день" 1, "накануне" -1, "на неделю позже" 7), the side
    ("later that day"), or an exact shift ("на час позже"). The text comes back without
    those words, so they describe neither the old appointment nor a new date."""
    found: dict[str, object] = {}
    shift = _SHIFT.search(text)
    if shift is not None:
        amount = " ".join((shift["ru"] or shift["en"]).split())
        minutes = _SHIFT_MINUTES.get(amount) or 60 * int(re.sub(r"\D", "", amount) or 1)
        side = shift["ru_side"] or shift["en_side"]
        found["move_minutes"] = -minutes if side in ("раньше", "пораньше", "earlier") else minutes
        text = text[: shift.start()] + " " * (shift.end() - shift.start()) + text[shift.end() :]
    msg = Message(text)
    for phrases, days in _RELATIVE_DAYS:
        for phrase in phrases:
            positions = msg.find(phrase, gap=0, negatable=False)
            if positions is None:
                continue
            found.setdefault("move_days", days)
            first, last = msg.tokens[positions[0]].start, msg.tokens[positions[-1]].end
            text = text[:first] + " " * (last - first) + text[last:]
    rest = Message(text)  # "на неделю позже" is no "позже" of the same day
    if "move_minutes" not in found:
        if rest.has(v.LATER):
            found["move_side"] = "later"
        elif rest.has(v.EARLIER) and not rest.has(v.ASAP):
            found["move_side"] = "earlier"
    return text, found


def refused_own_time(r: Reading, moment: datetime) -> Act:
    """ "мне к неврологу во вторник на 9 неудобно, можно попозже в тот же день?": the patient
    names a time of their own that does not suit; a move, later or earlier that day."""
    local = moment.astimezone(r.context.tz)
    wish = wish_of(r.window)
    if wish is None and r.msg.has(v.LATER):
        wish = Wish(date_from=local.date(), date_to=local.date(), time_from=local.time())
    elif wish is None and r.msg.has(v.EARLIER):
        wish = Wish(date_from=local.date(), date_to=local.date(), time_to=local.time())
    ref = AppointmentRef(
        specialty=r.specialty, doctor_id=r.doctor_id, date_from=local.date(),
        date_to=local.date(), at=local.time(),
    )  # fmt: skip
    return r.make(Intent.reschedule_mine, appointment=ref, wish=wish, maybe_mine=True)


def appointment_ref(r: Reading, text: str) -> AppointmentRef:
    number = _APPOINTMENT_NUMBER.search(text)
    words = Message(text)
    # "что у меня на ближайшее время?": all the upcoming ones, not the first, not today's.
    soon = words.has(v.COMING_TIME)
    # Without a list on screen, "первую" counts in the patient's appointments by date;
    # "на вторую половину дня" counts nothing.
    halves = Message(_HALF.sub(" ", text))
    position = None if soon else _position(halves, len(r.context.listed) or SHOWN)
    window = when(text, r.context.now, r.context.tz) if text and not soon else None
    triaged = triage(text, r.context.now, r.context.tz) if text else None
    known = {s.code for s in r.context.specialties}
    named = [triaged.specialty, *triaged.alternatives] if triaged else []
    candidates = [code for code in named if code in known]
    if (therapist := english_therapist(text, r.context)) is not None:
        candidates = [therapist, *(c for c in candidates if c != therapist)]
    exact = (
        window is not None and window.time_from is not None and window.time_from == window.time_to
    )
    return AppointmentRef(
        appointment_id=int(number.group(1)) if number else None,
        position=position,
        specialty=candidates[0] if candidates else None,
        alternatives=tuple(candidates[1:]),
        doctor_id=named_doctor(text, r.context.doctors),
        date_from=window.date_from if window else None,
        date_to=window.date_to if window else None,
        at=window.time_from if window is not None and exact else None,
    )


def chosen_offer(r: Reading) -> Act | None:
    """One of the offered times, named by its time ("давайте в 10:30"), its position
    ("второй") or its doctor when only one offer is theirs."""
    offers = r.context.offers
    window = r.window
    # "2nd" alone is the second offer, not the 2nd of the month; "давайте ближайшее"
    # is the first one, not a new wish for "as soon as possible".
    if len(r.msg) <= 2 and (position := _position(r.msg, len(offers))) is not None:
        return r.make(Intent.choose, position=position, wish=None)
    if (ordinal := _ORDINAL_ONE.search(r.plain)) is not None:
        index = int(ordinal.group(1) or ordinal.group(2)) - 1
        if 0 <= index < len(offers):
            return r.make(Intent.choose, position=index, wish=None)
    if r.msg.has(v.NEAREST) and not r.specialty_changes():
        return r.make(Intent.choose, position=0, wish=None)
    if window is not None and window.time_from is not None and window.time_from == window.time_to:
        matching = [o for o in offers if fits(r, o, window)]
        if matching and not asking(r):
            return r.make(Intent.choose, slot=_ref(matching[0]), wish=None)
        return None  # a time not on offer, or asked about: a new wish
    position = _position(r.msg, len(offers))
    if position is not None and window is None:
        return r.make(Intent.choose, position=position, wish=None)
    if window is None and (hour := bare_hour(r, offers)) is not None:
        return r.make(Intent.choose, slot=_ref(hour), wish=None)
    if r.doctor_id is not None and r.msg.has(v.AFFIRM):
        theirs = [o for o in offers if o.doctor_id == r.doctor_id]
        if len(theirs) == 1:
            return r.make(Intent.choose, slot=_ref(theirs[0]), wish=None)
    return None


def asking(r: Reading) -> bool:
    """A question ("а в 9:30 можно?", "do you have anything at 4?") rather than an agreement
    ("давайте в 9:30", "в 12:00, если можно")."""
    question = "?" in r.text or r.msg.has(v.QUESTION, gap=1)
    return question and not r.msg.has(v.AGREEMENT)


def bare_hour(r: Reading, offers: tuple[Offer, ...]) -> Offer | None:
    """ "ну пусть будет 10": a bare hour that is the time of exactly one day's offer."""
    found = [
        (int(m.group(1)), int(m.group(2) or 0))
        for m in _BARE_TIME.finditer(r.plain)
        if 7 <= int(m.group(1)) <= 21
    ]
    if len(found) != 1:
        return None
    hour, minute = found[0]
    fitting = [
        o
        for o in offers
        if (
            o.start.astimezone(r.context.tz).hour,
            o.start.astimezone(r.context.tz).minute,
        )
        == (hour, minute)
    ]
    return fitting[0] if fitting else None


def fits(r: Reading, offer: Offer, window: WhenWindow) -> bool:
    local = offer.start.astimezone(r.context.tz)
    if local.time() != window.time_from:
        return False
    if window.date_from is not None and local.date() < window.date_from:
        return False
    return window.date_to is None or local.date() <= window.date_to


def refinement(r: Reading) -> Act | None:
    """Corrections of the search: another doctor, not that day, another day, later..."""
    msg = r.msg
    if msg.has(v.OTHER_DOCTOR) and not r.specialty_changes():
        return r.make(Intent.other_doctor)  # "к другому врачу — к эндокринологу" is a new search
    if r.excluded or r.that_day:
        return r.make(Intent.not_that_day, days=r.excluded)
    if r.window is not None and (r.window.date_from or r.window.date_to):
        return None  # a named day is a wish, whatever else is said
    if msg.has(v.OTHER_DAY):
        return r.make(Intent.other_day)
    if r.specialty_changes() or r.doctor_id is not None or msg.has(v.ASAP):
        return None
    if r.window is not None:
        # "попозже, ближе к вечеру", "earlier, in the morning": later (or earlier) than what
        # is on screen, in that part of the day; an exact time is a wish of its own.
        if r.window.time_from == r.window.time_to:
            return None
        if msg.has(v.LATER):
            return r.make(Intent.later)
        if msg.has(v.EARLIER):
            return r.make(Intent.earlier)
        return None
    if msg.has(v.LATER):
        return r.make(Intent.later)
    if msg.has(v.EARLIER):
        return r.make(Intent.earlier)
    if r.context.step in (Step.confirming, Step.need_contact) and msg.has(v.BACK):
        return r.make(Intent.back)
    return None


def yes_or_no(r: Reading) -> Act | None:
    """A plain yes or no to what is on screen: nothing else of substance in it."""
    if r.unexplained() or r.msg.has(v.STOP):
        return None
    if r.msg.has(v.DENY, negatable=False):
        return r.make(Intent.deny)
    if r.msg.has(v.AFFIRM):
        return r.make(Intent.affirm)
    return None


def short_answer(r: Reading) -> Act | None:
    """Yes, no, stop, hello, thanks, help, questions about the clinic."""
    msg, step = r.msg, r.context.step
    if msg.has(v.STOP) and not msg.has(v.AFFIRM):
        return Act(intent=Intent.stop)
    answers_a_question = step in _ANSWER_STEPS
    if answers_a_question and msg.has(v.DENY, negatable=False):
        return r.make(Intent.deny)
    if answers_a_question and msg.has(v.AFFIRM) and not r.unexplained():
        return r.make(Intent.affirm)
    if msg.has(v.CLINIC_INFO):
        return Act(intent=Intent.clinic_info, about_address=msg.has(v.ADDRESS))
    if msg.has(v.HELP):
        return Act(intent=Intent.help)
    if len(msg) <= 6 and msg.has(v.THANKS):
        return Act(intent=Intent.thanks)
    if len(msg) <= 6 and msg.has(v.GREET):
        return Act(intent=Intent.greet)
    return None


def _ref(offer: Offer) -> SlotRef:
    return SlotRef(doctor_id=offer.doctor_id, start=offer.start)


def _without_contact(text: str, contact: Contact) -> str:
    if contact.phone_text:
        # Only the phone itself: "at 10. 89165000121" keeps its "at 10".
        text = text.replace(contact.phone_text, " ")
    elif contact.phone or contact.phone_invalid:
        text = re.sub(r"\+?\d[\d\s().-]{5,}\d", " ", text)
    for word in (contact.name or "").split():
        text = re.sub(
            rf"(?i)(?<!\w){re.escape(word[:-2] if len(word) > 4 else word)}\w*", " ", text
        )
    return text


def _position(msg: Message, count: int) -> int | None:
    """ "второй", "the second one", "2", "вариант 3", "последний" -> a 0-based index."""
    if not count:
        return None
    number = _NUMBER_ALONE.match(msg.text)
    if number is not None:
        index = int(number.group(1)) - 1
        return index if 0 <= index < count else None
    for index, family in enumerate(v.POSITIONS[:count]):
        if msg.has(family):
            return index
    if msg.has(v.LAST):
        return count - 1
    return None
