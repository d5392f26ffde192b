"""Refusals shown to staff as a sentence in their language, never a stack trace; logged without
patient data.

The services explain a refusal in English for the API. Staff read it by its rule: a field's
human name and the rule's sentence from the catalogue, with the service's own English words
as the fallback for anything the catalogue does not know.
"""

import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from clinic.admin.i18n import N_, day_text, gettext, lazy, moment_text, weekday_text
from clinic.admin.labels import FIELDS, STATUSES, label
from clinic.core.errors import DomainError, RuleViolation, SlotTaken
from clinic.core.settings import Settings

log = logging.getLogger(__name__)

# Booking and directory rules by their code; %(minutes)s and %(days)s come from the settings.
RULES: Mapping[str, str] = {
    "in_past": lazy("this time has already passed"),
    "min_notice": lazy("book at least %(minutes)s minutes ahead"),
    "booking_horizon": lazy("bookings open %(days)s days ahead"),
    "clinic_closed": lazy("the clinic is closed that day"),
    "day_off": lazy("the doctor does not work that day"),
    "working_hours": lazy("outside the doctor's working hours"),
    "slot_grid": lazy("visits with this doctor start every %(grid)s minutes"),
    "doctor_inactive": lazy("the doctor is not taking bookings"),
    "unknown_doctor": lazy("there is no such doctor"),
    "unknown_specialty": lazy("there is no such specialty"),
    "overlap": lazy("the hours overlap other hours that day"),
    "reserved": lazy("this login belongs to the manager from the settings"),
}
# Pydantic's checks of a form's values, by error type; the context fills %(…)s.
CHECKS: Mapping[str, str] = {
    "missing": lazy("required"),
    "string_too_short": lazy("cannot be empty"),
    "string_too_long": lazy("too long (at most %(max_length)s characters)"),
    "greater_than_equal": lazy("at least %(ge)s"),
    "less_than_equal": lazy("at most %(le)s"),
    "greater_than": lazy("more than %(gt)s"),
    "int_parsing": lazy("not a whole number"),
    "int_type": lazy("not a whole number"),
    "datetime_parsing": lazy("not a date and time"),
    "datetime_from_date_parsing": lazy("not a date and time"),
    "date_parsing": lazy("not a date"),
    "time_parsing": lazy("not a time"),
}
# English details that carry a value, read back into the catalogue's sentence.
DETAILS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"specialty '(?P<code>.+)' already exists"),
        lazy("a specialty with the code %(code)s already exists"),
    ),
    (re.compile(r"the username '(?P<login>.+)' is taken"), lazy("the login %(login)s is taken")),
    (
        re.compile(r"(?P<day>\d{4}-\d\d-\d\d) is already a closed date"),
        lazy("%(day)s is already a closed date"),
    ),
    (
        re.compile(r"a (?P<status>\w+) appointment cannot be cancelled"),
        lazy("a visit with the status “%(status)s” cannot be cancelled"),
    ),
]

# Sentences the services and schemas say as they are; staff read them through the catalogue.
SERVICE_SENTENCES = (
    N_("choose the new date and time"),
    N_("only a scheduled appointment can be rescheduled"),
    N_("the appointment is cancelled; book a new one"),
    N_("start_time must be before end_time"),
    N_("give both start_time and end_time, or neither for a day off"),
    N_("not a phone number"),
    N_("not a valid phone number"),
    N_("a doctor login needs its doctor"),
    N_("a manager login is not bound to a doctor"),
    N_("must not contain NUL characters"),
    N_("Nearest free:"),
    N_("Invalid credentials."),  # SQLAdmin's own, see templates/sqladmin/login.html
    N_("Login to %(title)s"),  # SQLAdmin's, said better in Russian
)


class AdminError(Exception):
    """A refusal to show the user as it is. Its text never quotes patient data."""


def describe(error: DomainError | ValidationError, settings: Settings) -> str:
    if isinstance(error, ValidationError):
        # Field and reason only: pydantic's own message would echo the input (a name, a phone).
        return "; ".join(
            f"{_field(item['loc'])}: {_check(item)}"
            for item in error.errors(include_url=False, include_input=False)
        )
    if isinstance(error, SlotTaken):
        return _slot_taken(error, settings)
    if isinstance(error, RuleViolation):
        return f"{label(FIELDS, error.field)}: {_rule(error, settings)}"
    return _detail(error.detail)


def _field(location: tuple[int | str, ...]) -> str:
    names = [str(part) for part in location if isinstance(part, str)]
    return label(FIELDS, names[-1]) if names else gettext("form")


def _check(item: Mapping[str, Any]) -> str:
    context = item.get("ctx") or {}
    if item["type"] == "value_error":
        # Our validators' own sentences (a phone, an interval), without pydantic's prefix.
        return gettext(str(context.get("error", item["msg"])))
    if item["type"] in CHECKS:
        return str(CHECKS[item["type"]]) % {k: str(v) for k, v in context.items()}
    return gettext(str(item["msg"]))


def _rule(error: RuleViolation, settings: Settings) -> str:
    if error.rule == "required":
        return gettext(error.detail)
    if error.rule == "overlap":
        # The detail names the weekday by its number; people read its name.
        weekday = re.search(r"weekday (\d)", error.detail)
        if weekday is not None:
            day = datetime(2024, 1, 1 + int(weekday.group(1)))  # 1 January 2024 was a Monday
            return gettext("the hours overlap other hours on %(weekday)s") % {
                "weekday": weekday_text(day)
            }
    if error.rule in ("day_off", "working_hours") and "schedule exception" in error.detail:
        # The day's hours come from an exception (leave, a changed day): say so.
        return gettext("%(rule)s (a schedule exception)") % {"rule": str(RULES[error.rule])}
    if error.rule not in RULES:
        return error.detail
    grid = re.search(r"every (\d+) minutes", error.detail)
    values = {
        "minutes": settings.min_notice_minutes,
        "days": settings.booking_horizon_days,
        "grid": grid.group(1) if grid else "?",
    }
    return str(RULES[error.rule]) % values


def _detail(detail: str) -> str:
    for pattern, sentence in DETAILS:
        match = pattern.fullmatch(detail)
        if match is not None:
            values = match.groupdict()
            if "status" in values:
                values["status"] = label(STATUSES, values["status"])
            if "day" in values:
                values["day"] = day_text(date.fromisoformat(values["day"]))
            return str(sentence) % values
    return gettext(detail)


def _slot_taken(error: SlotTaken, settings: Settings) -> str:
    options = [
        f"{weekday_text(start, 'abbreviated')} {moment_text(start, settings.tz)} "
        f"({slot['doctor_name']})"
        for slot in error.extra.get("alternatives", [])
        for start in [datetime.fromisoformat(slot["start"]).astimezone(settings.tz)]
    ]
    text = gettext("This time is already booked.")
    if not options:
        return text
    nearest = gettext("Nearest free:")
    return f"{text} {nearest} {', '.join(options)}."


@contextmanager
def refusals_as_admin_errors(settings: Settings) -> Iterator[None]:
    """Turn what the booking rules refuse into an AdminError; hide anything else's details."""
    try:
        yield
    except AdminError:
        raise
    except (DomainError, ValidationError) as error:
        raise AdminError(describe(error, settings)) from None
    except Exception as error:
        # The type only: a database error's text may carry the row's values.
        log.error("staff UI write failed: %s", type(error).__name__)
        raise AdminError(gettext("Something went wrong on our side; nothing was saved.")) from None


class DropAdminErrors(logging.Filter):
    """SQLAdmin logs every refused save with a traceback; an expected refusal is not an error."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], AdminError))
