"""The queue of openings (`waitlist_opening`), written by triggers and emptied by the worker.

A claim deletes rows `FOR UPDATE SKIP LOCKED` inside the caller's transaction: the rows are
gone for good when that transaction (the one that makes the offers) commits, and back in
the queue if it rolls back; a row another worker is handling is passed over, not waited for.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_CLAIM_NEXT = text(
    "DELETE FROM waitlist_opening WHERE id = ("
    "SELECT id FROM waitlist_opening WHERE id > :after ORDER BY id LIMIT 1 "
    "FOR UPDATE SKIP LOCKED) "
    "RETURNING id, doctor_id, first_day, last_day, start_time, end_time"
)
# The same doctor's other queued days (a week of hours is several rows): one pass for all.
_CLAIM_SAME_DOCTOR = text(
    "DELETE FROM waitlist_opening WHERE id IN ("
    "SELECT id FROM waitlist_opening WHERE start_time IS NULL "
    "AND doctor_id IS NOT DISTINCT FROM :doctor_id FOR UPDATE SKIP LOCKED) "
    "RETURNING first_day, last_day"
)


@dataclass(frozen=True)
class Claimed:
    """A queue row taken: a freed slot (`start` and `end` set), or days that may have opened:
    (first, last) ranges, None unbounded on that side."""

    id: int
    doctor_id: int | None
    days: tuple[tuple[date | None, date | None], ...]
    start: datetime | None
    end: datetime | None


async def claim_next(session: AsyncSession, after: int) -> Claimed | None:
    """The oldest row after `after` that no other transaction holds, deleted; days that may
    have opened come with the same doctor's other queued days."""
    row = (await session.execute(_CLAIM_NEXT, {"after": after})).mappings().first()
    if row is None:
        return None
    days = {(row["first_day"], row["last_day"])}
    if row["start_time"] is None:
        more = await session.execute(_CLAIM_SAME_DOCTOR, {"doctor_id": row["doctor_id"]})
        days.update((first, last) for first, last in more)
    ordered = tuple(sorted(days, key=lambda d: (d[0] or date.min, d[1] or date.max)))
    return Claimed(row["id"], row["doctor_id"], ordered, row["start_time"], row["end_time"])
