"""LLM_OUTPUT: the same guarantees whether the decision comes as a tool call, as JSON the
server constrains to a schema, or as JSON asked for in the prompt; and every turn is logged
and counted without the patient's words."""

import asyncio
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY
from pydantic_ai import models
from pydantic_ai.exceptions import ModelHTTPError, UnexpectedModelBehavior, UsageLimitExceeded
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from clinic.assistant.agent import OutputMode, build_agent
from clinic.assistant.llm_metrics import failure_reason, serve_metrics
from clinic.dialog import ClinicInfo, Dialog, Sender, TextEvent
from clinic.dialog.llm_understanding import LLMUnderstander
from clinic.dialog.state import Conversation
from tests.conftest import free_port
from tests.dialog.fakes import NOW, TZ, FakeApi

CLINIC = ClinicInfo(name="Test clinic", address="Moscow, Test st. 1", tz=TZ)
PATIENT = Sender(id=7, name="Анна", language_code="ru")
READER_MODES: list[OutputMode] = ["json_schema", "prompted"]
ModelFunction = Callable[[list[ModelMessage], AgentInfo], Any]


@pytest.fixture(autouse=True)
def no_real_models() -> Iterator[None]:
    allowed, models.ALLOW_MODEL_REQUESTS = models.ALLOW_MODEL_REQUESTS, False
    yield
    models.ALLOW_MODEL_REQUESTS = allowed


def _json(**decision: Any) -> ModelResponse:
    return ModelResponse(parts=[TextPart(json.dumps(decision))])


def _metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def _turn(
    mode: OutputMode, function: ModelFunction, text: str, *, timeout: float = 5.0
) -> tuple[str, Conversation, FakeApi]:
    api = FakeApi()
    understander = LLMUnderstander(
        FunctionModel(function, model_name="scripted"),
        api,
        clinic_name=CLINIC.name,
        timeout=timeout,
        agent=build_agent(mode),
        mode=mode,
    )
    dialog = Dialog(api, CLINIC, understander=understander, clock=lambda: NOW)
    replies, state = await dialog.handle(TextEvent(text=text, sender=PATIENT), None)
    return "\n".join(r.text for r in replies), state, api


@pytest.mark.parametrize("mode", READER_MODES)
async def test_a_reader_mode_offers_no_tools_and_the_dialog_searches(mode: OutputMode) -> None:
    seen: list[AgentInfo] = []

    def reader(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        seen.append(info)
        return _json(act="inform", specialty="dentist", date_from="2026-11-30")

    _, state, api = await _turn(mode, reader, "хочу к зубному в понедельник")

    (info,) = seen
    assert info.function_tools == []
    assert info.model_request_parameters.output_mode == (
        "native" if mode == "json_schema" else "prompted"
    )
    assert state.offers  # found by the dialog's own search, through the API
    assert {offer.doctor_id for offer in state.offers} <= {3, 4}  # the clinic's dentists
    assert api.book_calls == []


async def test_the_prompted_mode_puts_the_schema_in_the_prompt() -> None:
    prompts: list[str] = []

    def reader(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        prompts.append(str(info.instructions))
        return _json(act="greet")

    await _turn("prompted", reader, "ну даже не знаю")  # nothing the offline rules read
    assert '"act"' in prompts[0]
    assert "other_doctor" in prompts[0]


@pytest.mark.parametrize("mode", READER_MODES)
async def test_slots_a_reader_makes_up_are_dropped(mode: OutputMode) -> None:
    def inventor(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        made_up = {"doctor_id": 3, "start": "2026-11-27T03:00:00+03:00"}
        return _json(act="inform", specialty="dentist", date_from="2026-11-27", proposals=[made_up])

    _, state, _ = await _turn(mode, inventor, "болит зуб, можно сегодня?")

    assert state.offers

    assert all(offer.start.astimezone(TZ).hour >= 9 for offer in state.offers)


@pytest.mark.parametrize("mode", ["tools", *READER_MODES])
async def test_an_emergency_never_reaches_the_model_in_any_mode(mode: OutputMode) -> None:
    def must_not_run(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        raise AssertionError("the model must not see an emergency message")

    text, state, _ = await _turn(mode, must_not_run, "задыхаюсь, не могу дышать, запишите")

    assert "103" in text or "112" in text
    assert state.offers == []


@pytest.mark.parametrize("mode", READER_MODES)
async def test_invalid_output_falls_back_and_is_counted_without_patient_text(
    mode: OutputMode, caplog: pytest.LogCaptureFixture
) -> None:
    def babbler(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return ModelResponse(parts=[TextPart("Конечно! Стоматолог ждёт вас.")])

    calls = _metric("clinic_llm_calls_total", mode=mode)
    invalid = _metric("clinic_llm_failures_total", mode=mode, reason="invalid_output")
    fallbacks = _metric("clinic_llm_fallbacks_total", mode=mode)
    with caplog.at_level(logging.INFO):
        _, state, _ = await _turn(mode, babbler, "зубная боль у Анны Петровой, завтра")

    assert state.offers  # offline understanding read the toothache and searched
    assert _metric("clinic_llm_calls_total", mode=mode) == calls + 1
    assert _metric("clinic_llm_failures_total", mode=mode, reason="invalid_output") == invalid + 1
    assert _metric("clinic_llm_fallbacks_total", mode=mode) == fallbacks + 1
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("llm turn")]
    for part in ("model=scripted", f"mode={mode}", "outcome=invalid_output", "fallback=yes"):
        assert part in line
    assert "input_tokens=" in line
    for private in ("Петров", "зуб", "Стоматолог"):  # the patient's words, the model's words
        assert private not in caplog.text


async def test_a_timeout_falls_back_and_is_counted() -> None:
    async def sleeper(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        await asyncio.sleep(5)
        raise AssertionError("unreachable")

    timeouts = _metric("clinic_llm_failures_total", mode="json_schema", reason="timeout")
    _, state, _ = await _turn("json_schema", sleeper, "болит зуб, завтра", timeout=0.2)

    assert state.offers
    assert _metric("clinic_llm_failures_total", mode="json_schema", reason="timeout") == (
        timeouts + 1
    )


async def test_an_answered_turn_counts_tokens_and_no_fallback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def reader(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return _json(act="inform", specialty="ent")

    fallbacks = _metric("clinic_llm_fallbacks_total", mode="json_schema")
    tokens = _metric("clinic_llm_tokens_total", kind="input")
    with caplog.at_level(logging.INFO):
        await _turn("json_schema", reader, "заложен нос")

    assert _metric("clinic_llm_fallbacks_total", mode="json_schema") == fallbacks
    assert _metric("clinic_llm_tokens_total", kind="input") > tokens
    assert any("outcome=ok fallback=no" in r.getMessage() for r in caplog.records)


async def test_a_turn_the_offline_rules_read_for_sure_is_counted_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def must_not_run(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        raise AssertionError("a definite offline reading must not reach the model")

    decided = _metric("clinic_llm_offline_decided_total", mode="json_schema")
    calls = _metric("clinic_llm_calls_total", mode="json_schema")
    with caplog.at_level(logging.INFO):
        await _turn("json_schema", must_not_run, "какие у меня записи?")

    assert _metric("clinic_llm_offline_decided_total", mode="json_schema") == decided + 1
    assert _metric("clinic_llm_calls_total", mode="json_schema") == calls
    assert any("outcome=offline_definite" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("mode", ["tools", *READER_MODES])
async def test_a_models_yes_alone_never_books(mode: OutputMode) -> None:
    readings: list[dict[str, Any]] = [
        {"act": "inform", "specialty": "dentist", "date_from": "2026-11-30"},
        {"act": "choose", "choice": 1},
        {"act": "contact", "name": "Анна Смирнова", "phone": "8 916 111-22-33"},
        {"act": "affirm"},  # to a question about the price: a model that says yes to anything
        {"act": "affirm"},  # to the patient's own "да"
    ]

    def yes_man(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        reading = readings.pop(0)
        if info.output_tools:
            return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, reading)])
        return _json(**reading)

    api = FakeApi()
    understander = LLMUnderstander(
        FunctionModel(yes_man), api, clinic_name=CLINIC.name, timeout=5,
        agent=build_agent(mode), mode=mode,
    )  # fmt: skip
    dialog = Dialog(api, CLINIC, understander=understander, clock=lambda: NOW)
    state = None
    for text in ("к зубному в понедельник", "первое", "Анна Смирнова, 8 916 111-22-33"):
        _, state = await dialog.handle(TextEvent(text=text, sender=PATIENT), state)
    assert state is not None
    assert state.step.value == "confirming"

    _, state = await dialog.handle(TextEvent(text="а сколько стоит приём?", sender=PATIENT), state)
    assert api.book_calls == []

    await dialog.handle(TextEvent(text="да", sender=PATIENT), state)
    assert len(api.book_calls) == 1


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (TimeoutError(), "timeout"),
        (UsageLimitExceeded("request_limit of 6"), "usage_limit"),
        (UnexpectedModelBehavior("Exceeded maximum retries"), "invalid_output"),
        (ModelHTTPError(500, "smollm2"), "http_error"),
        (ValueError("anything else"), "other"),
    ],
)
def test_failures_are_counted_under_a_closed_set_of_reasons(
    error: BaseException, reason: str
) -> None:
    assert failure_reason(error) == reason


def test_the_bot_serves_its_llm_counters_over_http() -> None:
    port = free_port()
    server = serve_metrics("127.0.0.1", port)
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    finally:
        server.shutdown()
        server.server_close()
    for name in (
        "clinic_llm_calls_total",
        "clinic_llm_failures_total",
        "clinic_llm_fallbacks_total",
    ):
        assert f"# HELP {name} " in text
