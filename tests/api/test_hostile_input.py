"""Input PostgreSQL or Python cannot hold is a 422 naming the field, never a 500."""

import json
from typing import Any

import pytest
from httpx import AsyncClient

from tests.conftest import ADMIN
from tests.factories import at, booking, make_doctor

TOO_BIG_ID = 2**31  # one past PostgreSQL's integer
TOO_BIG_BIGINT = 2**63


async def _booking_body(client: AsyncClient, **changes: Any) -> dict[str, Any]:
    doctor = await make_doctor(client)
    return booking(doctor["id"], at(1, 10)) | changes


def _assert_refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in {error["field"] for error in response.json()["errors"]}, response.text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"patient_name": "Ива\x00н"}, "patient_name"),
        ({"reason": "боль\x00"}, "reason"),
        ({"doctor_id": TOO_BIG_ID}, "doctor_id"),
        ({"patient_telegram_id": TOO_BIG_BIGINT}, "patient_telegram_id"),
        ({"start_time": "0001-01-01T00:00+14:00"}, "start_time"),
        ({"start_time": "9999-12-31T23:59-12:00"}, "start_time"),
        ({"start_time": "9999-12-31T23:59"}, "start_time"),
    ],
)
async def test_booking_fields_out_of_reach_are_422(
    client: AsyncClient, changes: dict[str, Any], field: str
) -> None:
    body = await _booking_body(client, **changes)
    _assert_refused(await client.post("/appointments", json=body, headers=ADMIN), field)


async def test_a_lone_surrogate_in_json_is_422(client: AsyncClient) -> None:
    body = await _booking_body(client)
    # json.dumps would escape the backslash; the lone surrogate must arrive as JSON sends it.
    raw = json.dumps(body, ensure_ascii=False).replace(
        '"' + body["patient_name"] + '"', '"\\ud800"'
    )
    response = await client.post(
        "/appointments", content=raw, headers=ADMIN | {"Content-Type": "application/json"}
    )
    _assert_refused(response, "patient_name")


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/doctors", {"specialty": "a\x00b"}, "specialty"),
        ("/slots", {"specialty": "a\x00b"}, "specialty"),
        ("/slots", {"doctor_id": TOO_BIG_ID}, "doctor_id"),
        ("/slots", {"doctor_id": 1, "from": "0001-01-01T00:00+14:00"}, "from"),
        ("/slots", {"doctor_id": 1, "to": "9999-12-31T23:59-12:00"}, "to"),
        ("/slots", {"doctor_id": 1, "time_from": "10:00:00+03:00"}, "time_from"),
        ("/slots", {"doctor_id": 1, "time_to": "10:00Z"}, "time_to"),
        ("/appointments", {"doctor_id": TOO_BIG_ID}, "doctor_id"),
        ("/appointments", {"offset": TOO_BIG_BIGINT}, "offset"),
        ("/appointments", {"patient_telegram_id": TOO_BIG_BIGINT}, "patient_telegram_id"),
        ("/appointments", {"from": "0001-01-01T00:00+14:00"}, "from"),
        (f"/appointments/{TOO_BIG_ID}", {}, "appointment_id"),
        (f"/appointments/{TOO_BIG_ID}/history", {}, "appointment_id"),
        (f"/doctors/{TOO_BIG_ID}", {}, "doctor_id"),
        (f"/doctors/{TOO_BIG_ID}/exceptions", {}, "doctor_id"),
    ],
)
async def test_queries_and_paths_out_of_reach_are_422(
    client: AsyncClient, path: str, params: dict[str, Any], field: str
) -> None:
    _assert_refused(await client.get(path, params=params, headers=ADMIN), field)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PATCH", f"/appointments/{TOO_BIG_ID}"),
        ("POST", f"/appointments/{TOO_BIG_ID}/cancel"),
        ("PATCH", f"/doctors/{TOO_BIG_ID}"),
        ("DELETE", f"/doctors/1/exceptions/{TOO_BIG_ID}"),
    ],
)
async def test_write_paths_with_ids_out_of_reach_are_422(
    client: AsyncClient, method: str, path: str
) -> None:
    response = await client.request(method, path, json={}, headers=ADMIN)
    assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/specialties", {"code": "ent", "name_ru": "Л\x00ОР", "name_en": "ENT"}, "name_ru"),
        ("/closed-dates", {"on_date": "2030-01-07", "note": "\x00"}, "note"),
        ("/doctors", {"full_name": "Д\x00", "specialty": "therapist"}, "full_name"),
    ],
)
async def test_directory_text_with_nul_is_422(
    client: AsyncClient, path: str, body: dict[str, Any], field: str
) -> None:
    _assert_refused(await client.post(path, json=body, headers=ADMIN), field)


@pytest.mark.parametrize("stamp", ["10:00+03:00", "10:00Z"])
async def test_working_hours_with_an_offset_are_422(client: AsyncClient, stamp: str) -> None:
    doctor = await make_doctor(client)
    hours = [{"weekday": 0, "start_time": stamp, "end_time": "18:00"}]
    response = await client.put(f"/doctors/{doctor['id']}/working-hours", json=hours, headers=ADMIN)
    _assert_refused(response, "0.start_time")


async def test_an_exception_with_an_offset_is_422(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    body = {"on_date": "2030-01-08", "start_time": "09:00", "end_time": "12:00+05:00"}
    response = await client.post(f"/doctors/{doctor['id']}/exceptions", json=body, headers=ADMIN)
    _assert_refused(response, "end_time")


async def test_unparsable_json_names_the_body_not_an_offset(client: AsyncClient) -> None:
    response = await client.post(
        "/appointments",
        content=b'{"patient_name": "x",',
        headers=ADMIN | {"Content-Type": "application/json"},
    )
    _assert_refused(response, "body")


async def test_a_body_that_is_not_utf8_is_422_on_the_body(client: AsyncClient) -> None:
    response = await client.post(
        "/appointments",
        content=b'{"patient_name": "\xff\xfe"}',
        headers=ADMIN | {"Content-Type": "application/json"},
    )
    _assert_refused(response, "body")


async def test_validation_messages_carry_no_pydantic_prefix(client: AsyncClient) -> None:
    body = await _booking_body(client, patient_phone="not a phone")
    response = await client.post("/appointments", json=body, headers=ADMIN)
    _assert_refused(response, "patient_phone")
    for error in response.json()["errors"]:
        assert not error["detail"].startswith("Value error")
    assert "Value error" not in response.json()["detail"]
