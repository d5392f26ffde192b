"""The database going away: the served API answers 503 problem+json with Retry-After (never
500, never a hang) while PostgreSQL is stopped or frozen, keeps its connections to clients,
and serves again by itself once PostgreSQL is back. On a PostgreSQL of the test's own."""

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient, Response

from clinic.core.migrations import upgrade_head
from tests.conftest import ADMIN, LiveServer, served_api
from tests.factories import ALL_WEEK_8_TO_20, at, booking
from tests.own_postgres import OwnPostgres

# Short timeouts, so the test does not wait out production's.
TIMEOUTS = {
    "DATABASE_CONNECT_TIMEOUT_SECONDS": "1",
    "DATABASE_STATEMENT_TIMEOUT_SECONDS": "2",
    "DATABASE_COMMAND_TIMEOUT_SECONDS": "2",
}
# Answering within this long counts as "within a few seconds" (pool wait + a timeout or two).
PROMPT = 8.0


@pytest.fixture
def postgres() -> Iterator[OwnPostgres]:
    server = OwnPostgres()
    try:
        server.start()
        upgrade_head(server.url)
        yield server
    finally:
        server.close()


@pytest.fixture
async def api(postgres: OwnPostgres, tmp_path: Path) -> AsyncIterator[LiveServer]:
    async with served_api(postgres.url, tmp_path / "api.log", **TIMEOUTS) as server:
        yield server


async def _doctor(http: AsyncClient) -> int:
    specialty = {"code": "therapist", "name_ru": "Терапевт", "name_en": "Therapist"}
    assert (await http.post("/specialties", json=specialty, headers=ADMIN)).status_code == 201
    doctor = {"full_name": "Д", "specialty": "therapist", "working_hours": ALL_WEEK_8_TO_20}
    response = await http.post("/doctors", json=doctor, headers=ADMIN)
    assert response.status_code == 201
    return int(response.json()["id"])


async def _calls(http: AsyncClient, doctor_id: int) -> dict[str, Response]:
    """One of each kind of request, each timed; all on the same keep-alive client."""
    requests: dict[str, tuple[str, str, dict[str, Any]]] = {
        "book": ("POST", "/appointments", {"json": booking(doctor_id, at(2, 11)),
                                           "headers": ADMIN}),
        "slots": ("GET", "/slots", {"params": {"doctor_id": doctor_id}}),
        "doctors": ("GET", "/doctors", {}),
        "ready": ("GET", "/ready", {}),
    }  # fmt: skip
    answers = {}
    for name, (method, path, options) in requests.items():
        started = time.monotonic()
        answers[name] = await http.request(method, path, **options)
        elapsed = time.monotonic() - started
        assert elapsed < PROMPT, f"{name} took {elapsed:.1f} s"
    return answers


def _assert_unavailable(answers: dict[str, Response]) -> None:
    for name, response in answers.items():
        assert response.status_code == 503, (name, response.text)
        assert response.headers["content-type"] == "application/problem+json", name
        assert int(response.headers["Retry-After"]) > 0, name


async def _until_served(http: AsyncClient, doctor_id: int) -> float:
    started = time.monotonic()
    while time.monotonic() - started < 30:
        if (await http.get("/slots", params={"doctor_id": doctor_id})).status_code == 200:
            return time.monotonic() - started
        await asyncio.sleep(0.2)
    raise AssertionError("the API did not recover within 30 s")


async def test_a_stopped_database_is_503_and_the_api_recovers(
    api: LiveServer, postgres: OwnPostgres
) -> None:
    async with AsyncClient(base_url=api.url, timeout=30) as http:
        doctor_id = await _doctor(http)
        before = await http.post("/appointments", json=booking(doctor_id, at(2, 10)), headers=ADMIN)
        assert before.status_code == 201

        postgres.stop()
        _assert_unavailable(await _calls(http, doctor_id))
        postgres.start()
        await _until_served(http, doctor_id)

        kept = await http.get(f"/appointments/{before.json()['id']}", headers=ADMIN)
        assert kept.status_code == 200
        assert (await http.get("/ready")).status_code == 200
    assert "Traceback" not in api.log.read_text()


async def test_a_frozen_database_is_503_within_seconds(
    api: LiveServer, postgres: OwnPostgres
) -> None:
    async with AsyncClient(base_url=api.url, timeout=30) as http:
        doctor_id = await _doctor(http)
        postgres.freeze()
        try:
            _assert_unavailable(await _calls(http, doctor_id))
        finally:
            postgres.thaw()
        await _until_served(http, doctor_id)
        booked = await http.post("/appointments", json=booking(doctor_id, at(2, 9)), headers=ADMIN)
        assert booked.status_code == 201
    assert "Traceback" not in api.log.read_text()
