"""Prometheus metrics at /metrics: requests and latencies per route, bookings made and refused,
and the database connections the pool opened.

A pure ASGI middleware reads the route Starlette already matched (`scope["route"]`) once the
response is sent, so no request pays for a second scan of the route table.
"""

from time import perf_counter

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest
from prometheus_client import Histogram as PromHistogram
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

EXCLUDED_ROUTES = frozenset({"/metrics", "/health", "/ready"})
BOOKING_ROUTES = frozenset({"/appointments", "/appointments/{appointment_id}"})
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ApiMetrics:
    """The app's collectors, in a registry of its own (tests build many apps in one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests",
            "Requests by method, route template and status class.",
            ("method", "handler", "status"),
            registry=self.registry,
        )
        self.latency = PromHistogram(
            "http_request_duration_seconds",
            "Time to the end of the response, by method and route template.",
            ("method", "handler"),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.bookings_created = Counter(
            "clinic_bookings_created",
            "Appointments booked (idempotent replays excluded).",
            registry=self.registry,
        )
        self.booking_conflicts = Counter(
            "clinic_booking_conflicts",
            "Bookings and reschedules refused because the slot was taken.",
            registry=self.registry,
        )
        self.connections_opened = Counter(
            "clinic_db_connections_opened",
            "Database connections opened by the pool; flat after warm-up when it is sized well.",
            registry=self.registry,
        )
        self._children: dict[tuple[str, str, int], tuple[Counter, PromHistogram]] = {}

    def observe(self, method: str, handler: str, status: int, seconds: float) -> None:
        # The labelled children are looked up once per route, method and status class:
        # prometheus_client validates the labels and takes a lock on every labels() call.
        key = (method, handler, status // 100)
        children = self._children.get(key)
        if children is None:
            children = (
                self.requests.labels(method, handler, f"{status // 100}xx"),
                self.latency.labels(method, handler),
            )
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def count_pool(self, engine: AsyncEngine) -> None:
        """Count every connection the engine's pool opens."""
        event.listen(engine.sync_engine, "connect", lambda *_: self.connections_opened.inc())


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        status = 500
        replayed = False

        async def send_and_note(message: Message) -> None:
            nonlocal status, replayed
            if message["type"] == "http.response.start":
                status = message["status"]
                replayed = any(
                    name == b"idempotent-replayed" for name, _ in message.get("headers", ())
                )
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            handler = getattr(scope.get("route"), "path", None) or "none"
            if handler not in EXCLUDED_ROUTES:
                method = scope["method"]
                self.metrics.observe(method, handler, status, perf_counter() - started)
                if handler in BOOKING_ROUTES:
                    if status == 201 and not replayed:
                        self.metrics.bookings_created.inc()
                    elif status == 409 and method in ("POST", "PATCH"):
                        self.metrics.booking_conflicts.inc()


def install_metrics(app: FastAPI) -> ApiMetrics:
    metrics = ApiMetrics()
    app.add_middleware(MetricsMiddleware, metrics=metrics)

    @app.get("/metrics", include_in_schema=False)
    async def expose() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return metrics
