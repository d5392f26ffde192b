"""Staff login: who gets in, and what a doctor's read-only login can and cannot do."""

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from pydantic import SecretStr

from clinic.api.app import create_app
from clinic.core.settings import Settings
from tests.admin.conftest import MANAGER, login
from tests.conftest import ADMIN
from tests.factories import at, booking, make_doctor


async def make_doctor_login(manager: AsyncClient, doctor_id: int, username: str) -> None:
    response = await manager.post(
        "/admin/staff-account/create",
        data={
            "username": username,
            "password": "doctor-secret-1",
            "role": "doctor",
            "doctor_id": str(doctor_id),
            "is_active": "y",
            "save": "Save",
        },
    )
    assert response.status_code == 302, response.text


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/board", "/admin/appointment/list", "/admin/doctor/create"]
)
async def test_pages_need_a_login(http: AsyncClient, path: str) -> None:
    response = await http.get(path)
    assert response.status_code == 302
    assert response.headers["location"].endswith("/admin/login")


async def test_wrong_password_is_refused(http: AsyncClient) -> None:
    response = await http.post("/admin/login", data={"username": MANAGER[0], "password": "wrong"})
    assert response.status_code == 400
    assert "Invalid credentials" in response.text
    assert (await http.get("/admin/board")).status_code == 302


async def test_manager_from_settings_logs_in_to_the_board(http: AsyncClient) -> None:
    await login(http, *MANAGER)
    home = await http.get("/admin/")
    assert home.status_code == 302
    assert home.headers["location"].endswith("/admin/board")
    board = await http.get("/admin/board")
    assert board.status_code == 200
    assert "Day board" in board.text


async def test_logout_ends_the_session(manager: AsyncClient) -> None:
    await manager.get("/admin/logout")
    assert (await manager.get("/admin/board")).status_code == 302


async def test_doctor_login_sees_only_their_own_board(
    http: AsyncClient, manager: AsyncClient, second_browser: AsyncClient
) -> None:
    mine = await make_doctor(http, name="Doctor Mine")
    other = await make_doctor(http, name="Doctor Other")
    for doctor, patient in ((mine, "Patient Mine"), (other, "Patient Other")):
        response = await http.post(
            "/appointments",
            json=booking(doctor["id"], at(1, 10), patient_name=patient),
            headers=ADMIN,
        )
        assert response.status_code == 201
    await make_doctor_login(manager, mine["id"], "dr.mine")

    await login(second_browser, "dr.mine", "doctor-secret-1")
    board = await second_browser.get("/admin/board", params={"day": at(1, 10).date().isoformat()})

    assert board.status_code == 200
    assert "Patient Mine" in board.text
    assert "Doctor Mine" in board.text
    assert "Patient Other" not in board.text
    assert "Doctor Other" not in board.text
    assert "Read-only" in board.text


async def test_doctor_login_cannot_change_anything(
    http: AsyncClient, manager: AsyncClient, second_browser: AsyncClient
) -> None:
    mine = await make_doctor(http, name="Doctor Mine")
    other = await make_doctor(http, name="Doctor Other")
    own = (
        await http.post("/appointments", json=booking(mine["id"], at(1, 10)), headers=ADMIN)
    ).json()
    foreign = (
        await http.post("/appointments", json=booking(other["id"], at(1, 10)), headers=ADMIN)
    ).json()
    await make_doctor_login(manager, mine["id"], "dr.mine")
    await login(second_browser, "dr.mine", "doctor-secret-1")

    own_page = await second_browser.get(f"/admin/board/appointments/{own['id']}")
    assert own_page.status_code == 200
    assert "Cancel appointment" not in own_page.text
    refused = [
        await second_browser.post(f"/admin/board/appointments/{own['id']}/cancel"),
        await second_browser.post(
            f"/admin/board/appointments/{own['id']}/reschedule",
            data={"start_time": at(1, 11).strftime("%Y-%m-%dT%H:%M")},
        ),
        await second_browser.get("/admin/board/book"),
        await second_browser.get(f"/admin/board/appointments/{foreign['id']}"),
        await second_browser.get("/admin/appointment/list"),
        await second_browser.get("/admin/appointment/create"),
        await second_browser.get("/admin/staff-account/list"),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    still = (await http.get(f"/appointments/{own['id']}", headers=ADMIN)).json()
    assert still["status"] == "scheduled"
    assert still["start_time"] == own["start_time"]


async def test_deactivated_login_is_signed_out(
    http: AsyncClient, manager: AsyncClient, second_browser: AsyncClient
) -> None:
    doctor = await make_doctor(http)
    await make_doctor_login(manager, doctor["id"], "dr.gone")
    await login(second_browser, "dr.gone", "doctor-secret-1")
    listing = await manager.get("/admin/staff-account/list")
    account_id = int(listing.text.split("/admin/staff-account/details/")[1].split('"')[0])

    response = await manager.post(
        f"/admin/staff-account/edit/{account_id}",
        data={
            "username": "dr.gone",
            "role": "doctor",
            "doctor_id": str(doctor["id"]),
            "save": "Save",
        },
    )  # is_active unchecked

    assert response.status_code == 302, response.text
    assert (await second_browser.get("/admin/board")).status_code == 302


def test_production_refuses_the_default_password(settings: Settings) -> None:
    production = settings.model_copy(
        update={"environment": "production", "admin_password": SecretStr("admin")}
    )
    with pytest.raises(RuntimeError, match="ADMIN_PASSWORD"):
        create_app(production)


def test_production_accepts_a_real_password(settings: Settings) -> None:
    production = settings.model_copy(
        update={
            "environment": "production",
            "admin_password": SecretStr("a-real-password"),
            "database_url": SecretStr("postgresql://clinic@db/clinic"),
            "session_secret": SecretStr("s" * 32),
        }
    )
    create_app(production)  # starts: nothing is missing


async def test_session_cookie_is_signed(ui_app: FastAPI, manager: AsyncClient) -> None:
    cookie = manager.cookies.get("clinic_staff")
    assert cookie
    manager.cookies.set("clinic_staff", cookie[:-4] + "AAAA")
    assert (await manager.get("/admin/board")).status_code == 302
