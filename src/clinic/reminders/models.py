"""One row per reminder sent (or being sent): the claim that keeps it to one message.

The unique (appointment_id, hours, start_time) is taken in its own committed transaction BEFORE the
message goes to Telegram, so however many workers race, at most one of them sends it.
"""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from clinic.core.models import Base


class Reminder(Base):
    __tablename__ = "reminder"
    __table_args__ = (
        # The start too: a rescheduled appointment is reminded of again, at its new time.
        UniqueConstraint("appointment_id", "hours", "start_time"),
        CheckConstraint("hours > 0", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointment.id", ondelete="CASCADE"))
    hours: Mapped[int]  # the reminder's lead time: one of REMINDER_HOURS
    start_time: Mapped[datetime]  # the appointment's start it reminded of
    claimed_at: Mapped[datetime] = mapped_column(server_default=func.now())
    sent_at: Mapped[datetime | None]  # Telegram accepted the message
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # Why it was not sent (an error type or a reason code, never message text); not retried.
    failure: Mapped[str | None] = mapped_column(String(60))
