"""Running real workers in a test: procrastinate on the test PostgreSQL, with a clock the test
moves and the fake Bot API they send through.

`run_jobs` queues the given jobs, then runs two workers side by side until the queue is empty,
as two processes would; a worker told not to wait stops when it finds the queue empty, which
may be while its other job is queueing more, hence the loop.
"""

import asyncio
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from clinic.core.settings import Settings
from clinic.worker.app import create_job_app
from clinic.worker.run import run_worker
from tests.bot.conftest import TELEGRAM_TOKEN
from tests.bot.fake_telegram import FakeTelegram


class Clock:
    """The workers' "now", moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def worker_settings(database_url: str, telegram: FakeTelegram) -> Settings:
    return Settings(
        database_url=database_url,
        telegram_bot_token=TELEGRAM_TOKEN,
        telegram_api_url=telegram.url,
        reminder_hours="24,2",
        worker_concurrency=4,
        _env_file=None,
    )


async def run_jobs(
    database_url: str,
    engine: AsyncEngine,
    telegram: FakeTelegram,
    clock: Clock,
    jobs: list[tuple[str, dict[str, Any]]],
) -> None:
    """Queue `jobs` (task name, arguments; copies skip the queue's own dedup), then run two
    workers at once until no job is left."""
    app = create_job_app(database_url)
    async with app.open_async():
        for task, arguments in jobs:
            await app.configure_task(task).defer_async(**arguments)
    settings = worker_settings(database_url, telegram)
    while await waiting_jobs(engine):
        await asyncio.gather(
            *(
                run_worker(
                    settings, name=name, clock=clock, wait=False, install_signal_handlers=False
                )
                for name in ("worker-a", "worker-b")
            )
        )


async def waiting_jobs(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        count = await connection.scalar(
            text("SELECT count(*) FROM procrastinate.procrastinate_jobs WHERE status = 'todo'")
        )
    return int(count or 0)


async def empty_queue(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("TRUNCATE procrastinate.procrastinate_jobs CASCADE"))
