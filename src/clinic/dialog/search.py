"""Which free slots to propose: inside the patient's window first, then the nearest after it.

Days the patient refused ("not that day", "another day") are skipped by asking the API for
the allowed stretches of days one after another, so a refused day full of free slots never
crowds out the days that suit.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
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
    """Whose slots: a specialty or one doctor, minus excluded doctors and days."""

    specialty: str | None
    doctor_id: int | None
    excluded: frozenset[int] = frozenset()
    excluded_days: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Search:
    api: ClinicApi
    tz: ZoneInfo
    now: datetime

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()

    def _start(self, day: date) -> datetime:
        return datetime.combine(day, time(0), self.tz)

    def _end(self, day: date) -> datetime:
        return datetime.combine(day, time(23, 59), self.tz)

    async def _query(
        self,
        target: Target,
        start: datetime | None,
        end: datetime | None = None,
        time_from: time | None = None,
        time_to: time | None = None,
    ) -> list[Slot]:
        """Free slots in [start, end], skipping excluded days, earliest first."""
        first_day = (start or self.now).astimezone(self.tz).date()
        last_day = end.astimezone(self.tz).date() if end is not None else None
        found: list[Slot] = []
        for span_start, span_end in _allowed_spans(first_day, last_day, target.excluded_days):
            lower: datetime | None = self._start(span_start)
            if start is not None:
                lower = max(start, self._start(span_start))
            elif span_start == first_day:
                lower = None  # from now on: the API applies the minimum notice itself
            upper = self._end(span_end) if span_end is not None else None
            if end is not None and (upper is None or end < upper):
                upper = end
            slots = await self.api.free_slots(
                specialty=None if target.doctor_id else target.specialty,
                doctor_id=target.doctor_id,
                start=lower,
                end=upper,
                time_from=time_from,
                time_to=time_to,
                limit=_WIDE_LIMIT if target.excluded else PROPOSALS,
            )
            found += [
                s
                for s in slots
                if s.doctor_id not in target.excluded
                and s.start.astimezone(self.tz).date() not in target.excluded_days
            ]
            if len(found) >= PROPOSALS:
                break
        return found[:PROPOSALS]

    async def for_wish(self, target: Target, wish: Wish) -> Found:
        """Slots inside the wish; if none, the nearest after it, relaxing dates, then times."""
        start = self._start(wish.date_from) if wish.date_from else None
        end = self._end(wish.date_to) if wish.date_to else None
        slots = await self._query(target, start, end, wish.time_from, wish.time_to)
        if slots:
            return Found(slots, "wished_free" if wish.exact_time else "in_window")
        if wish.exact_time and wish.time_from is not None:
            # The exact wish is taken: the nearest times from the wished moment on.
            day = wish.date_from or self.today
            moment = datetime.combine(day, wish.time_from, self.tz)
            slots = await self._query(target, moment, end)
            if not slots:
                slots = await self._query(target, moment)
            return Found(slots, "wished_taken")
        if end is not None:
            slots = await self._query(target, start, None, wish.time_from, wish.time_to)
            if slots:
                return Found(slots, "outside_window")
        if wish.has_times:
            slots = await self._query(target, start)
        return Found(slots, "outside_window")

    async def later(
        self, target: Target, wish: Wish, after: datetime, *, part: Wish | None = None
    ) -> Found:
        """Later than `after`: the same day first, then the rest of the window, then beyond.
        An exact wished time no longer binds: "later" is later than that. A `part` of the day
        said with it ("later, in the evening") binds every step, and is let go only when
        nothing is free in it at all."""
        moment = after + timedelta(minutes=1)
        hours = (part.time_from, part.time_to) if part is not None else (None, None)
        same_day_end = self._end(after.astimezone(self.tz).date())
        slots = await self._query(target, moment, same_day_end, *hours)
        if slots:
            return Found(slots, "later_offers")
        end = self._end(wish.date_to) if wish.date_to else None
        time_from, time_to = (None, None) if wish.exact_time else (wish.time_from, wish.time_to)
        if part is not None:
            time_from, time_to = hours
        if end is None or end > moment:
            slots = await self._query(target, moment, end, time_from, time_to)
            if slots:
                return Found(slots, "later_offers")
        if part is not None:
            slots = await self._query(target, moment, None, *hours)
            if slots:
                return Found(slots, "later_outside" if end is not None else "later_offers")
        slots = await self._query(target, moment)
        return Found(slots, "later_outside" if end is not None else "later_offers")

    async def earlier(
        self, target: Target, wish: Wish, before: datetime, *, part: Wish | None = None
    ) -> Found:
        """Earlier than `before`: the same day first, then from the window's start (or now);
        inside the `part` of the day said with it, if one was."""
        hours = (part.time_from, part.time_to) if part is not None else (None, None)
        until = before - timedelta(minutes=1)
        day = before.astimezone(self.tz).date()
        slots = await self._query(target, max(self._start(day), self.now), until, *hours)
        if not slots:
            start = self._start(wish.date_from) if wish.date_from else None
            slots = await self._query(target, start, until, *hours)
        return Found(slots, "earlier_offers")


def _allowed_spans(
    first: date, last: date | None, excluded: frozenset[date]
) -> list[tuple[date, date | None]]:
    """[first, last] cut around excluded days into stretches; None is open-ended."""
    cuts = sorted(d for d in excluded if d >= first and (last is None or d <= last))
    spans: list[tuple[date, date | None]] = []
    current = first
    for day in cuts:
        if day > current:
            spans.append((current, day - timedelta(days=1)))
        current = day + timedelta(days=1)
    if last is None:
        spans.append((current, None))
    elif current <= last:
        spans.append((current, last))
    return spans
