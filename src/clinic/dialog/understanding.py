"""The understanding step: one message plus the conversation's context -> a dialogue act.

An understander knows only what `TurnContext` tells it (the step, what was offered, which of
the patient's appointments were listed); it changes nothing. The offline understander
(`dialog.offline`) reads with rules; the LLM understander (`dialog.llm_understanding`) asks a
model and falls back to the offline one. The red-flag check runs before either of them.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from clinic.client import Doctor, Specialty
from clinic.core.phones import DEFAULT_REGION
from clinic.dialog.acts import Act
from clinic.dialog.events import Lang
from clinic.dialog.state import Mine, Offer, Step, Wish


@dataclass(frozen=True)
class TurnContext:
    """What an understander may know when reading one message."""

    now: datetime  # aware
    tz: ZoneInfo
    lang: Lang
    step: Step = Step.idle
    specialty: str | None = None  # the specialty being booked, if any
    wish: Wish | None = None  # the window the patient gave so far
    offers: tuple[Offer, ...] = ()  # the free times on screen, in order
    listed: tuple[Mine, ...] = ()  # the patient's appointments on screen, in order
    refused: str | None = None  # why the previous message was refused, if it was
    sender_name: str | None = None
    specialties: list[Specialty] = field(default_factory=list)  # what this clinic offers
    doctors: list[Doctor] = field(default_factory=list)  # who works here
    phone_region: str = DEFAULT_REGION
    memory: Any = None  # the understander's own memory from the previous turn


class Understander(Protocol):
    async def understand(self, text: str, context: TurnContext) -> Act: ...
