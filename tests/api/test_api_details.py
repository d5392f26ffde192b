"""Details a client relies on: date-only `to` bounds, history in clinic time, and 422s that
say why a day cannot be booked."""

from datetime import timedelta

from httpx import AsyncClient

from tests.conftest import ADMIN
from tests.factories import at, booking, clinic_today, make_doctor


async def test_a_date_only_to_on_slots_includes_that_whole_day(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    day = (clinic_today() + timedelta(days=2)).isoformat()
    slots = await client.get(
        "/slots", params={"doctor_id": doctor["id"], "from": day, "to": day, "limit": 200}
    )
    starts = [s["start"] for s in slots.json()]
    assert starts[0] == at(2, 8).isoformat()
    assert starts[-1] == at(2, 19, 30).isoformat()


async def test_a_date_only_to_on_appointments_includes_that_whole_day(
    client: AsyncClient,
) -> None:
    doctor = await make_doctor(client)
    for days, hour in ((1, 19), (2, 9)):
        await client.post(
            "/appointments", json=booking(doctor["id"], at(days, hour)), headers=ADMIN
        )
    day = (clinic_today() + timedelta(days=1)).isoformat()
    page = await client.get("/appointments", params={"from": day, "to": day}, headers=ADMIN)
    assert [a["start_time"] for a in page.json()["items"]] == [at(1, 19).isoformat()]


async def test_history_shows_times_in_clinic_time(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    created = (
        await client.post("/appointments", json=booking(doctor["id"], at(1, 9)), headers=ADMIN)
    ).json()
    await client.patch(
        f"/appointments/{created['id']}", json={"start_time": at(1, 15).isoformat()}, headers=ADMIN
    )
    events = (await client.get(f"/appointments/{created['id']}/history", headers=ADMIN)).json()
    assert events[0]["new"]["start_time"] == at(1, 9).isoformat()  # "+03:00", not UTC
    assert events[1]["old"]["start_time"] == at(1, 9).isoformat()
    assert events[1]["new"]["end_time"] == at(1, 15, 30).isoformat()


async def _refusal(client: AsyncClient, doctor_id: int, days: int) -> str:
    response = await client.post(
        "/appointments", json=booking(doctor_id, at(days, 10)), headers=ADMIN
    )
    assert response.status_code == 422, response.text
    return str(response.json()["detail"])


async def test_a_refused_day_names_the_reason(client: AsyncClient) -> None:
    weekdays_only = [{"weekday": d, "start_time": "08:00", "end_time": "20:00"} for d in range(5)]
    doctor = await make_doctor(client, hours=weekdays_only)
    days = range(2, 9)
    saturday = next(d for d in days if (clinic_today() + timedelta(days=d)).weekday() == 5)
    weekday = next(d for d in days if (clinic_today() + timedelta(days=d)).weekday() < 3)
    leave, closed = weekday, weekday + 1
    await client.post(
        f"/doctors/{doctor['id']}/exceptions",
        json={"on_date": (clinic_today() + timedelta(days=leave)).isoformat()},
        headers=ADMIN,
    )
    await client.post(
        "/closed-dates",
        json={"on_date": (clinic_today() + timedelta(days=closed)).isoformat()},
        headers=ADMIN,
    )

    assert "Saturdays are a day off" in await _refusal(client, doctor["id"], saturday)
    assert "schedule exception" in await _refusal(client, doctor["id"], leave)
    assert "clinic is closed" in await _refusal(client, doctor["id"], closed)
