"""The day board in a real browser: Debian's Chromium driven by Playwright, against the real
server on loopback. Skips only when no Chromium is installed (CI installs `chromium`)."""

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient
from playwright.async_api import Browser, Page, async_playwright

from tests.admin.conftest import MANAGER
from tests.conftest import ADMIN, LiveServer
from tests.factories import at, booking, make_doctor

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


@pytest.fixture
async def chromium() -> AsyncIterator[Browser]:
    assert CHROMIUM is not None
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
async def clinic(staff_env: None, live_api: LiveServer) -> AsyncIterator[dict[str, Any]]:
    """Two doctors (one with a lunch break) and three visits tomorrow, via the live API."""
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
