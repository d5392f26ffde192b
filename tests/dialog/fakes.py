"""An in-memory clinic API for the dialog tests: the same Protocol, no network."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from clinic.client import (
    ApiUnavailable,
    Appointment,
    Doctor,
    FieldError,
    Hold,
    NotFoundError,
    RequestRejected,
    Slot,
    SlotTakenError,
    Specialty,
    WaitlistEntry,
)

TZ = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=TZ)  # a Friday noon

SPECIALTIES = [
    Specialty(id=1, code="therapist", name_ru="Терапевт", name_en="General practitioner"),
    Specialty(id=2, code="dentist", name_ru="Стоматолог", name_en="Dentist"),
    Specialty(id=3, code="cardiologist", name_ru="Кардиолог", name_en="Cardiologist"),
    Specialty(id=4, code="ent", name_ru="ЛОР", name_en="ENT specialist"),
]
DOCTORS = [
    Doctor(id=1, full_name="Иванова Мария Сергеевна", specialty=SPECIALTIES[0], slot_minutes=60,
           is_active=True),
    Doctor(id=2, full_name="Смирнов Алексей Петрович", specialty=SPECIALTIES[0], slot_minutes=60,
           is_active=True),
    Doctor(id=3, full_name="Новиков Сергей Владимирович", specialty=SPECIALTIES[1],
           slot_minutes=60, is_active=True),
    Doctor(id=4, full_name="Федорова Татьяна Александровна", specialty=SPECIALTIES[1],
           slot_minutes=60, is_active=True),
    Doctor(id=5, full_name="Попов Дмитрий Андреевич", specialty=SPECIALTIES[2], slot_minutes=60,
           is_active=True),
]  # fmt: skip


def _schedule() -> list[Slot]:
    """Weekdays 09:00-18:00, hourly, for two weeks; doctor 4 only from 14:00."""
    slots = []
    day = NOW.date()
    for offset in range(14):
        current = day + timedelta(days=offset)
        if current.weekday() >= 5:
            continue
        for hour in range(9, 18):
            for doctor in DOCTORS:
                if doctor.id == 4 and hour < 14:
                    continue
                start = datetime.combine(current, time(hour), TZ)
                slots.append(
                    Slot(
                        doctor_id=doctor.id,
                        doctor_name=doctor.full_name,
                        specialty=doctor.specialty.code,
                        start=start,
                        end=start + timedelta(hours=1),
                    )
                )
    return sorted(slots, key=lambda s: (s.start, s.doctor_id))


@dataclass
class FakeApi:
    slots: list[Slot] = field(default_factory=_schedule)
    appointments: dict[int, Appointment] = field(default_factory=dict)
    keys: dict[str, int] = field(default_factory=dict)
    book_calls: list[dict[str, object]] = field(default_factory=list)
    taken: set[tuple[int, datetime]] = field(default_factory=set)  # 409 on booking these
    holds: list[Hold] = field(default_factory=list)
    waitlist: list[dict[str, object]] = field(default_factory=list)
    reject_phone: bool = False
    down: bool = False

    def _check(self) -> None:
        if self.down:
            raise ApiUnavailable("ConnectError")

    def free(self) -> list[Slot]:
        busy = {(a.doctor_id, a.start_time) for a in self.appointments.values()
                if a.status == "scheduled"} | self.taken  # fmt: skip
        return [s for s in self.slots if (s.doctor_id, s.start) not in busy and s.start > NOW]

    async def specialties(self) -> list[Specialty]:
        self._check()
        return list(SPECIALTIES)

    async def doctor(self, doctor_id: int) -> Doctor:
        self._check()
        return next(d for d in DOCTORS if d.id == doctor_id)

    async def doctors(self, specialty: str | None = None) -> list[Doctor]:
        self._check()
        return [d for d in DOCTORS if specialty is None or d.specialty.code == specialty]

    async def free_slots(
        self,
        *,
        specialty: str | None = None,
        doctor_id: int | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        time_from: time | None = None,
        time_to: time | None = None,
        limit: int = 3,
    ) -> list[Slot]:
        self._check()
        found = []
        for slot in self.free():
            local = slot.start.astimezone(TZ).time()
            if (
                (specialty is None or slot.specialty == specialty)
                and (doctor_id is None or slot.doctor_id == doctor_id)
                and (start is None or slot.start >= start)
                and (end is None or slot.start <= end)
                and (time_from is None or local >= time_from)
                and (time_to is None or local <= time_to)
            ):
                found.append(slot)
        return found[:limit]

    async def book(
        self,
        *,
        doctor_id: int,
        start: datetime,
        patient_name: str,
        idempotency_key: str,
        patient_phone: str | None = None,
        patient_telegram_id: int | None = None,
        reason: str | None = None,
        hold_id: int | None = None,
        patient_language: str | None = None,
    ) -> Appointment:
        self._check()
        self.book_calls.append(
            {"doctor_id": doctor_id, "start": start, "name": patient_name,
             "phone": patient_phone, "telegram_id": patient_telegram_id,
             "key": idempotency_key, "reason": reason, "hold_id": hold_id}
        )  # fmt: skip
        if idempotency_key in self.keys:
            return self.appointments[self.keys[idempotency_key]]
        if self.reject_phone and patient_phone:
            raise RequestRejected(
                "bad phone", [FieldError(field="patient_phone", rule="value_error", detail="no")]
            )
        if (doctor_id, start) in self.taken or not any(
            s.doctor_id == doctor_id and s.start == start for s in self.free()
        ):
            alternatives = [s for s in self.free() if s.start >= start][:6]
            raise SlotTakenError("taken", alternatives)
        appointment = Appointment(
            id=len(self.appointments) + 101,
            doctor_id=doctor_id,
            patient_name=patient_name,
            patient_phone=patient_phone,
            patient_telegram_id=patient_telegram_id,
            start_time=start,
            end_time=start + timedelta(hours=1),
            status="scheduled",
            source="bot",
        )
        self.appointments[appointment.id] = appointment
        self.keys[idempotency_key] = appointment.id
        return appointment

    async def hold(
        self, *, doctor_id: int, start: datetime, patient_telegram_id: int | None = None
    ) -> Hold:
        """Holds as the API places them: a slot not free is SlotTakenError with alternatives.
        (The fake serves one patient, so a held slot stays listed.)"""
        self._check()
        if (doctor_id, start) in self.taken or not any(
            s.doctor_id == doctor_id and s.start == start for s in self.free()
        ):
            raise SlotTakenError("taken", [s for s in self.free() if s.start >= start][:6])
        held = Hold(
            id=len(self.holds) + 1,
            doctor_id=doctor_id,
            start=start,
            end=start + timedelta(hours=1),
            expires_at=NOW + timedelta(minutes=10),
        )
        self.holds.append(held)
        return held

    async def join_waitlist(
        self,
        *,
        specialty: str | None,
        doctor_id: int | None,
        first_day: date,
        last_day: date,
        time_from: time | None,
        time_to: time | None,
        patient_name: str,
        patient_phone: str | None,
        patient_telegram_id: int,
    ) -> WaitlistEntry:
        self._check()
        self.waitlist.append(
            {"specialty": specialty, "doctor_id": doctor_id, "first_day": first_day,
             "last_day": last_day, "time_from": time_from, "time_to": time_to,
             "name": patient_name, "telegram_id": patient_telegram_id}
        )  # fmt: skip
        return WaitlistEntry(
            id=len(self.waitlist),
            specialty=specialty,
            doctor_id=doctor_id,
            first_day=first_day,
            last_day=last_day,
            status="waiting",
        )

    async def waitlist_entry(
        self, entry_id: int, *, patient_telegram_id: int
    ) -> WaitlistEntry | None:
        self._check()
        return None  # offers are made by the worker, against the real API (tests/bot)

    async def decline_offer(self, entry_id: int, *, patient_telegram_id: int) -> WaitlistEntry:
        self._check()
        raise NotFoundError("no offer")

    async def appointments_of(
        self, telegram_id: int, *, start: datetime | None = None
    ) -> list[Appointment]:
        self._check()
        return [
            a
            for a in self.appointments.values()
            if a.patient_telegram_id == telegram_id and a.status == "scheduled"
        ]

    async def get_appointment(
        self, appointment_id: int, *, patient_telegram_id: int | None = None
    ) -> Appointment:
        self._check()
        found = self.appointments.get(appointment_id)
        # Like the API: acting for a patient, another patient's appointment does not exist.
        if found is None or patient_telegram_id not in (None, found.patient_telegram_id):
            raise NotFoundError("no")
        return found

    async def cancel(
        self,
        appointment_id: int,
        reason: str | None = None,
        *,
        patient_telegram_id: int | None = None,
    ) -> Appointment:
        current = await self.get_appointment(
            appointment_id, patient_telegram_id=patient_telegram_id
        )
        cancelled = current.model_copy(update={"status": "cancelled"})
        self.appointments[appointment_id] = cancelled
        return cancelled

    async def confirm(
        self, appointment_id: int, *, patient_telegram_id: int | None = None
    ) -> Appointment:
        current = await self.get_appointment(
            appointment_id, patient_telegram_id=patient_telegram_id
        )
        confirmed = current.model_copy(update={"confirmed_at": current.confirmed_at or NOW})
        self.appointments[appointment_id] = confirmed
        return confirmed

    async def reschedule(
        self,
        appointment_id: int,
        *,
        start: datetime,
        doctor_id: int | None = None,
        patient_telegram_id: int | None = None,
    ) -> Appointment:
        self._check()
        current = await self.get_appointment(
            appointment_id, patient_telegram_id=patient_telegram_id
        )
        doctor = doctor_id or current.doctor_id
        if not any(s.doctor_id == doctor and s.start == start for s in self.free()):
            raise SlotTakenError("taken", [s for s in self.free() if s.start >= start][:6])
        moved = current.model_copy(
            update={
                "start_time": start,
                "end_time": start + timedelta(hours=1),
                "doctor_id": doctor,
            }
        )
        self.appointments[appointment_id] = moved
        return moved

    def add(self, *, doctor_id: int, start: datetime, telegram_id: int, name: str = "X") -> int:
        """An appointment made before the conversation (by this patient or another)."""
        appointment = Appointment(
            id=len(self.appointments) + 101,
            doctor_id=doctor_id,
            patient_name=name,
            patient_telegram_id=telegram_id,
            start_time=start,
            end_time=start + timedelta(hours=1),
            status="scheduled",
            source="bot",
        )
        self.appointments[appointment.id] = appointment
        return appointment.id
