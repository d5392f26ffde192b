"""Times and days said in words, rewritten as digits before the date grammar reads them.

"в полдесятого" -> "в 9:30", "без четверти три" -> "2:45", "half past 4" -> "4:30",
"a quarter to 3" -> "2:45", "в пять вечера" -> "в 5 вечера", "at ten" -> "at 10",
"пятого декабря" -> "5 декабря", "the fifth of May" -> "5th of may", "в 8-30" -> "в 8:30".
Each rule reads one spoken form; the date grammar then needs to know digits only.
"""

from __future__ import annotations

import re
from collections.abc import Callable

RU_HOURS = {
    "час": 1, "один": 1, "одного": 1, "два": 2, "двух": 2, "три": 3, "трех": 3, "четыре": 4,
    "четырех": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
    "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10,
    "одиннадцать": 11, "одиннадцати": 11, "двенадцать": 12, "двенадцати": 12, "двум": 2,
    "трем": 3, "четырем": 4,
}  # fmt: skip
# "полпятого" is half past four: the hour named is the one being entered.
RU_HOUR_ORDINALS = {
    "первого": 1, "второго": 2, "третьего": 3, "четвертого": 4, "пятого": 5, "шестого": 6,
    "седьмого": 7, "восьмого": 8, "девятого": 9, "десятого": 10, "одиннадцатого": 11,
    "двенадцатого": 12,
}  # fmt: skip
EN_HOURS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_RU_MINUTES_BEFORE = {
    "четверти": 15, "пятнадцати": 15, "десяти": 10, "пяти": 5, "двадцати": 20,
    "двадцати пяти": 25,
}  # fmt: skip
_EN_MINUTES = {"five": 5, "ten": 10, "twenty": 20, "twenty five": 25, "twenty-five": 25}
# Day ordinals by stem: "пят-ого", "двадцать пят-ое", "трет-ьего".
RU_DAY_STEMS = {
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8,
    "девят": 9, "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13,
    "четырнадцат": 14, "пятнадцат": 15, "шестнадцат": 16, "семнадцат": 17,
    "восемнадцат": 18, "девятнадцат": 19, "двадцат": 20, "тридцат": 30,
}  # fmt: skip
EN_DAY_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_MONTH_WORD = (
    r"(?:янв|фев|мар|апр|ма[йяею]|июн|июл|авг|сен|окт|ноя|дек|числ"
    r"|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
)


def _alt(words: dict[str, int]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_RU_H = _alt(RU_HOURS)
_RU_ORD_H = _alt(RU_HOUR_ORDINALS)
_EN_H = _alt(EN_HOURS)


def _hour_value(word: str) -> int:
    if word.isdigit():
        return int(word)
    return RU_HOURS.get(word) or RU_HOUR_ORDINALS.get(word) or EN_HOURS.get(word) or 0


def _previous(hour: int) -> int:
    return 12 if hour == 1 else hour - 1


def _clock(hour: int, minute: int) -> str:
    return f"{hour}:{minute:02d}"


def _ru_day(m: re.Match[str]) -> str:
    tens = {"двадцать": 20, "тридцать": 30}.get(m["tens"] or "", 0)
    return f"{tens + RU_DAY_STEMS[m['stem']]} "


def _en_day(m: re.Match[str]) -> str:
    tens = {"twenty": 20, "thirty": 30}.get(m["tens"] or "", 0)
    return f"{tens + EN_DAY_ORDINALS[m['ord']]}th"


def _instrumental(word: str) -> str:
    return {"двумя": "два", "тремя": "три", "четырьмя": "четыре", "пятью": "пять",
            "шестью": "шесть", "семью": "семь"}.get(word, word)  # fmt: skip


def _minutes_form(m: re.Match[str]) -> str:
    minutes = m["m1"] or m["m2"]
    # "с 9-12" is a range of hours; "в 8-30" and "at 10 30" are a time
    if m["m1"] and int(minutes) < 24 and not minutes.startswith("0"):
        return m.group()
    return f"{m['pre']}{m['h']}:{minutes}"


_RU_ORD_END = r"(?:ье|ьего|ьему|ьем|ое|ого|ому|ом|ым|ий|ый)"
_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    # полдесятого, пол-десятого, в половине десятого
    (re.compile(rf"\b(?:пол\s*-?\s*|половин[аеуы]\s+)(?P<h>{_RU_ORD_H})\b"),
     lambda m: _clock(_previous(_hour_value(m["h"])), 30)),
    # без четверти три, без десяти пять
    (re.compile(rf"\bбез\s+(?P<m>{_alt(_RU_MINUTES_BEFORE)})\s+(?P<h>{_RU_H}|\d{{1,2}})\b"),
     lambda m: _clock(_previous(_hour_value(m["h"])), 60 - _RU_MINUTES_BEFORE[m["m"]])),
    # четверть пятого
    (re.compile(rf"\bчетверть\s+(?P<h>{_RU_ORD_H})\b"),
     lambda m: _clock(_previous(_hour_value(m["h"])), 15)),
    # half past 4, half 4 (British), quarter past / to, ten past / to
    (re.compile(rf"\bhalf\s+(?:past\s+)?(?P<h>\d{{1,2}}|{_EN_H})\b(?!:)"),
     lambda m: _clock(_hour_value(m["h"]), 30)),
    (re.compile(rf"\b(?:a\s+)?quarter\s+(?:past|after)\s+(?P<h>\d{{1,2}}|{_EN_H})\b"),
     lambda m: _clock(_hour_value(m["h"]), 15)),
    (re.compile(rf"\b(?:a\s+)?quarter\s+(?:to|of|till|before)\s+(?P<h>\d{{1,2}}|{_EN_H})\b"),
     lambda m: _clock(_previous(_hour_value(m["h"])), 45)),
    (re.compile(rf"\b(?P<m>{_alt(_EN_MINUTES)})\s+(?:past|after)\s+(?P<h>\d{{1,2}}|{_EN_H})\b"),
     lambda m: _clock(_hour_value(m["h"]), _EN_MINUTES[m["m"]])),
    (re.compile(rf"\b(?P<m>{_alt(_EN_MINUTES)})\s+(?:to|till)\s+(?P<h>\d{{1,2}}|{_EN_H})\b"),
     lambda m: _clock(_previous(_hour_value(m["h"])), 60 - _EN_MINUTES[m["m"]])),
    # в пять тридцать, at ten thirty
    (re.compile(rf"\b(?P<h>{_RU_H}|{_EN_H})\s+(?P<m>тридцать|пятнадцать|сорок\s+пять"
                r"|thirty|fifteen|forty\s*-?\s*five)\b"),
     lambda m: _clock(_hour_value(m["h"]), 30 if m["m"] in ("тридцать", "thirty")
                      else 15 if m["m"] in ("пятнадцать", "fifteen") else 45)),
    # между двумя и четырьмя, between two and four
    (re.compile(rf"\b(?P<pre>между|between)\s+(?P<a>{_RU_H}|{_EN_H}|двумя|тремя|четырьмя|пятью"
                rf"|шестью|семью)\s+(?P<and>и|and)\s+(?P<b>{_RU_H}|{_EN_H}|двумя|тремя"
                r"|четырьмя|пятью|шестью|семью)\b"),
     lambda m: f"{m['pre']} {_hour_value(_instrumental(m['a']))} {m['and']} "
               f"{_hour_value(_instrumental(m['b']))}"),
    # в пять, к трем, после шести, часов в семь, at ten, ten o'clock, ten am
    (re.compile(rf"(?<!раз\s)(?P<pre>\b(?:в|во|к|около|до|после|с|со|часов\s+в|часиков\s+в"
                rf"|at|by|after|before|around|about|from|till|until|to)\s+)"
                rf"(?P<h>{_RU_H}|{_EN_H})\b(?!\s*(?:раз|лет|год|минут|недел|дн|мес|человек"
                r"|times|years|weeks|days|months|minutes|people|of\b))"),
     lambda m: m["pre"] + str(_hour_value(m["h"]))),
    (re.compile(rf"\b(?P<h>{_RU_H}|{_EN_H}|\d{{1,2}})\s*o'?clock\b"),
     lambda m: _clock(_hour_value(m["h"]), 0)),
    (re.compile(rf"\b(?P<h>{_RU_H}|{_EN_H})\s*(?=час|утра|вечера|дня|am\b|pm\b|a\.m|p\.m)"),
     lambda m: str(_hour_value(m["h"])) + " "),
    # в 8-30, at 10 30, в 15 00: hour and minutes with a dash or a space
    (re.compile(r"(?P<pre>\b(?:в|во|к|около|с|со|до|после|at|by|after|before|around|from"
                r"|till|until)\s+)(?P<h>[01]?\d|2[0-3])(?:-(?P<m1>[0-5]\d)|\s(?P<m2>[0-5]\d))\b"
                r"(?![./-]\d)"
                rf"(?!\s*(?:-?го|лет|год|мин|min|%|\.\d|{_MONTH_WORD}))"),
     _minutes_form),
    # пятого декабря, двадцать пятое числа, the fifth of may, may the 5th, on the fifth
    (re.compile(rf"\b(?:(?P<tens>двадцать|тридцать)\s+)?(?P<stem>{'|'.join(RU_DAY_STEMS)})"
                rf"{_RU_ORD_END}\s+(?={_MONTH_WORD})"), _ru_day),
    (re.compile(rf"\b(?:(?P<tens>twenty|thirty)[\s-])?(?P<ord>{_alt(EN_DAY_ORDINALS)})\b"
                rf"(?=\s+(?:of\s+)?{_MONTH_WORD})"), _en_day),
    (re.compile(rf"\b(?P<mon>{_MONTH_WORD}\w*)\s+(?:the\s+)?(?:(?P<tens>twenty|thirty)[\s-])?"
                rf"(?P<ord>{_alt(EN_DAY_ORDINALS)})\b"), lambda m: f"{m['mon']} {_en_day(m)}"),
    (re.compile(rf"\b(?P<pre>on|by|from|to|till|until|before|after|for|between|and|or)\s+the\s+"
                rf"(?:(?P<tens>twenty|thirty)[\s-])?(?P<ord>{_alt(EN_DAY_ORDINALS)})\b"),
     lambda m: f"{m['pre']} the {_en_day(m)}"),
)  # fmt: skip


def spell_out(text: str) -> str:
    """The text with spoken times and day ordinals written as digits."""
    for pattern, replace in _RULES:
        text = pattern.sub(replace, text)
    return text
