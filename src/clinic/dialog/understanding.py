"""The understanding step: what did the patient ask for in this message?

The engine asks an `Understander` and acts on the structured answer; it never parses text
itself. The offline implementation wraps the triage of `clinic.assistant`; the LLM agent
(issue 5) implements the same Protocol, may propose slots it found with its tools (the engine
re-checks every one against the API before showing it) and keeps its history in `memory`.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from clinic.assistant.names import find_named_doctor
from clinic.assistant.triage import triage
from clinic.client import Doctor, Specialty
from clinic.dialog.events import Lang
from clinic.dialog.state import Conversation, Wish


@dataclass(frozen=True)
class TurnContext:
    """What an understander may know when reading one message."""

    now: datetime  # aware
    tz: ZoneInfo
    lang: Lang
    conversation: Conversation  # a snapshot; changes go through the returned Understanding
    specialties: list[Specialty]  # what this clinic offers
    doctors: list[Doctor]  # who works here, so a patient can ask for one by name


class ProposedSlot(BaseModel):
    doctor_id: int
    start: datetime


class Understanding(BaseModel):
    """The structured reading of one message. Every field is optional: empty means "not said"."""

    emergency: bool = False
    specialty: str | None = None  # a specialty code of the clinic
    doctor_id: int | None = None  # a doctor the patient asked for by name ("к Новикову")
    alternatives: list[str] = Field(default_factory=list)
    explanation: str = ""
    clue: str | None = None  # the patient's words that point to the specialty, to quote back
    clarify: bool = False  # nothing usable: ask one follow-up question
    wish: Wish | None = None
    other_doctor: bool = False  # "другой врач"
    later: bool = False  # "попозже", "another time"
    reply: str | None = None  # a composed answer to show instead of the engine's own line
    proposals: list[ProposedSlot] = Field(default_factory=list)
    memory: Any = None  # the understander's new memory; None keeps the old one


class Understander(Protocol):
    async def understand(self, text: str, context: TurnContext) -> Understanding: ...


_OTHER_DOCTOR = re.compile(
    r"друг(ой|ого|ому|им)\s+(врач|доктор|специалист)|не\s+(к\s+)?эт(от|ому|ого)\s+врач"
    r"|(another|different|other)\s+(doctor|physician)",
    re.IGNORECASE,
)
_LATER = re.compile(
    r"\bпо-?позже\b|\bпозже\b|\bпопозднее\b|друго[ей]\s+врем|\blater\b|another\s+time",
    re.IGNORECASE,
)
_CLUE = re.compile(r'matched "([^"]+)"')


class OfflineUnderstander:
    """Triage (lexicon, red flags, date parser) plus two refinement phrases; no network."""

    async def understand(self, text: str, context: TurnContext) -> Understanding:
        result = triage(text, context.now, context.tz)
        wish = None
        if result.when is not None:
            wish = Wish(
                date_from=result.when.date_from,
                date_to=result.when.date_to,
                time_from=result.when.time_from,
                time_to=result.when.time_to,
            )
        clue = _CLUE.search(result.explanation)
        other_doctor = bool(_OTHER_DOCTOR.search(text))
        later = bool(_LATER.search(text))
        doctor_id = find_named_doctor(text, [(d.id, d.full_name) for d in context.doctors])
        return Understanding(
            emergency=result.emergency,
            specialty=result.specialty,
            doctor_id=doctor_id,
            alternatives=list(result.alternatives),
            explanation=result.explanation,
            clue=clue.group(1) if clue else None,
            # A refinement alone ("после 18", "другой врач") is clear enough mid-conversation.
            clarify=result.clarify
            and wish is None
            and doctor_id is None
            and not other_doctor
            and not later,
            wish=wish,
            other_doctor=other_doctor,
            later=later,
        )
