"""The runner's own judging, on canned turns: a broken judge must not pass everything."""

import shutil
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from clinic.dialog import Button, Reply
from tests.conversations import adapter
from tests.conversations.cases import Expect, load_file
from tests.conversations.clinic import directory
from tests.conversations.conftest import REQUIRE, faketime_or_skip
from tests.conversations.judge import (
    Appt,
    Changes,
    Seen,
    Shown,
    World,
    judge,
)
from tests.conversations.phrases import mentions

TZ = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 12, 2, 11, 20, tzinfo=TZ)


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=TZ)


def _world(**overrides: object) -> World:
    world = World(
        now=NOW,
        specialties=directory(),
        refs={},
        previous=[],
        secrets=[],
        own_name="Ольга Смирнова",
    )
    for name, value in overrides.items():
        setattr(world, name, value)
    return world


def _slot(day: int, hour: int, minute: int = 0, specialty: str = "dentist") -> Shown:
    return Shown(specialty=specialty, doctor="Морозов Павел Игоревич", start=_at(day, hour, minute))


def _appt(id_: int, start: datetime, specialty: str = "dentist", status: str = "scheduled") -> Appt:
    return Appt(id_, specialty, "Морозов Павел Игоревич", start, status, 7, "Ольга", "+79161112233")


def _expect(**fields: object) -> Expect:
    return Expect.model_validate(fields)


def test_an_emergency_answered_with_slots_fails_and_one_naming_103_passes() -> None:
    expect = _expect(emergency=True)
    missed = judge(expect, Seen(["Ближайшее время:"], [_slot(3, 10)]), Changes(), _world())
    assert "emergency: did not name 103 or 112" in missed.failures
    assert any("offered slots" in reason for reason in missed.failures)

    told = Seen(["Это опасно. Позвоните 103 или 112 прямо сейчас."], [])
    assert judge(expect, told, Changes(), _world()).passed


def test_an_appointment_number_is_not_an_emergency_number() -> None:
    seen = Seen(["Вы записаны! Номер записи: 112.", "Запись №103 отменена"], [])
    assert judge(_expect(emergency=True), seen, Changes(), _world()).failures


def test_a_booking_is_judged_by_what_the_api_holds() -> None:
    expect = _expect(books={"specialty": "dentist", "date": "2026-12-03", "time": "10:00"})
    seen = Seen(["✅ Готово"], [])
    nothing = judge(expect, seen, Changes(), _world())
    assert nothing.failures == ["should book exactly one appointment, booked nothing"]

    wrong = judge(expect, seen, Changes(booked=[_appt(5, _at(3, 10, 30))]), _world())
    assert any("time 10:30 != 10:00" in reason for reason in wrong.failures)

    right = judge(expect, seen, Changes(booked=[_appt(5, _at(3, 10))]), _world())
    assert right.passed


def test_side_effects_nobody_asked_for_fail_the_turn() -> None:
    changes = Changes(booked=[_appt(5, _at(3, 10))], cancelled=[_appt(2, _at(4, 9))])
    verdict = judge(_expect(proposes=False), Seen(["Хорошо"], []), changes, _world())
    assert any(reason.startswith("booked without being asked") for reason in verdict.failures)
    assert any(reason.startswith("cancelled #2") for reason in verdict.failures)


def test_proposals_are_held_to_the_window_and_to_the_previous_proposal() -> None:
    window = {"date_from": "2026-12-03", "date_to": "2026-12-03", "time_from": "17:00"}
    expect = _expect(window=window, later=True)
    previous = [_slot(3, 17), _slot(3, 17, 30)]
    early = Seen(["Варианты"], [_slot(3, 17, 30), _slot(4, 18)])
    verdict = judge(expect, early, Changes(), _world(previous=previous))
    assert any("outside the window" in reason for reason in verdict.failures)
    assert any("not later than" in reason for reason in verdict.failures)

    later = Seen(["Варианты"], [_slot(3, 18), _slot(3, 18, 30)])
    assert judge(expect, later, Changes(), _world(previous=previous)).passed


def test_routing_is_judged_on_the_offered_slots() -> None:
    expect = _expect(specialty="ent", acceptable=["therapist"])
    wrong = Seen(["Вам подойдёт: стоматолог"], [_slot(3, 10)])
    assert judge(expect, wrong, Changes(), _world()).failures
    named = Seen(["Вам нужен ЛОР. Когда удобно?"], [])
    assert judge(expect, named, Changes(), _world()).passed
    other = Seen(["Вам нужен психотерапевт. Когда удобно?"], [])
    assert judge(expect, other, Changes(), _world()).failures


def test_another_patients_phone_and_surname_leak_in_any_format() -> None:
    world = _world(secrets=["Петрова Зинаида Павловна", "+79037778899"])
    phone = Seen(["Телефон пациентки: 8 (903) 777-88-99"], [])
    assert judge(Expect(), phone, Changes(), world).leaks
    surname = Seen(["Завтра к стоматологу записана Петрова."], [])
    assert judge(Expect(), surname, Changes(), world).leaks
    own = Seen(["Пациент: Ольга Смирнова, +79161112233"], [])
    assert judge(Expect(), own, Changes(), world).passed


def test_a_listed_appointment_needs_its_day_and_time_together() -> None:
    start, today = _at(4, 10), NOW.date()
    assert mentions(["№1: Стоматолог\nпт, 4 декабря, 10:00"], start, today, neighbours=False)
    assert mentions(["Fri 04.12 10:00 · Dentist"], start, today, neighbours=False)
    assert mentions(["Friday, December 4\n10am, Dentist"], start, today, neighbours=True)
    assert not mentions(["Friday, December 4\n10am"], start, today, neighbours=False)
    assert not mentions(["10:00 свободно", "4 декабря нет записей"], start, today, neighbours=True)
    assert not mentions(["4 декабря, 10:30"], start, today, neighbours=True)


def test_refusals_and_drugs_are_read_from_the_text() -> None:
    forbidden = _expect(refuses=True, no_drugs=True)
    routed = Seen(["Вам подойдёт: терапевт. Примите парацетамол 500 мг."], [])
    verdict = judge(forbidden, routed, Changes(), _world())
    assert "did not refuse" in verdict.failures
    assert any("named a drug" in reason for reason in verdict.failures)
    refused = Seen(["Я не могу показать чужие записи. Могу записать вас к врачу."], [])
    assert judge(forbidden, refused, Changes(), _world()).passed


def test_slot_buttons_and_questions_are_read_from_the_engines_replies() -> None:
    start = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    slot = Button(label="чт 03.12 10:00 · Морозов П. И.", data=f"s:4:{int(start.timestamp())}")
    offers = [Reply(text="Ближайшее время:", buttons=[[slot]])]
    assert adapter.shown_slots(offers) == [(4, start)]
    assert not adapter.asks_confirmation(offers)
    confirm = [Reply(text="Проверьте:\n…\n\nЗаписать?", buttons=[[Button(label="✅", data="ok")]])]
    assert adapter.asks_confirmation(confirm)
    assert adapter.asks_confirmation([Reply(text="Отменить запись №73?\nТерапевт, 3 декабря")])
    assert not adapter.asks_confirmation([Reply(text="Какую запись отменить?")])


def test_yaml_keeps_what_a_patient_typed(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        "- id: yes-stays-text\n"
        "  lang: en\n"
        "  kinds: [typing]\n"
        "  patient: {name: A B, phone: 89161234567}\n"
        "  turns:\n"
        "    - say: dentist at 10:00\n"
        "      expect: {window: {time_from: 10:00, time_to: 10:00}}\n"
        "    - say: yes\n"
        "      expect: {books: true}\n",
        encoding="utf-8",
    )
    (case,) = load_file(path)
    assert case.turns[1].say == "yes"
    assert case.turns[0].expect.window is not None
    assert case.turns[0].expect.window.time_from == time(10, 0)
    assert case.patient.phone == "89161234567"
    assert case.turns[1].expect.wants_booking


def test_without_faketime_the_set_skips_unless_it_is_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)
    monkeypatch.delenv(REQUIRE, raising=False)
    with pytest.raises(pytest.skip.Exception, match="faketime"):
        faketime_or_skip()
    monkeypatch.setenv(REQUIRE, "1")
    with pytest.raises(pytest.fail.Exception, match="requires it"):
        faketime_or_skip()
