"""The wire path: the real OpenAI-compatible model class against a fake server on loopback."""

from collections.abc import AsyncIterator, Iterator
from datetime import datetime

import pytest
from pydantic import SecretStr
from pydantic_ai import models

from clinic.core.settings import Settings
from clinic.dialog import ClinicInfo, Dialog, OfflineUnderstander, Sender, TextEvent
from clinic.dialog.llm_understanding import (
    LLMUnderstander,
    build_model,
    build_understander,
)
from tests.assistant.fake_llm import FakeChatCompletions
from tests.dialog.fakes import NOW, TZ, FakeApi

CLINIC = ClinicInfo(name="Test clinic", address="Moscow, Test st. 1", tz=TZ)


@pytest.fixture
async def fake_llm() -> AsyncIterator[FakeChatCompletions]:
    server = await FakeChatCompletions().start()
    yield server
    await server.stop()


@pytest.fixture(autouse=True)
def loopback_model_requests() -> Iterator[None]:
    # The only "model" here is our own server on 127.0.0.1.
    allowed, models.ALLOW_MODEL_REQUESTS = models.ALLOW_MODEL_REQUESTS, True
    yield
    models.ALLOW_MODEL_REQUESTS = allowed


def _settings(url: str, **extra: object) -> Settings:
    return Settings(
        llm_base_url=url,
        llm_api_key=SecretStr("sk-test"),
        llm_model="clinic-manager-test",
        llm_timeout_seconds=5,
        **extra,  # type: ignore[arg-type]
    )


async def test_openai_chat_model_speaks_the_chat_completions_protocol(
    fake_llm: FakeChatCompletions,
) -> None:
    api = FakeApi()
    understander = build_understander(_settings(fake_llm.url), api)
    assert isinstance(understander, LLMUnderstander)
    dialog = Dialog(api, CLINIC, understander=understander, clock=lambda: NOW)

    replies, state = await dialog.handle(
        TextEvent(
            text="болит зуб, когда можно?", sender=Sender(id=1, name="A", language_code="ru")
        ),
        None,
    )

    assert [o.start for o in state.offers][:1] == [datetime(2026, 11, 27, 13, tzinfo=TZ)]
    first, second = fake_llm.requests
    assert first["model"] == "clinic-manager-test"
    assert fake_llm.headers[0]["Authorization"] == "Bearer sk-test"
    assert first["messages"][0]["role"] == "system"
    assert "2026-11-27" in first["messages"][0]["content"]
    assert first["messages"][-1] == {"role": "user", "content": "болит зуб, когда можно?"}
    offered = {tool["function"]["name"] for tool in first["tools"]}
    assert offered == {
        "list_specialties", "list_doctors", "find_free_slots", "nearest_free_slots",
        "final_result",
    }  # fmt: skip
    assert second["messages"][-1]["role"] == "tool"  # the tool result went back to the model
    assert any("Нашёл" in r.text for r in replies)


async def test_http_error_falls_back_to_offline(fake_llm: FakeChatCompletions) -> None:
    fake_llm.status = 500
    api = FakeApi()
    dialog = Dialog(
        api, CLINIC, understander=build_understander(_settings(fake_llm.url), api),
        clock=lambda: NOW,
    )  # fmt: skip

    replies, state = await dialog.handle(
        TextEvent(text="болит зуб", sender=Sender(id=1, name="A", language_code="ru")), None
    )

    assert fake_llm.requests  # the model was asked...
    assert state.specialty == "dentist"  # ...and offline triage answered
    assert replies


def test_llm_is_off_unless_fully_configured_or_when_disabled() -> None:
    api = FakeApi()
    assert not Settings().llm_configured
    assert not _settings("http://127.0.0.1:9/v1", llm_enabled=False).llm_configured
    assert _settings("http://127.0.0.1:9/v1").llm_configured
    assert isinstance(build_understander(Settings(), api), OfflineUnderstander)
    assert build_model(_settings("http://127.0.0.1:9/v1")).model_name == "clinic-manager-test"
