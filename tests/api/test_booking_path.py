"""The lean booking path: one read and one write per booking, and every guarantee kept.

Statements are counted with SQLAlchemy's cursor events on real, committed transactions
(BEGIN and COMMIT are not cursor executions: add two for the round trips on the wire).
"""

import asyncio
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from httpx import AsyncClient
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import ADMIN, BOT
from tests.factories import at, booking, make_doctor


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements run on the engine inside the block."""
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", note)


async def _rows(engine: AsyncEngine, sql: str, **params: Any) -> list[Any]:
    async with engine.connect() as connection:
        return list(await connection.execute(text(sql), params))


async def test_a_booking_is_one_read_and_one_write(
    committed_client: AsyncClient, engine: AsyncEngine
) -> None:
    doctor = await make_doctor(committed_client)
    body = booking(doctor["id"], at(1, 10))

    with statements(engine) as seen:
        response = await committed_client.post(
            "/appointments", json=body, headers=BOT | {"Idempotency-Key": "one-trip"}
        )

    assert response.status_code == 201, response.text
    assert len(seen) == 2, seen
    assert seen[0].lstrip().startswith("SELECT")
    assert seen[1].lstrip().startswith("WITH booked AS")


async def test_the_write_stores_the_event_and_the_key_with_the_appointment(
    committed_client: AsyncClient, engine: AsyncEngine
) -> None:
    doctor = await make_doctor(committed_client)
    response = await committed_client.post(
        "/appointments",
        json=booking(doctor["id"], at(1, 10)),
        headers=BOT | {"Idempotency-Key": "atomic-1"},
    )
    created = response.json()

    events = await _rows(
        engine,
        "SELECT action, source, new FROM appointment_event WHERE appointment_id = :id",
        id=created["id"],
    )
    keys = await _rows(engine, "SELECT appointment_id FROM idempotency_key WHERE key = 'atomic-1'")
    assert [(e.action, e.source) for e in events] == [("created", "bot")]
    assert events[0].new["doctor_id"] == doctor["id"]
    assert events[0].new["status"] == "scheduled"
    assert keys == [(created["id"],)]


async def test_a_refused_booking_leaves_no_event_and_no_key(
    committed_client: AsyncClient, engine: AsyncEngine
) -> None:
    doctor = await make_doctor(committed_client)
    body = booking(doctor["id"], at(1, 10))
    await committed_client.post("/appointments", json=body, headers=BOT)

    refused = await committed_client.post(
        "/appointments", json=body, headers=BOT | {"Idempotency-Key": "refused-1"}
    )

    assert refused.status_code == 409
    assert await _rows(engine, "SELECT * FROM idempotency_key") == []
    assert len(await _rows(engine, "SELECT * FROM appointment_event")) == 1


async def test_a_conflict_reads_both_groups_of_alternatives_in_one_query(
    committed_client: AsyncClient, engine: AsyncEngine
) -> None:
    doctor = await make_doctor(committed_client)
    colleague = await make_doctor(committed_client, name="Смирнов Алексей Петрович")
    body = booking(doctor["id"], at(1, 10))
    await committed_client.post("/appointments", json=body, headers=BOT)

    with statements(engine) as seen:
        refused = await committed_client.post("/appointments", json=body, headers=BOT)

    doctors = [slot["doctor_id"] for slot in refused.json()["alternatives"]]
    assert doctors == [doctor["id"]] * 3 + [colleague["id"]] * 3
    assert len(seen) == 3, seen  # the read, the refused write, the alternatives


async def test_a_replayed_key_returns_the_first_answer_without_writing(
    committed_client: AsyncClient, engine: AsyncEngine
) -> None:
    doctor = await make_doctor(committed_client)
    body = booking(doctor["id"], at(1, 11))
    headers = BOT | {"Idempotency-Key": "replay-1"}
    first = await committed_client.post("/appointments", json=body, headers=headers)

    with statements(engine) as seen:
        replayed = await committed_client.post("/appointments", json=body, headers=headers)

    assert replayed.status_code == 201
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.json() == first.json()
    assert not any("INSERT" in statement for statement in seen)


async def test_one_key_raced_with_different_bodies_books_once(
    committed_client: AsyncClient,
) -> None:
    doctor = await make_doctor(committed_client)
    headers = BOT | {"Idempotency-Key": "one-key-many-bodies"}

    responses = await asyncio.gather(
        *(
            committed_client.post(
                "/appointments", json=booking(doctor["id"], at(1, hour)), headers=headers
            )
            for hour in range(8, 18)
        )
    )

    statuses = Counter(r.status_code for r in responses)
    assert statuses[201] == 1, [r.text for r in responses]
    refused = [r.json()["errors"][0]["rule"] for r in responses if r.status_code == 422]
    assert refused == ["key_reused"] * 9
    listed = await committed_client.get(
        "/appointments", params={"doctor_id": doctor["id"]}, headers=ADMIN
    )
    assert listed.json()["total"] == 1


async def test_a_reschedule_is_one_read_and_one_write(
    committed_client: AsyncClient, engine: AsyncEngine
) -> None:
    doctor = await make_doctor(committed_client)
    created = (
        await committed_client.post(
            "/appointments", json=booking(doctor["id"], at(1, 9)), headers=BOT
        )
    ).json()

    with statements(engine) as seen:
        moved = await committed_client.patch(
            f"/appointments/{created['id']}",
            json={"start_time": at(2, 15).isoformat()},
            headers=BOT,
        )

    assert moved.status_code == 200, moved.text
    assert len(seen) == 2, seen
    history = await committed_client.get(f"/appointments/{created['id']}/history", headers=ADMIN)
    assert [e["action"] for e in history.json()] == ["created", "rescheduled"]


async def test_a_new_doctor_at_the_same_time_follows_their_hours(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    mornings = [{"weekday": d, "start_time": "08:00", "end_time": "12:00"} for d in range(7)]
    colleague = await make_doctor(client, name="Смирнов Алексей Петрович", hours=mornings)
    early = (
        await client.post("/appointments", json=booking(doctor["id"], at(1, 9)), headers=BOT)
    ).json()
    late = (
        await client.post("/appointments", json=booking(doctor["id"], at(1, 15)), headers=BOT)
    ).json()

    moved = await client.patch(
        f"/appointments/{early['id']}", json={"doctor_id": colleague["id"]}, headers=BOT
    )
    refused = await client.patch(
        f"/appointments/{late['id']}", json={"doctor_id": colleague["id"]}, headers=BOT
    )
    unknown = await client.patch(
        f"/appointments/{late['id']}", json={"doctor_id": 999_999}, headers=BOT
    )

    assert moved.status_code == 200, moved.text
    assert moved.json()["doctor_id"] == colleague["id"]
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["rule"] == "working_hours"
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["rule"] == "unknown_doctor"
