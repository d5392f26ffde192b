"""The bot end to end: the real API (live_api), a fake Telegram Bot API, the real bot process.

Starting `clinic serve` takes seconds, so one API process serves the whole run (the root
`shared_api`); each test still starts from empty tables (and the demo clinic, with
`demo_clinic`).
"""

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.bot.fake_telegram import FakeTelegram
from tests.bot.proxy import Relay
from tests.conftest import BOT_TOKEN, LiveServer, empty_tables, free_port

TELEGRAM_TOKEN = "123456:TEST-token"
# Settings the bot must not inherit from the developer's shell.
_SCRUBBED = (
    "REDIS_URL",
    "BOT_MODE",
    "WEBHOOK_",
    "LLM_",
    "TELEGRAM_",
    "CLINIC_API_",
    "DATABASE_URL",
)


@pytest.fixture(scope="module")
async def module_api(shared_api: LiveServer) -> LiveServer:
    """The real `clinic serve` the module's bot books through: the run's shared one."""
    return shared_api


@pytest.fixture
async def live_api(module_api: LiveServer, engine: AsyncEngine) -> AsyncIterator[LiveServer]:
    """The module's API, emptied after each test (the root `demo_clinic` seeds it)."""
    try:
        yield module_api
    finally:
        await empty_tables(engine)


@pytest.fixture(scope="module")
async def telegram() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram(TELEGRAM_TOKEN)
    await fake.start(free_port())
    try:
        yield fake
    finally:
        await fake.stop()


def bot_env(api_url: str, telegram: FakeTelegram, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED)}
    return env | {
        "CLINIC_API_URL": api_url,
        "CLINIC_API_TOKEN": BOT_TOKEN,
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_API_URL": telegram.url,
        "LLM_ENABLED": "false",
        "LOG_LEVEL": "INFO",
        # A scripted patient types faster than any person: the flood limit is not tested here.
        "BOT_RATE_LIMIT_BURST": "100",
        **extra,
    }


class BotProcess:
    """`clinic bot` as a subprocess; its log goes to a file the test can read."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        self._log_file = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "clinic.cli", "bot"],
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )

    async def ready(self, telegram: FakeTelegram, polls_before: int) -> None:
        # A ceiling, not a wait: a fresh checkout compiles aiogram's and (with the LLM on)
        # pydantic-ai's bytecode on the first start, which on a busy machine takes a while.
        for _ in range(1200):
            if self.process.poll() is not None:
                raise RuntimeError(f"clinic bot exited early:\n{self.log.read_text()}")
            if len(telegram.called("getUpdates")) > polls_before:
                return
            await asyncio.sleep(0.05)
        raise RuntimeError(f"clinic bot did not poll within 60 s:\n{self.log.read_text()}")

    async def stop(self) -> int:
        """SIGTERM, as a service manager sends it; returns the exit code. Waits without
        blocking the loop: the fake Telegram in this loop must keep answering meanwhile."""
        if self.process.poll() is None:
            self.process.terminate()
            for _ in range(200):
                if self.process.poll() is not None:
                    break
                await asyncio.sleep(0.05)
            else:
                self.process.kill()
                self.process.wait()
        self._log_file.close()
        return self.process.returncode


@pytest.fixture
async def bot_processes() -> AsyncIterator[list[BotProcess]]:
    processes: list[BotProcess] = []
    yield processes
    for process in processes:
        await process.stop()


async def start_bot(
    processes: list[BotProcess],
    api: LiveServer,
    telegram: FakeTelegram,
    log: Path,
    **extra: str,
) -> BotProcess:
    process = BotProcess(bot_env(api.url, telegram, **extra), log)
    processes.append(process)
    await process.ready(telegram, len(telegram.called("getUpdates")))
    return process


@pytest.fixture(scope="module")
async def relay() -> AsyncIterator[Relay]:
    relay = Relay()
    await relay.start(free_port())
    try:
        yield relay
    finally:
        await relay.stop()


@pytest.fixture(scope="module")
async def shared_bot(
    telegram: FakeTelegram, relay: Relay, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[BotProcess]:
    """One real bot process per module, talking to the API through the relay."""
    env = bot_env(relay.url, telegram)
    process = BotProcess(env, tmp_path_factory.mktemp("bot") / "bot.log")
    try:
        await process.ready(telegram, 0)
        yield process
    finally:
        assert await process.stop() == 0, "the bot did not shut down cleanly on SIGTERM"


@pytest.fixture
async def bot(demo_clinic: LiveServer, relay: Relay, shared_bot: BotProcess) -> BotProcess:
    """The real bot, long polling the fake Telegram, booking through this test's live API."""
    relay.upstream = demo_clinic.url
    return shared_bot
