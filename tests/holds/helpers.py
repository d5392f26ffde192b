"""Shared steps of the hold and waitlist tests."""

from datetime import datetime
from typing import Any

from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from tests.conftest import BOT


async def hold(
    client: AsyncClient, doctor_id: int, start: datetime, headers: dict[str, str] = BOT
) -> dict[str, Any]:
    response = await client.post(
        "/holds", json={"doctor_id": doctor_id, "start_time": start.isoformat()}, headers=headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


AGE = text(
    "UPDATE hold SET expires_at = statement_timestamp() - interval '1 second' WHERE id = :id"
)


async def expire(db: AsyncSession | AsyncConnection, hold_id: int) -> None:
    """Let the hold's HOLD_MINUTES pass: its expiry is moved into the past."""
    await db.execute(AGE, {"id": hold_id})


async def slot_starts(client: AsyncClient, doctor_id: int, start: datetime) -> list[str]:
    params: dict[str, str | int] = {"doctor_id": doctor_id, "from": start.isoformat(), "limit": 3}
    return [s["start"] for s in (await client.get("/slots", params=params)).json()]
