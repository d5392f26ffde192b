"""The clinic directory in the staff UI keeps the directory's rules."""

from datetime import date, timedelta

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text

from tests.admin.conftest import created_id
from tests.conftest import ADMIN
from tests.factories import clinic_today, make_doctor, make_specialty

MONDAY_9_TO_13 = [{"weekday": 0, "start_time": "09:00", "end_time": "13:00"}]


async def add_hours(manager: AsyncClient, doctor_id: int, start: str, end: str) -> str:
    response = await manager.post(
        "/admin/working-hours/create",
        data={
            "doctor_id": str(doctor_id),
            "weekday": "0",
            "start_time": start,
            "end_time": end,
            "save": "Save",
        },
    )
    return response.text if response.status_code != 302 else ""


async def hours_of(http: AsyncClient, doctor_id: int) -> list[tuple[str, str]]:
    detail = (await http.get(f"/doctors/{doctor_id}")).json()
    return [(h["start_time"], h["end_time"]) for h in detail["working_hours"]]


async def test_create_a_doctor_in_admin(http: AsyncClient, manager: AsyncClient) -> None:
    await make_specialty(http, "cardiologist")

    response = await manager.post(
        "/admin/doctor/create",
        data={
            "full_name": "Сердцева Ольга",
            "specialty": "cardiologist",
            "slot_minutes": "20",
            "is_active": "y",
            "save": "Save and continue editing",
        },
    )

    assert response.status_code == 302, response.text
    doctor = (await http.get(f"/doctors/{created_id(response.headers['location'])}")).json()
    assert doctor["specialty"]["code"] == "cardiologist"
    assert doctor["slot_minutes"] == 20


async def test_doctor_with_a_bad_slot_length_is_refused_readably(
    http: AsyncClient, manager: AsyncClient
) -> None:
    await make_specialty(http)

    response = await manager.post(
        "/admin/doctor/create",
        data={"full_name": "X", "specialty": "therapist", "slot_minutes": "1", "save": "Save"},
    )

    assert response.status_code == 400
    assert "Visit length, min: at least 5" in response.text


async def test_weekly_hours_added_in_admin_join_the_week(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http, hours=MONDAY_9_TO_13)

    assert await add_hours(manager, doctor["id"], "14:00", "18:00") == ""

    assert await hours_of(http, doctor["id"]) == [
        ("09:00:00", "13:00:00"),
        ("14:00:00", "18:00:00"),
    ]


async def test_overlapping_weekly_hours_are_refused_in_admin(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http, hours=MONDAY_9_TO_13)

    error = await add_hours(manager, doctor["id"], "12:00", "15:00")

    assert "Weekly hours: the hours overlap other hours on Monday" in error
    assert await hours_of(http, doctor["id"]) == [("09:00:00", "13:00:00")]


async def test_editing_hours_into_an_overlap_is_refused(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http, hours=MONDAY_9_TO_13)
    await add_hours(manager, doctor["id"], "14:00", "18:00")
    listing = await manager.get("/admin/working-hours/list")
    later_id = listing.text.split("/admin/working-hours/details/")[-1].split('"')[0]

    response = await manager.post(
        f"/admin/working-hours/edit/{later_id}",
        data={
            "doctor_id": str(doctor["id"]),
            "weekday": "0",
            "start_time": "12:30",
            "end_time": "18:00",
            "save": "Save",
        },
    )

    assert response.status_code == 400
    assert "the hours overlap" in response.text


async def test_closed_date_added_and_removed_in_admin(
    http: AsyncClient, manager: AsyncClient
) -> None:
    day = clinic_today() + timedelta(days=5)
    created = await manager.post(
        "/admin/closed-date/create",
        data={"on_date": day.isoformat(), "note": "sanitary day", "save": "Save"},
    )
    assert created.status_code == 302, created.text
    again = await manager.post(
        "/admin/closed-date/create", data={"on_date": day.isoformat(), "save": "Save"}
    )
    assert again.status_code == 400
    assert "is already a closed date" in again.text

    await manager.delete("/admin/closed-date/delete", params={"pks": day.isoformat()})

    closed = (await http.get("/closed-dates")).json()
    assert [date.fromisoformat(c["on_date"]) for c in closed] == []


async def test_schedule_exception_added_in_admin(http: AsyncClient, manager: AsyncClient) -> None:
    doctor = await make_doctor(http)
    day = clinic_today() + timedelta(days=3)

    response = await manager.post(
        "/admin/schedule-exception/create",
        data={
            "doctor_id": str(doctor["id"]),
            "on_date": day.isoformat(),
            "start_time": "10:00",
            "end_time": "12:00",
            "note": "training",
            "save": "Save",
        },
    )

    assert response.status_code == 302, response.text
    exceptions = (await http.get(f"/doctors/{doctor['id']}/exceptions")).json()
    assert [(e["on_date"], e["start_time"]) for e in exceptions] == [(day.isoformat(), "10:00:00")]


async def test_half_an_exception_interval_is_refused(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http)

    response = await manager.post(
        "/admin/schedule-exception/create",
        data={
            "doctor_id": str(doctor["id"]),
            "on_date": clinic_today().isoformat(),
            "start_time": "10:00",
            "save": "Save",
        },
    )

    assert response.status_code == 400
    assert "give both start_time and end_time" in response.text


async def test_duplicate_specialty_code_is_refused(http: AsyncClient, manager: AsyncClient) -> None:
    await make_specialty(http, "therapist")

    response = await manager.post(
        "/admin/specialty/create",
        data={"code": "therapist", "name_en": "T", "name_ru": "Т", "save": "Save"},
    )

    assert response.status_code == 400
    assert "a specialty with the code therapist already exists" in response.text
    assert len((await http.get("/specialties", headers=ADMIN)).json()) == 1


async def test_schedule_opened_in_admin_is_queued_for_the_waitlist(
    http: AsyncClient, manager: AsyncClient, ui_app: FastAPI
) -> None:
    """PostgreSQL's triggers, not the API, queue what may have opened: the staff UI's
    writes reach the waitlist's worker the same way."""
    doctor = await make_doctor(http, hours=MONDAY_9_TO_13)
    day = clinic_today() + timedelta(days=5)
    await manager.post(
        "/admin/closed-date/create", data={"on_date": day.isoformat(), "save": "Save"}
    )
    async with ui_app.state.sessionmaker() as session:
        await session.execute(text("DELETE FROM waitlist_opening"))
        await session.commit()

    assert await add_hours(manager, doctor["id"], "14:00", "18:00") == ""
    await manager.delete("/admin/closed-date/delete", params={"pks": day.isoformat()})

    async with ui_app.state.sessionmaker() as session:
        queued = await session.execute(
            text("SELECT doctor_id, first_day, last_day FROM waitlist_opening ORDER BY id")
        )
        assert [tuple(row) for row in queued] == [
            (doctor["id"], None, None),  # weekly hours: every day ahead of this doctor
            (None, day, day),  # a clinic-wide date: every doctor, that day
        ]
