"""Appointments, their history, and the idempotency keys of booking requests.

No two active appointments of a doctor may overlap; PostgreSQL enforces it twice: the brief's
unique (doctor_id, start_time) and an exclusion constraint on the time range, both ignoring
cancelled rows so a cancelled slot can be booked again.
"""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    func,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clinic.core.models import Base, TimestampMixin


class AppointmentStatus(enum.StrEnum):
    scheduled = "scheduled"
    cancelled = "cancelled"
    completed = "completed"
    no_show = "no_show"


class AppointmentSource(enum.StrEnum):
    api = "api"
    bot = "bot"  # the Telegram bot
    admin = "admin"
    chat = "chat"  # the terminal chat (`clinic chat`)


ACTIVE = text("status <> 'cancelled'")


class Appointment(TimestampMixin, Base):
    __tablename__ = "appointment"
    __table_args__ = (
        CheckConstraint("start_time < end_time", name="interval"),
        CheckConstraint(
            "status IN ('scheduled', 'cancelled', 'completed', 'no_show')", name="status"
        ),
        CheckConstraint("source IN ('api', 'bot', 'admin', 'chat')", name="source"),
        CheckConstraint("patient_language IN ('ru', 'en')", name="patient_language"),
        # The brief's guarantee; partial, so cancelled rows free their slot.
        Index(
            "uq_appointment_doctor_id_start_time",
            "doctor_id",
            "start_time",
            unique=True,
            postgresql_where=ACTIVE,
        ),
        # Partial overlaps too (a 30-minute visit at 10:15 against one at 10:00). int4range on
        # the doctor id lets plain GiST compare it, so btree_gist is not needed.
        ExcludeConstraint(
            (func.int4range(literal_column("doctor_id"), literal_column("doctor_id"), "[]"), "&&"),
            (func.tstzrange(literal_column("start_time"), literal_column("end_time")), "&&"),
            name="ex_appointment_doctor_time_overlap",
            using="gist",
            where=ACTIVE,
        ),
        Index("ix_appointment_patient_telegram_id", "patient_telegram_id"),
        Index("ix_appointment_start_time", "start_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctor.id"))
    patient_name: Mapped[str] = mapped_column(String(200))
    patient_phone: Mapped[str | None] = mapped_column(String(20))
    patient_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(String(500))
    start_time: Mapped[datetime]
    end_time: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), default=AppointmentStatus.scheduled)
    source: Mapped[str] = mapped_column(String(10), default=AppointmentSource.api)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    # When the patient confirmed they will come (a reminder's button); None: not (yet).
    confirmed_at: Mapped[datetime | None]
    # The language the patient booked in, so reminders speak it; None: the clinic's (ru).
    patient_language: Mapped[str | None] = mapped_column(String(2))


class AppointmentEvent(Base):
    """One change of an appointment: what, when, through which channel, old and new values."""

    __tablename__ = "appointment_event"
    __table_args__ = (
        CheckConstraint(
            "action IN ('created', 'rescheduled', 'cancelled', 'status_changed', 'updated', "
            "'confirmed')",
            name="action",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointment.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(server_default=func.now())
    old: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    new: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class IdempotencyKey(Base):
    """A booking request's key, the fingerprint of its body and the appointment it created.

    Keys are scoped per token role: one caller's key never replays another caller's booking.
    """

    __tablename__ = "idempotency_key"

    role: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class FreedVersion(Base):
    """Per doctor, a count of the committed changes that may have given booked time back: an
    active appointment cancelled, moved or deleted (row triggers bump it, migration 0010; a
    doctor without a row counts 0). A finding that the doctor is fully booked over some
    stretch stays true while this count and the schedule version are unchanged: bookings only
    take time (clinic.availability.booked_through)."""

    __tablename__ = "freed_version"

    doctor_id: Mapped[int] = mapped_column(
        ForeignKey("doctor.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(BigInteger)
