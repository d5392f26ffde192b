"""Doctor-days a process has read, kept for the next booking of the same doctor and day.

A booking needs the doctor and their hours that day before it can check its rules; reading
them is a round trip of its own. Kept here with the schedule version they were read with
(`schedule_version`, migration 0009), they let the next booking check its rules at once and
send one statement, which books only if that version is still current: a schedule changed in
between fails that check, and the booking reads afresh. Only reads of committed data may be
kept (the hot routes' autocommit connections): a version seen inside a transaction that later
rolls back could come back with other hours.
"""

from dataclasses import dataclass
from datetime import date

from clinic.availability.repository import DoctorInfo
from clinic.scheduling.slots import DoctorSchedule

# A clinic's doctors times the days open for booking, with room to spare; past it the
# earliest kept day is dropped first.
MAX_KEPT = 8192


@dataclass(frozen=True)
class KnownDay:
    doctor: DoctorInfo
    schedule: DoctorSchedule  # the doctor's hours on that day
    version: int  # schedule_version when they were read


class KnownDays:
    def __init__(self, max_kept: int = MAX_KEPT) -> None:
        self.max_kept = max_kept
        self._days: dict[tuple[int, date], KnownDay] = {}

    def get(self, doctor_id: int, day: date) -> KnownDay | None:
        return self._days.get((doctor_id, day))

    def keep(self, doctor_id: int, day: date, known: KnownDay) -> None:
        key = (doctor_id, day)
        if key not in self._days and len(self._days) >= self.max_kept:
            del self._days[next(iter(self._days))]
        self._days[key] = known

    def forget_all(self) -> None:
        """The schedule changed: every kept day may be out of date (the version is global)."""
        self._days.clear()
