"""reminders: the patient's confirmation, the reminders sent, and the job queue's schema

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-03 10:00:00.000000+00:00

The job engine (procrastinate) keeps its tables, functions and triggers in a PostgreSQL
schema of its own, `procrastinate`, so the clinic's `public` schema stays exactly what the
models say. Its SQL is the engine's own: the migration files its package ships, applied in
their order up to the version pinned here. A later engine version that brings new migration
files gets a new Alembic revision applying just those (PROCRASTINATE_AFTER below).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from procrastinate.schema import SchemaManager
from sqlalchemy.util import await_only

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JOBS_SCHEMA = "procrastinate"
# The last of procrastinate's migration files this revision applies (procrastinate 3.10).
PROCRASTINATE_UP_TO = "03.04.00_50"


def _procrastinate_sql() -> list[str]:
    from pathlib import Path

    files = sorted(Path(SchemaManager.get_migrations_path()).glob("*.sql"))
    chosen = [f for f in files if f.name[: len(PROCRASTINATE_UP_TO)] <= PROCRASTINATE_UP_TO]
    return [f.read_text(encoding="utf-8") for f in chosen]


def upgrade() -> None:
    op.add_column(
        "appointment", sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("appointment", sa.Column("patient_language", sa.String(2), nullable=True))
    op.create_check_constraint(
        op.f("ck_appointment_patient_language"),
        "appointment",
        "patient_language IN ('ru', 'en')",
    )
    op.drop_constraint(op.f("ck_appointment_event_action"), "appointment_event", type_="check")
    op.create_check_constraint(
        op.f("ck_appointment_event_action"),
        "appointment_event",
        "action IN ('created', 'rescheduled', 'cancelled', 'status_changed', 'updated', "
        "'confirmed')",
    )
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "claimed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=True),
        sa.Column("failure", sa.String(60), nullable=True),
        sa.CheckConstraint("hours > 0", name=op.f("ck_reminder_hours")),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_reminder_appointment_id_appointment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
        sa.UniqueConstraint(
            "appointment_id",
            "hours",
            "start_time",
            name=op.f("uq_reminder_appointment_id_hours_start_time"),
        ),
    )

    op.execute(f"CREATE SCHEMA {JOBS_SCHEMA}")
    # Some of the engine's files add an enum value that a later file uses, which PostgreSQL
    # allows only once the first is committed: each file runs on its own, autocommitted.
    # asyncpg runs a script of many statements only unprepared, on the driver's connection.
    with op.get_context().autocommit_block():
        driver = op.get_bind().connection.driver_connection
        assert driver is not None
        # The engine's SQL names its objects without a schema: they land in the first
        # schema of the path. Its own connections use the same path (clinic.worker.app).
        await_only(driver.execute(f"SET search_path TO {JOBS_SCHEMA}"))
        try:
            for script in _procrastinate_sql():
                await_only(driver.execute(script))
        finally:
            await_only(driver.execute("RESET search_path"))


def downgrade() -> None:
    op.execute(f"DROP SCHEMA {JOBS_SCHEMA} CASCADE")
    op.drop_table("reminder")
    op.execute("DELETE FROM appointment_event WHERE action = 'confirmed'")
    op.drop_constraint(op.f("ck_appointment_event_action"), "appointment_event", type_="check")
    op.create_check_constraint(
        op.f("ck_appointment_event_action"),
        "appointment_event",
        "action IN ('created', 'rescheduled', 'cancelled', 'status_changed', 'updated')",
    )
    op.drop_constraint(op.f("ck_appointment_patient_language"), "appointment", type_="check")
    op.drop_column("appointment", "patient_language")
    op.drop_column("appointment", "confirmed_at")
