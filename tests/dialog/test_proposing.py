"""When the bot proposes at once, and when a named time is taken at once.

A doctor (or a complaint) without a day gets the nearest free times in the same answer; a
request for one exact free moment starts the booking steps; a question about it only shows
it; a taken one is said to be taken, with the nearest others.
"""

from datetime import date, datetime, time

import pytest

from clinic.dialog.state import Step
from tests.dialog.conftest import Patient
from tests.dialog.fakes import TZ, FakeApi

MONDAY = date(2026, 11, 30)  # the fake clinic's "now" is Friday 27 November, noon
TUESDAY = date(2026, 12, 1)


def starts(patient: Patient) -> list[datetime]:
    assert patient.state is not None
    return [offer.start.astimezone(TZ) for offer in patient.state.offers]


@pytest.mark.parametrize(
    "text",
    [
        "нужен кардиолог",
        "к стоматологу хочу",
        "болит зуб",
        "у дочки кашель, к кому записаться?",
        "i'd like to see a cardiologist",
        "my tooth hurts",
    ],
)
async def test_a_doctor_without_a_day_gets_the_nearest_times_at_once(
    patient: Patient, text: str
) -> None:
    await patient.says(text)

    assert len(patient.slot_buttons) == 3
    assert patient.state is not None
    assert patient.state.step is Step.choosing
    assert "какой день и время" in patient.text or "day and time" in patient.text


@pytest.mark.parametrize("text", ["хочу записаться", "здравствуйте", "мне нужна запись"])
async def test_nothing_known_still_gets_one_question(patient: Patient, text: str) -> None:
    await patient.says(text)

    assert not patient.slot_buttons
    assert "?" in patient.text


@pytest.mark.parametrize(
    "text",
    [
        "запишите к стоматологу на понедельник на 10",
        "к стоматологу в понедельник в 10:00",
        "хочу к стоматологу на 30 ноября в 10 утра",
        "book me with the dentist on monday at 10am",
    ],
)
async def test_a_request_for_a_free_exact_time_starts_the_booking(
    patient: Patient, text: str
) -> None:
    await patient.says(text)

    assert patient.state is not None
    assert patient.state.chosen is not None
    assert patient.state.chosen.start == datetime.combine(MONDAY, time(10), TZ)
    assert patient.state.step is Step.need_contact
    # The time stays on screen, so it can still be pressed or changed.
    assert starts(patient) == [datetime.combine(MONDAY, time(10), TZ)]


@pytest.mark.parametrize(
    "text",
    ["а в понедельник в 10 есть?", "можно к стоматологу в понедельник в 10?",
     "is monday at 10 free at the dentist?"],
)  # fmt: skip
async def test_a_question_about_an_exact_time_only_shows_it(patient: Patient, text: str) -> None:
    await patient.says("нужен стоматолог")
    await patient.says(text)

    assert patient.state is not None
    assert patient.state.chosen is None
    assert starts(patient)[0] == datetime.combine(MONDAY, time(10), TZ)


@pytest.mark.parametrize(
    "follow_up",
    ["ну тогда на вторник на 11", "ок, тогда во вторник в 11", "ok then tuesday at 11",
     "давайте лучше 1 декабря в 11:00"],
)  # fmt: skip
async def test_a_follow_up_naming_another_free_time_takes_it(
    patient: Patient, follow_up: str
) -> None:
    await patient.says("нужен стоматолог в понедельник")
    await patient.says(follow_up)

    assert patient.state is not None
    assert patient.state.chosen is not None
    assert patient.state.chosen.start == datetime.combine(TUESDAY, time(11), TZ)


async def test_a_time_said_before_the_doctor_is_taken_once_the_doctor_is_known(
    patient: Patient,
) -> None:
    await patient.says("запишите меня на понедельник на 11")
    assert not patient.slot_buttons  # which doctor? first

    await patient.says("к терапевту")

    assert patient.state is not None
    assert patient.state.chosen is not None
    assert patient.state.chosen.start == datetime.combine(MONDAY, time(11), TZ)


async def test_a_taken_exact_time_is_said_to_be_taken_with_the_nearest_others(
    patient: Patient, api: FakeApi
) -> None:
    monday_ten = datetime.combine(MONDAY, time(10), TZ)
    api.slots = [s for s in api.slots if not (s.specialty == "dentist" and s.start == monday_ten)]

    await patient.says("запишите к стоматологу на понедельник на 10")

    assert "занято" in patient.text
    assert patient.state is not None
    assert patient.state.chosen is None
    assert monday_ten not in starts(patient)
    assert len(patient.slot_buttons) == 3


async def test_an_exact_time_then_typed_answers_book_it(patient: Patient, api: FakeApi) -> None:
    await patient.says("к стоматологу в понедельник в 10")
    await patient.says("да")  # book under my Telegram name
    await patient.says("89161234567")
    await patient.says("да")

    assert "Вы записаны" in patient.text
    (call,) = api.book_calls
    assert call["start"] == datetime.combine(MONDAY, time(10), TZ)
