"""Sending a claimed message: Telegram's 429 is waited out, any other failure is not retried."""

from types import SimpleNamespace
from typing import Any, cast

from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter
from aiogram.methods import SendMessage

from clinic.dialog.events import Reply
from clinic.worker.telegram import SEND_ATTEMPTS, send_claimed

METHOD = SendMessage(chat_id=1, text="x")


class FakeBot:
    """Telegram at the outer edge: answers each send with the next planned outcome."""

    def __init__(self, *outcomes: Exception | int) -> None:
        self.outcomes = list(outcomes)
        self.sends = 0

    async def send_message(self, **_: Any) -> SimpleNamespace:
        self.sends += 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return SimpleNamespace(message_id=outcome)


def refused(seconds: int = 0) -> TelegramRetryAfter:
    return TelegramRetryAfter(method=METHOD, message="Too Many Requests", retry_after=seconds)


async def test_a_429_is_waited_out_and_sent_again() -> None:
    bot = FakeBot(refused(), 77)
    assert await send_claimed(cast(Bot, bot), 1, Reply(text="hi")) == 77
    assert bot.sends == 2


async def test_429s_past_the_attempts_give_up() -> None:
    bot = FakeBot(*[refused()] * SEND_ATTEMPTS)
    assert await send_claimed(cast(Bot, bot), 1, Reply(text="hi")) == "TelegramRetryAfter"
    assert bot.sends == SEND_ATTEMPTS


async def test_a_long_wait_is_not_waited() -> None:
    bot = FakeBot(refused(3600))
    assert await send_claimed(cast(Bot, bot), 1, Reply(text="hi")) == "TelegramRetryAfter"
    assert bot.sends == 1


async def test_a_failure_that_may_have_delivered_is_not_retried() -> None:
    bot = FakeBot(TelegramNetworkError(method=METHOD, message="timeout"), 5)
    assert await send_claimed(cast(Bot, bot), 1, Reply(text="hi")) == "TelegramNetworkError"
    assert bot.sends == 1
