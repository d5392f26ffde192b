"""The waitlist: patients waiting for a slot of a specialty or a doctor within a window.

First come, first served: the line is ordered by (created_at, id). An entry is `waiting`,
`offered` (a hold was placed for it: `hold_id`), `booked`, or `left` (removed). An offer whose
hold expired or was released puts the entry back in line for other slots; `waitlist_offer`
remembers which slots each entry was offered, so a slot passes on to the next in line.
"""

from datetime import date, datetime, time

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from clinic.core.models import Base


class WaitlistEntry(Base):
    __tablename__ = "waitlist_entry"
    __table_args__ = (
        CheckConstraint("(specialty_id IS NULL) <> (doctor_id IS NULL)", name="target"),
        CheckConstraint("first_day <= last_day", name="days"),
        CheckConstraint(
            "time_from IS NULL OR time_to IS NULL OR time_from <= time_to", name="times"
        ),
        CheckConstraint("status IN ('waiting', 'offered', 'booked', 'left')", name="status"),
        # The line: the open entries in arrival order.
        Index(
            "ix_waitlist_entry_line",
            "created_at",
            "id",
            postgresql_where="status IN ('waiting', 'offered')",
        ),
        Index("ix_waitlist_entry_patient_telegram_id", "patient_telegram_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    specialty_id: Mapped[int | None] = mapped_column(ForeignKey("specialty.id"))
    doctor_id: Mapped[int | None] = mapped_column(ForeignKey("doctor.id", ondelete="CASCADE"))
    first_day: Mapped[date]
    last_day: Mapped[date]
    time_from: Mapped[time | None]
    time_to: Mapped[time | None]
    patient_telegram_id: Mapped[int] = mapped_column(BigInteger)
    patient_name: Mapped[str] = mapped_column(String(200))
    patient_phone: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    hold_id: Mapped[int | None] = mapped_column(ForeignKey("hold.id", ondelete="SET NULL"))
    offered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class WaitlistOffer(Base):
    """A slot offered to an entry: never offered to the same entry twice."""

    __tablename__ = "waitlist_offer"
    __table_args__ = (
        UniqueConstraint("entry_id", "doctor_id", "start_time"),
        # The messages not yet claimed: what the worker reads every minute.
        Index("ix_waitlist_offer_unsent", "id", postgresql_where="notified_at IS NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("waitlist_entry.id", ondelete="CASCADE"), index=True
    )
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctor.id", ondelete="CASCADE"))
    start_time: Mapped[datetime]
    end_time: Mapped[datetime]
    offered_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # The Telegram message: claimed (committed) before sending, so it goes out at most once.
    notified_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    failure: Mapped[str | None] = mapped_column(String(60))  # an error type, never text


class WaitlistOpening(Base):
    """Work for the worker, written by triggers: a slot freed (a cancellation or a move away),
    or days of a doctor (every doctor: a clinic-wide date) that may have opened. NULL days
    mean from today / up to the booking horizon. The worker deletes a row in the transaction
    that makes its offers, so each is handled once however many workers scan."""

    __tablename__ = "waitlist_opening"
    __table_args__ = (
        CheckConstraint(
            "(start_time IS NULL) = (end_time IS NULL) "
            "AND (start_time IS NULL OR doctor_id IS NOT NULL)",
            name="slot",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    doctor_id: Mapped[int | None] = mapped_column(ForeignKey("doctor.id", ondelete="CASCADE"))
    first_day: Mapped[date | None]
    last_day: Mapped[date | None]
    start_time: Mapped[datetime | None]
    end_time: Mapped[datetime | None]
    event_id: Mapped[int | None]  # the appointment_event that freed the slot
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
