"""Server-side staff sessions and failed-login counters, both in PostgreSQL so they hold
across processes: a logout revokes a session everywhere, and a guesser is throttled whichever
process answers."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from clinic.core.models import Base


class StaffSession(Base):
    """A signed-in browser. The cookie carries only this id; deleting the row signs it out."""

    __tablename__ = "staff_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(index=True)


class LoginFailure(Base):
    """Failed logins per key (`account:<name>` or `address:<ip>`) in the current window."""

    __tablename__ = "login_failure"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[datetime]
