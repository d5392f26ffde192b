"""The LLM behind the dialog's understanding step, with offline triage as its safety net.

Enabled when LLM_BASE_URL, LLM_API_KEY and LLM_MODEL are set (and LLM_ENABLED is not false).
Every turn: the engine's offline red-flag check first (the model cannot override it), then the agent
under a timeout and usage limits; a timeout, an HTTP error or an unusable answer falls back
to offline triage for that turn. The patient's text is never logged.
"""

import asyncio
import logging
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
from pydantic_ai.usage import UsageLimits

from clinic.assistant.agent import ManagerDecision, ManagerDeps, build_agent
from clinic.client import ClinicApi
from clinic.core.settings import Settings
from clinic.dialog.state import Wish
from clinic.dialog.understanding import (
    OfflineUnderstander,
    ProposedSlot,
    TurnContext,
    Understander,
    Understanding,
)

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
    ) -> None:
        self.model = model
        self.api = api
        self.clinic_name = clinic_name
        self.timeout = timeout
        self.fallback = fallback or OfflineUnderstander()
        self.agent = agent or build_agent()

    async def understand(self, text: str, context: TurnContext) -> Understanding:
        # The dialog engine has already run the red-flag check on this text.
        deps = ManagerDeps(
            api=self.api,
            now=context.now,
            tz=context.tz,
            lang=context.lang,
            clinic_name=self.clinic_name,
            specialties=context.specialties,
            doctors=context.doctors,
        )
        history = load_history(context.conversation.memory)
        try:
            async with asyncio.timeout(self.timeout):
                result = await self.agent.run(
                    text,
                    model=self.model,
                    deps=deps,
                    message_history=history,
                    usage_limits=USAGE_LIMITS,
                )
        # Whatever goes wrong with the model (timeout, HTTP error, an answer that fails
        # validation, a usage limit) the patient must still be able to book: go offline.
        except Exception as error:
            log.warning("LLM turn failed (%s); offline triage answers", type(error).__name__)
            return await self.fallback.understand(text, context)
        return to_understanding(result.output, deps, dump_history(result.all_messages()))


def to_understanding(decision: ManagerDecision, deps: ManagerDeps, memory: Any) -> Understanding:
    """Map the agent's decision onto the dialog's structured reading of a message."""
    if decision.action == "emergency":
        return Understanding(emergency=True, memory=memory)
    known = {s.code for s in deps.specialties}
    specialty = decision.specialty if decision.specialty in known else None
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
        ProposedSlot(doctor_id=p.doctor_id, start=p.start)
        for p in decision.proposals
        if deps.returned(p.doctor_id, p.start)
    ]
    known_doctors = {d.id for d in deps.doctors}
    return Understanding(
        specialty=specialty,
        doctor_id=decision.doctor_id if decision.doctor_id in known_doctors else None,
        clarify=decision.action in ("ask", "out_of_scope") and specialty is None,
        wish=wish,
        other_doctor=decision.other_doctor,
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
    )
