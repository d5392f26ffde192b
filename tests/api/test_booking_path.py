"""The lean booking path: one read and one write per booking, and every guarantee kept.

Round trips are counted with asyncpg's query logger on real, committed transactions: BEGIN
and COMMIT (or ROLLBACK) are queries too. The hot routes (a booking, a slot search) run on the
driver pool in autocommit; a reschedule on the engine's session.
"""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from httpx import ASGITransport, AsyncClient
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from clinic.api.app import create_app
from clinic.core.database import DriverPool
from tests.conftest import ADMIN, BOT
from tests.factories import at, booking, make_doctor


@asynccontextmanager
async def round_trips(engine: AsyncEngine, pool: DriverPool) -> AsyncIterator[list[str]]:
    """The queries the engine's and the driver pool's connections send to PostgreSQL inside
    the block."""
    seen: list[str] = []
    connections: set[Any] = set()
    executor = pool.executor

    @asynccontextmanager
    async def logged() -> AsyncIterator[Any]:
        async with executor() as connection:
            connection.add_query_logger(note)
            try:
                yield connection
            finally:
                await asyncio.sleep(0)  # let asyncpg call the logger before it goes
                connection.remove_query_logger(note)

    def note(record: Any) -> None:
        query = record.query.strip().rstrip(";")
        # asyncpg reads an unfamiliar type's description once per connection; not a request's.
        if "pg_catalog" not in query and "'jit'" not in query:
            seen.append(query)

    def on_checkout(dbapi_connection: Any, *_: Any) -> None:
        connections.add(dbapi_connection.driver_connection)
        dbapi_connection.driver_connection.add_query_logger(note)

    event.listen(engine.sync_engine, "checkout", on_checkout)
    pool.executor = logged  # type: ignore[method-assign]
    try:
        yield seen
        await asyncio.sleep(0.05)  # asyncpg calls the loggers soon after each query
    finally:
        pool.executor = executor  # type: ignore[method-assign]
        event.remove(engine.sync_engine, "checkout", on_checkout)
        for connection in connections:
            connection.remove_query_logger(note)


async def _rows(engine: AsyncEngine, sql: str, **params: Any) -> list[Any]:
    async with engine.connect() as connection:
        return list(await connection.execute(text(sql), params))


async def _warm_up(client: AsyncClient, doctor_id: int) -> None:
    """A first booking: asyncpg reads the types of a statement's columns once per connection,
    with queries of its own; steady-state requests do not."""
    await client.post(
        "/appointments", json=booking(doctor_id, at(2, 8)), headers=BOT | {"Idempotency-Key": "w"}
    )
    await client.get("/slots", params={"doctor_id": doctor_id})


async def test_a_booking_is_one_read_and_one_write_in_autocommit(
    committed_client: AsyncClient, engine: AsyncEngine, driver_pool: DriverPool
) -> None:
    doctor = await make_doctor(committed_client)
    await _warm_up(committed_client, doctor["id"])
    body = booking(doctor["id"], at(1, 10))

    async with round_trips(engine, driver_pool) as seen:
        response = await committed_client.post(
            "/appointments", json=body, headers=BOT | {"Idempotency-Key": "one-trip"}
        )

    assert response.status_code == 201, response.text
    # No BEGIN, no COMMIT: the write is one statement, atomic on its own.
    assert [query.split()[0] for query in seen] == ["SELECT", "WITH"], seen
    assert seen[1].startswith("WITH booked AS")


async def test_the_write_stores_the_event_and_the_key_with_the_appointment(
    committed_client: AsyncClient, engine: AsyncEngine, driver_pool: DriverPool
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
    committed_client: AsyncClient, engine: AsyncEngine, driver_pool: DriverPool
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
    committed_client: AsyncClient, engine: AsyncEngine, driver_pool: DriverPool
) -> None:
    doctor = await make_doctor(committed_client)
    colleague = await make_doctor(committed_client, name="Смирнов Алексей Петрович")
    body = booking(doctor["id"], at(1, 10))
    await committed_client.post("/appointments", json=body, headers=BOT)
    await _warm_up(committed_client, doctor["id"])

    async with round_trips(engine, driver_pool) as seen:
        refused = await committed_client.post("/appointments", json=body, headers=BOT)

    doctors = [slot["doctor_id"] for slot in refused.json()["alternatives"]]
    assert doctors == [doctor["id"]] * 3 + [colleague["id"]] * 3
    # The first booking read this doctor-day: the one-statement write found the slot taken,
    # then the alternatives; nothing to roll back.
    assert [query.split()[0] for query in seen] == ["WITH", "WITH"], seen


async def test_a_keyed_conflict_over_an_earlier_booking_skips_the_key_check(
    committed_client: AsyncClient, engine: AsyncEngine, driver_pool: DriverPool
) -> None:
    doctor = await make_doctor(committed_client)
    await make_doctor(committed_client, name="Смирнов Алексей Петрович")
    body = booking(doctor["id"], at(1, 10))
    await committed_client.post("/appointments", json=body, headers=BOT)
    await _warm_up(committed_client, doctor["id"])

    async with round_trips(engine, driver_pool) as seen:
        refused = await committed_client.post(
            "/appointments", json=body, headers=BOT | {"Idempotency-Key": "late"}
        )

    assert refused.status_code == 409
    # The write saw the slot booked before it began, so no request racing it can have used
    # the key: no second look at the key; then the alternatives. The key is not stored.
    assert [query.split()[0] for query in seen] == ["WITH", "WITH"], seen
    assert await _rows(engine, "SELECT * FROM idempotency_key WHERE key = 'late'") == []


async def test_a_conflict_on_a_day_not_read_before_reads_it_first(
    committed_client: AsyncClient, engine: AsyncEngine, driver_pool: DriverPool
) -> None:
    doctor = await make_doctor(committed_client)
    await make_doctor(committed_client, name="Смирнов Алексей Петрович")
    await _warm_up(committed_client, doctor["id"])
    body = booking(doctor["id"], at(1, 10))
    async with engine.begin() as connection:  # booked elsewhere: the lane never read day 1
        await connection.execute(
            text(
                "INSERT INTO appointment (doctor_id, patient_name, start_time, end_time, "
                "status, source) VALUES (:doctor, 'Другой', :start, :end, 'scheduled', 'admin')"
            ),
            {"doctor": doctor["id"], "start": at(1, 10), "end": at(1, 10, 30)},
        )

    async with round_trips(engine, driver_pool) as seen:
        refused = await committed_client.post("/appointments", json=body, headers=BOT)

    assert refused.status_code == 409
    # The read, the write that found the slot taken, the alternatives.
    assert [query.split()[0] for query in seen] == ["SELECT", "WITH", "WITH"], seen


async def test_a_replayed_key_returns_the_first_answer_without_writing(
    committed_client: AsyncClient, engine: AsyncEngine, driver_pool: DriverPool
) -> None:
    doctor = await make_doctor(committed_client)
    body = booking(doctor["id"], at(1, 11))
    headers = BOT | {"Idempotency-Key": "replay-1"}
    first = await committed_client.post("/appointments", json=body, headers=headers)

    stored = await _stored(engine)

    async with round_trips(engine, driver_pool) as seen:
        replayed = await committed_client.post("/appointments", json=body, headers=headers)

    assert replayed.status_code == 201
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.json() == first.json()
    # The one-statement write on the doctor-day the first booking read finds the key and
    # books nothing; then the appointment the key booked.
    assert [query.split()[0] for query in seen] == ["WITH", "SELECT"], seen
    assert await _stored(engine) == stored  # nothing written


async def test_a_replayed_key_on_a_day_not_read_before_is_read_then_replayed(
    committed_client: AsyncClient, engine: AsyncEngine, driver_pool: DriverPool, settings: Any
) -> None:
    doctor = await make_doctor(committed_client)
    body = booking(doctor["id"], at(1, 11))
    headers = BOT | {"Idempotency-Key": "replay-2"}
    first = await committed_client.post("/appointments", json=body, headers=headers)
    other = create_app(settings)  # another process: it has read no doctor-day yet
    other.state.database = driver_pool
    stored = await _stored(engine)

    async with (
        AsyncClient(transport=ASGITransport(app=other), base_url="http://clinic") as fresh,
        round_trips(engine, driver_pool) as seen,
    ):
        replayed = await fresh.post("/appointments", json=body, headers=headers)

    assert replayed.json() == first.json()
    # The read finds the key; then the appointment it booked.
    assert [query.split()[0] for query in seen] == ["SELECT", "SELECT"], seen
    assert not any("INSERT" in query for query in seen)  # nothing written
    assert await _stored(engine) == stored


async def _stored(engine: AsyncEngine) -> list[Any]:
    """What bookings have written: appointments, their events, the keys."""
    return await _rows(
        engine,
        "SELECT (SELECT count(*) FROM appointment), (SELECT count(*) FROM appointment_event), "
        "(SELECT count(*) FROM idempotency_key)",
    )


async def test_the_next_booking_of_a_doctor_day_is_one_statement(
    committed_client: AsyncClient, engine: AsyncEngine, driver_pool: DriverPool
) -> None:
    doctor = await make_doctor(committed_client)
    await _warm_up(committed_client, doctor["id"])
    await committed_client.post("/appointments", json=booking(doctor["id"], at(1, 9)), headers=BOT)

    async with round_trips(engine, driver_pool) as seen:
        response = await committed_client.post(
            "/appointments",
            json=booking(doctor["id"], at(1, 10)),
            headers=BOT | {"Idempotency-Key": "known-day"},
        )

    assert response.status_code == 201, response.text
    # The doctor-day is known from the booking at 9: its rules are checked at once, and the
    # write (with the schedule version, the key's earlier use) is the one round trip.
    assert [query.split()[0] for query in seen] == ["WITH"], seen
    created = response.json()
    events = await _rows(
        engine, "SELECT action FROM appointment_event WHERE appointment_id = :id", id=created["id"]
    )
    keys = await _rows(engine, "SELECT appointment_id FROM idempotency_key WHERE key = 'known-day'")
    assert events == [("created",)]
    assert keys == [(created["id"],)]


async def test_a_schedule_changed_after_a_booking_rules_the_next_one(
    committed_client: AsyncClient, engine: AsyncEngine, driver_pool: DriverPool
) -> None:
    doctor = await make_doctor(committed_client)
    await committed_client.post("/appointments", json=booking(doctor["id"], at(1, 9)), headers=BOT)
    day_off = await committed_client.post(
        f"/doctors/{doctor['id']}/exceptions",
        json={"on_date": at(1, 9).date().isoformat()},
        headers=ADMIN,
    )
    assert day_off.status_code == 201, day_off.text

    async with round_trips(engine, driver_pool) as seen:
        refused = await committed_client.post(
            "/appointments", json=booking(doctor["id"], at(1, 10)), headers=BOT
        )

    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["rule"] == "day_off"
    # The write saw the schedule version move and booked nothing; the fresh read refused.
    assert [query.split()[0] for query in seen] == ["WITH", "SELECT"], seen
    booked = await _rows(
        engine, "SELECT count(*) FROM appointment WHERE doctor_id = :id", id=doctor["id"]
    )
    assert booked == [(1,)]


async def test_a_clinic_closed_date_rules_bookings_of_every_known_day(
    committed_client: AsyncClient,
) -> None:
    doctor = await make_doctor(committed_client)
    await committed_client.post("/appointments", json=booking(doctor["id"], at(2, 9)), headers=BOT)
    closed = await committed_client.post(
        "/closed-dates", json={"on_date": at(2, 9).date().isoformat()}, headers=ADMIN
    )
    assert closed.status_code == 201, closed.text

    refused = await committed_client.post(
        "/appointments", json=booking(doctor["id"], at(2, 10)), headers=BOT
    )

    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["rule"] == "clinic_closed"


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
    committed_client: AsyncClient, engine: AsyncEngine, driver_pool: DriverPool
) -> None:
    doctor = await make_doctor(committed_client)
    created = (
        await committed_client.post(
            "/appointments", json=booking(doctor["id"], at(1, 9)), headers=BOT
        )
    ).json()
    await _warm_up(committed_client, doctor["id"])

    async with round_trips(engine, driver_pool) as seen:
        moved = await committed_client.patch(
            f"/appointments/{created['id']}",
            json={"start_time": at(2, 15).isoformat()},
            headers=BOT,
        )

    assert moved.status_code == 200, moved.text
    assert [query.split()[0] for query in seen] == ["BEGIN", "SELECT", "WITH", "COMMIT"], seen
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


async def test_a_slot_search_is_one_round_trip(
    committed_client: AsyncClient, engine: AsyncEngine, driver_pool: DriverPool
) -> None:
    doctor = await make_doctor(committed_client)
    await _warm_up(committed_client, doctor["id"])

    async with round_trips(engine, driver_pool) as seen:
        by_doctor = await committed_client.get("/slots", params={"doctor_id": doctor["id"]})
        by_specialty = await committed_client.get("/slots", params={"specialty": "therapist"})

    assert by_doctor.status_code == by_specialty.status_code == 200, by_specialty.text
    assert by_doctor.json()
    assert by_doctor.json() == by_specialty.json()
    # One read each, outside any transaction: no BEGIN, no COMMIT.
    assert [query.split()[0] for query in seen] == ["WITH", "WITH"], seen
