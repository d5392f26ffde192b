"""freed version: per doctor, a count of the changes that may have freed booked time

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 10:00:00.000000+00:00

A booking only ever takes time; what gives time back is an active appointment cancelled,
moved (another doctor, start or end) or deleted. A row trigger on each such change bumps the
doctor's count, whoever writes (API, staff UI, SQL); a TRUNCATE bumps every doctor's
(a doctor without a row counts 0). A
process that found a doctor's time fully booked from one moment to another keeps that finding
with this count and the schedule version (0009): while both are unchanged, no slot in that
stretch can have become free, and the 409's search for alternatives skips it unread
(clinic.availability.booked_through). A booking pays nothing: the trigger does not fire on
INSERT.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BOOKED_TIME_FREED = """
CREATE FUNCTION booked_time_freed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO freed_version AS f (doctor_id, version) VALUES (OLD.doctor_id, 1)
    ON CONFLICT (doctor_id) DO UPDATE SET version = f.version + 1;
    RETURN NULL;
END
$$
"""

# Every doctor's, those never freed before included: their count moves from 0 too.
ALL_BOOKED_TIME_FREED = """
CREATE FUNCTION all_booked_time_freed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO freed_version AS f (doctor_id, version) SELECT id, 1 FROM doctor
    ON CONFLICT (doctor_id) DO UPDATE SET version = f.version + 1;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "freed_version",
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["doctor.id"],
            name=op.f("fk_freed_version_doctor_id_doctor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("doctor_id", name=op.f("pk_freed_version")),
    )
    op.execute(BOOKED_TIME_FREED)
    op.execute(ALL_BOOKED_TIME_FREED)
    # Only an active appointment holds time; of its changes, only these give some back.
    op.execute(
        "CREATE TRIGGER appointment_time_freed AFTER UPDATE ON appointment FOR EACH ROW "
        "WHEN (OLD.status <> 'cancelled' AND (NEW.status = 'cancelled' "
        "OR NEW.doctor_id <> OLD.doctor_id OR NEW.start_time <> OLD.start_time "
        "OR NEW.end_time <> OLD.end_time)) EXECUTE FUNCTION booked_time_freed()"
    )
    op.execute(
        "CREATE TRIGGER appointment_time_freed_by_delete AFTER DELETE ON appointment "
        "FOR EACH ROW WHEN (OLD.status <> 'cancelled') EXECUTE FUNCTION booked_time_freed()"
    )
    op.execute(
        "CREATE TRIGGER appointment_time_freed_by_truncate AFTER TRUNCATE ON appointment "
        "FOR EACH STATEMENT EXECUTE FUNCTION all_booked_time_freed()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER appointment_time_freed_by_truncate ON appointment")
    op.execute("DROP TRIGGER appointment_time_freed_by_delete ON appointment")
    op.execute("DROP TRIGGER appointment_time_freed ON appointment")
    op.execute("DROP FUNCTION all_booked_time_freed()")
    op.execute("DROP FUNCTION booked_time_freed()")
    op.drop_table("freed_version")
