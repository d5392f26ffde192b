"""Which reminder is due, and sending one at most once.

Due: for an appointment starting at S and lead times H (REMINDER_HOURS), the reminder due at
`now` is the one with the smallest H whose moment S − H has passed. Larger ones that were
missed (the worker was down, or the visit was booked later) are not sent late on top of it,
and none is sent for a moment before the booking itself: whoever books 90 minutes ahead has
just seen the confirmation, and gets no "2 hours" reminder a minute later.

Never twice: the reminder's row (unique per appointment, H and start) is inserted and
committed before the message goes to Telegram; a worker that cannot insert it does not
send. If sending then fails, the row stays with the reason, and the reminder is not retried
unless Telegram said outright that it did not deliver (429 Too Many Requests): after a
timeout the message may have arrived, and a second copy is worse than none.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiogram import Bot
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from clinic.core.database import unit_of_work
from clinic.dialog.clinic import ClinicInfo
from clinic.reminders import repository
from clinic.reminders.message import reminder_reply
from clinic.worker.telegram import send_claimed

log = logging.getLogger(__name__)

# Telegram's 429 says when to come back; waits longer than this give the reminder up.


@dataclass(frozen=True)
class Due:
    appointment_id: int
    hours: int
    start_time: datetime


def due_reminder(
    candidate: repository.Candidate, lead_hours: tuple[int, ...], now: datetime
) -> Due | None:
    """The reminder due now for this appointment, if any (see the module's docstring)."""
    start = candidate.start_time
    passed = [h for h in lead_hours if start - timedelta(hours=h) <= now]
    if not passed:
        return None
    hours = min(passed)
    if start - timedelta(hours=hours) < candidate.created_at:
        return None
    if any(claimed <= hours for claimed in candidate.claimed):
        return None
    return Due(candidate.appointment_id, hours, start)


async def due_reminders(
    session: AsyncSession, lead_hours: tuple[int, ...], now: datetime
) -> list[Due]:
    """Every reminder due now and not yet claimed."""
    if not lead_hours:
        return []
    found = await repository.candidates(session, now, timedelta(hours=max(lead_hours)))
    return [due for c in found if (due := due_reminder(c, lead_hours, now)) is not None]


@dataclass(frozen=True)
class Outcome:
    sent: bool
    reason: str  # "sent", "taken" (claimed elsewhere, cancelled or moved), or the failure


async def send_reminder(
    maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clinic: ClinicInfo,
    due: Due,
    clock: Callable[[], datetime],
) -> Outcome:
    """Claim the reminder, then send it; at most one message per claim, ever."""
    async with unit_of_work(maker) as session:
        reminder_id = await repository.claim(session, due.appointment_id, due.hours, due.start_time)
        addressee = await repository.addressee(session, due.appointment_id)
    if reminder_id is None:
        return Outcome(False, "taken")
    if addressee is None:  # the claim saw a Telegram id; a correction may have removed it
        return await _failed(maker, reminder_id, "no_telegram_id")
    reply = reminder_reply(due.appointment_id, addressee, clinic)
    sent = await send_claimed(bot, addressee.telegram_id, reply)
    if isinstance(sent, str):
        return await _failed(maker, reminder_id, sent)
    async with unit_of_work(maker) as session:
        await repository.mark_sent(session, reminder_id, sent, clock())
    log.info("reminder sent appointment=%s hours=%s", due.appointment_id, due.hours)
    return Outcome(True, "sent")


async def _failed(
    maker: async_sessionmaker[AsyncSession], reminder_id: int, reason: str
) -> Outcome:
    async with unit_of_work(maker) as session:
        await repository.mark_failed(session, reminder_id, reason)
    # The type only: an error's text may quote the message, which names the patient's visit.
    log.warning("reminder %s not sent: %s", reminder_id, reason)
    return Outcome(False, reason)
