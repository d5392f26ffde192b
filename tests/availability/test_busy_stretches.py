"""The slot search reads each doctor's taken time as busy stretches: active bookings and live
holds in the window, touching ones joined into one stretch (availability.repository)."""

from datetime import datetime, timedelta

from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.availability.repository import load_search
from tests.factories import at, clinic_today, make_doctor

BOOK = text(
    "INSERT INTO appointment (doctor_id, patient_name, start_time, end_time, status, source) "
    "VALUES (:doctor, 'Пациент', :start, :end, :status, 'api')"
)
HOLD = text(
    "INSERT INTO hold (doctor_id, start_time, end_time, expires_at) "
    "VALUES (:doctor, :start, :end, now() + :expires)"
)


async def _busy(session: AsyncSession, doctor_id: int) -> list[tuple[datetime, datetime]]:
    day = clinic_today() + timedelta(days=1)
    data = await load_search(
        session,
        doctor_id=doctor_id,
        first_day=day,
        last_day=day,
        start=at(1, 0),
        end=at(1, 23, 59),
    )
    return data.busy.get(doctor_id, [])


async def test_touching_bookings_and_holds_are_one_stretch(
    client: AsyncClient, session: AsyncSession
) -> None:
    doctor = (await make_doctor(client))["id"]
    for start, end, status in (
        (at(1, 9), at(1, 9, 30), "scheduled"),
        (at(1, 9, 30), at(1, 10), "completed"),
        (at(1, 11), at(1, 11, 30), "scheduled"),
        (at(1, 13), at(1, 13, 30), "cancelled"),  # not taken
        (at(1, 15), at(1, 15, 30), "scheduled"),
    ):
        await session.execute(
            BOOK, {"doctor": doctor, "start": start, "end": end, "status": status}
        )
    for start, end, expires in (
        (at(1, 10), at(1, 10, 30), timedelta(minutes=10)),  # live, touching the 09:30 visit
        (at(1, 12), at(1, 12, 30), timedelta(minutes=-1)),  # expired: not taken
        (at(1, 15, 30), at(1, 16), timedelta(minutes=10)),  # live, touching the 15:00 visit
    ):
        await session.execute(
            HOLD, {"doctor": doctor, "start": start, "end": end, "expires": expires}
        )

    assert await _busy(session, doctor) == [
        (at(1, 9), at(1, 10, 30)),
        (at(1, 11), at(1, 11, 30)),
        (at(1, 15), at(1, 16)),
    ]


async def test_a_doctor_without_bookings_has_no_stretches(
    client: AsyncClient, session: AsyncSession
) -> None:
    doctor = (await make_doctor(client))["id"]

    assert await _busy(session, doctor) == []
