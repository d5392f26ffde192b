"""The day board: layout on the time grid (pure), and the page as staff see it."""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text

from clinic.admin.board import build_board
from clinic.admin.sessions import unit_of_work
from clinic.availability.repository import DoctorInfo, Visit
from clinic.availability.service import DoctorDay, FreeSlot
from clinic.core.settings import Settings
from clinic.core.timeutils import utcnow
from clinic.scheduling.slots import Interval
from clinic.waitlist import service as waitlist
from clinic.waitlist.service import FreedSlot
from tests.conftest import ADMIN
from tests.factories import at, booking, make_doctor

TZ = ZoneInfo("Europe/Moscow")
DAY = date(2030, 3, 4)  # a Monday
DOCTOR = DoctorInfo(
    id=1, full_name="Dr One", slot_minutes=30, is_active=True, specialty_code="therapist"
)
HOURS = [Interval(time(9), time(13)), Interval(time(14), time(18))]
NAMES = {"therapist": "Терапевт"}


def moment(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(DAY, time(hour, minute), tzinfo=TZ)


def free(hour: int, minute: int = 0, *, bookable: bool = True) -> FreeSlot:
    return FreeSlot(moment(hour, minute), moment(hour, minute) + timedelta(minutes=30), bookable)


def visit(hour: int, minute: int = 0, length: int = 30) -> Visit:
    start = moment(hour, minute).astimezone(UTC)
    return Visit(7, 1, "P", "scheduled", start, start + timedelta(minutes=length))


def test_board_grid_spans_the_working_day_in_whole_hours() -> None:
    board = build_board(DAY, TZ, [DoctorDay(DOCTOR, HOURS, None, [], [])], NAMES)

    assert board.hours[0].label == "09:00"
    assert board.hours[-1].label == "17:00"
    assert board.minutes == 9 * 60
    assert [(p.top, p.length) for p in board.columns[0].open] == [(0, 240), (300, 240)]


def test_blocks_sit_at_their_times_on_the_grid() -> None:
    day = DoctorDay(DOCTOR, HOURS, None, [free(9, 30, bookable=False), free(11)], [visit(10)])

    column = build_board(DAY, TZ, [day], NAMES).columns[0]

    assert [(b.top, b.length, b.appointment_id) for b in column.booked] == [(60, 30, 7)]
    assert [(f.top, f.length, f.bookable) for f in column.free] == [
        (30, 30, False),
        (120, 30, True),
    ]


def test_column_head_names_the_specialty_in_the_staff_language() -> None:
    column = build_board(DAY, TZ, [DoctorDay(DOCTOR, HOURS, None, [], [])], NAMES).columns[0]

    assert column.specialty == "Терапевт"


def test_a_closed_day_keeps_its_reason_and_a_default_frame() -> None:
    board = build_board(DAY, TZ, [DoctorDay(DOCTOR, [], "clinic_closed", [], [])], NAMES)

    column = board.columns[0]
    assert column.closed == "clinic_closed"
    assert column.open == []
    assert column.free == []
    assert board.hours[0].label == "08:00"  # the default frame


async def test_board_page_escapes_patient_names(http: AsyncClient, manager: AsyncClient) -> None:
    doctor = await make_doctor(http)
    hostile = "<script>alert(1)</script>"
    response = await http.post(
        "/appointments",
        json=booking(doctor["id"], at(1, 10), patient_name=hostile),
        headers=ADMIN,
    )
    assert response.status_code == 201

    board = await manager.get("/admin/board", params={"day": at(1, 10).date().isoformat()})

    assert board.status_code == 200
    assert hostile not in board.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in board.text


async def test_board_filters_by_specialty(http: AsyncClient, manager: AsyncClient) -> None:
    await make_doctor(http, "therapist", name="Терапевт Тест")
    await make_doctor(http, "surgeon", name="Хирург Тест")

    board = await manager.get("/admin/board", params={"specialty": "surgeon"})

    assert "Хирург Тест" in board.text
    assert "Терапевт Тест" not in board.text


async def test_board_shows_a_closed_day(http: AsyncClient, manager: AsyncClient) -> None:
    await make_doctor(http)
    day = at(2, 10).date()
    await http.post("/closed-dates", json={"on_date": day.isoformat()}, headers=ADMIN)

    board = await manager.get("/admin/board", params={"day": day.isoformat()})

    assert "Clinic closed" in board.text
    assert "data-free=" not in board.text


async def test_board_tolerates_a_malformed_day(manager: AsyncClient) -> None:
    assert (await manager.get("/admin/board", params={"day": "yesterday"})).status_code == 200


def test_a_held_slot_sits_on_the_grid_with_its_expiry() -> None:
    held = {
        "doctor_id": 1,
        "start_time": moment(10),
        "end_time": moment(10, 30),
        "expires_at": moment(9, 5),
    }
    other_doctor = held | {"doctor_id": 2}
    day = DoctorDay(DOCTOR, HOURS, None, [], [])

    board = build_board(DAY, TZ, [day], NAMES, [held, other_doctor])

    [block] = board.columns[0].held
    assert (block.top, block.length, block.expires_at) == (60, 30, moment(9, 5))


async def test_board_shows_holds_and_the_waitlist(http: AsyncClient, manager: AsyncClient) -> None:
    doctor = await make_doctor(http)
    body = {"doctor_id": doctor["id"], "start_time": at(1, 10).isoformat()}
    assert (await http.post("/holds", json=body, headers=ADMIN)).status_code == 201
    day = at(1, 10).date()
    entry = {
        "specialty": "therapist",
        "first_day": day.isoformat(),
        "last_day": day.isoformat(),
        "patient_name": "Ждущий Пациент",
        "patient_telegram_id": 4242,
    }
    assert (await http.post("/waitlist", json=entry, headers=ADMIN)).status_code == 201

    board = await manager.get("/admin/board", params={"day": day.isoformat()})

    assert 'data-held="10:00"' in board.text
    assert 'data-free="10:00"' not in board.text
    assert "Ждущий Пациент" in board.text
    assert 'data-testid="waitlist-count">' in board.text
    assert "Waitlist" in board.text  # these tests run the UI in English


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2026-02-30", "+12026-01-01"])
async def test_board_tolerates_a_day_it_cannot_show(manager: AsyncClient, day: str) -> None:
    # 9999-12-31 once overflowed computing the next day: a 500.
    assert (await manager.get("/admin/board", params={"day": day})).status_code == 200


async def test_board_shows_the_offers_out_and_their_messages(
    http: AsyncClient, manager: AsyncClient, ui_app: FastAPI, settings: Settings
) -> None:
    doctor = await make_doctor(http)
    day = at(1, 10).date()
    for patient, name in ((4301, "Первая Ждущая"), (4302, "Второй Ждущий")):
        entry = {
            "specialty": "therapist",
            "first_day": day.isoformat(),
            "last_day": day.isoformat(),
            "patient_name": name,
            "patient_telegram_id": patient,
        }
        assert (await http.post("/waitlist", json=entry, headers=ADMIN)).status_code == 201
    async with unit_of_work(ui_app.state.sessionmaker) as session:
        for hour in (10, 11):
            slot = FreedSlot(doctor["id"], at(1, hour), at(1, hour, 30))
            assert await waitlist.offer_next(session, settings, slot, utcnow())
        # The first offer's message went out at 09:15 (the clinic's time); the second's not yet.
        await session.execute(
            text(
                "UPDATE waitlist_offer SET notified_at = :at, sent_at = :at WHERE start_time = :s"
            ),
            {"at": at(0, 9, 15), "s": at(1, 10)},
        )

    board = await manager.get("/admin/board", params={"day": day.isoformat()})

    assert 'data-testid="offers-count">2<' in board.text
    rows = re.findall(r'<tr data-testid="offer".*?</tr>', board.text, flags=re.S)
    assert len(rows) == 2
    assert ("Первая Ждущая", "10:00", "sent at 09:15") == _offer_cells(rows[0])[:3]
    assert ("Второй Ждущий", "11:00", "not yet sent") == _offer_cells(rows[1])[:3]
    assert re.fullmatch(r"\d\d:\d\d", _offer_cells(rows[0])[3])


def _offer_cells(row: str) -> tuple[str, str, str, str]:
    """An offer's row as read: the patient, the slot's time, the message, the expiry."""
    cells = [" ".join(c.split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
    patient, _doctor, slot, message, expires = cells
    return patient, slot.split()[-1], message, expires
