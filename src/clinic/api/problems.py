"""Every error as RFC 9457 application/problem+json, validation errors included."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from clinic.core.errors import DomainError, Unauthorized

log = logging.getLogger(__name__)

# A URN names the problem kind without pretending a documentation page exists.
PROBLEM_TYPE = "urn:clinic:problem:"


def problem(status: int, code: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": PROBLEM_TYPE + code, "title": title, "status": status, "detail": detail}
    return JSONResponse(body | extra, status_code=status, media_type="application/problem+json")


async def _domain_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    response = problem(error.status, error.code, error.title, error.detail, **error.extra)
    if isinstance(error, Unauthorized):
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = [
        {
            # Drop the "body"/"query" prefix; keep the path into the payload.
            "field": ".".join(str(part) for part in item["loc"][1:]) or str(item["loc"][0]),
            "rule": item["type"],
            "detail": item["msg"],
        }
        for item in error.errors()
    ]
    first = errors[0] if errors else {"field": "", "detail": "invalid request"}
    return problem(
        422,
        "validation-error",
        "The request is not valid",
        f"{first['field']}: {first['detail']}",
        errors=errors,
    )


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    response = problem(error.status_code, "http-error", str(error.detail), str(error.detail))
    for name, value in (error.headers or {}).items():
        response.headers[name] = value
    return response


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    # The type only: exception messages may quote patient data.
    log.error("unhandled %s on %s %s", type(error).__name__, request.method, request.url.path)
    return problem(500, "internal-error", "Internal error", "something went wrong on our side")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
