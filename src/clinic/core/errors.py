"""Domain errors. Each carries its HTTP status; one handler renders them as problem+json."""

from typing import Any


class DomainError(Exception):
    status: int = 400
    code: str = "bad-request"
    title: str = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError):
    status = 404
    code = "not-found"
    title = "Not found"


class DoctorNotFound(NotFound):
    code = "doctor-not-found"
    title = "Doctor not found"


class AppointmentNotFound(NotFound):
    code = "appointment-not-found"
    title = "Appointment not found"


class SpecialtyNotFound(NotFound):
    code = "specialty-not-found"
    title = "Specialty not found"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"
    title = "Authentication required"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    title = "Not allowed"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = "Conflict"


class SlotTaken(Conflict):
    """The wished time is no longer free; `alternatives` lists the nearest free slots."""

    code = "slot-taken"
    title = "This time is already booked"


class RuleViolation(DomainError):
    """A booking or data rule refused the input; `field` and `rule` say which."""

    status = 422
    code = "rule-violation"
    title = "The request breaks a booking rule"

    def __init__(self, field: str, rule: str, detail: str) -> None:
        super().__init__(detail, errors=[{"field": field, "rule": rule, "detail": detail}])
        self.field = field
        self.rule = rule


class HoldNotFound(NotFound):
    code = "hold-not-found"
    title = "Hold not found"


class WaitlistEntryNotFound(NotFound):
    code = "waitlist-entry-not-found"
    title = "Waitlist entry not found"
