"""Every SQLAdmin screen renders for a manager, with data in it."""

from typing import Any

import pytest
from httpx import AsyncClient

from tests.conftest import ADMIN
from tests.factories import at, booking, clinic_today, make_doctor

SCREENS = [
    "appointment",
    "doctor",
    "specialty",
    "working-hours",
    "schedule-exception",
    "closed-date",
    "staff-account",
]


@pytest.fixture
async def data(http: AsyncClient, manager: AsyncClient) -> dict[str, Any]:
    doctor = await make_doctor(http)
    appointment = (
        await http.post("/appointments", json=booking(doctor["id"], at(1, 10)), headers=ADMIN)
    ).json()
    day = clinic_today().isoformat()
    await http.post(f"/doctors/{doctor['id']}/exceptions", json={"on_date": day}, headers=ADMIN)
    await http.post("/closed-dates", json={"on_date": day}, headers=ADMIN)
    created = await manager.post(
        "/admin/staff-account/create",
        data={
            "username": "boss2",
            "password": "long-enough",
            "role": "manager",
            "doctor_id": "0",  # the "none" option a browser submits
            "save": "Save",
        },
    )
    assert created.status_code == 302, created.text
    return {"doctor": doctor, "appointment": appointment}


@pytest.mark.parametrize("screen", SCREENS)
async def test_list_and_create_screens_render(
    manager: AsyncClient, data: dict[str, Any], screen: str
) -> None:
    listing = await manager.get(f"/admin/{screen}/list")
    assert listing.status_code == 200
    assert "Traceback" not in listing.text
    first = listing.text.split(f"/admin/{screen}/details/")[1].split('"')[0]
    assert (await manager.get(f"/admin/{screen}/details/{first}")).status_code == 200
    assert (await manager.get(f"/admin/{screen}/create")).status_code == 200


async def test_appointment_edit_form_shows_clinic_time(
    manager: AsyncClient, data: dict[str, Any]
) -> None:
    form = await manager.get(f"/admin/appointment/edit/{data['appointment']['id']}")

    assert form.status_code == 200
    assert f'value="{at(1, 10).strftime("%Y-%m-%dT%H:%M")}"' in form.text


async def test_staff_password_hash_is_never_shown(
    manager: AsyncClient, data: dict[str, Any]
) -> None:
    listing = await manager.get("/admin/staff-account/list")
    account_id = listing.text.split("/admin/staff-account/details/")[1].split('"')[0]
    pages = [
        listing,
        await manager.get(f"/admin/staff-account/details/{account_id}"),
        await manager.get(f"/admin/staff-account/edit/{account_id}"),
    ]
    assert all("scrypt$" not in page.text for page in pages)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
async def test_the_appointment_list_tolerates_a_day_it_cannot_show(
    manager: AsyncClient, day: str
) -> None:
    response = await manager.get("/admin/appointment/list", params={"day": day})
    assert response.status_code == 200


async def test_a_search_with_a_nul_character_is_searched_without_it(
    http: AsyncClient, manager: AsyncClient
) -> None:
    await make_doctor(http, name="Нулева Анна")
    found = await manager.get("/admin/doctor/list", params={"search": "Нул\x00ева"})
    assert found.status_code == 200
    assert "Нулева Анна" in found.text


@pytest.mark.parametrize("pk", ["a", "2147483648", "9999-12-31", "-1", "%00"])
async def test_an_id_no_row_can_have_is_not_found(manager: AsyncClient, pk: str) -> None:
    statuses = [
        (await manager.get(f"/admin/appointment/details/{pk}")).status_code,
        (await manager.get(f"/admin/doctor/edit/{pk}")).status_code,
        (await manager.post(f"/admin/doctor/edit/{pk}", data={"full_name": "x"})).status_code,
    ]
    deleted = await manager.delete("/admin/closed-date/delete", params={"pks": pk})
    assert statuses == [404, 404, 404]
    assert deleted.status_code < 500  # 9999-12-31 is a date: deleting nothing is fine
