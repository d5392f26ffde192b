"""One offline turn of the booking dialog, send -> reply, through the bot over HTTP.

The real `clinic bot` process long-polls a fake Telegram Bot API on loopback and books
through a real `clinic serve` on PostgreSQL with the demo clinic; the LLM is off. A message
is "sent" when the fake Telegram queues it and "answered" when the bot's reply arrives.
`/help` (no understanding, no API call) is the baseline: the transport's own cost.

    uv run python benchmarks/dialog_bench.py [--turns 40]

Uses TEST_DATABASE_URL's server (a scratch database, dropped at the end) or the embedded one.
"""

import argparse
import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from httpx import AsyncClient, TransportError
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from clinic.core.database import async_url, create_engine, embedded_server_url
from clinic.core.migrations import upgrade_head
from clinic.core.timeutils import utcnow
from clinic.demo.seed import seed_demo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fake Telegram of the bot tests serves here too
from tests.bot.fake_telegram import FakeTelegram, TgUser  # noqa: E402

ADMIN, BOT = "bench-admin", "bench-bot"
TELEGRAM_TOKEN = "123456:BENCH"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _admin(server: str, sql: str) -> None:
    engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(sql))
    await engine.dispose()


def _clean_env() -> dict[str, str]:
    scrubbed = ("REDIS_URL", "LLM_", "TELEGRAM_", "CLINIC_API_", "DATABASE_URL", "BOT_MODE")
    return {k: v for k, v in os.environ.items() if not k.startswith(scrubbed)}


async def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    async with AsyncClient(base_url=url) as http:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError("clinic serve exited early")
            try:
                if (await http.get("/ready")).status_code == 200:
                    return
            except TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("clinic serve did not become ready")


async def _timed(turns: int, one: Callable[[int], Awaitable[None]]) -> list[float]:
    timings = []
    for i in range(turns):
        started = time.perf_counter()
        await one(i)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def measure(database_url: str, turns: int) -> dict[str, list[float]]:
    engine = create_engine(database_url)
    async with AsyncSession(engine) as session, session.begin():
        await seed_demo(session, utcnow().date())
    await engine.dispose()

    api_port = _free_port()
    api_env = _clean_env() | {
        "DATABASE_URL": database_url,
        "API_TOKENS": f"admin:{ADMIN},bot:{BOT}",
        "ENVIRONMENT": "local",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "clinic.cli"]
    api = subprocess.Popen(
        [*command, "serve", "--port", str(api_port)],
        env=api_env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    telegram = FakeTelegram(TELEGRAM_TOKEN)
    await telegram.start(_free_port())
    bot_env = _clean_env() | {
        "CLINIC_API_URL": f"http://127.0.0.1:{api_port}",
        "CLINIC_API_TOKEN": BOT,
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_API_URL": telegram.url,
        "LLM_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
    }
    bot = subprocess.Popen(
        [*command, "bot"], env=bot_env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        await _wait_ready(f"http://127.0.0.1:{api_port}", api)
        await telegram.wait_until(lambda: telegram.called("getUpdates"), timeout=60)
        patients = [TgUser(telegram, 10_000 + i, "Бенч") for i in range(turns + 5)]

        async def help_turn(i: int) -> None:
            await patients[i].says("/help")
            await patients[i].expect("/my")

        async def first_turn(i: int) -> None:
            await patients[i].says("болит зуб, на следующей неделе после 15")
            await patients[i].expect("(стоматолог)")

        async def later_turn(i: int) -> None:
            await patients[i].says("а можно попозже?")
            await patients[i].expect("Позже")

        for i in range(5):  # warm-up: imports, connection pools, the directory cache
            await help_turn(turns + i)
            await first_turn(turns + i)
        return {
            "help": await _timed(turns, help_turn),
            "first": await _timed(turns, first_turn),
            "later": await _timed(turns, later_turn),
        }
    finally:
        for process in (bot, api):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        await telegram.stop()


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


async def main(turns: int) -> None:
    configured = os.environ.get("TEST_DATABASE_URL")
    server = (
        async_url(configured)
        if configured
        else async_url(embedded_server_url(Path(".data"), "postgres"))
    )
    name = f"clinic_bench_{secrets.token_hex(3)}"
    await _admin(server, f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        await asyncio.to_thread(upgrade_head, url)
        results = await measure(url, turns)
    finally:
        await _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    base = statistics.median(results["help"])
    print(f"{turns} turns each, send -> reply through the bot over HTTP (offline, no LLM)")
    print(f"{'turn':<44}{'median':>10}{'p95':>10}{'x /help':>9}")
    for key, label in (
        ("help", "/help (baseline: transport only)"),
        ("first", "'болит зуб, на следующей неделе после 15'"),
        ("later", "'а можно попозже?' (offers on screen)"),
    ):
        median = statistics.median(results[key])
        print(f"{label:<44}{median:>8.1f}ms{_p95(results[key]):>8.1f}ms{median / base:>9.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=40)
    asyncio.run(main(parser.parse_args().turns))
