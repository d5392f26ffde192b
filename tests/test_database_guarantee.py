"""The schema itself refuses double-booking, whatever code writes to it."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

START = datetime.fromisoformat("2031-03-03T10:00:00+03:00")


async def _doctor(session: AsyncSession) -> int:
    await session.execute(
        text("INSERT INTO specialty (code, name_ru, name_en) VALUES ('ent', 'ЛОР', 'ENT')")
    )
    return int(
        (
            await session.execute(
                text(
                    "INSERT INTO doctor (full_name, specialty_id, slot_minutes) "
                    "SELECT 'Морозов А. О.', id, 30 FROM specialty WHERE code = 'ent' RETURNING id"
                )
            )
        ).scalar_one()
    )


async def _insert(
    session: AsyncSession, doctor_id: int, start: datetime, minutes: int, status: str
) -> None:
    await session.execute(
        text(
            "INSERT INTO appointment"
            " (doctor_id, patient_name, start_time, end_time, status, source)"
            " VALUES (:doctor, 'X', :start, :end, :status, 'api')"
        ),
        {
            "doctor": doctor_id,
            "start": start,
            "end": start + timedelta(minutes=minutes),
            "status": status,
        },
    )


async def test_partial_overlap_is_refused_by_the_exclusion_constraint(
    session: AsyncSession,
) -> None:
    doctor = await _doctor(session)
    await _insert(session, doctor, START, 30, "scheduled")
    with pytest.raises(IntegrityError, match="ex_appointment_doctor_time_overlap"):
        async with session.begin_nested():
            await _insert(session, doctor, START + timedelta(minutes=15), 30, "scheduled")


async def test_same_start_is_refused(session: AsyncSession) -> None:
    doctor = await _doctor(session)
    await _insert(session, doctor, START, 30, "scheduled")
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await _insert(session, doctor, START, 30, "completed")


async def test_cancelled_rows_do_not_block_and_adjacent_visits_fit(session: AsyncSession) -> None:
    doctor = await _doctor(session)
    await _insert(session, doctor, START, 30, "cancelled")
    await _insert(session, doctor, START, 30, "scheduled")
    await _insert(session, doctor, START + timedelta(minutes=30), 30, "scheduled")
    count = await session.scalar(text("SELECT count(*) FROM appointment"))
    assert count == 3
