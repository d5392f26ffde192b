"""The pool: a fixed set of connections opened once, and a dead one replaced at checkout."""

import asyncio

import asyncpg
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from clinic.core.database import DriverPool, connect_args, create_engine
from clinic.core.settings import Settings


def _count_connections(engine: AsyncEngine) -> list[object]:
    opened: list[object] = []
    event.listen(engine.sync_engine, "connect", lambda connection, record: opened.append(record))
    return opened


async def test_more_requests_than_connections_open_no_extra_connection(
    database_url: str,
) -> None:
    engine = create_engine(database_url, Settings(database_pool_size=2))
    opened = _count_connections(engine)

    async def query() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT pg_sleep(0.01)"))

    try:
        await asyncio.gather(*(query() for _ in range(20)))
        await asyncio.gather(*(query() for _ in range(20)))
    finally:
        await engine.dispose()
    assert len(opened) == 2  # the others waited for a connection instead of opening one


async def test_a_connection_the_server_closed_is_replaced_at_checkout(database_url: str) -> None:
    engine = create_engine(database_url)
    opened = _count_connections(engine)
    try:
        async with engine.connect() as connection:
            killed = await connection.scalar(text("SELECT pg_backend_pid()"))
        admin = await asyncpg.connect(
            make_url(database_url).set(drivername="postgresql").render_as_string(False)
        )
        try:
            await admin.execute("SELECT pg_terminate_backend($1)", killed)
        finally:
            await admin.close()
        await asyncio.sleep(0.2)  # the pooled connection reads the server's goodbye

        async with engine.connect() as connection:
            replacement = await connection.scalar(text("SELECT pg_backend_pid()"))
    finally:
        await engine.dispose()
    assert replacement != killed
    assert len(opened) == 2


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://clinic@127.0.0.1:5432/clinic", {"ssl": False}),
        ("postgresql://clinic@localhost/clinic", {"ssl": False}),
        ("postgresql://clinic@127.0.0.1/clinic?sslmode=require", {}),
        ("postgresql://clinic@db.internal:5432/clinic", {}),
    ],
)
def test_loopback_connections_skip_the_tls_attempt(
    url: str, expected: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGSSLMODE", raising=False)
    assert connect_args(url) == expected


async def test_connections_run_without_jit_with_the_statement_timeout_and_generic_plans(
    database_url: str,
) -> None:
    settings = Settings(database_statement_timeout_seconds=4)
    engine = create_engine(database_url, settings)
    pool = DriverPool(database_url, settings)
    try:
        async with engine.connect() as connection:
            engine_jit = (await connection.execute(text("SHOW jit"))).scalar_one()
            engine_timeout = (await connection.execute(text("SHOW statement_timeout"))).scalar()
        async with pool.executor() as driver:
            pool_jit = await driver.fetchval("SHOW jit")
            pool_timeout = await driver.fetchval("SHOW statement_timeout")
            pool_plans = await driver.fetchval("SHOW plan_cache_mode")
    finally:
        await pool.close()
        await engine.dispose()

    assert engine_jit == pool_jit == "off"
    assert engine_timeout == pool_timeout == "4s"
    assert pool_plans == "force_generic_plan"  # the hot routes' statements are built for it


async def test_a_busy_connection_is_kept_past_asyncpg_s_default_query_limit(
    database_url: str,
) -> None:
    """asyncpg replaces a pooled connection after 50,000 queries unless told otherwise; a
    booking is one query, so that was a reopened connection every few minutes under load."""
    opened: list[None] = []
    pool = DriverPool(database_url, Settings(database_pool_size=1), lambda: opened.append(None))
    try:
        async with pool.executor() as driver:
            first = await driver.fetchval("SELECT pg_backend_pid()")
            for _ in range(50_000):
                await driver.fetchval("SELECT 1")
        async with pool.executor() as driver:
            again = await driver.fetchval("SELECT pg_backend_pid()")
    finally:
        await pool.close()

    assert again == first
    assert len(opened) == 1
