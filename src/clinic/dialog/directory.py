"""The clinic's specialties and doctors, fetched through the API and kept a few minutes."""

import time as clock_time

from clinic.client import ClinicApi, Doctor, Specialty
from clinic.dialog.events import Lang

TTL_SECONDS = 300.0


class Directory:
    """Specialties and doctors change rarely; caching them spares two requests a message."""

    def __init__(self, api: ClinicApi) -> None:
        self.api = api
        self.specialties: list[Specialty] = []
        self.doctors: list[Doctor] = []
        self._at = 0.0

    async def refresh(self) -> None:
        if not self.specialties or clock_time.monotonic() - self._at > TTL_SECONDS:
            self.specialties = await self.api.specialties()
            self.doctors = await self.api.doctors()
            self._at = clock_time.monotonic()

    def specialty(self, code: str | None) -> Specialty | None:
        return next((s for s in self.specialties if s.code == code), None)

    def doctor(self, doctor_id: int | None) -> Doctor | None:
        return next((d for d in self.doctors if d.id == doctor_id), None)

    def specialty_name(self, code: str | None, lang: Lang) -> str:
        found = self.specialty(code)
        if found is None:
            return code or ""
        return found.name_en if lang == "en" else found.name_ru
