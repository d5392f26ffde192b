"""Holds: a slot kept for one patient while they confirm, taken for everyone else."""

from datetime import datetime, timedelta

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import ADMIN, BOT, BOT_PATIENT, BOT_TOKEN, bot_for
from tests.factories import at, booking, make_doctor
from tests.holds.helpers import expire, hold, slot_starts

OTHER = bot_for(BOT_PATIENT + 1)


async def test_a_hold_keeps_the_slot_for_hold_minutes(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    before = datetime.now().astimezone()

    held = await hold(client, doctor["id"], at(1, 10))

    assert held["doctor_id"] == doctor["id"]
    assert held["start"] == at(1, 10).isoformat()
    assert held["end"] == at(1, 10, 30).isoformat()
    assert held["patient_telegram_id"] == BOT_PATIENT
    expires = datetime.fromisoformat(held["expires_at"]) - before
    assert timedelta(minutes=9) < expires < timedelta(minutes=11)


async def test_a_held_slot_is_not_listed_and_not_bookable_by_others(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    await hold(client, doctor["id"], at(1, 10))

    listed = await slot_starts(client, doctor["id"], at(1, 10))
    booked = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10)), headers=OTHER
    )
    held = await client.post(
        "/holds",
        json={"doctor_id": doctor["id"], "start_time": at(1, 10).isoformat()},
        headers=OTHER,
    )

    assert listed == [at(1, 10, 30).isoformat(), at(1, 11).isoformat(), at(1, 11, 30).isoformat()]
    assert booked.status_code == 409
    assert booked.headers["content-type"] == "application/problem+json"
    alternatives = [a["start"] for a in booked.json()["alternatives"]]
    assert at(1, 10).isoformat() not in alternatives
    assert alternatives[0] == at(1, 10, 30).isoformat()
    assert held.status_code == 409


async def test_the_holder_books_the_held_slot_and_the_hold_is_gone(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    held = await hold(client, doctor["id"], at(1, 10))

    booked = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10), hold_id=held["id"]), headers=BOT
    )

    assert booked.status_code == 201, booked.text
    assert booked.json()["patient_telegram_id"] == BOT_PATIENT
    assert (await client.delete(f"/holds/{held['id']}", headers=BOT)).status_code == 404


async def test_a_held_slot_cannot_be_booked_without_the_hold(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    await hold(client, doctor["id"], at(1, 10))
    response = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10)), headers=BOT
    )
    assert response.status_code == 409


async def test_another_patients_hold_is_unknown_to_the_bot(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    held = await hold(client, doctor["id"], at(1, 10))

    booked = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10), hold_id=held["id"]), headers=OTHER
    )
    released = await client.delete(f"/holds/{held['id']}", headers=OTHER)

    assert [booked.status_code, released.status_code] == [404, 404]
    assert booked.json()["type"].endswith("hold-not-found")


async def test_a_hold_books_only_its_own_slot(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    held = await hold(client, doctor["id"], at(1, 10))
    response = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 11), hold_id=held["id"]), headers=BOT
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["rule"] == "hold_mismatch"


async def test_an_expired_hold_frees_the_slot(client: AsyncClient, session: AsyncSession) -> None:
    doctor = await make_doctor(client)
    held = await hold(client, doctor["id"], at(1, 10))

    await expire(session, held["id"])

    assert (await slot_starts(client, doctor["id"], at(1, 10)))[0] == at(1, 10).isoformat()
    response = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10)), headers=OTHER
    )
    assert response.status_code == 201


async def test_an_expired_hold_still_books_a_slot_nobody_took(
    client: AsyncClient, session: AsyncSession
) -> None:
    doctor = await make_doctor(client)
    held = await hold(client, doctor["id"], at(1, 10))
    await expire(session, held["id"])
    response = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10), hold_id=held["id"]), headers=BOT
    )
    assert response.status_code == 201


async def test_an_expired_hold_does_not_book_a_slot_taken_since(
    client: AsyncClient, session: AsyncSession
) -> None:
    doctor = await make_doctor(client)
    held = await hold(client, doctor["id"], at(1, 10))
    await expire(session, held["id"])
    await hold(client, doctor["id"], at(1, 10), headers=OTHER)

    response = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10), hold_id=held["id"]), headers=BOT
    )

    assert response.status_code == 409


async def test_releasing_a_hold_frees_the_slot_at_once(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    held = await hold(client, doctor["id"], at(1, 10))

    released = await client.delete(f"/holds/{held['id']}", headers=BOT)
    booked = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10)), headers=OTHER
    )

    assert [released.status_code, booked.status_code] == [204, 201]


async def test_a_new_hold_of_the_patient_releases_the_earlier_one(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    await hold(client, doctor["id"], at(1, 10))
    await hold(client, doctor["id"], at(1, 11))
    assert (await slot_starts(client, doctor["id"], at(1, 10)))[0] == at(1, 10).isoformat()


async def test_a_booked_slot_cannot_be_held(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    await client.post("/appointments", json=booking(doctor["id"], at(1, 10)), headers=OTHER)
    response = await client.post(
        "/holds", json={"doctor_id": doctor["id"], "start_time": at(1, 10).isoformat()}, headers=BOT
    )
    assert response.status_code == 409
    assert response.json()["alternatives"][0]["start"] == at(1, 10, 30).isoformat()


async def test_a_hold_overlapping_a_longer_booking_is_refused(client: AsyncClient) -> None:
    doctor = await make_doctor(client, slot_minutes=60)
    await client.post("/appointments", json=booking(doctor["id"], at(1, 10)), headers=OTHER)
    response = await client.post(
        "/holds",
        json={"doctor_id": doctor["id"], "start_time": at(1, 10).isoformat()},
        headers=BOT,
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("start", "rule"),
    [(at(1, 10, 10), "slot_grid"), (at(1, 21), "working_hours"), (at(-1, 10), "in_past")],
)
async def test_a_hold_obeys_the_booking_rules(
    client: AsyncClient, start: datetime, rule: str
) -> None:
    doctor = await make_doctor(client)
    response = await client.post(
        "/holds", json={"doctor_id": doctor["id"], "start_time": start.isoformat()}, headers=BOT
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["rule"] == rule


async def test_a_hold_for_an_unknown_doctor_is_422(client: AsyncClient) -> None:
    response = await client.post(
        "/holds", json={"doctor_id": 999999, "start_time": at(1, 10).isoformat()}, headers=BOT
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["rule"] == "unknown_doctor"


async def test_the_bot_must_name_its_patient_to_hold(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    body = {"doctor_id": doctor["id"], "start_time": at(1, 10).isoformat()}
    unnamed = await client.post(
        "/holds", json=body, headers={"Authorization": f"Bearer {BOT_TOKEN}"}
    )
    for_other = await client.post(
        "/holds", json=body | {"patient_telegram_id": BOT_PATIENT + 1}, headers=BOT
    )
    assert [unnamed.status_code, for_other.status_code] == [403, 403]


async def test_staff_hold_for_a_patient_and_book_with_it(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    body = {"doctor_id": doctor["id"], "start_time": at(1, 10).isoformat()}
    held = (await client.post("/holds", json=body, headers=ADMIN)).json()
    booked = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10), hold_id=held["id"]), headers=ADMIN
    )
    assert held["patient_telegram_id"] is None
    assert booked.status_code == 201


async def test_a_reschedule_into_a_held_slot_is_refused(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    mine = await client.post("/appointments", json=booking(doctor["id"], at(1, 9)), headers=OTHER)
    await hold(client, doctor["id"], at(1, 10))
    response = await client.patch(
        f"/appointments/{mine.json()['id']}",
        json={"start_time": at(1, 10).isoformat()},
        headers=OTHER,
    )
    assert response.status_code == 409
