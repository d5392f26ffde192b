"""Request ids and access lines, as a pure ASGI middleware (no per-request Python overhead of
BaseHTTPMiddleware on the booking hot path)."""

import itertools
import logging
import re
import secrets
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clinic.core.logs import request_id

log = logging.getLogger("clinic.access")

# A caller's id is reused only when it is short and plain, so it is safe to log and echo.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Generated ids: a random prefix per process and a counter, 32 hex digits like a UUID's;
# unique without a call to the OS for randomness on every request.
_PROCESS_PREFIX = secrets.token_hex(8)
_COUNTER = itertools.count(1)


def new_request_id() -> str:
    return f"{_PROCESS_PREFIX}{next(_COUNTER):016x}"


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if SAFE_REQUEST_ID.match(incoming) else new_request_id()
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", "unmatched")  # the template, e.g. /appointments/{id}
            log.info(
                "%s %s %s %.1fms",
                scope["method"],
                path,
                status,
                (time.perf_counter() - started) * 1000,
            )
            request_id.reset(token)
