"""Booking over HTTP: create, conflicts, idempotency, cancel and rebook, reschedule, listing."""

from datetime import UTC, datetime

from httpx import AsyncClient

from tests.conftest import ADMIN, BOT, BOT_PATIENT
from tests.factories import at, booking, make_doctor


async def test_brief_body_books_and_returns_full_appointment(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    body = {"patient_name": "Иван Петров", "doctor_id": doctor["id"], "start_time": "2030-01-01"}
    body["start_time"] = at(1, 10).replace(tzinfo=None).isoformat()  # naive = clinic time

    response = await client.post("/appointments", json=body, headers=BOT)

    assert response.status_code == 201, response.text
    created = response.json()
    assert created["patient_name"] == "Иван Петров"
    assert created["status"] == "scheduled"
    assert created["source"] == "bot"
    assert created["start_time"] == at(1, 10).isoformat()  # clinic offset attached
    assert created["end_time"] == at(1, 10, 30).isoformat()
    stored = await client.get(f"/appointments/{created['id']}", headers=ADMIN)
    assert stored.json() == created


async def test_taken_slot_is_409_with_alternatives_same_doctor_first(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    colleague = await make_doctor(client, name="Смирнов Алексей Петрович")
    first = await client.post("/appointments", json=booking(doctor["id"], at(1, 10)), headers=BOT)
    assert first.status_code == 201

    second = await client.post("/appointments", json=booking(doctor["id"], at(1, 10)), headers=BOT)

    assert second.status_code == 409
    assert second.headers["content-type"] == "application/problem+json"
    problem = second.json()
    assert problem["status"] == 409
    doctors = [slot["doctor_id"] for slot in problem["alternatives"]]
    assert doctors == [doctor["id"]] * 3 + [colleague["id"]] * 3
    assert problem["alternatives"][0]["start"] == at(1, 10, 30).isoformat()
    assert problem["alternatives"][3]["start"] == at(1, 10).isoformat()


async def test_partial_overlap_is_refused(client: AsyncClient) -> None:
    doctor = await make_doctor(client, slot_minutes=30)
    await client.post("/appointments", json=booking(doctor["id"], at(1, 10)), headers=BOT)
    # Shorten the grid so 10:15 is a valid start that overlaps the 10:00-10:30 visit.
    await client.patch(f"/doctors/{doctor['id']}", json={"slot_minutes": 15}, headers=ADMIN)

    response = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10, 15)), headers=BOT
    )

    assert response.status_code == 409


async def test_cancel_frees_the_slot_for_rebooking(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    first = (
        await client.post("/appointments", json=booking(doctor["id"], at(2, 9)), headers=BOT)
    ).json()

    cancelled = await client.post(
        f"/appointments/{first['id']}/cancel", json={"reason": "plans changed"}, headers=BOT
    )
    again = await client.post(f"/appointments/{first['id']}/cancel", headers=BOT)
    rebooked = await client.post("/appointments", json=booking(doctor["id"], at(2, 9)), headers=BOT)

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancel_reason"] == "plans changed"
    assert again.status_code == 200  # idempotent
    assert again.json()["status"] == "cancelled"
    assert rebooked.status_code == 201
    old = await client.get(f"/appointments/{first['id']}", headers=ADMIN)
    assert old.json()["status"] == "cancelled"  # the row is kept


async def test_idempotent_retry_returns_same_appointment(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    body = booking(doctor["id"], at(1, 11))
    headers = BOT | {"Idempotency-Key": "tg-42-msg-7"}

    first = await client.post("/appointments", json=body, headers=headers)
    retry = await client.post("/appointments", json=body, headers=headers)

    assert first.status_code == 201
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    listed = await client.get("/appointments", params={"doctor_id": doctor["id"]}, headers=ADMIN)
    assert listed.json()["total"] == 1


async def test_same_idempotency_key_with_other_body_is_422(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    headers = BOT | {"Idempotency-Key": "key-1"}
    await client.post("/appointments", json=booking(doctor["id"], at(1, 11)), headers=headers)

    other = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 12)), headers=headers
    )

    assert other.status_code == 422
    assert other.json()["errors"][0]["rule"] == "key_reused"


async def test_reschedule_moves_atomically_and_records_history(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    created = (
        await client.post("/appointments", json=booking(doctor["id"], at(1, 9)), headers=BOT)
    ).json()

    moved = await client.patch(
        f"/appointments/{created['id']}",
        json={"start_time": at(3, 15).isoformat()},
        headers=BOT,
    )
    rebook_old = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 9)), headers=BOT
    )
    history = await client.get(f"/appointments/{created['id']}/history", headers=ADMIN)

    assert moved.status_code == 200, moved.text
    assert moved.json()["start_time"] == at(3, 15).isoformat()
    assert moved.json()["end_time"] == at(3, 15, 30).isoformat()
    assert rebook_old.status_code == 201  # the old time is free again
    events = history.json()
    assert [e["action"] for e in events] == ["created", "rescheduled"]
    assert events[1]["source"] == "bot"
    assert datetime.fromisoformat(events[1]["old"]["start_time"]) == at(1, 9)
    assert datetime.fromisoformat(events[1]["new"]["start_time"]) == at(3, 15)
    assert events[1]["new"]["doctor_id"] == doctor["id"]


async def test_reschedule_into_taken_slot_is_409_and_keeps_the_original(
    client: AsyncClient,
) -> None:
    doctor = await make_doctor(client)
    a = (
        await client.post("/appointments", json=booking(doctor["id"], at(1, 9)), headers=BOT)
    ).json()
    await client.post("/appointments", json=booking(doctor["id"], at(1, 10)), headers=BOT)

    response = await client.patch(
        f"/appointments/{a['id']}", json={"start_time": at(1, 10).isoformat()}, headers=BOT
    )

    assert response.status_code == 409
    assert response.json()["alternatives"]
    unchanged = await client.get(f"/appointments/{a['id']}", headers=ADMIN)
    assert unchanged.json()["start_time"] == at(1, 9).isoformat()


async def test_reschedule_follows_the_same_rules_as_create(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    a = (
        await client.post("/appointments", json=booking(doctor["id"], at(1, 9)), headers=BOT)
    ).json()

    off_grid = await client.patch(
        f"/appointments/{a['id']}", json={"start_time": at(1, 9, 10).isoformat()}, headers=BOT
    )
    night = await client.patch(
        f"/appointments/{a['id']}", json={"start_time": at(1, 22).isoformat()}, headers=BOT
    )

    assert off_grid.status_code == 422
    assert off_grid.json()["errors"][0]["rule"] == "slot_grid"
    assert night.status_code == 422
    assert night.json()["errors"][0]["rule"] == "working_hours"


async def test_cancelled_appointment_cannot_be_rescheduled(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    a = (
        await client.post("/appointments", json=booking(doctor["id"], at(1, 9)), headers=BOT)
    ).json()
    await client.post(f"/appointments/{a['id']}/cancel", headers=BOT)

    response = await client.patch(
        f"/appointments/{a['id']}", json={"start_time": at(1, 10).isoformat()}, headers=BOT
    )

    assert response.status_code == 409


async def test_status_change_is_admin_only_and_recorded(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    a = (
        await client.post("/appointments", json=booking(doctor["id"], at(1, 9)), headers=BOT)
    ).json()

    by_bot = await client.patch(
        f"/appointments/{a['id']}", json={"status": "completed"}, headers=BOT
    )
    by_admin = await client.patch(
        f"/appointments/{a['id']}", json={"status": "no_show"}, headers=ADMIN
    )
    history = (await client.get(f"/appointments/{a['id']}/history", headers=ADMIN)).json()

    assert by_bot.status_code == 403
    assert by_admin.status_code == 200
    assert by_admin.json()["status"] == "no_show"
    assert history[-1]["action"] == "status_changed"
    assert history[-1]["old"] == {"status": "scheduled"}
    assert history[-1]["new"] == {"status": "no_show"}
    assert history[-1]["source"] == "api"


async def test_list_filters_and_paginates(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    for hour in (9, 10, 11):
        body = booking(doctor["id"], at(1, hour), patient_telegram_id=777)
        await client.post("/appointments", json=body, headers=BOT)
    await client.post("/appointments", json=booking(doctor["id"], at(1, 12)), headers=ADMIN)

    page = await client.get(
        "/appointments", params={"patient_telegram_id": 777, "limit": 2}, headers=BOT
    )
    second = await client.get(
        "/appointments",
        params={"patient_telegram_id": 777, "limit": 2, "offset": 2},
        headers=BOT,
    )
    window = await client.get(
        "/appointments",
        params={"from": at(1, 10).replace(tzinfo=None).isoformat(), "to": at(1, 12).isoformat()},
        headers=ADMIN,
    )

    assert page.json()["total"] == 3
    assert [a["start_time"] for a in page.json()["items"]] == [
        at(1, 9).isoformat(),
        at(1, 10).isoformat(),
    ]
    assert len(second.json()["items"]) == 1
    assert [a["start_time"] for a in window.json()["items"]] == [
        at(1, 10).isoformat(),
        at(1, 11).isoformat(),
    ]


async def test_bot_may_only_list_one_patients_appointments(client: AsyncClient) -> None:
    nobody = await client.get("/appointments", headers={"Authorization": BOT["Authorization"]})
    someone_else = await client.get(
        "/appointments", params={"patient_telegram_id": BOT_PATIENT + 1}, headers=BOT
    )
    assert nobody.status_code == 403
    assert someone_else.status_code == 403


async def test_appointments_need_a_token(client: AsyncClient) -> None:
    missing = await client.get("/appointments")
    wrong = await client.get("/appointments", headers={"Authorization": "Bearer nope"})
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert wrong.status_code == 401


async def test_unknown_appointment_is_404(client: AsyncClient) -> None:
    response = await client.get("/appointments/999999", headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["type"].endswith("appointment-not-found")


async def test_same_slot_of_two_doctors_is_fine(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    other = await make_doctor(client, name="Смирнов Алексей Петрович")
    first = await client.post("/appointments", json=booking(doctor["id"], at(1, 9)), headers=BOT)
    second = await client.post("/appointments", json=booking(other["id"], at(1, 9)), headers=BOT)
    assert (first.status_code, second.status_code) == (201, 201)


async def test_offset_input_is_the_same_instant(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    utc_start = at(1, 9).astimezone(UTC)
    response = await client.post(
        "/appointments", json=booking(doctor["id"], utc_start), headers=BOT
    )
    assert response.status_code == 201
    assert response.json()["start_time"] == at(1, 9).isoformat()
