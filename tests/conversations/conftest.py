"""The real API for the conversation set: `clinic serve` under libfaketime at the set's "now"."""

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from httpx import AsyncClient, TransportError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import ADMIN_TOKEN, BOT_TOKEN, TABLES, free_port
from tests.conversations.cases import CLINIC_TZ, NOW

REQUIRE = "CLINIC_REQUIRE_FAKETIME"


@dataclass(frozen=True)
class FakedApi:
    url: str
    clock: Callable[[], datetime]  # the same ticking "now" as the server's, for the Dialog


def faketime_or_skip() -> str:
    """The `faketime` wrapper; without it the set cannot run at its fixed "now"."""
    found = shutil.which("faketime")
    if found is None:
        reason = "libfaketime's `faketime` is not installed (Debian: apt-get install faketime)"
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{reason}, and {REQUIRE}=1 requires it")
        pytest.skip(reason)
    return found


async def _empty(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="module")
async def faked_api(
    database_url: str, engine: AsyncEngine, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[FakedApi]:
    """The API on the test database, its wall clock starting at NOW and ticking."""
    faketime = faketime_or_skip()
    await _empty(engine)
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "API_TOKENS": f"admin:{ADMIN_TOKEN},bot:{BOT_TOKEN}",
        "ENVIRONMENT": "local",
        "CLINIC_TIMEZONE": CLINIC_TZ,
        "MIN_NOTICE_MINUTES": "30",
        "BOOKING_HORIZON_DAYS": "60",
        "TZ": "UTC",  # faketime reads its start time in the process's zone
    }
    start = NOW.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    log = tmp_path_factory.mktemp("conversations") / "api.log"
    command = [faketime, start, sys.executable, "-m", "clinic.cli", "serve", "--port", str(port)]
    started = time.monotonic()
    with log.open("wb") as log_file:
        # The faketime wrapper forks the server: a session of its own lets the whole group
        # be stopped, so no server outlives the test.
        process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
            start_new_session=True,
        )

    def clock() -> datetime:
        return NOW + timedelta(seconds=time.monotonic() - started)

    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_ready(url, process, log.read_text)
        yield FakedApi(url, clock)
    finally:
        _stop(process)
        await _empty(engine)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the wrapper and the server it forked (one process group), and wait until
    every process of the group is gone."""
    for sig, grace in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            process.poll()  # reaps the wrapper once it exits
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
    process.wait(timeout=5)


async def _wait_ready(
    url: str, process: subprocess.Popen[bytes], read_log: Callable[[], str]
) -> None:
    async with AsyncClient(base_url=url) as http:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(f"clinic serve under faketime exited early:\n{read_log()}")
            try:
                if (await http.get("/ready")).status_code == 200:
                    return
            except TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("clinic serve under faketime did not become ready in 60 s")
