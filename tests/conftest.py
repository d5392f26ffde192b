"""Test fixtures: a real PostgreSQL, migrated once per run, and a rolled-back transaction per test.

TEST_DATABASE_URL names the server (CI: the machine's PostgreSQL 15); without it the embedded
PostgreSQL in .data/ serves. Each run works in a database of its own, dropped at the end.
"""

import asyncio
import os
import secrets
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient, TransportError
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from clinic.api.app import create_app
from clinic.api.deps import get_session
from clinic.core.database import (
    DriverPool,
    async_url,
    create_engine,
    create_sessionmaker,
    embedded_server_url,
)
from clinic.core.migrations import upgrade_head
from clinic.core.settings import Settings, get_settings

ADMIN_TOKEN = "admin-test-token"
BOT_TOKEN = "bot-test-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
BOT_PATIENT = 777  # the Telegram user the `BOT` headers act for


def bot_for(patient_telegram_id: int) -> dict[str, str]:
    """Headers of the `bot` role acting for one patient, as the bot sends them."""
    return {
        "Authorization": f"Bearer {BOT_TOKEN}",
        "X-Patient-Telegram-Id": str(patient_telegram_id),
    }


BOT = bot_for(BOT_PATIENT)


def _server_url() -> str:
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        return async_url(configured)
    return async_url(embedded_server_url(Path(".data"), database="postgres"))


async def _admin(server_url: str, statement: str) -> None:
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(statement))
    await engine.dispose()


@pytest.fixture(scope="session")
async def database_url() -> AsyncIterator[str]:
    """A freshly migrated database for this test run."""
    server_url = _server_url()
    name = f"clinic_test_{os.getpid()}_{secrets.token_hex(3)}"
    await _admin(server_url, f'CREATE DATABASE "{name}"')
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        # Alembic's env runs its own event loop, so it gets a thread of its own.
        await asyncio.to_thread(upgrade_head, url)
        yield url
    finally:
        await _admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session inside a transaction that is rolled back after the test; app commits are
    savepoints, so code under test may commit and roll back freely."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        session = AsyncSession(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield session
        finally:
            await session.close()
            await transaction.rollback()


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings from a clean environment plus test tokens; tests may set more env first."""
    for name in ("DATABASE_URL", "API_TOKENS", "ENVIRONMENT", "CLINIC_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("API_TOKENS", f"admin:{ADMIN_TOKEN},bot:{BOT_TOKEN}")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


class SessionExecutors:
    """The hot routes' executor in a test: the test's session, so their writes stay in its
    rolled-back transaction (committed as a savepoint, rolled back on an error)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @asynccontextmanager
    async def executor(self) -> AsyncIterator[AsyncSession]:
        try:
            yield self.session
            await self.session.commit()
        except BaseException:
            await self.session.rollback()
            raise


@pytest.fixture
async def client(settings: Settings, session: AsyncSession) -> AsyncIterator[AsyncClient]:
    """The API over ASGI, every request in the test's rolled-back transaction (the hot
    routes' too)."""
    app = create_app(settings)
    app.state.database = SessionExecutors(session)

    async def test_session() -> AsyncIterator[AsyncSession]:
        async with app.state.database.executor() as executor:
            yield executor

    app.dependency_overrides[get_session] = test_session
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://clinic") as http:
        yield http


TABLES = (
    "waitlist_opening, waitlist_offer, waitlist_entry, hold, appointment_event, "
    "idempotency_key, appointment, schedule_exception, working_hours, "
    "closed_date, doctor, specialty"
)


@pytest.fixture
async def driver_pool(settings: Settings, database_url: str) -> AsyncIterator[DriverPool]:
    """The hot routes' asyncpg pool of `committed_client`, as `clinic serve` has one."""
    pool = DriverPool(database_url, settings)
    yield pool
    await pool.close()


@pytest.fixture
async def committed_client(
    settings: Settings, engine: AsyncEngine, driver_pool: DriverPool
) -> AsyncIterator[AsyncClient]:
    """The API with real, committed transactions, for concurrency tests; emptied afterwards.
    The hot routes run on their own asyncpg pool, as served."""
    app = create_app(settings)
    app.state.sessionmaker = create_sessionmaker(engine)
    app.state.database = driver_pool
    try:
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://clinic") as http:
            yield http
    finally:
        await empty_tables(engine)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path  # the server's stderr: a file, so a chatty server never blocks on a full pipe


@asynccontextmanager
async def served_api(
    database_url: str, log: Path, environ: Mapping[str, str] | None = None, /, **settings: str
) -> AsyncIterator[LiveServer]:
    """`clinic serve` under uvicorn on loopback, on the given database, with extra settings
    from the environment (this process's, or `environ`); stopped (SIGTERM) on leaving."""
    port = free_port()
    env = dict(os.environ if environ is None else environ) | {
        "DATABASE_URL": database_url,
        "API_TOKENS": f"admin:{ADMIN_TOKEN},bot:{BOT_TOKEN}",
        "ENVIRONMENT": "local",
        **settings,
    }
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "clinic.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", process, log)
    try:
        await _wait_ready(server)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


async def empty_tables(engine: AsyncEngine) -> None:
    """Everything a test may have committed, gone (the schema and the job queue stay)."""
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="session")
async def shared_api(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[LiveServer]:
    """One real `clinic serve` for the whole run, on the test database: starting one takes
    seconds, and a served API keeps nothing between requests that the database does not hold.
    Session fixtures are set up before a test's own, so no test's environment leaks into it."""
    async with served_api(database_url, tmp_path_factory.mktemp("api") / "api.log") as server:
        yield server


@pytest.fixture
async def live_api(shared_api: LiveServer, engine: AsyncEngine) -> AsyncIterator[LiveServer]:
    """The real `clinic serve` under uvicorn on loopback (the run's shared one), on the test
    database; data committed by the test is truncated afterwards."""
    try:
        yield shared_api
    finally:
        await empty_tables(engine)


@pytest.fixture
async def fresh_api(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> AsyncIterator[LiveServer]:
    """A `clinic serve` of the test's own, for a test that stops it or reads its counters
    from zero; data committed by the test is truncated afterwards."""
    try:
        async with served_api(database_url, tmp_path / "api.log") as server:
            yield server
    finally:
        await empty_tables(engine)


async def seed_demo_clinic(engine: AsyncEngine) -> None:
    """The demo clinic, committed."""
    from clinic.demo.seed import seed_demo
    from tests.factories import clinic_today

    async with AsyncSession(engine) as session, session.begin():
        await seed_demo(session, clinic_today())


@pytest.fixture
async def demo_clinic(live_api: LiveServer, engine: AsyncEngine) -> LiveServer:
    """The live API with the demo clinic in it (live_api empties the tables afterwards)."""
    await seed_demo_clinic(engine)
    return live_api


async def _wait_ready(server: LiveServer) -> None:
    async with AsyncClient(base_url=server.url) as http:
        for _ in range(600):
            if server.process.poll() is not None:
                raise RuntimeError(f"clinic serve exited early:\n{server.log.read_text()}")
            try:
                if (await http.get("/ready")).status_code == 200:
                    return
            except TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("clinic serve did not become ready in 60 s")
