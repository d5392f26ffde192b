"""Staff login: who gets in, and what a doctor's read-only login can and cannot do."""

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response
from pydantic import SecretStr

from clinic.api.app import create_app
from clinic.core.settings import Settings
from tests.admin.conftest import MANAGER, browser, login
from tests.conftest import ADMIN
from tests.factories import at, booking, make_doctor

BASE = "http://clinic"


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


# --- Throttling, revocation, forwarded headers -------------------------------------------------


def _from(app: FastAPI, address: str) -> AsyncClient:
    """A browser whose connection comes from `address`."""
    return AsyncClient(transport=ASGITransport(app=app, client=(address, 40000)), base_url=BASE)


async def _attempt(client: AsyncClient, username: str, password: str) -> Response:
    return await client.post("/admin/login", data={"username": username, "password": password})


async def test_wrong_passwords_for_one_account_are_throttled(ui_app: FastAPI) -> None:
    async with _from(ui_app, "10.0.0.1") as guesser, _from(ui_app, "10.0.0.2") as owner:
        guesses = [await _attempt(guesser, MANAGER[0], f"guess-{i}") for i in range(5)]
        paused = await _attempt(guesser, MANAGER[0], MANAGER[1])  # even the right one
        from_elsewhere = await _attempt(owner, MANAGER[0], MANAGER[1])

    assert [g.status_code for g in guesses] == [400] * 5
    assert paused.status_code == 429
    assert 0 < int(paused.headers["Retry-After"]) <= 900
    # Per account: the account itself is paused, wherever the next attempt comes from.
    assert from_elsewhere.status_code == 429


async def test_one_address_guessing_many_accounts_is_throttled(ui_app: FastAPI) -> None:
    async with _from(ui_app, "10.0.0.3") as guesser, _from(ui_app, "10.0.0.4") as colleague:
        for i in range(30):
            await _attempt(guesser, f"user{i}", "nope")
        paused = await _attempt(guesser, MANAGER[0], MANAGER[1])
        elsewhere = await _attempt(colleague, MANAGER[0], MANAGER[1])

    assert paused.status_code == 429
    assert "Retry-After" in paused.headers
    assert elsewhere.status_code == 302  # another address is not affected


async def test_failures_count_across_processes(ui_app: FastAPI, settings: Settings) -> None:
    # A second app on the same database stands for a second API process.
    other = create_app(settings)
    other.state.sessionmaker = ui_app.state.sessionmaker
    async with _from(ui_app, "10.0.0.5") as first, _from(other, "10.0.0.5") as second:
        for i in range(3):
            await _attempt(first, MANAGER[0], f"guess-{i}")
        for i in range(2):
            await _attempt(second, MANAGER[0], f"guess-{i}")
        assert (await _attempt(first, MANAGER[0], MANAGER[1])).status_code == 429


async def test_a_success_clears_the_account_counter(ui_app: FastAPI) -> None:
    async with _from(ui_app, "10.0.0.6") as browser:
        for i in range(4):
            await _attempt(browser, MANAGER[0], f"typo-{i}")
        assert (await _attempt(browser, MANAGER[0], MANAGER[1])).status_code == 302
        for i in range(4):
            await _attempt(browser, MANAGER[0], f"typo-again-{i}")
        assert (await _attempt(browser, MANAGER[0], MANAGER[1])).status_code == 302


async def test_logout_revokes_the_session_cookie(ui_app: FastAPI, manager: AsyncClient) -> None:
    stolen = manager.cookies.get("clinic_staff")
    assert stolen
    await manager.get("/admin/logout")

    async with browser(ui_app) as thief:
        thief.cookies.set("clinic_staff", stolen)
        assert (await thief.get("/admin/board")).status_code == 302


async def test_a_forwarded_host_from_a_stranger_does_not_pass_the_origin_check(
    ui_app: FastAPI,
) -> None:
    async with _from(ui_app, "203.0.113.9") as attacker:
        response = await attacker.post(
            "/admin/login",
            data={"username": MANAGER[0], "password": MANAGER[1]},
            headers={"Origin": "https://evil.example", "X-Forwarded-Host": "evil.example"},
        )
    assert response.status_code == 403


async def test_a_configured_proxy_may_name_the_host(settings: Settings, ui_app: FastAPI) -> None:
    proxied = create_app(settings.model_copy(update={"trusted_proxies": "10.9.0.0/16"}))
    proxied.state.sessionmaker = ui_app.state.sessionmaker
    headers = {"Origin": "https://clinic.example", "X-Forwarded-Host": "clinic.example"}
    async with _from(proxied, "10.9.0.1") as via_proxy, _from(proxied, "10.8.0.1") as direct:
        through = await via_proxy.post(
            "/admin/login", data={"username": MANAGER[0], "password": MANAGER[1]}, headers=headers
        )
        around = await direct.post(
            "/admin/login", data={"username": MANAGER[0], "password": MANAGER[1]}, headers=headers
        )
    assert through.status_code == 302
    assert around.status_code == 403
