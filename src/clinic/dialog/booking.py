"""Booking actions: take in the wish, propose times, take corrections, contact, book.

Actions are the only place with side effects: every read and every booking goes through the
API client. Each takes the turn (state, act, sender) and returns the replies.
"""

import hashlib
import logging
import secrets
from datetime import date, datetime, timedelta

from clinic.client import ApiUnavailable, ClinicApiError, RequestRejected, Slot, SlotTakenError
from clinic.dialog import buttons
from clinic.dialog.acts import Act
from clinic.dialog.events import Button, Reply, Sender
from clinic.dialog.replies import Replies
from clinic.dialog.search import PROPOSALS, Found, Target
from clinic.dialog.specialists import BY_KEY
from clinic.dialog.state import Booked, Conversation, Offer, Step, Wish
from clinic.dialog.texts import t
from clinic.dialog.turn import Turn, restart

log = logging.getLogger(__name__)

DEFAULT_SPECIALTY = "therapist"
# Steps with times on screen (or one already picked): a named time there is a choice.
ANSWERING = frozenset({Step.choosing, Step.need_contact, Step.confirming})
MAX_REASON = 300


# --- the wish: specialty, doctor, window ---------------------------------------------------


async def search(turn: Turn) -> Replies:
    s, act = turn.s, turn.act
    if act.reply and not _changes_the_search(act, s) and s.specialty is not None:
        # A model answered something else (a question about the clinic): say it and keep
        # the conversation, and what is on screen, as it is.
        return [Reply(text=act.reply), *turn.screens.prompt(s, turn.sender)]
    # A time named while times are on screen (or an appointment is being moved) is a choice:
    # when it is free, it is taken, not merely shown again.
    answering = (s.step in ANSWERING and bool(s.offers)) or s.target is not None
    replies = _take_specialty(turn) if s.target is None else []
    missing = BY_KEY.get(act.missing or "")
    if missing is not None and s.target is None:
        # "к аллергологу": said so, then the closest doctor (or the GP, in so many words).
        name = missing.name_en if s.lang == "en" else missing.name_ru
        replies.insert(0, turn.say("not_offered", name=name))
        if act.specialty is None:
            s.specialty, s.doctor_id, s.excluded_doctors = None, None, []
    if act.wish is not None:
        take_wish(turn, act.wish)
    _note_exact_request(act, s)
    if s.specialty is None and missing is not None:
        s.reason = turn.text[:MAX_REASON] or s.reason
        replies += default_specialty(turn, "instead_gp")
    elif s.specialty is None:
        # A complaint in words no rule places goes to the therapist; with nothing said about
        # it, one question comes first.
        if not s.clarified and not act.described:
            s.clarified = True
            s.step = Step.need_specialty
            key = "ask_when_first" if act.wish is not None else "ask_specialty"
            text = act.reply or t(s.lang, key)
            return [*replies, turn.screens.ask_specialty(s, text)]
        s.reason = turn.text[:MAX_REASON] or s.reason
        replies += default_specialty(turn)
    if act.proposals:
        verified = await _verify(turn)
        if verified:
            found = act.reply or t(s.lang, "in_window", specialty=turn.screens.specialty_label(s))
            return [*replies, _offer(turn, verified, found)]
    header: str | None = None
    if s.wish is None:
        # The doctor is known and no day was said: the nearest free times at once, with an
        # invitation to name a day instead (a question alone would cost the patient a turn).
        s.wish, header = Wish(), "nearest_any"
    exact = _books_the_wished_time(act, s, answering)
    return [
        *replies,
        *await propose(turn, header=header, take_exact=exact, take_first=act.position == 0),
    ]


def _note_exact_request(act: Act, s: Conversation) -> None:
    """ "запишите на завтра на 10", "ok then Monday the 7th at 2pm": a request for one exact
    moment, to be taken at once when it is free, as if its button were pressed; a question
    about it ("а в 10 есть?") only shows it. Remembered, so a time said before the doctor
    was known is taken once the doctor is."""
    if act.wish is not None:
        # "на 10", then "в понедельник": one request said in two messages.
        s.exact_request = s.wish is not None and s.wish.exact_time and not act.asking
    elif act.asking:
        s.exact_request = False


def _books_the_wished_time(act: Act, s: Conversation, answering: bool) -> bool:
    wish = s.wish
    if not s.exact_request or wish is None or not wish.exact_time:
        return False
    return answering or (wish.date_from is not None and wish.date_from == wish.date_to)


def _changes_the_search(act: Act, s: Conversation) -> bool:
    return bool(act.wish or act.proposals or (act.specialty and act.specialty != s.specialty)) or (
        act.doctor_id is not None and act.doctor_id != s.doctor_id
    )


def _take_specialty(turn: Turn) -> Replies:
    s, act, directory = turn.s, turn.act, turn.services.directory
    doctor = directory.doctor(act.doctor_id)
    if doctor is not None and doctor.id != s.doctor_id:
        # A doctor asked for by name wins over whatever the complaint points to.
        s.specialty, s.doctor_id, s.excluded_doctors = doctor.specialty.code, doctor.id, []
        s.reason = turn.text[:MAX_REASON] or s.reason
        name = directory.specialty_name(doctor.specialty.code, s.lang)
        return [turn.say("doctor_named", name=doctor.full_name, specialty=name)]
    if act.specialty is None or act.specialty == s.specialty or doctor is not None:
        return []
    if directory.specialty(act.specialty) is None:
        return []
    s.specialty, s.doctor_id, s.excluded_doctors = act.specialty, None, []
    s.reason = turn.text[:MAX_REASON] or s.reason
    line = t(s.lang, "specialty_named", name=directory.specialty_name(act.specialty, s.lang))
    if act.clue and not act.proposals and not _names_it(act.clue, act.specialty, turn):
        line = line[:-1] + t(s.lang, "because", words=act.clue) + "."
    return [Reply(text=line)]


def _names_it(clue: str, code: str, turn: Turn) -> bool:
    """ "стоматологу" names the dentist: quoting it back ("you wrote: dentist") is silly."""
    found = turn.services.directory.specialty(code)
    names = f"{code} {found.name_ru} {found.name_en}".lower() if found else code
    return clue.lower()[:5] in names


def take_wish(turn: Turn, wish: Wish) -> None:
    """A correction keeps what still holds: new dates replace the dates, new times the
    times. A time alone while times are on offer means that time on the offered day."""
    s = turn.s
    if not wish.has_dates and wish.has_times and s.offers:
        day = s.offers[0].start.astimezone(turn.services.clinic.tz).date()
        if wish.exact_time:  # "а в 9:30?": that time on the day on screen
            assert wish.time_from is not None
            if (
                datetime.combine(day, wish.time_from, turn.services.clinic.tz)
                < turn.services.clock()
            ):
                day += timedelta(days=1)  # "на 10" at noon: tomorrow's, not a past one
            wish = wish.model_copy(update={"date_from": day, "date_to": day})
        else:  # "после 16": from the day on screen, to the end of the window given
            last = s.wish.date_to if s.wish and s.wish.date_to and s.wish.date_to >= day else None
            wish = wish.model_copy(update={"date_from": day, "date_to": last})
    s.wish = (s.wish or Wish()).merged(wish)
    if wish.has_dates:
        # Naming a day again is a change of mind about it.
        s.excluded_days = [d for d in s.excluded_days if not _within(d, wish)]


def _within(day: date, wish: Wish) -> bool:
    return (wish.date_from is None or day >= wish.date_from) and (
        wish.date_to is None or day <= wish.date_to
    )


def default_specialty(turn: Turn, why: str = "default_specialty") -> Replies:
    s, directory = turn.s, turn.services.directory
    known = [sp.code for sp in directory.specialties]
    s.specialty = DEFAULT_SPECIALTY if DEFAULT_SPECIALTY in known or not known else known[0]
    return [turn.say(why)]


async def _verify(turn: Turn) -> list[Slot]:
    """Keep only proposals the API confirms free right now: a model may invent times."""
    verified: list[Slot] = []
    for proposal in turn.act.proposals[:PROPOSALS]:
        found = await turn.services.api.free_slots(
            doctor_id=proposal.doctor_id, start=proposal.start, end=proposal.start, limit=1
        )
        verified.extend(slot for slot in found if slot.start == proposal.start)
    return verified


# --- proposals -----------------------------------------------------------------------------


def _target(s: Conversation) -> Target:
    return Target(
        s.specialty, s.doctor_id, frozenset(s.excluded_doctors), frozenset(s.excluded_days)
    )


async def propose(
    turn: Turn, *, header: str | None = None, take_exact: bool = False, take_first: bool = False
) -> Replies:
    """Free times for the wish as it stands; `header` (a text key) replaces the "in your
    window" wording when the times are inside the window. With `take_exact`, a wished exact
    time that is free is chosen at once; with `take_first`, the first time in the window."""
    s = turn.s
    finder = turn.services.search()
    wish = s.wish or Wish()
    notes: Replies = []
    found = await finder.for_wish(_target(s), wish)
    if not found.slots and s.excluded_doctors:
        notes.append(turn.say("no_other_doctor"))
        s.excluded_doctors = []
        found = await finder.for_wish(_target(s), wish)
    if take_exact and found.header == "wished_free":
        return [*notes, *await _take(turn, _preferred(s, found.slots))]
    if take_first and found.header in ("in_window", "wished_free"):
        return [*notes, *await _take(turn, Offer.model_validate(found.slots[0].model_dump()))]
    if header is not None and found.header == "in_window" and not notes:
        found = Found(found.slots, header)
    return [*notes, *show(turn, found)]


async def _take(turn: Turn, offer: Offer) -> Replies:
    """The time asked for is free: shown (so it can still be pressed or changed) and taken,
    with the booking's next question in the same answer."""
    s = turn.s
    s.offers = [offer]
    key = "wished_free" if s.target is not None else "wished_taking"  # a move asks first
    refused = await _hold(turn, offer)
    if refused is not None:
        return refused
    shown = turn.screens.offers(s, t(s.lang, key), hint=False)
    return [shown, *await _choose_offer(turn, offer, announce=False, held=True)]


def _preferred(s: Conversation, slots: list[Slot]) -> Offer:
    """Of several doctors free at the wished time: the one asked for, or the one on screen."""
    liked = {s.doctor_id, *(o.doctor_id for o in s.offers)} - {None}
    slot = next((slot for slot in slots if slot.doctor_id in liked), slots[0])
    return Offer.model_validate(slot.model_dump())


# The waitlist is offered beside the next times once the patient has turned down this many
# lists: asking twice for other times, or one "none of these suit me" (all of them at once).
TURNED_DOWN_ENOUGH = 2


def show(turn: Turn, found: Found) -> Replies:
    """The times found, or that there are none; the waitlist's button when nothing is found
    or the patient has turned down enough of what was proposed."""
    s = turn.s
    label = turn.screens.specialty_label(s)
    wait = _waitlist_button(turn)
    if not found.slots:
        s.step, s.offers = Step.need_when, []
        nothing = turn.say("no_slots", specialty=label)
        if wait is not None:
            nothing = nothing.model_copy(update={"buttons": [[wait]]})
        return [nothing]
    shown = _offer(turn, found.slots, t(s.lang, found.header, specialty=label))
    if wait is not None and s.turned_down >= TURNED_DOWN_ENOUGH:
        shown = shown.model_copy(update={"buttons": [*shown.buttons, [wait]]})
    return [shown]


def _waitlist_button(turn: Turn) -> Button | None:
    """The button that puts the patient in line for this booking's wish, when it can."""
    s = turn.s
    if s.target is None and (s.specialty or s.doctor_id) and turn.sender.id is not None:
        return Button(label=t(s.lang, "btn_waitlist"), data=buttons.WAITLIST)
    return None


def _turn_down(turn: Turn, lists: int = 1) -> None:
    """The patient asked for other times than those on screen: count the lists turned down."""
    if turn.s.step is Step.choosing and turn.s.offers:
        turn.s.turned_down += lists


def _offer(turn: Turn, slots: list[Slot], header: str) -> Reply:
    s = turn.s
    s.offers = [Offer.model_validate(slot.model_dump()) for slot in slots]
    s.step, s.chosen = Step.choosing, None
    return turn.screens.offers(s, header)


def _offer_days(turn: Turn) -> list[date]:
    tz = turn.services.clinic.tz
    return sorted({o.start.astimezone(tz).date() for o in turn.s.offers})


async def later(turn: Turn) -> Replies:
    _turn_down(turn)
    s = turn.s
    if not s.offers:
        return await _search_or_ask(turn)
    part = _part_of_day(turn)
    found = await turn.services.search().later(
        _target(s), s.wish or Wish(), max(o.start for o in s.offers), part=part
    )
    return show(turn, found)


async def earlier(turn: Turn) -> Replies:
    _turn_down(turn)
    s = turn.s
    if not s.offers:
        return await _search_or_ask(turn)
    part = _part_of_day(turn)
    found = await turn.services.search().earlier(
        _target(s), s.wish or Wish(), min(o.start for o in s.offers), part=part
    )
    if not found.slots:
        return [turn.say("no_earlier"), *turn.screens.prompt(s, turn.sender)]
    return show(turn, found)


def _part_of_day(turn: Turn) -> Wish | None:
    """ "попозже, ближе к вечеру": the part of the day said with "later" or "earlier"
    becomes the wished hours (the days stay) and binds the search, the same day first."""
    wish = turn.act.wish
    if wish is None or not wish.has_times:
        return None
    take_wish(turn, wish)
    return Wish(time_from=wish.time_from, time_to=wish.time_to)


async def other_day(turn: Turn) -> Replies:
    """Another day: the offered days are out, the window the patient gave still holds."""
    _turn_down(turn)
    return await _exclude_days(turn, _offer_days(turn))


async def not_that_day(turn: Turn) -> Replies:
    _turn_down(turn)
    days = turn.act.days or _offer_days(turn)[:1]
    return await _exclude_days(turn, days)


async def _exclude_days(turn: Turn, days: list[date]) -> Replies:
    s = turn.s
    if s.specialty is None and turn.act.wish is None and not days:
        return await not_understood(turn)
    s.excluded_days = sorted({*s.excluded_days, *days})
    if turn.act.wish is not None:
        take_wish(turn, turn.act.wish)
    wish = s.wish or Wish()
    first, last = wish.date_from, wish.date_to
    if first is not None and last is not None and not _days_left(s, first, last):
        # Every day of the window is out: asking for another day widens it.
        s.wish = wish.model_copy(update={"date_from": last, "date_to": None})
    if s.specialty is None:
        return await search(turn)
    return await propose(turn, header="other_day_offers")


def _days_left(s: Conversation, first: date, last: date) -> bool:
    span = (last - first).days + 1
    return any(date.fromordinal(first.toordinal() + i) not in s.excluded_days for i in range(span))


async def other_doctor(turn: Turn) -> Replies:
    """Another doctor: colleagues of the same specialty, not the doctor asked for."""
    s = turn.s
    if turn.act.wish is not None:
        take_wish(turn, turn.act.wish)
    if s.specialty is None:
        return await search(turn)
    s.excluded_doctors = sorted({*s.excluded_doctors, *(o.doctor_id for o in s.offers)})
    if s.doctor_id is not None:
        s.excluded_doctors = sorted({*s.excluded_doctors, s.doctor_id})
    s.doctor_id = None
    return await propose(turn, header="other_doctor_offers")


async def more(turn: Turn) -> Replies:
    """ "No" to the times on offer: the next ones, later, and the waitlist beside them."""
    _turn_down(turn, TURNED_DOWN_ENOUGH - 1)  # and once more in `later`: all of them
    return await later(turn)


async def back_to_offers(turn: Turn) -> Replies:
    s = turn.s
    s.chosen = None
    if s.offers:
        s.step = Step.choosing
        label = turn.screens.specialty_label(s)
        return [turn.screens.offers(s, t(s.lang, "offers_again", specialty=label))]
    return await _search_or_ask(turn)


async def _search_or_ask(turn: Turn) -> Replies:
    if turn.s.specialty is None:
        return await not_understood(turn)
    return await search(turn)


# --- choosing, contact details, booking ------------------------------------------------------


async def choose(turn: Turn) -> Replies:
    s, act = turn.s, turn.act
    offer: Offer | None = None
    if act.slot is not None:
        offer = next(
            (o for o in s.offers if (o.doctor_id, o.start) == (act.slot.doctor_id, act.slot.start)),
            None,
        )
    elif act.position is not None and 0 <= act.position < len(s.offers):
        offer = s.offers[act.position]
    if offer is None or s.step not in (Step.choosing, Step.need_contact, Step.confirming):
        return [turn.say("stale"), *turn.screens.prompt(s, turn.sender)]
    return await _choose_offer(turn, offer)


async def _choose_offer(
    turn: Turn, offer: Offer, *, announce: bool = True, held: bool = False
) -> Replies:
    s = turn.s
    if s.target is not None:
        s.chosen = offer
        s.step = Step.confirming_move
        return [turn.screens.move_question(s, s.target, offer)]
    if not held:
        refused = await _hold(turn, offer)
        if refused is not None:
            return refused
    s.chosen = offer
    s.conversation_id = s.conversation_id or secrets.token_hex(8)
    replies = continue_contact(turn)
    if s.step is Step.need_contact and announce:
        chosen = t(s.lang, "chosen", slot=turn.screens.slot_text(offer, s.lang))
        first = replies[0]
        replies[0] = first.model_copy(update={"text": f"{chosen}\n\n{first.text}"})
    return replies


async def _hold(turn: Turn, offer: Offer) -> Replies | None:
    """Hold the picked slot while the patient gives their name and confirms, so nobody takes
    it meanwhile; None when held. Taken since it was shown: say so, with the nearest ones."""
    s = turn.s
    s.hold_id = None
    if s.target is not None or turn.sender.id is None:
        return None  # a move is one step; and only a known patient can hold
    try:
        held = await turn.services.api.hold(
            doctor_id=offer.doctor_id, start=offer.start, patient_telegram_id=turn.sender.id
        )
    except SlotTakenError as taken:
        return _taken(turn, taken)
    except RequestRejected as rejected:
        return await _rejected(turn, rejected)
    s.hold_id = held.id
    return None


async def choose_first(turn: Turn) -> Replies:
    turn.act = turn.act.model_copy(update={"position": 0, "slot": None})
    return await choose(turn)


def continue_contact(turn: Turn) -> Replies:
    """Ask for the name or the phone while one is missing, then show the summary."""
    s = turn.s
    if not s.patient_name or (s.patient_phone is None and not s.phone_declined):
        s.step = Step.need_contact
        return turn.screens.ask_contact(s, turn.sender)
    s.step = Step.confirming
    return [turn.screens.summary(s)]


async def take_contact(turn: Turn) -> Replies:
    s, act = turn.s, turn.act
    if s.chosen is None:
        return await remember_contact(turn)
    if act.phone_invalid and not act.phone:
        return [turn.say("phone_invalid"), *continue_contact(turn)]
    if act.phone and s.step is Step.need_contact:
        # Telegram's "share my phone" keyboard may be showing: a phone given takes it away.
        saved = Reply(text=t(s.lang, "phone_saved"), remove_keyboard=True)
        return [saved, *continue_contact(turn)]
    return continue_contact(turn)


async def remember_contact(turn: Turn) -> Replies:
    """Contact details given before they were asked for: keep them for the booking."""
    s, act = turn.s, turn.act
    if act.phone_invalid and not act.phone:
        return [turn.say("phone_invalid"), *turn.screens.prompt(s, turn.sender)]
    given = [part for part in (act.name, act.phone) if part]
    if not given:
        return await not_understood(turn)
    saved = turn.say("contact_saved", what=", ".join(given))
    if s.step in (Step.need_contact, Step.confirming) and s.chosen is not None:
        return continue_contact(turn)
    return [saved, *turn.screens.prompt(s, turn.sender)]


async def use_sender_name(turn: Turn) -> Replies:
    s = turn.s
    if not s.patient_name and turn.sender.name:
        s.patient_name = turn.sender.name
    return continue_contact(turn)


async def skip_phone(turn: Turn) -> Replies:
    turn.s.phone_declined = True
    return continue_contact(turn)


async def book(turn: Turn) -> Replies:
    s, sender = turn.s, turn.sender
    if s.step is not Step.confirming or s.chosen is None or not s.patient_name:
        # A second tap on "book" after the booking went through.
        if s.last_booking is not None and s.step is Step.idle:
            return [turn.say("already_booked", id=s.last_booking.appointment_id)]
        if s.step is Step.idle:
            return [turn.say("nothing_to_confirm")]
        return [turn.say("stale"), *turn.screens.prompt(s, sender)]
    offer = s.chosen
    try:
        appointment = await turn.services.api.book(
            doctor_id=offer.doctor_id,
            start=offer.start,
            patient_name=s.patient_name,
            patient_phone=s.patient_phone,
            patient_telegram_id=sender.id,
            reason=s.reason,
            patient_language=s.lang,
            idempotency_key=booking_key(s, sender),
            hold_id=s.hold_id,
        )
    except SlotTakenError as taken:
        return _taken(turn, taken)
    except RequestRejected as rejected:
        return await _rejected(turn, rejected)
    log.info("dialog booked appointment=%s", appointment.id)
    text = t(
        s.lang,
        "booked",
        id=appointment.id,
        slot=turn.screens.slot_text(offer, s.lang),
        name=s.patient_name,
        address=turn.services.clinic.address_for(s.lang),
    )
    restart(s)
    s.last_booking = Booked(appointment_id=appointment.id, offer=offer)
    return [Reply(text=text, remove_keyboard=True)]


def _taken(turn: Turn, taken: SlotTakenError) -> Replies:
    s = turn.s
    if not taken.alternatives:
        s.step, s.chosen, s.offers = Step.need_when, None, []
        return [Reply(text=t(s.lang, "taken_no_alternatives"), remove_keyboard=True)]
    notice = Reply(text=t(s.lang, "taken"), remove_keyboard=True)
    offers = taken.alternatives[:PROPOSALS]
    label = turn.screens.specialty_label(s)
    return [notice, _offer(turn, offers, t(s.lang, "offers_again", specialty=label))]


async def _rejected(turn: Turn, rejected: RequestRejected) -> Replies:
    s = turn.s
    if "patient_phone" in rejected.fields:
        s.patient_phone = None
        s.step = Step.need_contact
        return [turn.say("phone_refused"), *turn.screens.ask_contact(s, turn.sender)]
    if "patient_name" in rejected.fields:
        s.step, s.patient_name = Step.need_contact, None
        return [turn.say("name_invalid")]
    # A rule refused the time (too close now, a day off added meanwhile): offer others.
    return [Reply(text=t(s.lang, "refused"), remove_keyboard=True), *await propose(turn)]


# How far ahead a waitlist entry reaches when the patient named no days.
WAITLIST_DAYS = timedelta(days=14)


async def join_waitlist(turn: Turn) -> Replies:
    """Nothing suits: wait in line for the specialty (or the doctor) and the wished window."""
    s, sender = turn.s, turn.sender
    if (s.specialty is None and s.doctor_id is None) or sender.id is None:
        return [turn.say("stale"), *turn.screens.prompt(s, sender)]
    name = s.patient_name or sender.name
    if not name:
        s.step = Step.need_contact
        return [turn.say("waitlist_need_name")]
    wish = s.wish or Wish()
    first = max(wish.date_from or turn.services.today(), turn.services.today())
    last = max(wish.date_to or first + WAITLIST_DAYS, first)
    try:
        await turn.services.api.join_waitlist(
            specialty=None if s.doctor_id else s.specialty,
            doctor_id=s.doctor_id,
            first_day=first,
            last_day=last,
            time_from=wish.time_from,
            time_to=wish.time_to,
            patient_name=name,
            patient_phone=s.patient_phone,
            patient_telegram_id=sender.id,
        )
    except (RequestRejected, ClinicApiError) as refused:
        if isinstance(refused, ApiUnavailable):
            raise
        return [turn.say("waitlist_refused")]
    days = f"{first:%d.%m}" if first == last else f"{first:%d.%m}–{last:%d.%m}"
    joined = turn.say("waitlist_joined", specialty=turn.screens.specialty_label(s), days=days)
    restart(s)
    return [joined]


def booking_key(s: Conversation, sender: Sender) -> str:
    """The Idempotency-Key of this booking: the same conversation and the same details give
    the same key, so a double tap or a retry after a timeout books once; changed details
    (another slot after a 409) give a new one."""
    assert s.chosen is not None
    details = "|".join(
        str(part)
        for part in (
            s.chosen.doctor_id,
            s.chosen.start.isoformat(),
            s.patient_name,
            s.patient_phone,
            sender.id,
        )
    )
    digest = hashlib.sha256(details.encode()).hexdigest()[:20]
    return f"dialog-{s.conversation_id}-{digest}"


async def not_understood(turn: Turn) -> Replies:
    s = turn.s
    if s.step in (Step.idle, Step.need_specialty) and s.specialty is None:
        if not s.clarified and not turn.act.described:
            s.clarified = True
            s.step = Step.need_specialty
            return [turn.screens.ask_specialty(s, t(s.lang, "ask_specialty"))]
        replies = default_specialty(turn)
        if s.wish is None:
            s.wish = Wish()
            return [*replies, *await propose(turn, header="nearest_any")]
        return [*replies, *await propose(turn)]
    if s.step is Step.need_when:
        return [turn.screens.ask_when(s, t(s.lang, "not_understood_when"))]
    if s.step is Step.choosing and s.offers:
        label = turn.screens.specialty_label(s)
        return [turn.screens.offers(s, t(s.lang, "not_understood_offers", specialty=label))]
    if s.step is Step.confirming:
        return [turn.say("confirm_hint"), *turn.screens.prompt(s, turn.sender)]
    prompt = turn.screens.prompt(s, turn.sender)
    return prompt or [turn.say("not_understood")]
