"""A doctor's freed version moves with every change that gives booked time back, whatever
code writes it (migration 0010), and with nothing else: a stretch found booked solid is
skipped by the 409's search only while this version is the one it was found at."""

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

SETUP = (
    "INSERT INTO specialty (code, name_ru, name_en) VALUES ('ent', 'ЛОР', 'ENT')",
    "INSERT INTO doctor (full_name, specialty_id, slot_minutes) "
    "SELECT name, id, 30 FROM specialty, (VALUES ('Морозов А. О.'), ('Белова И. С.')) d(name) "
    "WHERE code = 'ent'",
    # One active visit and one cancelled one, of the first doctor.
    "INSERT INTO appointment (doctor_id, patient_name, start_time, end_time, status, source) "
    "SELECT min(id), 'X', '2031-03-03 10:00+03', '2031-03-03 10:30+03', 'scheduled', 'api' "
    "FROM doctor",
    "INSERT INTO appointment (doctor_id, patient_name, start_time, end_time, status, source) "
    "SELECT min(id), 'Y', '2031-03-03 11:00+03', '2031-03-03 11:30+03', 'cancelled', 'api' "
    "FROM doctor",
)
ACTIVE = "patient_name = 'X'"
GIVES_TIME_BACK = {
    "cancelled": f"UPDATE appointment SET status = 'cancelled' WHERE {ACTIVE}",
    "moved": "UPDATE appointment SET start_time = start_time + interval '1 hour', "
    f"end_time = end_time + interval '1 hour' WHERE {ACTIVE}",
    "shortened": "UPDATE appointment SET end_time = end_time - interval '10 minutes' "
    f"WHERE {ACTIVE}",
    "given to another doctor": "UPDATE appointment SET doctor_id = (SELECT max(id) FROM doctor) "
    f"WHERE {ACTIVE}",
    "deleted": f"DELETE FROM appointment WHERE {ACTIVE}",
}
TAKES_NOTHING_BACK = {
    "booked": "INSERT INTO appointment (doctor_id, patient_name, start_time, end_time, status, "
    "source) SELECT min(id), 'Z', '2031-03-04 10:00+03', '2031-03-04 10:30+03', 'scheduled', "
    "'api' FROM doctor",
    "completed": f"UPDATE appointment SET status = 'completed' WHERE {ACTIVE}",
    "confirmed": f"UPDATE appointment SET confirmed_at = now() WHERE {ACTIVE}",
    "renamed": f"UPDATE appointment SET patient_name = 'X2' WHERE {ACTIVE}",
    "a cancelled one moved": "UPDATE appointment SET start_time = start_time + interval '1 day', "
    "end_time = end_time + interval '1 day' WHERE patient_name = 'Y'",
    "a cancelled one deleted": "DELETE FROM appointment WHERE patient_name = 'Y'",
}


async def _versions(session: AsyncSession) -> list[int]:
    """Each doctor's freed version, in id order (0 without a row)."""
    rows = await session.execute(
        text(
            "SELECT coalesce(f.version, 0) FROM doctor d "
            "LEFT JOIN freed_version f ON f.doctor_id = d.id ORDER BY d.id"
        )
    )
    return [int(v) for v in rows.scalars()]


async def _set_up(session: AsyncSession) -> None:
    for statement in SETUP:
        await session.execute(text(statement))


@pytest.mark.parametrize("change", sorted(GIVES_TIME_BACK))
async def test_time_given_back_moves_the_doctors_version(
    session: AsyncSession, change: str
) -> None:
    await _set_up(session)
    first, second = await _versions(session)

    await session.execute(text(GIVES_TIME_BACK[change]))

    after_first, after_second = await _versions(session)
    assert after_first > first  # the doctor whose time was freed
    assert after_second == second  # a visit given to a colleague takes their time


@pytest.mark.parametrize("change", sorted(TAKES_NOTHING_BACK))
async def test_changes_that_free_nothing_leave_the_versions_alone(
    session: AsyncSession, change: str
) -> None:
    await _set_up(session)
    before = await _versions(session)

    await session.execute(text(TAKES_NOTHING_BACK[change]))

    assert await _versions(session) == before


async def test_truncating_the_appointments_moves_every_doctors_version(
    session: AsyncSession,
) -> None:
    await _set_up(session)
    before = await _versions(session)

    await session.execute(text("TRUNCATE appointment CASCADE"))

    after = await _versions(session)
    assert all(a > b for a, b in zip(after, before, strict=True))
