"""Waitlist queries. The line is one ordered, locked read: `FOR UPDATE SKIP LOCKED` lets
concurrent offers take different patients instead of queueing behind one."""

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import RowMapping, text
from sqlalchemy.ext.asyncio import AsyncSession

Record = dict[str, Any]

_COLUMNS = (
    "e.id, s.code AS specialty, e.doctor_id, e.first_day, e.last_day, e.time_from, "
    "e.time_to, e.patient_telegram_id, e.patient_name, e.patient_phone, e.status, e.hold_id, "
    "e.offered_at, e.created_at"
)
_FROM = "FROM waitlist_entry e LEFT JOIN specialty s ON s.id = e.specialty_id"
_READ = f"SELECT {_COLUMNS} {_FROM}"
# With the slot offered now: the entry's latest offer, while its hold (that very slot) lasts.
_READ_WITH_OFFER = (
    f"SELECT {_COLUMNS}, cur.* {_FROM} LEFT JOIN LATERAL (SELECT o.doctor_id AS "
    "offer_doctor_id, o.start_time AS offer_start, o.end_time AS offer_end, "
    "h.expires_at AS offer_expires_at, o.sent_at AS offer_sent_at, o.failure AS offer_failure "
    "FROM waitlist_offer o JOIN hold h ON h.id = e.hold_id AND h.doctor_id = o.doctor_id "
    "AND h.start_time = o.start_time AND h.expires_at > statement_timestamp() "
    "WHERE o.entry_id = e.id AND e.status = 'offered' ORDER BY o.id DESC LIMIT 1) cur ON true"
)
_OFFER_COLUMNS = {
    "offer_doctor_id": "doctor_id",
    "offer_start": "start",
    "offer_end": "end",
    "offer_expires_at": "expires_at",
    "offer_sent_at": "sent_at",
    "offer_failure": "send_failure",
}


def _with_offer(row: RowMapping) -> Record:
    """An entry's row with its current offer's columns gathered under `offer` (or None)."""
    record = {k: v for k, v in row.items() if k not in _OFFER_COLUMNS}
    offer = {name: row[column] for column, name in _OFFER_COLUMNS.items()}
    record["offer"] = offer if offer["doctor_id"] is not None else None
    return record


# An open entry is in line unless a slot offered to it is still held for it.
_IN_LINE = (
    "(e.status = 'waiting' OR (e.status = 'offered' AND NOT EXISTS ("
    "SELECT 1 FROM hold h WHERE h.id = e.hold_id AND h.expires_at > statement_timestamp())))"
)


async def add(session: AsyncSession, values: dict[str, Any]) -> Record:
    statement = text(
        "INSERT INTO waitlist_entry (specialty_id, doctor_id, first_day, last_day, time_from, "
        "time_to, patient_telegram_id, patient_name, patient_phone, status) VALUES "
        "(:specialty_id, :doctor_id, :first_day, :last_day, :time_from, :time_to, "
        ":patient_telegram_id, :patient_name, :patient_phone, 'waiting') RETURNING id"
    )
    entry_id = (await session.execute(statement, values)).scalar_one()
    found = await get(session, entry_id)
    assert found is not None
    return found


async def count_open_of_patient(session: AsyncSession, patient_telegram_id: int) -> int:
    statement = text(
        "SELECT count(*) FROM waitlist_entry WHERE patient_telegram_id = :patient "
        "AND status IN ('waiting', 'offered')"
    )
    return int((await session.execute(statement, {"patient": patient_telegram_id})).scalar_one())


async def get(session: AsyncSession, entry_id: int, *, lock: bool = False) -> Record | None:
    statement = f"{_READ_WITH_OFFER} WHERE e.id = :id" + (" FOR UPDATE OF e" if lock else "")
    row = (await session.execute(text(statement), {"id": entry_id})).mappings().first()
    return None if row is None else _with_offer(row)


async def list_page(
    session: AsyncSession,
    patient_telegram_id: int | None,
    statuses: Sequence[str],
    limit: int,
    offset: int,
) -> tuple[list[Record], int]:
    """Entries in line order (arrival), optionally of one patient."""
    where = (
        "WHERE e.status = ANY(:statuses) "
        "AND (CAST(:patient AS bigint) IS NULL OR e.patient_telegram_id = :patient)"
    )
    parameters = {"statuses": list(statuses), "patient": patient_telegram_id}
    rows = await session.execute(
        text(f"{_READ_WITH_OFFER} {where} ORDER BY e.created_at, e.id LIMIT :limit OFFSET :offset"),
        parameters | {"limit": limit, "offset": offset},
    )
    total = await session.execute(
        text(f"SELECT count(*) FROM waitlist_entry e {where}"), parameters
    )
    return [_with_offer(r) for r in rows.mappings()], int(total.scalar_one())


async def set_status(
    session: AsyncSession,
    entry_id: int,
    status: str,
    hold_id: int | None = None,
    offered: bool = False,
) -> None:
    await session.execute(
        text(
            "UPDATE waitlist_entry SET status = :status, hold_id = :hold_id, "
            "offered_at = CASE WHEN :offered THEN statement_timestamp() ELSE offered_at END "
            "WHERE id = :id"
        ),
        {"id": entry_id, "status": status, "hold_id": hold_id, "offered": offered},
    )


async def lock_slot(session: AsyncSession, doctor_id: int, start: datetime, end: datetime) -> bool:
    """Take the slot's lock (the one bookings and holds take) for the rest of the
    transaction; True when the slot is neither booked nor held."""
    statement = text("SELECT slot_claimable(:doctor_id, :start, :end, true)")
    parameters = {"doctor_id": doctor_id, "start": start, "end": end}
    return bool((await session.execute(statement, parameters)).scalar_one())


async def first_in_line(
    session: AsyncSession, doctor_id: int, start: datetime, day: date, at: time, *, lock: bool
) -> Record | None:
    """The earliest entry in line that wants this slot (the doctor, or their specialty; the
    day and the local start time in its window) and was not offered it before. With `lock`,
    the entry is locked, and entries other transactions locked are skipped."""
    statement = (
        f"{_READ} WHERE (e.doctor_id = :doctor_id OR e.specialty_id = "
        "(SELECT specialty_id FROM doctor WHERE id = :doctor_id)) "
        "AND :day BETWEEN e.first_day AND e.last_day "
        "AND (e.time_from IS NULL OR e.time_from <= :at) "
        "AND (e.time_to IS NULL OR :at <= e.time_to) "
        f"AND {_IN_LINE} AND NOT EXISTS (SELECT 1 FROM waitlist_offer o WHERE "
        "o.entry_id = e.id AND o.doctor_id = :doctor_id AND o.start_time = :start) "
        "ORDER BY e.created_at, e.id LIMIT 1"
    )
    if lock:
        statement += " FOR UPDATE OF e SKIP LOCKED"
    parameters = {"doctor_id": doctor_id, "start": start, "day": day, "at": at}
    row = (await session.execute(text(statement), parameters)).mappings().first()
    return None if row is None else dict(row)


async def record_offer(
    session: AsyncSession,
    entry_id: int,
    hold_id: int,
    doctor_id: int,
    start: datetime,
    end: datetime,
) -> None:
    await set_status(session, entry_id, "offered", hold_id, offered=True)
    await session.execute(
        text(
            "INSERT INTO waitlist_offer (entry_id, doctor_id, start_time, end_time) "
            "VALUES (:entry_id, :doctor_id, :start, :end)"
        ),
        {"entry_id": entry_id, "doctor_id": doctor_id, "start": start, "end": end},
    )


async def take_lapsed_offers(session: AsyncSession) -> list[Record]:
    """Offers whose hold expired or was released, locked (others' skipped) and put back in
    line; each with the slot it offered."""
    statement = text(
        "UPDATE waitlist_entry e SET status = 'waiting', hold_id = NULL FROM ("
        "SELECT e.id, o.doctor_id, o.start_time, o.end_time FROM waitlist_entry e "
        "JOIN LATERAL (SELECT doctor_id, start_time, end_time FROM waitlist_offer "
        "WHERE entry_id = e.id ORDER BY offered_at DESC, id DESC LIMIT 1) o ON true "
        f"WHERE e.status = 'offered' AND {_IN_LINE} "
        "ORDER BY e.offered_at, e.id FOR UPDATE OF e SKIP LOCKED) lapsed "
        "WHERE e.id = lapsed.id "
        "RETURNING e.id, lapsed.doctor_id, lapsed.start_time, lapsed.end_time"
    )
    return [dict(r) for r in (await session.execute(statement)).mappings()]


async def in_line_for_days(
    session: AsyncSession, doctor_id: int | None, first_day: date, last_day: date
) -> list[Record]:
    """Entries in line, in line order, whose window shares a day with [first_day, last_day]
    and who want the doctor (themselves or their specialty), or any doctor when None."""
    statement = (
        f"{_READ} WHERE e.first_day <= :last_day AND e.last_day >= :first_day AND {_IN_LINE} "
        "AND (CAST(:doctor_id AS integer) IS NULL OR e.doctor_id = :doctor_id "
        "OR e.specialty_id = (SELECT specialty_id FROM doctor WHERE id = :doctor_id)) "
        "ORDER BY e.created_at, e.id"
    )
    parameters = {"doctor_id": doctor_id, "first_day": first_day, "last_day": last_day}
    return [dict(r) for r in (await session.execute(text(statement), parameters)).mappings()]


async def doctors_wanted(
    session: AsyncSession, doctor_ids: Sequence[int], specialties: Sequence[str]
) -> list[int]:
    """The active doctors among `doctor_ids` and of the `specialties` (codes), in id order."""
    statement = text(
        "SELECT d.id FROM doctor d JOIN specialty s ON s.id = d.specialty_id "
        "WHERE d.is_active AND (d.id = ANY(:ids) OR s.code = ANY(:codes)) ORDER BY d.id"
    )
    parameters = {"ids": list(doctor_ids), "codes": list(specialties)}
    return [int(row[0]) for row in await session.execute(statement, parameters)]


async def offered_slots(
    session: AsyncSession, entry_ids: Sequence[int], since: datetime
) -> set[tuple[int, int, datetime]]:
    """(entry, doctor, start) of the slots from `since` already offered to the entries."""
    statement = text(
        "SELECT entry_id, doctor_id, start_time FROM waitlist_offer "
        "WHERE entry_id = ANY(:ids) AND start_time >= :since"
    )
    rows = await session.execute(statement, {"ids": list(entry_ids), "since": since})
    return {(int(e), int(d), s) for e, d, s in rows}


async def current_offers(session: AsyncSession) -> list[Record]:
    """The offers out now (their holds last), by slot: who, which slot, the message's fate."""
    statement = text(
        "SELECT e.id AS entry_id, e.patient_name, o.doctor_id, d.full_name AS doctor_name, "
        "o.start_time, o.end_time, h.expires_at, o.offered_at, o.notified_at, o.sent_at, "
        "o.failure FROM waitlist_entry e "
        "JOIN hold h ON h.id = e.hold_id AND h.expires_at > statement_timestamp() "
        "JOIN waitlist_offer o ON o.entry_id = e.id AND o.doctor_id = h.doctor_id "
        "AND o.start_time = h.start_time JOIN doctor d ON d.id = o.doctor_id "
        "WHERE e.status = 'offered' ORDER BY o.start_time, o.doctor_id, e.id"
    )
    return [dict(r) for r in (await session.execute(statement)).mappings()]
