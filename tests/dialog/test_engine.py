"""The booking conversation, branch by branch, against the in-memory API."""

import logging
from datetime import datetime, time
from typing import Any

import pytest

from clinic.dialog import Act, Conversation, Dialog, Intent
from clinic.dialog.acts import SlotRef
from clinic.dialog.state import Step
from clinic.dialog.understanding import TurnContext
from tests.dialog.conftest import CLINIC, Patient
from tests.dialog.fakes import NOW, TZ, FakeApi


def _starts(patient: Patient) -> list[datetime]:
    assert patient.state is not None
    return [offer.start.astimezone(TZ) for offer in patient.state.offers]


async def _book_until_confirm(patient: Patient, request: str = "нужен стоматолог") -> None:
    await patient.says(request + " в понедельник")
    await patient.presses("·")
    await patient.presses("Иван Петров")
    await patient.says("8 (916) 123-45-67")


async def test_start_greets_with_specialty_and_when_buttons(patient: Patient) -> None:
    replies = await patient.command("start")

    assert "Здравствуйте" in replies[0].text
    assert {"Терапевт", "Стоматолог", "Сегодня", "Завтра", "На этой неделе", "Любое время"} <= set(
        patient.labels
    )


async def test_english_user_is_answered_in_english(english_patient: Patient) -> None:
    await english_patient.command("start")
    assert "Hello" in english_patient.text
    await english_patient.says("I need a dentist on Monday")
    assert "Dentist" in english_patient.text
    assert "👤 Another doctor" in english_patient.labels


async def test_emergency_tells_to_call_103_and_books_nothing(
    patient: Patient, api: FakeApi
) -> None:
    await patient.says("сильная боль в груди, трудно дышать")

    assert "103" in patient.text
    assert "112" in patient.text
    assert patient.state is not None
    assert patient.state.step is Step.idle
    assert not patient.slot_buttons
    assert not api.book_calls


async def test_unclear_message_gets_one_follow_up_then_a_therapist(patient: Patient) -> None:
    await patient.says("здравствуйте")
    assert "Здравствуйте" in patient.text
    await patient.says("хочу записаться")
    assert "к какому врачу" in patient.text
    assert "Терапевт" in patient.labels

    await patient.says("ну не знаю")

    assert "терапевта" in patient.text
    assert patient.state is not None
    assert patient.state.specialty == "therapist"
    # The nearest free times at once, with an invitation to name a day instead.
    assert patient.state.step is Step.choosing
    assert len(patient.slot_buttons) == 3
    assert "какой день и время" in patient.text


async def test_specialty_without_date_is_named_with_reason_and_the_nearest_times(
    patient: Patient,
) -> None:
    await patient.says("болит зуб")
    assert "Стоматолог" in patient.text
    assert "зуб" in patient.text
    assert "Ближайшее свободное время" in patient.text
    assert "какой день и время вам удобны" in patient.text
    assert len(patient.slot_buttons) == 3

    await patient.says("в понедельник")

    assert len(patient.slot_buttons) == 3
    assert all(start.date().isoformat() == "2026-11-30" for start in _starts(patient))


async def test_wished_time_that_is_free_is_proposed(patient: Patient) -> None:
    await patient.says("нужен терапевт в понедельник в 10:00")

    assert "Желаемое время свободно" in patient.text
    assert _starts(patient)[0] == datetime(2026, 11, 30, 10, 0, tzinfo=TZ)


async def test_taken_wished_time_proposes_three_nearest_and_other_choices(
    patient: Patient, api: FakeApi
) -> None:
    monday_ten = datetime(2026, 11, 30, 10, 0, tzinfo=TZ)
    api.taken |= {(3, monday_ten), (4, monday_ten)}

    await patient.says("нужен стоматолог в понедельник в 10:00")

    assert "На это время записи нет" in patient.text
    assert len(patient.slot_buttons) == 3
    assert all(start > monday_ten for start in _starts(patient))
    assert {"🕑 Позже", "📅 Другой день", "👤 Другой врач"} <= set(patient.labels)


async def test_free_text_refinement_recomputes_the_proposal(patient: Patient) -> None:
    await patient.says("нужен терапевт в понедельник")
    assert _starts(patient)[0].hour == 9

    await patient.says("лучше после 15")

    assert all(s.hour >= 15 and s.date().isoformat() == "2026-11-30" for s in _starts(patient))
    await patient.says("а во вторник?")
    assert all(s.hour >= 15 and s.date().isoformat() == "2026-12-01" for s in _starts(patient))


async def test_another_doctor_in_words_and_by_button(patient: Patient) -> None:
    await patient.says("нужен стоматолог в понедельник")
    assert patient.state is not None
    assert {o.doctor_id for o in patient.state.offers} == {3}

    await patient.says("другой врач")
    assert patient.state is not None
    assert {o.doctor_id for o in patient.state.offers} == {4}
    assert "других врачей" in patient.text

    await patient.presses("Другой врач")  # no third dentist: say so and show everyone
    assert "Других врачей" in patient.text
    assert patient.slot_buttons


async def test_another_time_shows_later_slots(patient: Patient) -> None:
    await patient.says("нужен терапевт в понедельник")
    last = max(_starts(patient))

    await patient.presses("Позже")

    assert all(start > last for start in _starts(patient))
    assert {start.date() for start in _starts(patient)} == {last.date()}  # the same day first


async def test_happy_path_books_once_with_key_and_shows_details(
    patient: Patient, api: FakeApi
) -> None:
    await patient.says("болит зуб, в понедельник после 15")
    await patient.presses("·")
    assert "На чьё имя" in patient.text

    await patient.presses("Иван Петров")
    assert "телефон" in patient.text
    assert any(reply.request_contact for reply in patient.replies)
    await patient.shares_phone("79161234567")
    assert "+79161234567" in patient.text

    await patient.presses("Записаться")

    assert "Вы записаны" in patient.text
    assert "101" in patient.text
    assert "по московскому времени" in patient.text
    assert CLINIC.address in patient.text
    (call,) = api.book_calls
    assert call["telegram_id"] == 555
    assert call["phone"] == "+79161234567"
    assert str(call["key"]).startswith("dialog-")
    assert call["reason"] == "болит зуб, в понедельник после 15"
    assert patient.state is not None
    assert patient.state.step is Step.idle


async def test_typed_name_is_used(patient: Patient, api: FakeApi) -> None:
    await patient.says("нужен терапевт в понедельник")
    await patient.presses("·")
    await patient.says("Анна Зубова")
    await patient.says("+7 916 123-45-67")
    await patient.presses("Записаться")

    assert api.book_calls[0]["name"] == "Анна Зубова"


async def test_double_tap_books_once(patient: Patient, api: FakeApi) -> None:
    await _book_until_confirm(patient)
    confirm = next(b.data for r in patient.replies for row in r.buttons for b in row
                   if b.label.startswith("✅"))  # fmt: skip

    await patient.press_data(confirm)
    await patient.press_data(confirm)

    assert "уже сделана" in patient.text
    assert len(api.appointments) == 1
    assert len(api.book_calls) == 1


async def test_retry_after_outage_reuses_the_idempotency_key(
    patient: Patient, api: FakeApi
) -> None:
    await _book_until_confirm(patient)
    api.down = True
    await patient.presses("Записаться")
    assert "временно недоступен" in patient.text
    assert patient.state is not None
    assert patient.state.step is Step.confirming

    api.down = False
    api.keys["pretend the first request reached the API"] = 0
    await patient.press_data("ok")

    assert "Вы записаны" in patient.text
    keys = {call["key"] for call in api.book_calls}
    assert len(api.book_calls) == 1
    assert len(keys) == 1


async def test_same_details_give_the_same_key_and_new_slot_a_new_one() -> None:
    from clinic.dialog.booking import booking_key
    from clinic.dialog.events import Sender
    from clinic.dialog.state import Offer

    offer = Offer(doctor_id=1, doctor_name="X", specialty="t", start=NOW, end=NOW)
    state = Conversation(conversation_id="abc", chosen=offer, patient_name="A")
    other = state.model_copy(update={"chosen": offer.model_copy(update={"doctor_id": 2})})
    sender = Sender(id=1)

    assert booking_key(state, sender) == booking_key(state.model_copy(deep=True), sender)
    assert booking_key(state, sender) != booking_key(other, sender)


async def test_slot_taken_meanwhile_apologises_with_fresh_alternatives(
    patient: Patient, api: FakeApi
) -> None:
    await _book_until_confirm(patient)
    assert patient.state is not None
    assert patient.state.chosen is not None
    chosen = patient.state.chosen
    api.taken.add((chosen.doctor_id, chosen.start))

    await patient.presses("Записаться")

    assert "только что заняли" in patient.text
    assert patient.slot_buttons
    assert patient.state.step is Step.choosing
    assert (chosen.doctor_id, chosen.start) not in {
        (o.doctor_id, o.start) for o in patient.state.offers
    }
    await patient.presses("·")  # name and phone are known by now: straight to the summary
    await patient.presses("Записаться")
    assert "Вы записаны" in patient.text


async def test_refused_phone_is_asked_again(patient: Patient, api: FakeApi) -> None:
    api.reject_phone = True
    await _book_until_confirm(patient)
    await patient.presses("Записаться")

    assert "номер телефона" in patient.text
    assert patient.state is not None
    assert patient.state.patient_phone is None
    api.reject_phone = False
    await patient.says("+7 926 765-43-21")
    await patient.presses("Записаться")
    assert "Вы записаны" in patient.text
    assert api.book_calls[-1]["phone"] == "+79267654321"


async def test_my_lists_appointments_and_cancels_after_a_question(
    patient: Patient, api: FakeApi
) -> None:
    await _book_until_confirm(patient)
    await patient.presses("Записаться")

    await patient.command("my")
    assert "Ваши записи" in patient.text
    assert "№101" in patient.text
    assert "Смирнов" not in patient.text

    await patient.presses("Отменить №101")
    assert "Отменить запись №101?" in patient.text
    await patient.presses("Да, отменить")

    assert "отменена" in patient.text
    assert api.appointments[101].status == "cancelled"
    await patient.command("my")
    assert "нет предстоящих" in patient.text


async def test_cannot_cancel_someone_elses_appointment(
    patient: Patient, dialog: Dialog, api: FakeApi
) -> None:
    await _book_until_confirm(patient)
    await patient.presses("Записаться")
    stranger = Patient(dialog, patient.sender.model_copy(update={"id": 999}))

    await stranger.press_data("xy:101")

    assert "среди ваших нет" in stranger.text
    assert api.appointments[101].status == "scheduled"


async def test_cancel_command_starts_over(patient: Patient) -> None:
    await patient.says("нужен терапевт в понедельник")
    await patient.command("cancel")

    assert "начнём заново" in patient.text
    assert patient.state is not None
    assert patient.state.specialty is None
    assert patient.state.step is Step.idle


async def test_help_explains_commands(patient: Patient) -> None:
    await patient.command("help")
    assert "/my" in patient.text
    assert "/cancel" in patient.text
    assert "103" in patient.text


async def test_sticker_gets_a_polite_request_for_text(patient: Patient) -> None:
    await patient.says("нужен терапевт в понедельник")
    before = patient.state
    await patient.sends_sticker()
    assert "только текст" in patient.text
    assert patient.state == before


async def test_unreachable_api_keeps_the_conversation(patient: Patient, api: FakeApi) -> None:
    await patient.says("нужен терапевт")
    before = patient.state
    api.down = True

    await patient.says("в понедельник")

    assert "временно недоступен" in patient.text
    assert patient.state == before
    api.down = False
    await patient.says("в понедельник")
    assert patient.slot_buttons


async def test_stale_slot_button_is_refused_and_offers_shown_again(patient: Patient) -> None:
    await patient.says("нужен терапевт в понедельник")
    old = patient.slot_buttons[0]
    await patient.says("во вторник")

    await patient.press_data(old)

    assert "неактуальна" in patient.text
    assert patient.slot_buttons


async def test_quick_buttons_specialty_then_when(patient: Patient) -> None:
    await patient.command("start")
    await patient.presses("Стоматолог")
    assert patient.slot_buttons  # the nearest ones, before any day is said
    await patient.says("на этой неделе после обеда")
    assert patient.slot_buttons
    assert all(start.hour >= 12 for start in _starts(patient))


async def test_state_survives_a_json_round_trip(patient: Patient) -> None:
    await _book_until_confirm(patient)
    assert patient.state is not None

    restored = Conversation.model_validate_json(patient.state.model_dump_json())

    assert restored == patient.state
    patient.state = restored
    await patient.presses("Записаться")
    assert "Вы записаны" in patient.text


async def test_patient_text_is_not_logged(
    patient: Patient, api: FakeApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "геморрой Тайноимя"
    await patient.says(f"болит зуб, {secret}, в понедельник")
    await patient.presses("·")
    await patient.says("Тайноимя Секретова, 8 916 111-22-33")
    api.down = True
    await patient.presses("Записаться")

    assert "Тайноимя" not in caplog.text
    assert "геморрой" not in caplog.text


class _ScriptedAgent:
    """An understander like the LLM agent will be: proposes slots and writes its own text."""

    def __init__(self, proposals: list[SlotRef]) -> None:
        self.proposals = proposals
        self.seen: list[TurnContext] = []

    async def understand(self, text: str, context: TurnContext) -> Act:
        self.seen.append(context)
        return Act(
            intent=Intent.inform,
            specialty="therapist",
            proposals=self.proposals,
            reply="Могу предложить:",
            memory={"turns": len(self.seen)},
        )


async def test_plugged_understander_proposals_are_checked_against_the_api(
    api: FakeApi,
) -> None:
    real = datetime(2026, 11, 30, 10, 0, tzinfo=TZ)
    invented = datetime(2026, 11, 30, 3, 0, tzinfo=TZ)
    agent = _ScriptedAgent([SlotRef(doctor_id=1, start=real), SlotRef(doctor_id=1, start=invented)])
    patient = Patient(Dialog(api, CLINIC, agent, clock=lambda: NOW), russian_sender())

    await patient.says("хочу к терапевту в понедельник утром")

    assert "Могу предложить" in patient.text
    assert patient.state is not None
    assert [o.start for o in patient.state.offers] == [real]
    assert patient.state.memory == {"turns": 1}
    assert agent.seen[0].now == NOW
    assert agent.seen[0].specialties


async def test_red_flags_win_over_a_plugged_understander(api: FakeApi) -> None:
    agent = _ScriptedAgent([SlotRef(doctor_id=1, start=datetime(2026, 11, 30, 10, tzinfo=TZ))])
    patient = Patient(Dialog(api, CLINIC, agent, clock=lambda: NOW), russian_sender())

    await patient.says("потерял сознание, трудно дышать")

    assert "103" in patient.text
    assert not agent.seen
    assert not patient.slot_buttons


def russian_sender() -> Any:
    from clinic.dialog import Sender

    return Sender(id=1, name="Пациент", language_code="ru")


def test_wish_merge_keeps_what_a_refinement_does_not_name() -> None:
    from datetime import date

    from clinic.dialog.state import Wish

    day = Wish(date_from=date(2026, 11, 30), date_to=date(2026, 11, 30))
    merged = day.merged(Wish(time_from=time(18)))
    assert merged.date_from == date(2026, 11, 30)
    assert merged.time_from == time(18)
    assert merged.merged(Wish(date_from=date(2026, 12, 4), date_to=date(2026, 12, 4))).time_from


async def test_a_doctor_named_by_surname_is_booked_with_and_another_doctor_frees_the_choice(
    patient: Patient,
) -> None:
    await patient.says("запишите к Федоровой в понедельник")
    assert "Федорова Татьяна Александровна" in patient.text
    assert patient.state is not None
    assert patient.state.doctor_id == 4
    assert {o.doctor_id for o in patient.state.offers} == {4}

    await patient.presses("Другой врач")

    assert patient.state.doctor_id is None
    assert {o.doctor_id for o in patient.state.offers} == {3}  # the other dentist
