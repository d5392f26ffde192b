"""Hold queries. Placing a hold is one statement: `slot_claimable` takes the doctor's lock for
the day and checks active holds and bookings after it, so of many concurrent holds (and
bookings) for one slot exactly one gets it."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

Record = dict[str, Any]

_COLUMNS = (
    "id, doctor_id, start_time, end_time, patient_telegram_id, expires_at, "
    "expires_at > statement_timestamp() AS active"
)

_PLACE = text(
    "INSERT INTO hold (doctor_id, start_time, end_time, patient_telegram_id, expires_at) "
    "SELECT :doctor_id, :start_time, :end_time, :patient, "
    "statement_timestamp() + make_interval(mins => :minutes) "
    "WHERE slot_claimable(:doctor_id, :start_time, :end_time, true) "
    f"RETURNING {_COLUMNS}"
)


async def place(
    session: AsyncSession,
    doctor_id: int,
    start: datetime,
    end: datetime,
    patient_telegram_id: int | None,
    minutes: int,
) -> Record | None:
    """The new hold, or None when an active hold or a booking overlaps the slot."""
    parameters = {
        "doctor_id": doctor_id,
        "start_time": start,
        "end_time": end,
        "patient": patient_telegram_id,
        "minutes": minutes,
    }
    row = (await session.execute(_PLACE, parameters)).mappings().first()
    return None if row is None else dict(row)


async def get(session: AsyncSession, hold_id: int, *, lock: bool = False) -> Record | None:
    """The hold, active or expired (`active` says which)."""
    statement = f"SELECT {_COLUMNS} FROM hold WHERE id = :id" + (" FOR UPDATE" if lock else "")
    row = (await session.execute(text(statement), {"id": hold_id})).mappings().first()
    return None if row is None else dict(row)


async def delete(session: AsyncSession, hold_id: int) -> None:
    await session.execute(text("DELETE FROM hold WHERE id = :id"), {"id": hold_id})


async def delete_of_patient(session: AsyncSession, patient_telegram_id: int) -> None:
    """Release every hold of the patient: a patient keeps one slot at a time."""
    await session.execute(
        text("DELETE FROM hold WHERE patient_telegram_id = :patient"),
        {"patient": patient_telegram_id},
    )


async def consume(session: AsyncSession, hold_id: int) -> None:
    """The hold became a booking: a waitlist offer it carried is accepted, and it is gone."""
    await session.execute(
        text(
            "UPDATE waitlist_entry SET status = 'booked', hold_id = NULL "
            "WHERE hold_id = :id AND status = 'offered'"
        ),
        {"id": hold_id},
    )
    await delete(session, hold_id)


async def list_active(
    session: AsyncSession, start: datetime | None = None, end: datetime | None = None
) -> Sequence[Record]:
    """Active holds, earliest slot first, with the doctor's name; optionally of slots starting
    in [start, end)."""
    statement = (
        "SELECT h.id, h.doctor_id, h.start_time, h.end_time, h.patient_telegram_id, "
        "h.expires_at, d.full_name AS doctor_name FROM hold h JOIN doctor d ON d.id = h.doctor_id "
        "WHERE h.expires_at > statement_timestamp() "
        "AND (CAST(:start AS timestamptz) IS NULL OR h.start_time >= :start) "
        "AND (CAST(:end AS timestamptz) IS NULL OR h.start_time < :end) "
        "ORDER BY h.start_time, h.id"
    )
    rows = await session.execute(text(statement), {"start": start, "end": end})
    return [dict(r) for r in rows.mappings()]
