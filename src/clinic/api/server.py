"""How `clinic serve` runs uvicorn: keep-alive and header timeouts, a concurrency limit, and
no proxy headers (TrustedProxyMiddleware in the app decides whom to believe).

uvicorn closes an idle keep-alive connection, but never one that opened and then sends its
request head slowly or not at all: thousands of those stop a server from accepting. The
protocol below closes a connection whose request head is not complete in time.
"""

import asyncio
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from clinic.core.settings import Settings


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol, plus: the request head must arrive within `header_timeout`
    seconds of the connection opening (or of the previous response)."""

    header_timeout: float = 10.0
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._expect_a_request_head()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._expect_a_request_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def _expect_a_request_head(self) -> None:
        self._stop_waiting()
        self._header_timer = self.loop.call_later(self.header_timeout, self._head_overdue)

    def _stop_waiting(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _head_overdue(self) -> None:
        self._header_timer = None
        # IDLE: h11 has not seen a complete request head yet (none, or a partial one).
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def server_config(settings: Settings, app: Any, host: str, port: int) -> uvicorn.Config:
    protocol = type(
        "ClinicHttpProtocol",
        (HeaderTimeoutProtocol,),
        {"header_timeout": settings.server_header_timeout_seconds},
    )
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=protocol,
        log_config=None,
        proxy_headers=False,
        timeout_keep_alive=settings.server_keep_alive_seconds,
        # Past this many connections and requests at once, uvicorn answers 503 at once
        # instead of queueing work it cannot finish.
        limit_concurrency=settings.server_max_concurrency,
        backlog=settings.server_backlog,
        # On SIGTERM uvicorn stops accepting, lets in-flight requests finish, then exits.
        timeout_graceful_shutdown=20,
    )
