"""The offline understander: a message plus its context -> a dialogue act, with no network.

Rules over word lemmas (`vocabulary`), the triage of `clinic.assistant` for the specialty,
its date parser for every day and time, pymorphy3 for names and phonenumbers for phones.
The order of the checks is the order of precedence: a refusal beats everything, a question
about the patient's own appointments beats a booking wish, an answer to what is on screen
(a time, "the second one", "later") beats starting over.
"""

import re
from datetime import date, timedelta
from functools import lru_cache

from clinic.assistant.normalize import morph_analyzer
from clinic.assistant.triage import WhenWindow, parse_when, triage
from clinic.dialog import vocabulary as v
from clinic.dialog.acts import Act, AppointmentRef, Forbidden, Intent, SlotRef
from clinic.dialog.contacts import Contact, is_name_word, read_contact
from clinic.dialog.doctors import named_doctor
from clinic.dialog.phrases import Family, Message, Word
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
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,100}>")
_CLAUSE_SPLIT = re.compile(r"[,.;!?\n]+|\s(?:но|а|but|however)\s", re.IGNORECASE)
_REFUSAL_WORDS = re.compile(
    r"\b(?:не\s+(?:могу|смогу|получится|подходит|подойдет|подойдёт|устраивает|выйдет)"
    r"|не\s?удобно|неудобно|inconvenient"
    r"|занят[аоы]?|кроме|никак|can'?t|cannot|not|busy|except|doesn'?t\s+(?:work|suit)"
    r"|won'?t\s+work|no\s+good|bad|не)\b",
    re.IGNORECASE,
)
_APPOINTMENT_NUMBER = re.compile(r"(?:№|#|номер\w*|no\.?|number)\s*(\d{1,9})", re.IGNORECASE)
# "2", "вариант 3", "№1", "2nd", "3-й": a position and nothing else.
_NUMBER_ALONE = re.compile(
    r"^\W*(?:вариант|номер|option|number|no\.?|№|#)?\s*(\d{1,2})"
    r"(?:-?(?:й|я|е|ой|ая|ое|ий|st|nd|rd|th))?\W*$",
    re.IGNORECASE,
)
_BARE_TIME = re.compile(r"(?<![\d:./-])(\d{1,2})(?:[:.](\d{2}))?(?![\d:./-])")
_CLUE = re.compile(r'matched "([^"]+)"')
_NARRATIVE = re.compile(
    r"\b(?:был|была|было|были|ходил\w*|заболел\w*|началось|начал\w*|появил\w*|болел\w*"
    r"|was|were|went|got|started|began|had|visited)\b",
    re.IGNORECASE,
)
# Words that carry no topic: a message of only these is not "about something else".
_EN_FUNCTION = frozenset(
    """
    a an the and or but if then so to of in on at by for from with about as into than too very
    i me my mine you your we our us he him his she her it its they them their this that these
    those there here what which who whom whose when where why how is am are was were be been
    being do does did done have has had will would shall should can could may might must not
    no yes ok okay please just also only still even well oh ah hmm um uh hey hi any some all
    more most much many few little one two three get got go going come coming like want need
    know think see say tell let make take give now today tomorrow tonight week day time morning
    evening afternoon next last monday tuesday wednesday thursday friday saturday sunday
    """.split()
)
_RU_FUNCTION_POS = frozenset(
    {"PREP", "CONJ", "PRCL", "INTJ", "NPRO", "PRED", "ADVB", "NUMR", "Apro", "COMP"}
)
_RU_COMMON = frozenset(
    """
    быть мочь хотеть знать понимать думать сказать подсказать помочь делать сделать есть
    прийти приходить пойти ходить идти сходить попасть время день неделя час утро вечер раз
    вопрос спасибо пожалуйста ну вот это так какой который такой весь свой сегодня завтра
    """.split()
)


class OfflineUnderstander:
    """Rules, triage and the date parser: the floor every other understander falls back to."""

    async def understand(self, text: str, context: TurnContext) -> Act:
        return read(text, context)


def read(text: str, context: TurnContext) -> Act:
    """The act of one message; pure and deterministic."""
    # Markup is no part of what the patient says ("<b>", "<script>").
    text = _TAG.sub(" ", text.strip()[:MAX_READ]).strip()
    msg = Message(text)
    if not msg.tokens:
        return Act(intent=Intent.unknown)
    contact = read_contact(
        text,
        context.phone_region,
        expecting_name=context.step is Step.need_contact,
        vocabulary=_vocabulary_in(msg),
    )
    # The phone's digits are no date or time, and the patient's own name ("Анна Зубова") is
    # no doctor and no complaint: the rest is read without them.
    plain = _without_contact(text, contact)
    window = _window(parse_when(plain, context.now, context.tz))
    reading = _Reading(text, plain, msg, window, contact, context)
    return reading.act()


class _Reading:
    """One message being read; the methods are the checks, in order of precedence."""

    def __init__(
        self,
        text: str,
        plain: str,
        msg: Message,
        window: WhenWindow | None,
        contact: Contact,
        context: TurnContext,
    ) -> None:
        self.text = text
        self.plain = plain
        self.msg = msg
        self.window = window
        self.contact = contact
        self.context = context
        self.today = context.now.astimezone(context.tz).date()
        self.triaged = triage(plain, context.now, context.tz)
        known = {s.code for s in context.specialties}
        candidates = [self.triaged.specialty, *self.triaged.alternatives]
        self.specialty = next((c for c in candidates if c and c in known), None)
        clue = _CLUE.search(self.triaged.explanation)
        self.clue = clue.group(1) if clue and self.specialty == self.triaged.specialty else None
        self.doctor_id = named_doctor(plain, context.doctors)
        # Days and times the patient rules out are no part of the wish: "мне неудобно утром,
        # можно после обеда?" wishes the afternoon only.
        self.excluded, self.that_day, rest, dropped = self.refusals()
        if dropped:
            self.window = _window(parse_when(rest, context.now, context.tz)) if rest else None

    # --- the act -----------------------------------------------------------------------------

    def act(self) -> Act:
        step = self.context.step
        refusal = self.forbidden()
        if refusal is Forbidden.past:
            # The time is refused; the doctor asked for still holds for the next message.
            return self.make(Intent.forbidden, forbidden=refusal, wish=None)
        if refusal is not None:
            return Act(intent=Intent.forbidden, forbidden=refusal)
        if self.medical_advice():
            return self.make(Intent.medical_advice, wish=None)
        mine = self.about_mine()
        if mine is not None:
            return mine
        if step is Step.picking_appointment:
            ref = self.appointment_ref(self.plain)
            if not ref.empty:
                return Act(intent=Intent.pick_appointment, appointment=ref)
        if step is Step.need_contact and self.msg.has(v.NO_PHONE):
            return self.make(Intent.deny)
        if step is Step.need_contact and (self.contact.name or self.contact.phone):
            return self.make(Intent.contact)
        if step is Step.choosing and self.context.offers:
            chosen = self.chosen_offer()
            if chosen is not None:
                return chosen
        refined = self.refinement()
        if refined is not None:
            return refined
        if step in _ANSWER_STEPS and self.window is None and self.doctor_id is None:
            # "yes, go ahead" answers the screen, whatever a stray word would route to.
            answer = self.yes_or_no()
            if answer is not None:
                return answer
        if self.changes_the_search():
            if (
                not self.specialty_changes()
                and self.doctor_id is None
                and self.msg.has(v.OFF_TOPIC)
            ):
                return Act(intent=Intent.off_topic)  # "какая погода сегодня?" is no date wish
            return self.make(Intent.inform)
        answer = self.short_answer()
        if answer is not None:
            return answer
        if self.contact.name or self.contact.phone or self.contact.phone_invalid:
            return self.make(Intent.contact)
        if self.specialty is not None:
            return self.make(Intent.inform)  # the same specialty said again
        if self.off_topic():
            return Act(intent=Intent.off_topic)
        return self.make(Intent.unknown)

    def make(self, intent: Intent, **extra: object) -> Act:
        """An act carrying everything this message said (a wish, a name, a phone...)."""
        fields: dict[str, object] = {
            "intent": intent,
            "specialty": self.specialty,
            "alternatives": [a for a in self.triaged.alternatives if a != self.specialty],
            "clue": self.clue,
            "doctor_id": self.doctor_id,
            "wish": _wish(self.window),
            "name": self.contact.name,
            "phone": self.contact.phone,
            "phone_invalid": self.contact.phone_invalid,
        }
        if self.specialty is None and self.doctor_id is None:
            fields["described"] = self.described()
        fields.update(extra)
        return Act.model_validate(fields)

    # --- refusals ----------------------------------------------------------------------------

    def forbidden(self) -> Forbidden | None:
        msg = self.msg
        if msg.has(v.INSTRUCTIONS, negatable=False):
            return Forbidden.instructions
        if self.staff_claim():
            return Forbidden.staff_claim
        if self.others_data():
            return Forbidden.others_data
        if self.in_the_past():
            return Forbidden.past
        return None

    def staff_claim(self) -> bool:
        if self.msg.has(v.STAFF_RIGHTS, negatable=False):
            return True
        claims = ("я", "мы", "i", "i'm", "im", "am", "we", "as", "работаю", "work")
        for role in v.STAFF_ROLES:
            found = self.msg.find(role, negatable=False)
            if found is None:
                continue
            # "я администратор", "i am the admin", "as an admin", "работаю администратором"
            before = self.msg.tokens[max(0, found[0] - 3) : found[0]]
            if any(token.text in claims for token in before):
                return True
        return False

    def others_data(self) -> bool:
        """Someone else's bookings or details: other patients, a relative's appointment, a
        named person's time. Booking for a relative ("запишите маму") stays allowed."""
        msg = self.msg
        if msg.has(v.OTHERS, negatable=False):
            return True
        about_someone = self.doctor_id is not None or self.window is not None
        if msg.has(v.EVERYTHING) and not msg.has(v.MY) and about_someone:
            return True
        if re.search(r"\b(?:пациент\w*|patient)\s+[A-ZА-ЯЁ][a-zа-яё]+", self.text) and msg.has(
            v.APPOINTMENT_WORDS + v.PERSONAL
        ):
            return True
        if msg.has(v.BOOK_FOR):
            return False  # "запишите маму к терапевту": booking for someone is fine
        if self.context.refused == Forbidden.others_data and not msg.has(v.BOOKING_WORDS):
            # "я же муж, мне можно": still someone else's
            return msg.has(v.RELATIVES) or msg.has(v.INSIST)
        if not msg.has(v.ASKING):
            return False
        someone = msg.has(v.RELATIVES) or self.named_person()
        booked = msg.has(v.BOOKED) or (msg.has(v.APPOINTMENT_WORDS) and self.named_person())
        # "I'm her son, just tell me the time": a relative's time, nothing to book.
        their_time = (
            msg.has(v.TIME_WORDS)
            and self.specialty is None
            and self.window is None
            and not msg.has(v.CAN + v.ON_TOPIC + v.BOOKING_WORDS)
        )
        return someone and (booked or their_time)

    def named_person(self) -> bool:
        """A first name and surname in the text that are not a doctor's, and not only the
        patient's own (a father shares his daughter's surname)."""
        own = set((self.context.sender_name or "").lower().split())
        doctors = {w.lower() for d in self.context.doctors for w in d.full_name.split()}
        names = [
            w.lower()
            for w in re.findall(r"[A-ZА-ЯЁ][a-zа-яё]+", self.text)
            if w.lower() not in doctors and is_name_word(w)
        ]
        return len(names) >= 2 and any(name not in own for name in names)

    def in_the_past(self) -> bool:
        for clause in _clauses(self.plain):
            words = Message(clause)
            if words.has(v.PAST_TARGET, gap=1, negatable=False):
                return True
            if (
                words.has(v.PAST_WORDS, negatable=False)
                and words.has(v.BOOKING_WORDS)
                and not _NARRATIVE.search(clause)
            ):
                return True
        window = self.window
        if window is None:
            return False
        if window.date_to is not None and window.date_to < self.today:
            return True
        latest = window.time_to if window.time_to is not None else None
        local_now = self.context.now.astimezone(self.context.tz)
        return (
            window.date_from == self.today
            and window.date_to == self.today
            and latest is not None
            and latest < local_now.time()
        )

    def medical_advice(self) -> bool:
        if self.msg.has(v.MEDICAL_ADVICE, negatable=False) or self.msg.has(v.DIAGNOSIS, gap=0):
            return True
        return self.msg.has(v.DRUGS) and self.msg.has(v.ADVICE_QUESTION)

    # --- my appointments -----------------------------------------------------------------------

    def about_mine(self) -> Act | None:
        msg, step = self.msg, self.context.step
        object_named = msg.has(v.APPOINTMENT_WORDS) or msg.has(v.MY)
        if msg.has(v.RESCHEDULE_VERB) and (object_named or step not in BOOKING_STEPS):
            return self.reschedule()
        if msg.has(v.CANCEL_VERB):
            bare = not object_named and not self.specialty and self.doctor_id is None
            if not bare or step in (Step.idle, Step.picking_appointment, Step.confirming_cancel):
                return Act(intent=Intent.cancel_mine, appointment=self.appointment_ref(self.plain))
            if self.window is None:
                return Act(intent=Intent.stop)
        if msg.has(v.LIST_MINE):
            return Act(intent=Intent.list_mine, appointment=self.appointment_ref(self.plain))
        if self.context.listed and step is Step.idle and self.asks_about_listed():
            # "а к лору во сколько?" right after the list: a question about one of them.
            return Act(intent=Intent.list_mine, appointment=self.appointment_ref(self.plain))
        return None

    def asks_about_listed(self) -> bool:
        msg = self.msg
        if msg.has(v.BOOK_FOR) or not (msg.has(v.TIME_WORDS) or "?" in self.text):
            return False
        return self.specialty is not None or self.doctor_id is not None

    def reschedule(self) -> Act:
        """Which appointment ("my Friday one", "к стоматологу") and, if said, the new time:
        the window after the last "на"/"to" is the new one, the rest describes the old one."""
        tokens = self.msg.tokens
        for position in range(len(tokens) - 1, 0, -1):
            if tokens[position].text not in ("на", "to", "for"):
                continue
            start = tokens[position].start
            new = parse_when(self.plain.lower()[start:], self.context.now, self.context.tz)
            if new is not None:
                ref = self.appointment_ref(self.plain.lower()[:start])
                return Act(
                    intent=Intent.reschedule_mine,
                    appointment=ref,
                    wish=_wish(new),
                    same_time=self.msg.has(v.SAME_TIME),
                )
        return Act(
            intent=Intent.reschedule_mine,
            appointment=self.appointment_ref(self.plain),
            same_time=self.msg.has(v.SAME_TIME),
        )

    def appointment_ref(self, text: str) -> AppointmentRef:
        number = _APPOINTMENT_NUMBER.search(text)
        # Without a list on screen, "первую" counts in the patient's appointments by date.
        position = _position(Message(text), len(self.context.listed) or SHOWN)
        window = parse_when(text, self.context.now, self.context.tz) if text else None
        triaged = triage(text, self.context.now, self.context.tz) if text else None
        known = {s.code for s in self.context.specialties}
        named = [triaged.specialty, *triaged.alternatives] if triaged else []
        candidates = [code for code in named if code in known]
        exact = (
            window is not None
            and window.time_from is not None
            and window.time_from == window.time_to
        )
        return AppointmentRef(
            appointment_id=int(number.group(1)) if number else None,
            position=position,
            specialty=candidates[0] if candidates else None,
            alternatives=tuple(candidates[1:]),
            doctor_id=named_doctor(text, self.context.doctors),
            date_from=window.date_from if window else None,
            date_to=window.date_to if window else None,
            at=window.time_from if window is not None and exact else None,
        )

    # --- answers to what is on screen ----------------------------------------------------------

    def chosen_offer(self) -> Act | None:
        """One of the offered times, named by its time ("давайте в 10:30"), its position
        ("второй") or its doctor when only one offer is theirs."""
        offers = self.context.offers
        window = self.window
        # "2nd" alone is the second offer, not the 2nd of the month; "давайте ближайшее"
        # is the first one, not a new wish for "as soon as possible".
        if len(self.msg) <= 2 and (position := _position(self.msg, len(offers))) is not None:
            return self.make(Intent.choose, position=position, wish=None)
        if self.msg.has(v.NEAREST) and not self.specialty_changes():
            return self.make(Intent.choose, position=0, wish=None)
        if (
            window is not None
            and window.time_from is not None
            and window.time_from == window.time_to
        ):
            matching = [o for o in offers if self.fits(o, window)]
            if matching:
                return self.make(Intent.choose, slot=_ref(matching[0]), wish=None)
            return None  # a time not on offer: a new wish
        position = _position(self.msg, len(offers))
        if position is not None and window is None:
            return self.make(Intent.choose, position=position, wish=None)
        if window is None and (hour := self.bare_hour(offers)) is not None:
            return self.make(Intent.choose, slot=_ref(hour), wish=None)
        if self.doctor_id is not None and self.msg.has(v.AFFIRM):
            theirs = [o for o in offers if o.doctor_id == self.doctor_id]
            if len(theirs) == 1:
                return self.make(Intent.choose, slot=_ref(theirs[0]), wish=None)
        return None

    def bare_hour(self, offers: tuple[Offer, ...]) -> Offer | None:
        """ "ну пусть будет 10": a bare hour that is the time of exactly one day's offer."""
        found = [
            (int(m.group(1)), int(m.group(2) or 0))
            for m in _BARE_TIME.finditer(self.plain)
            if 7 <= int(m.group(1)) <= 21
        ]
        if len(found) != 1:
            return None
        hour, minute = found[0]
        fitting = [
            o
            for o in offers
            if (
                o.start.astimezone(self.context.tz).hour,
                o.start.astimezone(self.context.tz).minute,
            )
            == (hour, minute)
        ]
        return fitting[0] if fitting else None

    def fits(self, offer: Offer, window: WhenWindow) -> bool:
        local = offer.start.astimezone(self.context.tz)
        if local.time() != window.time_from:
            return False
        if window.date_from is not None and local.date() < window.date_from:
            return False
        return window.date_to is None or local.date() <= window.date_to

    def refinement(self) -> Act | None:
        """Corrections of the search: another doctor, not that day, another day, later..."""
        msg = self.msg
        if msg.has(v.OTHER_DOCTOR):
            return self.make(Intent.other_doctor)
        if self.excluded or self.that_day:
            return self.make(Intent.not_that_day, days=self.excluded)
        if self.window is not None and (self.window.date_from or self.window.date_to):
            return None  # a named day is a wish, whatever else is said
        if msg.has(v.OTHER_DAY):
            return self.make(Intent.other_day)
        if self.window is not None or self.specialty_changes() or self.doctor_id is not None:
            return None
        if msg.has(v.ASAP):
            return None
        if msg.has(v.LATER):
            return self.make(Intent.later)
        if msg.has(v.EARLIER):
            return self.make(Intent.earlier)
        if self.context.step in (Step.confirming, Step.need_contact) and msg.has(v.BACK):
            return self.make(Intent.back)
        return None

    def refusals(self) -> tuple[list[date], bool, str, bool]:
        """Days the patient says do not suit ("в пятницу не могу", "not on Monday", "этот день
        не подходит"), whether "that day" (the one offered) was meant, the rest of the
        message, and whether anything was taken out of it (a refused part of the day too)."""
        excluded: list[date] = []
        that_day = False
        rest: list[str] = []
        dropped = False
        for clause in _clauses(self.plain):
            words = Message(clause)
            if not words.has(v.DAY_REFUSAL, negatable=False):
                rest.append(clause)
                continue
            if words.has(v.THAT_DAY):
                that_day = dropped = True
                continue
            found = _window(
                parse_when(_REFUSAL_WORDS.sub(" ", clause), self.context.now, self.context.tz)
            )
            if found is not None and found.date_from is None and found.date_to is None:
                dropped = True  # "неудобно утром": a part of the day ruled out
                continue
            if (
                found is None
                or found.date_from is None
                or found.date_to is None
                or found.time_from is not None  # "в пятницу в 10 не могу": that time only
                or (found.date_to - found.date_from).days > 6
            ):
                rest.append(clause)
                continue
            dropped = True
            day = found.date_from
            while day <= found.date_to:
                excluded.append(day)
                day += timedelta(days=1)
        if excluded:
            # "только не в среду, в среду работаю допоздна": the second clause is the reason.
            rest = [c for c in rest if not self._only_days(c, excluded)]
        return excluded, that_day, ", ".join(rest), dropped

    def _only_days(self, clause: str, days: list[date]) -> bool:
        found = _window(parse_when(clause, self.context.now, self.context.tz))
        if found is None or found.date_from is None or found.date_to is None:
            return False
        return found.date_from in days and found.date_to in days

    def specialty_changes(self) -> bool:
        return self.specialty is not None and self.specialty != self.context.specialty

    def changes_the_search(self) -> bool:
        if self.specialty_changes() or self.doctor_id is not None:
            return True
        return self.window is not None

    def yes_or_no(self) -> Act | None:
        """A plain yes or no to what is on screen: nothing else of substance in it."""
        if self.unexplained() or self.msg.has(v.STOP):
            return None
        if self.msg.has(v.DENY, negatable=False):
            return self.make(Intent.deny)
        if self.msg.has(v.AFFIRM):
            return self.make(Intent.affirm)
        return None

    def short_answer(self) -> Act | None:
        """Yes, no, stop, hello, thanks, help, questions about the clinic."""
        msg, step = self.msg, self.context.step
        if msg.has(v.STOP) and not msg.has(v.AFFIRM):
            return Act(intent=Intent.stop)
        answers_a_question = step in _ANSWER_STEPS
        if answers_a_question and msg.has(v.DENY, negatable=False):
            return self.make(Intent.deny)
        if answers_a_question and msg.has(v.AFFIRM) and not self.unexplained():
            return self.make(Intent.affirm)
        if msg.has(v.CLINIC_INFO):
            return Act(intent=Intent.clinic_info, about_address=msg.has(v.ADDRESS))
        if msg.has(v.HELP):
            return Act(intent=Intent.help)
        if len(msg) <= 6 and msg.has(v.THANKS):
            return Act(intent=Intent.thanks)
        if len(msg) <= 6 and msg.has(v.GREET):
            return Act(intent=Intent.greet)
        return None

    def described(self) -> bool:
        """Words of a complaint no rule places ("жжёт, когда в туалет хожу"): unexplained
        words, said as a problem or together with a wish to come."""
        if not self.unexplained() or self.off_topic():
            return False
        msg = self.msg
        return self.window is not None or msg.has(v.ON_TOPIC) or msg.has(v.BOOKING_WORDS)

    def unexplained(self) -> list[str]:
        """Content words that no part of the conversation's vocabulary explains."""
        vocabulary = _vocabulary_in(self.msg)
        dates = _words(v.DATE_WORDS)
        return [
            t.text
            for t in self.msg.tokens
            if not t.text.isdigit()
            and t.text not in vocabulary
            and not any(word.matches(t) for word in dates)
            and _is_content_word(t.text)
        ]

    def off_topic(self) -> bool:
        """Something else entirely: a known other topic ("погода", "joke"), or words nothing
        in the conversation explains and not a word that hints at a visit."""
        msg = self.msg
        if msg.has(v.OFF_TOPIC):
            return True
        if msg.has(v.ON_TOPIC) or msg.has(v.BOOKING_WORDS):
            return False
        # Any phrase of the conversation's own ("другой врач", "позже") keeps it on topic.
        if any(msg.has(items) for items in v.DIALOG):
            return False
        return bool(self.unexplained())


# --- helpers ---------------------------------------------------------------------------------


def _window(window: WhenWindow | None) -> WhenWindow | None:
    """None for a window with no bound at all (conflicting bounds can cancel out)."""
    if window is None or not any(
        (window.date_from, window.date_to, window.time_from, window.time_to)
    ):
        return None
    return window


def _wish(window: WhenWindow | None) -> Wish | None:
    if window is None:
        return None
    return Wish(
        date_from=window.date_from,
        date_to=window.date_to,
        time_from=window.time_from,
        time_to=window.time_to,
    )


def _ref(offer: Offer) -> SlotRef:
    return SlotRef(doctor_id=offer.doctor_id, start=offer.start)


def _without_contact(text: str, contact: Contact) -> str:
    if contact.phone or contact.phone_invalid:
        text = re.sub(r"\+?\d[\d\s().-]{5,}\d", " ", text)
    for word in (contact.name or "").split():
        text = re.sub(
            rf"(?i)(?<!\w){re.escape(word[:-2] if len(word) > 4 else word)}\w*", " ", text
        )
    return text


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_SPLIT.split(text) if c and c.strip()]


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


@lru_cache(maxsize=64)
def _words(items: Family) -> tuple[Word, ...]:
    return tuple(word for item in items for word in item.words)


@lru_cache(maxsize=1)
def _all_words() -> tuple[Word, ...]:
    return tuple(word for items in v.DIALOG for item in items for word in item.words)


def _vocabulary_in(msg: Message) -> frozenset[str]:
    """The words of this message that belong to the conversation's own vocabulary."""
    words = _all_words()
    return frozenset(t.text for t in msg.tokens if any(w.matches(t) for w in words))


@lru_cache(maxsize=20_000)
def _is_content_word(word: str) -> bool:
    if len(word) < 3:
        return False
    if not re.search("[а-я]", word):
        return word not in _EN_FUNCTION
    parse = morph_analyzer().parse(word)[0]
    if parse.normal_form in _RU_COMMON:
        return False
    return not (_RU_FUNCTION_POS & set(parse.tag.grammemes)) and parse.tag.POS not in (
        _RU_FUNCTION_POS
    )
