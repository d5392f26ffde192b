"""The LLM behind the dialog's understanding step, with the offline rules as its floor.

Enabled when LLM_BASE_URL, LLM_API_KEY and LLM_MODEL are set (and LLM_ENABLED is not false).
Every turn: the engine's red-flag check first (no model sees an emergency message), then the
offline reading. Where the offline reading is definite (a yes or no to what is on screen, a
time or an offer named, a phone, a correction, the patient's own appointments, a refusal,
a specialty or a window) it answers and the model is not asked: a small model would only make
it worse. Otherwise the agent reads the message under a timeout and usage limits and answers
with the same dialogue acts, checked as the offline ones are (only slots the API returned,
no booking, cancelling or moving that the patient's own words do not say); a timeout, an
HTTP error, an unusable answer or an "unknown" leaves the offline reading in force. The
patient's text is never logged.
"""

import asyncio
import logging
import time
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from pydantic_ai import Agent
from pydantic_ai.messages import (
    ModelMessage,
    ModelMessagesTypeAdapter,
    ModelRequest,
    UserPromptPart,
)
from pydantic_ai.models import Model
from pydantic_ai.usage import RunUsage, UsageLimits

from clinic.assistant.agent import ManagerDecision, ManagerDeps, OutputMode, build_agent
from clinic.assistant.llm_metrics import (
    LLMTurn,
    failure_reason,
    record_offline_decided,
    record_turn,
)
from clinic.client import ClinicApi
from clinic.core.phones import normalise_phone
from clinic.core.settings import Settings
from clinic.dialog.acts import Act, AppointmentRef, Forbidden, Intent, SlotRef
from clinic.dialog.offline import OfflineUnderstander
from clinic.dialog.state import Step, Wish
from clinic.dialog.understanding import TurnContext, Understander

log = logging.getLogger(__name__)

# Enough context for "а можно попозже?" and "мне к другому врачу", small enough for Redis.
HISTORY_TURNS = 6
USAGE_LIMITS = UsageLimits(request_limit=6, tool_calls_limit=8)


class LLMUnderstander:
    """An `Understander` that asks the clinic manager agent, and triage when the model fails."""

    def __init__(
        self,
        model: Model,
        api: ClinicApi,
        *,
        clinic_name: str,
        timeout: float,
        fallback: Understander | None = None,
        agent: Agent[ManagerDeps, ManagerDecision] | None = None,
        mode: OutputMode = "tools",
    ) -> None:
        self.model = model
        self.api = api
        self.clinic_name = clinic_name
        self.timeout = timeout
        self.fallback = fallback or OfflineUnderstander()
        self.mode = mode
        self.agent = agent or build_agent(mode)

    async def understand(self, text: str, context: TurnContext) -> Act:
        floor = await self.fallback.understand(text, context)
        if definite(floor):
            # A refusal is never argued away, and a clear reading is never second-guessed.
            record_offline_decided(self.model.model_name, self.mode)
            return floor
        deps = ManagerDeps(
            api=self.api,
            now=context.now,
            tz=context.tz,
            lang=context.lang,
            clinic_name=self.clinic_name,
            specialties=context.specialties,
            doctors=context.doctors,
            situation=describe(context),
        )
        history = load_history(context.memory)
        usage = RunUsage()  # filled in as the run goes, so a failed turn still counts tokens
        started = time.monotonic()
        try:
            async with asyncio.timeout(self.timeout):
                result = await self.agent.run(
                    text,
                    model=self.model,
                    deps=deps,
                    message_history=history,
                    usage_limits=USAGE_LIMITS,
                    usage=usage,
                )
        # Whatever goes wrong with the model (timeout, HTTP error, an answer that fails
        # validation, a usage limit) the patient must still be able to book: stay offline.
        except Exception as error:
            log.warning("LLM turn failed (%s); the offline reading answers", type(error).__name__)
            self._record(started, usage, failure=failure_reason(error))
            return floor
        act = to_act(result.output, deps, context, dump_history(result.all_messages()))
        if named(floor):
            act = within(floor, act, context)
        unusable = act.intent is Intent.unknown or _commits(act, context)
        self._record(started, usage, unknown=unusable)
        if unusable:
            return floor.model_copy(update={"memory": act.memory})
        return act

    def _record(
        self, started: float, usage: RunUsage, *, failure: str | None = None, unknown: bool = False
    ) -> None:
        turn = LLMTurn(
            model=self.model.model_name,
            mode=self.mode,
            seconds=time.monotonic() - started,
            usage=usage,
            failure=failure,
            unknown=unknown,
        )
        record_turn(turn)


# Steps where "yes" books, cancels or moves an appointment.
COMMITTING_STEPS = frozenset({Step.confirming, Step.confirming_cancel, Step.confirming_move})

# Acts the offline reading is sure of: what it says, the model may not overrule.
_DEFINITE = frozenset(Intent) - {Intent.inform, Intent.off_topic, Intent.unknown}


def definite(floor: Act) -> bool:
    """Whether the offline reading found a definite act: anything but a booking wish, small
    talk or "unknown" — and a wish for one exact time ("а в 14 можно?", "16 30") is definite
    too. What it found, the model may not overrule."""
    exact = floor.intent is Intent.inform and floor.wish is not None and floor.wish.exact_time
    return floor.intent in _DEFINITE or exact


def named(floor: Act) -> bool:
    """A booking wish in which the offline reading found something (a specialty, a doctor, a
    window, an offer, a specialist the clinic lacks)."""
    parts = (floor.specialty, floor.doctor_id, floor.wish, floor.missing, floor.position)
    return floor.intent is Intent.inform and any(part is not None for part in parts)


def within(floor: Act, act: Act, context: TurnContext) -> Act:
    """A model's reading of a wish the offline reading named: what the offline reading found
    (the specialty, the doctor, the window) stands, and the model may add its words and the
    slots it found only when every one fits them; otherwise the offline reading answers."""
    if act.intent is not Intent.inform:
        return floor.model_copy(update={"memory": act.memory})
    specialty = floor.specialty or act.specialty
    doctor_id = floor.doctor_id or act.doctor_id
    specialty_of = {d.id: d.specialty.code for d in context.doctors}
    fits = all(
        (doctor_id is None or p.doctor_id == doctor_id)
        and (specialty is None or specialty_of.get(p.doctor_id) == specialty)
        and _inside(p.start.astimezone(context.tz), floor.wish)
        for p in act.proposals
    )
    if not fits:
        return floor.model_copy(update={"memory": act.memory})
    return floor.model_copy(
        update={
            "specialty": specialty,
            "doctor_id": doctor_id,
            "wish": floor.wish or act.wish,
            "reply": act.reply,
            "proposals": act.proposals,
            "memory": act.memory,
        }
    )


def _inside(start: datetime, wish: Wish | None) -> bool:
    if wish is None:
        return True
    day, at = start.date(), start.time()
    return (
        (wish.date_from is None or day >= wish.date_from)
        and (wish.date_to is None or day <= wish.date_to)
        and (wish.time_from is None or at >= wish.time_from)
        and (wish.time_to is None or at <= wish.time_to)
    )


# What a model's act may not do on its own where a "yes" commits: the offline reading found
# nothing definite there, so the patient's words said no yes.
_COMMITTING_INTENTS = frozenset(
    {Intent.affirm, Intent.cancel_mine, Intent.reschedule_mine, Intent.pick_appointment}
)


def _commits(act: Act, context: TurnContext) -> bool:
    """A model's act that would book, cancel or move where only the patient decides (a
    button, or a yes the offline rules read): a model that reads "affirm" into anything
    must not book."""
    return context.step in COMMITTING_STEPS and act.intent in _COMMITTING_INTENTS


def describe(context: TurnContext) -> str:
    """What is on the patient's screen, for the model: "второй" needs the list it counts in."""
    lines = [f"Step: {context.step.value}."]
    if context.specialty:
        lines.append(f"Specialty being booked: {context.specialty}.")
    if context.wish is not None:
        lines.append(f"Wished window so far: {context.wish.model_dump_json(exclude_none=True)}.")
    for n, offer in enumerate(context.offers, start=1):
        local = offer.start.astimezone(context.tz)
        lines.append(
            f"Offered time {n}: {local:%a %Y-%m-%d %H:%M}, {offer.doctor_name} "
            f"(doctor_id {offer.doctor_id})."
        )
    for n, item in enumerate(context.listed, start=1):
        local = item.start.astimezone(context.tz)
        lines.append(
            f"Their appointment {n}: No. {item.id}, {item.specialty}, {item.doctor_name}, "
            f"{local:%a %Y-%m-%d %H:%M}."
        )
    return "\n".join(lines)


def to_act(decision: ManagerDecision, deps: ManagerDeps, context: TurnContext, memory: Any) -> Act:
    """Map the agent's decision onto the dialog's act, dropping whatever it made up."""
    intent = Intent(decision.act)
    known = {s.code for s in deps.specialties}
    wish = None
    if any((decision.date_from, decision.date_to, decision.time_from, decision.time_to)):
        wish = Wish(
            date_from=decision.date_from,
            date_to=decision.date_to,
            time_from=decision.time_from,
            time_to=decision.time_to,
        )
    # A model may make times up: keep only what this turn's tools returned.
    proposals = [
        SlotRef(doctor_id=p.doctor_id, start=p.start)
        for p in decision.proposals
        if deps.returned(p.doctor_id, p.start)
    ]
    position = None
    if decision.choice is not None and decision.choice <= len(context.offers):
        position = decision.choice - 1
    phone, invalid = None, False
    if decision.phone:
        try:
            phone = normalise_phone(decision.phone, context.phone_region)
        except ValueError:
            invalid = True
    appointment = None
    if intent in (
        Intent.cancel_mine,
        Intent.reschedule_mine,
        Intent.confirm_mine,
        Intent.pick_appointment,
    ):
        appointment = AppointmentRef(
            appointment_id=decision.appointment_id,
            position=decision.appointment_position - 1 if decision.appointment_position else None,
        )
    forbidden = None
    if intent is Intent.forbidden:
        forbidden = Forbidden(decision.forbidden) if decision.forbidden else Forbidden.instructions
    return Act(
        intent=intent,
        specialty=decision.specialty if decision.specialty in known else None,
        doctor_id=decision.doctor_id
        if decision.doctor_id in {d.id for d in deps.doctors}
        else None,
        wish=wish,
        days=list(decision.excluded_days),
        position=position,
        name=(decision.name or "").strip() or None,
        phone=phone,
        phone_invalid=invalid,
        appointment=appointment,
        forbidden=forbidden,
        reply=decision.reply.strip() or None,
        proposals=proposals,
        memory=memory,
    )


def load_history(memory: Any) -> list[ModelMessage]:
    """The stored message history, or none when it is missing or from an older format."""
    if not memory:
        return []
    try:
        return list(ModelMessagesTypeAdapter.validate_python(memory))
    except ValidationError:
        return []


def dump_history(messages: list[ModelMessage]) -> list[Any]:
    """The last HISTORY_TURNS turns as JSON-ready data, cut only where a user turn starts so
    tool calls and their results stay together."""
    turn_starts = [
        i
        for i, message in enumerate(messages)
        if isinstance(message, ModelRequest)
        and any(isinstance(part, UserPromptPart) for part in message.parts)
    ]
    if len(turn_starts) > HISTORY_TURNS:
        messages = messages[turn_starts[-HISTORY_TURNS] :]
    return list(ModelMessagesTypeAdapter.dump_python(messages, mode="json"))


def build_model(settings: Settings) -> Model:
    """An OpenAI-compatible Chat Completions model (OpenAI, OpenRouter, Ollama, vLLM)."""
    from openai import AsyncOpenAI
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai import OpenAIProvider

    assert settings.llm_api_key is not None
    assert settings.llm_model is not None
    client = AsyncOpenAI(
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key.get_secret_value(),
        timeout=settings.llm_timeout_seconds,
        max_retries=1,  # the turn's own timeout bounds the wait; offline triage takes over
    )
    return OpenAIChatModel(settings.llm_model, provider=OpenAIProvider(openai_client=client))


def build_understander(settings: Settings, api: ClinicApi) -> Understander:
    """The LLM understander when configured, else the offline one, unchanged."""
    if not settings.llm_configured:
        return OfflineUnderstander()
    return LLMUnderstander(
        build_model(settings),
        api,
        clinic_name=settings.clinic_name,
        timeout=settings.llm_timeout_seconds,
        agent=build_agent(settings.llm_output, max_tokens=settings.llm_max_tokens),
        mode=settings.llm_output,
    )
