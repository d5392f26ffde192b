"""No patient data in any log line, whatever goes wrong; an unexpected error is logged once with
the request id, the route template and the exception type, and leaves the client's keep-alive
connection usable. Against the served API (uvicorn's own logging included) on a PostgreSQL of
the test's own, which the test breaks on purpose."""

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import h11
import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from clinic.core.migrations import upgrade_head
from tests.conftest import ADMIN, LiveServer, bot_for, served_api
from tests.factories import ALL_WEEK_8_TO_20, at, booking
from tests.own_postgres import OwnPostgres

NAME = "Маркерова Секретина"
PHONE = "+79161234567"
TELEGRAM_ID = 987654321
REASON = "маркерная-жалоба-на-сыпь"
SECRETS = (NAME, "Маркерова", PHONE, "9161234567", str(TELEGRAM_ID), REASON, "маркерная")


@pytest.fixture
def postgres() -> Iterator[OwnPostgres]:
    server = OwnPostgres()
    try:
        server.start()
        upgrade_head(server.url)
        yield server
    finally:
        server.close()


@pytest.fixture
async def api(postgres: OwnPostgres, tmp_path: Path) -> AsyncIterator[LiveServer]:
    async with served_api(
        postgres.url,
        tmp_path / "api.log",
        LOG_LEVEL="DEBUG",
        DATABASE_CONNECT_TIMEOUT_SECONDS="1",
        DATABASE_COMMAND_TIMEOUT_SECONDS="2",
    ) as server:
        yield server


def _marked(doctor_id: int, **changes: Any) -> dict[str, Any]:
    body = booking(
        doctor_id,
        at(2, 10),
        patient_phone=PHONE,
        patient_telegram_id=TELEGRAM_ID,
        reason=REASON,
    )
    return body | {"patient_name": NAME} | changes


async def _on_one_connection(api: LiveServer, requests: list[tuple[str, str, bytes]]) -> list[int]:
    """Send the requests one after another on a single keep-alive connection; the statuses of
    those answered before the server closed it."""
    host, port = api.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    connection = h11.Connection(h11.CLIENT)
    statuses = []
    try:
        for number, (method, path, body) in enumerate(requests, start=1):
            headers = [("Host", host), ("Content-Type", "application/json"),
                       ("Content-Length", str(len(body))), ("X-Request-ID", f"keepalive-{number}"),
                       *ADMIN.items()]  # fmt: skip
            writer.write(connection.send(h11.Request(method=method, target=path, headers=headers)))
            writer.write(connection.send(h11.Data(data=body)) or b"")
            writer.write(connection.send(h11.EndOfMessage()) or b"")
            await writer.drain()
            while True:
                event = connection.next_event()
                if event is h11.NEED_DATA:
                    connection.receive_data(await asyncio.wait_for(reader.read(65536), 10))
                    continue
                if isinstance(event, h11.Response):
                    statuses.append(event.status_code)
                if isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                    break
            if connection.our_state is not h11.DONE or connection.their_state is not h11.DONE:
                break  # the server closed the connection after this response
            connection.start_next_cycle()
    finally:
        writer.close()
    return statuses


async def test_no_error_class_writes_patient_data_to_the_log(
    api: LiveServer, postgres: OwnPostgres
) -> None:
    async with AsyncClient(base_url=api.url, timeout=30) as http:
        await http.post(
            "/specialties",
            json={"code": "therapist", "name_ru": "Т", "name_en": "T"},
            headers=ADMIN,
        )
        doctor = await http.post(
            "/doctors",
            json={"full_name": "Д", "specialty": "therapist", "working_hours": ALL_WEEK_8_TO_20},
            headers=ADMIN,
        )
        doctor_id = doctor.json()["id"]
        patient = bot_for(TELEGRAM_ID)
        statuses = {
            201: await http.post("/appointments", json=_marked(doctor_id), headers=patient),
            409: await http.post("/appointments", json=_marked(doctor_id), headers=patient),
            422: await http.post(
                "/appointments", json=_marked(doctor_id, patient_phone="+7 000"), headers=patient
            ),
            404: await http.get("/appointments/1", headers=bot_for(TELEGRAM_ID + 1)),
            403: await http.get(
                "/appointments", params={"patient_telegram_id": TELEGRAM_ID}, headers=bot_for(1)
            ),
            413: await http.post(
                "/appointments",
                content=json.dumps(_marked(doctor_id, reason=REASON * 5000)),
                headers=patient | {"Content-Type": "application/json"},
            ),
        }
        for status, response in statuses.items():
            assert response.status_code == status, response.text

        # A 500: the history table disappears under the running API.
        engine = create_async_engine(postgres.url)
        async with engine.begin() as connection:
            await connection.execute(text("ALTER TABLE appointment_event RENAME TO gone"))
        await engine.dispose()
        body = json.dumps(_marked(doctor_id, start_time=at(2, 11).isoformat())).encode()
        answered = await _on_one_connection(
            api, [("POST", "/appointments", body), ("GET", "/health", b"")]
        )
        # The 500 is a response like any other, and the same connection goes on serving.
        assert answered == [500, 200]

        postgres.stop()
        unavailable = await http.post("/appointments", json=_marked(doctor_id), headers=patient)
        assert unavailable.status_code == 503

    logged = api.log.read_text()
    for secret in SECRETS:
        assert secret not in logged, f"{secret!r} reached the log"
    assert "Traceback" not in logged
    unexpected = [line for line in logged.splitlines() if "unhandled" in line]
    assert len(unexpected) == 1, unexpected  # logged once
    (line,) = unexpected
    assert "[keepalive-1]" in line  # the request id
    assert "POST /appointments" in line  # the route template
    # The exception type: the booking runs on the driver pool, so it is asyncpg's own.
    assert "UndefinedTableError" in line
