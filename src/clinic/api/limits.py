"""Request bodies over API_MAX_BODY_BYTES are refused before they are read.

A declared Content-Length over the limit is answered here at once, before routing and auth.
A body without one (chunked) is counted as it arrives; the read that crosses the limit fails
with a 413 HTTPException, which the problem handlers render like every other error.
"""

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clinic.api.problems import problem


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._declared_size(scope) > self.max_bytes:
            response = problem(413, "content-too-large", "Content too large", self._detail())
            # The unread body stays on the wire: close rather than parse it as a next request.
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
                    raise HTTPException(413, self._detail(), headers={"Connection": "close"})
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
