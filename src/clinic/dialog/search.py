"""Which free slots to propose for a wish: the wished time, else the nearest ones."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from clinic.client import ClinicApi, Slot
from clinic.dialog.state import Wish

PROPOSALS = 3
# When some doctors are excluded, ask for more and filter, so three others remain.
_WIDE_LIMIT = 40


@dataclass(frozen=True)
class Found:
    slots: list[Slot]
    header: str  # a text key: how the slots relate to the wish


@dataclass(frozen=True)
class Target:
    specialty: str | None
    doctor_id: int | None
    excluded: frozenset[int] = frozenset()


async def _query(
    api: ClinicApi,
    target: Target,
    start: datetime | None,
    end: datetime | None = None,
    time_from: time | None = None,
    time_to: time | None = None,
) -> list[Slot]:
    slots = await api.free_slots(
        specialty=None if target.doctor_id else target.specialty,
        doctor_id=target.doctor_id,
        start=start,
        end=end,
        time_from=time_from,
        time_to=time_to,
        limit=_WIDE_LIMIT if target.excluded else PROPOSALS,
    )
    return [s for s in slots if s.doctor_id not in target.excluded][:PROPOSALS]


async def for_wish(
    api: ClinicApi, target: Target, wish: Wish, tz: ZoneInfo, now: datetime
) -> Found:
    """Slots inside the wish; if none, the nearest after it, relaxing dates, then times."""
    start = datetime.combine(wish.date_from, time(0), tz) if wish.date_from else None
    end = datetime.combine(wish.date_to, time(23, 59), tz) if wish.date_to else None
    slots = await _query(api, target, start, end, wish.time_from, wish.time_to)
    if slots:
        return Found(slots, "wished_free" if wish.exact_time else "in_window")
    if wish.exact_time and wish.time_from is not None:
        # The exact wish is taken: the nearest times from the wished moment on.
        day = wish.date_from or now.astimezone(tz).date()
        slots = await _query(api, target, datetime.combine(day, wish.time_from, tz))
        return Found(slots, "wished_taken")
    if end is not None:
        slots = await _query(api, target, start, None, wish.time_from, wish.time_to)
        if slots:
            return Found(slots, "outside_window")
    if wish.time_from is not None or wish.time_to is not None:
        slots = await _query(api, target, start)
    return Found(slots, "outside_window")


async def after(api: ClinicApi, target: Target, wish: Wish, moment: datetime) -> Found:
    """The next free slots after `moment` ("another time"), keeping the wished hours if any."""
    start = moment + timedelta(minutes=1)
    slots = await _query(api, target, start, None, wish.time_from, wish.time_to)
    if not slots and (wish.time_from is not None or wish.time_to is not None):
        slots = await _query(api, target, start)
    return Found(slots, "later_offers")
