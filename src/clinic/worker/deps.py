"""What every job may use, built once per worker process and handed to each job."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from aiogram import Bot
from procrastinate import JobContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from clinic.core.settings import Settings
from clinic.core.timeutils import utcnow
from clinic.dialog.clinic import ClinicInfo

CONTEXT_KEY = "clinic"


@dataclass(frozen=True)
class WorkerDeps:
    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]  # the clinic database (asyncpg)
    bot: Bot  # the Telegram Bot API, as the bot process uses it
    clinic: ClinicInfo
    # "Now" for every job's decisions; tests set their own clock.
    clock: Callable[[], datetime] = field(default=utcnow)


def deps_of(context: JobContext) -> WorkerDeps:
    deps = context.additional_context[CONTEXT_KEY]
    assert isinstance(deps, WorkerDeps)
    return deps
