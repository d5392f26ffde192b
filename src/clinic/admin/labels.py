"""Names people read instead of the data's own: statuses, channels, history actions, fields.

Each is translated when shown (see `clinic.admin.i18n`); an unknown value shows as it is.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from clinic.admin.i18n import current_language, lazy, moment_text

STATUSES: Mapping[str, str] = {
    "scheduled": lazy("Booked"),
    "completed": lazy("Visited"),
    "no_show": lazy("Did not come"),
    "cancelled": lazy("Cancelled"),
}
SOURCES: Mapping[str, str] = {
    "api": lazy("API"),
    "bot": lazy("Telegram bot"),
    "admin": lazy("Front desk"),
    "chat": lazy("Chat"),
}
ACTIONS: Mapping[str, str] = {
    "created": lazy("Booked"),
    "rescheduled": lazy("Rescheduled"),
    "cancelled": lazy("Cancelled"),
    "status_changed": lazy("Status changed"),
    "updated": lazy("Details changed"),
    "confirmed": lazy("Confirmed by the patient"),
}
WAITLIST_STATUSES: Mapping[str, str] = {
    "waiting": lazy("Waiting"),
    "offered": lazy("Offered a slot"),
    "booked": lazy("Booked"),
    "left": lazy("Left the line"),
}
ROLES: Mapping[str, str] = {"manager": lazy("Manager"), "doctor": lazy("Doctor")}
CLOSED: Mapping[str, str] = {"clinic_closed": lazy("Clinic closed"), "day_off": lazy("Day off")}
FIELDS: Mapping[str, str] = {
    "doctor_id": lazy("Doctor"),
    "start_time": lazy("Time"),
    "end_time": lazy("End"),
    "status": lazy("Status"),
    "source": lazy("Booked through"),
    "patient_name": lazy("Patient"),
    "patient_phone": lazy("Phone"),
    "patient_telegram_id": lazy("Telegram id"),
    "reason": lazy("Reason"),
    "cancel_reason": lazy("Cancel reason"),
    "confirmed_at": lazy("Confirmed by the patient"),
    "full_name": lazy("Full name"),
    "specialty": lazy("Specialty"),
    "slot_minutes": lazy("Visit length, min"),
    "is_active": lazy("Takes bookings"),
    "code": lazy("Code"),
    "name_ru": lazy("Name in Russian"),
    "name_en": lazy("Name in English"),
    "weekday": lazy("Weekday"),
    "on_date": lazy("Date"),
    "note": lazy("Note"),
    "working_hours": lazy("Weekly hours"),
    "username": lazy("Login name"),
    "password": lazy("Password"),
    "role": lazy("Role"),
    "created_at": lazy("Created"),
    "updated_at": lazy("Changed"),
}


def column_labels(model: type[Any]) -> dict[Any, str]:
    """SQLAdmin's column labels of a model: each of its columns named in FIELDS."""
    return {getattr(model, name): text for name, text in FIELDS.items() if hasattr(model, name)}


def label(table: Mapping[str, str], value: object) -> str:
    """The human name of `value` in `table`, or the value itself."""
    key = str(getattr(value, "value", value))
    return str(table[key]) if key in table else key


def specialty_name(name_ru: str, name_en: str) -> str:
    return name_ru if current_language() == "ru" else name_en


def history_rows(
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
    doctor_names: Mapping[int, str],
    tz: ZoneInfo,
) -> list[tuple[str, str, str]]:
    """One history event's changes as (field, before, after), every value for people: doctors by
    name, instants in clinic time, statuses and channels by their names."""
    old, new = old or {}, new or {}
    # In the order of FIELDS (doctor, time, status, …); the end follows from the start.
    order = list(FIELDS)
    fields = sorted(
        {*old, *new} - {"end_time"},
        key=lambda name: (order.index(name) if name in order else len(order), name),
    )
    rows = []
    for field in fields:
        before, after = (_value(field, side.get(field), doctor_names, tz) for side in (old, new))
        rows.append((label(FIELDS, field), before, after))
    return rows


def _value(field: str, value: Any, doctor_names: Mapping[int, str], tz: ZoneInfo) -> str:
    if value is None:
        return "—"
    if field == "doctor_id" and isinstance(value, int):
        return doctor_names.get(value, f"#{value}")
    if field == "status":
        return label(STATUSES, value)
    if field == "source":
        return label(SOURCES, value)
    if isinstance(value, str) and (field.endswith("_time") or field.endswith("_at")):
        try:
            return moment_text(datetime.fromisoformat(value), tz)
        except ValueError:
            return value
    return str(value)
