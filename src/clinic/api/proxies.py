"""Forwarded headers count only when they come from a configured proxy (TRUSTED_PROXIES).

Behind a reverse proxy, the client's address, scheme and the host it asked for arrive in
X-Forwarded-For / -Proto / -Host. Anyone can send those headers, so they are honoured only
when the connection itself comes from a trusted proxy; otherwise X-Forwarded-Host is dropped
here, and the CSRF check and the login throttle see the real peer and Host.
"""

import ipaddress
from typing import Any, cast

from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_proxies(value: str) -> list[IPNetwork]:
    """`10.0.0.1, 172.16.0.0/12` -> networks; a malformed entry is a configuration error."""
    return [ipaddress.ip_network(item.strip()) for item in value.split(",") if item.strip()]


class TrustedProxyMiddleware:
    def __init__(self, app: ASGIApp, proxies: list[IPNetwork]) -> None:
        self.proxies = proxies
        self.app = app
        if proxies:
            # uvicorn's well-tested handling of X-Forwarded-For and -Proto, with the same
            # trust. With no proxy configured nobody is trusted, and it would change nothing.
            forwarding = ProxyHeadersMiddleware(
                cast(Any, app), trusted_hosts=[str(p) for p in proxies]
            )
            self.app = cast(ASGIApp, forwarding)  # uvicorn types ASGI apps its own way

    def _trusted(self, scope: Scope) -> bool:
        client = scope.get("client")
        if not self.proxies or not client:
            return False
        try:
            peer = ipaddress.ip_address(client[0])
        except ValueError:
            return False
        return any(peer in network for network in self.proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The headers are rebuilt only when X-Forwarded-Host is there to drop or honour.
        if scope["type"] == "http" and any(k == b"x-forwarded-host" for k, _ in scope["headers"]):
            scope["headers"] = self._host_headers(scope)
        await self.app(scope, receive, send)

    def _host_headers(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        headers: list[tuple[bytes, bytes]] = list(scope["headers"])
        forwarded = [v for k, v in headers if k == b"x-forwarded-host"]
        kept = [(k, v) for k, v in headers if k != b"x-forwarded-host"]
        if forwarded and self._trusted(scope):
            # The proxy's view wins: the host the browser asked for.
            host = forwarded[-1].split(b",")[-1].strip()
            kept = [(k, v) for k, v in kept if k != b"host"] + [(b"host", host)]
        return kept
