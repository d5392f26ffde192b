"""The `bot` token acts for one patient at a time, named in X-Patient-Telegram-Id."""

from typing import Any

import pytest
from httpx import AsyncClient

from tests.conftest import ADMIN, BOT, BOT_PATIENT, BOT_TOKEN, bot_for
from tests.factories import at, booking, make_doctor

OTHER_PATIENT = BOT_PATIENT + 1


async def _book(client: AsyncClient, headers: dict[str, str], **extra: Any) -> dict[str, Any]:
    doctor = await make_doctor(client)
    response = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10), **extra), headers=headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/appointments"),
        ("POST", "/appointments"),
        ("GET", "/appointments/1"),
        ("PATCH", "/appointments/1"),
        ("POST", "/appointments/1/cancel"),
    ],
)
async def test_the_bot_must_name_its_patient_on_every_call(
    client: AsyncClient, method: str, path: str
) -> None:
    response = await client.request(
        method, path, json={}, headers={"Authorization": f"Bearer {BOT_TOKEN}"}
    )
    assert response.status_code == 403
    assert "X-Patient-Telegram-Id" in response.json()["detail"]


async def test_a_bot_booking_belongs_to_its_patient(client: AsyncClient) -> None:
    named = await _book(client, BOT)
    assert named["patient_telegram_id"] == BOT_PATIENT


async def test_the_bot_cannot_book_for_someone_else(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    body = booking(doctor["id"], at(1, 10), patient_telegram_id=OTHER_PATIENT)
    response = await client.post("/appointments", json=body, headers=BOT)
    assert response.status_code == 403
    assert (await client.get("/appointments", headers=ADMIN)).json()["total"] == 0


async def test_another_patients_appointment_is_404_to_the_bot(client: AsyncClient) -> None:
    theirs = await _book(client, bot_for(OTHER_PATIENT))
    path = f"/appointments/{theirs['id']}"

    read = await client.get(path, headers=BOT)
    moved = await client.patch(path, json={"start_time": at(1, 11).isoformat()}, headers=BOT)
    cancelled = await client.post(f"{path}/cancel", json={}, headers=BOT)

    assert [read.status_code, moved.status_code, cancelled.status_code] == [404, 404, 404]
    untouched = (await client.get(path, headers=ADMIN)).json()
    assert untouched["status"] == "scheduled"
    assert untouched["start_time"] == theirs["start_time"]


async def test_an_unowned_appointment_is_404_to_the_bot(client: AsyncClient) -> None:
    staff_booking = await _book(client, ADMIN)
    response = await client.get(f"/appointments/{staff_booking['id']}", headers=BOT)
    assert response.status_code == 404


async def test_the_bot_lists_its_patient_by_default(client: AsyncClient) -> None:
    mine = await _book(client, BOT)
    await client.post(
        "/appointments",
        json=booking(mine["doctor_id"], at(1, 11)),
        headers=bot_for(OTHER_PATIENT),
    )
    page = (await client.get("/appointments", headers=BOT)).json()
    assert [a["id"] for a in page["items"]] == [mine["id"]]


async def test_staff_are_not_scoped(client: AsyncClient) -> None:
    theirs = await _book(client, bot_for(OTHER_PATIENT))
    response = await client.get(f"/appointments/{theirs['id']}", headers=ADMIN)
    assert response.status_code == 200


async def test_idempotency_keys_are_scoped_per_role(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    body = booking(doctor["id"], at(1, 10), patient_telegram_id=BOT_PATIENT)
    by_admin = await client.post(
        "/appointments", json=body, headers=ADMIN | {"Idempotency-Key": "k"}
    )
    by_bot = await client.post("/appointments", json=body, headers=BOT | {"Idempotency-Key": "k"})

    assert by_admin.status_code == 201
    # Not a replay of the admin's booking: the bot's own attempt, refused as taken.
    assert by_bot.status_code == 409
    assert "idempotent-replayed" not in by_bot.headers
