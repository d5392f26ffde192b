"""Prometheus metrics at /metrics: the instrumentator's request counts and latencies, plus
bookings created and booking conflicts, counted by the same library's instrumentation hooks."""

from collections.abc import Callable

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter
from prometheus_fastapi_instrumentator import Instrumentator, metrics

BOOKING_ROUTES = {"/appointments", "/appointments/{appointment_id}"}


def _booking_outcomes(registry: CollectorRegistry) -> Callable[[metrics.Info], None]:
    created = Counter(
        "clinic_bookings_created_total",
        "Appointments booked (idempotent replays excluded).",
        registry=registry,
    )
    conflicts = Counter(
        "clinic_booking_conflicts_total",
        "Bookings and reschedules refused because the slot was taken.",
        registry=registry,
    )

    def count(info: metrics.Info) -> None:
        if info.modified_handler not in BOOKING_ROUTES or info.response is None:
            return
        status = info.response.status_code
        if status == 201 and "idempotent-replayed" not in info.response.headers:
            created.inc()
        elif status == 409 and info.request.method in {"POST", "PATCH"}:
            conflicts.inc()

    return count


def install_metrics(app: FastAPI) -> None:
    # A registry per app: tests build many apps in one process.
    registry = CollectorRegistry()
    instrumentator = Instrumentator(
        excluded_handlers=["/metrics", "/health", "/ready"], registry=registry
    )
    instrumentator.add(metrics.default(registry=registry), _booking_outcomes(registry))
    instrumentator.instrument(app).expose(app, include_in_schema=False)
