"""Test data: specialties, doctors with hours, and handy future times in clinic time."""

from datetime import date, datetime, time, timedelta
from typing import Any

from httpx import AsyncClient

from clinic.core.settings import get_settings
from clinic.core.timeutils import utcnow
from tests.conftest import ADMIN

ALL_WEEK_8_TO_20 = [
    {"weekday": day, "start_time": "08:00", "end_time": "20:00"} for day in range(7)
]


async def make_specialty(client: AsyncClient, code: str = "therapist") -> dict[str, Any]:
    response = await client.post(
        "/specialties",
        json={"code": code, "name_ru": code.title(), "name_en": code.title()},
        headers=ADMIN,
    )
    if response.status_code == 409:  # already made by this test
        return next(s for s in (await client.get("/specialties")).json() if s["code"] == code)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def make_doctor(
    client: AsyncClient,
    specialty: str = "therapist",
    *,
    name: str = "Иванова Мария Сергеевна",
    slot_minutes: int = 30,
    hours: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    await make_specialty(client, specialty)
    response = await client.post(
        "/doctors",
        json={
            "full_name": name,
            "specialty": specialty,
            "slot_minutes": slot_minutes,
            "working_hours": ALL_WEEK_8_TO_20 if hours is None else hours,
        },
        headers=ADMIN,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def clinic_today() -> date:
    return utcnow().astimezone(get_settings().tz).date()


def at(days_ahead: int, hour: int, minute: int = 0) -> datetime:
    """An aware datetime `days_ahead` days from today at the clinic's wall-clock hour:minute."""
    day = clinic_today() + timedelta(days=days_ahead)
    return datetime.combine(day, time(hour, minute), tzinfo=get_settings().tz)


def booking(doctor_id: int, start: datetime, **extra: Any) -> dict[str, Any]:
    body = {"patient_name": "Пётр Сидоров", "doctor_id": doctor_id, "start_time": start.isoformat()}
    return body | extra
