"""The worker's part of the waitlist: turning openings into offers, and telling the patient.

Openings are queued by PostgreSQL itself (`waitlist_opening`, see `queue`): a slot freed by a
cancellation or a move away, or days that may have opened when staff changed a schedule. Each
row is claimed (deleted, SKIP LOCKED) in the same transaction as its offers, so however many
workers scan, an opening is handled once, and a scan reads only work not yet done; a slot
already in the past, or no longer free, is claimed and offers nothing.

Every offer (placed here, by a decline through the API, or by an unanswered offer passing on)
is a `waitlist_offer` row; its message is claimed (`notified_at`, committed) before it goes to
Telegram, so it is sent at most once, and never after the patient's hold is gone.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from aiogram import Bot
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from clinic.core.database import unit_of_work
from clinic.core.settings import Settings
from clinic.dialog.clinic import ClinicInfo
from clinic.waitlist import queue, service
from clinic.waitlist.message import Addressee, offer_reply
from clinic.waitlist.openings import Opening, offer_opened
from clinic.worker.telegram import send_claimed

log = logging.getLogger(__name__)

BATCH = 200  # openings handled per scan; the rest wait for the next minute

# An offer is current while its entry is offered and holds that very slot.
_CURRENT = (
    "e.id = o.entry_id AND e.status = 'offered' AND h.id = e.hold_id "
    "AND h.doctor_id = o.doctor_id AND h.start_time = o.start_time"
)
_UNSENT = text(
    "SELECT o.id FROM waitlist_offer o, waitlist_entry e, hold h "
    f"WHERE o.notified_at IS NULL AND {_CURRENT} AND h.expires_at > statement_timestamp() "
    "ORDER BY o.id"
)
_CLAIM_MESSAGE = text(
    "UPDATE waitlist_offer o SET notified_at = :now FROM waitlist_entry e, hold h "
    f"WHERE o.id = :offer_id AND o.notified_at IS NULL AND {_CURRENT} "
    "RETURNING e.id AS entry_id, e.patient_telegram_id, o.doctor_id, o.start_time, "
    "h.expires_at, "
    "(SELECT d.full_name FROM doctor d WHERE d.id = o.doctor_id) AS doctor_name, "
    "(SELECT s.name_ru FROM doctor d JOIN specialty s ON s.id = d.specialty_id "
    "WHERE d.id = o.doctor_id) AS specialty_ru, "
    "(SELECT s.name_en FROM doctor d JOIN specialty s ON s.id = d.specialty_id "
    "WHERE d.id = o.doctor_id) AS specialty_en, "
    # The waitlist does not ask for a language: the one the patient last booked in, if any.
    "(SELECT a.patient_language FROM appointment a WHERE a.patient_telegram_id = "
    "e.patient_telegram_id AND a.patient_language IS NOT NULL "
    "ORDER BY a.created_at DESC, a.id DESC LIMIT 1) AS language"
)
_MARK_SENT = text(
    "UPDATE waitlist_offer SET sent_at = :at, telegram_message_id = :message_id WHERE id = :id"
)
_MARK_FAILED = text("UPDATE waitlist_offer SET failure = :failure WHERE id = :id")


async def offer_openings(
    maker: async_sessionmaker[AsyncSession], settings: Settings, now: datetime
) -> int:
    """Offer the openings queued since the last scan to the patients in line; how many offers.

    One transaction per opening: the claim commits with its offers, or neither does. An
    opening that fails goes back to the queue for the next scan; this scan moves past it."""
    offered, after = 0, 0
    for _ in range(BATCH):
        claimed = None
        try:
            async with unit_of_work(maker) as session:
                claimed = await queue.claim_next(session, after)
                if claimed is None:
                    break
                offered += await _offer(session, settings, claimed, now)
        except SQLAlchemyError as error:
            if claimed is None:
                raise  # the queue itself cannot be read: the job fails and is retried
            # The type only: a database error's text quotes the statement's values.
            log.warning("waitlist opening %s not offered: %s", claimed.id, type(error).__name__)
        assert claimed is not None
        after = claimed.id
    return offered


async def _offer(
    session: AsyncSession, settings: Settings, claimed: queue.Claimed, now: datetime
) -> int:
    if claimed.start is not None and claimed.end is not None and claimed.doctor_id is not None:
        if claimed.start <= now:
            return 0  # the slot has passed
        slot = service.FreedSlot(claimed.doctor_id, claimed.start, claimed.end)
        return 0 if await service.offer_next(session, settings, slot, now) is None else 1
    opening = Opening(claimed.doctor_id, claimed.days)
    return len(await offer_opened(session, settings, opening, now))


async def pass_on_lapsed(
    maker: async_sessionmaker[AsyncSession], settings: Settings, now: datetime
) -> int:
    """Offers unanswered for HOLD_MINUTES go to the next in line; how many new offers."""
    async with unit_of_work(maker) as session:
        return len(await service.pass_on_lapsed(session, settings, now))


async def unsent_offers(maker: async_sessionmaker[AsyncSession]) -> list[int]:
    """Current offers whose message is not claimed yet (oldest first)."""
    async with unit_of_work(maker) as session:
        return [int(row[0]) for row in await session.execute(_UNSENT)]


@dataclass(frozen=True)
class Outcome:
    sent: bool
    reason: str  # "sent", "taken" (claimed elsewhere, or no longer offered), or the failure


async def send_offer(
    maker: async_sessionmaker[AsyncSession],
    bot: Bot,
    clinic: ClinicInfo,
    offer_id: int,
    clock: Callable[[], datetime],
) -> Outcome:
    """Claim the offer's message, then send it: at most one message per offer, ever."""
    async with unit_of_work(maker) as session:
        found = (
            (await session.execute(_CLAIM_MESSAGE, {"offer_id": offer_id, "now": clock()}))
            .mappings()
            .first()
        )
        addressee = None if found is None else Addressee(**found)
    if addressee is None:
        return Outcome(False, "taken")
    reply = offer_reply(addressee, clinic)
    sent = await send_claimed(bot, addressee.patient_telegram_id, reply)
    if isinstance(sent, str):
        return await _failed(maker, offer_id, sent)
    async with unit_of_work(maker) as session:
        await session.execute(_MARK_SENT, {"id": offer_id, "message_id": sent, "at": clock()})
    log.info("waitlist offer sent offer=%s entry=%s", offer_id, addressee.entry_id)
    return Outcome(True, "sent")


async def _failed(maker: async_sessionmaker[AsyncSession], offer_id: int, reason: str) -> Outcome:
    async with unit_of_work(maker) as session:
        await session.execute(_MARK_FAILED, {"id": offer_id, "failure": reason[:60]})
    # The type only: an error's text may quote the message.
    log.warning("waitlist offer %s not sent: %s", offer_id, reason)
    return Outcome(False, reason)
