"""Whose complaint is it: a child's, or an adult's who mentions a son or a daughter?

"У сына болит живот" is a child's complaint for the pediatrician. "I am 81 years old and
my daughter says I should get my heart checked" is not: the daughter is an adult who
advises. A stated age decides first (the patient's or the child's); then a son or daughter
who says, insists, books or drives, a mention of having children or of working with them,
and a complaint the patient owns ("у меня болит", "my back") are not a child's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from clinic.assistant.lexicon import get_lexicon
from clinic.assistant.matching import Doc, occurrences

ADULT = 18
# A patient this old has grown-up sons and daughters (grandchildren may still be children).
_OLD = 50
# "мне 81 год", "I'm 67", "I am 81 years old"
_SPEAKER_AGE = re.compile(
    r"(?:\bмне|\bi\s+am|\bi'm|\bim)\s+(?:уже\s+|почти\s+|already\s+|almost\s+|nearly\s+)?"
    r"(?P<n>\d{1,3})(?!\s*(?:[.,:/]\d|%|кг|kg|см|cm|раз|недел|мес|дн|день|мин|час|week|month|day"
    r"|min|hour|time|lb|pound|stone))"
)
# "5 years old", "a 4-year-old", "сыну 5 лет", "дочке 34"
_AGE = re.compile(
    r"\b(?P<n>\d{1,2})\s*-?\s*(?:years?|yrs?|y)\s*-?\s*/?\s*o(?:ld)?\b"
    r"|\b(?:реб[её]нку|сыну|сыночку|дочке|дочери|доченьке|внуку|внучке|мальчику|девочке)"
    r"\s+(?:уже\s+|почти\s+|всего\s+)?(?P<n2>\d{1,2})\b(?!\s*(?:мес|недел|дн|день|[.,]\d))"
    r"|\b(?:son|daughter|kid|child|boy|girl|grandson|granddaughter)\s+(?:is|who\s+is|aged?)\s+"
    r"(?P<n3>\d{1,2})\b(?!\s*(?:months?|weeks?|days?|[.,]\d))"
)


def _ages(doc: Doc) -> tuple[int | None, list[int]]:
    """The patient's stated age, and the other ages stated (a child's or a relative's)."""
    speaker = None
    spans = []
    for m in _SPEAKER_AGE.finditer(doc.text):
        speaker = int(m["n"])
        spans.append(m.span())
    others = []
    for m in _AGE.finditer(doc.text):
        if any(a <= m.start() < b for a, b in spans):
            continue  # "I am 81 years old" is the patient's own age
        others.append(int(m["n"] or m["n2"] or m["n3"]))
    return speaker, others


# How close an owner ("my", "у меня", "сына") stands before the complaint it owns, in words
_OWNER_REACH = 3


def _owner(span: tuple[int, ...], doc: Doc, children: set[int], selves: set[int]) -> str | None:
    """Whose complaint `span` is: "child", "self" or None, by the nearest person named
    just before it in its clause ("у меня болит спина", "my son's tummy")."""
    first = doc.tokens[span[0]]
    for j in range(span[0] - 1, -1, -1):
        token = doc.tokens[j]
        if token.clause != first.clause or first.slot - token.slot > _OWNER_REACH:
            return None
        if j in children:
            return "child"
        if j in selves:
            return "self"
    return None


def about_child(doc: Doc, complaints: Sequence[tuple[int, ...]] = ()) -> bool:
    """True when the complaint is a child's (the message names a child who is the patient).

    `complaints` are the token spans of the clinical clues: when the patient owns them all
    ("у меня болит спина") and no child owns one, a child named elsewhere is not the patient.
    """
    lexicon = get_lexicon()
    speaker, others = _ages(doc)
    if any(age < ADULT for age in others):
        return True
    if others and speaker is None:
        return False  # "my daughter is 34": an adult son or daughter
    named = [
        found for phrase in lexicon.child.present(doc.where) for found in occurrences(phrase, doc)
    ]
    if not named:
        return False
    # "as a teenager", "в детстве" tell of the patient's own childhood; "дочь говорит",
    # "adult son" name a grown-up
    not_children = {
        i
        for words in (lexicon.history, lexicon.adult_children)
        for phrase in words.present(doc.where)
        for found in occurrences(phrase, doc)
        for i in found
    }
    old = speaker is not None and speaker >= _OLD
    children = {
        i
        for found in named
        if not_children.isdisjoint(found)
        and doc.idioms.isdisjoint(found)
        # an 81-year-old's daughter is a grown-up
        and not (old and any(doc.tokens[i].lemmas & lexicon.offspring for i in found))
        for i in found
    }
    if not children:
        return False
    selves = {
        i
        for phrase in lexicon.selves.present(doc.where)
        for found in occurrences(phrase, doc)
        for i in found
    }
    owners = {_owner(span, doc, children, selves) for span in complaints}
    return not (owners and "child" not in owners and "self" in owners)


# A baby or a toddler: an age in months or weeks, "1-2 years old", or the words for them.
_YOUNG = re.compile(
    r"\b\d{1,2}\s*-?\s*(?:months?|mos?|mths?|weeks?|wks?)\b"
    r"|\b\d{1,2}\s*(?:мес\w*|недел\w*)"
    r"|\b[12]\s*-?\s*(?:years?|yrs?|y)\s*-?\s*o(?:ld)?\b|\b(?:одного|полутора|двух)\s+лет\b"
    r"|\b(?:babies|baby|infant|newborn|toddler|грудн\w*|младен\w*|новорожд\w*|малыш\w*"
    r"|годовас\w*|годик\w*)\b"
)


def young_child(doc: Doc) -> bool:
    """True when the message is about a baby or a toddler, whose general symptoms (a fever
    with teething, swollen gums) are the pediatrician's before any specialist's."""
    return _YOUNG.search(doc.text) is not None
