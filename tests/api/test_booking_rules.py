"""Every booking rule gives a 422 naming the field and the rule."""

from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from clinic.core.settings import get_settings
from tests.conftest import ADMIN, BOT
from tests.factories import at, booking, clinic_today, make_doctor


def _rule(response: Any) -> tuple[str, str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    error = response.json()["errors"][0]
    return error["field"], error["rule"]


async def test_past_time_is_refused(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    response = await client.post(
        "/appointments", json=booking(doctor["id"], at(-1, 10)), headers=BOT
    )
    assert _rule(response) == ("start_time", "in_past")


async def test_minimum_notice_is_enforced(
    client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    doctor = await make_doctor(client)
    monkeypatch.setenv("MIN_NOTICE_MINUTES", str(3 * 24 * 60))
    get_settings.cache_clear()
    response = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10)), headers=BOT
    )
    assert _rule(response) == ("start_time", "min_notice")


async def test_beyond_horizon_is_refused(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    response = await client.post(
        "/appointments", json=booking(doctor["id"], at(61, 10)), headers=BOT
    )
    assert _rule(response) == ("start_time", "booking_horizon")


async def test_off_grid_start_is_refused(client: AsyncClient) -> None:
    doctor = await make_doctor(client, slot_minutes=30)
    response = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10, 10)), headers=BOT
    )
    assert _rule(response) == ("start_time", "slot_grid")


async def test_outside_hours_and_in_the_break_are_refused(client: AsyncClient) -> None:
    hours = [{"weekday": d, "start_time": "09:00", "end_time": "13:00"} for d in range(7)] + [
        {"weekday": d, "start_time": "14:00", "end_time": "18:00"} for d in range(7)
    ]
    doctor = await make_doctor(client, hours=hours)
    lunch = await client.post("/appointments", json=booking(doctor["id"], at(1, 13)), headers=BOT)
    evening = await client.post("/appointments", json=booking(doctor["id"], at(1, 18)), headers=BOT)
    assert _rule(lunch) == ("start_time", "working_hours")
    assert _rule(evening) == ("start_time", "working_hours")


async def test_day_off_exception_and_closed_date_are_refused(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    day_off = clinic_today() + timedelta(days=2)
    closed = clinic_today() + timedelta(days=3)
    await client.post(
        f"/doctors/{doctor['id']}/exceptions", json={"on_date": day_off.isoformat()}, headers=ADMIN
    )
    await client.post("/closed-dates", json={"on_date": closed.isoformat()}, headers=ADMIN)

    on_day_off = await client.post(
        "/appointments", json=booking(doctor["id"], at(2, 10)), headers=BOT
    )
    on_closed = await client.post(
        "/appointments", json=booking(doctor["id"], at(3, 10)), headers=BOT
    )

    assert _rule(on_day_off) == ("start_time", "day_off")
    assert _rule(on_closed) == ("start_time", "clinic_closed")


async def test_exception_hours_replace_weekly_hours(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    day = clinic_today() + timedelta(days=2)
    await client.post(
        f"/doctors/{doctor['id']}/exceptions",
        json={"on_date": day.isoformat(), "start_time": "15:00", "end_time": "17:00"},
        headers=ADMIN,
    )
    morning = await client.post("/appointments", json=booking(doctor["id"], at(2, 10)), headers=BOT)
    afternoon = await client.post(
        "/appointments", json=booking(doctor["id"], at(2, 15, 30)), headers=BOT
    )
    assert _rule(morning) == ("start_time", "working_hours")
    assert afternoon.status_code == 201


async def test_unknown_and_inactive_doctors_are_422(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    await client.patch(f"/doctors/{doctor['id']}", json={"is_active": False}, headers=ADMIN)
    unknown = await client.post("/appointments", json=booking(999999, at(1, 10)), headers=BOT)
    inactive = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10)), headers=BOT
    )
    assert _rule(unknown) == ("doctor_id", "unknown_doctor")
    assert _rule(inactive) == ("doctor_id", "doctor_inactive")


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"patient_name": "   "}, "patient_name"),
        ({"patient_name": "x" * 201}, "patient_name"),
        ({"patient_phone": "12345"}, "patient_phone"),
        ({"patient_phone": "not a phone"}, "patient_phone"),
        ({"start_time": "tomorrow"}, "start_time"),
        ({"doctor_id": "seven"}, "doctor_id"),
        ({"reason": "x" * 501}, "reason"),
    ],
)
async def test_bad_fields_are_422_naming_the_field(
    client: AsyncClient, patch: dict[str, str], field: str
) -> None:
    doctor = await make_doctor(client)
    response = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10)) | patch, headers=BOT
    )
    assert _rule(response)[0] == field


async def test_name_is_trimmed_and_phone_normalised(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    body = booking(doctor["id"], at(1, 10), patient_phone="8 (916) 123-45-67")
    body["patient_name"] = "  Анна Каренина  "
    response = await client.post("/appointments", json=body, headers=BOT)
    assert response.status_code == 201
    assert response.json()["patient_name"] == "Анна Каренина"
    assert response.json()["patient_phone"] == "+79161234567"


async def test_malformed_json_is_422_not_500(client: AsyncClient) -> None:
    response = await client.post(
        "/appointments",
        content=b"{not json",
        headers=BOT | {"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
