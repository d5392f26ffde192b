"""The schedule version moves with every change to what a booking's rules read, whatever
code writes it (migration 0009): a process that kept a doctor-day books on it only while
the version is the one read with it."""

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

SETUP = (
    "INSERT INTO specialty (code, name_ru, name_en) VALUES ('ent', 'ЛОР', 'ENT')",
    "INSERT INTO doctor (full_name, specialty_id, slot_minutes) "
    "SELECT 'Морозов А. О.', id, 30 FROM specialty WHERE code = 'ent'",
)
CHANGES = {
    "specialty": "UPDATE specialty SET name_en = 'Ear, nose, throat' WHERE code = 'ent'",
    "doctor": "UPDATE doctor SET slot_minutes = 20",
    "working_hours": "INSERT INTO working_hours (doctor_id, weekday, start_time, end_time) "
    "SELECT id, 0, '09:00', '13:00' FROM doctor",
    "schedule_exception": "INSERT INTO schedule_exception (doctor_id, on_date) "
    "SELECT id, '2031-03-03' FROM doctor",
    "closed_date": "INSERT INTO closed_date (on_date) VALUES ('2031-03-08')",
    "doctor deleted": "DELETE FROM doctor",
}


async def _version(session: AsyncSession) -> int:
    return int((await session.execute(text("SELECT version FROM schedule_version"))).scalar_one())


@pytest.mark.parametrize("change", sorted(CHANGES))
async def test_a_change_to_the_schedule_moves_the_version(
    session: AsyncSession, change: str
) -> None:
    for statement in SETUP:
        await session.execute(text(statement))
    before = await _version(session)

    await session.execute(text(CHANGES[change]))

    assert await _version(session) > before


async def test_bookings_leave_the_version_alone(session: AsyncSession) -> None:
    for statement in SETUP:
        await session.execute(text(statement))
    before = await _version(session)

    await session.execute(
        text(
            "INSERT INTO appointment (doctor_id, patient_name, start_time, end_time, status, "
            "source) SELECT id, 'X', '2031-03-03 10:00+03', '2031-03-03 10:30+03', "
            "'scheduled', 'api' FROM doctor"
        )
    )

    assert await _version(session) == before


async def test_the_version_is_one_row(session: AsyncSession) -> None:
    rows = (await session.execute(text("SELECT count(*) FROM schedule_version"))).scalar_one()
    assert rows == 1
