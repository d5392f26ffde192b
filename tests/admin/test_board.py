"""The day board: layout on the time grid (pure), and the page as staff see it."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from httpx import AsyncClient

from clinic.admin.board import build_board
from clinic.availability.repository import DoctorInfo
from clinic.scheduling.slots import DoctorSchedule, Interval
from tests.conftest import ADMIN
from tests.factories import at, booking, make_doctor

TZ = ZoneInfo("Europe/Moscow")
DAY = date(2030, 3, 4)  # a Monday
DOCTOR = DoctorInfo(id=1, full_name="Dr One", slot_minutes=30, is_active=True, specialty_code="x")


def moment(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(DAY, time(hour, minute), tzinfo=TZ)


def schedule(**extra: Any) -> DoctorSchedule:
    week = {0: [Interval(time(9), time(13)), Interval(time(14), time(18))]}
    return DoctorSchedule(doctor_id=1, slot_minutes=30, weekly=week, **extra)


def visit(hour: int, minute: int = 0) -> dict[str, Any]:
    return {
        "id": 7,
        "doctor_id": 1,
        "patient_name": "P",
        "status": "scheduled",
        "start_time": moment(hour, minute).astimezone(UTC),
        "end_time": (moment(hour, minute) + timedelta(minutes=30)).astimezone(UTC),
    }


def test_board_grid_spans_the_working_day_in_whole_hours() -> None:
    board = build_board(DAY, TZ, [DOCTOR], {1: schedule()}, {}, [], moment(0))

    assert board.hours[0].label == "09:00"
    assert board.hours[-1].label == "17:00"
    assert board.minutes == 9 * 60
    assert [(p.top, p.length) for p in board.columns[0].open] == [(0, 240), (300, 240)]


def test_booked_block_sits_at_its_time_and_its_slot_is_not_free() -> None:
    busy = {1: [(moment(10), moment(10, 30))]}

    board = build_board(DAY, TZ, [DOCTOR], {1: schedule()}, busy, [visit(10)], moment(0))

    column = board.columns[0]
    assert [(b.top, b.length, b.label) for b in column.booked] == [(60, 30, "10:00–10:30")]
    assert "10:00" not in [f.label for f in column.free]
    assert len(column.free) == 8 + 8 - 1


def test_slots_before_the_notice_are_shown_as_past() -> None:
    board = build_board(DAY, TZ, [DOCTOR], {1: schedule()}, {}, [], moment(11))

    bookable = {f.label: f.bookable for f in board.columns[0].free}
    assert bookable["10:30"] is False
    assert bookable["11:00"] is True


def test_closed_date_shades_the_whole_column() -> None:
    closed = schedule(closed_dates=frozenset({DAY}))

    board = build_board(DAY, TZ, [DOCTOR], {1: closed}, {}, [], moment(0))

    column = board.columns[0]
    assert column.closed_note == "Clinic closed"
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
