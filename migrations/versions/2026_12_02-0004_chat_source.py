"""chat source: bookings made in the terminal chat are told apart from the Telegram bot's

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_constraint(op.f("ck_appointment_source"), "appointment", type_="check")
    op.create_check_constraint(
        op.f("ck_appointment_source"), "appointment", "source IN ('api', 'bot', 'admin', 'chat')"
    )


def downgrade() -> None:
    # The chat's bookings were the bot's before the two were told apart.
    op.execute("UPDATE appointment SET source = 'bot' WHERE source = 'chat'")
    op.drop_constraint(op.f("ck_appointment_source"), "appointment", type_="check")
    op.create_check_constraint(
        op.f("ck_appointment_source"), "appointment", "source IN ('api', 'bot', 'admin')"
    )
