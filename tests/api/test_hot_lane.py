"""The hot routes' lane (clinic.api.hot): it answers as the FastAPI route does, hands every
request it does not take whole to the route, and its one-statement booking keeps every rule."""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from clinic.api.app import create_app
from clinic.api.deps import get_session
from clinic.appointments import repository
from clinic.core.database import DriverPool
from clinic.core.settings import Settings
from tests.conftest import ADMIN, BOT, SessionExecutors, bot_for
from tests.factories import at, booking, make_doctor


@pytest.fixture
async def route_client(settings: Settings, session: AsyncSession) -> AsyncIterator[AsyncClient]:
    """The same API on the same rolled-back transaction, without the lane: FastAPI's routes
    answer everything."""
    app = create_app(settings)

    async def test_session() -> AsyncIterator[AsyncSession]:
        async with SessionExecutors(session).executor() as executor:
            yield executor

    app.dependency_overrides[get_session] = test_session
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://clinic") as http:
        yield http


def _comparable(body: Any) -> Any:
    # Ids and instants of creation differ between two bookings; nothing else may.
    if isinstance(body, dict):
        return {k: v for k, v in body.items() if k not in ("id", "created_at", "updated_at")}
    return body


async def test_a_booking_answers_as_the_route_does(
    client: AsyncClient, route_client: AsyncClient
) -> None:
    doctor = await make_doctor(client)
    headers = BOT | {"Idempotency-Key": "same-answer"}
    lane = await client.post("/appointments", json=booking(doctor["id"], at(1, 9)), headers=headers)
    route = await route_client.post(
        "/appointments",
        json=booking(doctor["id"], at(1, 10)),
        headers=BOT | {"Idempotency-Key": "same-answer-2"},
    )
    lane_replay = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 9)), headers=headers
    )

    assert lane.status_code == route.status_code == 201
    assert lane.headers["content-type"] == route.headers["content-type"]
    moved = {**route.json(), "start_time": lane.json()["start_time"]}
    moved["end_time"] = lane.json()["end_time"]
    assert _comparable(lane.json()) == _comparable(moved)
    assert lane_replay.headers["Idempotent-Replayed"] == "true"
    assert lane_replay.content == lane.content


async def test_a_slot_search_answers_byte_for_byte_as_the_route_does(
    client: AsyncClient, route_client: AsyncClient
) -> None:
    doctor = await make_doctor(client)
    for query in ({"doctor_id": doctor["id"], "limit": 5}, {"specialty": "therapist"}):
        lane = await client.get("/slots", params=query)
        route = await route_client.get("/slots", params=query)
        assert lane.status_code == route.status_code == 200
        assert lane.content == route.content
        assert lane.headers["content-type"] == route.headers["content-type"]
    for query in ({"specialty": "nobody"}, {"doctor_id": 999_999}):
        lane = await client.get("/slots", params=query)
        route = await route_client.get("/slots", params=query)
        assert lane.status_code == route.status_code == 422
        assert lane.content == route.content


REFUSED: list[tuple[str, dict[str, str], bytes | None]] = [
    ("no token", {"Content-Type": "application/json"}, None),
    ("unknown token", {"Authorization": "Bearer nope", "Content-Type": "application/json"}, None),
    ("bot without its patient", {"Authorization": BOT["Authorization"]}, None),
    ("patient id not a number", bot_for(1) | {"X-Patient-Telegram-Id": "abc"}, None),
    ("empty key", BOT | {"Idempotency-Key": ""}, None),
    ("long key", BOT | {"Idempotency-Key": "k" * 201}, None),
    ("unknown client", BOT | {"X-Client": "fax"}, None),
    ("not JSON", BOT, b"{not json"),
    ("not UTF-8", BOT, b'{"patient_name": "\xff"}'),
    ("a list", BOT, b"[]"),
    ("nested too deep", BOT, b"[" * 100_000),
    ("missing fields", BOT, b"{}"),
    ("another patient", BOT, None),
    ("form body", BOT | {"Content-Type": "application/x-www-form-urlencoded"}, None),
]


@pytest.mark.parametrize(("case", "headers", "body"), REFUSED, ids=[c[0] for c in REFUSED])
async def test_what_the_lane_does_not_take_the_route_answers(
    client: AsyncClient,
    route_client: AsyncClient,
    case: str,
    headers: dict[str, str],
    body: bytes | None,
) -> None:
    doctor = await make_doctor(client)
    payload = booking(doctor["id"], at(1, 9))
    if case == "another patient":
        payload["patient_telegram_id"] = 12345
    content = body if body is not None else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"} | headers

    lane = await client.post("/appointments", content=content, headers=headers)
    route = await route_client.post("/appointments", content=content, headers=headers)

    assert lane.status_code == route.status_code
    assert 400 <= lane.status_code < 500
    assert lane.content == route.content
    assert dict(lane.headers) == dict(route.headers) | {
        "x-request-id": lane.headers["x-request-id"]
    }


async def test_a_chunked_booking_goes_to_the_route(client: AsyncClient) -> None:
    doctor = await make_doctor(client)

    async def chunks() -> AsyncIterator[bytes]:
        yield json.dumps(booking(doctor["id"], at(1, 9))).encode()

    response = await client.post(
        "/appointments", content=chunks(), headers=BOT | {"Content-Type": "application/json"}
    )

    assert response.status_code == 201, response.text


# --- The one-statement booking on a bare connection (autocommit) ------------------------------


async def test_every_outcome_of_a_booking_on_the_driver_pool(
    committed_client: AsyncClient,
) -> None:
    doctor = await make_doctor(committed_client)
    body = booking(doctor["id"], at(1, 9))
    keyed = BOT | {"Idempotency-Key": "outcomes"}

    created = await committed_client.post("/appointments", json=body, headers=keyed)
    replayed = await committed_client.post("/appointments", json=body, headers=keyed)
    reused = await committed_client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10)), headers=keyed
    )
    taken = await committed_client.post("/appointments", json=body, headers=BOT)
    unknown = await committed_client.post(
        "/appointments", json=booking(999_999, at(1, 9)), headers=BOT
    )
    closed = await committed_client.post(
        "/appointments", json=booking(doctor["id"], at(1, 21)), headers=BOT
    )
    off_grid = await committed_client.post(
        "/appointments", json=booking(doctor["id"], at(1, 9, 10)), headers=BOT
    )
    past = await committed_client.post(
        "/appointments", json=booking(doctor["id"], at(-1, 9)), headers=BOT
    )

    assert created.status_code == 201, created.text
    assert (replayed.status_code, replayed.headers.get("Idempotent-Replayed")) == (201, "true")
    assert replayed.json() == created.json()
    assert reused.status_code == 422
    assert reused.json()["errors"][0]["rule"] == "key_reused"
    assert taken.status_code == 409
    assert taken.headers["content-type"] == "application/problem+json"
    assert taken.json()["alternatives"]
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["rule"] == "unknown_doctor"
    for refused in (closed, off_grid, past):
        assert refused.status_code == 422, refused.text
    listed = await committed_client.get(
        "/appointments", params={"doctor_id": doctor["id"]}, headers=ADMIN
    )
    assert listed.json()["total"] == 1
    history = await committed_client.get(
        f"/appointments/{created.json()['id']}/history", headers=ADMIN
    )
    assert [(e["action"], e["source"]) for e in history.json()] == [("created", "bot")]


async def test_an_appointment_is_never_stored_without_its_key(
    committed_client: AsyncClient, engine: AsyncEngine, driver_pool: DriverPool
) -> None:
    # A key taken between the read and the write (here: taken before the write, by a
    # booking of another slot) fails the whole statement, in autocommit too.
    doctor = await make_doctor(committed_client)
    first = await committed_client.post(
        "/appointments",
        json=booking(doctor["id"], at(1, 9)),
        headers=BOT | {"Idempotency-Key": "taken"},
    )
    start = at(1, 11)
    values = booking(doctor["id"], start) | {
        "start_time": start,
        "end_time": at(1, 11, 30),
        "status": "scheduled",
        "source": "bot",
        "patient_phone": None,
        "patient_telegram_id": None,
        "reason": None,
    }
    key = repository.RequestKey("bot", "taken", "another body")

    async with driver_pool.executor() as connection:
        with pytest.raises(repository.WriteRefused):
            await repository.book(connection, values, {"event": "created"}, key)
        assert not connection.is_in_transaction()

    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT id FROM appointment WHERE start_time = :start"), {"start": start}
        )
        assert list(rows) == []
        keys = await connection.execute(text("SELECT appointment_id FROM idempotency_key"))
        assert list(keys) == [(first.json()["id"],)]


async def test_racing_bookings_of_one_slot_on_the_driver_pool_book_it_once(
    committed_client: AsyncClient,
) -> None:
    doctor = await make_doctor(committed_client)
    body = booking(doctor["id"], at(1, 12))

    responses = await asyncio.gather(
        *(
            committed_client.post(
                "/appointments", json=body, headers=bot_for(i) | {"Idempotency-Key": f"r{i}"}
            )
            for i in range(1, 9)  # within the pool: no request waits for a connection
        )
    )

    assert sorted(r.status_code for r in responses) == [201] + [409] * 7


async def test_a_connection_released_inside_a_transaction_comes_back_clean(
    driver_pool: DriverPool,
) -> None:
    # No reset query on release (a round trip per request), except after a cancelled
    # request left a transaction open.
    async with driver_pool.executor() as connection:
        await connection.execute("BEGIN")
        backend = await connection.fetchval("SELECT pg_backend_pid()")
    async with driver_pool.executor() as connection:
        assert await connection.fetchval("SELECT pg_backend_pid()") == backend
        assert not connection.is_in_transaction()


async def test_the_driver_pool_counts_the_connections_it_opens(
    settings: Settings, database_url: str
) -> None:
    opened: list[int] = []
    pool = DriverPool(database_url, settings, on_connect=lambda: opened.append(1))
    try:
        for _ in range(3):
            async with pool.executor() as connection:
                await connection.fetchval("SELECT 1")
    finally:
        await pool.close()
    assert opened == [1]  # sequential requests share one connection


async def test_a_database_that_is_down_is_a_503_on_the_lane(settings: Settings) -> None:
    app = create_app(settings)
    # Nothing listens on port 1: connecting is refused at once.
    app.state.database = DriverPool("postgresql://postgres@127.0.0.1:1/none", settings)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://clinic") as http:
        response = await http.get("/slots", params={"doctor_id": 1})
    await app.state.database.close()

    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_409_skips_time_booked_solid_only_until_some_is_given_back(
    committed_client: AsyncClient,
) -> None:
    doctor = await make_doctor(committed_client)  # 08:00-20:00, 30-minute slots
    booked = {}
    for days_ahead in (1, 2):
        for half_hour in range(24):
            start = at(days_ahead, 8) + timedelta(minutes=30 * half_hour)
            made = await committed_client.post(
                "/appointments", json=booking(doctor["id"], start), headers=BOT
            )
            assert made.status_code == 201, made.text
            booked[start] = made.json()["id"]

    async def offered(wished: datetime) -> list[str]:
        refused = await committed_client.post(
            "/appointments", json=booking(doctor["id"], wished), headers=BOT
        )
        assert refused.status_code == 409, refused.text
        return [a["start"] for a in refused.json()["alternatives"]]

    day_after = [(at(3, 8) + timedelta(minutes=30 * i)).isoformat() for i in range(3)]
    assert await offered(at(1, 9)) == day_after  # found booked solid up to day 3
    assert await offered(at(1, 12)) == day_after  # searched from day 3 on
    freed = at(2, 15)
    cancelled = await committed_client.post(
        f"/appointments/{booked[freed]}/cancel", json={"reason": "plans changed"}, headers=BOT
    )
    assert cancelled.status_code == 200, cancelled.text

    assert await offered(at(1, 12)) == [freed.isoformat(), *day_after[:2]]
