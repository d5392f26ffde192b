"""The public directory and free-slot search, and admin management of schedules."""

from datetime import timedelta

from httpx import AsyncClient

from tests.conftest import ADMIN, BOT
from tests.factories import at, booking, clinic_today, make_doctor, make_specialty


async def test_directory_is_public(client: AsyncClient) -> None:
    doctor = await make_doctor(client, "cardiologist")
    specialties = await client.get("/specialties")
    doctors = await client.get("/doctors", params={"specialty": "cardiologist"})
    detail = await client.get(f"/doctors/{doctor['id']}")
    assert [s["code"] for s in specialties.json()] == ["cardiologist"]
    assert [d["id"] for d in doctors.json()] == [doctor["id"]]
    assert len(detail.json()["working_hours"]) == 7


async def test_unknown_doctor_path_is_404_and_unknown_specialty_422(client: AsyncClient) -> None:
    assert (await client.get("/doctors/424242")).status_code == 404
    response = await client.get("/doctors", params={"specialty": "astrologer"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "specialty"


async def test_managing_the_directory_needs_admin(client: AsyncClient) -> None:
    body = {"code": "dentist", "name_ru": "Стоматолог", "name_en": "Dentist"}
    assert (await client.post("/specialties", json=body)).status_code == 401
    assert (await client.post("/specialties", json=body, headers=BOT)).status_code == 403
    assert (await client.post("/specialties", json=body, headers=ADMIN)).status_code == 201


async def test_overlapping_working_hours_are_refused(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    response = await client.put(
        f"/doctors/{doctor['id']}/working-hours",
        json=[
            {"weekday": 0, "start_time": "09:00", "end_time": "13:00"},
            {"weekday": 0, "start_time": "12:00", "end_time": "15:00"},
        ],
        headers=ADMIN,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["rule"] == "overlap"


async def test_replacing_working_hours(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    response = await client.put(
        f"/doctors/{doctor['id']}/working-hours",
        json=[{"weekday": 2, "start_time": "10:00", "end_time": "12:00"}],
        headers=ADMIN,
    )
    assert response.status_code == 200
    assert response.json()["working_hours"] == [
        {"weekday": 2, "start_time": "10:00:00", "end_time": "12:00:00"}
    ]


async def test_exception_and_closed_date_crud(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    day = (clinic_today() + timedelta(days=5)).isoformat()
    created = await client.post(
        f"/doctors/{doctor['id']}/exceptions",
        json={"on_date": day, "note": "конференция"},
        headers=ADMIN,
    )
    listed = await client.get(f"/doctors/{doctor['id']}/exceptions")
    deleted = await client.delete(
        f"/doctors/{doctor['id']}/exceptions/{created.json()['id']}", headers=ADMIN
    )
    closed = await client.post("/closed-dates", json={"on_date": day}, headers=ADMIN)
    duplicate = await client.post("/closed-dates", json={"on_date": day}, headers=ADMIN)
    removed = await client.delete(f"/closed-dates/{day}", headers=ADMIN)

    assert created.status_code == 201
    assert [e["on_date"] for e in listed.json()] == [day]
    assert deleted.status_code == 204
    assert closed.status_code == 201
    assert duplicate.status_code == 409
    assert removed.status_code == 204


async def test_half_given_exception_interval_is_422(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    response = await client.post(
        f"/doctors/{doctor['id']}/exceptions",
        json={"on_date": clinic_today().isoformat(), "start_time": "10:00"},
        headers=ADMIN,
    )
    assert response.status_code == 422


async def test_slots_skip_booked_times_and_span_doctors(client: AsyncClient) -> None:
    first = await make_doctor(client)
    second = await make_doctor(client, name="Смирнов Алексей Петрович")
    await client.post("/appointments", json=booking(first["id"], at(1, 8)), headers=BOT)

    response = await client.get(
        "/slots",
        params={"specialty": "therapist", "from": at(1, 8).isoformat(), "limit": 3},
    )

    slots = response.json()
    assert response.status_code == 200
    assert [(s["doctor_id"], s["start"]) for s in slots] == [
        (second["id"], at(1, 8).isoformat()),
        (first["id"], at(1, 8, 30).isoformat()),
        (second["id"], at(1, 8, 30).isoformat()),
    ]
    assert slots[0]["doctor_name"] == "Смирнов Алексей Петрович"
    assert slots[0]["specialty"] == "therapist"


async def test_slots_respect_time_of_day_window(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    response = await client.get(
        "/slots",
        params={
            "doctor_id": doctor["id"],
            "from": at(2, 0).replace(tzinfo=None).isoformat(),
            "to": at(2, 23).isoformat(),
            "time_from": "17:00",
            "time_to": "18:00",
        },
    )
    starts = [s["start"] for s in response.json()]
    assert starts == [at(2, 17).isoformat(), at(2, 17, 30).isoformat(), at(2, 18).isoformat()]


async def test_exact_wished_time_is_one_slot_when_free(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    params = {
        "doctor_id": doctor["id"],
        "from": at(3, 0).isoformat(),
        "to": at(3, 23).isoformat(),
        "time_from": "15:00",
        "time_to": "15:00",
    }
    free = await client.get("/slots", params=params)
    await client.post("/appointments", json=booking(doctor["id"], at(3, 15)), headers=BOT)
    taken = await client.get("/slots", params=params)
    assert [s["start"] for s in free.json()] == [at(3, 15).isoformat()]
    assert taken.json() == []


async def test_slots_far_ahead_are_found_beyond_the_first_search_steps(
    client: AsyncClient,
) -> None:
    only_day = (clinic_today() + timedelta(days=40)).weekday()
    doctor = await make_doctor(
        client, hours=[{"weekday": only_day, "start_time": "10:00", "end_time": "11:00"}]
    )
    response = await client.get(
        "/slots", params={"doctor_id": doctor["id"], "from": at(34, 0).isoformat(), "limit": 1}
    )
    assert [s["start"] for s in response.json()] == [at(40, 10).isoformat()]


async def test_slots_never_offer_the_past_or_beyond_the_horizon(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    past = await client.get(
        "/slots", params={"doctor_id": doctor["id"], "from": at(-3, 0).isoformat(), "limit": 200}
    )
    far = await client.get(
        "/slots", params={"doctor_id": doctor["id"], "from": at(70, 0).isoformat()}
    )
    assert all(s["start"] > at(0, 0).isoformat() for s in past.json())
    assert far.json() == []


async def test_slots_need_exactly_one_of_doctor_or_specialty(client: AsyncClient) -> None:
    await make_specialty(client)
    neither = await client.get("/slots")
    unknown = await client.get("/slots", params={"doctor_id": 999999})
    assert neither.status_code == 422
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["rule"] == "unknown_doctor"
