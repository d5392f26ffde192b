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


LATIN_DOCTORS = [
    *DOCTORS,
    (6, "Кузнецов Олег Петрович"),
    (7, "Щербакова Анна Игоревна"),
    (8, "Хохлов Игорь Семёнович"),
    (9, "Соловьёв Павел Андреевич"),
    (10, "Васильева Юлия Борисовна"),
    (11, "Цветкова Ирина Львовна"),
    (12, "Зайцев Юрий Николаевич"),
]


@pytest.mark.parametrize(
    ("text", "doctor_id"),
    [
        ("can I see Dr Novikov on Friday?", 2),
        ("appointment with Ivanova please", 1),
        ("book me with dr kuznetsoff", 6),
        ("Kuznecov, any time next week", 6),
        ("Shcherbakova", 7),
        ("Scherbakova or nobody", 7),
        ("is Sherbakova in on Monday", 7),
        ("Hohlov", 8),
        ("Dr Khokhlov", 8),
        ("Solovyov", 9),
        ("Soloviev", 9),
        ("Vasilyeva", 10),
        ("Vasilieva", 10),
        ("Vasileva", 10),
        ("Cvetkova", 11),
        ("Tzvetkova", 11),
        ("Zaytsev", 12),
        ("Morozoff tomorrow", 4),
        ("Fyodorova", 5),
        ("k Ivanovoy na zavtra", 1),
    ],
)
def test_a_surname_typed_in_latin_letters_names_the_doctor(text: str, doctor_id: int) -> None:
    assert find_named_doctor(text, LATIN_DOCTORS) == doctor_id


@pytest.mark.parametrize(
    "text",
    [
        "I need a doctor, my nose is blocked",
        "my son is sick since Monday",
        "frozen shoulder, can I come tomorrow",
        "novikov",  # lower case with nothing pointing at it: not read as a name
    ],
)
def test_latin_words_that_are_no_surname_name_nobody(text: str) -> None:
    assert find_named_doctor(text, LATIN_DOCTORS) is None
