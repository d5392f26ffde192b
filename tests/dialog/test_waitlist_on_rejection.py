"""The waitlist is offered when nothing suits: a search that comes back empty (test_holding),
or a patient who turns down the times proposed, in so many words or by asking for other
times again and again."""

import pytest

from tests.dialog.conftest import Patient
from tests.dialog.fakes import FakeApi

WAIT_RU, WAIT_EN = "🔔 Встать в лист ожидания", "🔔"


@pytest.mark.parametrize(
    "rejection", ["ни одно не подходит", "ничего из этого не подходит", "нет, не подходит"]
)
async def test_rejecting_every_time_offered_brings_the_waitlist_button(
    patient: Patient, rejection: str
) -> None:
    await patient.says("нужен стоматолог в понедельник")
    assert WAIT_RU not in patient.labels

    await patient.says(rejection)

    assert WAIT_RU in patient.labels
    assert patient.slot_buttons  # the next times are still there to pick


async def test_asking_for_other_times_twice_brings_the_waitlist_button(patient: Patient) -> None:
    await patient.says("нужен стоматолог в понедельник")
    await patient.says("а попозже?")
    assert WAIT_RU not in patient.labels  # one more look is no rejection of everything

    await patient.says("ещё позже")

    assert WAIT_RU in patient.labels


async def test_the_button_after_rejection_puts_the_patient_in_line(
    patient: Patient, api: FakeApi
) -> None:
    await patient.says("нужен стоматолог в понедельник")
    await patient.says("ни одно не подходит")

    await patient.presses(WAIT_RU)

    assert "Вы в листе ожидания" in patient.text
    [entry] = api.waitlist
    assert entry["specialty"] == "dentist"
    assert entry["first_day"].weekday() == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize("rejection", ["none of these suit me", "none of them work for me"])
async def test_rejecting_every_time_offered_in_english_brings_the_waitlist_button(
    english_patient: Patient, api: FakeApi, rejection: str
) -> None:
    await english_patient.says("I need a dentist on Monday")
    await english_patient.says(rejection)

    assert any("waitlist" in label.lower() for label in english_patient.labels)
    await english_patient.presses("waitlist")
    assert len(api.waitlist) == 1
