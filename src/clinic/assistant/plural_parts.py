"""Parts of the day and weekends in the plural, read as a wish when they are one.

"По утрам немеют пальцы", "my back hurts in the mornings" and "I work weekends" tell a habit;
"next week, only in the mornings", "afternoons only", "по вечерам удобнее", "weekends are best
for me" ask for a time. A plural part is a wish when its clause says so ("only", "best",
"только", "лучше"), or names a day or a week without telling a symptom; it is then rewritten
in the singular the date grammar reads ("in the morning", "вечером", "weekend").
"""

from __future__ import annotations

import re

# The plural forms and their singular reading.
_PLURAL = re.compile(
    r"\b(?:in\s+the\s+|on\s+)?(?P<en>mornings|afternoons|evenings|weekends)\b"
    r"|\bпо\s+(?P<ru>утрам|вечерам|выходным)\b"
)
_SINGULAR = {
    "mornings": "in the morning",
    "afternoons": "in the afternoon",
    "evenings": "in the evening",
    "weekends": "at the weekend",
    "утрам": "утром",
    "вечерам": "вечером",
    "выходным": "в выходные",
}
# Words that make a time a preference: "only", "best", "только", "удобнее".
_WISH = re.compile(
    r"\b(?:only|best|better|prefer\w*|ideally|suits?|work(?:s)?\s+(?:best|better|for\s+me)"
    r"|good\s+for\s+me|any|free|available|можно|только|лучше|удобн\w*|желательно|хотелось"
    r"|предпочтительн\w*|получится|свобод\w*|могу|come|book\w*|appointment|visit|slots?"
    r"|запис\w*|запиш\w*|прийти|при[её]м)\b"
)
# Right next to the part, these make it a wish even beside a symptom typed without a comma:
# "только по утрам пожалуйста колено болит".
_NEXT_TO = re.compile(r"\b(?:only|best|prefer\w*|только|лучше|удобн\w*|желательно)\b")
_NEXT_TO_REACH = 12  # characters either side
# A day or a week in the clause: "afternoons next week", "на следующей неделе по вечерам".
_DAY = re.compile(
    r"\b(?:next|this|coming|следующ\w*|след|будущ\w*|эт\w+|недел\w*|week|завтра|tomorrow"
    r"|понедельник\w*|вторник\w*|сред\w|четверг\w*|пятниц\w*|monday|tuesday|wednesday"
    r"|thursday|friday)\b"
)
# What a habit tells: a symptom or someone's routine ("I work weekends", "болит по утрам").
_HABIT = re.compile(
    r"\b(?:бол\w*|ноет|ноют|тошн\w*|немеют|немеет|кашля\w*|кружится|давит|колет|тянет"
    r"|отека\w*|опуха\w*|хуже|сильнее|обычно|бывает|работаю|(?:i|we)\s+work|working|hurts?"
    r"|aches?"
    r"|pain\w*|sick|cough\w*|dizzy|numb|swell\w*|swollen|worse|usually|always|often|stiff"
    r"|tired|wake|waking|sleep\w*|every)\b"
)
# Where a clause ends: as in the date grammar, punctuation and "but"/"но".
_EDGE = re.compile(r"[;,!?\n()]|(?<!\d)\.|\.(?!\d)|\s(?:но|but)\s")


def _clause(text: str, start: int, end: int) -> str:
    before = [m.end() for m in _EDGE.finditer(text, 0, start)]
    after = _EDGE.search(text, end)
    return text[before[-1] if before else 0 : after.start() if after else len(text)]


def read_plural_parts(text: str) -> str:
    """The text with each plural part that is a wish put in the singular."""

    def read(m: re.Match[str]) -> str:
        clause = _clause(text, m.start(), m.end())
        near = text[max(0, m.start() - _NEXT_TO_REACH) : m.end() + _NEXT_TO_REACH]
        if _NEXT_TO.search(near):
            return _SINGULAR[m["en"] or m["ru"]]
        if _HABIT.search(clause):
            return m.group()
        if _WISH.search(clause) or _DAY.search(clause):
            return _SINGULAR[m["en"] or m["ru"]]
        return m.group()

    return _PLURAL.sub(read, text)
