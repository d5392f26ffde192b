"""POST/GET/DELETE /waitlist: a line per specialty or doctor, scoped to the bot's patient."""

from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from tests.conftest import ADMIN, BOT, BOT_PATIENT, bot_for
from tests.factories import clinic_today, make_doctor, make_specialty

OTHER_PATIENT = BOT_PATIENT + 1


def entry(**extra: Any) -> dict[str, Any]:
    today = clinic_today()
    body = {
        "specialty": "therapist",
        "first_day": today.isoformat(),
        "last_day": (today + timedelta(days=7)).isoformat(),
        "patient_name": "Пётр Сидоров",
        "patient_phone": "+7 916 123-45-67",
    }
    return body | extra


async def join(client: AsyncClient, headers: dict[str, str] = BOT, **extra: Any) -> dict[str, Any]:
    response = await client.post("/waitlist", json=entry(**extra), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_the_bot_puts_its_patient_in_line(client: AsyncClient) -> None:
    await make_specialty(client)
    joined = await join(client, time_from="09:00", time_to="12:00")
    assert joined["patient_telegram_id"] == BOT_PATIENT
    assert joined["specialty"] == "therapist"
    assert joined["status"] == "waiting"
    assert joined["patient_phone"] == "+79161234567"
    assert joined["time_from"] == "09:00:00"


async def test_a_line_for_one_doctor(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    joined = await join(client, specialty=None, doctor_id=doctor["id"])
    assert (joined["doctor_id"], joined["specialty"]) == (doctor["id"], None)


@pytest.mark.parametrize(
    ("extra", "field", "rule"),
    [
        ({"doctor_id": 1}, "specialty", "one_of"),
        ({"specialty": None}, "specialty", "one_of"),
        ({"specialty": "astrologer"}, "specialty", "unknown_specialty"),
        ({"specialty": None, "doctor_id": 999999}, "doctor_id", "unknown_doctor"),
        ({"first_day": "2999-01-02", "last_day": "2999-01-01"}, "last_day", "window"),
        ({"first_day": "2001-01-01", "last_day": "2001-01-02"}, "last_day", "in_past"),
        ({"last_day": "2999-01-01"}, "last_day", "booking_horizon"),
        ({"time_from": "12:00", "time_to": "09:00"}, "time_to", "window"),
    ],
)
async def test_bad_lines_are_422(
    client: AsyncClient, extra: dict[str, Any], field: str, rule: str
) -> None:
    await make_specialty(client)
    response = await client.post("/waitlist", json=entry(**extra), headers=BOT)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert response.json()["errors"][0]["rule"] == rule


async def test_staff_name_the_patient(client: AsyncClient) -> None:
    await make_specialty(client)
    unnamed = await client.post("/waitlist", json=entry(), headers=ADMIN)
    named = await client.post("/waitlist", json=entry(patient_telegram_id=5), headers=ADMIN)
    assert [unnamed.status_code, named.status_code] == [422, 201]


async def test_the_bot_cannot_queue_someone_else(client: AsyncClient) -> None:
    await make_specialty(client)
    response = await client.post(
        "/waitlist", json=entry(patient_telegram_id=OTHER_PATIENT), headers=BOT
    )
    assert response.status_code == 403


async def test_staff_see_the_line_in_arrival_order_and_the_bot_its_own(
    client: AsyncClient,
) -> None:
    await make_specialty(client)
    first = await join(client)
    second = await join(client, headers=bot_for(OTHER_PATIENT))
    third = await join(client)

    everyone = (await client.get("/waitlist", headers=ADMIN)).json()
    mine = (await client.get("/waitlist", headers=BOT)).json()
    other = await client.get(
        "/waitlist", params={"patient_telegram_id": OTHER_PATIENT}, headers=BOT
    )

    assert [e["id"] for e in everyone["items"]] == [first["id"], second["id"], third["id"]]
    assert [e["id"] for e in mine["items"]] == [first["id"], third["id"]]
    assert other.status_code == 403


async def test_leaving_the_line(client: AsyncClient) -> None:
    await make_specialty(client)
    joined = await join(client)

    theirs = await client.delete(f"/waitlist/{joined['id']}", headers=bot_for(OTHER_PATIENT))
    left = await client.delete(f"/waitlist/{joined['id']}", headers=BOT)
    again = await client.delete(f"/waitlist/{joined['id']}", headers=BOT)

    assert [theirs.status_code, left.status_code, again.status_code] == [404, 204, 204]
    assert (await client.get("/waitlist", headers=ADMIN)).json()["total"] == 0
    closed = await client.get("/waitlist", params={"include_closed": True}, headers=ADMIN)
    assert closed.json()["items"][0]["status"] == "left"


async def test_a_patient_waits_in_a_bounded_number_of_lines(client: AsyncClient) -> None:
    await make_specialty(client)
    for _ in range(5):
        await join(client)
    response = await client.post("/waitlist", json=entry(), headers=BOT)
    assert response.status_code == 409
