"""Measured values a patient states: blood pressure, blood sugar, temperature, a baby's age.

Red flags need numbers, not words: "давление 190 на 120 и раскалывается голова" is an
emergency, "давление 130 на 85" is not. Each dangerous value becomes a marker term
("#bp_crisis") at the position of its number, and the red-flag lexicon combines markers
with symptom words like any other term. Thresholds follow the NHS pages on high blood
pressure (180/110 and above with symptoms is urgent), hypoglycaemia (below 3 mmol/l, or
54 mg/dl) and fever in babies (under 3 months with 38 °C or more).
"""

from __future__ import annotations

import re

BP_CRISIS = "#bp_crisis"
BP_HIGH = "#bp_high"
SUGAR_LOW = "#sugar_low"
SUGAR_HIGH = "#sugar_high"
FEVER = "#fever"
INFANT = "#infant"
PREGNANT = "#pregnant"
MANY_PILLS = "#many_pills"
# Not a measured value but a stated moment of the past: "в 15 лет", "when I was 16", "в 2019"
THEN = "#then"

_NUM = r"(\d{1,3}(?:[.,]\d{1,2})?)"
_BP_PAIR = re.compile(
    r"(?:давлен\w*|ад|bp|pressure|тонометр\w*)?\s*(?:\w+\s+){0,2}?"
    r"(?<![\d.,])(\d{2,3})\s*(?:/|\\|на|over)\s*(\d{2,3})(?!\d|[.,]\d)"
)
_BP_WORD = re.compile(r"\b(?:давлен|ад\b|bp\b|pressure|тоно)")
_BP_SINGLE = re.compile(
    r"(?:давлен\w*|\bад\b|\bbp\b|pressure)\s*(?:\w+\s+){0,2}?(?:до\s+|to\s+|of\s+|is\s+)?"
    r"(?<![\d.,])(\d{3})(?!\d|[.,/]\d|\s*(?:/|на|over)\s*\d)"
)
_SUGAR = re.compile(
    rf"(?:сахар\w*|глюкоз\w*|глюкометр\w*|sugar|glucose|\bbg\b|\bbs\b)\s*(?:\w+\s+){{0,3}}?"
    rf"(?:до\s+|to\s+|of\s+|is\s+|at\s+|=\s*|:\s*)?{_NUM}"
)
_TEMPERATURE = re.compile(
    rf"(?:температур\w*|темп\w*|\bt\b|\bт\b|жар\w*|fever|temp\w*|градусник\w*|термометр\w*"
    rf"|thermometer)\s*(?:\w+\s+){{0,2}}?"
    rf"(?:под\s+|около\s+|до\s+|of\s+|is\s+|at\s+|=\s*|:\s*)?{_NUM}"
    r"|(?<![\d.,])(3[89]|4[0-2])[.,]\d(?!\d|[.,]\d)"
)
# "ребенку 2 месяца" tells an age, "у ребенка 2 дня температура" a duration: the dative only.
_CHILD = (
    r"(?:реб[её]нку|малышу|малышке|сыну|сыночку|дочке|дочери|доченьке|младенцу|грудничку"
    r"|внуку|внучке|baby|son|daughter|infant|newborn|boy|girl|kid)"
)
_AGE = (
    r"(\d{1,2}|один|одна|одну|два|две|три|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve)"
)
_UNIT = r"(недел\w*|нед|мес\w*|дн\w*|день|сут\w*|weeks?|wks?|months?|mos?|days?)"
_INFANT_AGE = (
    re.compile(rf"{_CHILD}\s+(?:\w+\s+){{0,2}}?{_AGE}\s*(?:-?\s?(?:х|ти|ух))?\s*{_UNIT}\b"),
    re.compile(rf"{_AGE}\s*(?:-|\s)?{_UNIT}\s*(?:-|\s)?old\b"),
    re.compile(rf"\b{_AGE}\s*(?:-|\s)?{_UNIT}\s+(?:от\s+роду|от\s+рождения)"),
    re.compile(
        r"\b(?:(\d{1,2})\s*-?\s*|(одно|дву[хx]?|тр[её]х)\s*-?\s*)?(месячн|недельн|дневн)(?:ый|ая|ое|ого|ому|ым|ой|ую|ом)\b"
    ),
    # "дочке месяц", "малышу неделя": one unit without a number
    re.compile(
        rf"{_CHILD}\s+(?:всего\s+|только\s+|ровно\s+|is\s+|is\s+only\s+|just\s+)?()"
        r"(месяц|недел[яю]|a\s+month|a\s+week|one\s+month|one\s+week)\b"
    ),
)
# Ten or more pills or tablets named at once: "taken 20 paracetamol", "выпила 15 таблеток"
_PILLS = re.compile(
    r"(?<![\d.,/])(\d{1,3})\s+(?:\w+\s+)?(?:pills?|tablets?|paracetamols?|ibuprofens?|capsules?"
    r"|co-?codamols?|aspirins?|sleeping\s+pills|таблет\w*|капсул\w*|пилюл\w*|штук\w*"
    r"|парацетамол\w*|снотворн\w*)\b"
)
_MANY_PILLS = 10
# A week of pregnancy, not a duration: "на 20 неделе", "срок 12 недель", "I'm 30 weeks",
# "28 weeks pregnant"; "кашляю 3 недели" and "2 weeks ago" are no pregnancy.
_PREGNANCY_WEEK = re.compile(
    r"\bна\s+(\d{1,2})\s*-?\s*(?:й|ой|ей)?\s+недел[еи]\b(?!\s+(?:болезни|лечения|после))"
    r"|\bсрок\w*\s+(?:\w+\s+)?(\d{1,2})\s*(?:-?\s*(?:я|ая|ти|и))?\s+недел"
    r"|\b(?:i'?m|i\s+am|she'?s|she\s+is|wife\s+is|partner\s+is)\s+(\d{1,2})\s*(?:weeks?|wks?)\b"
    r"(?!\s+(?:ago|post|after|since|into|of|out|from))"
    r"|\b(\d{1,2})\s*(?:weeks?|wks?|недел\w*)\s+(?:pregnant|along|gestation|беременност\w*)"
)
_WORD_NUMBERS = {
    "один": 1, "одна": 1, "одну": 1, "одно": 1, "one": 1, "два": 2, "две": 2, "two": 2,
    "дву": 2, "двух": 2, "двух-": 2, "три": 3, "трех": 3, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip


_THEN = re.compile(
    r"\bв\s+(?:возрасте\s+)?\d{1,2}\s*(?:-?\s*(?:ти|ми|и))?\s*(?:лет|год|года)\b"
    r"|\bкогда\s+(?:мне\s+)?было\s+\d{1,2}\b"
    r"|\bwhen\s+(?:i|he|she)\s+was\s+\d{1,2}\b|\bat\s+(?:the\s+)?age\s+(?:of\s+)?\d{1,2}\b"
    r"|\bat\s+\d{1,2}\s+(?:years?\s+old|y/?o)\b|\bback\s+in\s+(?:19|20)\d\d\b"
    r"|\b(?:в|in)\s+(?:19|20)\d\d(?:\s*(?:году|г)\b)?(?!\s*(?:-|–|по|to)\s*\d)"
)


def _float(value: str) -> float:
    return float(value.replace(",", "."))


def _count(word: str | None) -> int:
    if word is None or word == "":
        return 1
    return int(word) if word.isdigit() else _WORD_NUMBERS.get(word, 99)


def _infant_days(amount: int, unit: str) -> int:
    if unit.startswith(("нед", "week", "wk")):
        return amount * 7
    if unit.startswith(("мес", "month", "mo")):
        return amount * 30
    return amount


def find_markers(text: str) -> list[tuple[int, str]]:
    """Dangerous measured values in cleaned (lower-case) text: (character offset, marker)."""
    found: list[tuple[int, str]] = []
    taken: set[int] = set()
    for m in _BP_PAIR.finditer(text):
        high, low = int(m[1]), int(m[2])
        plausible = 70 <= high <= 300 and 30 <= low <= 200 and high > low
        said = "/" in m[0] or "\\" in m[0] or _BP_WORD.search(m[0])
        if plausible and said:
            taken.add(m.start(1))
            if high >= 140 or low >= 90:
                found.append((m.start(1), BP_HIGH))
            if high >= 180 or low >= 110:
                found.append((m.start(1), BP_CRISIS))
    for m in _BP_SINGLE.finditer(text):
        if m.start(1) not in taken and 140 <= int(m[1]) <= 300:
            found.append((m.start(1), BP_HIGH))
            if int(m[1]) >= 180:
                found.append((m.start(1), BP_CRISIS))
    for m in _SUGAR.finditer(text):
        value = _float(m[1])
        # Below 35 the patient means mmol/l, above it mg/dl.
        low = 0 < value <= 3.0 if value < 35 else value <= 54
        high = 20 <= value < 35 if value < 35 else value >= 360
        if low:
            found.append((m.start(1), SUGAR_LOW))
        elif high:
            found.append((m.start(1), SUGAR_HIGH))
    for m in _TEMPERATURE.finditer(text):
        raw = m[1] or m[2]
        value = _float(raw) if m[1] else float(m[2])
        celsius = value if value < 50 else (value - 32) * 5 / 9
        if 38 <= celsius <= 43:
            found.append((m.start(1) if m[1] else m.start(2), FEVER))
    for pattern in _INFANT_AGE:
        for m in pattern.finditer(text):
            groups = [g for g in m.groups() if g is not None]
            if pattern is _INFANT_AGE[3]:
                amount = _count(m[1] or m[2] or "")
                unit = {"месячн": "мес", "недельн": "нед", "дневн": "дн"}[m[3]]
            else:
                amount, unit = _count(groups[-2]), groups[-1]
            if _infant_days(amount, unit) < 90:
                found.append((m.start(), INFANT))
    for m in _PILLS.finditer(text):
        if int(m[1]) >= _MANY_PILLS:
            found.append((m.start(1), MANY_PILLS))
    for m in _PREGNANCY_WEEK.finditer(text):
        if 4 <= int(next(g for g in m.groups() if g is not None)) <= 42:
            found.append((m.start(), PREGNANT))
    found += [(m.start(), THEN) for m in _THEN.finditer(text)]
    return sorted(found)
