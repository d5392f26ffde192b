"""Request bodies over API_MAX_BODY_BYTES are refused before they are parsed.

A declared Content-Length over the limit is answered here, before routing and auth. A body
without one (chunked) is counted as it arrives; the read that crosses the limit fails with a
413 HTTPException, which the problem handlers render like every other error.

Either way the unread rest is first discarded, up to DISCARD_BYTES and DISCARD_SECONDS (the
"lingering close" of web servers): closing a socket with unread data makes the kernel reset
it, and the client would lose the 413 it was about to read. Nothing discarded is kept.
"""

import asyncio

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clinic.core.problem import problem

DISCARD_BYTES = 1024 * 1024
DISCARD_SECONDS = 2.0


async def _discard_rest(receive: Receive) -> bool:
    """Read and drop what is left of the request body; True when all of it was read."""
    dropped = 0
    try:
        async with asyncio.timeout(DISCARD_SECONDS):
            while dropped <= DISCARD_BYTES:
                message = await receive()
                if message["type"] != "http.request":
                    return False
                dropped += len(message.get("body", b""))
                if not message.get("more_body", False):
                    return True
    except TimeoutError:
        pass
    return False


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._declared_size(scope) > self.max_bytes:
            whole = await _discard_rest(receive)
            response = problem(413, "content-too-large", "Content too large", self._detail())
            if not whole:
                # The rest is still on the wire: close rather than read it as a next request.
                response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    whole = not message.get("more_body", False) or await _discard_rest(receive)
                    headers = None if whole else {"Connection": "close"}
                    raise HTTPException(413, self._detail(), headers=headers)
            return message

        await self.app(scope, counted_receive, send)

    def _detail(self) -> str:
        return f"request bodies are limited to {self.max_bytes} bytes"

    @staticmethod
    def _declared_size(scope: Scope) -> int:
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    return int(value)
                except ValueError:
                    return 0  # the server refuses a malformed length itself
        return 0
