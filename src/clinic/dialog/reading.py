"""One message as the offline understander reads it: words, window, specialty, contact.

`Reading` gathers what every rule needs (the tokens, the triage's specialty, the date
parser's window, the doctor named, the name and phone, the days ruled out) so that the
rules in `offline` and `refusals` only decide.
"""

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from clinic.assistant.normalize import morph_analyzer
from clinic.assistant.triage import WhenWindow, parse_when, triage
from clinic.dialog import vocabulary as v
from clinic.dialog.acts import Act, Intent
from clinic.dialog.contacts import Contact
from clinic.dialog.doctors import named_doctor
from clinic.dialog.phrases import NEGATORS, Family, Message, Word
from clinic.dialog.specialists import BY_KEY, unoffered
from clinic.dialog.spoken_times import in_talked_of_week
from clinic.dialog.state import Wish
from clinic.dialog.understanding import TurnContext

_CLAUSE_SPLIT = re.compile(r"[,.;!?\n]+|\s(?:но|а|but|however)\s", re.IGNORECASE)

_REFUSAL_WORDS = re.compile(
    r"\b(?:не\s+(?:могу|смогу|получится|подходит|подойдет|подойдёт|устраивает|выйдет)"
    r"|не\s?удобно|неудобно|inconvenient"
    r"|занят[аоы]?|кроме|никак|can'?t|cannot|not|busy|except|doesn'?t\s+(?:work|suit)"
    r"|won'?t\s+work|no\s+good|bad|out|не)\b",
    re.IGNORECASE,
)

# "friday's out", "monday is out for me": a day ruled out in English.
_IS_OUT = re.compile(r"\b\w+(?:'s|\s+is|\s+are)\s+out\b", re.IGNORECASE)
# Where a wish starts after a refusal in the same clause ("... не могу давайте в понедельник").
_WISH_CUE = re.compile(
    r"\b(?:давайте|давай|лучше|тогда|можно|зато|what\s+about|how\s+about|maybe|rather"
    r"|instead|better|let's|lets)\b",
    re.IGNORECASE,
)

# Clauses of a change of specialist: "не к неврологу, а к травматологу", "нет — к лору".
_SWITCH_SPLIT = re.compile(r"[,.;!?\n]+|\s[-–—]+\s|\s(?:а|но|but|instead|rather)\s", re.IGNORECASE)

_CLUE = re.compile(r'matched "([^"]+)"')
# The triage's weighing of one specialty by a doctor's name: 'weighed dentist 10: "стоматологу"
# (doctor 10)'.
_NAMED_DOCTOR = re.compile(r'weighed (\w+) \d+: "([^"]+)" \(doctor')
# "therapist", not "psychotherapist" or "physiotherapist".
_THERAPIST = re.compile(r"(?<![\w-])therapists?\b", re.IGNORECASE)

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


class Reading:
    """One message being read: its words, the window it wishes, the specialty and doctor it
    names, the contact details in it, and the days it rules out."""

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
        self.specialty = english_therapist(plain, context) or self.specialty
        clue = _CLUE.search(self.triaged.explanation)
        self.clue = clue.group(1) if clue and self.specialty == self.triaged.specialty else None
        self.missing = unoffered(msg)
        if self.missing is not None:
            self._instead_of_the_missing(known)
        elif self.specialty is None and "psychotherapist" in known and msg.has(v.MIND):
            # "I need to talk to someone, I've felt hopeless": the mind, in everyday words.
            self.specialty = "psychotherapist"
        elif self.specialty is None and self.triaged.specialty not in (None, *known):
            # The triage's doctor is not one this clinic has: said so, not silently replaced.
            self.missing = BY_KEY.get(self.triaged.specialty or "")
        if self.missing is None and context.specialty is not None:
            self._switch(known)
        self.doctor_id = named_doctor(plain, context.doctors)
        # Days and times the patient rules out are no part of the wish: "мне неудобно утром,
        # можно после обеда?" wishes the afternoon only.
        self.refused_at: datetime | None = None
        self.excluded, self.that_day, rest, dropped = self.ruled_out()
        if dropped:
            self.window = usable_window(when_said(rest, context)) if rest else None

    def _instead_of_the_missing(self, known: set[str]) -> None:
        """A specialist the clinic lacks. A doctor of the clinic named as well stands ("к
        стоматологу-хирургу"); otherwise the closest specialty the clinic has, or where the
        rest of the message points ("аллерголог, чихаю от кошки"), or none (the GP is then
        offered in so many words) — never a reading of the missing name itself ("нефролог"
        is no neurologist)."""
        assert self.missing is not None
        mention = sorted(
            {
                position
                for phrase in self.missing.words
                for position in self.msg.find(phrase, gap=1, negatable=False) or ()
            }
        )
        said = {self.msg.tokens[p].text for p in mention}
        named = _NAMED_DOCTOR.search(self.triaged.explanation)
        if named and named[1] == self.specialty:
            if not {t.text for t in Message(named[2]).tokens} & said:
                self.missing = None  # an offered doctor named outright
                return
        self.clue = None
        closest = self.missing.closest
        if closest in known:
            self.specialty = closest
            return
        rest = " ".join(t.text for t in self.msg.tokens if t.text not in said)
        again = triage(rest, self.context.now, self.context.tz)
        found = [c for c in (again.specialty, *again.alternatives) if c in known]
        self.specialty = found[0] if found else None

    def _switch(self, known: set[str]) -> None:
        """ "не к неврологу, а к травматологу", "нет, к другому врачу — к эндокринологу",
        "actually make it a dermatologist instead": a change of specialist names the new one;
        the one being booked, or one said after "не"/"not", is the one given up."""
        current = self.context.specialty
        if not self.msg.has(v.SWITCH, negatable=False) and not self.msg.has(v.NEGATION):
            return
        named: list[str] = []
        given_up: set[str] = {current} if current else set()
        for clause in _SWITCH_SPLIT.split(self.plain):
            words = Message(clause)
            if not words.tokens:
                continue
            found = triage(clause, self.context.now, self.context.tz).specialty
            if found is None or found not in known:
                continue
            if words.tokens[0].text in NEGATORS:
                given_up.add(found)
            else:
                named.append(found)
        chosen = next((code for code in named if code not in given_up), None)
        if chosen is not None and (self.specialty is None or self.specialty in given_up):
            self.specialty, self.clue = chosen, None

    def make(self, intent: Intent, **extra: object) -> Act:
        """An act carrying everything this message said (a wish, a name, a phone...)."""
        fields: dict[str, object] = {
            "intent": intent,
            "specialty": self.specialty,
            "alternatives": [a for a in self.triaged.alternatives if a != self.specialty],
            "clue": self.clue,
            "doctor_id": self.doctor_id,
            "wish": wish_of(self.window),
            "name": self.contact.name,
            "phone": self.contact.phone,
            "phone_invalid": self.contact.phone_invalid,
            "missing": self.missing.key if self.missing else None,
        }
        if self.specialty is None and self.doctor_id is None:
            fields["described"] = self.described()
        fields.update(extra)
        return Act.model_validate(fields)

    def ruled_out(self) -> tuple[list[date], bool, str, bool]:
        """Days the patient says do not suit ("в пятницу не могу", "not on Monday", "этот день
        не подходит"), whether "that day" (the one offered) was meant, the rest of the
        message, and whether anything was taken out of it (a refused part of the day too)."""
        excluded: list[date] = []
        that_day = False
        rest: list[str] = []
        dropped = False
        for clause in refusal_clauses(self.plain):
            words = Message(clause)
            if not words.has(v.DAY_REFUSAL, negatable=False) and not _IS_OUT.search(clause):
                rest.append(clause)
                continue
            if words.has(v.THAT_DAY):
                that_day = dropped = True
                continue
            found = usable_window(when_said(_REFUSAL_WORDS.sub(" ", clause), self.context))
            if found is not None and found.date_from is None and found.date_to is None:
                dropped = True  # "неудобно утром": a part of the day ruled out
                continue
            if (
                found is not None
                and found.date_from is not None
                and found.date_from == found.date_to
                and found.time_from is not None
                and found.time_from == found.time_to
            ):
                # "во вторник на 9 неудобно": that moment only, likely one of their own.
                self.refused_at = datetime.combine(
                    found.date_from, found.time_from, self.context.tz
                )
                dropped = True
                continue
            if (
                found is None
                or found.date_from is None
                or found.date_to is None
                or found.time_from is not None
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
        found = usable_window(when_said(clause, self.context))
        if found is None or found.date_from is None or found.date_to is None:
            return False
        return found.date_from in days and found.date_to in days

    def specialty_changes(self) -> bool:
        return self.specialty is not None and self.specialty != self.context.specialty

    def changes_the_search(self) -> bool:
        if self.specialty_changes() or self.doctor_id is not None:
            return True
        return self.window is not None

    def described(self) -> bool:
        """Words of a complaint no rule places ("жжёт, когда в туалет хожу"): unexplained
        words, said as a problem or together with a wish to come."""
        if not self.unexplained() or self.off_topic():
            return False
        msg = self.msg
        return self.window is not None or msg.has(v.ON_TOPIC) or msg.has(v.BOOKING_WORDS)

    def unexplained(self) -> list[str]:
        """Content words that no part of the conversation's vocabulary explains."""
        vocabulary = vocabulary_in(self.msg)
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

# Parts of the day said in forms the date parser does not read ("перенесите на вторую
# половину дня"), put in forms it does.
_PART_FORMS = (
    (re.compile(r"\bна\s+вторую\s+половину\s+дня\b", re.IGNORECASE), "во второй половине дня"),
    (re.compile(r"\bна\s+первую\s+половину\s+дня\b", re.IGNORECASE), "в первой половине дня"),
    (re.compile(r"\b(?:in\s+)?the\s+second\s+half\s+of\s+the\s+day\b", re.IGNORECASE),
     "in the afternoon"),
    (re.compile(r"\b(?:in\s+)?the\s+first\s+half\s+of\s+the\s+day\b", re.IGNORECASE),
     "in the morning"),
)  # fmt: skip


def when(text: str, now: datetime, tz: ZoneInfo) -> WhenWindow | None:
    """The date parser's window of the text (see `clinic.assistant.dates`)."""
    for pattern, form in _PART_FORMS:
        text = pattern.sub(form, text)
    return parse_when(text, now, tz)


def when_said(text: str, context: TurnContext) -> WhenWindow | None:
    """The window of the text as said in this conversation: a weekday in the week talked of."""
    return in_talked_of_week(when(text, context.now, context.tz), text, context)


def english_therapist(text: str, context: TurnContext) -> str | None:
    """English "therapist" is the clinic's general practitioner, unless the talk is of the
    mind ("a therapist for my anxiety", "talk to someone", "couples therapist") or already
    was; None when the word is not there (or the clinic lacks one of the two)."""
    known = {s.code for s in context.specialties}
    if not _THERAPIST.search(text) or not {"therapist", "psychotherapist"} <= known:
        return None
    if Message(text).has(v.MIND) or context.specialty == "psychotherapist":
        return "psychotherapist"  # "can I see the therapist tomorrow?" keeps the topic
    rest = triage(_THERAPIST.sub(" ", text), context.now, context.tz)
    return "psychotherapist" if rest.specialty == "psychotherapist" else "therapist"


def usable_window(window: WhenWindow | None) -> WhenWindow | None:
    """None for a window with no bound at all (conflicting bounds can cancel out)."""
    if window is None or not any(
        (window.date_from, window.date_to, window.time_from, window.time_to)
    ):
        return None
    return window


def wish_of(window: WhenWindow | None) -> Wish | None:
    if window is None:
        return None
    return Wish(
        date_from=window.date_from,
        date_to=window.date_to,
        time_from=window.time_from,
        time_to=window.time_to,
    )


def clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_SPLIT.split(text) if c and c.strip()]


def refusal_clauses(text: str) -> list[str]:
    """Clauses, with a refusal cut where a wish begins after it: "в пятницу не могу давайте
    в понедельник", "пятница не подходит лучше суббота" refuse one day and wish another."""
    found: list[str] = []
    for clause in clauses(text):
        refusal = _REFUSAL_WORDS.search(clause) or _IS_OUT.search(clause)
        cue = _WISH_CUE.search(clause, refusal.end()) if refusal else None
        if cue is None:
            found.append(clause)
        else:
            found += [clause[: cue.start()].strip(), clause[cue.start() :].strip()]
    return found


@lru_cache(maxsize=64)
def _words(items: Family) -> tuple[Word, ...]:
    return tuple(word for item in items for word in item.words)


@lru_cache(maxsize=1)
def _all_words() -> tuple[Word, ...]:
    return tuple(word for items in v.DIALOG for item in items for word in item.words)


def vocabulary_in(msg: Message) -> frozenset[str]:
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
