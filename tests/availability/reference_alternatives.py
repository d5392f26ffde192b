"""The alternatives as the 409 found them before the gap search, kept as the tests' reference:
every doctor's bookings read window by window, free slots generated and merged in Python."""

from datetime import datetime
from itertools import islice

from clinic.availability.repository import DoctorInfo
from clinic.availability.schemas import SlotRead
from clinic.availability.service import SlotQuery, _slot_read, _windows
from clinic.core.driver import Executor
from clinic.core.settings import Settings


async def reference_alternatives(
    session: Executor,
    settings: Settings,
    doctor: DoctorInfo,
    wished: datetime,
    now: datetime,
    per_group: int,
) -> list[SlotRead]:
    query = SlotQuery(specialty=doctor.specialty_code, start=wished)
    same: list[SlotRead] = []
    colleagues: list[SlotRead] = []
    async for window in _windows(session, settings, query, now):
        names = {d.id: d for d in window.data.doctors}
        if doctor.id in names:
            wanted = per_group - len(same)
            same.extend(_slot_read(doctor, s) for s in islice(window.free(doctor), wanted))
        others = [d for d in window.data.doctors if d.id != doctor.id]
        wanted = per_group - len(colleagues)
        colleagues.extend(
            _slot_read(names[s.doctor_id], s) for s in islice(window.merged(others), wanted)
        )
        if len(same) >= per_group and len(colleagues) >= per_group:
            break
    return [*same, *colleagues]
