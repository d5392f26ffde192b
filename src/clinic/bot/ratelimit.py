"""Per-patient rate limit: a flood of messages must not become a flood of API or LLM calls.

A token bucket per Telegram user: `burst` updates at once, refilled at `per_minute`. An update
over the limit is dropped before it reaches the conversation (no FSM lock, no storage, no API,
no LLM); the patient is told once per pause. Buckets live in this process: with several bot
processes each keeps its own, which still bounds what one patient can cost.
"""

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject, User

log = logging.getLogger(__name__)

SLOW_DOWN = {
    "ru": "Слишком много сообщений подряд. Подождите немного, пожалуйста, и напишите снова.",
    "en": "That is a lot of messages at once. Please wait a moment and write again.",
}
# Buckets of users who have been quiet long enough are full again: forget them past this many.
MAX_TRACKED_USERS = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned: bool = False


class PatientRateLimit(BaseMiddleware):
    def __init__(
        self, burst: int, per_minute: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = burst
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[int, _Bucket] = {}

    def allow(self, user_id: int) -> tuple[bool, bool]:
        """(allowed, first refusal of this pause) for one update of this user."""
        now = self.clock()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            self._forget_quiet_users(now)
            bucket = self._buckets[user_id] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return True, False
        first = not bucket.warned
        bucket.warned = True
        return False, first

    def _forget_quiet_users(self, now: float) -> None:
        if len(self._buckets) < MAX_TRACKED_USERS:
            return
        full_after = self.burst / self.rate
        self._buckets = {
            user: b for user, b in self._buckets.items() if now - b.updated < full_after
        }

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        allowed, first_refusal = self.allow(user.id)
        if allowed:
            return await handler(event, data)
        log.warning("rate limit: update dropped")
        if first_refusal:
            bot: Bot = data["bot"]
            lang = "en" if (user.language_code or "").startswith("en") else "ru"
            await bot.send_message(chat_id=user.id, text=SLOW_DOWN[lang])
        return None
