"""waitlist openings: a queue of freed slots and of days that may have opened, fed by triggers

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 10:00:00.000000+00:00

The worker used to find freed slots by reading every cancellation and move ever recorded and
skipping the ones `waitlist_freed` had claimed: a scan whose cost grew with the clinic's whole
history. Now PostgreSQL writes the work down as it happens, in `waitlist_opening`, and the
worker takes rows out of it (DELETE ... RETURNING, FOR UPDATE SKIP LOCKED) in the transaction
that makes the offers: a scan reads only new work, and each row is handled once.

Two kinds of row:
- a freed slot (doctor, start, end): an appointment cancelled, moved away, or set to
  cancelled; the trigger on `appointment_event` fires only for those actions (its WHEN is the
  one cost a booking's INSERT pays);
- days that may have opened (a doctor, or every doctor for a clinic-wide date; a day range,
  or every day ahead when the days are NULL): weekly hours added or changed, a schedule
  exception lifted or given hours, a closed date removed, a doctor taking bookings again.
  Triggers on the schedule tables write these, so every writer (the API, the staff UI, SQL)
  is covered.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The slot an event freed: the event's old values (a move), else the appointment's own.
FREED_SLOT = (
    "COALESCE((ev.old->>'doctor_id')::int, a.doctor_id), "
    "COALESCE((ev.old->>'start_time')::timestamptz, a.start_time), "
    "COALESCE((ev.old->>'end_time')::timestamptz, a.end_time)"
)
FREES = (
    "ev.action IN ('cancelled', 'rescheduled') "
    "OR (ev.action = 'status_changed' AND ev.new->>'status' = 'cancelled')"
)

QUEUE_FREED = f"""
CREATE FUNCTION waitlist_queue_freed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A slot already past frees nothing anyone could book.
    INSERT INTO waitlist_opening (doctor_id, start_time, end_time, event_id)
    SELECT slot.*, NEW.id FROM (
        SELECT {FREED_SLOT} FROM (SELECT NEW.old AS old) ev, appointment a
        WHERE a.id = NEW.appointment_id
    ) AS slot (doctor_id, start_time, end_time)
    WHERE slot.start_time > statement_timestamp();
    RETURN NULL;
END
$$
"""

QUEUE_HOURS = """
CREATE FUNCTION waitlist_queue_hours() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Weekly hours added or changed: any day ahead may have opened. One row per doctor and
    -- statement (a PUT of the week inserts seven intervals).
    INSERT INTO waitlist_opening (doctor_id) SELECT DISTINCT doctor_id FROM changed;
    RETURN NULL;
END
$$
"""

QUEUE_EXCEPTION = """
CREATE FUNCTION waitlist_queue_exception() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Lifted or changed: the old date goes back to (or towards) the weekly hours.
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.on_date >= current_date - 1 THEN
        INSERT INTO waitlist_opening (doctor_id, first_day, last_day)
        VALUES (OLD.doctor_id, OLD.on_date, OLD.on_date);
    END IF;
    -- Hours on a date (an extra working day, longer hours); a day off opens nothing.
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.start_time IS NOT NULL
            AND NEW.on_date >= current_date - 1 THEN
        INSERT INTO waitlist_opening (doctor_id, first_day, last_day)
        VALUES (NEW.doctor_id, NEW.on_date, NEW.on_date);
    END IF;
    RETURN NULL;
END
$$
"""

QUEUE_CLOSED_DATE = """
CREATE FUNCTION waitlist_queue_closed_date() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.on_date >= current_date - 1 THEN
        INSERT INTO waitlist_opening (doctor_id, first_day, last_day)
        VALUES (NULL, OLD.on_date, OLD.on_date);
    END IF;
    RETURN NULL;
END
$$
"""

QUEUE_DOCTOR = """
CREATE FUNCTION waitlist_queue_doctor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO waitlist_opening (doctor_id) VALUES (NEW.id);
    RETURN NULL;
END
$$
"""

TRIGGERS = (
    "CREATE TRIGGER appointment_event_queue_freed AFTER INSERT ON appointment_event "
    f"FOR EACH ROW WHEN ({FREES.replace('ev.', 'NEW.')}) "
    "EXECUTE FUNCTION waitlist_queue_freed()",
    # Transition tables allow one event per trigger: one trigger for each.
    "CREATE TRIGGER working_hours_queue_added AFTER INSERT ON working_hours "
    "REFERENCING NEW TABLE AS changed FOR EACH STATEMENT "
    "EXECUTE FUNCTION waitlist_queue_hours()",
    "CREATE TRIGGER working_hours_queue_changed AFTER UPDATE ON working_hours "
    "REFERENCING NEW TABLE AS changed FOR EACH STATEMENT "
    "EXECUTE FUNCTION waitlist_queue_hours()",
    "CREATE TRIGGER schedule_exception_queue_opening "
    "AFTER INSERT OR UPDATE OR DELETE ON schedule_exception "
    "FOR EACH ROW EXECUTE FUNCTION waitlist_queue_exception()",
    "CREATE TRIGGER closed_date_queue_opening AFTER UPDATE OR DELETE ON closed_date "
    "FOR EACH ROW EXECUTE FUNCTION waitlist_queue_closed_date()",
    # Taking bookings again, a new slot grid, or a new specialty: their days ahead.
    "CREATE TRIGGER doctor_queue_opening "
    "AFTER UPDATE OF is_active, slot_minutes, specialty_id ON doctor FOR EACH ROW "
    "WHEN (NEW.is_active AND (NOT OLD.is_active OR NEW.slot_minutes <> OLD.slot_minutes "
    "OR NEW.specialty_id <> OLD.specialty_id)) "
    "EXECUTE FUNCTION waitlist_queue_doctor()",
)
DROPS = (
    ("appointment_event_queue_freed", "appointment_event"),
    ("working_hours_queue_added", "working_hours"),
    ("working_hours_queue_changed", "working_hours"),
    ("schedule_exception_queue_opening", "schedule_exception"),
    ("closed_date_queue_opening", "closed_date"),
    ("doctor_queue_opening", "doctor"),
)
FUNCTIONS = (
    "waitlist_queue_freed",
    "waitlist_queue_hours",
    "waitlist_queue_exception",
    "waitlist_queue_closed_date",
    "waitlist_queue_doctor",
)


def upgrade() -> None:
    op.create_table(
        "waitlist_opening",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("doctor_id", sa.Integer(), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(start_time IS NULL) = (end_time IS NULL) "
            "AND (start_time IS NULL OR doctor_id IS NOT NULL)",
            name=op.f("ck_waitlist_opening_slot"),
        ),
        sa.ForeignKeyConstraint(
            ["doctor_id"],
            ["doctor.id"],
            name=op.f("fk_waitlist_opening_doctor_id_doctor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waitlist_opening")),
    )
    # The messages not yet claimed: the worker's every-minute read of offers to send.
    op.create_index(
        "ix_waitlist_offer_unsent",
        "waitlist_offer",
        ["id"],
        postgresql_where=sa.text("notified_at IS NULL"),
    )
    # Cancellations and moves no worker has handled yet become queue rows (past slots
    # offer nothing, so they are left out).
    op.execute(
        "INSERT INTO waitlist_opening (doctor_id, start_time, end_time, event_id) "
        "SELECT slot.doctor_id, slot.start_time, slot.end_time, slot.event_id FROM ("
        f"SELECT {FREED_SLOT}, ev.id FROM appointment_event ev "
        "JOIN appointment a ON a.id = ev.appointment_id "
        f"WHERE ({FREES}) "
        "AND NOT EXISTS (SELECT 1 FROM waitlist_freed f WHERE f.event_id = ev.id)"
        ") AS slot (doctor_id, start_time, end_time, event_id) "
        "WHERE slot.start_time > now() ORDER BY slot.event_id"
    )
    op.drop_table("waitlist_freed")
    for function in (QUEUE_FREED, QUEUE_HOURS, QUEUE_EXCEPTION, QUEUE_CLOSED_DATE, QUEUE_DOCTOR):
        op.execute(function)
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    for trigger, table in DROPS:
        op.execute(f"DROP TRIGGER {trigger} ON {table}")
    for function in FUNCTIONS:
        op.execute(f"DROP FUNCTION {function}()")
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
    # Every freeing event counts as handled except those still queued, which the old scan
    # then finds; queued days that may have opened have no place there and are dropped.
    op.execute(
        "INSERT INTO waitlist_freed (event_id) SELECT ev.id FROM appointment_event ev "
        f"WHERE ({FREES}) AND NOT EXISTS (SELECT 1 FROM waitlist_opening o "
        "WHERE o.event_id = ev.id)"
    )
    op.drop_index("ix_waitlist_offer_unsent", table_name="waitlist_offer")
    op.drop_table("waitlist_opening")
