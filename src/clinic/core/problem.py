"""The RFC 9457 problem+json response, shared by the API and the bot's webhook app."""

from typing import Any

from fastapi.responses import JSONResponse

# A URN names the problem kind without pretending a documentation page exists.
PROBLEM_TYPE = "urn:clinic:problem:"


def problem(status: int, code: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    """An application/problem+json response of this status."""
    body = {"type": PROBLEM_TYPE + code, "title": title, "status": status, "detail": detail}
    return JSONResponse(body | extra, status_code=status, media_type="application/problem+json")
