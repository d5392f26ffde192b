"""X-Client: the bot role says which front end calls, and bookings carry that source."""

from typing import Any

import pytest
from httpx import AsyncClient

from tests.conftest import ADMIN, BOT
from tests.factories import at, booking, make_doctor


async def _book(client: AsyncClient, headers: dict[str, str]) -> Any:
    doctor = await make_doctor(client)
    return await client.post(
        "/appointments", json=booking(doctor["id"], at(1, 10)), headers=headers
    )


@pytest.mark.parametrize(
    ("headers", "source"),
    [
        (BOT | {"X-Client": "chat"}, "chat"),
        (BOT | {"X-Client": "telegram"}, "bot"),
        (BOT, "bot"),
        (ADMIN | {"X-Client": "chat"}, "api"),  # staff calls are the API's, whatever they say
    ],
)
async def test_a_booking_is_recorded_with_the_front_ends_source(
    client: AsyncClient, headers: dict[str, str], source: str
) -> None:
    response = await _book(client, headers)

    assert response.status_code == 201, response.text
    assert response.json()["source"] == source
    history = await client.get(f"/appointments/{response.json()['id']}/history", headers=ADMIN)
    assert history.json()[0]["source"] == source


async def test_the_chats_changes_are_recorded_as_the_chats(client: AsyncClient) -> None:
    chat = BOT | {"X-Client": "chat"}
    created = (await _book(client, chat)).json()

    await client.post(f"/appointments/{created['id']}/cancel", json={}, headers=chat)

    history = await client.get(f"/appointments/{created['id']}/history", headers=ADMIN)
    assert [event["source"] for event in history.json()] == ["chat", "chat"]


async def test_an_unknown_client_is_a_clear_422(client: AsyncClient) -> None:
    response = await _book(client, BOT | {"X-Client": "fax"})
    assert response.status_code == 422
    assert "X-Client" in response.text or "x-client" in response.text


async def test_the_header_is_documented(client: AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    parameters = spec["paths"]["/appointments"]["post"]["parameters"]
    (header,) = [p for p in parameters if p["name"] == "X-Client"]
    assert header["in"] == "header"
    assert "chat" in header["description"]
