"""Phones through phonenumbers (one normaliser for the API and the dialog) and names."""

import pytest

from clinic.appointments.schemas import AppointmentCreate
from clinic.core.phones import find_phone, normalise_phone
from clinic.dialog.contacts import name_in

RUSSIAN_WAYS = [
    "8 (916) 123-45-67",
    "+7 916 123-45-67",
    "+7 (916) 1234567",
    "89161234567",
    "79161234567",
    "9161234567",
    "916 123 45 67",
    "8-916-123-45-67",
]


@pytest.mark.parametrize("written", RUSSIAN_WAYS)
def test_a_russian_number_written_any_usual_way_is_stored_as_e164(written: str) -> None:
    assert normalise_phone(written) == "+79161234567"


@pytest.mark.parametrize("written", RUSSIAN_WAYS)
def test_the_api_schema_uses_the_same_normaliser(written: str) -> None:
    body = AppointmentCreate(
        patient_name="Иван", doctor_id=1, start_time="2026-12-01T10:00", patient_phone=written
    )
    assert body.patient_phone == "+79161234567"


@pytest.mark.parametrize("written", ["12345", "+7 999", "not a phone", "+7 000 000-00-00"])
def test_what_is_no_phone_is_refused(written: str) -> None:
    with pytest.raises(ValueError, match="phone"):
        normalise_phone(written)


def test_foreign_numbers_need_only_a_possible_length() -> None:
    assert normalise_phone("+44 20 7946 0958") == "+442079460958"
    # A range the tables reserve, still a patient's number to the front desk.
    assert normalise_phone("+44 7700 900123") == "+447700900123"


def test_the_region_is_a_parameter() -> None:
    assert normalise_phone("020 7946 0958", "GB") == "+442079460958"


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("Иван Петров, 8 (916) 123-45-67", "+79161234567"),
        ("мой номер +7 916 123 45 67, спасибо", "+79161234567"),
        ("тел 123-45-67", None),  # looks like a phone, is not a valid one
    ],
)
def test_a_phone_inside_a_sentence(text: str, e164: str | None) -> None:
    found = find_phone(text)
    assert found is not None
    assert found.e164 == e164


@pytest.mark.parametrize("text", ["10.12.2026 в 10:30", "с 9 до 11", "завтра в 18:00"])
def test_dates_and_times_are_no_phones(text: str) -> None:
    assert find_phone(text) is None


@pytest.mark.parametrize(
    ("text", "expected", "name"),
    [
        ("Анна Иванова", False, "Анна Иванова"),
        ("анна иванова", True, "Анна Иванова"),
        ("болит зуб", True, None),
        ("завтра утром", False, None),
        ("John Smith", True, "John Smith"),
        ("Ольга", False, None),  # one word, no phone, nobody asked: not enough
        ("Ольга", True, "Ольга"),
    ],
)
def test_names(text: str, expected: bool, name: str | None) -> None:
    assert name_in(text, expected=expected) == name
