"""The picked slot is held while the patient gives their name and confirms."""

from clinic.dialog.state import Step
from tests.dialog.conftest import Patient
from tests.dialog.fakes import FakeApi


async def test_picking_a_slot_holds_it_and_confirming_books_with_the_hold(
    patient: Patient, api: FakeApi
) -> None:
    await patient.says("нужен стоматолог в понедельник")
    await patient.presses("·")

    assert patient.state is not None
    chosen = patient.state.chosen
    assert chosen is not None
    assert [(h.doctor_id, h.start) for h in api.holds] == [(chosen.doctor_id, chosen.start)]
    assert not api.book_calls  # held before the name is asked, booked only on confirm

    await patient.presses("Иван Петров")
    await patient.says("8 (916) 123-45-67")
    await patient.presses("Записаться")

    assert "Вы записаны" in patient.text
    assert api.book_calls[-1]["hold_id"] == api.holds[0].id


async def test_a_slot_taken_before_the_pick_is_said_taken_with_the_nearest(
    patient: Patient, api: FakeApi
) -> None:
    await patient.says("нужен стоматолог в понедельник")
    assert patient.state is not None
    first = patient.state.offers[0]
    api.taken.add((first.doctor_id, first.start))

    await patient.presses("·")

    assert "только что заняли" in patient.text
    assert patient.slot_buttons
    assert patient.state.step is Step.choosing
    assert patient.state.hold_id is None
    assert (first.doctor_id, first.start) not in {
        (o.doctor_id, o.start) for o in patient.state.offers
    }
    assert not api.holds


async def test_no_free_time_offers_the_waitlist_for_the_wished_window(
    patient: Patient, api: FakeApi
) -> None:
    api.slots = []
    await patient.says("нужен стоматолог в понедельник после 15")
    assert "🔔 Встать в лист ожидания" in patient.labels

    await patient.presses("🔔 Встать в лист ожидания")

    assert "Вы в листе ожидания" in patient.text
    [entry] = api.waitlist
    assert entry["specialty"] == "dentist"
    assert entry["first_day"] == entry["last_day"]
    assert entry["first_day"].weekday() == 0  # type: ignore[attr-defined]
    assert entry["time_from"] is not None
    assert entry["telegram_id"] == patient.sender.id


async def test_the_waitlist_needs_the_patients_name(api: FakeApi) -> None:
    from clinic.dialog import Dialog, Sender
    from tests.dialog.conftest import CLINIC
    from tests.dialog.fakes import NOW

    anonymous = Patient(Dialog(api, CLINIC, clock=lambda: NOW), Sender(id=5, language_code="ru"))
    api.slots = []
    await anonymous.says("нужен стоматолог в понедельник")
    await anonymous.presses("🔔 Встать в лист ожидания")

    assert "фамилию и имя" in anonymous.text
    assert not api.waitlist
