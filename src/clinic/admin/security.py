"""Server-side staff sessions and failed-login counters, both in PostgreSQL so they hold
across processes: a logout revokes a session everywhere, and a guesser is throttled whichever
process answers."""

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Integer, String, case, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from clinic.core.models import Base
from clinic.core.timeutils import utcnow


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


# --- Sessions --------------------------------------------------------------------------------


async def open_session(session: AsyncSession, account_id: int | None, lifetime: timedelta) -> str:
    """Record a new signed-in browser; returns the id its cookie carries."""
    session_id = secrets.token_urlsafe(32)
    # Expired rows are swept here, at a login, rather than by a scheduler.
    await session.execute(delete(StaffSession).where(StaffSession.expires_at < func.now()))
    await session.execute(
        insert(StaffSession).values(
            id=session_id, account_id=account_id, expires_at=utcnow() + lifetime
        )
    )
    return session_id


async def session_is_open(session: AsyncSession, session_id: str) -> bool:
    query = select(StaffSession.id).where(
        StaffSession.id == session_id, StaffSession.expires_at > func.now()
    )
    return await session.scalar(query) is not None


async def close_session(session: AsyncSession, session_id: str) -> None:
    await session.execute(delete(StaffSession).where(StaffSession.id == session_id))


# --- Failed-login throttling -----------------------------------------------------------------


@dataclass(frozen=True)
class ThrottleRule:
    key: str  # `account:<name>` or `address:<ip>`
    max_failures: int


async def seconds_until_allowed(
    session: AsyncSession, rules: list[ThrottleRule], window: timedelta
) -> int:
    """0 when a login may be tried now; else how long the most restrictive pause still lasts."""
    rows = await session.execute(
        select(LoginFailure.key, LoginFailure.failures, LoginFailure.window_start).where(
            LoginFailure.key.in_([rule.key for rule in rules])
        )
    )
    limits = {rule.key: rule.max_failures for rule in rules}
    now = utcnow()
    wait = 0
    for key, failures, window_start in rows:
        remaining = (window_start + window - now).total_seconds()
        if failures >= limits[key] and remaining > 0:
            wait = max(wait, math.ceil(remaining))
    return wait


async def record_failure(session: AsyncSession, keys: list[str], window: timedelta) -> None:
    """Count a failed login against each key; a window that has ended starts afresh.

    One atomic upsert per key, so concurrent guesses in several processes all count.
    """
    for key in keys:
        fresh = LoginFailure.window_start < func.now() - window
        statement = (
            pg_insert(LoginFailure)
            .values(key=key, failures=1, window_start=func.now())
            .on_conflict_do_update(
                index_elements=[LoginFailure.key],
                set_={
                    "failures": case((fresh, 1), else_=LoginFailure.failures + 1),
                    "window_start": case((fresh, func.now()), else_=LoginFailure.window_start),
                },
            )
        )
        await session.execute(statement)


async def forget_failures(session: AsyncSession, key: str) -> None:
    await session.execute(delete(LoginFailure).where(LoginFailure.key == key))
