"""Several API processes on one database: still exactly one booking per slot.

One server runs `clinic serve --workers 2`, the other a single process; requests alternate
between them, so the race is decided by PostgreSQL across processes, not inside one.
"""

import asyncio
import os
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from httpx import AsyncClient, TransportError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import ADMIN_TOKEN, BOT, BOT_TOKEN, TABLES, LiveServer, free_port
from tests.factories import at, booking, make_doctor


async def _serve(database_url: str, log: Path, *args: str) -> LiveServer:
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "API_TOKENS": f"admin:{ADMIN_TOKEN},bot:{BOT_TOKEN}",
        "ENVIRONMENT": "local",
    }
    env.pop("WEB_CONCURRENCY", None)
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "clinic.cli", "serve", "--port", str(port), *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", process, log)
    async with AsyncClient(base_url=server.url) as http:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(f"clinic serve exited early:\n{log.read_text()}")
            try:
                if (await http.get("/ready")).status_code == 200:
                    return server
            except TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("clinic serve did not become ready in 60 s")


@pytest.fixture(scope="module")
async def two_apis(
    database_url: str, engine: AsyncEngine, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[LiveServer, LiveServer]]:
    """Started once for the module (a worker process takes seconds to start)."""
    logs = tmp_path_factory.mktemp("two-apis")
    servers: list[LiveServer] = []
    try:
        servers.append(await _serve(database_url, logs / "a.log", "--workers", "2"))
        servers.append(await _serve(database_url, logs / "b.log"))
        yield servers[0], servers[1]
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            await asyncio.to_thread(server.process.wait, 30)
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))


async def test_concurrent_posts_through_two_processes_book_one_slot_once(
    two_apis: tuple[LiveServer, LiveServer],
) -> None:
    first, second = two_apis
    async with AsyncClient(base_url=first.url) as a, AsyncClient(base_url=second.url) as b:
        doctor = await make_doctor(a)
        body = booking(doctor["id"], at(1, 10))

        responses = await asyncio.gather(
            *((a if i % 2 else b).post("/appointments", json=body, headers=BOT) for i in range(40))
        )
        idempotent = await asyncio.gather(
            *(
                (a if i % 2 else b).post(
                    "/appointments",
                    json=booking(doctor["id"], at(1, 11)),
                    headers=BOT | {"Idempotency-Key": "two-processes"},
                )
                for i in range(10)
            )
        )

    assert Counter(r.status_code for r in responses) == {201: 1, 409: 39}
    assert all(r.json()["alternatives"] for r in responses if r.status_code == 409)
    assert {r.status_code for r in idempotent} == {201}
    assert len({r.json()["id"] for r in idempotent}) == 1


async def test_workers_option_starts_that_many_processes(
    two_apis: tuple[LiveServer, LiveServer],
) -> None:
    with_workers, _ = two_apis
    started = with_workers.log.read_text().count("Started server process")
    assert started == 2
