"""Times and days as they are typed in answer to a proposal, read with the conversation's help.

The date parser (`clinic.assistant.dates`) reads a message on its own. In a conversation some
forms mean more than they say alone:
- "16 30", "16-30" are a clock time typed without a colon;
- "11?", "а 11 можно?", "is 11 free" with times on screen name an hour, not the 11th;
- "в пятницу" after "на следующей неделе" is that week's Friday, not this one.
"""

import re
from datetime import date, time, timedelta

from clinic.assistant.dates import MONTH, WEEKDAY
from clinic.assistant.normalize import clean
from clinic.assistant.triage import WhenWindow
from clinic.dialog.understanding import TurnContext

# The clinic's day: an hour outside it typed alone is no appointment time.
_FIRST_HOUR, _LAST_HOUR = 7, 21

# Words after a number that make it something else than a time: a date, an age, a count.
_NOT_A_TIME = (
    rf"(?:{MONTH})\b|числ\w*|чис\b|го\b|ое\b|е\b|st\b|nd\b|rd\b|th\b|лет\b|год\w*|годик\w*"
    r"|мес\w*|недел\w*|дн\w*|день|сут\w*|раз\w*|мин\w*|сек\w*|таблет\w*|кг|см|мм|градус\w*"
    r"|years?\b|y\.?o\b|months?\b|weeks?\b|days?\b|times?\b|mins?\b|minutes?\b|kg\b|cm\b"
    r"|%|-?\s?(?:й|я|ой|ий|ая|ое)\b"
)

# "16 30", "16-30", "9 00": hours and a quarter typed without a colon. Only quarters: "10-12"
# is a range of hours and "10 12" could be anything.
_TYPED_CLOCK = re.compile(
    r"(?<![\d:.,/+-])(?P<h>[01]?\d|2[0-3])(?:\s|-|\s-\s)(?P<m>00|15|30|45)(?![\d:.,/-])"
    rf"(?!\s*(?:{_NOT_A_TIME}))",
    re.IGNORECASE,
)

# One number that can only be an hour here: "11?", "ну тогда 11", "13.30 можно?".
_NUMBER = re.compile(r"(?<![\d:./,+№#-])(?P<h>\d{1,2})(?:[:.](?P<m>[0-5]\d))?(?![\d:/-]|[.,]\d)")
_NUMBER_BEFORE = re.compile(r"(?:№|#|номер\w*|no\.?|number|вариант\w*|option)\s*$", re.IGNORECASE)


def typed_clock_times(text: str) -> str:
    """ "16 30" and "16-30" written as "16:30", for the date parser."""
    return _TYPED_CLOCK.sub(lambda m: f"{m['h']}:{m['m']}", text)


def hour_alone(text: str, offered: int) -> time | None:
    """The one hour a message names by a number alone ("11?", "а 13.30 можно?"), where a
    time is what is being talked about. A number that could be the position of one of the
    `offered` times ("2") is a position, not 14:00; one followed by a unit is a count."""
    found: list[time] = []
    for m in _NUMBER.finditer(text):
        after = text[m.end() :]
        if re.match(rf"\s*(?:{_NOT_A_TIME})", after, re.IGNORECASE):
            continue
        if _NUMBER_BEFORE.search(text[: m.start()]):
            continue
        hour, minute = int(m["h"]), int(m["m"] or 0)
        if m["m"] is None and 1 <= hour <= offered:
            return None  # "давайте 2": the second time on offer
        if hour < _FIRST_HOUR and m["m"] is None:
            hour += 12  # "5?" in a clinic open 8 to 21 is five in the afternoon
        if not _FIRST_HOUR <= hour <= _LAST_HOUR:
            continue
        found.append(time(hour, minute))
    return found[0] if len(found) == 1 else None


# A weekday said plainly ("в пятницу", "thursday"), or with a word that fixes its week.
_WEEKDAY_SAID = re.compile(
    r"(?:\b(?P<pre>следующ\w*|next|this|эт\w*|ближайш\w*|coming|будущ\w*)\s+)?"
    rf"\b(?P<wd>{WEEKDAY})\b"
)


def in_talked_of_week(
    window: WhenWindow | None, text: str, context: TurnContext
) -> WhenWindow | None:
    """ "на следующей неделе", then "а в пятницу?": the Friday of the week talked about, not
    this week's. A weekday said plainly is its next occurrence, unless the conversation is
    already about a later week: then it is that week's day (if it has not passed)."""
    wish = context.wish
    if window is None or wish is None or wish.date_from is None:
        return window
    day = window.date_from
    if day is None or day != window.date_to or day >= wish.date_from:
        return window
    said = list(_WEEKDAY_SAID.finditer(clean(text)))
    if len(said) != 1 or said[0]["pre"]:
        return window  # "в эту пятницу", "next friday", two days: as the parser read them
    moved = _same_weekday_in_week_of(day, wish.date_from)
    today = context.now.astimezone(context.tz).date()
    if moved <= day or moved < today:
        return window
    return WhenWindow(moved, moved, window.time_from, window.time_to)


def _same_weekday_in_week_of(day: date, other: date) -> date:
    monday = other - timedelta(days=other.weekday())
    return monday + timedelta(days=day.weekday())
