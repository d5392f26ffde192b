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
    """A queue row taken: a freed slot (`start` and `end` set), or days that may have opened
    (None days: unbounded on that side)."""

    id: int
    doctor_id: int | None
    first_day: date | None
    last_day: date | None
    start: datetime | None
    end: datetime | None


async def claim_next(session: AsyncSession, after: int) -> Claimed | None:
    """The oldest row after `after` that no other transaction holds, deleted; with the days
    of the same doctor's other queued rows merged into it (their span)."""
    row = (await session.execute(_CLAIM_NEXT, {"after": after})).mappings().first()
    if row is None:
        return None
    first, last = row["first_day"], row["last_day"]
    if row["start_time"] is None:
        more = await session.execute(_CLAIM_SAME_DOCTOR, {"doctor_id": row["doctor_id"]})
        for other_first, other_last in more:
            first = None if first is None or other_first is None else min(first, other_first)
            last = None if last is None or other_last is None else max(last, other_last)
    return Claimed(row["id"], row["doctor_id"], first, last, row["start_time"], row["end_time"])
