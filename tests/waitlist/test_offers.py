"""A freed slot goes to the first in line who wants it, held as an offer; a decline or
silence passes it on."""

from datetime import datetime, timedelta

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.core.settings import Settings
from clinic.core.timeutils import utcnow
from clinic.waitlist import service
from clinic.waitlist.service import FreedSlot
from tests.conftest import ADMIN, BOT_PATIENT, bot_for
from tests.factories import at, booking, make_doctor
from tests.holds.helpers import expire, slot_starts
from tests.waitlist.test_waitlist_api import join

FIRST, SECOND, THIRD = BOT_PATIENT, BOT_PATIENT + 1, BOT_PATIENT + 2


def freed(doctor: dict[str, object], start: datetime) -> FreedSlot:
    return FreedSlot(int(str(doctor["id"])), start, start + timedelta(minutes=30))


async def test_nobody_in_line_means_no_offer(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    doctor = await make_doctor(client)
    assert await service.offer_next(session, settings, freed(doctor, at(1, 10)), utcnow()) is None


async def test_the_first_in_line_gets_the_slot_held(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    doctor = await make_doctor(client)
    first = await join(client, bot_for(FIRST))
    await join(client, bot_for(SECOND))

    offer = await service.offer_next(session, settings, freed(doctor, at(1, 10)), utcnow())

    assert offer is not None
    assert (offer.entry.id, offer.entry.status) == (first["id"], "offered")
    assert offer.hold.patient_telegram_id == FIRST
    assert offer.entry.hold_id == offer.hold.id
    assert at(1, 10).isoformat() not in await slot_starts(client, doctor["id"], at(1, 10))


async def test_the_line_matches_doctor_days_and_times(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    doctor = await make_doctor(client)
    other = await make_doctor(client, "dermatologist", name="Кожин Олег Ильич")
    await join(client, bot_for(FIRST), specialty="dermatologist")
    await join(client, bot_for(FIRST + 10), specialty=None, doctor_id=other["id"])
    day = at(2, 0).date().isoformat()
    await join(client, bot_for(SECOND), first_day=day, last_day=day)
    await join(client, bot_for(SECOND + 10), time_from="11:00", time_to="12:00")
    wanted = await join(client, bot_for(THIRD), specialty=None, doctor_id=doctor["id"])

    found = await service.first_in_line(session, settings, freed(doctor, at(1, 10)))

    assert found is not None
    assert found.id == wanted["id"]


async def test_a_declined_offer_passes_to_the_next_in_line(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    doctor = await make_doctor(client)
    first = await join(client, bot_for(FIRST))
    second = await join(client, bot_for(SECOND))
    offer = await service.offer_next(session, settings, freed(doctor, at(1, 10)), utcnow())
    assert offer is not None

    passed = await service.decline_offer(session, settings, first["id"], utcnow())

    assert passed is not None
    assert (passed.entry.id, passed.hold.patient_telegram_id) == (second["id"], SECOND)
    line = (await client.get("/waitlist", headers=ADMIN)).json()["items"]
    assert [(e["id"], e["status"]) for e in line] == [
        (first["id"], "waiting"),
        (second["id"], "offered"),
    ]


async def test_silence_for_hold_minutes_passes_the_offer_on(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    doctor = await make_doctor(client)
    await join(client, bot_for(FIRST))
    second = await join(client, bot_for(SECOND))
    offer = await service.offer_next(session, settings, freed(doctor, at(1, 10)), utcnow())
    assert offer is not None
    assert await service.pass_on_lapsed(session, settings, utcnow()) == []

    await expire(session, offer.hold.id)
    passed = await service.pass_on_lapsed(session, settings, utcnow())

    assert [(o.entry.id, o.hold.start) for o in passed] == [(second["id"], at(1, 10))]


async def test_accepting_books_the_held_slot_and_closes_the_entry(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    doctor = await make_doctor(client)
    await join(client, bot_for(FIRST))
    offer = await service.offer_next(session, settings, freed(doctor, at(1, 10)), utcnow())
    assert offer is not None

    booked = await client.post(
        "/appointments",
        json=booking(doctor["id"], at(1, 10), hold_id=offer.hold.id),
        headers=bot_for(FIRST),
    )

    assert booked.status_code == 201, booked.text
    closed = await client.get("/waitlist", params={"include_closed": True}, headers=ADMIN)
    assert closed.json()["items"][0]["status"] == "booked"


async def test_a_booked_slot_is_not_offered(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    doctor = await make_doctor(client)
    await join(client, bot_for(FIRST))
    await client.post("/appointments", json=booking(doctor["id"], at(1, 10)), headers=ADMIN)
    assert await service.offer_next(session, settings, freed(doctor, at(1, 10)), utcnow()) is None


async def test_a_slot_too_soon_to_book_is_not_offered(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    doctor = await make_doctor(client)
    await join(client, bot_for(FIRST))
    soon = utcnow().replace(second=0, microsecond=0) - timedelta(hours=1)
    assert await service.offer_next(session, settings, freed(doctor, soon), utcnow()) is None


async def test_leaving_the_line_releases_an_offered_slot(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    doctor = await make_doctor(client)
    first = await join(client, bot_for(FIRST))
    await service.offer_next(session, settings, freed(doctor, at(1, 10)), utcnow())

    await client.delete(f"/waitlist/{first['id']}", headers=bot_for(FIRST))

    assert (await slot_starts(client, doctor["id"], at(1, 10)))[0] == at(1, 10).isoformat()


async def test_the_patient_declines_through_the_api_and_the_slot_passes_on(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    doctor = await make_doctor(client)
    first = await join(client, bot_for(FIRST))
    second = await join(client, bot_for(SECOND))
    assert await service.offer_next(session, settings, freed(doctor, at(1, 10)), utcnow())
    await session.commit()  # the refused request below rolls back only its own work
    decline = f"/waitlist/{first['id']}/decline"

    # Another patient's entry does not exist for the bot acting for them.
    assert (await client.post(decline, headers=bot_for(SECOND))).status_code == 404
    declined = await client.post(decline, headers=bot_for(FIRST))

    assert declined.status_code == 200, declined.text
    assert (declined.json()["status"], declined.json()["hold_id"]) == ("waiting", None)
    line = (await client.get("/waitlist", headers=ADMIN)).json()["items"]
    assert [(e["id"], e["status"]) for e in line] == [
        (first["id"], "waiting"),
        (second["id"], "offered"),
    ]
    again = await client.post(decline, headers=bot_for(FIRST))
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert (await client.post("/waitlist/999999/decline", headers=ADMIN)).status_code == 404


async def test_the_admin_list_shows_the_slot_offered_now_and_its_message(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    doctor = await make_doctor(client)
    await join(client, bot_for(FIRST))
    await join(client, bot_for(SECOND))
    offer = await service.offer_next(session, settings, freed(doctor, at(1, 10)), utcnow())
    assert offer is not None
    assert offer.entry.offer is not None
    assert offer.entry.offer.sent_at is None

    line = (await client.get("/waitlist", headers=ADMIN)).json()["items"]

    assert line[0]["offer"] == {
        "doctor_id": doctor["id"],
        "start": at(1, 10).isoformat(),
        "end": at(1, 10, 30).isoformat(),
        "expires_at": offer.hold.expires_at.isoformat(),
        "sent_at": None,
        "send_failure": None,
    }
    assert line[1]["offer"] is None  # still waiting
    await expire(session, offer.hold.id)
    lapsed = (await client.get("/waitlist", headers=ADMIN)).json()["items"]
    assert lapsed[0]["offer"] is None  # the hold is gone: nothing is offered now
