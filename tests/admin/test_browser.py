"""The day board in a real browser: Debian's Chromium driven by Playwright, against the real
server on loopback. Skips only when no Chromium is installed (CI installs `chromium`)."""

import os
import shutil
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient
from playwright.async_api import Browser, Page, async_playwright
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.admin.conftest import MANAGER, staff_environ
from tests.conftest import ADMIN, LiveServer, empty_tables, seed_demo_clinic, served_api
from tests.factories import at, booking, clinic_today, make_doctor

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# The Playwright browser download is blocked here; this is the distribution's build.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WITH_LUNCH_BREAK = [
    {"weekday": day, "start_time": start, "end_time": end}
    for day in range(7)
    for start, end in (("09:00", "13:00"), ("14:00", "18:00"))
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# CI installs Chromium and sets CLINIC_REQUIRE_BROWSER, so there a missing browser fails.
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CLINIC_REQUIRE_BROWSER"),
    reason="no Chromium installed (apt-get install -y chromium)",
)


@pytest.fixture(scope="module")
async def chromium() -> AsyncIterator[Browser]:
    """One browser for the module; each test's `new_page` is a context of its own (cookies,
    routes), so tests share nothing but the process."""
    assert CHROMIUM is not None
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            await browser.close()


# The staff UI's servers, one per screen language, each started once for the module (a served
# API takes seconds to start) with the environment `staff_env` gives; emptied after each test.


@pytest.fixture(scope="module")
async def english_staff_server(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[LiveServer]:
    log = tmp_path_factory.mktemp("staff-en") / "api.log"
    async with served_api(database_url, log, staff_environ("en")) as server:
        yield server


@pytest.fixture(scope="module")
async def russian_staff_server(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[LiveServer]:
    log = tmp_path_factory.mktemp("staff-ru") / "api.log"
    async with served_api(database_url, log, staff_environ(None)) as server:
        yield server


@pytest.fixture
async def english_api(
    english_staff_server: LiveServer, engine: AsyncEngine
) -> AsyncIterator[LiveServer]:
    """The staff UI in English, its source language."""
    try:
        yield english_staff_server
    finally:
        await empty_tables(engine)


@pytest.fixture
async def russian_demo(
    russian_staff_server: LiveServer, engine: AsyncEngine
) -> AsyncIterator[LiveServer]:
    """The staff UI in Russian, the default, with the demo clinic in it."""
    try:
        await seed_demo_clinic(engine)
        yield russian_staff_server
    finally:
        await empty_tables(engine)


@pytest.fixture
async def clinic(english_api: LiveServer) -> AsyncIterator[dict[str, Any]]:
    """Two doctors (one with a lunch break) and three visits tomorrow, via the live API."""
    live_api = english_api
    async with AsyncClient(base_url=live_api.url) as api:
        therapist = await make_doctor(
            api, "therapist", name="Иванова Мария", hours=WITH_LUNCH_BREAK
        )
        surgeon = await make_doctor(api, "surgeon", name="Petrov Ivan")
        visits = {}
        for doctor, hour, minute, patient in (
            (therapist, 10, 0, "Alice Board"),
            (therapist, 11, 30, "Bob Board"),
            (surgeon, 10, 0, "Carol Board"),
        ):
            response = await api.post(
                "/appointments",
                json=booking(doctor["id"], at(1, hour, minute), patient_name=patient),
                headers=ADMIN,
            )
            assert response.status_code == 201, response.text
            visits[patient] = response.json()
        yield {"url": live_api.url, "therapist": therapist, "surgeon": surgeon, "visits": visits}


async def minutes_from_grid_start(page: Page, doctor_id: int, appointment_id: int) -> float:
    """Where the block sits on its column's time grid, in minutes from the first hour shown."""
    column = page.locator(f'[data-testid=column][data-doctor-id="{doctor_id}"]')
    block = column.locator(f'[data-appointment-id="{appointment_id}"]')
    column_box = await column.bounding_box()
    block_box = await block.bounding_box()
    assert column_box is not None
    assert block_box is not None
    assert column_box["x"] <= block_box["x"] < column_box["x"] + column_box["width"]
    hours = await page.locator(".hour-mark").count()
    pixels_per_minute = column_box["height"] / (hours * 60)
    return (block_box["y"] - column_box["y"]) / pixels_per_minute


async def test_board_in_chromium_shows_visits_in_place_and_cancels_one(
    chromium: Browser, clinic: dict[str, Any]
) -> None:
    page = await chromium.new_page(viewport={"width": 1366, "height": 900})
    await page.goto(clinic["url"] + "/admin/login")
    await page.fill("input[name=username]", MANAGER[0])
    await page.fill("input[name=password]", MANAGER[1])
    await page.click("button[type=submit]")
    await page.wait_for_url("**/admin/board")

    day = at(1, 10).date().isoformat()
    await page.goto(f"{clinic['url']}/admin/board?day={day}")
    first_hour = int((await page.locator(".hour-mark").first.inner_text()).split(":")[0])
    therapist, surgeon = clinic["therapist"]["id"], clinic["surgeon"]["id"]
    visits = clinic["visits"]
    for patient, doctor_id, hour, minute in (
        ("Alice Board", therapist, 10, 0),
        ("Bob Board", therapist, 11, 30),
        ("Carol Board", surgeon, 10, 0),
    ):
        block = page.locator(
            f'[data-testid=column][data-doctor-id="{doctor_id}"] '
            f'[data-appointment-id="{visits[patient]["id"]}"]'
        )
        assert await block.count() == 1, patient
        assert patient in await block.inner_text()
        where = await minutes_from_grid_start(page, doctor_id, visits[patient]["id"])
        assert abs(where - ((hour - first_hour) * 60 + minute)) < 1, patient

    await page.click(f'[data-appointment-id="{visits["Bob Board"]["id"]}"]')
    await page.wait_for_url(f"**/admin/board/appointments/{visits['Bob Board']['id']}")
    assert await page.locator("[data-testid=patient]").inner_text() == "Bob Board"
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "appointment.png"), full_page=True)
    await page.fill("[data-testid=cancel-form] input[name=reason]", "called to cancel")
    await page.click("[data-testid=cancel-form] button[type=submit]")
    await page.wait_for_url(f"**/admin/board?day={day}")

    therapist_column = page.locator(f'[data-testid=column][data-doctor-id="{therapist}"]')
    assert await therapist_column.locator("[data-testid=appointment]").count() == 1
    assert await therapist_column.locator('[data-free="11:30"]').count() == 1
    await page.screenshot(path=str(ARTIFACTS / "board.png"), full_page=True)

    async with AsyncClient(base_url=clinic["url"]) as api:
        cancelled = await api.get(f"/appointments/{visits['Bob Board']['id']}", headers=ADMIN)
    assert cancelled.json()["status"] == "cancelled"

    # A phone: the columns scroll sideways, the blocks stay readable.
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(f"{clinic['url']}/admin/board?day={day}")
    assert await page.locator("[data-testid=appointment]").first.is_visible()
    await page.screenshot(path=str(ARTIFACTS / "board-phone.png"), full_page=True)


# -- the Russian screens a clinic manager works with, on the demo clinic's 22 doctors -------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def screenshot_paths(name: str) -> list[Path]:
    """Where a screenshot goes: test-artifacts/ always; docs/screenshots/ (the README's) when
    CLINIC_DOCS_SCREENSHOTS=1, so a normal run leaves the working tree as it was."""
    folders = [ARTIFACTS, *([DOCS] if os.environ.get("CLINIC_DOCS_SCREENSHOTS") else [])]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    return [folder / name for folder in folders]


async def save(page: Page, name: str, *, full_page: bool = False) -> None:
    for path in screenshot_paths(name):
        await page.screenshot(path=str(path), full_page=full_page)


PATIENTS = ("Иван Петров", "Ольга Смирнова", "Анна Павлова", "Сергей Новиков", "Мария Соколова")


@pytest.fixture
async def busy_day(russian_demo: LiveServer) -> dict[str, Any]:
    """The demo clinic with a morning of visits from tomorrow on, on the day doctor 1 (a
    therapist, 20-minute slots) works: three visits with doctor 1, one a no-show, and a few
    with other doctors that day."""
    demo_clinic = russian_demo
    tomorrow = (clinic_today() + timedelta(days=1)).isoformat()
    async with AsyncClient(base_url=demo_clinic.url) as api:

        async def book(doctor_id: int, start: str, patient: str) -> dict[str, Any]:
            response = await api.post(
                "/appointments",
                json={"patient_name": patient, "doctor_id": doctor_id, "start_time": start},
                headers=ADMIN,
            )
            assert response.status_code == 201, response.text
            return dict(response.json())

        first = await api.get("/slots", params={"doctor_id": 1, "from": tomorrow, "limit": 1})
        day = first.json()[0]["start"][:10]
        doctors = (await api.get("/doctors")).json()
        visits = []
        for doctor in doctors[:9]:
            query = {"doctor_id": doctor["id"], "from": day, "to": day, "limit": 6}
            slots = (await api.get("/slots", params=query)).json()
            for slot, patient in zip(slots[::2], PATIENTS, strict=False):
                visit = await book(doctor["id"], slot["start"], patient)
                if doctor["id"] == 1:
                    visits.append(visit)
        missed = await api.patch(
            f"/appointments/{visits[1]['id']}", json={"status": "no_show"}, headers=ADMIN
        )
        assert missed.status_code == 200, missed.text
    return {"url": demo_clinic.url, "day": day, "visits": visits, "doctors": doctors}


async def log_in(page: Page, url: str) -> None:
    await page.goto(url + "/admin/login")
    await page.fill("input[name=username]", MANAGER[0])
    await page.fill("input[name=password]", MANAGER[1])
    await page.click("button[type=submit]")
    await page.wait_for_url("**/admin/board")


async def visible_heads(page: Page) -> int:
    """Doctors' columns wholly inside the board's scrolling box."""
    box = await page.locator("[data-testid=board-scroll]").bounding_box()
    assert box is not None
    count = 0
    for head in await page.locator("[data-testid=column-head]").all():
        head_box = await head.bounding_box()
        assert head_box is not None
        if (
            box["x"] <= head_box["x"]
            and head_box["x"] + head_box["width"] <= box["x"] + box["width"]
        ):
            count += 1
    return count


async def test_russian_board_fits_a_clinic_of_22_doctors(
    chromium: Browser, busy_day: dict[str, Any]
) -> None:
    page = await chromium.new_page(viewport={"width": 1400, "height": 900}, locale="ru-RU")
    await page.goto(busy_day["url"] + "/admin/login")
    assert "Вход" in await page.locator("body").inner_text()
    await log_in(page, busy_day["url"])
    await page.goto(f"{busy_day['url']}/admin/board?day={busy_day['day']}")

    assert "Расписание дня" in await page.locator(".page-title").inner_text()
    heads = page.locator("[data-testid=column-head]")
    assert await heads.count() == len(busy_day["doctors"]) == 22
    head_texts = " ".join(await heads.all_inner_texts())
    assert "Терапевт" in head_texts
    assert "therapist" not in head_texts  # specialty names, not codes
    # A 20-minute visit shows its whole status line.
    block = page.locator(f'[data-appointment-id="{busy_day["visits"][1]["id"]}"]')
    status = block.locator("[data-testid=appointment-status]")
    assert await status.inner_text() == "Не пришёл"
    block_box, status_box = await block.bounding_box(), await status.bounding_box()
    assert block_box is not None
    assert status_box is not None
    assert status_box["y"] + status_box["height"] <= block_box["y"] + block_box["height"]
    assert status_box["x"] + status_box["width"] <= block_box["x"] + block_box["width"]
    assert await status.evaluate("e => e.parentElement.scrollWidth <= e.parentElement.clientWidth")
    await save(page, "board-ru.png")

    # Scrolled across and down the day, the doctors' row and the hours stay in view.
    scroller = page.locator("[data-testid=board-scroll]")
    await scroller.evaluate("e => { e.scrollLeft = 1600; e.scrollTop = 300; }")
    scroll_box = await scroller.bounding_box()
    first_head = await heads.nth(8).bounding_box()
    axis = await page.locator(".board-axis").bounding_box()
    assert scroll_box is not None
    assert first_head is not None
    assert axis is not None
    assert abs(first_head["y"] - scroll_box["y"]) < 3  # the header row is stuck to the top
    assert abs(axis["x"] - scroll_box["x"]) < 3  # the time column is stuck to the left
    await save(page, "board-ru-scrolled.png")

    # Compact: more doctors at a glance.
    normal = await visible_heads(page)
    await page.goto(f"{busy_day['url']}/admin/board?day={busy_day['day']}&compact=1")
    compact = await visible_heads(page)
    assert compact > normal
    await save(page, "board-ru-compact.png")


async def test_russian_list_and_appointment_screens(
    chromium: Browser, busy_day: dict[str, Any]
) -> None:
    page = await chromium.new_page(viewport={"width": 1400, "height": 900}, locale="ru-RU")
    await log_in(page, busy_day["url"])

    await page.goto(busy_day["url"] + "/admin/appointment/list")
    headers = await page.locator("thead").inner_text()
    for header in ("Время", "Врач", "Пациент", "Статус"):
        assert header in headers
    assert "patient_name" not in headers
    await save(page, "appointments-ru.png")

    visit = busy_day["visits"][0]
    await page.goto(f"{busy_day['url']}/admin/board/appointments/{visit['id']}")
    assert await page.locator("[data-testid=status]").inner_text() == "Записан"
    history = await page.locator("[data-testid=history]").inner_text()
    assert "Врач: " in history
    assert "doctor_id" not in history
    await save(page, "appointment-ru.png", full_page=True)

    # One user switches to English; the language menu is SQLAdmin's own.
    await page.goto(f"{busy_day['url']}/admin/board?lang=en")
    assert "Day board" in await page.locator(".page-title").inner_text()


async def test_api_docs_render_with_every_other_host_unreachable(
    chromium: Browser, english_api: LiveServer
) -> None:
    live_api = english_api
    page = await chromium.new_page()
    elsewhere: list[str] = []

    async def only_this_server(route: Any) -> None:
        if route.request.url.startswith(live_api.url):
            await route.continue_()
        else:
            elsewhere.append(route.request.url)
            await route.abort()

    await page.route("**/*", only_this_server)
    await page.goto(live_api.url + "/docs")
    await page.wait_for_selector(".swagger-ui .info .title")
    assert "Clinic Appointments" in await page.locator(".swagger-ui .info .title").inner_text()
    assert await page.locator(".opblock").count() > 10
    await page.goto(live_api.url + "/redoc")
    await page.wait_for_selector("h1")
    assert "Clinic Appointments" in await page.locator("h1").first.inner_text()
    # ReDoc asks for its maker's logo and drops the image when unreachable (its onError):
    # the one request elsewhere, and nothing the page needs.
    assert [url for url in elsewhere if url != "https://cdn.redoc.ly/redoc/logo-mini.svg"] == []
