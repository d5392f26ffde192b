"""The slot search's kept schedules (availability.repository.KeptSchedules): on the hot
lane's pool, a search reads the doctors and their hours once and then only the bookings,
for as long as the schedule version stands; any change to the schedule is read afresh."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from clinic.api.app import create_app
from clinic.availability.repository import (
    KeptSchedule,
    KeptSchedules,
    SearchData,
    load_search,
)
from clinic.core.database import DriverPool, create_sessionmaker
from clinic.core.settings import Settings
from tests.conftest import BOT
from tests.factories import at, booking, clinic_today, make_doctor

WEEKDAYS_9_TO_13 = [
    {"weekday": day, "start_time": "09:00", "end_time": "13:00"} for day in range(7)
]


async def _search(pool: DriverPool, kept: KeptSchedules | None, **by: Any) -> SearchData:
    """The first three days from tomorrow, by specialty or doctor, on a pooled connection."""
    first_day = clinic_today() + timedelta(days=1)
    async with pool.executor() as connection:
        return await load_search(
            connection,
            **by,
            first_day=first_day,
            last_day=first_day + timedelta(days=2),
            start=at(1, 0),
            end=at(3, 23, 59),
            kept=kept,
        )


async def _two_doctors(client: AsyncClient) -> list[dict[str, Any]]:
    return [
        await make_doctor(client, "neuro", name=name, hours=WEEKDAYS_9_TO_13)
        for name in ("Алексеев А. А.", "Борисова Б. Б.")
    ]


async def test_a_kept_schedule_serves_while_only_bookings_change(
    committed_client: AsyncClient, driver_pool: DriverPool
) -> None:
    doctors = await _two_doctors(committed_client)
    kept = KeptSchedules()

    first = await _search(driver_pool, kept, specialty_code="neuro")
    booked = await committed_client.post(
        "/appointments", json=booking(doctors[0]["id"], at(1, 9)), headers=BOT
    )
    assert booked.status_code == 201, booked.text
    second = await _search(driver_pool, kept, specialty_code="neuro")

    # The doctors and hours are the copy read first (a booking leaves the version alone) ...
    assert second.schedules is first.schedules
    assert second.doctors is first.doctors
    assert [d.id for d in second.doctors] == [d["id"] for d in doctors]
    # ... the bookings are read on every search.
    assert first.busy == {}
    assert list(second.busy) == [doctors[0]["id"]]
    assert second == await _search(driver_pool, None, specialty_code="neuro")


async def test_a_search_by_doctor_keeps_its_own_copy(
    committed_client: AsyncClient, driver_pool: DriverPool
) -> None:
    doctors = await _two_doctors(committed_client)
    kept = KeptSchedules()

    by_specialty = await _search(driver_pool, kept, specialty_code="neuro")
    by_doctor = await _search(driver_pool, kept, doctor_id=doctors[1]["id"])
    again = await _search(driver_pool, kept, doctor_id=doctors[1]["id"])

    assert [d.id for d in by_doctor.doctors] == [doctors[1]["id"]]
    assert again.schedules is by_doctor.schedules
    assert by_doctor.schedules is not by_specialty.schedules
    assert again == await _search(driver_pool, None, doctor_id=doctors[1]["id"])


def _day(days_ahead: int) -> date:
    return clinic_today() + timedelta(days=days_ahead)


# Changes to what a search reads, each made by plain SQL (any writer moves the version).
CHANGES = {
    "hours": "UPDATE working_hours SET start_time = '10:00' WHERE doctor_id = :doctor",
    "exception": "INSERT INTO schedule_exception (doctor_id, on_date, start_time, end_time) "
    "VALUES (:doctor, :day, '15:00', '16:00')",
    "day off": "INSERT INTO schedule_exception (doctor_id, on_date) VALUES (:doctor, :day)",
    "closed date": "INSERT INTO closed_date (on_date) VALUES (:day)",
    "doctor inactive": "UPDATE doctor SET is_active = false WHERE id = :doctor",
    "slot length": "UPDATE doctor SET slot_minutes = 20 WHERE id = :doctor",
    "doctor renamed": "UPDATE doctor SET full_name = 'Борисова-Ветрова Б. Б.' WHERE id = :doctor",
    "specialty renamed": "UPDATE specialty SET code = 'neurology' WHERE code = 'neuro'",
}


@pytest.mark.parametrize("change", sorted(CHANGES))
async def test_a_changed_schedule_is_read_afresh(
    committed_client: AsyncClient, driver_pool: DriverPool, engine: AsyncEngine, change: str
) -> None:
    doctors = await _two_doctors(committed_client)
    kept = KeptSchedules()
    before = await _search(driver_pool, kept, specialty_code="neuro")

    async with engine.begin() as connection:
        await connection.execute(
            text(CHANGES[change]), {"doctor": doctors[1]["id"], "day": _day(2)}
        )
    after = await _search(driver_pool, kept, specialty_code="neuro")

    assert after.schedules is not before.schedules
    assert after != before
    assert after == await _search(driver_pool, None, specialty_code="neuro")


async def test_the_slot_lane_answers_from_the_kept_schedule_as_from_a_fresh_one(
    committed_client: AsyncClient, engine: AsyncEngine
) -> None:
    doctors = await _two_doctors(committed_client)
    query: dict[str, str | int] = {"specialty": "neuro", "limit": 4, "from": at(1, 0).isoformat()}

    first = await committed_client.get("/slots", params=query)
    second = await committed_client.get("/slots", params=query)  # from the kept schedule
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE working_hours SET start_time = '11:00' WHERE doctor_id = :doctor"),
            {"doctor": doctors[0]["id"]},
        )
    changed = await committed_client.get("/slots", params=query)

    assert first.status_code == second.status_code == changed.status_code == 200
    assert second.content == first.content
    starts = [(s["doctor_id"], datetime.fromisoformat(s["start"])) for s in changed.json()]
    assert starts == [
        (doctors[1]["id"], at(1, 9)),
        (doctors[1]["id"], at(1, 9, 30)),
        (doctors[1]["id"], at(1, 10)),
        (doctors[1]["id"], at(1, 10, 30)),
    ]


async def test_the_lane_from_a_kept_schedule_answers_byte_for_byte_as_the_route(
    committed_client: AsyncClient, engine: AsyncEngine, settings: Settings
) -> None:
    doctors = await _two_doctors(committed_client)
    booked = await committed_client.post(
        "/appointments", json=booking(doctors[0]["id"], at(1, 9)), headers=BOT
    )
    assert booked.status_code == 201, booked.text
    # The same API without its lane's pool: FastAPI's route answers, in a session.
    route_app = create_app(settings)
    route_app.state.sessionmaker = create_sessionmaker(engine)
    transport = ASGITransport(app=route_app)
    async with AsyncClient(transport=transport, base_url="http://clinic") as route_client:
        queries: list[dict[str, str | int]] = [
            {"specialty": "neuro", "limit": 5},
            {"doctor_id": doctors[0]["id"], "limit": 3, "time_from": "10:00"},
        ]
        for query in queries:
            await committed_client.get("/slots", params=query)  # kept here
            lane = await committed_client.get("/slots", params=query)
            route = await route_client.get("/slots", params=query)

            assert lane.status_code == route.status_code == 200
            assert len(lane.json()) == query["limit"]
            assert lane.content == route.content


def test_the_earliest_kept_schedule_goes_first_when_full() -> None:
    kept = KeptSchedules(max_kept=2)
    copies = [KeptSchedule(str(n), [], {}) for n in range(3)]
    for n, copy in enumerate(copies):
        kept.keep(("code", n), copy)

    assert kept.get(("code", 0)) is None
    assert [kept.get(("code", n)) for n in (1, 2)] == copies[1:]
