"""Real concurrent transactions: PostgreSQL decides between holds and bookings of one slot."""

import asyncio
from collections import Counter

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import ADMIN, bot_for
from tests.factories import at, booking, make_doctor
from tests.holds.helpers import expire, hold

PATIENTS = range(1001, 1021)


def _hold_body(doctor_id: int) -> dict[str, object]:
    return {"doctor_id": doctor_id, "start_time": at(1, 10).isoformat()}


async def test_twenty_patients_holding_one_slot_at_once_exactly_one_wins(
    committed_client: AsyncClient,
) -> None:
    doctor = await make_doctor(committed_client)

    responses = await asyncio.gather(
        *(
            committed_client.post("/holds", json=_hold_body(doctor["id"]), headers=bot_for(p))
            for p in PATIENTS
        )
    )

    assert Counter(r.status_code for r in responses) == {201: 1, 409: 19}


async def test_holds_and_bookings_racing_for_one_slot_exactly_one_wins(
    committed_client: AsyncClient,
) -> None:
    doctor = await make_doctor(committed_client)
    body = booking(doctor["id"], at(1, 10))
    requests = [
        committed_client.post("/holds", json=_hold_body(doctor["id"]), headers=bot_for(p))
        if p % 2
        else committed_client.post("/appointments", json=body, headers=bot_for(p))
        for p in PATIENTS
    ]

    responses = await asyncio.gather(*requests)

    assert Counter(r.status_code for r in responses) == {201: 1, 409: 19}
    winner = next(r for r in responses if r.status_code == 201)
    booked = await committed_client.get(
        "/appointments", params={"doctor_id": doctor["id"]}, headers=ADMIN
    )
    # A winning hold left no booking behind; a winning booking is the only one.
    assert booked.json()["total"] == (0 if "expires_at" in winner.json() else 1)


async def test_the_holder_books_while_others_race_for_the_slot(
    committed_client: AsyncClient,
) -> None:
    doctor = await make_doctor(committed_client)
    holder = bot_for(PATIENTS[0])
    held = await hold(committed_client, doctor["id"], at(1, 10), headers=holder)
    mine = booking(doctor["id"], at(1, 10), hold_id=held["id"])
    others = booking(doctor["id"], at(1, 10))

    responses = await asyncio.gather(
        committed_client.post("/appointments", json=mine, headers=holder),
        *(
            committed_client.post("/appointments", json=others, headers=bot_for(p))
            for p in PATIENTS[1:]
        ),
    )

    assert responses[0].status_code == 201, responses[0].text
    assert Counter(r.status_code for r in responses[1:]) == {409: len(PATIENTS) - 1}


async def test_an_expired_hold_frees_the_slot_for_exactly_one_of_many(
    committed_client: AsyncClient, engine: AsyncEngine
) -> None:
    doctor = await make_doctor(committed_client)
    held = await hold(committed_client, doctor["id"], at(1, 10), headers=bot_for(PATIENTS[0]))
    async with engine.begin() as connection:
        await expire(connection, held["id"])
    body = booking(doctor["id"], at(1, 10))

    responses = await asyncio.gather(
        *(
            committed_client.post("/appointments", json=body, headers=bot_for(p))
            for p in PATIENTS[1:]
        )
    )

    assert Counter(r.status_code for r in responses) == {201: 1, 409: len(PATIENTS) - 2}
