"""The wished date and time window in a patient's message (Russian and English).

Hand-written rather than dateparser: dateparser reads "10.12" as a time, misses "17-го" and
"в следующий вторник", has no notion of windows ("на следующей неделе", "с 7 по 9"), and its
free-text search costs ~9 ms a message after a 0.6 s first call. Here every convention of
issue 3 is one small rule, and times that describe symptoms ("по утрам немеют пальцы",
"since saturday") are told apart from wishes.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from clinic.assistant.clock_words import spell_out
from clinic.assistant.lexicon import get_lexicon
from clinic.assistant.normalize import MAX_CHARS, analyse, clean, is_past_verb
from clinic.assistant.plural_parts import read_plural_parts
from clinic.assistant.spelling import canonical

__all__ = ["WhenWindow", "asks_for_visit", "asks_to_book", "parse_canonical_when", "parse_when"]


@dataclass(frozen=True, slots=True)
class WhenWindow:
    date_from: date | None = None
    date_to: date | None = None
    time_from: time | None = None
    time_to: time | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "date_from": None if self.date_from is None else self.date_from.isoformat(),
            "date_to": None if self.date_to is None else self.date_to.isoformat(),
            "time_from": None if self.time_from is None else self.time_from.strftime("%H:%M"),
            "time_to": None if self.time_to is None else self.time_to.strftime("%H:%M"),
        }


DateSpan = tuple[date | None, date | None]
TimeSpan = tuple[time | None, time | None]

# --- vocabulary -------------------------------------------------------------------------

# Full names in every case, and the abbreviations with or without a dot ("12 янв.", "dec 8").
_MONTHS = (
    (r"январ\w*|янв|jan(?:uary)?", 1),
    (r"феврал\w*|фев|февр|feb(?:ruary)?", 2),
    (r"март\w*|мар|mar(?:ch)?", 3),
    (r"апрел\w*|апр|apr(?:il)?", 4),
    (r"ма[йяею]|may", 5),
    (r"июн\w*|june?", 6),
    (r"июл\w*|july?", 7),
    (r"август\w*|авг|aug(?:ust)?", 8),
    (r"сентябр\w*|сент?|sept?(?:ember)?", 9),
    (r"октябр\w*|окт|oct(?:ober)?", 10),
    (r"ноябр\w*|нояб?|nov(?:ember)?", 11),
    (r"декабр\w*|дек|dec(?:ember)?", 12),
)
_WEEKDAYS = (
    r"понедельник\w*|пн|monday|mon",
    r"вторник\w*|вт|tuesday|tues|tue",
    r"сред[ауые]|ср|wednesday|wed|weds",
    r"четверг\w*|чт|thursday|thurs|thur|thu",
    r"пятниц\w*|пт|friday|fri",
    r"суббот\w*|сб|saturday|sat",
    r"воскресень\w*|вс|sunday|sun",
)
_NUMBER_WORDS = {
    "один": 1, "одну": 1, "одного": 1, "one": 1, "a": 1, "an": 1,
    "два": 2, "две": 2, "двух": 2, "пару": 2, "пара": 2, "two": 2, "couple": 2,
    "a couple of": 2, "couple of": 2, "три": 3, "трех": 3, "three": 3,
    "четыре": 4, "four": 4, "пять": 5, "five": 5, "шесть": 6, "six": 6,
    "семь": 7, "seven": 7, "десять": 10, "ten": 10,
}  # fmt: skip

MONTH = "|".join(f"(?:{p})" for p, _ in _MONTHS)
WEEKDAY = "|".join(f"(?:{p})" for p in _WEEKDAYS)
ORD = r"(?:-?\s?(?:го|ого|е|ое)\b|st\b|nd\b|rd\b|th\b)"
NUMWORD = "|".join(sorted((re.escape(k) for k in _NUMBER_WORDS), key=len, reverse=True))


def _month(word: str) -> int:
    for pattern, number in _MONTHS:
        if re.fullmatch(pattern, word):
            return number
    raise ValueError(word)


def _weekday(word: str) -> int:
    return next(i for i, p in enumerate(_WEEKDAYS) if re.fullmatch(p, word))


# --- text preparation -------------------------------------------------------------------

_GREETING = re.compile(
    r"добр\w*\s+(?:утр\w*|вечер\w*|день|дня|ночи)|спокойной\s+ночи"
    r"|good\s+(?:morning|afternoon|evening|night)"
)
# Habits and symptom times are never wishes: "по утрам", "every evening", "к вечеру".
_HABITUAL = re.compile(
    r"\bпо\s+(?:понедельник|вторник|сред|четверг|пятниц|суббот|воскресен|утр|вечер|ноч|выходн"
    r"|будн|дн)\w*(?:ам|ям|ым|им)\b|\bкажд\w+\s+\w+|\bк\s+вечеру\b|\bночью\b|\bсредь\s+ночи\b"
    r"|\bevery\s+\w+|\bin\s+the\s+(?:mornings|evenings|afternoons)\b|\bat\s+night\b"
    r"|\b(?:on\s+)?(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)\b"
    r"|\b(?:прошл\w+|last|past)\s+\w+|\b\d+\s+(?:\w+\s+)?(?:назад|ago)\b"
    r"|\b(?:особенно|обычно|чаще(?:\s+всего)?|бывает|хуже|сильнее|усиливается|especially|usually"
    r"|mostly|worse|worst)\s+(?:\w+\s+){0,2}?(?:утр|вечер|ноч|дн[её]м|morning|evening|night"
    r"|afternoon)\w*"
)
_CLAUSE = re.compile(r"[;!?\n()]|,(?!\s*\d)|(?<!\d)\.|\.(?!\d)|\s(?:но|but)\s")
_SYMPTOM = re.compile(
    r"\b(?:бол[иьяе]|боль|ноет|ноют|тошн|рв[её]т|рвот|вырв|кашл|температур|немеют|немеет|онем"
    r"|чеш|круж|давит|колет|стреля|тянет|знобит|отек|опух|кров|одышк|не\s+могу|заболе"
    r"|стал\w*\s+хуже|хуже\s+(?:вид|слыш)"
    r"|(?<!в\s)начал|сахар|давлен|пульс|глюкоз|намерил|мерил|sugar|glucose|pressure|\bbp\b"
    r"|temperature|\btemp\b"
    r"|reading"
    r"|появил|уже|упал|ударил|просыпа|с\s+тех\s+пор|hurt|pain|sick|cough|fever|numb|itch|dizz"
    r"|bleed|swell|swoll|vomit|since|started|began|woke|fell|had|threw|blood|broke|twisted"
    r"|injur|happened|got\s+worse)|ache"
)
_BOOKING = re.compile(
    r"\b(?:запис|запиш|при[её]м|можно|можете|пожалуйста|плиз|пж|подскаж|хочу|хотел|хотим|нужен|нужна|нужно|надо|удобн|свобод|окн|окош"
    r"|талон|прийти|приду|прид[её]м|подойти|подойду|зайти|посетить|попасть|подъехать|бы\b"
    r"|пройти|сдать|сделать|оформить|получить"
    r"|\w*лог[уа]?\b|врач|доктор|терапевт|педиатр|лор|окулист|кожник|ортопед|стоматолог"
    r"|зубно|book|appointment|slot|availab|come|visit|see\b|schedule|dentist|doctor|gp\b"
    r"|ent\b|\w*ologist|pediatrician|therapist|can\s+i|could\s+i|can\s+we|could\s+we|please"
    r"|want|would\s+like|need|do\s+you\s+have|have\s+you\s+got|is\s+there\s+(?:a|any)\b"
    r"|\bspots?\b|\bopenings?\b|есть\s+(?:ли\s+)?(?:место|время|запись))"
)


_FUTURE = re.compile(
    r"\b(?:завтра|послезавтра|tomorrow|следующ\w+|будущ\w+|next|через\s+\d|in\s+\d+\s+days"
    r"|не\s+позже|не\s+позднее|no\s+later|not\s+later|asap|срочно|as\s+soon|как\s+можно)"
)
# A story of the past: none of its times is a wish.
_PAST = re.compile(
    r"\b(?:упал\w*|ударил\w*|заболел\w*|начал(?:ся|ась|ось|ись|а|о|и)?|появил\w*|вчера"
    r"|позавчера|назад|since|ago"
    r"|started|began|fell|had|was|were|yesterday|passed\s+out|fainted|collapsed|blacked\s+out"
    r"|happened|noticed|felt|tripped|slipped)\b"
)
# What follows a symptom and still describes it: its measurement and when it happens
# ("сахар 12 утром", "давление 180 на 100", "болит по утрам").
_SYMPTOM_TAIL = re.compile(
    r"\w*(?:\s*(?:\d+(?:[.,/]\d+)?|на|ммоль\w*|mmol|mg|натощак|утром|вечером|ночью|дн[её]м"
    r"|in\s+the\s+(?:morning|evening)|this\s+morning|at\s+night|over"
    r"|(?:on|в|во)\s+(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье|monday"
    r"|tuesday|wednesday|thursday|friday|saturday|sunday)))*"
)
# "болит с понедельника", "for ages": how long it lasts, read and left out of the tail
_SINCE = re.compile(
    r"^[\s¤]*(?:(?:с|со|since|from)\s+(?!\d)(?:прошл\w+\s+|last\s+)?\S+|уже\s+\S+|already"
    r"|for\s+(?:ages|years|months|weeks|days|a\s+while|a\s+week|\d+\s+\w+))"
)
# After a symptom "this month", "today" describe it ("my period is heavy this month"); a
# named day, a date or a clock time is a wish.
_TAIL_CUE = re.compile(
    rf"\d|\b(?:{WEEKDAY}|{MONTH}|завтра|послезавтра|tomorrow|следующ\w+|будущ\w+|next|через"
    r"|asap|срочно|как\s+можно|as\s+soon|не\s+позже|не\s+позднее|no\s+later|not\s+later)\b"
)
# Before a symptom, a part of the day describes it ("после обеда тошнит"); a day does not.
_DATE_CUE = re.compile(
    rf"\d|\b(?:{WEEKDAY}|{MONTH}|сегодня|завтра|послезавтра|today|tomorrow|недел\w*|week"
    r"|выходн\w*|weekend|asap|срочно|как\s+можно)\b"
)
_SINCE_PART_OF_DAY = re.compile(r"\bс\s+(?:утра|вечера|ночи|обеда)\b")
_SINCE_HEAD = re.compile(r"\b(?:сегодня|today)\s+(?:с|со|since)\b|\bsince\b|\bуже\b")
_RU_WORD = re.compile(r"[а-я]{3,}")
# "можно сейчас?", "прямо сейчас", "сейчас подойти": "сейчас" asked for, not a state told
_NOW_ASKED_BEFORE = re.compile(
    r"(?:\bпрямо|\bна|\bможно|\bмогу|\bможете|\bмогли\s+бы|\bпримете|\bпринять|\bа)\s+$"
)
_NOW_ASKED_AFTER = re.compile(
    r"\s*(?:же\s+)?(?:можно|прийти|приду|подойти|подойду|подъехать|зайти|приехать|записаться"
    r"|запишите|примете|принять|свободн|есть\s+(?:окн|время|место|врач))"
)


_WORD = re.compile(r"[a-zа-я]{3,}")


@lru_cache(maxsize=1)
def _symptom_lemmas() -> frozenset[str]:
    """One-word symptoms and body parts of the triage lexicon ("голова", "rash")."""
    return frozenset(
        clue.phrase.terms[0].key
        for clue in get_lexicon().clues
        if len(clue.phrase.terms) == 1
        and not clue.phrase.terms[0].prefix
        and clue.tier in ("strong", "medium")
        and not clue.phrase.terms[0].key.startswith("#")
    )


def _is_symptom_word(word: str) -> bool:
    return bool(analyse(word)[0] & _symptom_lemmas())


def _has_symptom(text: str) -> bool:
    return bool(_SYMPTOM.search(text)) or any(
        _is_symptom_word(m.group()) for m in _WORD.finditer(text)
    )


def _is_past(text: str) -> bool:
    """A story of the past: "вчера", "fell", or a Russian verb in the past tense."""
    return bool(_PAST.search(text)) or any(is_past_verb(w) for w in _RU_WORD.findall(text))


# Today and its parts, which a past tense told after them places in the past
_TODAY_WORDS = re.compile(
    r"\b(?:сегодня|сейчас|today|утром|днем|вечером|ночью|с\s+утра|с\s+вечера|с\s+ночи)\b"
)


def _untell_today(clause: str) -> str:
    """ "сегодня ночью сын кашлял", "с утра сопливит, сегодня в сад не пошли": today told
    before a verb in the past tense is when it happened, not when to come."""
    verb = next((m for m in _RU_WORD.finditer(clause) if is_past_verb(m.group())), None)
    if verb is None:
        return clause
    head = _TODAY_WORDS.sub(lambda m: _READ * len(m.group()), clause[: verb.start()])
    return head + clause[verb.start() :]


def _wish_parts(clause: str) -> list[str]:
    """The parts of a clause that may state a wish.

    A clause that asks for a visit is a wish from its first asking word on; what comes
    before that word, in a run-on without punctuation ("у сына щас температура хотим к
    педиатру послезавтра или в пятницу"), is read as the story it tells.
    """
    cue = _BOOKING.search(clause)
    if cue is None:
        return _story_parts(clause)
    story = clause[: cue.start()]
    if story.strip() and (_has_symptom(story) or _is_past(story)):
        return [*_story_parts(story), clause[cue.start() :]]
    return [clause]


def _story_parts(clause: str) -> list[str]:
    """The parts of a clause that asks for nothing which may still state a wish.

    A clause that tells about symptoms is read only around its symptoms: "через 5 дней у
    ребёнка температура" and "fell on my wrist asap before 9" still ask for a day, "болит
    с утра", "сегодня с ночи давит" and "сахар 12 утром" do not. A story of the past
    ("вчера вечером упал", "сегодня ночью кашлял") has no wish but an outspoken future.
    """
    past = bool(_PAST.search(clause))
    clause = _untell_today(clause)
    found = [(m.start(), m.end()) for m in _SYMPTOM.finditer(clause)]
    found += [(m.start(), m.end()) for m in _WORD.finditer(clause) if _is_symptom_word(m.group())]
    if not found:
        # "в понедельник потеряла сознание": a day told with a past verb and no asking word
        past = past or _is_past(clause)
        return [clause] if not past or _FUTURE.search(clause) else []
    first = min(start for start, _ in found)
    tail_at = max(end for _, end in found)
    tail_at = _SYMPTOM_TAIL.match(clause, tail_at).end()  # type: ignore[union-attr]
    head, tail = clause[:first], clause[tail_at:]
    if since := _SINCE.match(tail):
        tail = _READ * since.end() + tail[since.end() :]
    if _SINCE_HEAD.search(head):
        head = ""  # "сегодня с ночи давит": since when, not when to come
    parts = [head if _DATE_CUE.search(head) else "", tail if _TAIL_CUE.search(tail) else ""]
    if past:
        # in a story of the past only an outspoken future is a wish ("упал, asap before 9")
        parts = [p for p in parts if _FUTURE.search(p)]
    return [_SINCE_PART_OF_DAY.sub(lambda m: _READ * len(m.group()), p) for p in parts]


# What a rule has read is covered with a mark that is neither a word nor a space, so no
# later rule reads it again or reaches across it ("no later than thu 9:45" is not "no
# later than 9:45").
_READ = "¤"


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + _READ * (end - start) + text[end:]


# --- dates ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Ctx:
    today: date
    english: bool
    booking: bool


def _next_dm(day: int, month: int, year: int | None, today: date) -> date | None:
    """A day and month without a year mean their next occurrence from today."""
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    if year is not None:
        year = year + 2000 if year < 100 else year
        return _safe_date(year, month, day)
    for candidate_year in (today.year, today.year + 1, today.year + 2):
        found = _safe_date(candidate_year, month, day)
        if found is not None and found >= today:
            return found
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_day_of_month(day: int, today: date) -> date | None:
    year, month = today.year, today.month
    for _ in range(3):
        found = _safe_date(year, month, day)
        if found is not None and found >= today:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _week_start(today: date) -> date:
    return today - timedelta(days=today.weekday())


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_YEAR = r"(?:\s*,?\s*(?P<y>\d{4}))?"
_DATE_RANGES = (
    re.compile(
        rf"(?:\bс|\bfrom|\bbetween)\s+(?:the\s+)?(?P<d1>\d{{1,2}})(?P<o1>{ORD})?\s*(?:of\s+)?"
        rf"(?P<m1>{MONTH})?\s*(?P<sep>по|до|to|and|till|until|through|-|–)\s*(?:the\s+)?"
        rf"(?P<d2>\d{{1,2}})(?P<o2>{ORD})?\s*(?:of\s+)?(?P<m2>{MONTH})?\b"
    ),
    re.compile(
        rf"(?:\bfrom\s+|\bbetween\s+)?\b(?P<m1>{MONTH})\s+(?P<d1>\d{{1,2}}){ORD}?\s*"
        rf"(?P<sep>-|–|to|and|till|until|through)\s*(?:(?P<m2>{MONTH})\s+)?(?P<d2>\d{{1,2}}){ORD}?"
    ),
    re.compile(
        rf"(?<![\d.:])(?P<d1>\d{{1,2}})\s*(?P<sep>[-–])\s*(?P<d2>\d{{1,2}})\s+(?P<m2>{MONTH})\b"
    ),
)
_DAY_MONTH = re.compile(
    rf"(?<![\d.:/])(?P<d>\d{{1,2}}){ORD}?\s*(?:of\s+)?\b(?P<m>{MONTH})\b{_YEAR}"
)
_MONTH_DAY = re.compile(
    rf"\b(?P<m>{MONTH})\.?\s+(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])"
    rf"(?!\s*(?:am|pm|a\.m|p\.m|час))\b{_YEAR}"
)
_NUMERIC = re.compile(
    r"(?<![\d.:/])(?P<d>\d{1,2})(?P<sep>[./])(?P<m>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?"
    r"(?![\d:]|\.\d)"
)
_DAY_ONLY = re.compile(
    r"(?<![\d.:/])(?P<d>\d{1,2})\s?-?\s?(?:го|ого|е|ое)?\s+числ\w*|(?<![\d.:/])(?P<d2>\d{1,2})"
    r"\s?-?\s?(?:го|ого)\b|(?<![\d.:/])(?P<d4>\d{1,2})-(?:е|ое)\b"
    r"|\b(?P<d3>\d{1,2})(?:st|nd|rd|th)\b"
)
_RELATIVE = re.compile(
    r"\b(?P<w>послезавтра|day\s+after\s+tomorrow|завтра|tomorrow|сегодня|today|сейчас)\b"
)
_WEEKDAY_RE = re.compile(
    rf"(?:\b(?P<pre>следующ\w*|next|this|эт\w*|ближайш\w*|coming|будущ\w*)\s+)?"
    rf"\b(?P<wd>{WEEKDAY})\b"
)
_PERIODS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bслед\w*\s+недел\w*|будущ\w+\s+недел\w*|\bnext\s+week\b"), "next_week"),
    (re.compile(r"(?:на\s+)?(?:этой|текущей|нынешней)\s+неделе|\bthis\s+week\b"
                r"|\bна\s+неделе\b"), "this_week"),
    (re.compile(r"следующ\w+\s+выходн\w*|\bnext\s+weekend\b"), "next_weekend"),
    (re.compile(r"выходн(?:ые|ых|ой)\b|\bweekend\b"), "weekend"),
    (re.compile(r"следующ\w+\s+месяц\w*|\bnext\s+month\b"), "next_month"),
    (re.compile(r"(?:в\s+)?этом\s+месяце|\bthis\s+month\b"), "this_month"),
    (re.compile(r"как\s+можно\s+(?:скорее|быстрее|раньше)|\bпоскорее|\bпобыстрее"
                r"|ближайш\w+\s+(?:свободн\w+\s+)?(?:время|окн\w*|дат\w*|дни|дн\w+|запис\w*)"
                r"|первое\s+свободное|\bсрочно\b|\basap\b|as\s+soon\s+as\s+possible|\bна\s+днях\b"
                r"|(?:first|next)\s+(?:available|free|open)"
                r"|\burgent(?:ly)?\b|\bearliest\b|\bsoonest\b"), "asap"),
)  # fmt: skip
# "в конце недели", "early next week", "в середине декабря", "end of the month"
_PART_RU = r"(?P<ru>начал\w*|середин\w*|конц\w*|конец)"
_PART_EN = (
    r"(?:(?:at|in)\s+)?(?:the\s+)?(?P<en>beginning|start|middle|end)\s+of"
    r"|(?P<en2>early|mid|late)[\s-]"
)
_WEEK_PART = re.compile(
    rf"(?:\bв\s+)?\b{_PART_RU}\s+(?P<which>(?:этой|текущей|следующей|будущей)\s+)?недел\w*"
    rf"|\b(?:{_PART_EN})\s*(?P<which2>the\s+|this\s+|next\s+)?week\b"
)
_MONTH_PART = re.compile(
    rf"(?:\bв\s+)?\b{_PART_RU}\s+(?P<which>(?:этого|текущего|следующего|будущего)\s+)?"
    rf"(?P<m>месяц\w*|{MONTH})\b"
    rf"|\b(?:{_PART_EN})\s*(?P<which2>the\s+|this\s+|next\s+)?(?P<m2>month|{MONTH})\b"
)
_WITHIN = re.compile(
    rf"(?:\bв\s+течени[ея]|\bв\s+ближайш\w+|\bwithin|\bin\s+the\s+next|\bover\s+the\s+next)"
    rf"\s+(?:(?P<n>\d+|{NUMWORD})\s+)?(?P<u>дн\w*|день|недел\w*|days?|weeks?)\b"
)
# "10 или 12 декабря", "10, 11 and 12 dec", "dec 10 or 12": one window over all of them
_LIST_SEP = r"(?:\s*,\s*|\s+или\s+|\s+либо\s+|\s+or\s+|\s+и\s+|\s+and\s+|\s*,\s*(?:или|or)\s+)"
_DAY_LIST = re.compile(
    rf"(?<![\d.:/])(?<!до\s)(?<!по\s)(?<!to\s)(?<!and\s)(?<!в\s)(?<!at\s)(?P<days>\d{{1,2}}(?:{ORD})?(?:{_LIST_SEP}(?:the\s+)?\d{{1,2}}(?:{ORD})?)+)"
    rf"\s*(?:of\s+)?(?P<m>{MONTH})\b"
    rf"|\b(?P<m2>{MONTH})\s+(?P<days2>\d{{1,2}}(?:st|nd|rd|th)?(?:{_LIST_SEP}(?:the\s+)?"
    rf"\d{{1,2}}(?:st|nd|rd|th)?)+)\b(?![:./]\d)(?!\s*(?:of\s+)?(?:{MONTH})\b)"
)
_MONTH_BEFORE = re.compile(rf"\b(?:{MONTH})\.?\s*$")
_MONTH_DOT = re.compile(
    r"\b(янв|фев|мар|апр|июн|июл|авг|сен|сент|окт|ноя|нояб|дек|jan|feb|mar|apr|jun|jul|aug|sep"
    r"|sept|oct|nov|dec)\.(?=\s*\d)"
)
_WEEK_OF_BEFORE = re.compile(
    r"\bweek\s+(?:of|starting|beginning|commencing|from)\s+(?:the\s+)?(?:\w+\s+)?$"
)
_WEEK_FROM_BEFORE = re.compile(r"\bнедел\w*\s+(?:с|со|начиная\s+с)\s+$")
_LATEST_AFTER = re.compile(
    r"^\s*,?\s*(?:at\s+the\s+latest|at\s+latest|latest|самое\s+позднее|крайний\s+срок|максимум)"
)
_MONTH_ALONE = re.compile(rf"(?:\bв|\bна|\bin|\bduring)\s+(?P<m>{MONTH})\b(?!\s*\d)")
_IN_N = re.compile(
    rf"\bчерез\s+(?:(?P<n>\d+|{NUMWORD})\s+)?(?P<u>дн\w*|день|недел\w*|месяц\w*)"
    rf"|\bin\s+(?P<n2>\d+|{NUMWORD})\s+(?P<u2>days?|weeks?|months?)\b"
    rf"|\b(?P<n3>\d+|{NUMWORD})\s+(?P<u3>days?|weeks?)\s+from\s+(?:now|today)\b"
)
# "до пятницы", "by friday", "through friday", "up to thursday", "по пятницу": today to that day
_DEADLINE_BEFORE = re.compile(
    r"(?:не\s+позже|не\s+позднее|\bдо|\bк|\bко|\bпо|\bby|no\s+later\s+than|not\s+later\s+than"
    r"|until|till|\bthrough|\bup\s+to|\bup\s+till|\bup\s+until)"
    r"\s*(?:the\s+|this\s+)?$"
)
# Waiting until a day is no deadline: "can that wait till Saturday?", "потерпит до
# понедельника?" ask to come on that day. "До"/"until" a day is a deadline from today only
# when it bounds the visit itself ("к стоматологу до субботы", "any day until Friday").
_WAIT_BEFORE = re.compile(
    r"(?:\bwait|\bhold\s+off|\bhang\s+on|\bleave\s+it|\bподожд\w*|\bпотерп\w*|\bтерпит"
    r"|\bдотерп\w*|\bотложить|\bотложу)\s+(?:\w+\s+)?(?:until|till|til|до)\s*(?:the\s+)?$"
)
_STRICT_BEFORE = re.compile(r"(?<!not\s)\bbefore\s*(?:the\s+)?$")
_AFTER_BEFORE = re.compile(r"(?:\bпосле|\bafter)\s*(?:the\s+)?$")
_NOT_EARLIER_BEFORE = re.compile(
    r"(?:не\s+раньше|не\s+ранее|no\s+earlier\s+than|not\s+earlier\s+than|not\s+before)"
    r"\s*(?:the\s+)?$"
)
_FROM_BEFORE = re.compile(r"(?:\bс|\bсо|\bfrom|\bsince|\bstarting)\s*(?:the\s+)?$")


def _month_range(d1: int, m1: int, d2: int, m2: int, today: date) -> DateSpan:
    """ "с 14 по 18 августа": this year's days, next year's once they are over; a range
    already under way starts today."""
    for year in (today.year, today.year + 1):
        first = _safe_date(year, m1, d1)
        last = _safe_date(year + (1 if m2 < m1 else 0), m2, d2)
        if first is None or last is None:
            return None, None
        if last >= today:
            return max(first, today), last
    return None, None


def _period(kind: str, today: date) -> DateSpan:
    monday = _week_start(today)
    saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    if today.weekday() == 6:  # on a Sunday "the weekend" is today
        saturday = today - timedelta(days=1)
    spans: dict[str, Callable[[], DateSpan]] = {
        "next_week": lambda: (monday + timedelta(7), monday + timedelta(13)),
        "this_week": lambda: (today, monday + timedelta(6)),
        "next_weekend": lambda: (saturday + timedelta(7), saturday + timedelta(8)),
        "weekend": lambda: (max(today, saturday), saturday + timedelta(1)),
        "next_month": lambda: (
            _add_months(today.replace(day=1), 1),
            _add_months(today.replace(day=1), 2) - timedelta(1),
        ),
        "this_month": lambda: (today, _add_months(today.replace(day=1), 1) - timedelta(1)),
        "asap": lambda: (today, today + timedelta(2)),
    }
    return spans[kind]()


def _part_name(m: re.Match[str]) -> str:
    word = m["ru"] or m["en"] or m["en2"] or ""
    if word.startswith(("нач", "beg", "sta", "ear")):
        return "start"
    return "middle" if word.startswith(("сер", "mid")) else "end"


_WEEK_PARTS = {"start": (0, 2), "middle": (1, 3), "end": (4, 6)}


def _week_part(m: re.Match[str], today: date) -> DateSpan:
    """Days 0-2, 1-3 or 4-6 (Monday = 0) of this or next week; a part already past means
    next week's, and a part already begun starts today."""
    which = (m["which"] or m["which2"] or "").strip()
    first, last = _WEEK_PARTS[_part_name(m)]
    monday = _week_start(today)
    if which.startswith(("след", "будущ", "next")) or (
        not which and monday + timedelta(last) < today
    ):
        monday += timedelta(7)
    return max(today, monday + timedelta(first)), monday + timedelta(last)


def _month_part(m: re.Match[str], today: date) -> DateSpan | None:
    """Days 1-10, 11-20 or 21-end of a named month, this month or the next."""
    which = (m["which"] or m["which2"] or "").strip()
    name = m["m"] or m["m2"] or ""
    part = _part_name(m)
    if name.startswith(("месяц", "month")):
        first_day = today.replace(day=1)
        if which.startswith(("след", "будущ", "next")):
            first_day = _add_months(first_day, 1)
    else:
        found = _next_dm(1, _month(name), None, today.replace(day=1))
        if found is None:
            return None
        first_day = found
    last_day = _add_months(first_day, 1) - timedelta(1)
    span = {"start": (1, 10), "middle": (11, 20), "end": (21, last_day.day)}[part]
    start, end = first_day.replace(day=span[0]), first_day.replace(day=span[1])
    if end < today and name.startswith(("месяц", "month")) and not which:
        return _month_part_next(part, _add_months(first_day, 1))
    return (max(start, today), end) if end >= today else None


def _month_part_next(part: str, first_day: date) -> DateSpan:
    last_day = _add_months(first_day, 1) - timedelta(1)
    span = {"start": (1, 10), "middle": (11, 20), "end": (21, last_day.day)}[part]
    return first_day.replace(day=span[0]), first_day.replace(day=span[1])


def _day_list(m: re.Match[str], today: date) -> DateSpan | None:
    month = _month(m["m"] or m["m2"])
    numbers = re.findall(r"\d{1,2}", m["days"] or m["days2"])
    days = [_next_dm(int(d), month, None, today) for d in numbers]
    found = [d for d in days if d is not None]
    return (min(found), max(found)) if found else None


def _number(word: str | None) -> int:
    if word is None:
        return 1
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word, 1)


def _single_dates(text: str, ctx: _Ctx) -> Iterator[tuple[int, int, date | None]]:
    """Every single-day mention: (start, end, day); a None day is a recognised non-wish.
    Weekday names come last, in `_weekday_dates`, since a week named nearby moves them."""
    today = ctx.today
    for m in _DAY_MONTH.finditer(text):
        y = m.group("y")
        yield (
            m.start(),
            m.end(),
            _next_dm(int(m["d"]), _month(m["m"]), int(y) if y else None, today),
        )
    for m in _MONTH_DAY.finditer(text):
        y = m.group("y")
        yield (
            m.start(),
            m.end(),
            _next_dm(int(m["d"]), _month(m["m"]), int(y) if y else None, today),
        )
    for m in _NUMERIC.finditer(text):
        if (found := _numeric(m, ctx)) is not None:  # else a time ("14.30") or a measurement
            yield m.start(), m.end(), found
    for m in _DAY_ONLY.finditer(text):
        day = int(m["d"] or m["d2"] or m["d3"] or m["d4"])
        yield m.start(), m.end(), _next_day_of_month(day, today)
    for m in _RELATIVE.finditer(text):
        word = m["w"]
        if word == "сейчас" and not (
            _NOW_ASKED_BEFORE.search(text[max(0, m.start() - 20) : m.start()])
            or _NOW_ASKED_AFTER.match(text, m.end())
        ):
            continue  # "сейчас температура 38" tells how things are, "можно сейчас?" asks
        shift = (
            2 if word.startswith(("после", "day")) else 1 if word in ("завтра", "tomorrow") else 0
        )
        yield m.start(), m.end(), today + timedelta(shift)
    for m in _IN_N.finditer(text):
        n = _number(m["n"] or m["n2"] or m["n3"])
        unit = m["u"] or m["u2"] or m["u3"]
        if unit.startswith(("мес", "month")):
            yield m.start(), m.end(), _add_months(today, n)
        else:
            days = 7 * n if unit.startswith(("нед", "week")) else n
            yield m.start(), m.end(), today + timedelta(days)
    yield from _weekday_dates(text, today, None)


_AMBIGUOUS_WEEKDAYS = frozenset({"sat", "sun", "wed", "mon"})
_WEEKDAY_CUE = re.compile(
    r"(?:\bon|\bby|\btill|\buntil|\bbefore|\bafter|\bfrom|\bor|\band|\bthan|,|/|-|–"
    r"|\bcome(?:\s+in)?|\bbook(?:\s+(?:me|us|him|her))?(?:\s+in)?|\bsee\s+(?:me|us|you)"
    r"|\bvisit|\bavailable|\bfree|\bhow\s+about|\bwhat\s+about|\bany\s*time"
    r"|\bis|\bnext|\bthis|\bcoming|\bslot|\bappointment)\s*$"
)
# "Mon at 9", "wed afternoon", "Sat?" - a short name a time, a question or a request follows
_WEEKDAY_AFTER = re.compile(
    r"\.?\s*(?:at\s+\d|\d{1,2}(?::\d\d)?\s*(?:am|pm)|morning|afternoon|evening|am\b|pm\b"
    r"|\?|please|pls|ok\b|okay\b|works?\b|would\b|if\b|possible|$)"
)
# ... unless it is the verb or the sun: "I sat", "we'd", "in the sun", "too much sun"
_WEEKDAY_NOT = re.compile(
    r"(?:\b(?:i|we|he|she|they|you|who|just|had|have|has|was|been|the|a|much|some|of|in|hot"
    r"|bright|got|get|to)\s*$)"
)
# "sat or sun", "sat/sun": a short name is a day when another day is its alternative
_WEEKDAY_NEXT = re.compile(rf"\s*(?:or|and|или|,|/|-|–)\s*(?:{WEEKDAY})\b")
# "с понедельника по пятницу", "monday through friday", "mon-fri", "пн-пт"
_WEEKDAY_RANGE = re.compile(
    rf"(?:\b(?:с|со|from|between)\s+)?\b(?P<a>{WEEKDAY})\b\s*"
    rf"(?:-|–|—|\bпо|\bдо|\bto|\bthrough|\btill|\buntil|\band)\s*\b(?P<b>{WEEKDAY})\b"
)


def _weekday_range(m: re.Match[str], today: date) -> DateSpan:
    """From the first day's next occurrence to the second day after it."""
    first, last = _weekday(m["a"]), _weekday(m["b"])
    start = today + timedelta((first - today.weekday() - 1) % 7 + 1)
    return start, start + timedelta((last - first) % 7)


def _weekday_dates(
    text: str, today: date, week: DateSpan | None
) -> Iterator[tuple[int, int, date | None]]:
    """Weekday mentions; inside a named week ("на следующей неделе во вторник") they fall
    in that week, otherwise on their next occurrence after today."""
    for m in _WEEKDAY_RE.finditer(text):
        wd = _weekday(m["wd"])
        pre = m["pre"] or ""
        if m["wd"] in _AMBIGUOUS_WEEKDAYS and not pre:
            before = text[max(0, m.start() - 16) : m.start()]
            cued = _WEEKDAY_CUE.search(before) or _WEEKDAY_NEXT.match(text, m.end())
            if not cued and (
                _WEEKDAY_NOT.search(before) or not _WEEKDAY_AFTER.match(text, m.end())
            ):
                continue  # "I sat down", "too much sun": not a day
        if week is not None and week[0] is not None:
            found = week[0] + timedelta((wd - week[0].weekday()) % 7)
        elif pre.startswith(("следующ", "next", "будущ")):
            # "в следующий вторник": the Tuesday of next week (Monday..Sunday)
            found = _week_start(today) + timedelta(7 + wd)
        elif pre.startswith(("эт", "this", "coming", "ближайш")):
            found = today + timedelta((wd - today.weekday()) % 7)  # "в эту среду" said on one
        else:
            found = today + timedelta((wd - today.weekday() - 1) % 7 + 1)
        yield m.start(), m.end(), found


def _numeric(m: re.Match[str], ctx: _Ctx) -> date | None:
    first, second, sep = int(m["d"]), int(m["m"]), m["sep"]
    year = int(m["y"]) if m["y"] else None
    if sep == "." and len(m["m"]) != 2:
        return None  # "7.5" is a sugar level, "10.12" is a date
    if sep == "/" and ctx.english:
        # English slashes are month/day unless that is impossible or already past
        us = _next_dm(second, first, year, ctx.today) if first <= 12 else None
        if us is not None and (year is not None or us.year == ctx.today.year or second > 12):
            return us
    found = _next_dm(first, second, year, ctx.today)
    if found is None and sep == "/" and first <= 12:
        found = _next_dm(second, first, year, ctx.today)  # "6/25" can only be June 25
    return found


def _dates(text: str, ctx: _Ctx) -> tuple[list[DateSpan], str, bool]:
    spans: list[DateSpan] = []
    today = ctx.today
    for pattern in _DATE_RANGES:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            months = [groups.get("m1"), groups.get("m2")]
            first = last = None
            if any(months):
                m2 = _month(months[1] or months[0] or "")
                m1 = _month(months[0]) if months[0] else m2
                first, last = _month_range(int(m["d1"]), m1, int(m["d2"]), m2, today)
            elif groups["sep"] == "по" or groups.get("o1") or groups.get("o2"):
                # "с 8 по 12", "from the 3rd to the 5th": days of this or the next month
                first = _next_day_of_month(int(m["d1"]), today)
                last = _next_dm(int(m["d2"]), first.month, None, first) if first else None
            # otherwise "с 9 до 11" is a time range
            if first and last and last >= first:
                spans.append((first, last))
                text = _blank(text, m.start(), m.end())
    for m in _WEEKDAY_RANGE.finditer(text):
        spans.append(_weekday_range(m, today))
        text = _blank(text, m.start(), m.end())
    for m in _DAY_LIST.finditer(text):
        if _MONTH_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            continue  # "december 6th or 19 october": two dates, not a list of October's
        if (listed := _day_list(m, today)) is not None:
            spans.append(listed)
            text = _blank(text, m.start(), m.end())
    for pattern, read in (
        (_WEEK_PART, _week_part),
        (_MONTH_PART, _month_part),
    ):
        for m in pattern.finditer(text):
            part = read(m, today)
            if part is None:
                continue
            if _DEADLINE_BEFORE.search(text[max(0, m.start() - 20) : m.start()]):
                part = (today, part[1])  # "до конца недели", "by the end of the month"
            spans.append(part)
            text = _blank(text, m.start(), m.end())
    for m in _WITHIN.finditer(text):
        unit = m["u"]
        if m["n"] is None and unit.startswith(("дн", "day")):
            continue  # "в ближайшие дни" is "as soon as possible", read below
        days = _number(m["n"]) * (7 if unit.startswith(("нед", "week")) else 1)
        spans.append((today, today + timedelta(days)))
        text = _blank(text, m.start(), m.end())
    asap = False
    week: DateSpan | None = None
    for pattern, kind in _PERIODS:
        for m in pattern.finditer(text):
            text = _blank(text, m.start(), m.end())
            if kind == "asap":
                asap = True
            elif kind in ("next_week", "this_week") and week is None:
                week = _period(kind, today)
            else:
                spans.append(_period(kind, today))
    if week is not None:
        # A weekday inside the named week is the more precise wish; alone, the whole week.
        weekdays = list(_weekday_dates(text, today, week))
        for start, end, _ in weekdays:
            text = _blank(text, start, end)
        spans.extend((day, day) for _, _, day in weekdays if day is not None)
        if not weekdays:
            spans.append(week)
    found = sorted(_single_dates(text, ctx), key=lambda x: (x[0], -x[1]))
    taken_until = -1
    for start, end, day in found:
        if start < taken_until:
            continue  # overlapped by a longer mention ("15 декабря" over "15")
        taken_until = end
        text = _blank(text, start, end)
        if day is None:
            continue
        before = text[max(0, start - 20) : start]
        if _WEEK_OF_BEFORE.search(before):
            monday = _week_start(day)
            spans.append((max(today, monday), monday + timedelta(6)))
        elif _WEEK_FROM_BEFORE.search(before):
            spans.append((day, day + timedelta(6)))
        elif _WAIT_BEFORE.search(before):
            spans.append((day, day))  # "can it wait till Saturday?": the visit on Saturday
        elif _DEADLINE_BEFORE.search(before) or _LATEST_AFTER.search(text[end : end + 25]):
            spans.append((today, day))
        elif _STRICT_BEFORE.search(before):
            spans.append((today, day - timedelta(1)))
        elif _AFTER_BEFORE.search(before):
            spans.append((day + timedelta(1), None))
        elif _NOT_EARLIER_BEFORE.search(before):
            spans.append((day, None))
        elif _FROM_BEFORE.search(before):
            if ctx.booking and not before.rstrip().endswith("since"):
                spans.append((day, None))  # "можно с понедельника" - from then on
        else:
            spans.append((day, day))
    for m in _MONTH_ALONE.finditer(text):
        first_day = _next_dm(1, _month(m["m"]), None, today.replace(day=1))
        if first_day is not None:
            last_day = _add_months(first_day, 1) - timedelta(1)
            spans.append((max(first_day, today), last_day))
            text = _blank(text, m.start(), m.end())
    return spans, text, asap


# --- times ------------------------------------------------------------------------------

_T = (
    r"(?P<h{i}>\d{{1,2}})(?:[:.](?P<mi{i}>\d{{2}}))?(?:\s*(?P<ap{i}>a\.?m\.?|p\.?m\.?))?"
    r"(?:\s*час\w*)?(?:\s*(?P<part{i}>утра|вечера|дня|ночи)\b)?"
)
_UNITS = (
    r"(?!\s*(?:раз|год|лет|мес|недел|дн|день|сут|мин|%|кг|мг|мл|см|мм|таб|класс|этаж|каб|year"
    r"|day|week|month|time|min|kg|mg|ml|percent|°|градус|\d|[./]\d))"
)
_TIME_RANGE = re.compile(
    rf"(?:\bс|\bсо|\bfrom|\bbetween|\bмежду)\s+{_T.format(i=1)}\s*(?:до|по|to|and|till|until|-|–)"
    rf"\s*{_T.format(i=2)}{_UNITS}"
    rf"|(?<![\d.:])(?P<h3>\d{{1,2}})(?::(?P<mi3>\d{{2}}))?(?:\s*(?P<ap3>a\.?m\.?|p\.?m\.?))?\s*[-–]"
    rf"\s*(?P<h4>\d{{1,2}})(?::(?P<mi4>\d{{2}}))?(?:\s*(?P<ap4>a\.?m\.?|p\.?m\.?))?"
    rf"{_UNITS}(?!\s*(?:-?го|числа|{MONTH}))"
)
_TIME_AFTER = re.compile(
    rf"(?:\bпосле|\bafter|не\s+раньше|не\s+ранее|(?<!не\s)\bпозже|(?<!no\s)(?<!not\s)later\s+than"
    rf"|no\s+earlier\s+than|not\s+before"
    rf"|not\s+earlier\s+than|\bfrom|\bс|\bсо|\bstarting(?:\s+at|\s+from)?)\s+{_T.format(i=1)}{_UNITS}"
)
_TIME_BEFORE = re.compile(
    rf"(?:(?<!не\s)\bдо|(?<!not\s)\bbefore|не\s+позже|не\s+позднее|no\s+later\s+than"
    rf"|not\s+later\s+than|\bby"
    rf"|\buntil|\btill)\s+{_T.format(i=1)}{_UNITS}"
)
_TIME_EXACT = re.compile(
    rf"(?:\bв|\bво|\bat|\bна|\bк|\bоколо|\baround|\babout|\bчасик\w*\s+в|\bчасов\s+в"
    rf"|\bв\s+районе|\bв\s+пределах)\s+"
    rf"{_T.format(i=1)}{_UNITS}"
    r"|(?<![\d.:])(?P<h3>\d{1,2})(?::(?P<mi3>\d{2}))?\s*(?P<ap3>a\.?m\.?|p\.?m\.?)(?!\w)"
    r"|(?<![\d.:])(?P<h2>\d{1,2}):(?P<mi2>\d{2})(?!\d)"
)
_NOON = re.compile(r"\b(?:в\s+)?полдень\b|\bat\s+noon\b|(?<!before\s)\bnoon\b")
# Parts of the day. "После обеда" / "after lunch" is read as 13:00-17:00, not 12:00: lunch
# in Russian offices and clinics is 12-13 or 13-14, so a patient who says it means "once
# lunch is over" and is not offered noon; "днём" and "afternoon" (after noon) keep 12:00.
# "В обед" / "lunchtime" is the lunch hours themselves, 12:00-14:00.
_PARTS: tuple[tuple[re.Pattern[str], TimeSpan], ...] = (
    (re.compile(r"\bдо\s+обеда\b|\bдо\s+полудня\b|\bпервой\s+половин\w*\s+дня|\bbefore\s+(?:noon|lunch)"
                r"|(?<!с\s)\bутр(?:ом|о|а|ечком)\b|\bmornings?\b"), (time(8), time(12))),
    (re.compile(r"\bпосле\s+обеда\b|\bafter\s+lunch\b"), (time(13), time(17))),
    (re.compile(r"\bв\s+обед\b|\bобеденн\w+\s+врем\w+|\blunch\s*time\b|\bat\s+lunch\b"
                r"|\b(?:в\s+районе|около)\s+обеда\b|\baround\s+lunch\b"),
     (time(12), time(14))),
    (re.compile(r"\bвторой\s+половин\w*\s+дня|\bсередин\w+\s+дня\b|\bдн[её]м\b|\bafternoon\b"
                r"|\bmidday\b"), (time(12), time(17))),
    (re.compile(r"\bвечер\w*|\bпосле\s+работы\b|\bevenings?\b|\bafter\s+work\b|\btonight\b"),
     (time(17), time(21))),
)  # fmt: skip


def _hour(h: str, mi: str | None, ap: str | None, part: str | None) -> time | None:
    hour, minute = int(h), int(mi) if mi else 0
    if hour > 23 or minute > 59:
        return None
    if ap and ap.startswith("p") and hour < 12:
        hour += 12
    elif ap and ap.startswith("a") and hour == 12:
        hour = 0
    elif part in ("вечера", "дня") and hour < 12:
        hour += 12
    elif not ap and not part and 1 <= hour <= 7:
        hour += 12  # "часика в 4": the clinic is closed at 4 a.m.
    return time(hour, minute)


def _t(m: re.Match[str], i: int) -> time | None:
    return _hour(
        m[f"h{i}"], m[f"mi{i}"], m.groupdict().get(f"ap{i}"), m.groupdict().get(f"part{i}")
    )


# Kinds of time a patient names: a clock time or a range of them, an open bound ("after 3",
# "до 10") and a part of the day ("утром"). They combine in `_merge_times`.
POINT, BOUND, PART = "point", "bound", "part"
Timed = tuple[str, TimeSpan]


def _times(text: str, dated: bool) -> list[Timed]:
    spans: list[Timed] = []

    def take(
        pattern: re.Pattern[str], read: Callable[[re.Match[str]], TimeSpan | None], kind: str
    ) -> None:
        nonlocal text
        for m in pattern.finditer(text):
            span = read(m)
            if span is not None:
                spans.append((kind, span))
                text = _blank(text, m.start(), m.end())

    def read_range(m: re.Match[str]) -> TimeSpan | None:
        if m["h3"]:
            a, b = _t(m, 3), _t(m, 4)
            if a and b and not m["ap3"] and m["ap4"] and a.hour < 12 and a.hour + 12 <= b.hour:
                a = a.replace(hour=a.hour + 12)  # "8-10pm" is 20:00-22:00
            return (a, b) if a and b and a <= b else None
        a, b = _t(m, 1), _t(m, 2)
        if a and b and b < a and b.hour + 12 <= 23:
            b = b.replace(hour=b.hour + 12)  # "с 10 до 2" means until 14:00
        return (a, b) if a and b and a <= b else None

    def read_exact(m: re.Match[str]) -> TimeSpan | None:
        for i in (1, 2, 3):
            if m.groupdict().get(f"h{i}"):
                found = _hour(m[f"h{i}"], m[f"mi{i}"], m.groupdict().get(f"ap{i}"),
                              m.groupdict().get(f"part{i}"))  # fmt: skip
                return (found, found) if found else None
        return None

    take(_TIME_RANGE, read_range, POINT)
    take(_TIME_AFTER, lambda m: (t, None) if (t := _t(m, 1)) else None, BOUND)
    take(_TIME_BEFORE, lambda m: (None, t) if (t := _t(m, 1)) else None, BOUND)
    take(_TIME_EXACT, read_exact, POINT)
    take(_NOON, lambda m: (time(12), time(12)), POINT)
    for pattern, part in _PARTS:
        for m in pattern.finditer(text):
            spans.append((PART, part))
            text = _blank(text, m.start(), m.end())
    # "с утра" is "in the morning" after a date ("завтра с утра"), else "since the morning"
    if dated and re.search(r"\bс\s+утра\b", text):
        spans.append((PART, (time(8), time(12))))
    return spans


# --- the window -------------------------------------------------------------------------


def _merge_dates(spans: list[DateSpan]) -> DateSpan:
    froms = [a for a, _ in spans]
    tos = [b for _, b in spans]
    start = None if any(a is None for a in froms) else min(a for a in froms if a is not None)
    end = None if any(b is None for b in tos) else max(b for b in tos if b is not None)
    return start, end


def _union(spans: list[TimeSpan]) -> TimeSpan:
    froms = [a for a, _ in spans]
    tos = [b for _, b in spans]
    start = None if any(a is None for a in froms) else min(a for a in froms if a is not None)
    end = None if any(b is None for b in tos) else max(b for b in tos if b is not None)
    return start, end


def _within(inner: TimeSpan, outer: TimeSpan) -> bool:
    return (
        inner[0] is not None
        and inner[1] is not None
        and (outer[0] is None or outer[0] <= inner[0])
        and (outer[1] is None or inner[1] <= outer[1])
    )


def _merge_times(spans: list[Timed]) -> TimeSpan:
    """One window from the times named. Alternatives widen it ("утром или вечером"); a
    clock time inside a part of the day is that time ("вечером в 7" is 19:00); an open
    bound narrows what it bounds ("утром до 10" is 08:00-10:00, "in the evening after 7"
    19:00-21:00, "после 3, но до 6" 15:00-18:00). Bounds that leave nothing are read as
    alternatives, as before."""
    parts = [span for kind, span in spans if kind == PART]
    points = [span for kind, span in spans if kind == POINT]
    bounds = [span for kind, span in spans if kind == BOUND]
    base: TimeSpan | None = None
    if parts and points:
        # every time in some part, and every part holding a time: "утром в 9", not "утром
        # в 9 или вечером"
        nested = all(any(_within(p, part) for part in parts) for p in points) and all(
            any(_within(p, part) for p in points) for part in parts
        )
        base = _union(points) if nested else _union(parts + points)
    elif parts or points:
        base = _union(parts + points)
    if not bounds:
        return base if base is not None else (None, None)
    low = max((a for a, _ in bounds if a is not None), default=None)
    high = min((b for _, b in bounds if b is not None), default=None)
    if base is not None:
        low = base[0] if low is None or (base[0] is not None and base[0] > low) else low
        high = base[1] if high is None or (base[1] is not None and base[1] < high) else high
    if low is not None and high is not None and low >= high:
        return _union([span for _, span in spans])
    return low, high


def _english(text: str) -> bool:
    latin = sum("a" <= c <= "z" for c in text)
    return latin > sum("а" <= c <= "я" for c in text)


def asks_to_book(text: str) -> bool:
    """True when the message asks for a visit in so many words ("запишите", "can I come")."""
    return bool(_BOOKING.search(clean(text)))


# Words that ask for a visit itself: "хочу", "please" or "можно" alone may belong to "хочу
# умереть", "please help".
_VISIT = re.compile(
    r"\b(?:запис|запиш|при[её]м|талон|визит|консультац|book|appointment|slot|visit|check\s*up"
    r"|come\s+in|see\s+(?:a|the|my)\s+(?:doctor|gp|specialist))"
    r"|\bк\s+(?:врачу|доктору|\w*логу|терапевту|педиатру|лору|окулисту|хирургу|ортопеду"
    r"|стоматологу|психиатру|психотерапевту)\b"
)


def asks_for_visit(text: str) -> bool:
    """True when the message asks for an appointment, not merely for help or for anything."""
    return bool(_VISIT.search(clean(text)))


def parse_when(text: str, now: datetime, tz: ZoneInfo | str) -> WhenWindow | None:
    """The date and time window the patient wishes, or None when none is stated.

    Relative words are read against `now` in the clinic zone `tz`; a time with no date
    leaves the dates empty. Symptom times ("по утрам немеют пальцы") are ignored.
    """
    return parse_canonical_when(canonical(text), now, tz)


# A weekday named with its date, before or after it: the date alone is read.
_DAY_OF_MONTH_AHEAD = (
    rf"(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th|\s*-?(?:го|е)\b|\s+(?:of\s+)?(?:{MONTH})\b|[./]\d)"
    rf"|(?:{MONTH})\b\.?\s*(?:the\s+)?\d{{1,2}}(?!\s*[:.]\d|\s*(?:am|pm|час))"
)
_WEEKDAY_OF_DATE = re.compile(
    rf"\b(?P<wd1>{WEEKDAY})\b\.?,?\s*(?:the\s+)?(?=(?:,\s*)?(?:{_DAY_OF_MONTH_AHEAD}))"
    rf"|\b(?:{MONTH})\b\.?\s*\d{{1,2}}(?:st|nd|rd|th)?,?\s*(?:on\s+|a\s+)?\b(?P<wd3>{WEEKDAY})\b"
    rf"|\b\d{{1,2}}(?:(?:st|nd|rd|th|\s*-?(?:го|е)\b)(?:\s+(?:of\s+)?(?:{MONTH})\b\.?)?"
    rf"|\s+(?:of\s+)?(?:{MONTH})\b\.?|[./]\d{{1,2}}(?:[./]\d{{2,4}})?),?\s*"
    rf"(?:в\s+|во\s+|on\s+|a\s+)?\b(?P<wd2>{WEEKDAY})\b"
)
# Someone's day, not a wish: "он в садике до 4", "I work until 6", "в школе до трёх".
_SCHEDULE = re.compile(
    r"\b(?:в\s+(?:садик\w*|саду|школе|институте|универе|офисе)|на\s+(?:работе|смене|учебе)"
    r"|работа\w*|учится|учусь|at\s+(?:work|school|nursery|daycare|the\s+office)"
    r"|work(?:ing|s)?|in\s+(?:school|class))\s+(?:\w+\s+)?(?:до|until|till|til)\s+\d{1,2}"
    r"(?::\d\d)?(?:\s*(?:am|pm))?"
)

# Spoken approximations the grammar reads as a part of the day.
_NEAR_PARTS = (
    (re.compile(r"\bближе\s+к\s+вечеру\b|\bпод\s+вечер\b"), "вечером"),
    (re.compile(r"\b(?:ближе\s+)?к\s+обеду\b"), "до обеда"),
    (re.compile(r"\bс\s+утра\s+пораньше\b|\bпораньше\s+утром\b"), "утром"),
    (re.compile(r"\btonight\b"), "today evening"),
    # "this afternoon", "this evening" name today as well as the time
    (re.compile(r"(?<!since\s)\bthis\s+(afternoon|evening)\b"), r"today \1"),
)


# "This morning" is over by the time most people write: "woke up this morning with", "still
# gritty this morning", "since this morning" tell the symptom, as "с утра" does. It is a wish
# only when asked for: "can I come in this morning?", "any slot this morning".
_MORNING_ASKED = re.compile(
    r"(?:\bcome(?:\s+in|\s+over|\s+by)?|\bsee\s+(?:me|us|him|her|someone|a\s+\w+|the\s+\w+)"
    r"|\bfit\s+(?:me|us|him|her)\s+in|\bsqueeze\s+(?:me|us|him|her)\s+in|\bappointments?"
    r"|\bslots?|\bspots?|\bbook(?:\s+(?:me|us|him|her))?(?:\s+in)?|\bvisit|\bavailable|\bfree"
    r"|\bopenings?|\bpossible|\bavailability)\s+(?:\w+\s+){0,2}?this\s+morning\b"
    r"|\bthis\s+morning\s*(?:\?|please|pls|if\s+possible|possible|ok|okay|is\s+fine)"
)
_THIS_MORNING = re.compile(r"\bthis\s+morning\b")


def _this_morning(text: str) -> str:
    """ "This morning" asked for is today's morning; told, it is read and left out."""
    asked = [m.span() for m in _MORNING_ASKED.finditer(text)]

    def read(m: re.Match[str]) -> str:
        if any(a <= m.start() < b for a, b in asked):
            return "today morning"
        return _READ * len(m.group())

    return _THIS_MORNING.sub(read, text)


def parse_canonical_when(text: str, now: datetime, tz: ZoneInfo | str) -> WhenWindow | None:
    """`parse_when` for text already passed through `spelling.canonical`."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    local = now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)
    text = _GREETING.sub(" ", clean(text[: MAX_CHARS * 2]))
    text = spell_out(_MONTH_DOT.sub(r"\1", text))
    for pattern, replacement in _NEAR_PARTS:
        text = pattern.sub(replacement, text)
    text = read_plural_parts(text)
    # "в четверг 10 декабря", "Thursday the 10th": the date says which Thursday
    for m in _WEEKDAY_OF_DATE.finditer(text):
        start, end = m.span(next(g for g in ("wd1", "wd2", "wd3") if m[g]))
        text = text[:start] + " " * (end - start) + text[end:]
    text = _SCHEDULE.sub(lambda m: _READ * len(m.group()), text)
    text = _this_morning(text)
    english = _english(text)
    date_spans: list[DateSpan] = []
    clause_texts: list[str] = []
    asap = False
    parts = [part for clause in _CLAUSE.split(text) for part in _wish_parts(clause)]
    for clause in parts:
        if not clause.strip():
            continue
        clause = _HABITUAL.sub(lambda m: _READ * len(m.group()), clause)
        ctx = _Ctx(local.date(), english, bool(_BOOKING.search(clause)))
        found, rest, said_asap = _dates(clause, ctx)
        date_spans += found
        asap = asap or said_asap
        clause_texts.append(rest)
    if asap and not date_spans:
        # "срочно, можно сегодня?": a named day is more precise than "as soon as possible"
        date_spans.append(_period("asap", local.date()))
    time_spans = [span for rest in clause_texts for span in _times(rest, bool(date_spans))]
    if not date_spans and not time_spans:
        return None
    date_from, date_to = _merge_dates(date_spans) if date_spans else (None, None)
    time_from, time_to = _merge_times(time_spans) if time_spans else (None, None)
    return WhenWindow(date_from, date_to, time_from, time_to)
