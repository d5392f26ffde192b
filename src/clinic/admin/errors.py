"""Refusals shown to staff as a sentence, never a stack trace; logged without patient data."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from clinic.core.errors import DomainError, RuleViolation, SlotTaken

log = logging.getLogger(__name__)


class AdminError(Exception):
    """A refusal to show the user as it is. Its text never quotes patient data."""


def describe(error: DomainError | ValidationError, tz: ZoneInfo) -> str:
    if isinstance(error, ValidationError):
        # Field and reason only: pydantic's own message would echo the input (a name, a phone).
        return "; ".join(
            f"{'.'.join(str(p) for p in item['loc']) or 'form'}: {item['msg']}"
            for item in error.errors(include_url=False, include_input=False)
        )
    if isinstance(error, SlotTaken):
        return _slot_taken(error, tz)
    if isinstance(error, RuleViolation):
        return f"{error.field}: {error.detail}"
    return error.detail


def _slot_taken(error: SlotTaken, tz: ZoneInfo) -> str:
    options = [
        f"{datetime.fromisoformat(slot['start']).astimezone(tz):%a %d.%m %H:%M} "
        f"({slot['doctor_name']})"
        for slot in error.extra.get("alternatives", [])
    ]
    text = "This time is already booked."
    return f"{text} Nearest free: {', '.join(options)}." if options else text


@contextmanager
def refusals_as_admin_errors(tz: ZoneInfo) -> Iterator[None]:
    """Turn what the booking rules refuse into an AdminError; hide anything else's details."""
    try:
        yield
    except AdminError:
        raise
    except (DomainError, ValidationError) as error:
        raise AdminError(describe(error, tz)) from None
    except Exception as error:
        # The type only: a database error's text may carry the row's values.
        log.error("staff UI write failed: %s", type(error).__name__)
        raise AdminError("Something went wrong on our side; nothing was saved.") from None


class DropAdminErrors(logging.Filter):
    """SQLAdmin logs every refused save with a traceback; an expected refusal is not an error."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], AdminError))
