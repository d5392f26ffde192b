"""Reminders end to end: two real workers (procrastinate on the test PostgreSQL) with a clock
the test moves, the fake Bot API they send through, and the real bot handling the buttons.

Each "tick" runs both workers side by side until the queue is empty (`tests.bot.workers`), as
two processes would run after a scan was queued; the worker's clock says what time it is.
"""

from datetime import datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.bot.conftest import BotProcess
from tests.bot.fake_telegram import FakeTelegram, TgUser
from tests.bot.workers import Clock, empty_queue, run_jobs
from tests.conftest import ADMIN, LiveServer, bot_for


async def _tick(
    database_url: str,
    engine: AsyncEngine,
    telegram: FakeTelegram,
    clock: Clock,
    *,
    duplicate_sends: list[dict[str, Any]] | None = None,
) -> None:
    """Queue a scan (and, to race the claim, copies of send jobs that skip the queue's own
    dedup), then run two workers at once until no job is left."""
    jobs = [("reminders:scan", {"timestamp": 0})]
    jobs += [("reminders:send", arguments) for arguments in duplicate_sends or []]
    await run_jobs(database_url, engine, telegram, clock, jobs)


async def _book(api: LiveServer, telegram_id: int, specialty: str, lang: str = "ru") -> Any:
    async with AsyncClient(base_url=api.url, headers=bot_for(telegram_id)) as http:
        slots = (await http.get("/slots", params={"specialty": specialty, "limit": 1})).json()
        body = {
            "patient_name": "Анна Смирнова",
            "doctor_id": slots[0]["doctor_id"],
            "start_time": slots[0]["start"],
            "patient_language": lang,
        }
        response = await http.post("/appointments", json=body)
        assert response.status_code == 201, response.text
        return response.json()


def _reminders(patient: TgUser) -> list[dict[str, Any]]:
    return [m for m in patient.messages if m["from"]["is_bot"] and "Напоминаем" in m["text"]]


async def _claims(engine: AsyncEngine) -> list[tuple[int, int, bool]]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT appointment_id, hours, sent_at IS NOT NULL FROM reminder ORDER BY id")
        )
        return [(row[0], row[1], row[2]) for row in rows]


@pytest.fixture(autouse=True)
async def _empty_queue(engine: AsyncEngine) -> None:
    await empty_queue(engine)


async def test_two_workers_send_each_reminder_once_at_its_time_and_not_before(
    demo_clinic: LiveServer, telegram: FakeTelegram, database_url: str, engine: AsyncEngine
) -> None:
    patient = TgUser(telegram, 3001, "Анна")
    appointment = await _book(demo_clinic, 3001, "dentist")
    start = datetime.fromisoformat(appointment["start_time"])
    # Booked well before both reminders' moments, as the clock sees it.
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE appointment SET created_at = :at WHERE id = :id"),
            {"at": start - timedelta(days=3), "id": appointment["id"]},
        )
    clock = Clock(start - timedelta(hours=24, minutes=1))

    await _tick(database_url, engine, telegram, clock)
    assert _reminders(patient) == []  # a minute early: nothing

    clock.now = start - timedelta(hours=24) + timedelta(seconds=30)
    copies = [
        {"appointment_id": appointment["id"], "hours": 24, "start_time": start.isoformat()}
    ] * 8
    await _tick(database_url, engine, telegram, clock, duplicate_sends=copies)
    (reminder,) = _reminders(patient)
    assert f"№{appointment['id']}" in reminder["text"]
    assert patient.buttons(reminder) == ["✅ Подтверждаю", "❌ Отменить", "🔁 Перенести"]

    # Later scans, and workers started again, find it sent.
    clock.now = start - timedelta(hours=23)
    await _tick(database_url, engine, telegram, clock)
    assert len(_reminders(patient)) == 1

    clock.now = start - timedelta(hours=2) + timedelta(seconds=5)
    await _tick(database_url, engine, telegram, clock)
    assert len(_reminders(patient)) == 2
    assert await _claims(engine) == [(appointment["id"], 24, True), (appointment["id"], 2, True)]


async def test_a_visit_booked_after_a_reminders_moment_gets_only_the_later_one(
    demo_clinic: LiveServer, telegram: FakeTelegram, database_url: str, engine: AsyncEngine
) -> None:
    patient = TgUser(telegram, 3002, "Анна")
    appointment = await _book(demo_clinic, 3002, "therapist")
    start = datetime.fromisoformat(appointment["start_time"])
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE appointment SET created_at = :at WHERE id = :id"),
            {"at": start - timedelta(hours=5), "id": appointment["id"]},
        )

    await _tick(database_url, engine, telegram, Clock(start - timedelta(hours=4)))
    assert _reminders(patient) == []  # 24 h before was before the booking
    await _tick(database_url, engine, telegram, Clock(start - timedelta(minutes=90)))
    assert len(_reminders(patient)) == 1
    assert await _claims(engine) == [(appointment["id"], 2, True)]


async def _reminded(
    api: LiveServer,
    telegram: FakeTelegram,
    database_url: str,
    engine: AsyncEngine,
    telegram_id: int,
    lang: str = "ru",
) -> tuple[TgUser, Any]:
    patient = TgUser(telegram, telegram_id, "Олег", language_code=lang)
    appointment = await _book(api, telegram_id, "dentist", lang)
    start = datetime.fromisoformat(appointment["start_time"])
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE appointment SET created_at = :at WHERE id = :id"),
            {"at": start - timedelta(days=2), "id": appointment["id"]},
        )
    await _tick(database_url, engine, telegram, Clock(start - timedelta(hours=23)))
    return patient, appointment


async def test_confirm_records_the_confirmation_seen_by_staff(
    bot: BotProcess,
    demo_clinic: LiveServer,
    telegram: FakeTelegram,
    database_url: str,
    engine: AsyncEngine,
) -> None:
    patient, appointment = await _reminded(demo_clinic, telegram, database_url, engine, 3003)

    await patient.presses("Подтверждаю")
    await patient.expect("подтверждён")

    async with AsyncClient(base_url=demo_clinic.url, headers=ADMIN) as http:
        stored = (await http.get(f"/appointments/{appointment['id']}")).json()
        history = (await http.get(f"/appointments/{appointment['id']}/history")).json()
    assert stored["confirmed_at"] is not None
    assert stored["status"] == "scheduled"
    assert [event["action"] for event in history] == ["created", "confirmed"]


async def test_cancel_asks_once_more_then_frees_the_slot(
    bot: BotProcess,
    demo_clinic: LiveServer,
    telegram: FakeTelegram,
    database_url: str,
    engine: AsyncEngine,
) -> None:
    patient, appointment = await _reminded(demo_clinic, telegram, database_url, engine, 3004)

    await patient.presses("Отменить")
    await patient.expect(f"Отменить запись №{appointment['id']}?")
    await patient.presses("Да, отменить")
    await patient.expect("отменена")

    async with AsyncClient(base_url=demo_clinic.url, headers=ADMIN) as http:
        stored = (await http.get(f"/appointments/{appointment['id']}")).json()
        slots = (
            await http.get(
                "/slots",
                params={"doctor_id": appointment["doctor_id"], "from": appointment["start_time"]},
            )
        ).json()
    assert stored["status"] == "cancelled"
    assert slots[0]["start"] == appointment["start_time"]  # the slot is free again


async def test_reschedule_offers_new_times_with_the_same_specialty_in_english(
    bot: BotProcess,
    demo_clinic: LiveServer,
    telegram: FakeTelegram,
    database_url: str,
    engine: AsyncEngine,
) -> None:
    patient, appointment = await _reminded(
        demo_clinic, telegram, database_url, engine, 3005, lang="en"
    )
    (reminder,) = [m for m in patient.messages if "A reminder of appointment" in m["text"]]
    assert patient.buttons(reminder) == ["✅ I will come", "❌ Cancel", "🔁 Reschedule"]

    await patient.presses("Reschedule")
    moving = await patient.expect(f"Moving appointment No. {appointment['id']}")

    assert "Dentist" in moving["text"]
    offers = await patient.expect("The nearest free times (dentist)")
    assert patient.buttons(offers)  # new times to press, with the same dentist
