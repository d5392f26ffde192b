"""How `clinic serve` runs uvicorn: keep-alive and header timeouts, a concurrency limit, and
no proxy headers (TrustedProxyMiddleware in the app decides whom to believe).

uvicorn closes an idle keep-alive connection, but never one that opened and then sends its
request head slowly or not at all: thousands of those stop a server from accepting. The
protocols below close a connection whose request head is not complete in time. They are
module-level classes configured from the settings, so worker processes can import them.
"""

import asyncio
import importlib.util
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from clinic.core.settings import Settings, get_settings


class _HeadDeadline:
    """The request head must arrive within SERVER_HEADER_TIMEOUT_SECONDS of the connection
    opening, or of the previous response. Mixed into uvicorn's HTTP protocols."""

    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    _deadline: asyncio.TimerHandle | None = None
    _heads_seen = 0  # request heads parsed on this connection
    _heads_at_arming = 0

    def _arm(self) -> None:
        self._disarm()
        self._heads_at_arming = self._heads_seen
        timeout = get_settings().server_header_timeout_seconds
        self._deadline = self.loop.call_later(timeout, self._overdue)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _head_arrived(self) -> bool:
        return self._heads_seen > self._heads_at_arming

    def _overdue(self) -> None:
        self._deadline = None
        if not self._head_arrived() and not self.transport.is_closing():
            self.transport.close()


class HeaderTimeoutH11Protocol(_HeadDeadline, H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _head_arrived(self) -> bool:
        # h11 leaves IDLE once it has parsed a complete request head.
        return self.conn.their_state is not h11.IDLE


if importlib.util.find_spec("httptools") is not None:
    # uvicorn's faster parser, when installed: the same deadline on it.
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class HeaderTimeoutHttpToolsProtocol(_HeadDeadline, HttpToolsProtocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_headers_complete(self) -> None:
            self._heads_seen += 1
            super().on_headers_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    HeaderTimeoutProtocol: type[asyncio.Protocol] = HeaderTimeoutHttpToolsProtocol
else:
    HeaderTimeoutProtocol = HeaderTimeoutH11Protocol


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn.run() keyword arguments for the API, from the settings."""
    return {
        "http": HeaderTimeoutProtocol,
        "log_config": None,
        "proxy_headers": False,
        "timeout_keep_alive": settings.server_keep_alive_seconds,
        # Past this many connections and requests at once (per process), uvicorn answers
        # 503 at once instead of queueing work it cannot finish.
        "limit_concurrency": settings.server_max_concurrency,
        "backlog": settings.server_backlog,
        # On SIGTERM uvicorn stops accepting, lets in-flight requests finish, then exits.
        "timeout_graceful_shutdown": 20,
    }
