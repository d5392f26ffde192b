"""Real concurrent transactions: PostgreSQL decides, and exactly one booking wins."""

import asyncio
from collections import Counter

from httpx import AsyncClient

from tests.conftest import ADMIN, BOT
from tests.factories import at, booking, make_doctor


async def test_fifty_concurrent_posts_for_one_slot_book_exactly_once(
    committed_client: AsyncClient,
) -> None:
    doctor = await make_doctor(committed_client)
    body = booking(doctor["id"], at(1, 10))

    responses = await asyncio.gather(
        *(committed_client.post("/appointments", json=body, headers=BOT) for _ in range(50))
    )

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 409: 49}
    listed = await committed_client.get(
        "/appointments", params={"doctor_id": doctor["id"]}, headers=ADMIN
    )
    assert listed.json()["total"] == 1


async def test_concurrent_reschedules_into_one_slot_move_exactly_one(
    committed_client: AsyncClient,
) -> None:
    doctor = await make_doctor(committed_client)
    ids = []
    for hour in range(8, 18):
        created = await committed_client.post(
            "/appointments", json=booking(doctor["id"], at(2, hour)), headers=BOT
        )
        ids.append(created.json()["id"])
    target = {"start_time": at(2, 18, 30).isoformat()}

    responses = await asyncio.gather(
        *(committed_client.patch(f"/appointments/{i}", json=target, headers=BOT) for i in ids)
    )

    assert Counter(r.status_code for r in responses) == {200: 1, 409: 9}
    in_target = await committed_client.get(
        "/appointments",
        params={"doctor_id": doctor["id"], "from": at(2, 18, 30).isoformat()},
        headers=ADMIN,
    )
    assert in_target.json()["total"] == 1


async def test_concurrent_idempotent_retries_book_once(committed_client: AsyncClient) -> None:
    doctor = await make_doctor(committed_client)
    body = booking(doctor["id"], at(1, 12))
    headers = BOT | {"Idempotency-Key": "double-tap"}

    responses = await asyncio.gather(
        *(committed_client.post("/appointments", json=body, headers=headers) for _ in range(10))
    )

    assert all(r.status_code == 201 for r in responses)
    assert len({r.json()["id"] for r in responses}) == 1


async def test_a_refused_booking_rolls_back_at_once_and_frees_its_key(
    committed_client: AsyncClient,
) -> None:
    doctor = await make_doctor(committed_client)
    await committed_client.post("/appointments", json=booking(doctor["id"], at(1, 9)), headers=BOT)
    headers = BOT | {"Idempotency-Key": "retry-after-409"}

    taken = await committed_client.post(
        "/appointments", json=booking(doctor["id"], at(1, 9)), headers=headers
    )
    # Had the 409's transaction lingered, its claim on the key would still be held (and the
    # next request would wait on it) or stored (and refused as a different body).
    retried = await asyncio.wait_for(
        committed_client.post(
            "/appointments", json=booking(doctor["id"], at(1, 9, 30)), headers=headers
        ),
        timeout=10,
    )

    assert taken.status_code == 409
    assert retried.status_code == 201


async def test_concurrent_posts_on_a_known_doctor_day_book_exactly_once(
    committed_client: AsyncClient,
) -> None:
    doctor = await make_doctor(committed_client)
    # The lane has read this doctor-day: every racer books in one statement on it.
    await committed_client.post("/appointments", json=booking(doctor["id"], at(1, 9)), headers=BOT)
    body = booking(doctor["id"], at(1, 10))

    responses = await asyncio.gather(
        *(committed_client.post("/appointments", json=body, headers=BOT) for _ in range(50))
    )

    assert Counter(r.status_code for r in responses) == {201: 1, 409: 49}
    listed = await committed_client.get(
        "/appointments", params={"doctor_id": doctor["id"]}, headers=ADMIN
    )
    assert listed.json()["total"] == 2


async def test_concurrent_retries_on_a_known_doctor_day_book_once(
    committed_client: AsyncClient,
) -> None:
    doctor = await make_doctor(committed_client)
    await committed_client.post("/appointments", json=booking(doctor["id"], at(1, 9)), headers=BOT)
    body = booking(doctor["id"], at(1, 12))
    headers = BOT | {"Idempotency-Key": "double-tap-known"}

    responses = await asyncio.gather(
        *(committed_client.post("/appointments", json=body, headers=headers) for _ in range(10))
    )

    assert all(r.status_code == 201 for r in responses), [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 9
