"""offer_next under real concurrency: first come, first served, and one offer per slot."""

import asyncio
from datetime import timedelta

from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from clinic.core.database import create_sessionmaker, unit_of_work
from clinic.core.settings import Settings
from clinic.core.timeutils import utcnow
from clinic.waitlist import delivery, service
from clinic.waitlist.service import FreedSlot, Offer
from tests.conftest import bot_for
from tests.factories import at, make_doctor
from tests.waitlist.test_waitlist_api import join

PATIENTS = range(2001, 2006)


async def _offer_each(
    engine: AsyncEngine, settings: Settings, slots: list[FreedSlot]
) -> list[Offer | None]:
    maker = create_sessionmaker(engine)

    async def offer(slot: FreedSlot) -> Offer | None:
        async with unit_of_work(maker) as session:
            return await service.offer_next(session, settings, slot, utcnow())

    return await asyncio.gather(*(offer(slot) for slot in slots))


async def test_one_slot_offered_ten_times_at_once_goes_to_the_first_in_line_once(
    committed_client: AsyncClient, engine: AsyncEngine, settings: Settings
) -> None:
    doctor = await make_doctor(committed_client)
    first = await join(committed_client, bot_for(PATIENTS[0]))
    for patient in PATIENTS[1:]:
        await join(committed_client, bot_for(patient))
    slot = FreedSlot(doctor["id"], at(1, 10), at(1, 10) + timedelta(minutes=30))

    offers = [o for o in await _offer_each(engine, settings, [slot] * 10) if o is not None]

    assert [o.entry.id for o in offers] == [first["id"]]


async def test_slots_freed_at_once_go_to_different_patients_in_line_order(
    committed_client: AsyncClient, engine: AsyncEngine, settings: Settings
) -> None:
    doctor = await make_doctor(committed_client)
    for patient in PATIENTS:
        await join(committed_client, bot_for(patient))
    slots = [
        FreedSlot(doctor["id"], at(1, hour), at(1, hour) + timedelta(minutes=30))
        for hour in (10, 11, 12)
    ]

    offers = await _offer_each(engine, settings, slots)

    patients = sorted(o.entry.patient_telegram_id for o in offers if o is not None)
    assert patients == list(PATIENTS[:3])


# A lock the mechanism must not wait for makes the test fail fast instead of hanging.
NO_WAITING = {"server_settings": {"lock_timeout": "2s"}}


async def test_an_offer_skips_an_entry_locked_by_another_offer_instead_of_waiting(
    committed_client: AsyncClient, engine: AsyncEngine, settings: Settings
) -> None:
    doctor = await make_doctor(committed_client)
    first = await join(committed_client, bot_for(PATIENTS[0]))
    second = await join(committed_client, bot_for(PATIENTS[1]))
    slot = FreedSlot(doctor["id"], at(1, 11), at(1, 11) + timedelta(minutes=30))
    maker = create_sessionmaker(engine)

    # Another transaction (an offer of another slot, say) holds the first entry's row.
    async with engine.connect() as holder:
        await holder.begin()
        await holder.execute(LOCK_ENTRY, {"id": first["id"]})
        async with unit_of_work(maker) as session:
            await session.execute(text("SET LOCAL lock_timeout = '2s'"))
            offer = await service.offer_next(session, settings, slot, utcnow())
        await holder.rollback()

    assert offer is not None
    assert offer.entry.id == second["id"]


LOCK_ENTRY = text("SELECT id FROM waitlist_entry WHERE id = :id FOR UPDATE")
LOCK_OPENING = text("SELECT id FROM waitlist_opening WHERE id = :id FOR UPDATE")


async def test_a_scan_passes_over_an_opening_another_worker_holds(
    committed_client: AsyncClient, engine: AsyncEngine, settings: Settings, database_url: str
) -> None:
    doctor = await make_doctor(committed_client)
    worker = create_async_engine(database_url, connect_args=NO_WAITING)
    maker = create_sessionmaker(worker)
    try:
        assert await delivery.offer_openings(maker, settings, utcnow()) == 0  # the new hours
        await join(committed_client, bot_for(PATIENTS[0]))
        await join(committed_client, bot_for(PATIENTS[1]))
        async with engine.begin() as connection:
            held, free = (
                await connection.execute(
                    text(
                        "INSERT INTO waitlist_opening (doctor_id, start_time, end_time) VALUES "
                        "(:d, :ten, :ten_end), (:d, :eleven, :eleven_end) RETURNING id"
                    ),
                    {
                        "d": doctor["id"],
                        "ten": at(1, 10),
                        "ten_end": at(1, 10, 30),
                        "eleven": at(1, 11),
                        "eleven_end": at(1, 11, 30),
                    },
                )
            ).scalars()

        async with engine.connect() as holder:
            await holder.begin()
            await holder.execute(LOCK_OPENING, {"id": held})
            made = await delivery.offer_openings(maker, settings, utcnow())
            await holder.rollback()
        # The other worker gave up its row: the next scan takes it.
        made_next = await delivery.offer_openings(maker, settings, utcnow())
    finally:
        await worker.dispose()

    async with engine.connect() as connection:
        offered = (
            await connection.execute(
                text(
                    "SELECT e.patient_telegram_id, o.start_time FROM waitlist_offer o "
                    "JOIN waitlist_entry e ON e.id = o.entry_id ORDER BY o.id"
                )
            )
        ).all()
    assert (made, made_next) == (1, 1)
    assert [tuple(r) for r in offered] == [(PATIENTS[0], at(1, 11)), (PATIENTS[1], at(1, 10))]
    assert free != held
