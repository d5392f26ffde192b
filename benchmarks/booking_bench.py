"""Booking hot paths against a table of N past appointments: free-slot search and booking.

Prints medians and the ratio against a small table measured in the same run, so the numbers
say whether the search stays index-driven as the table grows (it should stay flat).

    uv run python benchmarks/booking_bench.py [--rows 1000000]

Uses TEST_DATABASE_URL's server (a scratch database, dropped at the end) or the embedded one.
"""

import argparse
import asyncio
import os
import secrets
import statistics
import time
from pathlib import Path

from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from clinic.api.app import create_app
from clinic.core.database import async_url, create_engine, create_sessionmaker, embedded_server_url
from clinic.core.migrations import upgrade_head
from clinic.core.settings import get_settings
from clinic.core.timeutils import utcnow
from clinic.demo.seed import seed_demo

TOKEN = "bench-token"

# Every doctor gets a back-to-back history ending a day ago; rows never overlap.
FILL_HISTORY = """
INSERT INTO appointment (doctor_id, patient_name, start_time, end_time, status, source)
SELECT d.id, 'Пациент ' || n,
       now() - interval '1 day' - (n * d.slot_minutes) * interval '1 minute',
       now() - interval '1 day' - ((n - 1) * d.slot_minutes) * interval '1 minute',
       CASE WHEN n % 10 = 0 THEN 'cancelled' ELSE 'completed' END, 'api'
FROM doctor d, generate_series(1, :per_doctor) AS n
"""


async def _admin(server: str, sql: str) -> None:
    engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(sql))
    await engine.dispose()


async def _median_ms(http: AsyncClient, method: str, make_request: object, n: int) -> float:
    timings = []
    for i in range(n):
        args = make_request(i)  # type: ignore[operator]
        started = time.perf_counter()
        response = await http.request(method, **args)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code < 500, response.text
    return statistics.median(timings)


async def measure(url: str, rows: int) -> dict[str, float]:
    engine = create_engine(url)
    async with AsyncSession(engine) as session, session.begin():
        await seed_demo(session, utcnow().date())
        doctors = int(await session.scalar(text("SELECT count(*) FROM doctor")) or 1)
        await session.execute(text(FILL_HISTORY), {"per_doctor": max(rows // doctors, 1)})
    async with engine.connect() as connection:
        await connection.execute(text("ANALYZE"))
        therapist = await connection.scalar(
            text(
                "SELECT d.id FROM doctor d JOIN specialty s ON s.id = d.specialty_id "
                "WHERE s.code = 'therapist' ORDER BY d.id LIMIT 1"
            )
        )

    app = create_app(get_settings())
    app.state.sessionmaker = create_sessionmaker(engine)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as http:
        slots = await _median_ms(
            http,
            "GET",
            lambda i: {"url": "/slots", "params": {"specialty": "therapist", "limit": 3}},
            200,
        )
        free = (await http.get("/slots", params={"doctor_id": therapist, "limit": 200})).json()

        def book_free_slot(i: int) -> dict[str, object]:
            body = {"patient_name": "Bench", "doctor_id": therapist, "start_time": free[i]["start"]}
            return {"url": "/appointments", "headers": headers, "json": body}

        book = await _median_ms(http, "POST", book_free_slot, min(len(free), 150))
        # The same slots again: every one is now taken, so this measures the 409 path.
        taken = await _median_ms(http, "POST", book_free_slot, min(len(free), 50))
    await engine.dispose()
    return {"slots_ms": slots, "book_ms": book, "conflict_ms": taken}


async def main(rows: int) -> None:
    os.environ.setdefault("API_TOKENS", f"admin:{TOKEN}")
    configured = os.environ.get("TEST_DATABASE_URL")
    server = (
        async_url(configured)
        if configured
        else async_url(embedded_server_url(Path(".data"), "postgres"))
    )
    results = {}
    for size in (10_000, rows):
        name = f"clinic_bench_{secrets.token_hex(3)}"
        await _admin(server, f'CREATE DATABASE "{name}"')
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
        try:
            await asyncio.to_thread(upgrade_head, url)
            started = time.perf_counter()
            results[size] = await measure(url, size)
            print(f"{size:>9} rows: measured in {time.perf_counter() - started:.1f}s")
        finally:
            await _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    small, large = results[10_000], results[rows]
    print(f"{'median per request':<28}{'10k rows':>10}{f'{rows} rows':>16}{'ratio':>8}")
    for key, label in (
        ("slots_ms", "GET /slots (3 nearest)"),
        ("book_ms", "POST /appointments 201"),
        ("conflict_ms", "POST /appointments 409"),
    ):
        print(
            f"{label:<28}{small[key]:>8.2f}ms{large[key]:>14.2f}ms{large[key] / small[key]:>8.2f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    asyncio.run(main(parser.parse_args().rows))
