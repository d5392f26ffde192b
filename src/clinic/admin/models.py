"""Staff logins for the web UI: clinic managers, and doctors who may only read their own board."""

import enum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic.core.models import Base, TimestampMixin


class StaffRole(enum.StrEnum):
    manager = "manager"
    doctor = "doctor"


class StaffAccount(TimestampMixin, Base):
    __tablename__ = "staff_account"
    __table_args__ = (
        CheckConstraint("role IN ('manager', 'doctor')", name="role"),
        # A doctor login is bound to exactly one doctor; a manager's to none.
        CheckConstraint("(role = 'doctor') = (doctor_id IS NOT NULL)", name="doctor_binding"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    doctor_id: Mapped[int | None] = mapped_column(
        ForeignKey("doctor.id", ondelete="CASCADE"), index=True
    )
    is_active: Mapped[bool] = mapped_column(default=True, server_default="true")

    def __str__(self) -> str:
        return self.username
