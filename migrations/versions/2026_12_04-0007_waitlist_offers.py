"""waitlist offers: the freed slots already handled, and each offer's Telegram message

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 10:00:00.000000+00:00

`waitlist_freed` claims each cancellation or move (its appointment_event) once, so the worker
offers a freed slot once however many workers scan. `waitlist_offer.notified_at` claims an
offer's message the same way, before it goes to Telegram.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "waitlist_freed",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column(
            "claimed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["appointment_event.id"],
            name=op.f("fk_waitlist_freed_event_id_appointment_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_waitlist_freed")),
    )
    for column in (
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=True),
        sa.Column("failure", sa.String(60), nullable=True),
    ):
        op.add_column("waitlist_offer", column)


def downgrade() -> None:
    for column in ("failure", "telegram_message_id", "sent_at", "notified_at"):
        op.drop_column("waitlist_offer", column)
    op.drop_table("waitlist_freed")
