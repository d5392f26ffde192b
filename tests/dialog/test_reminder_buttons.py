"""A reminder's buttons in the dialog: each press is the act it stands for, in any step."""

from datetime import timedelta

from clinic.dialog import buttons
from tests.dialog.conftest import Patient
from tests.dialog.fakes import NOW, FakeApi


def _appointment(api: FakeApi, telegram_id: int = 555) -> int:
    return api.add(doctor_id=1, start=NOW + timedelta(days=1), telegram_id=telegram_id)


async def test_confirm_confirms_that_appointment_once(api: FakeApi, patient: Patient) -> None:
    number = _appointment(api)

    await patient.press_data(f"{buttons.CONFIRM_APPOINTMENT}:{number}")
    first = api.appointments[number].confirmed_at
    await patient.press_data(f"{buttons.CONFIRM_APPOINTMENT}:{number}")

    assert f"№{number} подтверждён" in patient.text
    assert first is not None
    assert api.appointments[number].confirmed_at == first


async def test_confirm_in_the_middle_of_a_booking_leaves_it_going(
    api: FakeApi, patient: Patient
) -> None:
    number = _appointment(api)
    await patient.says("болит зуб, завтра")
    step = patient.state.step if patient.state else None

    await patient.press_data(f"{buttons.CONFIRM_APPOINTMENT}:{number}")

    assert "подтверждён" in patient.text
    assert patient.state is not None
    assert patient.state.step == step


async def test_another_patients_appointment_is_not_confirmed(
    api: FakeApi, patient: Patient
) -> None:
    number = _appointment(api, telegram_id=999)

    await patient.press_data(f"{buttons.CONFIRM_APPOINTMENT}:{number}")

    assert "Такой записи среди ваших нет" in patient.text
    assert api.appointments[number].confirmed_at is None


async def test_a_cancelled_appointment_says_so(api: FakeApi, english_patient: Patient) -> None:
    number = _appointment(api, telegram_id=556)
    await api.cancel(number)

    await english_patient.press_data(f"{buttons.CONFIRM_APPOINTMENT}:{number}")

    assert f"No. {number} is already cancelled" in english_patient.text


async def test_cancel_from_a_reminder_asks_first(api: FakeApi, patient: Patient) -> None:
    number = _appointment(api)

    await patient.press_data(f"{buttons.CANCEL_APPOINTMENT}:{number}")

    assert f"Отменить запись №{number}?" in patient.text
    assert api.appointments[number].status == "scheduled"
