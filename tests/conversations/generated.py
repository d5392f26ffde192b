"""Conversations generated from small grammars (templates × slot fillers), to widen coverage.

Grammars of a complaint or request × a wished time × a typed answer, paired by fixed strides
so every filler is used and the output never changes between runs:
- booking: the complaint and the wish in one message, then a typed agreement;
- emergency: a routine request, then an emergency in everyday words, then insisting;
- short answers: a yes or a no as people type it (transliterated, slang, one word) to what is
  on the table — the times offered, the booking's summary, "cancel this one?" — and to
  nothing at all, where a yes must book nothing.
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


# Yes and no typed the way people type them: transliterated, slang, one word, lowercase.
YES = {
    "ru": ["da", "ага", "угу", "ок", "окей", "ага давайте", "угу, норм", "ДА", "да-да", "okey",
           "Da, davaite", "конечно"],
    "en": ["yep", "sure thing", "okey", "yeah", "yup that works", "sure", "ok", "ya sure"],
}  # fmt: skip
NO = {
    "ru": ["ne", "неа", "нет", "не", "нее", "no", "не-а", "нет, не надо", "неее", "net"],
    "en": ["nope", "nah", "no thanks", "not really", "nope, not that", "no"],
}  # fmt: skip
# (Russian request, English request, specialty, the day it names)
REQUESTS: list[tuple[str, str, str, str]] = [
    ("к терапевту завтра", "GP tomorrow", "therapist", "2026-12-03"),
    ("к лору на пятницу", "ENT on friday", "ent", "2026-12-04"),
    ("стоматолог в понедельник", "dentist on monday please", "dentist", "2026-12-07"),
    ("к окулисту в субботу", "eye doctor saturday", "ophthalmologist", "2026-12-05"),
    ("невролог на завтра нужен", "a neurologist for tomorrow", "neurologist", "2026-12-03"),
]
# "давайте в 10" with the name and the phone, in any order: the summary comes next.
TEN_WITH_CONTACT = {
    "ru": ["давайте в 10, {name} {phone}", "на 10:00. {name}, тел {phone}",
           "в 10 утра, {phone}, {name}"],
    "en": ["10am please, {name}, {phone}", "at 10. {phone}, {name}"],
}  # fmt: skip
CANCELS = {
    "ru": ["отмените запись к стоматологу", "хочу отменить стоматолога", "отмена записи к зубному"],
    "en": ["cancel my dentist appointment", "please cancel the dentist"],
}  # fmt: skip
LIST_MINE = {"ru": "какие у меня записи?", "en": "what appointments do I have?"}


def _pick(items: list[Any], number: int, stride: int = 1) -> Any:
    return items[(number * stride) % len(items)]


def _request(lang: str, number: int) -> tuple[str, str, str]:
    ru, en, specialty, day = _pick(REQUESTS, number, 3)
    return (ru if lang == "ru" else en), specialty, day


def _short(lang: str, number: int, shape: str, turns: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": f"gen-{lang}-short-{shape}-{number:02d}",
        "lang": lang,
        "kinds": ["typing", "booking"],
        "patient": _patient(lang, 100 + number),
        "turns": turns,
    }


def _yes_to_offers(lang: str, number: int) -> dict[str, Any]:
    text, specialty, day = _request(lang, number)
    return _short(lang, number, "yes-offers", [
        {"say": text, "expect": {"specialty": specialty, "proposes": True}},
        {"say": _pick(YES[lang], number), "expect": {"books": {"specialty": specialty,
                                                                "date": day}}},
    ])  # fmt: skip


def _no_to_offers(lang: str, number: int) -> dict[str, Any]:
    text, specialty, _ = _request(lang, number)
    return _short(lang, number, "no-offers", [
        {"say": text, "expect": {"specialty": specialty, "proposes": True}},
        {"say": _pick(NO[lang], number, 3), "expect": {"books": False, "later": True}},
        {"say": _pick(YES[lang], number, 5), "expect": {"books": {"specialty": specialty}}},
    ])  # fmt: skip


def _summary(lang: str, number: int, answer: str, expect: dict[str, Any]) -> dict[str, Any]:
    """An unregistered patient takes 10:00 and gives their details: the summary is shown."""
    text, specialty, day = _request(lang, number)
    patient = _patient(lang, 100 + number)
    national = "8" + patient["phone"][2:]  # "+79165000101" typed as "89165000101"
    contact = _pick(TEN_WITH_CONTACT[lang], number).format(name=patient["name"], phone=national)
    case = _short(lang, number, "summary-" + ("yes" if expect.get("books") else "no"), [
        {"say": text, "expect": {"specialty": specialty, "proposes": True}},
        {"say": contact, "expect": {"books": False, "asks_phone": False}},
        {"say": answer, "expect": expect},
    ])  # fmt: skip
    case["patient"] = {"registered": False, **patient}
    if expect.get("books"):
        expect["books"] = {"specialty": specialty, "date": day, "time": "10:00",
                           "name": patient["name"], "phone": patient["phone"]}  # fmt: skip
    return case


def _cancel(lang: str, number: int, answer: str, yes: bool) -> dict[str, Any]:
    """ "Cancel my dentist" with one dentist appointment: "shall I?", then the short answer."""
    turns: list[dict[str, Any]] = [
        {"say": _pick(CANCELS[lang], number), "expect": {"cancels": False}},
        {"say": answer, "expect": {"cancels": {"ref": "dent"} if yes else False}},
    ]
    if not yes:
        turns.append({"say": LIST_MINE[lang], "expect": {"lists": {"includes": ["dent"]}}})
    case = _short(lang, number, "cancel-" + ("yes" if yes else "no"), turns)
    case["kinds"] = ["typing", "cancel", "my_appointments"]
    case["setup"] = {"own": [{"ref": "dent", "specialty": "dentist", "at": "2026-12-04 10:00"}]}
    return case


def _yes_to_nothing(lang: str, number: int) -> dict[str, Any]:
    """A yes with nothing proposed books nothing; the conversation goes on normally."""
    text, specialty, _ = _request(lang, number)
    return _short(lang, number, "yes-nothing", [
        {"say": _pick(YES[lang], number, 7), "expect": {"books": False, "proposes": False}},
        {"say": text, "expect": {"specialty": specialty, "proposes": True}},
    ])  # fmt: skip


def _short_answers() -> list[dict[str, Any]]:
    raw: list[dict[str, Any]] = []
    for lang, counts in (("ru", (6, 5, 5, 3, 3, 3, 3)), ("en", (3, 3, 3, 2, 2, 1, 2))):
        offers_yes, offers_no, summary_yes, summary_no, cancel_yes, cancel_no, nothing = counts
        raw += [_yes_to_offers(lang, n) for n in range(offers_yes)]
        raw += [_no_to_offers(lang, 10 + n) for n in range(offers_no)]
        raw += [
            _summary(lang, 20 + n, _pick(YES[lang], n, 5), {"books": True})
            for n in range(summary_yes)
        ]
        raw += [
            _summary(lang, 30 + n, _pick(NO[lang], n, 7), {"books": False, "proposes": True})
            for n in range(summary_no)
        ]
        raw += [_cancel(lang, 40 + n, _pick(YES[lang], n, 3), True) for n in range(cancel_yes)]
        raw += [_cancel(lang, 50 + n, _pick(NO[lang], n, 5), False) for n in range(cancel_no)]
        raw += [_yes_to_nothing(lang, 60 + n) for n in range(nothing)]
    return raw


def generated_cases() -> list[Case]:
    """8 Russian and 4 English bookings, 4 Russian and 2 English emergencies, 28 Russian and
    16 English short answers."""
    raw = [
        *(_booking("ru", n) for n in range(8)),
        *(_booking("en", n) for n in range(8, 12)),
        *(_emergency("ru", n) for n in range(4)),
        *(_emergency("en", n) for n in range(4, 6)),
        *_short_answers(),
    ]
    return [Case.model_validate(item) for item in raw]
