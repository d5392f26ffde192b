"""Every error as RFC 9457 application/problem+json, validation errors included.

Three kinds of failure never become a bare 500 here: a database that is away or too slow is a
503 with Retry-After; a value PostgreSQL refuses as data is a 422; anything else is logged once
(request id, route template, exception type: never its message, which may quote patient data)
and answered as a 500 problem on a connection that stays usable.
"""

import logging
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clinic.core.errors import DomainError, Unauthorized
from clinic.core.problem import problem

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# Pydantic prefixes the message of a plain ValueError raised in a validator.
PYDANTIC_VALUE_ERROR = "Value error, "

# SQLSTATEs meaning "the database cannot serve now": connection exceptions (class 08),
# statement timeout / cancel, shutdown in progress, too many connections.
UNAVAILABLE_STATES = ("08", "57014", "57P01", "57P02", "57P03", "53300")
# Class 22 is "data exception": a value PostgreSQL cannot store (say, text with NUL).
DATA_EXCEPTION_CLASS = "22"


def _sqlstate(error: BaseException) -> str:
    for candidate in (error, getattr(error, "orig", None), getattr(error, "__cause__", None)):
        state = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if state:
            return str(state)
    return ""


def database_unavailable(error: BaseException) -> bool:
    """True when the error says PostgreSQL is down, unreachable, frozen or overloaded."""
    if isinstance(error, sa.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, sa.TimeoutError | sa.InterfaceError | sa.OperationalError):
        return True  # pool exhausted; connection closed; server gone
    if isinstance(error, OSError | asyncpg.PostgresConnectionError | asyncpg.InterfaceError):
        return True  # refused or timed-out connects, and the driver's own timeouts
    return _sqlstate(error).startswith(UNAVAILABLE_STATES)


def _unavailable() -> JSONResponse:
    response = problem(
        503,
        "service-unavailable",
        "Temporarily unavailable",
        "the database is not reachable right now; retry shortly",
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _clean(message: str) -> str:
    return message.removeprefix(PYDANTIC_VALUE_ERROR)


def _field_of(item: dict[str, Any]) -> str:
    location = item["loc"]
    if item["type"] == "json_invalid" or len(location) < 2:
        # The location of unparsable JSON is a character offset: name the part instead.
        return str(location[0])
    # Drop the "body"/"query" prefix; keep the path into the payload.
    return ".".join(str(part) for part in location[1:])


def validation_problem(errors: list[dict[str, str]]) -> JSONResponse:
    first = errors[0] if errors else {"field": "", "detail": "invalid request"}
    return problem(
        422,
        "validation-error",
        "The request is not valid",
        f"{first['field']}: {first['detail']}",
        errors=errors,
    )


async def _domain_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    return domain_problem(error)


def domain_problem(error: DomainError) -> JSONResponse:
    """A domain error as problem+json, with the headers its status calls for."""
    response = problem(error.status, error.code, error.title, error.detail, **error.extra)
    if isinstance(error, Unauthorized):
        response.headers["WWW-Authenticate"] = "Bearer"
    if error.status == 429 and "retry_after" in error.extra:
        response.headers["Retry-After"] = str(error.extra["retry_after"])
    return response


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return validation_problem(
        [
            {"field": _field_of(item), "rule": item["type"], "detail": _clean(item["msg"])}
            for item in error.errors()
        ]
    )


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    if error.status_code == 400 and isinstance(error.__cause__, ValueError):
        # FastAPI could not decode the body at all (not UTF-8, a broken form).
        return validation_problem(
            [{"field": "body", "rule": "body_invalid", "detail": "the body cannot be decoded"}]
        )
    response = problem(error.status_code, "http-error", str(error.detail), str(error.detail))
    for name, value in (error.headers or {}).items():
        response.headers[name] = value
    if error.status_code == 405:
        response.headers["Allow"] = ", ".join(_allowed_methods(request))
    return response


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves on this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "__none__"})
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


class UnexpectedErrorMiddleware:
    """The last line: turns what no handler took into a problem instead of letting Starlette's
    ServerErrorMiddleware re-raise it (which logs a traceback with the SQL parameters and
    resets the client's keep-alive connection)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked_send)
        except Exception as error:
            route = getattr(scope.get("route"), "path", "unmatched")
            if database_unavailable(error):
                log.warning("database unavailable on %s %s: %s", scope["method"], route,
                            type(error).__name__)  # fmt: skip
                response = _unavailable()
            elif _sqlstate(error).startswith(DATA_EXCEPTION_CLASS):
                log.warning("value refused by the database on %s %s", scope["method"], route)
                response = validation_problem(
                    [{"field": "body", "rule": "data_exception",
                      "detail": "a value cannot be stored (out of range or not valid text)"}]
                )  # fmt: skip
            else:
                # The type only, once: the message and traceback may quote patient data.
                log.error("unhandled %s on %s %s", type(error).__name__, scope["method"], route)
                response = problem(
                    500, "internal-error", "Internal error", "something went wrong on our side"
                )
            if not started:
                await response(scope, receive, send)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
