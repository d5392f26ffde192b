"""The slot search reads bookings window by window (SEARCH_STEPS); a booking at or around a
window's edge must hide its slot like any other booking (found by an adversarial pass: one
starting exactly at the edge showed as free)."""

from datetime import datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.appointments.models import Appointment
from clinic.availability.service import SEARCH_STEPS, SlotQuery, search_slots
from clinic.core.settings import Settings
from clinic.doctors.models import Doctor, Specialty, WorkingHours

SEARCH_START_DAY = datetime(2030, 3, 4)  # a Monday, far from any DST change in Moscow


async def _doctor(session: AsyncSession, slot_minutes: int) -> int:
    specialty = Specialty(code="boundary", name_ru="Граница", name_en="Boundary")
    session.add(specialty)
    await session.flush()
    doctor = Doctor(full_name="Д", specialty_id=specialty.id, slot_minutes=slot_minutes)
    session.add(doctor)
    await session.flush()
    session.add_all(
        WorkingHours(doctor_id=doctor.id, weekday=day, start_time=time(8), end_time=time(20))
        for day in range(7)
    )
    await session.flush()
    return doctor.id


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    slot_minutes=st.sampled_from([15, 20, 30, 60]),
    step=st.sampled_from(SEARCH_STEPS),
    slots_from_edge=st.integers(-2, 2),
    start_slot=st.integers(0, 8),
    booked_slots=st.integers(1, 3),
)
async def test_bookings_near_a_search_window_edge_are_never_offered(
    session: AsyncSession,
    settings: Settings,
    slot_minutes: int,
    step: timedelta,
    slots_from_edge: int,
    start_slot: int,
    booked_slots: int,
) -> None:
    length = timedelta(minutes=slot_minutes)
    search_start = (SEARCH_START_DAY + timedelta(hours=9) + start_slot * length).replace(
        tzinfo=settings.tz
    )
    booked_start = search_start + step + slots_from_edge * length
    booked_end = booked_start + booked_slots * length
    now = search_start - timedelta(days=1)

    async with session.begin_nested() as savepoint:
        doctor_id = await _doctor(session, slot_minutes)
        await session.execute(
            insert(Appointment).values(
                doctor_id=doctor_id,
                patient_name="x",
                start_time=booked_start,
                end_time=booked_end,
                status="scheduled",
                source="api",
            )
        )
        found = await search_slots(
            session,
            settings,
            SlotQuery(
                doctor_id=doctor_id,
                start=search_start,
                end=booked_end + timedelta(days=1),
                limit=5000,
            ),
            now,
        )
        await savepoint.rollback()

    starts = [slot.start for slot in found]
    assert starts, "the search found nothing at all"
    overlapping = [s for s in found if s.start < booked_end and booked_start < s.end]
    assert overlapping == []
    # The slots right before and after the booking are still offered (when within hours).
    closing = booked_end.replace(hour=20, minute=0)
    assert booked_end in starts or booked_end + length > closing
