"""The reference of `make bench`: FastAPI and one asyncpg INSERT, nothing else.

It is served by the same uvicorn as `clinic serve` (whatever event loop and HTTP parser that
installs), so the ratio between the two is the price of the project's own code: rules,
history, idempotency, validation, logging and metrics.

    BENCH_MINIMAL_DSN=postgresql://... uv run uvicorn benchmarks.minimal_app:app
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

import asyncpg
from fastapi import FastAPI
from pydantic import BaseModel

# Created by the benchmark next to the clinic's tables: no constraints, one primary key.
TABLE_DDL = """
CREATE TABLE IF NOT EXISTS bench_minimal_booking (
    id bigserial PRIMARY KEY,
    doctor_id integer NOT NULL,
    patient_name text NOT NULL,
    start_time timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
)
"""
INSERT = (
    "INSERT INTO bench_minimal_booking (doctor_id, patient_name, start_time) "
    "VALUES ($1, $2, $3) RETURNING id, created_at"
)


class BookingIn(BaseModel):
    patient_name: str
    doctor_id: int
    start_time: datetime


class BookingOut(BookingIn):
    id: int
    created_at: datetime


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    size = int(os.environ.get("BENCH_MINIMAL_POOL", "20"))
    # A fixed pool that never closes idle connections, like the clinic's.
    app.state.pool = await asyncpg.create_pool(
        os.environ["BENCH_MINIMAL_DSN"],
        min_size=size,
        max_size=size,
        max_inactive_connection_lifetime=0,
    )
    try:
        yield
    finally:
        await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


@app.post("/appointments", status_code=201)
async def book(data: BookingIn) -> BookingOut:
    row = await app.state.pool.fetchrow(INSERT, data.doctor_id, data.patient_name, data.start_time)
    return BookingOut(id=row["id"], created_at=row["created_at"], **data.model_dump())


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
