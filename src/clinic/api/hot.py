"""The fast lane of the busiest routes: POST /appointments and GET /slots, served without
FastAPI's dependency resolution or a SQLAlchemy session.

On these routes a request spent more Python in the framework (six dependants resolved per
booking, a session checked out, begun, committed and closed) than in the booking itself. The
lane reads the route's own parameter declarations (so headers and queries are validated by the
very fields the OpenAPI schema shows), calls the same service with a bare asyncpg connection
(each statement in autocommit: no BEGIN, no COMMIT) and renders errors with the same problem
handler. It answers only a request the route would have served: anything malformed,
unauthenticated, forbidden, of another content type or without a Content-Length goes to the
FastAPI route unchanged, which answers it exactly as documented. The rules stay in one place:
`appointments.service` and `availability.service`, called by both.
"""

import dataclasses
import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi._compat import ModelField
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clinic.api.auth import role_for
from clinic.api.problems import domain_problem
from clinic.appointments import service
from clinic.appointments.router import current_actor
from clinic.appointments.schemas import AppointmentCreate
from clinic.availability.booked_through import BookedThrough
from clinic.availability.known_days import KnownDays
from clinic.availability.repository import KeptSchedules
from clinic.availability.service import SlotQuery, search_slots
from clinic.core.database import Executors
from clinic.core.errors import DomainError
from clinic.core.settings import get_settings
from clinic.core.timeutils import utcnow

JSON = "application/json"

Lane = Callable[[Scope, Receive, Send, Executors], Awaitable[None]]


@dataclasses.dataclass
class Kept:
    """What the lane's reads of committed data found, kept for its next requests, each
    checked against a version in the statement that relies on it."""

    # A booking's doctor-days, a 409's stretches booked solid, the slot searches' hours.
    known_days: KnownDays = dataclasses.field(default_factory=KnownDays)
    booked_through: BookedThrough = dataclasses.field(default_factory=BookedThrough)
    schedules: KeptSchedules = dataclasses.field(default_factory=KeptSchedules)


class Declined(Exception):
    """The lane does not take this request: the FastAPI route answers it."""


class HotRoutes:
    """Pure ASGI, innermost of the middlewares: the access log, metrics, body limit and the
    error catcher (503 on an outage) see the lane's requests like any other."""

    def __init__(self, app: ASGIApp, api: FastAPI) -> None:
        self.app = app
        self.api = api
        routes = {(m, r.path): r for r in _api_routes(api.routes) for m in r.methods or ()}
        self.book_route = routes["POST", "/appointments"]
        self.slots_route = routes["GET", "/slots"]
        self.book_headers = RouteParams(list(_header_params(self.book_route.dependant)))
        self.slots_params = RouteParams(self.slots_route.dependant.query_params)
        self._kept: tuple[Executors, Kept] | None = None
        self.lanes: dict[tuple[str, str], Lane] = {
            ("POST", "/appointments"): self.book,
            ("GET", "/slots"): self.slots,
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            lane = self.lanes.get((scope["method"], scope["path"]))
            # Without a pool of its own (an app built without its lifespan) the route serves.
            executors = getattr(self.api.state, "database", None)
            if lane is not None and executors is not None:
                await lane(scope, receive, send, executors)
                return
        await self.app(scope, receive, send)

    async def book(self, scope: Scope, receive: Receive, send: Send, db: Executors) -> None:
        headers = Headers(scope=scope)
        content_type = headers.get("content-type", "")
        if content_type.partition(";")[0].strip().lower() != JSON or (
            "content-length" not in headers
        ):
            await self.app(scope, receive, send)
            return
        # With a Content-Length the body limit has already refused an oversized body.
        body = await _read_body(receive)
        replay = _replaying(body, receive)
        try:
            data, actor, key = await self._booking_request(headers, body)
        except Declined:
            await self.app(scope, replay, send)
            return
        scope["route"] = self.book_route  # for the access log and the metrics
        try:
            async with db.executor() as executor:
                kept = self._kept_of(db)
                booking = await service.create_appointment(
                    executor,
                    get_settings(),
                    data,
                    actor,
                    utcnow(),
                    key,
                    kept.known_days if kept else None,
                    kept.booked_through if kept else None,
                )
        except DomainError as error:
            await domain_problem(error)(scope, replay, send)
            return
        extra = REPLAYED if booking.replayed else ()
        await _send_json(send, self._serialize(self.book_route, booking.appointment), 201, extra)

    async def _booking_request(
        self, headers: Headers, body: bytes
    ) -> tuple[AppointmentCreate, service.Actor, str | None]:
        values = self.book_headers.read(headers)
        try:
            role = role_for(self.api.state.tokens, headers.get("authorization"))
            actor = await current_actor(role, values["patient_telegram_id"], values["client"])
            # As the route reads it: json.loads, then the model in Python mode.
            data = AppointmentCreate.model_validate(json.loads(body))
        # ValidationError and a body that is not UTF-8 are ValueErrors; JSON nested too deep
        # for the parser is a RecursionError, which the route answers as an undecodable body.
        except (DomainError, ValueError, RecursionError) as refused:
            raise Declined from refused
        if data.hold_id is not None:
            # Taking over a hold deletes it in the booking's own transaction (a refused booking
            # keeps the hold): the route's session gives that transaction, autocommit does not.
            raise Declined
        return data, actor, values["idempotency_key"]

    async def slots(self, scope: Scope, receive: Receive, send: Send, db: Executors) -> None:
        try:
            values = self.slots_params.read(QueryParams(scope["query_string"]))
        except Declined:
            await self.app(scope, receive, send)
            return
        scope["route"] = self.slots_route
        try:
            async with db.executor() as executor:
                kept = self._kept_of(db)
                found = await search_slots(
                    executor,
                    get_settings(),
                    SlotQuery(**values),
                    utcnow(),
                    kept.schedules if kept else None,
                )
        except DomainError as error:
            await domain_problem(error)(scope, receive, send)
            return
        await _send_json(send, self._serialize(self.slots_route, found), 200)

    def _kept_of(self, db: Executors) -> "Kept | None":
        """What reads through this pool found, kept for its next requests. Only a pool in
        autocommit reads committed data alone (a test's session reads its own writes)."""
        if not getattr(db, "autocommit", False):
            return None
        if self._kept is None or self._kept[0] is not db:
            self._kept = (db, Kept())
        return self._kept[1]

    @staticmethod
    def _serialize(route: APIRoute, content: Any) -> bytes:
        # The route's own response field, serialised as FastAPI serialises it.
        field: ModelField | None = route.response_field
        assert field is not None
        return field.serialize_json(content)


# The headers of starlette's Response(body, status, media_type=JSON), in its order, then the
# header a replayed booking adds: the lane's answers are the route's byte for byte, without
# building a Response object per request.
CONTENT_TYPE = (b"content-type", JSON.encode())
REPLAYED = ((b"idempotent-replayed", b"true"),)


async def _send_json(
    send: Send, body: bytes, status: int, extra: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    headers = [(b"content-length", str(len(body)).encode()), CONTENT_TYPE, *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# Defaults a request may share (checked when the lane starts).
IMMUTABLE = (type(None), bool, int, float, str, bytes)


class RouteParams:
    """A route's own query or header fields (the ones its OpenAPI schema shows), read as
    FastAPI reads them: the first header or the last query value of the name, missing means
    the default, then the field's validator. FastAPI's own reader analyses every field's
    annotation again on every request; here that is done once."""

    def __init__(self, fields: list[ModelField]) -> None:
        for field in fields:
            info = field.field_info
            # The lane reads plain scalar fields only; anything else is a change to review.
            if (
                info.validation_alias not in (None, field.alias)
                or info.validate_default
                or (getattr(info.annotation, "__origin__", None) in (list, set, tuple))
                or (not info.is_required() and not isinstance(field.default, IMMUTABLE))
            ):
                raise TypeError(f"the hot lane cannot read the parameter {field.name!r}")
        # Whether each is required, and its default, read once: FastAPI resolves a field's
        # default anew on every access (about a microsecond each, several per request).
        self.fields = [(f.name, f.alias, f, f.field_info.is_required(), f.default) for f in fields]

    def read(self, received: Headers | QueryParams) -> dict[str, Any]:
        """The values by parameter name; Declined when one is missing or not valid."""
        values: dict[str, Any] = {}
        for name, alias, field, required, default in self.fields:
            raw = received.get(alias)
            if raw is None:
                if required:
                    raise Declined
                values[name] = default  # immutable, so one object serves every request
                continue
            value, errors = field.validate(raw, values, loc=("param", alias))
            if errors:
                raise Declined
            values[name] = value
        return values


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # FastAPI's wrapper of an included router
            yield from _api_routes(route.original_router.routes)


def _header_params(dependant: Dependant) -> Iterator[ModelField]:
    """Every header the route and its dependencies declare (Idempotency-Key, the patient's)."""
    yield from dependant.header_params
    for dependency in dependant.dependencies:
        yield from _header_params(dependency)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client left: nothing to answer
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the already-read body to the route, then waits as the server's."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
