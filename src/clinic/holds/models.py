"""Holds: a slot kept for one patient for HOLD_MINUTES while they confirm.

A hold is active while `expires_at` is in the future; an expired one is simply ignored by
every reader and writer (no job clears it). Holds and bookings exclude each other through
`slot_claimable` (see the 0005 migration): one advisory lock per doctor and day, taken by
every write that claims time, then a check with a fresh snapshot.
"""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, func
from sqlalchemy.orm import Mapped, mapped_column

from clinic.core.models import Base


class Hold(Base):
    __tablename__ = "hold"
    __table_args__ = (
        CheckConstraint("start_time < end_time", name="interval"),
        Index("ix_hold_doctor_id_start_time", "doctor_id", "start_time"),
        Index("ix_hold_patient_telegram_id", "patient_telegram_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctor.id", ondelete="CASCADE"))
    start_time: Mapped[datetime]
    end_time: Mapped[datetime]
    # The holder: the patient the bot acts for; None for a hold staff placed.
    patient_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
