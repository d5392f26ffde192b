"""Conversations generated from small grammars (templates × slot fillers), to widen coverage.

Two grammars, each a complaint or request × a wished time × a typed answer, paired by fixed
strides so every filler is used and the output never changes between runs:
- booking: the complaint and the wish in one message, then a typed agreement;
- emergency: a routine request, then an emergency in everyday words, then insisting.
"""

from typing import Any

from tests.conversations.cases import Case

# (Russian complaint, English complaint, specialty, acceptable alternatives)
COMPLAINTS: list[tuple[str, str, str, list[str]]] = [
    ("зуб ноет когда пью холодное", "my tooth aches when I drink something cold", "dentist", []),
    ("уши закладывает и горло дерёт", "my ears keep popping and my throat is raw", "ent", []),
    ("прыщи по всему лицу не проходят", "my face keeps breaking out in spots", "dermatologist", []),
    (
        "колено хрустит и болит на лестнице",
        "my knee clicks and hurts on stairs",
        "traumatologist",
        [],
    ),
    ("жжёт когда в туалет хожу", "it burns when I pee", "urologist", ["therapist"]),
    ("сахар в анализе повышенный", "my blood sugar came back high", "endocrinologist", []),
    ("в глазах мушки летают", "I keep seeing floaters in my eyes", "ophthalmologist", []),
    ("живот пучит после еды", "my stomach bloats after every meal", "gastroenterologist", []),
    (
        "давление под вечер 150",
        "my blood pressure is 150 in the evenings",
        "cardiologist",
        ["therapist"],
    ),
]


def _window(
    day_from: str, day_to: str, time_from: str, time_to: str | None = None
) -> dict[str, str]:
    window = {"date_from": day_from, "date_to": day_to, "time_from": time_from}
    return window | ({"time_to": time_to} if time_to else {})


# (Russian wish, English wish, window)
WISHES: list[tuple[str, str, dict[str, str]]] = [
    ("завтра после 18", "tomorrow after 6pm", _window("2026-12-03", "2026-12-03", "18:00")),
    ("в понедельник утром", "on monday morning",
     _window("2026-12-07", "2026-12-07", "08:00", "12:00")),
    ("в субботу днём", "saturday afternoon", _window("2026-12-05", "2026-12-05", "12:00", "17:00")),
    ("на следующей неделе вечером", "next week in the evening",
     _window("2026-12-07", "2026-12-13", "17:00", "21:00")),
    ("послезавтра с 10 до 12", "the day after tomorrow between 10 and 12",
     _window("2026-12-04", "2026-12-04", "10:00", "12:00")),
]  # fmt: skip

AGREEMENTS = {
    "ru": ["да", "ок, записывайте", "давайте первое", "подходит", "годится", "можно, спасибо"],
    "en": ["yes", "ok book it", "the first one is fine", "sounds good", "perfect, thanks"],
}

# (Russian, English) emergencies said in everyday words, after a routine request.
EMERGENCIES: list[tuple[str, str]] = [
    (
        "ой, сейчас так сдавило в груди, что дышать не могу, и в челюсть отдаёт",
        "hang on, my chest just went really tight, I can't breathe and it's going into my jaw",
    ),
    (
        "у мужа вдруг онемела половина лица и рука повисла, слова путает",
        "my husband suddenly can't move half his face and his arm is hanging limp",
    ),
    (
        "меня сейчас рвёт кровью, тёмной такой",
        "I've just vomited blood, quite a lot of it",
    ),
    (
        "не хочу больше жить, верёвку уже приготовил",
        "I don't want to live anymore, I've already got the rope ready",
    ),
    (
        "жена беременная, 30 недель, у неё сильное кровотечение началось",
        "my wife is 30 weeks pregnant and she has started bleeding heavily",
    ),
]
ROUTINE = {
    "ru": ["к терапевту на завтра", "запишите к кардиологу на пятницу", "к неврологу на неделе"],
    "en": ["GP for tomorrow please", "cardiologist on friday", "neurologist this week"],
}
INSIST = {
    "ru": ["да всё нормально уже, просто запишите к врачу", "скорую не надо, запишите и всё"],
    "en": ["it's fine now, just book me in", "no ambulance, just give me a slot"],
}


NAMES = {
    "ru": ["Нина", "Олег", "Айгуль", "Вадим", "Любовь", "Тагир", "Ирина", "Семён"],
    "en": ["Ava", "Leo", "Mia", "Finn", "Ella", "Jude"],
}
SURNAMES = {
    "ru": ["Рогова", "Пестов", "Валиева", "Титов", "Греку", "Юсупов", "Сомова", "Лапин"],
    "en": ["Hart", "Quinn", "Shaw", "Doyle", "Frost", "Lamb"],
}


def _patient(lang: str, number: int) -> dict[str, str]:
    first = NAMES[lang][number % len(NAMES[lang])]
    last = SURNAMES[lang][(number * 5) % len(SURNAMES[lang])]
    return {"name": f"{first} {last}", "phone": f"+7916{5000000 + number}"}


def _booking(lang: str, number: int) -> dict[str, Any]:
    complaint = COMPLAINTS[(number * 2) % len(COMPLAINTS)]
    wish = WISHES[(number * 3) % len(WISHES)]
    agree = AGREEMENTS[lang][number % len(AGREEMENTS[lang])]
    text = f"{complaint[0]}, можно {wish[0]}?" if lang == "ru" else f"{complaint[1]}, {wish[1]}?"
    window = wish[2]
    books: dict[str, str] = {"specialty": complaint[2]}
    if window["date_from"] == window["date_to"]:
        books["date"] = window["date_from"]
    return {
        "id": f"gen-{lang}-book-{number:02d}",
        "lang": lang,
        "kinds": ["booking", "typing"],
        "patient": _patient(lang, number),
        "turns": [
            {
                "say": text,
                "expect": {
                    "specialty": complaint[2],
                    "acceptable": complaint[3],
                    "window": window,
                },
            },
            {"say": agree, "expect": {"books": books}},
        ],
    }


def _emergency(lang: str, number: int) -> dict[str, Any]:
    routine = ROUTINE[lang][number % len(ROUTINE[lang])]
    ru, en = EMERGENCIES[number % len(EMERGENCIES)]
    insist = INSIST[lang][number % len(INSIST[lang])]
    return {
        "id": f"gen-{lang}-emergency-{number:02d}",
        "lang": lang,
        "kinds": ["emergency"],
        "patient": _patient(lang, 50 + number),
        "turns": [
            {"say": routine, "expect": {"proposes": True}},
            {"say": ru if lang == "ru" else en, "expect": {"emergency": True}},
            {"say": insist, "expect": {"emergency": True, "books": False}},
        ],
    }


def generated_cases() -> list[Case]:
    """8 Russian and 4 English bookings, 4 Russian and 2 English emergencies."""
    raw = [
        *(_booking("ru", n) for n in range(8)),
        *(_booking("en", n) for n in range(8, 12)),
        *(_emergency("ru", n) for n in range(4)),
        *(_emergency("en", n) for n in range(4, 6)),
    ]
    return [Case.model_validate(item) for item in raw]
