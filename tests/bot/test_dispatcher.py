"""The dispatcher's middleware order: shutdown waits for in-flight updates before the FSM
storage and its per-user locks close, and a flooding patient is stopped before the FSM."""

import asyncio
import time

from aiogram import Bot
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import Update
from pydantic import SecretStr

from clinic.bot.app import create_dispatcher
from clinic.bot.inflight import InFlight
from clinic.bot.ratelimit import PatientRateLimit
from clinic.core.settings import Settings
from clinic.dialog import Conversation, Dialog, Event
from clinic.dialog.engine import Replies
from tests.bot.conftest import TELEGRAM_TOKEN
from tests.dialog.conftest import CLINIC
from tests.dialog.fakes import NOW, FakeApi


class SlowDialog(Dialog):
    """Holds each turn until the test lets it finish."""

    def __init__(self) -> None:
        super().__init__(FakeApi(), CLINIC, clock=lambda: NOW)
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def handle(
        self, event: Event, state: Conversation | None
    ) -> tuple[Replies, Conversation]:
        self.entered.set()
        await self.release.wait()
        return [], state or Conversation(lang=event.sender.lang)


class RecordingStorage(MemoryStorage):
    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self.log = log

    async def close(self) -> None:
        self.log.append("storage closed")
        await super().close()


def _update(user_id: int) -> Update:
    user = {"id": user_id, "is_bot": False, "first_name": "Ivan"}
    return Update.model_validate(
        {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": user_id, "type": "private", "first_name": "Ivan"},
                "from": user,
                "text": "hello",
            },
        }
    )


def test_in_flight_and_the_rate_limit_wrap_the_fsm() -> None:
    dispatcher = create_dispatcher(Settings(redis_url=None), Dialog(FakeApi(), CLINIC))
    kinds = [type(m) for m in dispatcher.update.outer_middleware]
    assert kinds.index(InFlight) < kinds.index(PatientRateLimit) < kinds.index(FSMContextMiddleware)


async def test_shutdown_closes_the_storage_only_after_in_flight_updates() -> None:
    log: list[str] = []
    dialog = SlowDialog()
    dispatcher = create_dispatcher(Settings(redis_url=None), dialog)
    dispatcher.fsm.storage = RecordingStorage(log)
    bot = Bot(TELEGRAM_TOKEN)
    context = {"dispatcher": dispatcher, **dispatcher.workflow_data}

    handling = asyncio.create_task(dispatcher.feed_update(bot, _update(6001)))
    await dialog.entered.wait()
    stopping = asyncio.create_task(dispatcher.emit_shutdown(bot=bot, **context))
    await asyncio.sleep(0.2)
    assert log == []  # still waiting for the update

    dialog.release.set()
    await handling
    log.append("update done")
    await stopping
    # The lock was released and the state saved before the storage closed.
    assert log == ["update done", "storage closed"]
    await bot.session.close()


def test_a_bucket_allows_a_burst_then_the_sustained_rate() -> None:
    now = [0.0]
    limit = PatientRateLimit(burst=3, per_minute=6, clock=lambda: now[0])
    assert [limit.allow(1)[0] for _ in range(4)] == [True, True, True, False]
    assert limit.allow(1) == (False, False)  # told once already
    assert limit.allow(2)[0]  # another patient has a bucket of their own
    now[0] += 10  # one message per 10 s
    assert limit.allow(1) == (True, False)
    assert limit.allow(1) == (False, True)  # a new pause is announced again


def test_settings_name_the_limits() -> None:
    settings = Settings(
        bot_rate_limit_burst=2, bot_rate_limit_per_minute=4, telegram_bot_token=SecretStr("x")
    )
    dispatcher = create_dispatcher(settings, Dialog(FakeApi(), CLINIC))
    (limit,) = [m for m in dispatcher.update.outer_middleware if isinstance(m, PatientRateLimit)]
    assert (limit.burst, limit.rate) == (2, 4 / 60)
