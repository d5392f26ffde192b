"""A counting TCP proxy in front of PostgreSQL: how many round trips does a request cost?

Every client message that makes the server answer with ReadyForQuery is one round trip: a
simple Query ('Q') or the Sync ('S') that closes an extended-protocol exchange (parse, bind,
execute). BEGIN and COMMIT are simple queries, so they count too. Counting on the wire sees
what any driver or ORM really sends, including what it hides (pings, resets, prepares).
"""

import asyncio
import contextlib
import struct
from dataclasses import dataclass, field

# Requests that come before the StartupMessage and carry no type byte.
_PRE_STARTUP_CODES = {80877103, 80877104}  # SSLRequest, GSSENCRequest


@dataclass
class Counts:
    round_trips: int = 0
    connections: int = 0
    _tasks: set[asyncio.Task[None]] = field(default_factory=set, repr=False)


class RoundTripProxy:
    """Listens on a loopback port and forwards every connection to PostgreSQL."""

    def __init__(self, target_host: str, target_port: int) -> None:
        # A host that is a directory is a Unix socket's (the embedded PostgreSQL's).
        self.target = (target_host, target_port)
        self.counts = Counts()
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for task in list(self.counts._tasks):
                task.cancel()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()

    async def _serve(
        self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter
    ) -> None:
        self.counts.connections += 1
        host, port = self.target
        if host.startswith("/"):
            server_in, server_out = await asyncio.open_unix_connection(f"{host}/.s.PGSQL.{port}")
        else:
            server_in, server_out = await asyncio.open_connection(host, port)
        upstream = asyncio.create_task(self._client_to_server(client_in, server_out))
        downstream = asyncio.create_task(self._pipe(server_in, client_out))
        for task in (upstream, downstream):
            self.counts._tasks.add(task)
            task.add_done_callback(self.counts._tasks.discard)
        await asyncio.wait({upstream, downstream}, return_when=asyncio.FIRST_COMPLETED)
        for task in (upstream, downstream):
            task.cancel()
        for writer in (client_out, server_out):
            writer.close()

    async def _client_to_server(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        started = False
        while True:
            if not started:
                header = await reader.readexactly(8)
                length, code = struct.unpack("!ii", header)
                writer.write(header + await reader.readexactly(length - 8))
                started = code not in _PRE_STARTUP_CODES
            else:
                kind = await reader.readexactly(1)
                (length,) = struct.unpack("!i", await reader.readexactly(4))
                body = await reader.readexactly(length - 4)
                if kind in (b"Q", b"S"):
                    self.counts.round_trips += 1
                writer.write(kind + struct.pack("!i", length) + body)
            await writer.drain()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
