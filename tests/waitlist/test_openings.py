"""A new working day is offered too: PostgreSQL queues what may have opened (hours added, an
exception lifted, a closed date removed, a slot freed), and the worker's scan offers it to
the first in line who wants it."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from clinic.core.settings import Settings
from clinic.core.timeutils import utcnow
from clinic.waitlist import delivery
from tests.conftest import ADMIN, BOT_PATIENT, bot_for
from tests.factories import ALL_WEEK_8_TO_20, at, booking, make_doctor
from tests.waitlist.test_waitlist_api import join

FIRST, SECOND = BOT_PATIENT, BOT_PATIENT + 1
Maker = async_sessionmaker[AsyncSession]


@pytest.fixture
def maker(session: AsyncSession) -> Maker:
    """The worker's sessions, in the test's rolled-back transaction (commits are savepoints)."""
    return async_sessionmaker(
        bind=session.bind, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


async def queued(session: AsyncSession) -> list[tuple[Any, ...]]:
    rows = await session.execute(
        text("SELECT doctor_id, first_day, last_day, start_time FROM waitlist_opening ORDER BY id")
    )
    return [tuple(r) for r in rows]


async def scan(maker: Maker, settings: Settings) -> int:
    return await delivery.offer_openings(maker, settings, utcnow())


async def offers(session: AsyncSession) -> list[tuple[int, datetime]]:
    """(patient, slot start) of each offer, oldest first."""
    rows = await session.execute(
        text(
            "SELECT e.patient_telegram_id, o.start_time FROM waitlist_offer o "
            "JOIN waitlist_entry e ON e.id = o.entry_id ORDER BY o.id"
        )
    )
    return [(int(p), s) for p, s in rows]


def day(days_ahead: int) -> str:
    return at(days_ahead, 0).date().isoformat()


async def test_each_schedule_change_that_may_open_days_is_queued(
    client: AsyncClient, session: AsyncSession
) -> None:
    doctor = await make_doctor(client)
    exception = await client.post(
        f"/doctors/{doctor['id']}/exceptions", json={"on_date": day(3)}, headers=ADMIN
    )
    await client.post("/closed-dates", json={"on_date": day(4)}, headers=ADMIN)
    await session.execute(text("DELETE FROM waitlist_opening"))

    hours = await client.put(
        f"/doctors/{doctor['id']}/working-hours", json=ALL_WEEK_8_TO_20, headers=ADMIN
    )
    lifted = await client.delete(
        f"/doctors/{doctor['id']}/exceptions/{exception.json()['id']}", headers=ADMIN
    )
    reopened = await client.delete(f"/closed-dates/{day(4)}", headers=ADMIN)

    assert (hours.status_code, lifted.status_code, reopened.status_code) == (200, 204, 204)
    three, four = date.fromisoformat(day(3)), date.fromisoformat(day(4))
    assert await queued(session) == [
        (doctor["id"], None, None, None),  # seven intervals, one row: every day ahead
        (doctor["id"], three, three, None),
        (None, four, four, None),  # the whole clinic's date
    ]


async def test_a_booking_queues_nothing_and_its_cancellation_queues_the_slot(
    client: AsyncClient, session: AsyncSession
) -> None:
    doctor = await make_doctor(client)
    await session.execute(text("DELETE FROM waitlist_opening"))
    booked = await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10)), headers=ADMIN
    )
    # A day off added, or a closure: nothing opens.
    await client.post(
        f"/doctors/{doctor['id']}/exceptions", json={"on_date": day(5)}, headers=ADMIN
    )
    await client.post("/closed-dates", json={"on_date": day(6)}, headers=ADMIN)
    assert await queued(session) == []

    await client.post(f"/appointments/{booked.json()['id']}/cancel", json={}, headers=ADMIN)

    assert await queued(session) == [(doctor["id"], None, None, at(1, 10))]


async def test_a_lifted_day_off_is_offered_to_the_first_in_line(
    client: AsyncClient, session: AsyncSession, settings: Settings, maker: Maker
) -> None:
    doctor = await make_doctor(client)
    exception = await client.post(
        f"/doctors/{doctor['id']}/exceptions", json={"on_date": day(3)}, headers=ADMIN
    )
    await join(client, bot_for(FIRST), first_day=day(3), last_day=day(3), time_from="11:00")
    await join(client, bot_for(SECOND), first_day=day(3), last_day=day(3), time_from="11:00")
    assert await scan(maker, settings) == 0  # the day is off: nothing to offer yet

    await client.delete(
        f"/doctors/{doctor['id']}/exceptions/{exception.json()['id']}", headers=ADMIN
    )
    made = await scan(maker, settings)

    # One slot each, in line order, earliest first; the queue is empty after.
    assert made == 2
    assert await offers(session) == [(FIRST, at(3, 11)), (SECOND, at(3, 11, 30))]
    assert await queued(session) == []
    assert await scan(maker, settings) == 0


async def test_hours_added_open_days_for_the_doctors_specialty(
    client: AsyncClient, session: AsyncSession, settings: Settings, maker: Maker
) -> None:
    doctor = await make_doctor(client, hours=[])
    other = await make_doctor(client, "dermatologist", name="Кожин Олег Ильич", hours=[])
    await join(client, bot_for(SECOND), specialty="dermatologist")
    await join(client, bot_for(FIRST), first_day=day(2), last_day=day(4), time_from="14:00")
    assert await scan(maker, settings) == 0

    monday_to_sunday = [
        {"weekday": w, "start_time": "09:00", "end_time": "17:00"} for w in range(7)
    ]
    await client.put(f"/doctors/{doctor['id']}/working-hours", json=monday_to_sunday, headers=ADMIN)
    await scan(maker, settings)

    assert await offers(session) == [(FIRST, at(2, 14))]
    assert other["id"] != doctor["id"]  # the dermatologist's patient waits on


async def test_a_reopened_clinic_date_reaches_every_doctor_s_line(
    client: AsyncClient, session: AsyncSession, settings: Settings, maker: Maker
) -> None:
    await make_doctor(client)
    derm = await make_doctor(client, "dermatologist", name="Кожин Олег Ильич")
    await client.post("/closed-dates", json={"on_date": day(2)}, headers=ADMIN)
    await join(client, bot_for(FIRST), first_day=day(2), last_day=day(2), time_from="12:00")
    await join(
        client,
        bot_for(SECOND),
        specialty=None,
        doctor_id=derm["id"],
        first_day=day(2),
        last_day=day(2),
        time_from="15:00",
    )
    assert await scan(maker, settings) == 0

    await client.delete(f"/closed-dates/{day(2)}", headers=ADMIN)
    await scan(maker, settings)

    assert await offers(session) == [(FIRST, at(2, 12)), (SECOND, at(2, 15))]


async def test_an_opening_skips_booked_slots_and_slots_offered_before(
    client: AsyncClient, session: AsyncSession, settings: Settings, maker: Maker
) -> None:
    doctor = await make_doctor(client)
    await client.post("/appointments", json=booking(doctor["id"], at(2, 9)), headers=ADMIN)
    entry = await join(client, bot_for(FIRST), first_day=day(2), last_day=day(2), time_from="09:00")
    await scan(maker, settings)  # the doctor's first hours: 09:30 is free and offered
    await client.post(f"/waitlist/{entry['id']}/decline", headers=bot_for(FIRST))

    await client.put(f"/doctors/{doctor['id']}/working-hours", json=ALL_WEEK_8_TO_20, headers=ADMIN)
    await scan(maker, settings)

    assert await offers(session) == [(FIRST, at(2, 9, 30)), (FIRST, at(2, 10))]


async def test_days_past_or_beyond_the_horizon_offer_nothing(
    client: AsyncClient, session: AsyncSession, settings: Settings, maker: Maker
) -> None:
    doctor = await make_doctor(client)
    await join(client, bot_for(FIRST))
    await scan(maker, settings)
    await session.execute(text("DELETE FROM waitlist_offer"))
    await session.execute(text("UPDATE waitlist_entry SET status = 'waiting', hold_id = NULL"))
    await session.execute(text("DELETE FROM hold"))
    past = utcnow().date() - timedelta(days=3)
    beyond = utcnow().date() + timedelta(days=settings.booking_horizon_days + 2)
    await session.execute(
        text(
            "INSERT INTO waitlist_opening (doctor_id, first_day, last_day) VALUES "
            "(:d, :past, :past), (:d, :beyond, :beyond)"
        ),
        {"d": doctor["id"], "past": past, "beyond": beyond},
    )

    assert await scan(maker, settings) == 0
    assert await queued(session) == []
