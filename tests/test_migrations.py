"""Alembic builds the schema from nothing, and the models match it exactly."""

import asyncio
import secrets
from collections.abc import AsyncIterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from clinic.core.metadata import metadata
from clinic.core.migrations import alembic_config, upgrade_head


@pytest.fixture
async def empty_database(database_url: str) -> AsyncIterator[str]:
    server = make_url(database_url)
    name = f"clinic_migrate_{secrets.token_hex(4)}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        await admin.dispose()


async def test_upgrade_head_on_empty_database_creates_every_table(empty_database: str) -> None:
    await asyncio.to_thread(upgrade_head, empty_database)
    engine = create_async_engine(empty_database)
    async with engine.connect() as connection:
        tables = set(
            (
                await connection.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                )
            ).scalars()
        )
    await engine.dispose()
    assert tables == set(metadata.tables) | {"alembic_version"}


async def test_models_and_migrations_do_not_drift(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        diff = await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), metadata
            )
        )
    assert diff == []


async def _run(url: str, *statements: str) -> list[tuple[object, ...]]:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            rows: list[tuple[object, ...]] = []
            for statement in statements:
                result = await connection.execute(text(statement))
                rows = [tuple(r) for r in result] if result.returns_rows else []
            return rows
    finally:
        await engine.dispose()


async def test_0008_queues_unhandled_cancellations_and_goes_down_and_up(
    empty_database: str,
) -> None:
    await asyncio.to_thread(command.upgrade, alembic_config(empty_database), "0007")
    # Two future appointments cancelled: one the old scan already handled, one not yet.
    await _run(
        empty_database,
        "INSERT INTO specialty (id, code, name_ru, name_en) VALUES (1, 'x', 'x', 'x')",
        "INSERT INTO doctor (id, full_name, specialty_id, slot_minutes) VALUES (1, 'D', 1, 30)",
        "INSERT INTO appointment (id, doctor_id, patient_name, start_time, end_time, status, "
        "source) VALUES "
        "(1, 1, 'P', now() + interval '2 days', now() + interval '2 days 30 min', "
        "'cancelled', 'api'), "
        "(2, 1, 'P', now() + interval '3 days', now() + interval '3 days 30 min', "
        "'cancelled', 'api')",
        "INSERT INTO appointment_event (id, appointment_id, action, source) VALUES "
        "(1, 1, 'cancelled', 'api'), (2, 2, 'cancelled', 'api')",
        "INSERT INTO waitlist_freed (event_id) VALUES (1)",
    )

    await asyncio.to_thread(command.upgrade, alembic_config(empty_database), "0008")
    queued = await _run(empty_database, "SELECT event_id FROM waitlist_opening")
    assert queued == [(2,)]

    await asyncio.to_thread(command.downgrade, alembic_config(empty_database), "0007")
    handled = await _run(empty_database, "SELECT event_id FROM waitlist_freed ORDER BY 1")
    assert handled == [(1,)]  # the queued one is the old scan's to find again
    await asyncio.to_thread(command.upgrade, alembic_config(empty_database), "head")
    assert await _run(empty_database, "SELECT event_id FROM waitlist_opening") == [(2,)]
