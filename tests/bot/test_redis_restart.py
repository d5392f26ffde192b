"""With REDIS_URL, a conversation survives a restart of the bot process."""

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from httpx import AsyncClient
from redis.asyncio import Redis

from tests.bot.conftest import BotProcess, start_bot
from tests.bot.fake_telegram import FakeTelegram, TgUser
from tests.conftest import LiveServer, bot_for

# A database of the tests' own, flushed around them (compose and CI may point elsewhere).
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
async def redis_db() -> AsyncIterator[str]:
    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    try:
        yield REDIS_URL
    finally:
        await redis.flushdb()
        await redis.aclose()


async def test_conversation_survives_a_bot_restart(
    demo_clinic: LiveServer,
    telegram: FakeTelegram,
    bot_processes: list[BotProcess],
    redis_db: str,
    tmp_path: Path,
) -> None:
    log = tmp_path / "bot.log"
    first = await start_bot(bot_processes, demo_clinic, telegram, log, REDIS_URL=redis_db)
    patient = TgUser(telegram, 3001, "Вера")
    await patient.says("нужен невролог на следующей неделе")
    await patient.expect("Ближайшее свободное время")

    assert await first.stop() == 0  # SIGTERM: a clean shutdown
    await start_bot(bot_processes, demo_clinic, telegram, log, REDIS_URL=redis_db)

    await patient.presses(" · ")  # a button from before the restart
    await patient.expect("На чьё имя записать?")
    await patient.presses("Записать на «Вера»")
    await patient.says("8 916 123 45 67")
    await patient.expect("Проверьте")
    await patient.presses("Записаться")
    await patient.expect("Вы записаны")

    async with AsyncClient(base_url=demo_clinic.url, headers=bot_for(3001)) as http:
        page = (await http.get("/appointments", params={"patient_telegram_id": 3001})).json()
    assert page["total"] == 1
    logged = log.read_text()
    assert "невролог на следующей" not in logged
    assert "Вера" not in logged
