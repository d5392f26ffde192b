"""The bot end to end once more, with the AI clinic manager on: the real bot process asks a
fake Chat Completions server on loopback, and books through the real API."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from httpx import AsyncClient

from tests.assistant.fake_llm import FakeChatCompletions
from tests.bot.conftest import BotProcess, start_bot
from tests.bot.fake_telegram import FakeTelegram, TgUser
from tests.conftest import LiveServer, bot_for


@pytest.fixture
async def fake_llm() -> AsyncIterator[FakeChatCompletions]:
    server = await FakeChatCompletions().start()
    yield server
    await server.stop()


async def test_agent_proposes_real_slots_and_the_patient_books_one(
    bot_processes: list[BotProcess],
    telegram: FakeTelegram,
    demo_clinic: LiveServer,
    fake_llm: FakeChatCompletions,
    tmp_path: Path,
) -> None:
    bot = await start_bot(
        bot_processes,
        demo_clinic,
        telegram,
        tmp_path / "bot.log",
        LLM_ENABLED="true",
        LLM_BASE_URL=fake_llm.url,
        LLM_API_KEY="sk-test",
        LLM_MODEL="clinic-manager-test",
    )
    patient = TgUser(telegram, 3001, "Ольга")

    await patient.says("зуб разболелся, запишите поскорее")
    await patient.expect("Нашёл свободное время")
    await patient.presses(" · ")  # a slot button the agent proposed and the engine verified
    await patient.expect("На чьё имя записать?")
    await patient.presses("Записать на «Ольга»")
    await patient.shares_contact("79161234567")
    await patient.expect("Проверьте, пожалуйста")
    await patient.presses("Записаться")
    await patient.expect("Вы записаны")

    async with AsyncClient(base_url=demo_clinic.url, headers=bot_for(3001)) as http:
        listed = (await http.get("/appointments", params={"patient_telegram_id": 3001})).json()
    (appointment,) = listed["items"]
    assert appointment["source"] == "bot"
    tool_results = [m for r in fake_llm.requests for m in r["messages"] if m["role"] == "tool"]
    assert tool_results  # the model saw real availability from the API
    assert await bot.stop() == 0
    assert "зуб" not in bot.log.read_text()  # the patient's words never reach the logs
