"""Moving an appointment to a time said relative to it: the same day, the next, a week on,
later or earlier that day, an hour later, or hours alone (which stay on its day)."""

from datetime import date, datetime, time

import pytest

from clinic.dialog.acts import Act, Intent
from clinic.dialog.mine import move_wish
from clinic.dialog.offline import read
from clinic.dialog.state import Mine, Step, Wish
from clinic.dialog.understanding import TurnContext
from tests.dialog.conftest import Patient
from tests.dialog.fakes import DOCTORS, NOW, SPECIALTIES, TZ, FakeApi

MONDAY = date(2026, 11, 30)  # the dentist appointment being moved is on Monday at 10:00
APPOINTMENT = Mine(
    id=101, doctor_id=3, doctor_name="Новиков Сергей Владимирович", specialty="dentist",
    start=datetime.combine(MONDAY, time(10), TZ),
)  # fmt: skip


def understood(text: str) -> Act:
    context = TurnContext(
        now=NOW, tz=TZ, lang="ru", specialties=list(SPECIALTIES), doctors=list(DOCTORS)
    )
    return read(text, context)


def day(offset: int) -> date:
    return date.fromordinal(MONDAY.toordinal() + offset)


@pytest.mark.parametrize(
    ("text", "wish"),
    [
        ("перенесите стоматолога на вечер того же дня",
         Wish(date_from=MONDAY, date_to=MONDAY, time_from=time(17), time_to=time(21))),
        ("перенести запись к стоматологу в понедельник на вечер того же дня",
         Wish(date_from=MONDAY, date_to=MONDAY, time_from=time(17), time_to=time(21))),
        ("move my Monday dentist to later that day",
         Wish(date_from=MONDAY, date_to=MONDAY, time_from=time(10))),
        ("можно перенести стоматолога в тот же день, но пораньше?",
         Wish(date_from=MONDAY, date_to=MONDAY, time_to=time(10))),
        ("перенесите стоматолога на следующий день", Wish(date_from=day(1), date_to=day(1))),
        ("reschedule my dentist to the next day in the morning",
         Wish(date_from=day(1), date_to=day(1), time_from=time(8), time_to=time(12))),
        ("перенесите запись на день раньше, утром",
         Wish(date_from=day(-1), date_to=day(-1), time_from=time(8), time_to=time(12))),
        ("перенесите мою запись к стоматологу на неделю позже",
         Wish(date_from=day(7), date_to=day(7))),
        ("move my dentist appointment a week later", Wish(date_from=day(7), date_to=day(7))),
        ("move my dentist to the same day next week", Wish(date_from=day(7), date_to=day(7))),
        ("перенесите стоматолога на тот же день через неделю",
         Wish(date_from=day(7), date_to=day(7))),
        ("можно перенести стоматолога на час позже?",
         Wish(date_from=MONDAY, date_to=MONDAY, time_from=time(11), time_to=time(11))),
        ("move my dentist appointment half an hour earlier",
         Wish(date_from=MONDAY, date_to=MONDAY, time_from=time(9, 30), time_to=time(9, 30))),
        ("перенесите стоматолога на 15:00",
         Wish(date_from=MONDAY, date_to=MONDAY, time_from=time(15), time_to=time(15))),
        # Absolute days stay absolute.
        ("перенесите стоматолога на вторник", Wish(date_from=day(1), date_to=day(1))),
        ("перенесите на следующую неделю", Wish(date_from=day(0), date_to=day(6))),  # from now
        ("перенесите мою запись к стоматологу на среду, на то же время",
         Wish(date_from=day(2), date_to=day(2), time_from=time(10), time_to=time(10))),
    ],
)  # fmt: skip
def test_a_move_is_read_against_the_appointment(text: str, wish: Wish) -> None:
    act = understood(text)
    assert act.intent is Intent.reschedule_mine
    assert move_wish(act, APPOINTMENT, TZ) == wish


def test_a_move_without_a_time_proposes_the_nearest_with_the_same_doctor() -> None:
    assert move_wish(understood("перенесите стоматолога"), APPOINTMENT, TZ) is None


@pytest.fixture
def moving(api: FakeApi) -> FakeApi:
    api.add(doctor_id=3, start=APPOINTMENT.start, telegram_id=555)
    return api


async def test_later_that_day_is_proposed_on_that_day_and_lands_there(
    patient: Patient, moving: FakeApi
) -> None:
    await patient.says("перенесите стоматолога на вечер того же дня")
    assert patient.state is not None
    starts = [o.start.astimezone(TZ) for o in patient.state.offers]
    assert starts == [datetime.combine(MONDAY, time(17), TZ)]

    await patient.says("давайте")
    await patient.says("да")

    assert "перенесена" in patient.text
    moved = moving.appointments[101]
    assert moved.start_time == datetime.combine(MONDAY, time(17), TZ)


async def test_an_hour_later_asks_to_confirm_that_exact_time(
    patient: Patient, moving: FakeApi
) -> None:
    await patient.says("можно перенести стоматолога на час позже?")

    assert patient.state is not None
    assert patient.state.step is Step.confirming_move
    assert "11:00" in patient.text


async def test_a_move_without_a_time_shows_the_nearest_times(
    patient: Patient, moving: FakeApi
) -> None:
    await patient.says("перенесите мою запись к стоматологу")

    assert "№101" in patient.text
    assert len(patient.slot_buttons) == 3
    assert patient.state is not None
    assert patient.state.target is not None
