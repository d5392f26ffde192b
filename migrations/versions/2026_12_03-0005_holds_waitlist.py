"""holds and the waitlist: a slot kept for a patient while they confirm, and a line of
patients waiting for a freed slot

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 10:00:00.000000+00:00

Holds and appointments exclude each other, and PostgreSQL decides it: an exclusion constraint
cannot see the clock (a hold stops counting when it expires), so every write that claims a
doctor's time takes one advisory lock per doctor and day and then checks for an overlapping
claim. The check runs in a VOLATILE function, so under READ COMMITTED it reads with a fresh
snapshot taken after the lock: it sees whatever the previous holder of the lock committed.
Appointments keep their own exclusion constraint against each other; a trigger adds the check
against active holds, so every writer (API, staff UI, SQL) obeys it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Appointments and holds last at most 240 minutes (doctor.slot_minutes), which keeps the
# overlap probes on the (doctor_id, start_time) indexes.
SLOT_CLAIMABLE = """
CREATE FUNCTION slot_claimable(
    p_doctor_id integer, p_start timestamptz, p_end timestamptz, p_check_bookings boolean
) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    day_number integer;
BEGIN
    -- One lock per doctor and UTC day the range touches, in ascending order, so two claims
    -- never deadlock; held to the end of the transaction. The key is namespaced (0x436C in
    -- the top bits); a collision only serialises two claims, it never lets one through.
    FOR day_number IN
        SELECT generate_series(
            (p_start AT TIME ZONE 'UTC')::date - date '2000-01-01',
            ((p_end - interval '1 microsecond') AT TIME ZONE 'UTC')::date - date '2000-01-01')
    LOOP
        PERFORM pg_advisory_xact_lock(
            (17260::bigint << 48)
            | ((p_doctor_id::bigint & 268435455) << 20)
            | (day_number::bigint & 1048575));
    END LOOP;
    IF EXISTS (
        SELECT 1 FROM hold
        WHERE doctor_id = p_doctor_id
          AND start_time > p_start - interval '240 minutes'
          AND start_time < p_end AND end_time > p_start
          AND expires_at > statement_timestamp()
    ) THEN
        RETURN false;
    END IF;
    IF p_check_bookings AND EXISTS (
        SELECT 1 FROM appointment
        WHERE doctor_id = p_doctor_id AND status <> 'cancelled'
          AND start_time > p_start - interval '240 minutes'
          AND start_time < p_end AND end_time > p_start
    ) THEN
        RETURN false;
    END IF;
    RETURN true;
END
$$
"""

# A booking, or a move, into a held slot is refused as a taken slot is (exclusion_violation):
# the API's conflict path answers 409 with alternatives. The holder books by deleting their
# hold in the same transaction first.
APPOINTMENT_CLAIM = """
CREATE FUNCTION appointment_refuse_held() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT slot_claimable(NEW.doctor_id, NEW.start_time, NEW.end_time, false) THEN
        RAISE EXCEPTION 'the slot is held for another patient'
            USING ERRCODE = 'exclusion_violation';
    END IF;
    RETURN NEW;
END
$$
"""

# Only an active appointment that has not ended can meet a hold (holds are for future slots):
# a bulk load of past history neither calls the function nor takes a lock per row.
CLAIMS_TIME = "NEW.status <> 'cancelled' AND NEW.end_time > statement_timestamp()"
TRIGGERS = (
    "CREATE TRIGGER appointment_refuse_held_insert BEFORE INSERT ON appointment "
    f"FOR EACH ROW WHEN ({CLAIMS_TIME}) EXECUTE FUNCTION appointment_refuse_held()",
    "CREATE TRIGGER appointment_refuse_held_move "
    "BEFORE UPDATE OF doctor_id, start_time, end_time ON appointment "
    f"FOR EACH ROW WHEN ({CLAIMS_TIME}) EXECUTE FUNCTION appointment_refuse_held()",
)


def upgrade() -> None:
    op.create_table(
        "hold",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("patient_telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("start_time < end_time", name=op.f("ck_hold_interval")),
        sa.ForeignKeyConstraint(
            ["doctor_id"], ["doctor.id"], name=op.f("fk_hold_doctor_id_doctor"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hold")),
    )
    op.create_index("ix_hold_doctor_id_start_time", "hold", ["doctor_id", "start_time"])
    op.create_index("ix_hold_patient_telegram_id", "hold", ["patient_telegram_id"])

    op.create_table(
        "waitlist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("specialty_id", sa.Integer(), nullable=True),
        sa.Column("doctor_id", sa.Integer(), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("time_from", sa.Time(), nullable=True),
        sa.Column("time_to", sa.Time(), nullable=True),
        sa.Column("patient_telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("patient_name", sa.String(length=200), nullable=False),
        sa.Column("patient_phone", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("hold_id", sa.Integer(), nullable=True),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(specialty_id IS NULL) <> (doctor_id IS NULL)", name=op.f("ck_waitlist_entry_target")
        ),
        sa.CheckConstraint("first_day <= last_day", name=op.f("ck_waitlist_entry_days")),
        sa.CheckConstraint(
            "time_from IS NULL OR time_to IS NULL OR time_from <= time_to",
            name=op.f("ck_waitlist_entry_times"),
        ),
        sa.CheckConstraint(
            "status IN ('waiting', 'offered', 'booked', 'left')",
            name=op.f("ck_waitlist_entry_status"),
        ),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["doctor.id"],
            name=op.f("fk_waitlist_entry_doctor_id_doctor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["hold_id"],
            ["hold.id"],
            name=op.f("fk_waitlist_entry_hold_id_hold"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["specialty_id"],
            ["specialty.id"],
            name=op.f("fk_waitlist_entry_specialty_id_specialty"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waitlist_entry")),
    )
    op.create_index(
        "ix_waitlist_entry_line",
        "waitlist_entry",
        ["created_at", "id"],
        postgresql_where=sa.text("status IN ('waiting', 'offered')"),
    )
    op.create_index(
        "ix_waitlist_entry_patient_telegram_id", "waitlist_entry", ["patient_telegram_id"]
    )

    op.create_table(
        "waitlist_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "offered_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["doctor.id"],
            name=op.f("fk_waitlist_offer_doctor_id_doctor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["waitlist_entry.id"],
            name=op.f("fk_waitlist_offer_entry_id_waitlist_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waitlist_offer")),
        sa.UniqueConstraint(
            "entry_id",
            "doctor_id",
            "start_time",
            name=op.f("uq_waitlist_offer_entry_id_doctor_id_start_time"),
        ),
    )
    op.create_index(op.f("ix_waitlist_offer_entry_id"), "waitlist_offer", ["entry_id"])

    op.execute(SLOT_CLAIMABLE)
    op.execute(APPOINTMENT_CLAIM)
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    op.execute("DROP TRIGGER appointment_refuse_held_move ON appointment")
    op.execute("DROP TRIGGER appointment_refuse_held_insert ON appointment")
    op.execute("DROP FUNCTION appointment_refuse_held()")
    op.execute("DROP FUNCTION slot_claimable(integer, timestamptz, timestamptz, boolean)")
    op.drop_table("waitlist_offer")
    op.drop_table("waitlist_entry")
    op.drop_table("hold")
