"""Clinic time: naive datetimes mean the clinic's wall clock; everything shown carries an offset."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC)


def in_zone(moment: datetime, tz: ZoneInfo) -> datetime:
    """An aware datetime in `tz`; a naive one is read as wall-clock time in `tz`.

    A naive time skipped by a DST jump is refused rather than silently shifted by an hour.
    """
    if moment.tzinfo is None:
        if not wall_clock_exists(moment.date(), moment.time(), tz):
            raise ValueError("this local time does not exist in the clinic's zone (DST change)")
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


def wall_clock_exists(day: date, at: time, tz: ZoneInfo) -> bool:
    """False for local times skipped by a DST jump (e.g. 02:30 on a spring-forward night)."""
    local = datetime.combine(day, at, tzinfo=tz)
    return local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == local.replace(tzinfo=None)


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants at which a local day starts and the next one starts (23 or 25 h across DST)."""
    return local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)
