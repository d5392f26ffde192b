"""Duplicates in the directory are 409s decided by the constraints, even when concurrent, and
a doctor's schedule exceptions never overlap."""

import asyncio
from collections import Counter
from typing import Any

import pytest
from httpx import AsyncClient

from tests.conftest import ADMIN
from tests.factories import make_doctor

SPECIALTY = {"code": "allergist", "name_ru": "Аллерголог", "name_en": "Allergist"}


async def test_concurrent_posts_of_one_specialty_code_create_it_once(
    committed_client: AsyncClient,
) -> None:
    responses = await asyncio.gather(
        *(committed_client.post("/specialties", json=SPECIALTY, headers=ADMIN) for _ in range(20))
    )
    assert Counter(r.status_code for r in responses) == {201: 1, 409: 19}
    codes = [s["code"] for s in (await committed_client.get("/specialties")).json()]
    assert codes.count("allergist") == 1


async def test_concurrent_posts_of_one_closed_date_close_it_once(
    committed_client: AsyncClient,
) -> None:
    body = {"on_date": "2031-01-02", "note": "holiday"}
    responses = await asyncio.gather(
        *(committed_client.post("/closed-dates", json=body, headers=ADMIN) for _ in range(20))
    )
    assert Counter(r.status_code for r in responses) == {201: 1, 409: 19}


async def test_a_duplicate_specialty_is_409_and_the_transaction_goes_on(
    client: AsyncClient,
) -> None:
    first = await client.post("/specialties", json=SPECIALTY, headers=ADMIN)
    again = await client.post("/specialties", json=SPECIALTY, headers=ADMIN)
    assert (first.status_code, again.status_code) == (201, 409)
    assert again.headers["content-type"] == "application/problem+json"
    assert (await client.get("/specialties")).status_code == 200


EXCEPTION_DAY = "2031-03-04"


def _exception(start: str | None, end: str | None) -> dict[str, Any]:
    return {"on_date": EXCEPTION_DAY, "start_time": start, "end_time": end}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("09:00", "12:00"), ("11:00", "14:00")),  # partial overlap
        (("09:00", "12:00"), ("10:00", "11:00")),  # inside
        ((None, None), ("10:00", "11:00")),  # hours on a day off
        (("10:00", "11:00"), (None, None)),  # a day off over hours
        ((None, None), (None, None)),  # two days off
    ],
)
async def test_overlapping_exceptions_for_one_day_are_refused(
    client: AsyncClient, first: tuple[str | None, str | None], second: tuple[str | None, str | None]
) -> None:
    doctor = await make_doctor(client)
    path = f"/doctors/{doctor['id']}/exceptions"
    created = await client.post(path, json=_exception(*first), headers=ADMIN)
    refused = await client.post(path, json=_exception(*second), headers=ADMIN)

    assert created.status_code == 201
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["rule"] == "overlap"
    assert len((await client.get(path)).json()) == 1


async def test_back_to_back_exceptions_are_fine(client: AsyncClient) -> None:
    doctor = await make_doctor(client)
    path = f"/doctors/{doctor['id']}/exceptions"
    morning = await client.post(path, json=_exception("09:00", "12:00"), headers=ADMIN)
    afternoon = await client.post(path, json=_exception("12:00", "15:00"), headers=ADMIN)
    assert (morning.status_code, afternoon.status_code) == (201, 201)


async def test_concurrent_overlapping_exceptions_let_one_in(
    committed_client: AsyncClient,
) -> None:
    doctor = await make_doctor(committed_client)
    path = f"/doctors/{doctor['id']}/exceptions"
    bodies = [_exception(f"{9 + i % 3:02d}:00", "13:00") for i in range(12)]
    responses = await asyncio.gather(
        *(committed_client.post(path, json=body, headers=ADMIN) for body in bodies)
    )
    assert Counter(r.status_code for r in responses) == {201: 1, 422: 11}
    assert len((await committed_client.get(path)).json()) == 1
