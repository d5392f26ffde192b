"""The day board's data from the availability service: the same booking window as a booking."""

from datetime import timedelta

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.availability.service import BookingWindow, day_board
from clinic.core.errors import RuleViolation
from clinic.core.settings import Settings
from tests.conftest import ADMIN
from tests.factories import at, booking, make_doctor


async def test_free_slots_are_bookable_only_inside_the_booking_window(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    doctor = await make_doctor(client)
    now = at(1, 11, 5)  # tomorrow 11:05: 11:30 is within the 30-minute notice, 12:00 is not

    (day,) = await day_board(session, settings, now.date(), now, doctor_id=doctor["id"])

    bookable = {slot.start: slot.bookable for slot in day.free}
    assert bookable[at(1, 11, 30)] is False
    assert bookable[at(1, 12)] is True
    window = BookingWindow.seen_at(settings, now)
    assert all(slot.bookable == window.admits(slot.start) for slot in day.free)


async def test_a_day_beyond_the_horizon_shows_free_slots_that_cannot_be_booked(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    doctor = await make_doctor(client)
    far = at(settings.booking_horizon_days + 2, 10)

    (day,) = await day_board(session, settings, far.date(), far - timedelta(days=62))

    assert day.doctor.id == doctor["id"]
    assert day.free
    assert not any(slot.bookable for slot in day.free)


async def test_visits_are_listed_and_their_slots_are_not_free(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    doctor = await make_doctor(client)
    made = await client.post(
        "/appointments",
        json=booking(doctor["id"], at(1, 10), patient_name="Анна Визит"),
        headers=ADMIN,
    )
    assert made.status_code == 201, made.text

    (day,) = await day_board(session, settings, at(1, 10).date(), at(0, 0))

    assert [(v.patient_name, v.start_time) for v in day.visits] == [("Анна Визит", at(1, 10))]
    assert at(1, 10) not in [slot.start for slot in day.free]
    assert day.closed is None


async def test_managers_see_active_doctors_and_a_doctor_login_sees_itself_even_inactive(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    active = await make_doctor(client, "therapist", name="Активный")
    resting = await make_doctor(client, "surgeon", name="В отпуске")
    response = await client.patch(
        f"/doctors/{resting['id']}", json={"is_active": False}, headers=ADMIN
    )
    assert response.status_code == 200
    day = at(1, 10).date()

    everyone = await day_board(session, settings, day, at(0, 0))
    own = await day_board(session, settings, day, at(0, 0), doctor_id=resting["id"])

    assert [d.doctor.id for d in everyone] == [active["id"]]
    assert [d.doctor.id for d in own] == [resting["id"]]
    assert not any(slot.bookable for slot in own[0].free)  # not taking bookings


async def test_the_board_of_one_specialty(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    await make_doctor(client, "therapist")
    surgeon = await make_doctor(client, "surgeon")

    days = await day_board(session, settings, at(1, 10).date(), at(0, 0), specialty="surgeon")

    assert [d.doctor.id for d in days] == [surgeon["id"]]
    with pytest.raises(RuleViolation):
        await day_board(session, settings, at(1, 10).date(), at(0, 0), specialty="nobody")


async def test_a_closed_date_closes_every_column(
    client: AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    await make_doctor(client)
    day = at(2, 10).date()
    await client.post("/closed-dates", json={"on_date": day.isoformat()}, headers=ADMIN)

    (doctor_day,) = await day_board(session, settings, day, at(0, 0))

    assert doctor_day.closed == "clinic_closed"
    assert doctor_day.free == []
