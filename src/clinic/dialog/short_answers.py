"""A yes or a no typed the way people type them: "da", "угууу", "не-а", "okey", "nope".

Only a whole message made of such words counts (with "ну", "please", "спасибо" around them):
"да" inside a longer sentence is read with the rest of it. Letters typed many times are read
once ("дааа", "nooo"), hyphens joined ("не-а"); Russian typed in Latin letters is in the lists.
"""

import re
from typing import Literal

_YES = frozenset(
    """
    да ага угу ок окей окэй оке окс ладно ладушки хорошо конечно давай давайте норм годится
    подходит идет пойдет верно точно именно согласен согласна
    da aga ugu ok okay okey okei okie oki k kk davai davaite horosho khorosho konechno
    yes yep yup yeah yea ya yah sure fine alright aight
    """.split()
)
_NO = frozenset(
    """
    нет неа не нету
    net ne nea niet netu no nope nah naw
    """.split()
)
# Words that may stand around a yes or a no without changing it.
_AROUND = frozenset(
    """
    ну тогда вот так пожалуйста спасибо а и
    please pls plz thanks thank you then oh well thing
    """.split()
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_REPEATS = re.compile(r"(\w)\1+")


def short_reply(text: str) -> Literal["yes", "no"] | None:
    """ "yes" or "no" when the whole message is one of them, else None."""
    if any(c.isdigit() for c in text):
        return None
    words = _WORD.findall(text.lower().replace("ё", "е"))
    if not 1 <= len(words) <= 4:
        return None
    said: set[str] = set()
    for word in words:
        kind = _kind(word)
        if kind is None:
            return None
        said.add(kind)
    said.discard("around")
    if len(said) != 1:
        return None  # nothing but "ну", or "да нет" (which means no, but is better asked)
    return "yes" if said == {"yes"} else "no"


def _kind(word: str) -> Literal["yes", "no", "around"] | None:
    joined = word.replace("-", "")
    for form in (word, joined, _REPEATS.sub(r"\1", joined)):
        if form in _AROUND:
            return "around"
        if form in _YES:
            return "yes"
        if form in _NO:
            return "no"
    parts = word.split("-")
    if len(parts) > 1 and len({_kind(part) for part in parts}) == 1:
        return _kind(parts[0])  # "да-да", "нет-нет"
    return None
