"""Every appointment change made in the staff UI goes through the booking rules and is recorded
with source `admin`; refusals are readable sentences, not stack traces."""

import logging
from datetime import datetime
from typing import Any

import pytest
from httpx import AsyncClient, Response

from tests.admin.conftest import created_id
from tests.conftest import ADMIN
from tests.factories import at, booking, make_doctor

PATIENT = "Анна Тестовая"
PHONE = "+79161234567"


def local(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


async def history(http: AsyncClient, appointment_id: int) -> list[dict[str, Any]]:
    response = await http.get(f"/appointments/{appointment_id}/history", headers=ADMIN)
    assert response.status_code == 200
    return list(response.json())


async def book_via_api(http: AsyncClient, doctor_id: int, start: datetime) -> dict[str, Any]:
    response = await http.post("/appointments", json=booking(doctor_id, start), headers=ADMIN)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def create_in_admin(manager: AsyncClient, doctor_id: int, start: datetime) -> Response:
    return await manager.post(
        "/admin/appointment/create",
        data={
            "doctor_id": str(doctor_id),
            "start_time": local(start),
            "patient_name": PATIENT,
            "patient_phone": PHONE,
            "reason": "headache",
            "save": "Save and continue editing",
        },
    )


def assert_readable(response: Response) -> None:
    assert "Traceback" not in response.text
    assert "sqlalchemy" not in response.text.lower()


async def test_create_in_admin_books_through_the_service(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http)

    response = await create_in_admin(manager, doctor["id"], at(1, 10))

    assert response.status_code == 302, response.text
    appointment_id = created_id(response.headers["location"])
    stored = (await http.get(f"/appointments/{appointment_id}", headers=ADMIN)).json()
    assert stored["source"] == "admin"
    assert stored["patient_phone"] == PHONE
    assert datetime.fromisoformat(stored["start_time"]) == at(1, 10)
    assert [(e["action"], e["source"]) for e in await history(http, appointment_id)] == [
        ("created", "admin")
    ]


async def test_double_booking_in_admin_shows_a_readable_error(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http)
    await book_via_api(http, doctor["id"], at(1, 10))

    response = await create_in_admin(manager, doctor["id"], at(1, 10))

    assert response.status_code == 400
    assert "This time is already booked. Nearest free:" in response.text
    assert_readable(response)


async def test_rule_violation_in_admin_names_the_rule(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http)

    response = await create_in_admin(manager, doctor["id"], at(1, 10, 7))

    assert response.status_code == 400
    assert "Time: visits with this doctor start every 30 minutes" in response.text
    assert_readable(response)


async def test_edit_in_admin_changes_status_and_records_it(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http)
    appointment = await book_via_api(http, doctor["id"], at(1, 10))

    response = await manager.post(
        f"/admin/appointment/edit/{appointment['id']}",
        data={
            "doctor_id": str(doctor["id"]),
            "start_time": local(at(1, 10)),
            "patient_name": appointment["patient_name"],
            "patient_phone": "",
            "reason": "",
            "status": "completed",
            "save": "Save",
        },
    )

    assert response.status_code == 302, response.text
    events = [(e["action"], e["source"]) for e in await history(http, appointment["id"])]
    assert events == [("created", "api"), ("status_changed", "admin")]


async def test_edit_in_admin_into_a_taken_slot_is_refused(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http)
    await book_via_api(http, doctor["id"], at(1, 10))
    moving = await book_via_api(http, doctor["id"], at(1, 11))

    response = await manager.post(
        f"/admin/appointment/edit/{moving['id']}",
        data={
            "doctor_id": str(doctor["id"]),
            "start_time": local(at(1, 10)),
            "patient_name": moving["patient_name"],
            "status": "scheduled",
            "save": "Save",
        },
    )

    assert response.status_code == 400
    assert "This time is already booked" in response.text
    assert_readable(response)
    stored = (await http.get(f"/appointments/{moving['id']}", headers=ADMIN)).json()
    assert datetime.fromisoformat(stored["start_time"]) == at(1, 11)


async def test_appointments_cannot_be_deleted_in_admin(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http)
    appointment = await book_via_api(http, doctor["id"], at(1, 10))

    response = await manager.delete("/admin/appointment/delete", params={"pks": appointment["id"]})

    assert response.status_code == 403
    assert (await http.get(f"/appointments/{appointment['id']}", headers=ADMIN)).status_code == 200


async def test_cancel_on_the_board_frees_the_slot(http: AsyncClient, manager: AsyncClient) -> None:
    doctor = await make_doctor(http)
    appointment = await book_via_api(http, doctor["id"], at(1, 10))

    response = await manager.post(
        f"/admin/board/appointments/{appointment['id']}/cancel", data={"reason": "called in"}
    )

    assert response.status_code == 303
    assert f"day={at(1, 10).date().isoformat()}" in response.headers["location"]
    stored = (await http.get(f"/appointments/{appointment['id']}", headers=ADMIN)).json()
    assert stored["status"] == "cancelled"
    assert stored["cancel_reason"] == "called in"
    assert (await history(http, appointment["id"]))[-1]["source"] == "admin"
    await book_via_api(http, doctor["id"], at(1, 10))  # the slot is free again


async def test_reschedule_on_the_board_moves_the_appointment(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http)
    colleague = await make_doctor(http, name="Петров Пётр")
    appointment = await book_via_api(http, doctor["id"], at(1, 10))

    response = await manager.post(
        f"/admin/board/appointments/{appointment['id']}/reschedule",
        data={"start_time": local(at(2, 15, 30)), "doctor_id": str(colleague["id"])},
    )

    assert response.status_code == 303
    stored = (await http.get(f"/appointments/{appointment['id']}", headers=ADMIN)).json()
    assert stored["doctor_id"] == colleague["id"]
    assert datetime.fromisoformat(stored["start_time"]) == at(2, 15, 30)
    last = (await history(http, appointment["id"]))[-1]
    assert (last["action"], last["source"]) == ("rescheduled", "admin")


async def test_reschedule_into_a_taken_slot_shows_the_alternatives(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http)
    await book_via_api(http, doctor["id"], at(1, 10))
    moving = await book_via_api(http, doctor["id"], at(1, 11))

    response = await manager.post(
        f"/admin/board/appointments/{moving['id']}/reschedule",
        data={"start_time": local(at(1, 10)), "doctor_id": str(doctor["id"])},
    )

    assert response.status_code == 409
    assert "This time is already booked. Nearest free:" in response.text
    assert "Cancel appointment" in response.text  # the page itself, with its actions
    assert_readable(response)


async def test_cancelling_a_completed_visit_is_refused_readably(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http)
    appointment = await book_via_api(http, doctor["id"], at(1, 10))
    await http.patch(
        f"/appointments/{appointment['id']}", json={"status": "completed"}, headers=ADMIN
    )

    response = await manager.post(f"/admin/board/appointments/{appointment['id']}/cancel")

    assert response.status_code == 409
    assert "a visit with the status “Visited” cannot be cancelled" in response.text


async def test_book_a_free_slot_from_the_board(http: AsyncClient, manager: AsyncClient) -> None:
    doctor = await make_doctor(http)
    form = await manager.get(
        "/admin/board/book", params={"doctor_id": doctor["id"], "start_time": local(at(1, 9))}
    )
    assert form.status_code == 200

    response = await manager.post(
        "/admin/board/book",
        data={
            "doctor_id": str(doctor["id"]),
            "start_time": local(at(1, 9)),
            "patient_name": PATIENT,
            "patient_phone": "",
            "reason": "",
        },
    )

    assert response.status_code == 303
    appointment_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert [e["source"] for e in await history(http, appointment_id)] == ["admin"]


async def test_booking_with_a_bad_phone_names_the_field_without_echoing_it(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http)

    response = await manager.post(
        "/admin/board/book",
        data={
            "doctor_id": str(doctor["id"]),
            "start_time": local(at(1, 9)),
            "patient_name": PATIENT,
            "patient_phone": "12",
        },
    )

    assert response.status_code == 422
    assert "Phone:" in response.text


async def test_appointment_details_show_the_history(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http)
    appointment = await book_via_api(http, doctor["id"], at(1, 10))
    await manager.post(f"/admin/board/appointments/{appointment['id']}/cancel")

    details = await manager.get(f"/admin/appointment/details/{appointment['id']}")

    assert details.status_code == 200
    assert 'data-source="api"' in details.text
    assert 'data-source="admin"' in details.text
    assert doctor["full_name"] in details.text


async def test_appointment_list_filters_by_status(http: AsyncClient, manager: AsyncClient) -> None:
    doctor = await make_doctor(http)
    kept = await book_via_api(http, doctor["id"], at(1, 10))
    dropped = await book_via_api(http, doctor["id"], at(1, 11))
    await http.post(f"/appointments/{dropped['id']}/cancel", headers=ADMIN)

    listing = await manager.get("/admin/appointment/list", params={"status": "cancelled"})

    assert listing.status_code == 200
    assert f"/admin/appointment/details/{dropped['id']}" in listing.text
    assert f"/admin/appointment/details/{kept['id']}" not in listing.text


async def test_staff_ui_logs_carry_no_patient_data(
    http: AsyncClient, manager: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    doctor = await make_doctor(http)
    caplog.set_level(logging.DEBUG)

    await create_in_admin(manager, doctor["id"], at(1, 10))
    await create_in_admin(manager, doctor["id"], at(1, 10))  # refused: taken
    await manager.get("/admin/appointment/list")
    await manager.get(f"/admin/board?day={at(1, 10).date().isoformat()}")

    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert PATIENT not in logged
    assert PHONE not in logged
    assert "9161234567" not in logged


async def test_a_cross_site_post_is_refused_and_changes_nothing(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http)
    appointment = await book_via_api(http, doctor["id"], at(1, 10))
    url = f"/admin/board/appointments/{appointment['id']}/cancel"

    forged = await manager.post(
        url, data={"reason": "x"}, headers={"Origin": "https://evil.example"}
    )
    own = await manager.post(url, data={"reason": "x"}, headers={"Origin": "http://clinic"})

    assert forged.status_code == 403
    assert own.status_code == 303
    stored = (await http.get(f"/appointments/{appointment['id']}", headers=ADMIN)).json()
    assert stored["status"] == "cancelled"  # by the second, same-origin request only
