"""Operations: request ids, access lines, metrics, and no patient data in any log line."""

import json
import logging

import pytest
from httpx import AsyncClient

from clinic.core.logs import RequestIdFilter, request_id
from tests.conftest import BOT
from tests.factories import at, booking, make_doctor

PATIENT = "Зинаида Конфиденциальная"
PHONE = "+79161234567"
REASON = "стыдная сыпь на спине"


async def test_no_patient_data_reaches_the_logs(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    doctor = await make_doctor(client)
    body = booking(doctor["id"], at(1, 10), patient_phone=PHONE, reason=REASON)
    body["patient_name"] = PATIENT

    created = await client.post("/appointments", json=body, headers=BOT)
    await client.post("/appointments", json=body, headers=BOT)  # 409
    await client.post("/appointments", json=body | {"patient_phone": "+7 999"}, headers=BOT)
    await client.get("/appointments", params={"patient_telegram_id": 5}, headers=BOT)
    await client.post(
        f"/appointments/{created.json()['id']}/cancel", json={"reason": REASON}, headers=BOT
    )

    assert created.status_code == 201
    logged = "\n".join(
        f"{r.getMessage()} {r.args!r} {getattr(r, 'request_id', '')}" for r in caplog.records
    )
    assert "POST /appointments 201" in logged  # the access line is there...
    for secret in (PATIENT, "Зинаида", PHONE, "9161234567", REASON, "сыпь"):
        assert secret not in logged  # ...but nothing about the patient


async def test_every_response_has_a_request_id(client: AsyncClient) -> None:
    generated = await client.get("/health")
    echoed = await client.get("/health", headers={"X-Request-ID": "abc-123"})
    hostile = await client.get("/health", headers={"X-Request-ID": "<script>\n"})
    assert len(generated.headers["x-request-id"]) == 32
    assert echoed.headers["x-request-id"] == "abc-123"
    assert hostile.headers["x-request-id"] != "<script>\n"


def test_json_log_lines_carry_the_request_id() -> None:
    from pythonjsonlogger.json import JsonFormatter

    from clinic.core.logs import JSON_FIELDS

    record = logging.LogRecord("clinic", logging.INFO, __file__, 1, "booked", None, None)
    token = request_id.set("req-1")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(JsonFormatter(JSON_FIELDS).format(record))
    assert line["request_id"] == "req-1"
    assert line["message"] == "booked"


async def test_metrics_count_requests_bookings_and_conflicts(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    body = booking(doctor["id"], at(1, 10))
    await client.post("/appointments", json=body, headers=BOT | {"Idempotency-Key": "m1"})
    await client.post("/appointments", json=body, headers=BOT | {"Idempotency-Key": "m1"})
    await client.post("/appointments", json=body, headers=BOT)

    text = (await client.get("/metrics")).text

    assert "clinic_bookings_created_total 1.0" in text  # the replay is not a new booking
    assert "clinic_booking_conflicts_total 1.0" in text
    assert 'http_requests_total{handler="/appointments",method="POST",status="2xx"}' in text
    assert "http_request_duration_seconds" in text
