"""staff accounts for the web UI

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 19:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("role IN ('manager', 'doctor')", name=op.f("ck_staff_account_role")),
        sa.CheckConstraint(
            "(role = 'doctor') = (doctor_id IS NOT NULL)",
            name=op.f("ck_staff_account_doctor_binding"),
        ),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["doctor.id"],
            name=op.f("fk_staff_account_doctor_id_doctor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_account")),
        sa.UniqueConstraint("username", name=op.f("uq_staff_account_username")),
    )
    op.create_index(
        op.f("ix_staff_account_doctor_id"), "staff_account", ["doctor_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_staff_account_doctor_id"), table_name="staff_account")
    op.drop_table("staff_account")
