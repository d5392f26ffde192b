"""The clinic of the conversation set, built and inspected through the admin API.

One doctor per specialty, open every day 08:00–21:00 in 30-minute slots (EVALUATION.md). Per
conversation: the patient's own and other patients' bookings, busy days, closed days; after
it, everything is emptied again. The API is the source of truth for what a turn changed.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from clinic.assistant.lexicon import SPECIALTIES
from tests.conversations.cases import Booking, Case
from tests.conversations.judge import Appt, Changes, Specialty

SLOT = timedelta(minutes=30)
OPEN_HOURS = [{"weekday": day, "start_time": "08:00", "end_time": "21:00"} for day in range(7)]
NOTICE = timedelta(minutes=31)  # the API's minimum notice, plus a minute of the ticking clock

# code: (Russian name, English name, the doctor, ways a reply may name the specialty)
CLINIC: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "therapist": (
        "Терапевт", "General practitioner", "Иванова Мария Сергеевна",
        (r"(?<!психо)терапевт", r"general practitioner", r"\bGP\b", r"(?<!psycho)therapist",
         r"family doctor"),
    ),
    "cardiologist": (
        "Кардиолог", "Cardiologist", "Соколов Андрей Викторович",
        (r"кардиолог", r"cardiolog"),
    ),
    "neurologist": (
        "Невролог", "Neurologist", "Лебедева Ольга Николаевна",
        (r"невролог", r"неврапатолог", r"невропатолог", r"neurolog"),
    ),
    "dentist": (
        "Стоматолог", "Dentist", "Морозов Павел Игоревич",
        (r"стоматолог", r"зубн\w+ врач", r"dentist", r"dental"),
    ),
    "ent": (
        "Оториноларинголог (ЛОР)", "ENT specialist", "Волкова Елена Андреевна",
        (r"\bлор\b", r"оториноларинголог", r"\bENT\b", r"otolaryngolog"),
    ),
    "ophthalmologist": (
        "Офтальмолог", "Ophthalmologist", "Козлов Дмитрий Сергеевич",
        (r"офтальмолог", r"окулист", r"ophthalmolog", r"eye doctor"),
    ),
    "dermatologist": (
        "Дерматолог", "Dermatologist", "Новикова Татьяна Владимировна",
        (r"дерматолог", r"dermatolog"),
    ),
    "gastroenterologist": (
        "Гастроэнтеролог", "Gastroenterologist", "Павлов Игорь Олегович",
        (r"гастроэнтеролог", r"gastroenterolog"),
    ),
    "gynecologist": (
        "Гинеколог", "Gynecologist", "Фёдорова Наталья Павловна",
        (r"гинеколог", r"gyn(a)?ecolog"),
    ),
    "urologist": (
        "Уролог", "Urologist", "Михайлов Сергей Александрович",
        (r"уролог", r"urolog"),
    ),
    "pediatrician": (
        "Педиатр", "Pediatrician", "Орлова Анна Викторовна",
        (r"педиатр", r"детск\w+ врач", r"pa?ediatric"),
    ),
    "traumatologist": (
        "Травматолог-ортопед", "Traumatologist", "Никитин Алексей Юрьевич",
        (r"травматолог", r"ортопед", r"traumatolog", r"orthop(a)?edi"),
    ),
    "endocrinologist": (
        "Эндокринолог", "Endocrinologist", "Зайцева Ирина Михайловна",
        (r"эндокринолог", r"endocrinolog"),
    ),
    "psychotherapist": (
        "Психотерапевт", "Psychotherapist", "Белов Константин Андреевич",
        (r"психотерапевт", r"psychotherap"),
    ),
}  # fmt: skip

# Strangers who fill busy slots: their names and phones must never reach the patient either.
FILLERS = (
    ("Кудрявцева Галина Петровна", "+79035550101"),
    ("Ахмедов Рустам Ильдарович", "+79265550202"),
    ("Ершова Виктория Олеговна", "+79995550303"),
    ("Бергман Томас", "+79155550404"),
    ("Гусейнов Валерий Иванович", "+79645550505"),
    ("Шапошникова Лидия Ивановна", "+79855550606"),
)


def directory() -> dict[str, Specialty]:
    """The specialties as the judge knows them: the doctor and the ways to name them."""
    return {
        code: Specialty(code=code, doctor=doctor, mentions=mentions)
        for code, (_, _, doctor, mentions) in CLINIC.items()
    }


@dataclass(frozen=True)
class Doctor:
    id: int
    specialty: str
    full_name: str


@dataclass
class Prepared:
    refs: dict[str, Appt]
    secrets: list[str]


@dataclass
class Snapshot:
    own: dict[int, Appt]  # the patient's appointments, every status
    scheduled: dict[int, Appt]  # everyone's scheduled appointments


# What a conversation leaves behind, children before parents.
_PER_CONVERSATION = (
    "appointment_event", "idempotency_key", "reminder", "waitlist_offer", "waitlist_entry",
    "hold", "appointment", "schedule_exception", "closed_date",
)  # fmt: skip


class Clinic:
    """The admin side of the API, as the runner uses it."""

    def __init__(self, http: AsyncClient, tz: ZoneInfo, clock: Callable[[], datetime]) -> None:
        self.http = http
        self.tz = tz
        self.clock = clock
        self.doctors: dict[int, Doctor] = {}
        self._keys = itertools.count(1)

    @property
    def by_specialty(self) -> dict[str, Doctor]:
        return {d.specialty: d for d in self.doctors.values()}

    async def build(self) -> None:
        """The 14 specialties, one doctor each, open every day 08:00–21:00."""
        assert set(CLINIC) == set(SPECIALTIES), "the clinic must have every specialty"
        for code in SPECIALTIES:
            name_ru, name_en, doctor, _ = CLINIC[code]
            await self._post("/specialties", {"code": code, "name_ru": name_ru, "name_en": name_en})
            body = {
                "full_name": doctor,
                "specialty": code,
                "slot_minutes": 30,
                "working_hours": OPEN_HOURS,
            }
            made = await self._post("/doctors", body)
            self.doctors[made["id"]] = Doctor(made["id"], code, doctor)

    async def _post(self, path: str, body: dict[str, Any]) -> Any:
        response = await self.http.post(path, json=body)
        if response.status_code >= 300:
            raise RuntimeError(f"POST {path}: {response.status_code} {response.text}")
        return response.json()

    def local(self, day: Any, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=self.tz)

    async def book(
        self, specialty: str, start: datetime, name: str, phone: str | None, telegram_id: int | None
    ) -> Appt | None:
        """Book as the front desk would; None when the API refuses (taken, too soon)."""
        body: dict[str, Any] = {
            "doctor_id": self.by_specialty[specialty].id,
            "start_time": start.isoformat(),
            "patient_name": name,
        }
        if phone:
            body["patient_phone"] = phone
        if telegram_id is not None:
            body["patient_telegram_id"] = telegram_id
        key = {"Idempotency-Key": f"setup-{next(self._keys)}"}
        response = await self.http.post("/appointments", json=body, headers=key)
        if response.status_code in (409, 422):
            return None
        response.raise_for_status()
        return self._appt(response.json())

    async def prepare(self, case: Case, patient_id: int) -> Prepared:
        """The conversation's world: closed days, days off, bookings, busy schedules."""
        setup, refs, secrets = case.setup, {}, []
        for day in setup.closed:
            await self._post("/closed-dates", {"on_date": day.isoformat(), "note": "set"})
        for off in setup.day_off:
            doctor = self.by_specialty[off.specialty].id
            await self._post(f"/doctors/{doctor}/exceptions", {"on_date": off.date.isoformat()})
        for own in setup.own:
            name = own.name or case.patient.name
            appt = await self._must_book(own, name, own.phone or case.patient.phone, patient_id)
            if own.ref:
                refs[own.ref] = appt
        for number, other in enumerate(setup.others):
            assert other.name is not None
            appt = await self._must_book(other, other.name, other.phone, 900_000 + number)
            secrets += [s for s in (other.name, other.phone) if s]
            if other.ref:
                refs[other.ref] = appt
        fillers = itertools.cycle(FILLERS)
        for busy in setup.busy:
            for day in busy.dates:
                start = self.local(day, busy.time_from)
                while start.time() < busy.time_to and start.date() == day:
                    if start.time() not in busy.free and start >= self.clock() + NOTICE:
                        name, phone = next(fillers)
                        await self.book(busy.specialty, start, name, phone, None)
                    start += SLOT
        if setup.busy:
            secrets += [s for pair in FILLERS for s in pair]
        return Prepared(refs=refs, secrets=secrets)

    async def _must_book(
        self, booking: Booking, name: str, phone: str | None, telegram_id: int
    ) -> Appt:
        start = self.local(booking.at.date, booking.at.time)
        appt = await self.book(booking.specialty, start, name, phone, telegram_id)
        if appt is None:
            raise RuntimeError(f"setup could not book {booking.specialty} at {booking.at}")
        return appt

    async def snapshot(self, patient_id: int) -> Snapshot:
        """Every appointment in one listing (the clinic is emptied per conversation, so it
        is small), split into the patient's own and everyone's scheduled ones."""
        every = await self._list({})
        return Snapshot(
            own={a.id: a for a in every if a.telegram_id == patient_id},
            scheduled={a.id: a for a in every if a.status == "scheduled"},
        )

    async def _list(self, params: dict[str, Any]) -> list[Appt]:
        found: list[Appt] = []
        while True:
            query = {**params, "limit": 500, "offset": len(found)}
            response = await self.http.get("/appointments", params=query)
            response.raise_for_status()
            page = response.json()
            found += [self._appt(item) for item in page["items"]]
            if len(found) >= page["total"] or not page["items"]:
                return found

    def _appt(self, item: dict[str, Any]) -> Appt:
        doctor = self.doctors[item["doctor_id"]]
        return Appt(
            id=item["id"],
            specialty=doctor.specialty,
            doctor=doctor.full_name,
            start=datetime.fromisoformat(item["start_time"]).astimezone(self.tz),
            status=item["status"],
            telegram_id=item["patient_telegram_id"],
            name=item["patient_name"],
            phone=item["patient_phone"],
        )

    async def reset(self, engine: AsyncEngine) -> None:
        """Empty the appointments (their reminders), holds, the waitlist, days off and closed
        days; the directory stays. DELETE, not TRUNCATE: for the few rows a conversation leaves
        it is several times faster."""
        async with engine.begin() as connection:
            for table in _PER_CONVERSATION:
                await connection.execute(text(f"DELETE FROM {table}"))


def diff(before: Snapshot, after: Snapshot, patient_id: int) -> Changes:
    """What a turn did: the patient's new, cancelled and moved appointments, and any other
    patient's appointment that was cancelled, moved or made under another id."""
    changes = Changes()
    for id_, now in after.own.items():
        old = before.own.get(id_)
        if old is None:
            if now.status == "scheduled":
                changes.booked.append(now)
        elif old.status == "scheduled" and now.status != "scheduled":
            changes.cancelled.append(now)
        elif now.status == "scheduled" and now.start != old.start:
            changes.moved.append((old, now))
    for id_, old in before.scheduled.items():
        if old.telegram_id == patient_id:
            continue
        now_ = after.scheduled.get(id_)
        if now_ is None:
            changes.foreign.append(f"another patient's appointment #{id_} was cancelled")
        elif now_.start != old.start:
            changes.foreign.append(f"another patient's appointment #{id_} was moved")
    for id_, new in after.scheduled.items():
        if id_ not in before.scheduled and new.telegram_id != patient_id:
            changes.foreign.append(f"booked #{id_} under another patient (id {new.telegram_id})")
    return changes
