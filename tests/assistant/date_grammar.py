"""A generator of wished dates and times, and an oracle that knows what each one means.

Each part is drawn with its meaning (a day, a week, a range of days, a time of day) and
spelt the ways patients spell it; parts are composed into a sentence. The expected window
is computed here from the meanings with plain calendar arithmetic, never by calling the
parser, so the test checks the parser against an independent reading of the conventions:

- a weekday alone is its next occurrence after today; "this" X is the coming one (today
  if today is X); "next" X is X of next week (Monday to Sunday); abbreviated ("Thurs.",
  "wed", "чт") the same;
- a weekday with a day of the month ("Thursday the 11th", "Fri, Dec 12", "в чт 11-го") is
  that date, even when the two disagree;
- "on the weekend", "over the weekend", "on weekends" are the coming Saturday..Sunday;
- a day and month without a year is their next occurrence from today; a day of the month
  alone is the next such day (this month or the next);
- "this week" is today..Sunday, "next week" Monday..Sunday, "the weekend" the coming
  Saturday..Sunday; "as soon as possible" today..today+2; "not later than X" today..X;
- start/middle/end of a week are Monday-Wednesday, Tuesday-Thursday, Friday-Sunday;
- "X or Y" is one window spanning both;
- morning 08-12, afternoon 12-17 but after lunch 13-17 (lunch ends at 13 at the earliest),
  evening 17-21, also in the plural when asked for ("afternoons only", "только по утрам",
  "evenings are best"); "after N" leaves the end open, "before N" the start; hours 1-7
  without am/pm are afternoon hours (the clinic is closed at night).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

DateWindow = tuple[date | None, date | None]
TimeWindow = tuple[time | None, time | None]

RU_WEEKDAYS_ACC = ("понедельник", "вторник", "среду", "четверг", "пятницу", "субботу",
                   "воскресенье")  # fmt: skip
RU_NEXT = ("следующий", "следующий", "следующую", "следующий", "следующую", "следующую",
           "следующее")  # fmt: skip
RU_THIS = ("этот", "этот", "эту", "этот", "эту", "эту", "это")
EN_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EN_WEEKDAY_SHORT = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Abbreviations as people type them, with or without a dot, in any case
EN_WEEKDAY_ABBR = (("mon",), ("tue", "tues"), ("wed", "weds"), ("thu", "thur", "thurs"), ("fri",),
                   ("sat",), ("sun",))  # fmt: skip
RU_WEEKDAY_ABBR = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
RU_MONTHS_GEN = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                 "сентября", "октября", "ноября", "декабря")  # fmt: skip
RU_MONTHS_SHORT = ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя",
                   "дек")  # fmt: skip
EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
             "september", "october", "november", "december")  # fmt: skip
RU_ORDINAL_GEN = {1: "первого", 2: "второго", 3: "третьего", 5: "пятого", 7: "седьмого",
                  10: "десятого", 12: "двенадцатого", 15: "пятнадцатого", 20: "двадцатого",
                  25: "двадцать пятого"}  # fmt: skip
EN_ORDINAL = {1: "first", 2: "second", 3: "third", 5: "fifth", 10: "tenth", 12: "twelfth",
              15: "fifteenth", 20: "twentieth", 21: "twenty-first"}  # fmt: skip
# "пол-десятого" is 9:30: the ordinal names the hour being entered
RU_HOUR_ORD = {10: "десятого", 11: "одиннадцатого", 12: "двенадцатого", 13: "первого",
               14: "второго", 15: "третьего", 16: "четвертого", 17: "пятого", 18: "шестого",
               19: "седьмого"}  # fmt: skip
RU_HOUR_CARD = {13: "час", 14: "два", 15: "три", 16: "четыре", 17: "пять", 18: "шесть",
                19: "семь", 9: "девять", 10: "десять", 11: "одиннадцать",
                12: "двенадцать"}  # fmt: skip
EN_CARD = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
           8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}  # fmt: skip


@dataclass(frozen=True)
class Part:
    text: str
    dates: DateWindow | None = None
    times: TimeWindow | None = None


# --- the oracle: calendar arithmetic from the conventions above --------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def next_weekday(today: date, weekday: int) -> date:
    ahead = (weekday - today.weekday()) % 7
    return today + timedelta(days=ahead or 7)


def coming_weekday(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def next_week_weekday(today: date, weekday: int) -> date:
    return monday_of(today) + timedelta(days=7 + weekday)


def next_day_month(today: date, day: int, month: int) -> date:
    for year in (today.year, today.year + 1):
        candidate = date(year, month, day)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable")


def next_day_of_month(today: date, day: int) -> date:
    if day >= today.day:
        return today.replace(day=day)
    first_next = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_next.replace(day=day)


def weekend(today: date) -> DateWindow:
    if today.weekday() == 6:
        return today, today
    saturday = coming_weekday(today, 5)
    return saturday, saturday + timedelta(days=1)


# --- date parts ---------------------------------------------------------------------------


def relative_day(rnd: random.Random, today: date, lang: str) -> Part:
    shift = rnd.choice((0, 1, 2))
    words = {
        "ru": (
            ("сегодня", "седня", "сегодня же"),
            ("завтра", "завтро", "зафтра", "на завтра"),
            ("послезавтра", "послезавтро", "на послезавтра"),
        ),
        "en": (("today", "2day", "later today"), ("tomorrow", "tmrw", "2moro", "tommorow"),
               ("the day after tomorrow", "day after tomorrow")),
    }[lang]  # fmt: skip
    day = today + timedelta(days=shift)
    return Part(rnd.choice(words[shift]), (day, day))


def weekday(rnd: random.Random, today: date, lang: str) -> Part:
    wd = rnd.randrange(7)
    mode = rnd.choice(("plain", "this", "next"))
    if mode == "next":
        day = next_week_weekday(today, wd)
    elif mode == "this":
        day = coming_weekday(today, wd)
    else:
        day = next_weekday(today, wd)
    if lang == "ru":
        prep = "во" if wd == 1 and mode == "plain" else "в"
        word = RU_WEEKDAYS_ACC[wd]
        if mode == "plain" and rnd.random() < 0.25:
            prep, word = "в", rnd.choice((RU_WEEKDAY_ABBR[wd], RU_WEEKDAY_ABBR[wd].upper()))
        text = {
            "plain": f"{prep} {word}",
            "this": f"{prep} {RU_THIS[wd]} {word}",
            "next": f"{prep} {RU_NEXT[wd]} {word}",
        }[mode]
    else:
        word = rnd.choice((EN_WEEKDAYS[wd], EN_WEEKDAYS[wd].capitalize()))
        if rnd.random() < 0.3:
            word = EN_WEEKDAY_SHORT[wd]
        elif rnd.random() < 0.3:
            word = abbreviated(rnd, wd)
        text = {"plain": f"on {word}", "this": f"this {word}", "next": f"next {word}"}[mode]
    return Part(text, (day, day))


def abbreviated(rnd: random.Random, wd: int) -> str:
    """ "Thurs.", "WED", "tue": a short English name in any case, with or without a dot."""
    word = rnd.choice(EN_WEEKDAY_ABBR[wd])
    word = rnd.choice((word, word.capitalize(), word.upper()))
    return word + rnd.choice(("", "."))


def weekday_with_date(rnd: random.Random, today: date, lang: str) -> Part:
    """A weekday named with its date: the date decides, even when the weekday disagrees."""
    target = today + timedelta(days=rnd.randrange(1, 40))
    wd = target.weekday() if rnd.random() < 0.8 else rnd.randrange(7)
    day = target.day
    if lang == "ru":
        name = rnd.choice((RU_WEEKDAYS_ACC[wd], RU_WEEKDAY_ABBR[wd]))
        month = RU_MONTHS_GEN[target.month - 1]
        text = rnd.choice((f"в {name} {day}-го", f"в {name}, {day} {month}",
                           f"{day} {month}, в {name}"))  # fmt: skip
        if target.month != today.month and text.endswith("-го"):
            text = f"в {name} {day} {month}"
    else:
        name = rnd.choice((EN_WEEKDAYS[wd].capitalize(), abbreviated(rnd, wd)))
        month = EN_MONTHS[target.month - 1]
        suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(day, "th")
        forms = [f"{name} {day} {month[:3].capitalize()}", f"{name}, {month.capitalize()} {day}",
                 f"on {name}, {month} {day}", f"{name} {day}{suffix} {month}"]  # fmt: skip
        if target.month == today.month:
            forms.append(f"{name} the {day}{suffix}")
        text = rnd.choice(forms)
    return Part(text, (target, target))


def day_month(rnd: random.Random, today: date, lang: str) -> Part:
    month = rnd.randrange(1, 13)
    day = rnd.randrange(1, 29)
    target = next_day_month(today, day, month)
    if lang == "ru":
        forms = [
            f"{day} {RU_MONTHS_GEN[month - 1]}",
            f"на {day} {RU_MONTHS_GEN[month - 1]}",
            f"{day}-го {RU_MONTHS_GEN[month - 1]}",
            f"{day} {RU_MONTHS_SHORT[month - 1]}",
            f"{day} {RU_MONTHS_SHORT[month - 1]}.",
            f"{day:02d}.{month:02d}",
            f"{day}.{month:02d}",
            f"{day}/{month:02d}",
        ]
        if day in RU_ORDINAL_GEN:
            forms.append(f"{RU_ORDINAL_GEN[day]} {RU_MONTHS_GEN[month - 1]}")
    else:
        name = EN_MONTHS[month - 1]
        short = name[:3]
        forms = [
            f"{name} {day}",
            f"{short} {day}",
            f"{day} {name}",
            f"the {day}th of {name}" if day > 3 else f"{name} {day}",
            f"{name} {day}th" if day > 3 else f"{short}. {day}",
            f"on {day}.{month:02d}",
        ]
        if day > 12:
            forms.append(f"{month}/{day}")
        if day in EN_ORDINAL:
            forms.append(f"the {EN_ORDINAL[day]} of {name}")
    return Part(rnd.choice(forms), (target, target))


def day_of_month(rnd: random.Random, today: date, lang: str) -> Part:
    day = rnd.randrange(1, 29)
    target = next_day_of_month(today, day)
    if lang == "ru":
        text = rnd.choice((f"на {day}-е", f"{day}-го", f"{day} числа", f"на {day}-е число"))
    else:
        suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(day, "th")
        text = rnd.choice((f"on the {day}{suffix}", f"the {day}{suffix}"))
    return Part(text, (target, target))


def day_range(rnd: random.Random, today: date, lang: str) -> Part:
    month = rnd.randrange(1, 13)
    first = rnd.randrange(1, 20)
    last = first + rnd.randrange(1, 8)
    # this year's range, or next year's once it is over; a range under way starts today
    start, end = date(today.year, month, first), date(today.year, month, last)
    if end < today:
        start, end = start.replace(year=today.year + 1), end.replace(year=today.year + 1)
    start = max(start, today)
    if lang == "ru":
        name = RU_MONTHS_GEN[month - 1]
        text = rnd.choice((f"с {first} по {last} {name}", f"{first}-{last} {name}",
                           f"с {first}-го по {last}-е {name}"))  # fmt: skip
    else:
        name = EN_MONTHS[month - 1]
        text = rnd.choice((f"{name} {first}-{last}", f"between {name} {first} and {last}",
                           f"from {first} to {last} {name}"))  # fmt: skip
    return Part(text, (start, end))


def week(rnd: random.Random, today: date, lang: str) -> Part:
    kind = rnd.choice(("this", "next", "weekend", "asap", "part"))
    monday = monday_of(today)
    if kind == "this":
        text = rnd.choice(("на этой неделе", "на неделе")) if lang == "ru" else "this week"
        return Part(text, (today, monday + timedelta(days=6)))
    if kind == "next":
        text = (
            rnd.choice(("на следующей неделе", "на след неделе", "на будущей неделе"))
            if lang == "ru"
            else rnd.choice(("next week", "nxt wk", "sometime next week"))
        )
        return Part(text, (monday + timedelta(days=7), monday + timedelta(days=13)))
    if kind == "weekend":
        text = (
            rnd.choice(("на выходных", "в выходные", "в эти выходные"))
            if lang == "ru"
            else rnd.choice(("this weekend", "on the weekend", "at the weekend",
                             "over the weekend", "on weekends", "weekends only"))
        )  # fmt: skip
        return Part(text, weekend(today))
    if kind == "asap":
        text = (
            rnd.choice(("как можно скорее", "поскорее", "срочно"))
            if lang == "ru"
            else rnd.choice(("asap", "as soon as possible", "ASAP"))
        )
        return Part(text, (today, today + timedelta(days=2)))
    part = rnd.choice(("start", "middle", "end"))
    first, last = {"start": (0, 2), "middle": (1, 3), "end": (4, 6)}[part]
    base = monday + timedelta(days=7)
    if lang == "ru":
        word = {"start": "в начале", "middle": "в середине", "end": "в конце"}[part]
        text = f"{word} следующей недели"
    else:
        word = {"start": "early", "middle": "mid", "end": "late"}[part]
        text = f"{word} next week"
    return Part(text, (base + timedelta(days=first), base + timedelta(days=last)))


def in_days(rnd: random.Random, today: date, lang: str) -> Part:
    n = rnd.randrange(2, 10)
    if lang == "ru":
        unit = "дня" if n < 5 else "дней"
        return Part(f"через {n} {unit}", (today + timedelta(days=n),) * 2)
    return Part(f"in {n} days", (today + timedelta(days=n),) * 2)


SIMPLE_DATES = (relative_day, weekday, day_month, day_of_month)


def alternatives(rnd: random.Random, today: date, lang: str) -> Part:
    first_kind = rnd.choice(SIMPLE_DATES)
    a = first_kind(rnd, today, lang)
    # "на 6-е или 13 июня", "july 14th or the 17th": one month for both days, not two readings
    second_kinds = [k for k in SIMPLE_DATES if {first_kind, k} != {day_of_month, day_month}]
    b = rnd.choice(second_kinds)(rnd, today, lang)
    joint = " или " if lang == "ru" else " or "
    assert a.dates
    assert b.dates
    first = min(d for d in (a.dates[0], b.dates[0]) if d is not None)
    last = max(d for d in (a.dates[1], b.dates[1]) if d is not None)
    return Part(a.text + joint + b.text, (first, last))


def deadline(rnd: random.Random, today: date, lang: str) -> Part:
    if lang == "ru":
        # the genitive after "не позже" is easiest as a day and month: "не позже 15 декабря"
        inner = day_month(rnd, today, lang)
        text = inner.text.removeprefix("на ").replace("/", ".")
        words: tuple[str, ...] = ("не позже", "не позднее", "до")
    else:
        inner = rnd.choice((weekday, day_month))(rnd, today, lang)
        text = inner.text.removeprefix("on ")
        words = ("no later than", "not later than", "by")
    assert inner.dates
    return Part(f"{rnd.choice(words)} {text}", (today, inner.dates[1]))


DATE_PARTS = (*SIMPLE_DATES, day_range, week, in_days, alternatives, deadline, weekday_with_date)


# --- time parts ---------------------------------------------------------------------------


def part_of_day(rnd: random.Random, lang: str) -> Part:
    kind = rnd.choice(("morning", "afternoon", "after lunch", "evening"))
    spans = {"morning": (time(8), time(12)), "afternoon": (time(12), time(17)),
             "after lunch": (time(13), time(17)), "evening": (time(17), time(21))}  # fmt: skip
    words = {
        "ru": {"morning": ("утром", "утречком", "до обеда", "утром пораньше"),
               "afternoon": ("днём", "днем", "во второй половине дня"),
               "after lunch": ("после обеда",),
               "evening": ("вечером", "вечерком", "после работы")},
        "en": {"morning": ("in the morning", "morning"),
               "afternoon": ("in the afternoon", "afternoon"),
               "after lunch": ("after lunch",),
               "evening": ("in the evening", "evening", "after work")},
    }[lang][kind]  # fmt: skip
    plural = {
        "ru": {"morning": ("только по утрам", "лучше по утрам", "по утрам удобнее"),
               "afternoon": ("только днём",),
               "after lunch": ("только после обеда",),
               "evening": ("только по вечерам", "лучше по вечерам", "по вечерам удобно")},
        "en": {"morning": ("mornings only", "only in the mornings", "mornings are best"),
               "afternoon": ("afternoons only", "only in the afternoons", "afternoons work best"),
               "after lunch": ("only after lunch",),
               "evening": ("evenings only", "only in the evenings", "evenings are best")},
    }[lang][kind]  # fmt: skip
    if rnd.random() < 0.3:
        words = plural
    return Part(rnd.choice(words), times=spans[kind])


def exact_time(rnd: random.Random, lang: str) -> Part:
    hour = rnd.randrange(9, 20)
    minute = rnd.choice((0, 0, 15, 30, 45))
    at = time(hour, minute)
    forms: list[str] = [f"{'в' if lang == 'ru' else 'at'} {hour}:{minute:02d}"]
    twelve = hour - 12 if hour > 12 else hour
    if lang == "ru":
        if minute == 0:
            forms.append(f"в {hour}")
            if hour in RU_HOUR_CARD and hour >= 12:
                tail = "дня" if hour < 17 else "вечера"
                forms.append(f"в {RU_HOUR_CARD[hour]} {tail}")
            elif hour < 12:
                forms.append(f"в {hour} утра")
        if minute == 30 and hour + 1 in RU_HOUR_ORD:
            forms.append(f"в пол{RU_HOUR_ORD[hour + 1]}")
            forms.append(f"в половине {RU_HOUR_ORD[hour + 1]}")
        if minute == 45 and hour + 1 in RU_HOUR_CARD:
            forms.append(f"без четверти {RU_HOUR_CARD[hour + 1]}")
        if minute == 0 and hour >= 12:
            forms.append(f"в {twelve} часов {'дня' if hour < 17 else 'вечера'}")
    else:
        suffix = "pm" if hour >= 12 else "am"
        if minute == 0:
            forms.append(f"at {twelve}{suffix}")
            forms.append(f"at {twelve} {suffix}")
            forms.append(f"at {EN_CARD[twelve]} o'clock" if hour < 12 else f"at {twelve}pm")
        else:
            forms.append(f"at {twelve}:{minute:02d}{suffix}")
        if minute == 30:
            forms.append(f"half past {twelve}" if hour < 12 else f"half past {twelve} pm")
        if minute == 15:
            forms.append(f"quarter past {twelve}" + (" pm" if hour >= 12 else " am"))
        if minute == 45 and twelve < 12:
            forms.append(f"quarter to {twelve + 1}" + (" pm" if hour >= 12 else " am"))
    return Part(rnd.choice(forms), times=(at, at))


def open_time(rnd: random.Random, lang: str) -> Part:
    hour = rnd.randrange(9, 20)
    after = rnd.random() < 0.5
    twelve = hour - 12 if hour > 12 else hour
    if lang == "ru":
        shown = rnd.choice((str(hour), f"{hour}:00")) if hour > 7 else str(hour)
        text = f"{'после' if after else 'до'} {shown}"
    else:
        shown = rnd.choice((f"{twelve}{'pm' if hour >= 12 else 'am'}", f"{hour}:00"))
        text = f"{'after' if after else 'before'} {shown}"
    return Part(text, times=(time(hour), None) if after else (None, time(hour)))


def time_range(rnd: random.Random, lang: str) -> Part:
    start = rnd.randrange(8, 18)
    end = start + rnd.randrange(1, 4)
    if lang == "ru":
        text = rnd.choice((f"с {start} до {end}", f"с {start}:00 до {end}:00"))
    else:
        text = rnd.choice((f"between {start}:00 and {end}:00", f"from {start}:00 to {end}:00"))
    return Part(text, times=(time(start), time(end)))


TIME_PARTS = (part_of_day, exact_time, open_time, time_range)

# Times that tell about symptoms or measurements: never part of the wish.
SYMPTOMS = {
    "ru": ("болит с утра", "сахар {n} утром", "давление {a} на {b}", "с вечера температура 38",
           "по утрам немеют пальцы", "ночью кашляю", "вчера вечером упал", "уже 3 дня болит горло",
           "температура 38.5 с понедельника", "после обеда тошнит", "голова кружится по вечерам",
           "сахар 7.5", "давление {a}/{b} утром"),
    "en": ("my head has hurt since this morning", "sugar was {n} this morning", "bp {a}/{b}",
           "coughing every night", "I fell yesterday evening", "fever since monday",
           "the pain started at 3am", "my back hurts in the mornings",
           "temperature 38.5 on tuesday"),
}  # fmt: skip


def symptom(rnd: random.Random, lang: str) -> str:
    return rnd.choice(SYMPTOMS[lang]).format(
        n=rnd.randrange(4, 20), a=rnd.randrange(110, 200), b=rnd.randrange(60, 120)
    )


PREFIXES = {
    "ru": ("", "запишите к терапевту ", "можно к лору ", "хочу к стоматологу ",
           "мне бы к окулисту ", "здравствуйте нужен невролог ", "к дерматологу пожалуйста ",
           "Добрый день! Можно записаться к кардиологу "),
    "en": ("", "can I see a dentist ", "book me with the GP ", "need an appointment ",
           "Hi, I'd like to see a dermatologist ", "could I get a slot with the ENT "),
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    text: str
    dates: DateWindow | None
    times: TimeWindow | None


NEUTRAL_PREFIXES = {
    "ru": ("", "можно ", "запишите ", "хочу записаться ", "нужна запись "),
    "en": ("", "can I come ", "book me in ", "I'd like an appointment "),
}


def compose(rnd: random.Random, today: date, lang: str, *, neutral: bool = False) -> Case:
    """One wish: a date part, a time part or both, behind a booking request. A `neutral`
    wish names no doctor and tells no symptom (the dev set adds its own complaint)."""
    shape = rnd.choice(("date", "time", "both", "both", "both"))
    date_part = rnd.choice(DATE_PARTS)(rnd, today, lang) if shape != "time" else None
    time_part = rnd.choice(TIME_PARTS)(rnd, lang) if shape != "date" else None
    pieces = [p.text for p in (date_part, time_part) if p is not None]
    if len(pieces) == 2 and rnd.random() < 0.3:
        pieces.reverse()
    glue = rnd.choice((" ", " ", ", "))
    text = rnd.choice((NEUTRAL_PREFIXES if neutral else PREFIXES)[lang]) + glue.join(pieces)
    if rnd.random() < 0.2:
        text += rnd.choice(("?", " пожалуйста", " плз")) if lang == "ru" else " pls"
    if not neutral and rnd.random() < 0.3:
        told = symptom(rnd, lang)
        text = f"{told}. {text}" if rnd.random() < 0.5 else f"{text}. {told.capitalize()}"
    return Case(
        text,
        None if date_part is None else date_part.dates,
        None if time_part is None else time_part.times,
    )
