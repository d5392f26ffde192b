"""A doctor named by surname, in any case form, and ordinary words that only look like one."""

import pytest

from clinic.assistant.names import find_named_doctor

DOCTORS = [
    (1, "Иванова Мария Сергеевна"),
    (2, "Новиков Сергей Владимирович"),
    (3, "Волкова Наталья Юрьевна"),
    (4, "Морозов Андрей Олегович"),
    (5, "Федорова Татьяна Александровна"),
]


@pytest.mark.parametrize(
    ("text", "doctor_id"),
    [
        ("хочу к Новикову в понедельник", 2),
        ("запишите к ивановой", 1),
        ("к доктору морозову", 4),
        ("у волковой есть время?", 3),
        ("к Фёдоровой на завтра", 5),
        ("Мария Сергеевна Иванова, пожалуйста", 1),
    ],
)
def test_a_surname_in_any_case_names_the_doctor(text: str, doctor_id: int) -> None:
    assert find_named_doctor(text, DOCTORS) == doctor_id


@pytest.mark.parametrize(
    "text", ["боюсь волков", "на мороз не хочу выходить", "болит зуб", "", "к врачу"]
)
def test_ordinary_words_name_nobody(text: str) -> None:
    assert find_named_doctor(text, DOCTORS) is None


def test_two_doctors_with_one_surname_are_ambiguous() -> None:
    namesakes = [*DOCTORS, (6, "Иванов Пётр Ильич")]
    assert find_named_doctor("к Иванову", namesakes) is None
