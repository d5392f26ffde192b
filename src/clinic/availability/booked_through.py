"""Stretches of a doctor's time found booked solid, kept for the next refused booking.

A 409 offers the nearest free slots from the wished time, and in a busy clinic the wished
time sits inside days booked solid: reading those bookings again for every refusal cost more
than the refusal itself. A search that reads a doctor's bookings from a moment on and finds
the first slot free of bookings has learnt that no slot starting between the two is free.
Bookings only ever take time, so that stays true until time is given back (an active
appointment cancelled, moved or deleted: the doctor's freed version, migration 0010) or the
schedule changes (schedule_version, 0009). Kept with both versions, the finding lets the next
search of that doctor start past the stretch; the search's statement compares both versions
and starts at the wished time when either moved. Holds are not part of a finding: they lapse
without a trace, so the search reads them every time.

Only a search that reads committed data alone may add findings (the hot lane's autocommit
reads): a stretch seen inside a transaction that later rolls back could be free after all.
"""

from dataclasses import dataclass, field
from datetime import datetime

# Doctors kept, and stretches per doctor; past either cap the oldest is dropped first.
MAX_DOCTORS = 4096
MAX_STRETCHES = 64


@dataclass(frozen=True)
class Skip:
    """Start a doctor's search at `to` instead, provided both versions are still current."""

    doctor_id: int
    to: datetime
    freed_version: int
    schedule_version: int


@dataclass
class _Findings:
    specialty_code: str
    schedule_version: int
    freed_version: int
    # Sorted and disjoint: no slot starting in [start, end) is free of bookings.
    stretches: list[tuple[datetime, datetime]] = field(default_factory=list)


class BookedThrough:
    def __init__(self, max_doctors: int = MAX_DOCTORS) -> None:
        self.max_doctors = max_doctors
        self._doctors: dict[int, _Findings] = {}  # in the order kept, the oldest first
        self._of_specialty: dict[str, set[int]] = {}  # a 409 looks at one specialty only

    def skips(self, specialty_code: str, moment: datetime) -> list[Skip]:
        """For each kept doctor of the specialty booked solid at `moment`, where a search
        from `moment` may start instead; doctors in id order."""
        found = []
        for doctor_id in sorted(self._of_specialty.get(specialty_code, ())):
            findings = self._doctors[doctor_id]
            for start, end in findings.stretches:
                if start <= moment < end:
                    versions = findings.freed_version, findings.schedule_version
                    found.append(Skip(doctor_id, end, *versions))
        return found

    def learn(
        self,
        doctor_id: int,
        specialty_code: str,
        versions: tuple[int, int],
        start: datetime,
        end: datetime,
        now: datetime,
    ) -> None:
        """No slot of the doctor starting in [start, end) is free of bookings, as read at
        `versions` (schedule version, freed version). Findings at older versions are dropped;
        a finding older than the kept ones is ignored; stretches over by `now` are dropped."""
        if start >= end:
            return
        schedule_version, freed_version = versions
        findings = self._doctors.get(doctor_id)
        if findings is not None:
            kept = (findings.schedule_version, findings.freed_version)
            if versions < kept:
                return
            if versions > kept or findings.specialty_code != specialty_code:
                findings = None
        if findings is None:
            if doctor_id in self._doctors:
                self._forget(doctor_id)
            elif len(self._doctors) >= self.max_doctors:
                self._forget(next(iter(self._doctors)))
            findings = _Findings(specialty_code, schedule_version, freed_version)
            self._doctors[doctor_id] = findings
            self._of_specialty.setdefault(specialty_code, set()).add(doctor_id)
        findings.stretches = _merged([*findings.stretches, (start, end)], now)[-MAX_STRETCHES:]

    def _forget(self, doctor_id: int) -> None:
        findings = self._doctors.pop(doctor_id)
        doctors = self._of_specialty[findings.specialty_code]
        doctors.discard(doctor_id)
        if not doctors:
            del self._of_specialty[findings.specialty_code]


def _merged(
    stretches: list[tuple[datetime, datetime]], now: datetime
) -> list[tuple[datetime, datetime]]:
    """Sorted, overlapping and touching stretches joined, those over by `now` dropped."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(stretches):
        if end <= now:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
