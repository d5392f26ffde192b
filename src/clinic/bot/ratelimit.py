"""Per-patient rate limit: a flood of messages must not become a flood of API or LLM calls.

A token bucket per Telegram user: `burst` updates at once, refilled at `per_minute`. An update
over the limit is dropped before it reaches the conversation (no FSM lock, no storage, no API,
no LLM); the patient is told once per pause. With memory storage the buckets live in this
process; with Redis storage (several bot processes) they live in Redis, updated by one atomic
script, so the limit is the same whichever process Telegram's updates reach.
"""

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject, User
from redis.asyncio import Redis

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
    """The limit with buckets in this process (memory storage: one bot process)."""

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

    async def take(self, user_id: int) -> tuple[bool, bool]:
        return self.allow(user_id)

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
        allowed, first_refusal = await self.take(user.id)
        if allowed:
            return await handler(event, data)
        log.warning("rate limit: update dropped")
        if first_refusal:
            bot: Bot = data["bot"]
            lang = "en" if (user.language_code or "").startswith("en") else "ru"
            await bot.send_message(chat_id=user.id, text=SLOW_DOWN[lang])
        return None


# The same bucket as `PatientRateLimit.allow`, read and written in one step inside Redis, so
# two processes never both spend the last token. The clock is Redis's own (TIME), which every
# bot process shares, unless the caller passes one. A bucket left alone until it is full again
# expires, so Redis keeps only the patients who wrote lately.
_TAKE = """
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if now == nil then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated', 'warned')
local tokens = tonumber(state[1]) or burst
local updated = tonumber(state[2]) or now
local warned = state[3] == '1'
tokens = math.min(burst, tokens + math.max(0, now - updated) * rate)
local allowed, first = 0, 0
if tokens >= 1 then
  tokens = tokens - 1
  warned = false
  allowed = 1
else
  if not warned then first = 1 end
  warned = true
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(now),
           'warned', warned and '1' or '0')
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {allowed, first}
"""
KEY_PREFIX = "clinic:ratelimit:"


class SharedPatientRateLimit(PatientRateLimit):
    """The limit with buckets in Redis (Redis storage: any number of bot processes)."""

    def __init__(
        self,
        redis: Redis,
        burst: int,
        per_minute: int,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(burst, per_minute)
        self._script = redis.register_script(_TAKE)
        self._redis_clock = clock

    async def take(self, user_id: int) -> tuple[bool, bool]:
        now = "" if self._redis_clock is None else repr(self._redis_clock())
        allowed, first = await self._script(
            keys=[f"{KEY_PREFIX}{user_id}"], args=[self.burst, repr(self.rate), now]
        )
        return bool(allowed), bool(first)
