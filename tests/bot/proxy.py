"""A loopback HTTP relay with a switchable upstream.

The bot process starts once per module (aiogram alone takes seconds to import) while
`live_api` is a new server per test; the bot talks to this relay, and each test points the
relay at its own API.
"""

from aiohttp import ClientSession, web

_HOP_BY_HOP = {"host", "content-length", "transfer-encoding", "connection"}


class Relay:
    def __init__(self) -> None:
        self.upstream = ""
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._session: ClientSession | None = None

    async def start(self, port: int) -> str:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._forward)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self._session = ClientSession()
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> web.Response:
        if not self.upstream or self._session is None:
            return web.Response(status=503, text="no upstream")
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        async with self._session.request(
            request.method,
            self.upstream + request.rel_url.path_qs,
            headers=headers,
            data=await request.read(),
        ) as response:
            body = await response.read()
            kept = {k: v for k, v in response.headers.items() if k.lower() not in _HOP_BY_HOP}
            return web.Response(status=response.status, body=body, headers=kept)
