"""Typed async client of the clinic's HTTP API, as the bot and the terminal chat use it.

The assistant never touches the database: every read and every booking goes through here,
under the `bot` role token, so the API enforces the same rules for it as for anyone else.
"""

from __future__ import annotations

from datetime import date, datetime, time
from types import TracebackType
from typing import Any, Literal, Protocol, Self

import httpx
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

PATIENT_HEADER = "X-Patient-Telegram-Id"
CLIENT_HEADER = "X-Client"


class _Model(BaseModel):
    # The API may grow fields; an older bot must keep working with a newer API.
    model_config = ConfigDict(extra="ignore", frozen=True)


class Specialty(_Model):
    id: int
    code: str
    name_ru: str
    name_en: str


class Doctor(_Model):
    id: int
    full_name: str
    specialty: Specialty
    slot_minutes: int
    is_active: bool


class Slot(_Model):
    doctor_id: int
    doctor_name: str
    specialty: str
    start: datetime
    end: datetime


class Appointment(_Model):
    id: int
    doctor_id: int
    patient_name: str
    patient_phone: str | None = None
    patient_telegram_id: int | None = None
    start_time: datetime
    end_time: datetime
    status: str
    source: str
    confirmed_at: datetime | None = None


class Hold(_Model):
    """A slot kept for the patient while they confirm (HOLD_MINUTES)."""

    id: int
    doctor_id: int
    start: datetime
    end: datetime
    expires_at: datetime


class WaitlistEntry(_Model):
    id: int
    specialty: str | None = None
    doctor_id: int | None = None
    first_day: date
    last_day: date
    status: str
    patient_name: str | None = None
    patient_phone: str | None = None
    hold_id: int | None = None  # the hold of the slot offered now


class FieldError(_Model):
    field: str
    rule: str
    detail: str


class ClinicApiError(Exception):
    """Anything the API refused or could not answer."""


class ApiUnavailable(ClinicApiError):
    """The API did not answer (network error, timeout, 5xx): try again later."""


class SlotTakenError(ClinicApiError):
    """409: someone else was faster; `alternatives` are the nearest free slots."""

    def __init__(self, detail: str, alternatives: list[Slot]) -> None:
        super().__init__(detail)
        self.alternatives = alternatives


class RequestRejected(ClinicApiError):
    """422: a booking rule or a field was refused; `errors` say which."""

    def __init__(self, detail: str, errors: list[FieldError]) -> None:
        super().__init__(detail)
        self.errors = errors

    @property
    def rules(self) -> set[str]:
        return {error.rule for error in self.errors}

    @property
    def fields(self) -> set[str]:
        return {error.field for error in self.errors}


class NotFoundError(ClinicApiError):
    """404."""


class ClinicApi(Protocol):
    """What the dialog needs from the clinic; the HTTP client below and test fakes provide it."""

    async def specialties(self) -> list[Specialty]: ...

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
    ) -> list[Slot]: ...

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
    ) -> Appointment: ...

    async def hold(
        self, *, doctor_id: int, start: datetime, patient_telegram_id: int | None = None
    ) -> Hold: ...

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
    ) -> WaitlistEntry: ...

    async def waitlist_entry(
        self, entry_id: int, *, patient_telegram_id: int
    ) -> WaitlistEntry | None: ...

    async def decline_offer(self, entry_id: int, *, patient_telegram_id: int) -> WaitlistEntry: ...

    async def appointments_of(
        self, telegram_id: int, *, start: datetime | None = None
    ) -> list[Appointment]: ...

    async def get_appointment(
        self, appointment_id: int, *, patient_telegram_id: int | None = None
    ) -> Appointment: ...

    async def cancel(
        self,
        appointment_id: int,
        reason: str | None = None,
        *,
        patient_telegram_id: int | None = None,
    ) -> Appointment: ...

    async def reschedule(
        self,
        appointment_id: int,
        *,
        start: datetime,
        doctor_id: int | None = None,
        patient_telegram_id: int | None = None,
    ) -> Appointment: ...

    async def confirm(
        self, appointment_id: int, *, patient_telegram_id: int | None = None
    ) -> Appointment: ...

    async def doctor(self, doctor_id: int) -> Doctor: ...

    async def doctors(self, specialty: str | None = None) -> list[Doctor]: ...


_SLOTS = TypeAdapter(list[Slot])
_SPECIALTIES = TypeAdapter(list[Specialty])
_DOCTORS = TypeAdapter(list[Doctor])


class ClinicClient:
    """The clinic API over HTTP with a bearer token. Use as an async context manager."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        client: Literal["telegram", "chat"] | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if client is not None:
            headers[CLIENT_HEADER] = client  # the source bookings are recorded with
        self._http = httpx.AsyncClient(
            base_url=base_url, headers=headers, timeout=timeout, transport=transport
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def specialties(self) -> list[Specialty]:
        return _SPECIALTIES.validate_python(await self._call("GET", "/specialties"))

    async def doctor(self, doctor_id: int) -> Doctor:
        return Doctor.model_validate(await self._call("GET", f"/doctors/{doctor_id}"))

    async def doctors(self, specialty: str | None = None) -> list[Doctor]:
        """The active doctors, of one specialty when given."""
        params = {"specialty": specialty} if specialty else {}
        response = await self._call("GET", "/doctors", params=params)
        return _DOCTORS.validate_python(response)

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
        params: dict[str, str | int] = {"limit": limit}
        if specialty is not None:
            params["specialty"] = specialty
        if doctor_id is not None:
            params["doctor_id"] = doctor_id
        if start is not None:
            params["from"] = start.isoformat()
        if end is not None:
            params["to"] = end.isoformat()
        if time_from is not None:
            params["time_from"] = time_from.strftime("%H:%M")
        if time_to is not None:
            params["time_to"] = time_to.strftime("%H:%M")
        return _SLOTS.validate_python(await self._call("GET", "/slots", params=params))

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
        """Book a slot (the one the patient holds, with `hold_id`); a retry with the same key
        and body returns the first booking."""
        body: dict[str, Any] = {
            "doctor_id": doctor_id,
            "start_time": start.isoformat(),
            "patient_name": patient_name,
            "patient_phone": patient_phone,
            "patient_telegram_id": patient_telegram_id,
            "reason": reason,
            "hold_id": hold_id,
            "patient_language": patient_language,
        }
        data = await self._call(
            "POST",
            "/appointments",
            json={k: v for k, v in body.items() if v is not None},
            headers={"Idempotency-Key": idempotency_key, **_acting_for(patient_telegram_id)},
        )
        return Appointment.model_validate(data)

    async def hold(
        self, *, doctor_id: int, start: datetime, patient_telegram_id: int | None = None
    ) -> Hold:
        """Keep a slot for the patient while they confirm; a taken slot raises SlotTakenError
        with alternatives. The patient's earlier hold is released."""
        data = await self._call(
            "POST",
            "/holds",
            json={"doctor_id": doctor_id, "start_time": start.isoformat()},
            headers=_acting_for(patient_telegram_id),
        )
        return Hold.model_validate(data)

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
        """Put the patient in line for a specialty or a doctor in a window of days (and
        times); a freed slot is offered to the first in line."""
        body: dict[str, Any] = {
            "specialty": specialty,
            "doctor_id": doctor_id,
            "first_day": first_day.isoformat(),
            "last_day": last_day.isoformat(),
            "time_from": time_from.strftime("%H:%M") if time_from else None,
            "time_to": time_to.strftime("%H:%M") if time_to else None,
            "patient_name": patient_name,
            "patient_phone": patient_phone,
        }
        data = await self._call(
            "POST",
            "/waitlist",
            json={k: v for k, v in body.items() if v is not None},
            headers=_acting_for(patient_telegram_id),
        )
        return WaitlistEntry.model_validate(data)

    async def waitlist_entry(
        self, entry_id: int, *, patient_telegram_id: int
    ) -> WaitlistEntry | None:
        """The patient's open waitlist entry, None if it is not theirs or no longer open."""
        data = await self._call(
            "GET",
            "/waitlist",
            params={"patient_telegram_id": patient_telegram_id, "limit": 50},
            headers=_acting_for(patient_telegram_id),
        )
        for item in data["items"]:
            if item["id"] == entry_id:
                return WaitlistEntry.model_validate(item)
        return None

    async def decline_offer(self, entry_id: int, *, patient_telegram_id: int) -> WaitlistEntry:
        """Decline the slot offered to this entry: it passes to the next in line, and the
        patient stays in line for other slots. Nothing offered now: ClinicApiError (409)."""
        data = await self._call(
            "POST", f"/waitlist/{entry_id}/decline", headers=_acting_for(patient_telegram_id)
        )
        return WaitlistEntry.model_validate(data)

    async def appointments_of(
        self, telegram_id: int, *, start: datetime | None = None
    ) -> list[Appointment]:
        """The patient's scheduled appointments, earliest first."""
        params: dict[str, str | int] = {
            "patient_telegram_id": telegram_id,
            "status": "scheduled",
            "limit": 50,
        }
        if start is not None:
            params["from"] = start.isoformat()
        data = await self._call(
            "GET", "/appointments", params=params, headers=_acting_for(telegram_id)
        )
        items = [Appointment.model_validate(item) for item in data["items"]]
        return sorted(items, key=lambda a: a.start_time)

    async def get_appointment(
        self, appointment_id: int, *, patient_telegram_id: int | None = None
    ) -> Appointment:
        """One appointment; acting for a patient, another patient's is NotFoundError."""
        data = await self._call(
            "GET", f"/appointments/{appointment_id}", headers=_acting_for(patient_telegram_id)
        )
        return Appointment.model_validate(data)

    async def cancel(
        self,
        appointment_id: int,
        reason: str | None = None,
        *,
        patient_telegram_id: int | None = None,
    ) -> Appointment:
        body = {"reason": reason} if reason else {}
        data = await self._call(
            "POST",
            f"/appointments/{appointment_id}/cancel",
            json=body,
            headers=_acting_for(patient_telegram_id),
        )
        return Appointment.model_validate(data)

    async def reschedule(
        self,
        appointment_id: int,
        *,
        start: datetime,
        doctor_id: int | None = None,
        patient_telegram_id: int | None = None,
    ) -> Appointment:
        """Move an appointment to another free slot (of the same or another doctor); a taken
        slot raises SlotTakenError with alternatives, like booking."""
        body: dict[str, Any] = {"start_time": start.isoformat()}
        if doctor_id is not None:
            body["doctor_id"] = doctor_id
        data = await self._call(
            "PATCH",
            f"/appointments/{appointment_id}",
            json=body,
            headers=_acting_for(patient_telegram_id),
        )
        return Appointment.model_validate(data)

    async def confirm(
        self, appointment_id: int, *, patient_telegram_id: int | None = None
    ) -> Appointment:
        """Record the patient's confirmation that they will come (idempotent)."""
        data = await self._call(
            "POST",
            f"/appointments/{appointment_id}/confirm",
            headers=_acting_for(patient_telegram_id),
        )
        return Appointment.model_validate(data)

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            # The exception text may carry the URL with query parameters, never patient text,
            # but the type is all a caller needs.
            raise ApiUnavailable(type(error).__name__) from error
        if response.status_code >= 500:
            raise ApiUnavailable(f"HTTP {response.status_code}")
        if response.status_code < 400:
            return response.json()
        problem = _problem(response)
        detail = str(problem.get("detail") or f"HTTP {response.status_code}")
        try:
            if response.status_code == 409 and "alternatives" in problem:
                raise SlotTakenError(detail, _SLOTS.validate_python(problem["alternatives"]))
            if response.status_code == 422:
                errors = [FieldError.model_validate(e) for e in problem.get("errors", [])]
                raise RequestRejected(detail, errors)
        except ValidationError as error:
            raise ClinicApiError(f"HTTP {response.status_code}: unreadable problem") from error
        if response.status_code == 404:
            raise NotFoundError(detail)
        raise ClinicApiError(f"HTTP {response.status_code}: {detail}")


def _acting_for(patient_telegram_id: int | None) -> dict[str, str]:
    """The header naming the patient a `bot` token acts for (the API requires it)."""
    if patient_telegram_id is None:
        return {}
    return {PATIENT_HEADER: str(patient_telegram_id)}


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
