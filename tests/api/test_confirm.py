"""The patient's confirmation of a visit: recorded once, in the history, for their own only."""

from httpx import AsyncClient

from tests.conftest import ADMIN, BOT_TOKEN, bot_for
from tests.factories import at, booking, make_doctor


async def _booked(client: AsyncClient, telegram_id: int = 42) -> dict[str, object]:
    doctor = await make_doctor(client)
    body = booking(doctor["id"], at(2, 10), patient_language="en")
    response = await client.post("/appointments", json=body, headers=bot_for(telegram_id))
    assert response.status_code == 201, response.text
    created: dict[str, object] = response.json()
    assert created["confirmed_at"] is None
    assert created["patient_language"] == "en"
    return created


async def test_confirm_records_the_time_and_a_history_event_once(client: AsyncClient) -> None:
    created = await _booked(client)

    first = await client.post(f"/appointments/{created['id']}/confirm", headers=bot_for(42))
    again = await client.post(f"/appointments/{created['id']}/confirm", headers=bot_for(42))

    assert first.status_code == 200, first.text
    assert first.json()["confirmed_at"] is not None
    assert again.json()["confirmed_at"] == first.json()["confirmed_at"]  # idempotent
    history = (await client.get(f"/appointments/{created['id']}/history", headers=ADMIN)).json()
    confirmed = [event for event in history if event["action"] == "confirmed"]
    assert len(confirmed) == 1
    assert confirmed[0]["source"] == "bot"
    assert confirmed[0]["new"]["confirmed_at"] == first.json()["confirmed_at"]


async def test_another_patients_appointment_is_404_for_the_bot(client: AsyncClient) -> None:
    created = await _booked(client, telegram_id=42)

    response = await client.post(f"/appointments/{created['id']}/confirm", headers=bot_for(43))
    without_patient = await client.post(
        f"/appointments/{created['id']}/confirm", headers={"Authorization": f"Bearer {BOT_TOKEN}"}
    )

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert without_patient.status_code == 403


async def test_a_cancelled_appointment_cannot_be_confirmed(client: AsyncClient) -> None:
    created = await _booked(client)
    await client.post(f"/appointments/{created['id']}/cancel", headers=ADMIN)

    response = await client.post(f"/appointments/{created['id']}/confirm", headers=ADMIN)

    assert response.status_code == 409
    assert response.json()["status"] == 409


async def test_a_reschedule_asks_for_confirmation_again(client: AsyncClient) -> None:
    created = await _booked(client)
    await client.post(f"/appointments/{created['id']}/confirm", headers=ADMIN)

    moved = await client.patch(
        f"/appointments/{created['id']}", json={"start_time": at(3, 11).isoformat()}, headers=ADMIN
    )

    assert moved.status_code == 200, moved.text
    assert moved.json()["confirmed_at"] is None


async def test_an_unknown_language_is_422(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    body = booking(doctor["id"], at(2, 10), patient_language="de")

    response = await client.post("/appointments", json=body, headers=ADMIN)

    assert response.status_code == 422
