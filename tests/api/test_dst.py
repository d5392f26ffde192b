"""A clinic in a zone with DST: wall-clock hours hold on both sides of the change."""

from collections.abc import Iterator
from datetime import datetime

import pytest
from httpx import AsyncClient

from clinic.core.settings import get_settings
from tests.conftest import BOT
from tests.factories import booking, make_doctor


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch, client: AsyncClient) -> Iterator[None]:
    # The 2027 spring change is months away, so widen the horizon to reach it.
    monkeypatch.setenv("CLINIC_TIMEZONE", "Europe/Berlin")
    monkeypatch.setenv("BOOKING_HORIZON_DAYS", "800")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("berlin")
async def test_bookings_keep_wall_clock_time_across_spring_forward(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    before = datetime.fromisoformat("2027-03-26T09:00")
    after = datetime.fromisoformat("2027-03-29T09:00")

    first = await client.post("/appointments", json=booking(doctor["id"], before), headers=BOT)
    second = await client.post("/appointments", json=booking(doctor["id"], after), headers=BOT)

    assert first.json()["start_time"] == "2027-03-26T09:00:00+01:00"
    assert second.json()["start_time"] == "2027-03-29T09:00:00+02:00"
    assert second.json()["end_time"] == "2027-03-29T09:30:00+02:00"


@pytest.mark.usefixtures("berlin")
async def test_slots_skip_the_missing_hour_of_the_change_night(client: AsyncClient) -> None:
    night = [{"weekday": 6, "start_time": "01:00", "end_time": "04:00"}]
    doctor = await make_doctor(client, hours=night)

    response = await client.get(
        "/slots",
        params={"doctor_id": doctor["id"], "from": "2027-03-28T00:00", "to": "2027-03-28T23:00"},
    )
    nonexistent = await client.post(
        "/appointments",
        json={"patient_name": "A", "doctor_id": doctor["id"], "start_time": "2027-03-28T02:30"},
        headers=BOT,
    )

    assert [s["start"] for s in response.json()] == [
        "2027-03-28T01:00:00+01:00",
        "2027-03-28T01:30:00+01:00",
        "2027-03-28T03:00:00+02:00",
        "2027-03-28T03:30:00+02:00",
    ]
    assert response.json()[1]["end"] == "2027-03-28T03:00:00+02:00"
    assert nonexistent.status_code == 422
    assert nonexistent.json()["errors"][0]["field"] == "start_time"
    assert "does not exist" in nonexistent.json()["errors"][0]["detail"]
