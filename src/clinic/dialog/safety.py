"""The emergency check that runs on every typed message, before any understander.

It uses the triage's red flags (`clinic.assistant.triage.find_red_flag`): whatever step the
conversation is in and whatever model is plugged in, a red flag gets 103/112 and no slots.
"""

from dataclasses import dataclass

from clinic.assistant.normalize import MAX_CHARS
from clinic.assistant.triage import find_red_flag

SELF_HARM = "self_harm"


@dataclass(frozen=True, slots=True)
class Alarm:
    category: str  # the red flag's category; "self_harm" gets the crisis line too


def check(text: str) -> Alarm | None:
    """The red flag in the message, if any. The whole message is read (up to the triage's
    own cap), not only what the understander reads."""
    hit = find_red_flag(text[:MAX_CHARS])
    if hit is None:
        return None
    return Alarm(category=getattr(hit.flag, "category", "") or "emergency")
