"""schedule version: a count of the changes to what a booking's rules read

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 10:00:00.000000+00:00

The API keeps the doctor-days it has read (a doctor, their hours and exceptions that day,
a closed date) and books against them in one statement, which also checks that this count is
still the one read with them; a change to the schedule makes that check fail and the booking
reads afresh. Statement triggers bump it on every change to the five tables, so every writer
(API, staff UI, SQL) moves it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEDULE_TABLES = ("specialty", "doctor", "working_hours", "schedule_exception", "closed_date")

SCHEDULE_CHANGED = """
CREATE FUNCTION schedule_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE schedule_version SET version = version + 1;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "schedule_version",
        sa.Column("id", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id", name=op.f("ck_schedule_version_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_version")),
    )
    op.execute("INSERT INTO schedule_version (id, version) VALUES (true, 1)")
    op.execute(SCHEDULE_CHANGED)
    for table in SCHEDULE_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_schedule_changed "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION schedule_changed()"
        )


def downgrade() -> None:
    for table in SCHEDULE_TABLES:
        op.execute(f"DROP TRIGGER {table}_schedule_changed ON {table}")
    op.execute("DROP FUNCTION schedule_changed()")
    op.drop_table("schedule_version")
