"""Cross-site request forgery defence for the staff UI: unsafe requests must come from our own
pages. Browsers send `Origin` (or at least `Referer`) with every cross-site form post, so a
post whose origin names another site is refused; the session cookie is SameSite=lax as well.
"""

from urllib.parse import urlsplit

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class SameOriginMiddleware:
    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] not in SAFE_METHODS
            and scope["path"].startswith(self.prefix)
            and not _same_origin(scope)
        ):
            response = PlainTextResponse("Cross-site request refused", status_code=403)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _same_origin(scope: Scope) -> bool:
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
    claimed = headers.get("origin") or headers.get("referer")
    if not claimed or claimed == "null":
        # No browser posts a form across sites without saying where from; scripts and
        # tests that send neither header are not a CSRF vector.
        return claimed is None
    # Only Host: X-Forwarded-Host is honoured (folded into Host) by TrustedProxyMiddleware
    # when a configured proxy sent it, and dropped otherwise.
    return bool(urlsplit(claimed).netloc == headers.get("host", ""))
