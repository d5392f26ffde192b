"""`clinic seed-demo`: fill an empty clinic with the demo specialties, doctors and hours.

Idempotent: specialties are matched by code and doctors by name, so running it again adds
nothing that is already there.
"""

from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.demo.data import DOCTORS, SPECIALTIES, Hours
from clinic.doctors.models import ClosedDate, Doctor, ScheduleException, Specialty, WorkingHours


async def seed_demo(session: AsyncSession, today: date) -> dict[str, int]:
    """Add what is missing of the demo clinic; return how many rows of each kind were added."""
    added = {"specialties": 0, "doctors": 0, "exceptions": 0, "closed_dates": 0}
    specialties = {s.code: s for s in await session.scalars(select(Specialty))}
    for code, name_ru, name_en in SPECIALTIES:
        if code not in specialties:
            specialties[code] = Specialty(code=code, name_ru=name_ru, name_en=name_en)
            session.add(specialties[code])
            added["specialties"] += 1
    await session.flush()

    existing = set(await session.scalars(select(Doctor.full_name)))
    new_doctors: list[tuple[Doctor, Hours]] = []
    for full_name, code, slot_minutes, hours in DOCTORS:
        if full_name not in existing:
            doctor = Doctor(
                full_name=full_name, specialty_id=specialties[code].id, slot_minutes=slot_minutes
            )
            session.add(doctor)
            new_doctors.append((doctor, hours))
    await session.flush()
    for doctor, hours in new_doctors:
        session.add_all(
            WorkingHours(doctor_id=doctor.id, weekday=weekday, start_time=start, end_time=end)
            for weekday, intervals in hours.items()
            for start, end in intervals
        )
    added["doctors"] = len(new_doctors)

    # A few exceptions near today, so a fresh demo shows a day off and a shortened day.
    if len(new_doctors) >= 2:
        (on_leave, _), (short_day, _) = new_doctors[:2]
        session.add(
            ScheduleException(doctor_id=on_leave.id, on_date=_next_weekday(today, 2), note="Отпуск")
        )
        session.add(
            ScheduleException(
                doctor_id=short_day.id,
                on_date=_next_weekday(today, 3),
                start_time=time(15, 0),
                end_time=time(18, 0),
                note="Короткий день",
            )
        )
        added["exceptions"] = 2

    new_year = date(today.year + 1, 1, 1)
    if await session.get(ClosedDate, new_year) is None:
        session.add(ClosedDate(on_date=new_year, note="Новый год"))
        added["closed_dates"] = 1
    await session.flush()
    return added


def _next_weekday(today: date, weekday: int) -> date:
    """The first date after `today` falling on `weekday` (Monday = 0)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


async def run_seed() -> dict[str, int]:
    """Seed the configured database in one transaction."""
    from clinic.core.database import create_engine, database_url
    from clinic.core.settings import get_settings
    from clinic.core.timeutils import utcnow

    settings = get_settings()
    engine = create_engine(database_url(settings))
    try:
        async with AsyncSession(engine) as session, session.begin():
            return await seed_demo(session, utcnow().astimezone(settings.tz).date())
    finally:
        await engine.dispose()
