"""Waitlist offers end to end: a freed slot is offered by the real workers (two, racing) to
the first in line over the fake Bot API, and the real bot handles the offer's buttons.

Holds expire by the database's clock (as the API judges them), so "silence for HOLD_MINUTES"
is the test moving the hold's expiry into the past; the workers' own clock (the test's) only
decides whether a slot is still bookable, so it stays at the real now.
"""

import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from clinic.core.settings import Settings
from clinic.waitlist import delivery
from tests.bot.conftest import BotProcess
from tests.bot.fake_telegram import FakeTelegram, TgUser
from tests.bot.workers import Clock, empty_queue, run_jobs, worker_settings
from tests.conftest import ADMIN, LiveServer, bot_for

SCAN = ("waitlist:scan", {"timestamp": 0})


@pytest.fixture(autouse=True)
async def _empty_queue(engine: AsyncEngine) -> None:
    await empty_queue(engine)


async def _booked_slot(api: LiveServer, telegram_id: int) -> Any:
    """Another patient's appointment: the slot the waiting patients want."""
    async with AsyncClient(base_url=api.url, headers=bot_for(telegram_id)) as http:
        slots = (await http.get("/slots", params={"specialty": "dentist", "limit": 1})).json()
        body = {
            "patient_name": "Пётр Иванов",
            "doctor_id": slots[0]["doctor_id"],
            "start_time": slots[0]["start"],
        }
        response = await http.post("/appointments", json=body)
        assert response.status_code == 201, response.text
        return response.json()


async def _scan_before_anyone_waits(engine: AsyncEngine, settings: Settings) -> None:
    """The demo clinic's hours were queued as openings when it was set up; a scan then, with
    nobody in line, offers nothing and empties the queue (as a running worker would have)."""
    maker = async_sessionmaker(engine, expire_on_commit=False)
    assert await delivery.offer_openings(maker, settings, datetime.now().astimezone()) == 0


async def _wait_for(api: LiveServer, telegram_id: int, appointment: Any, name: str) -> Any:
    day = datetime.fromisoformat(appointment["start_time"]).date()
    body = {
        "doctor_id": appointment["doctor_id"],
        "first_day": day.isoformat(),
        "last_day": (day + timedelta(days=1)).isoformat(),
        "patient_name": name,
        "patient_phone": "+79161234567",
    }
    async with AsyncClient(base_url=api.url, headers=bot_for(telegram_id)) as http:
        response = await http.post("/waitlist", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def _cancel(api: LiveServer, appointment_id: int) -> None:
    async with AsyncClient(base_url=api.url, headers=ADMIN) as http:
        response = await http.post(f"/appointments/{appointment_id}/cancel", json={})
    assert response.status_code == 200, response.text


def _offers(patient: TgUser) -> list[dict[str, Any]]:
    """Every offer the patient got (not only since their last action)."""
    return [m for m in patient.messages if m["from"]["is_bot"] and "Освободилось" in m["text"]]


async def _entries(api: LiveServer) -> dict[int, str]:
    async with AsyncClient(base_url=api.url, headers=ADMIN) as http:
        page = (await http.get("/waitlist", params={"include_closed": True})).json()
    return {item["patient_telegram_id"]: item["status"] for item in page["items"]}


async def test_a_cancelled_slot_is_offered_once_declined_to_the_next_who_books_it(
    bot: BotProcess,
    demo_clinic: LiveServer,
    telegram: FakeTelegram,
    database_url: str,
    engine: AsyncEngine,
) -> None:
    first, second = TgUser(telegram, 4101, "Анна"), TgUser(telegram, 4102, "Олег")
    appointment = await _booked_slot(demo_clinic, 4100)
    await _scan_before_anyone_waits(engine, worker_settings(database_url, telegram))
    await _wait_for(demo_clinic, 4101, appointment, "Анна Смирнова")
    await _wait_for(demo_clinic, 4102, appointment, "Олег Петров")
    await _cancel(demo_clinic, appointment["id"])

    # Two workers find the freed slot at once: it is offered once, to the first in line.
    maker = async_sessionmaker(engine, expire_on_commit=False)
    settings = worker_settings(database_url, telegram)
    clock = Clock(datetime.now().astimezone())
    made = await asyncio.gather(
        *(delivery.offer_openings(maker, settings, clock()) for _ in range(2))
    )
    assert sorted(made) == [0, 1]
    (offer_id,) = await delivery.unsent_offers(maker)

    # The scan queues its send; eight more copies race it over two workers: one message.
    copies = [("waitlist:send", {"offer_id": offer_id})] * 8
    await run_jobs(database_url, engine, telegram, clock, [SCAN, *copies])
    (offer,) = _offers(first)
    assert "Иванов" not in offer["text"]  # the slot, not the patient who freed it
    assert first.buttons(offer) == ["✅ Записаться", "❌ Не нужно"]
    assert _offers(second) == []
    await run_jobs(database_url, engine, telegram, clock, [SCAN])
    assert len(_offers(first)) == 1

    await first.presses("Не нужно")
    await first.expect("следующему в очереди")
    await run_jobs(database_url, engine, telegram, clock, [SCAN])
    assert len(_offers(second)) == 1
    assert len(_offers(first)) == 1

    await second.presses("Записаться")
    await second.expect("Вы записаны")
    async with AsyncClient(base_url=demo_clinic.url, headers=bot_for(4102)) as http:
        mine = (await http.get("/appointments", params={"patient_telegram_id": 4102})).json()
    (booked,) = mine["items"]
    assert (booked["doctor_id"], booked["start_time"]) == (
        appointment["doctor_id"],
        appointment["start_time"],
    )
    assert booked["patient_name"] == "Олег Петров"
    assert await _entries(demo_clinic) == {4101: "waiting", 4102: "booked"}


async def test_a_slot_moved_away_from_and_left_unanswered_passes_to_the_next(
    bot: BotProcess,
    demo_clinic: LiveServer,
    telegram: FakeTelegram,
    database_url: str,
    engine: AsyncEngine,
) -> None:
    first, second = TgUser(telegram, 4201, "Анна"), TgUser(telegram, 4202, "Олег")
    appointment = await _booked_slot(demo_clinic, 4200)
    await _scan_before_anyone_waits(engine, worker_settings(database_url, telegram))
    await _wait_for(demo_clinic, 4201, appointment, "Анна Смирнова")
    await _wait_for(demo_clinic, 4202, appointment, "Олег Петров")
    async with AsyncClient(base_url=demo_clinic.url, headers=ADMIN) as http:
        slots = (
            await http.get("/slots", params={"doctor_id": appointment["doctor_id"], "limit": 2})
        ).json()
        moved = await http.patch(
            f"/appointments/{appointment['id']}", json={"start_time": slots[-1]["start"]}
        )
    assert moved.status_code == 200, moved.text
    clock = Clock(datetime.now().astimezone())

    await run_jobs(database_url, engine, telegram, clock, [SCAN])
    assert len(_offers(first)) == 1

    # HOLD_MINUTES pass without an answer; the next scan passes the slot on.
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE hold SET expires_at = now() - interval '1 second' "
                 "WHERE patient_telegram_id = 4201")
        )  # fmt: skip
    await run_jobs(database_url, engine, telegram, clock, [SCAN])
    assert len(_offers(second)) == 1
    assert await _entries(demo_clinic) == {4201: "waiting", 4202: "offered"}

    # Too late: the slot is held for the next patient now.
    await first.presses("Записаться")
    await first.expect("уже недоступно")
    assert await _entries(demo_clinic) == {4201: "waiting", 4202: "offered"}


async def test_a_day_the_clinic_reopens_is_offered_by_the_worker_to_the_first_in_line(
    bot: BotProcess,
    demo_clinic: LiveServer,
    telegram: FakeTelegram,
    database_url: str,
    engine: AsyncEngine,
) -> None:
    first, second = TgUser(telegram, 4301, "Анна"), TgUser(telegram, 4302, "Олег")
    async with AsyncClient(base_url=demo_clinic.url, headers=ADMIN) as http:
        # A day well ahead, with a whole day of free slots.
        ahead = (datetime.now().astimezone() + timedelta(days=3)).isoformat()
        params: dict[str, str | int] = {"specialty": "dentist", "from": ahead, "limit": 1}
        (found,) = (await http.get("/slots", params=params)).json()
        midnight = datetime.fromisoformat(found["start"]).replace(hour=0, minute=0)
        params = {"doctor_id": found["doctor_id"], "from": midnight.isoformat(), "limit": 1}
        (slot,) = (await http.get("/slots", params=params)).json()  # the day's first
        day = midnight.date().isoformat()
        closed = await http.post("/closed-dates", json={"on_date": day, "note": "санитарный день"})
        assert closed.status_code == 201, closed.text
    await _scan_before_anyone_waits(engine, worker_settings(database_url, telegram))
    waiting = {"doctor_id": slot["doctor_id"], "start_time": slot["start"]}
    await _wait_for(demo_clinic, 4301, waiting, "Анна Смирнова")
    await _wait_for(demo_clinic, 4302, waiting, "Олег Петров")
    clock = Clock(datetime.now().astimezone())
    await run_jobs(database_url, engine, telegram, clock, [SCAN])
    assert _offers(first) == []  # closed: nothing to offer

    async with AsyncClient(base_url=demo_clinic.url, headers=ADMIN) as http:
        reopened = await http.delete(f"/closed-dates/{day}")
    assert reopened.status_code == 204, reopened.text
    await run_jobs(database_url, engine, telegram, clock, [SCAN])

    (offer,) = _offers(first)
    assert first.buttons(offer) == ["✅ Записаться", "❌ Не нужно"]
    assert len(_offers(second)) == 1  # the next free slot of the day, to the next in line
    assert await _entries(demo_clinic) == {4301: "offered", 4302: "offered"}
    await first.presses("Записаться")
    await first.expect("Вы записаны")
    async with AsyncClient(base_url=demo_clinic.url, headers=bot_for(4301)) as http:
        mine = (await http.get("/appointments", params={"patient_telegram_id": 4301})).json()
    (booked,) = mine["items"]
    assert (booked["doctor_id"], booked["start_time"]) == (slot["doctor_id"], slot["start"])
