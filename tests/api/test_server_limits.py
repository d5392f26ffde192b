"""Limits: bodies over API_MAX_BODY_BYTES are refused unread (before auth), and the served
API closes connections that never finish a request head."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from httpx import ASGITransport, AsyncClient

from clinic.api.app import create_app
from clinic.api.server import server_options
from clinic.core.settings import Settings
from tests.conftest import ADMIN, LiveServer, served_api

TOO_BIG = 64 * 1024 + 1


async def test_a_body_over_the_limit_is_413_before_auth(client: AsyncClient) -> None:
    response = await client.post(
        "/appointments",
        content=b"{" + b" " * TOO_BIG + b"}",
        headers={"Content-Type": "application/json"},  # and no token at all
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_streamed_body_over_the_limit_is_413(client: AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b" " * 4096  # no Content-Length: counted as it arrives

    response = await client.post(
        "/appointments", content=chunks(), headers=ADMIN | {"Content-Type": "application/json"}
    )
    assert response.status_code == 413


async def test_a_body_under_the_limit_is_read(client: AsyncClient) -> None:
    response = await client.post(
        "/specialties", json={"code": "x" * 5, "name_ru": "a" * 90, "name_en": "b"}, headers=ADMIN
    )
    assert response.status_code == 201


async def test_the_limit_is_a_setting(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"api_max_body_bytes": 2048}))
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://clinic") as http:
        response = await http.post("/specialties", content=b"x" * 2049)
    assert response.status_code == 413


def test_serve_sets_timeouts_and_a_concurrency_limit(settings: Settings) -> None:
    tuned = settings.model_copy(
        update={"server_keep_alive_seconds": 7, "server_max_concurrency": 50}
    )
    options = server_options(tuned)
    assert options["timeout_keep_alive"] == 7
    assert options["limit_concurrency"] == 50
    assert options["proxy_headers"] is False
    assert issubclass(options["http"], asyncio.Protocol)


@pytest.fixture(scope="module")
async def impatient_api(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[LiveServer]:
    """One server for the module's connection tests: each test opens connections of its own,
    and none of them writes data."""
    log = tmp_path_factory.mktemp("impatient") / "api.log"
    async with served_api(database_url, log, SERVER_HEADER_TIMEOUT_SECONDS="1") as server:
        yield server


async def _closed_within(server: LiveServer, seconds: float, send: bytes) -> bool:
    host, port = server.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        if send:
            writer.write(send)
            await writer.drain()
        return await asyncio.wait_for(reader.read(), seconds) == b""
    except TimeoutError:
        return False
    finally:
        writer.close()


async def test_a_silent_connection_is_closed(impatient_api: LiveServer) -> None:
    assert await _closed_within(impatient_api, 5, b"")


async def test_a_request_head_that_never_ends_is_closed(impatient_api: LiveServer) -> None:
    assert await _closed_within(impatient_api, 5, b"GET /health HTTP/1.1\r\nHost: x\r\n")


async def test_a_keep_alive_client_is_served_across_requests(impatient_api: LiveServer) -> None:
    async with AsyncClient(base_url=impatient_api.url) as http:
        for _ in range(3):
            assert (await http.get("/health")).status_code == 200
            await asyncio.sleep(0.6)  # under the keep-alive timeout and the header timeout
