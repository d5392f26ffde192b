"""The per-patient rate limit with Redis storage: one bucket per patient in Redis, shared by
every bot process, so a flood spread over processes still reaches the dialog `burst` times."""

import os
import time
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import Update
from redis.asyncio import Redis

from clinic.bot.app import create_dispatcher
from clinic.bot.ratelimit import KEY_PREFIX, SLOW_DOWN, SharedPatientRateLimit
from clinic.core.settings import Settings
from clinic.dialog import Conversation, Dialog, Event
from clinic.dialog.engine import Replies
from tests.bot.conftest import TELEGRAM_TOKEN
from tests.bot.fake_telegram import FakeTelegram
from tests.dialog.conftest import CLINIC
from tests.dialog.fakes import NOW, FakeApi

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL)
    await client.flushdb()
    try:
        yield client
    finally:
        await client.flushdb()
        await client.aclose()


async def test_two_processes_spend_one_bucket(redis: Redis) -> None:
    first = SharedPatientRateLimit(redis, burst=3, per_minute=1)
    second = SharedPatientRateLimit(redis, burst=3, per_minute=1)  # another bot process

    answers = [await limit.take(7001) for limit in (first, second) * 3]

    assert [allowed for allowed, _ in answers] == [True, True, True, False, False, False]
    assert [first_refusal for _, first_refusal in answers] == [False] * 3 + [True, False, False]
    assert (await second.take(7002))[0]  # another patient has a bucket of their own


async def test_the_shared_bucket_refills_at_the_rate(redis: Redis) -> None:
    now = [1_800_000_000.0]
    limit = SharedPatientRateLimit(redis, burst=3, per_minute=6, clock=lambda: now[0])
    assert [(await limit.take(7003))[0] for _ in range(4)] == [True, True, True, False]
    assert await limit.take(7003) == (False, False)  # told once already
    now[0] += 10  # one message per 10 s
    assert await limit.take(7003) == (True, False)
    assert await limit.take(7003) == (False, True)  # a new pause is announced again


async def test_a_bucket_expires_once_it_would_be_full_again(redis: Redis) -> None:
    limit = SharedPatientRateLimit(redis, burst=3, per_minute=6)
    await limit.take(7004)
    ttl = await redis.pttl(f"{KEY_PREFIX}7004")
    assert 0 < ttl <= 31_000  # refilled from empty in 30 s, plus a second


class CountingDialog(Dialog):
    def __init__(self) -> None:
        super().__init__(FakeApi(), CLINIC, clock=lambda: NOW)
        self.turns = 0

    async def handle(
        self, event: Event, state: Conversation | None
    ) -> tuple[Replies, Conversation]:
        self.turns += 1
        return [], state or Conversation(lang=event.sender.lang)


def _message(update_id: int, user_id: int) -> Update:
    user = {"id": user_id, "is_bot": False, "first_name": "Ivan", "language_code": "ru"}
    chat = {"id": user_id, "type": "private", "first_name": "Ivan"}
    message = {"message_id": update_id, "date": int(time.time()), "chat": chat, "from": user}
    return Update.model_validate({"update_id": update_id, "message": {**message, "text": "hi"}})


async def test_a_flood_over_two_bot_processes_reaches_the_dialog_burst_times(
    redis: Redis, telegram: FakeTelegram
) -> None:
    settings = Settings(redis_url=REDIS_URL, bot_rate_limit_burst=3, bot_rate_limit_per_minute=1)
    dialogs = [CountingDialog(), CountingDialog()]
    dispatchers = [create_dispatcher(settings, dialog) for dialog in dialogs]
    assert all(isinstance(d.fsm.storage, RedisStorage) for d in dispatchers)
    bot = Bot(TELEGRAM_TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(telegram.url)))
    try:
        for update_id in range(1, 13):
            await dispatchers[update_id % 2].feed_update(bot, _message(update_id, 7005))
    finally:
        await bot.session.close()
        for dispatcher in dispatchers:
            await dispatcher.fsm.storage.close()

    assert sum(dialog.turns for dialog in dialogs) == 3
    notices = [m for m in telegram.chats[7005] if m["text"] == SLOW_DOWN["ru"]]
    assert len(notices) == 1  # told once, by whichever process refused first
