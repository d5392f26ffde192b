"""The demo clinic: the 14 specialties and a staff of doctors with varied weekly hours."""

from datetime import time

# code, Russian name, English name
SPECIALTIES: list[tuple[str, str, str]] = [
    ("therapist", "Терапевт", "General practitioner"),
    ("cardiologist", "Кардиолог", "Cardiologist"),
    ("neurologist", "Невролог", "Neurologist"),
    ("dentist", "Стоматолог", "Dentist"),
    ("ent", "Оториноларинголог (ЛОР)", "ENT specialist"),
    ("ophthalmologist", "Офтальмолог", "Ophthalmologist"),
    ("dermatologist", "Дерматолог", "Dermatologist"),
    ("gastroenterologist", "Гастроэнтеролог", "Gastroenterologist"),
    ("gynecologist", "Гинеколог", "Gynecologist"),
    ("urologist", "Уролог", "Urologist"),
    ("pediatrician", "Педиатр", "Pediatrician"),
    ("traumatologist", "Травматолог-ортопед", "Traumatologist"),
    ("endocrinologist", "Эндокринолог", "Endocrinologist"),
    ("psychotherapist", "Психотерапевт", "Psychotherapist"),
]

Hours = dict[int, list[tuple[time, time]]]  # weekday (Monday = 0) -> intervals


def _days(days: range | list[int], *intervals: tuple[int, int, int, int]) -> Hours:
    spans = [(time(h1, m1), time(h2, m2)) for h1, m1, h2, m2 in intervals]
    return {day: spans for day in days}


WEEKDAYS = range(0, 5)
MORNINGS = _days(WEEKDAYS, (8, 0, 14, 0))
EVENINGS = _days(WEEKDAYS, (14, 0, 20, 0))
FULL_DAY_WITH_LUNCH = _days(WEEKDAYS, (9, 0, 13, 0), (14, 0, 18, 0))
WITH_SATURDAY = FULL_DAY_WITH_LUNCH | _days([5], (10, 0, 15, 0))
ALTERNATE = _days([0, 2, 4], (9, 0, 15, 0)) | _days([1, 3], (13, 0, 20, 0))
TWO_DAYS_AND_SATURDAY = _days([1, 3], (10, 0, 18, 0)) | _days([5], (9, 0, 14, 0))

# full name, specialty code, slot minutes, weekly hours
DOCTORS: list[tuple[str, str, int, Hours]] = [
    ("Иванова Мария Сергеевна", "therapist", 20, FULL_DAY_WITH_LUNCH),
    ("Смирнов Алексей Петрович", "therapist", 20, EVENINGS),
    ("Кузнецова Ольга Викторовна", "therapist", 20, WITH_SATURDAY),
    ("Попов Дмитрий Андреевич", "cardiologist", 30, MORNINGS),
    ("Васильева Елена Игоревна", "cardiologist", 30, ALTERNATE),
    ("Соколов Игорь Николаевич", "neurologist", 30, FULL_DAY_WITH_LUNCH),
    ("Михайлова Анна Дмитриевна", "neurologist", 30, TWO_DAYS_AND_SATURDAY),
    ("Новиков Сергей Владимирович", "dentist", 45, WITH_SATURDAY),
    ("Федорова Татьяна Александровна", "dentist", 45, EVENINGS),
    ("Морозов Андрей Олегович", "ent", 20, FULL_DAY_WITH_LUNCH),
    ("Волкова Наталья Юрьевна", "ophthalmologist", 30, ALTERNATE),
    ("Алексеев Павел Михайлович", "dermatologist", 30, MORNINGS),
    ("Лебедева Светлана Павловна", "gastroenterologist", 30, FULL_DAY_WITH_LUNCH),
    ("Семенова Ирина Валерьевна", "gynecologist", 30, WITH_SATURDAY),
    ("Егорова Юлия Сергеевна", "gynecologist", 30, EVENINGS),
    ("Павлов Николай Иванович", "urologist", 30, ALTERNATE),
    ("Козлова Екатерина Андреевна", "pediatrician", 20, FULL_DAY_WITH_LUNCH),
    ("Степанов Максим Евгеньевич", "pediatrician", 20, TWO_DAYS_AND_SATURDAY),
    ("Николаев Артем Викторович", "traumatologist", 20, WITH_SATURDAY),
    ("Орлова Виктория Романовна", "endocrinologist", 30, MORNINGS),
    ("Андреев Роман Сергеевич", "psychotherapist", 60, EVENINGS),
    ("Макарова Дарья Алексеевна", "psychotherapist", 60, ALTERNATE),
]
