"""How people really type, rewritten into the words the parsers know.

Chat abbreviations ("2moro", "nxt wk", "плз", "щас"), common misspellings of the words that
carry a date ("завтро", "tommorow", "wensday"), Russian typed in Latin letters, and voice
input without punctuation. Applied once to a message before dates and symptoms are read;
whole words only, never parts of words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from clinic.assistant.normalize import MAX_CHARS, clean, is_cyrillic, morph_analyzer
from clinic.assistant.translit import russian_in_latin

_SLANG = {
    # English chat
    "2moro": "tomorrow", "2morro": "tomorrow", "2morrow": "tomorrow", "2mrw": "tomorrow",
    "2mro": "tomorrow", "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow",
    "tmw": "tomorrow", "tomoz": "tomorrow", "tomo": "tomorrow", "2day": "today",
    "tdy": "today", "2nite": "tonight", "2night": "tonight", "tonite": "tonight",
    "nxt": "next", "wk": "week", "wks": "weeks", "wkend": "weekend", "wknd": "weekend",
    "weekdn": "weekend", "pls": "please", "plz": "please", "plse": "please", "pleeease": "please",
    "b4": "before", "arvo": "afternoon", "mornin": "morning", "eve": "evening",
    "appt": "appointment", "apt": "appointment", "thru": "through", "til": "until",
    "wanna": "want to", "gonna": "going to", "hrs": "hours", "hr": "hour", "mins": "minutes",
    "abt": "about", "bc": "because", "cuz": "because", "coz": "because",
    "weds": "wednesday", "thur": "thursday", "thurs": "thursday", "tues": "tuesday",
    "doc": "doctor", "dr": "doctor",
    # Russian chat
    "щас": "сейчас", "щаз": "сейчас", "ща": "сейчас", "счас": "сейчас", "сча": "сейчас",
    "седня": "сегодня", "седни": "сегодня", "сення": "сегодня", "сёдня": "сегодня",
    "сегодн": "сегодня", "севодня": "сегодня", "сиводня": "сегодня", "завтро": "завтра",
    "зафтра": "завтра", "завтрa": "завтра", "послезавтро": "послезавтра",
    "плз": "пожалуйста", "плиз": "пожалуйста", "пжл": "пожалуйста", "пж": "пожалуйста",
    "пжлст": "пожалуйста", "пжлста": "пожалуйста", "пожалуйсто": "пожалуйста",
    "спс": "спасибо", "оч": "очень", "ооочень": "очень", "када": "когда", "кагда": "когда",
    "скока": "сколько", "ваще": "вообще", "нада": "надо", "мона": "можно", "можна": "можно",
    "хочю": "хочу", "хачу": "хочу", "тока": "только", "утречком": "утром", "утрецом": "утром",
    "утреца": "утра", "вечерком": "вечером", "вечерочком": "вечером", "вечерку": "вечером",
    "денечком": "днем", "днюшкой": "днем", "щаc": "сейчас", "чел": "человек",
    "врачиха": "врач", "врачу": "врачу", "докторша": "доктор",
}  # fmt: skip
# Two-word chat forms: "след нед", "на след неделе", "in the am".
_PHRASES = (
    (re.compile(r"\bслед\.?\s+(?=нед)"), "следующей "),
    (re.compile(r"\bнед\b\.?"), "неделе"),
    (re.compile(r"\bin\s+the\s+am\b"), "in the morning"),
    (re.compile(r"\bin\s+the\s+pm\b"), "in the afternoon"),
)
_WORD = re.compile(r"[a-zа-я0-9']+")

# Words that carry a date or a time: a misspelt one is corrected, other words are not.
_DATE_WORDS_RU = (
    "сегодня завтра послезавтра понедельник понедельника понедельнику вторник вторника "
    "среда среду среды четверг четверга пятница пятницу пятницы суббота субботу субботы "
    "воскресенье воскресенья следующей следующий следующую следующем неделе неделю недели "
    "выходные выходных утром вечером обеда после января февраля марта апреля мая июня "
    "июля августа сентября октября ноября декабря ближайшее ближайший половине четверти "
    "записаться запишите"
).split()
_DATE_WORDS_EN = (
    "tomorrow today tonight monday tuesday wednesday thursday friday saturday sunday "
    "morning afternoon evening weekend january february march april june july august "
    "september october november december appointment mornings evenings afternoons nights "
    "weekends mondays tuesdays wednesdays thursdays fridays saturdays sundays"
).split()


def _max_distance(word: str) -> int:
    return 0 if len(word) < 5 else 1 if len(word) < 7 else 2


@lru_cache(maxsize=20_000)
def _fix_date_word(word: str) -> str:
    """A misspelt date word ("завтро", "tommorow", "wensday") corrected; other words as is."""
    limit = _max_distance(word)
    if not limit:
        return word
    if is_cyrillic(word):
        if word in _DATE_WORDS_RU or morph_analyzer().word_is_known(word):
            return word
        choices = _DATE_WORDS_RU
    else:
        if word in _DATE_WORDS_EN or len(word) < 6:
            return word  # short English words have too many real neighbours ("text" ~ "next")
        choices = _DATE_WORDS_EN
    from rapidfuzz import process  # deferred: only a misspelt word needs it
    from rapidfuzz.distance import OSA

    found = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit)
    if found is None or found[0][0] != word[0]:
        return word
    return str(found[0])


def _fix_word(m: re.Match[str]) -> str:
    word = m.group()
    if word in _SLANG:
        return _SLANG[word]
    if word.isalpha():
        return _fix_date_word(word)
    return word


def canonical(text: str) -> str:
    """The message lower-cased, translit spelt in Cyrillic, slang and date typos corrected."""
    text = clean(text[: MAX_CHARS * 2])
    text = russian_in_latin(text)
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return _WORD.sub(_fix_word, text)
