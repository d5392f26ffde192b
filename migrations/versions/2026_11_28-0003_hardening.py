"""hardening: idempotency keys per role, non-overlapping schedule exceptions, server-side
staff sessions and failed-login counters

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 10:00:00.000000+00:00

The exclusion constraint refuses to be added while overlapping exceptions exist: remove the
duplicates first (the staff UI lists them per doctor and date).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Keys stored so far were taken by whichever role; they replay for admins only now.
    op.add_column(
        "idempotency_key",
        sa.Column("role", sa.String(length=10), nullable=False, server_default="admin"),
    )
    op.alter_column("idempotency_key", "role", server_default=None)
    op.drop_constraint("pk_idempotency_key", "idempotency_key", type_="primary")
    op.create_primary_key("pk_idempotency_key", "idempotency_key", ["role", "key"])

    _refuse_overlapping_exceptions()
    op.execute(
        "ALTER TABLE schedule_exception ADD CONSTRAINT ex_schedule_exception_doctor_hours_overlap "
        "EXCLUDE USING gist (int4range(doctor_id, doctor_id, '[]') WITH &&, "
        "tsrange(on_date + coalesce(start_time, time '00:00'), "
        "on_date + coalesce(end_time, time '24:00')) WITH &&)"
    )

    op.create_table(
        "staff_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["staff_account.id"],
            name=op.f("fk_staff_session_account_id_staff_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_session")),
    )
    op.create_index(op.f("ix_staff_session_account_id"), "staff_session", ["account_id"])
    op.create_index(op.f("ix_staff_session_expires_at"), "staff_session", ["expires_at"])

    op.create_table(
        "login_failure",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_failure")),
    )


def _refuse_overlapping_exceptions() -> None:
    """Name what to clean up instead of failing with PostgreSQL's bare exclusion error."""
    clashes = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT DISTINCT a.doctor_id, a.on_date FROM schedule_exception a "
                "JOIN schedule_exception b ON a.doctor_id = b.doctor_id AND a.on_date = b.on_date "
                "AND a.id < b.id AND coalesce(a.start_time, time '00:00') < "
                "coalesce(b.end_time, time '24:00') AND coalesce(b.start_time, time '00:00') < "
                "coalesce(a.end_time, time '24:00') ORDER BY 1, 2"
            )
        )
        .all()
    )
    if clashes:
        listed = ", ".join(f"doctor {doctor} on {day}" for doctor, day in clashes[:20])
        raise RuntimeError(
            f"overlapping schedule exceptions ({listed}): delete the duplicates, then migrate"
        )


def downgrade() -> None:
    op.drop_table("login_failure")
    op.drop_index(op.f("ix_staff_session_expires_at"), table_name="staff_session")
    op.drop_index(op.f("ix_staff_session_account_id"), table_name="staff_session")
    op.drop_table("staff_session")
    op.execute(
        "ALTER TABLE schedule_exception DROP CONSTRAINT ex_schedule_exception_doctor_hours_overlap"
    )
    op.drop_constraint("pk_idempotency_key", "idempotency_key", type_="primary")
    op.execute("DELETE FROM idempotency_key WHERE role <> 'admin'")
    op.create_primary_key("pk_idempotency_key", "idempotency_key", ["key"])
    op.drop_column("idempotency_key", "role")
