"""offer_next under real concurrency: first come, first served, and one offer per slot."""

import asyncio
from datetime import timedelta

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from clinic.core.database import create_sessionmaker, unit_of_work
from clinic.core.settings import Settings
from clinic.core.timeutils import utcnow
from clinic.waitlist import service
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
