"""Behaviours of the triage brain: morphology, typos, negation, labelling rules, bad input."""

import json
from pathlib import Path

import pytest

from clinic.assistant.triage import SPECIALTIES, TriageResult, is_emergency, triage
from tests.assistant.conftest import NOW, TZ


def run(text: str) -> TriageResult:
    return triage(text, NOW, "Europe/Moscow")


@pytest.mark.parametrize("text", ["зуб", "зубы", "зубом", "к зубному", "терапефт"])
def test_inflected_and_misspelt_words_are_understood(text: str) -> None:
    expected = "therapist" if text == "терапефт" else "dentist"
    assert run(text).specialty == expected


@pytest.mark.parametrize(
    ("text", "specialty"),
    [
        ("к лору", "ent"),
        ("ухогорлонос", "ent"),
        ("окулист", "ophthalmologist"),
        ("кожник", "dermatologist"),
        ("женский врач", "gynecologist"),
        ("детский врач", "pediatrician"),
        ("невропатолог", "neurologist"),
        ("ортопед", "traumatologist"),
        ("к психологу", "psychotherapist"),
        ("need a GP", "therapist"),
    ],
)
def test_colloquial_doctor_names(text: str, specialty: str) -> None:
    assert run(text).specialty == specialty


def test_a_named_doctor_wins_over_symptoms() -> None:
    assert run("болит живот, хочу к терапевту").specialty == "therapist"


def test_child_general_complaint_goes_to_pediatrician() -> None:
    result = run("у сына болит живот")
    assert result.specialty == "pediatrician"
    assert "gastroenterologist" in result.alternatives


@pytest.mark.parametrize(
    ("text", "specialty"),
    [("у ребенка болит зуб", "dentist"), ("дочка упала и сломала руку", "traumatologist")],
)
def test_child_dental_or_injury_goes_to_the_specialist(text: str, specialty: str) -> None:
    assert run(text).specialty == specialty


def test_fever_makes_a_sore_throat_a_therapist_case() -> None:
    assert run("болит горло и температура 39").specialty == "therapist"
    assert run("болит горло, температуры нет").specialty == "ent"


def test_a_denied_symptom_does_not_count() -> None:
    assert run("голова не болит, а вот зуб ноет").specialty == "dentist"


def test_vague_real_symptoms_go_to_therapist_not_clarify() -> None:
    result = run("слабость и температура")
    assert (result.specialty, result.clarify) == ("therapist", False)


@pytest.mark.parametrize("text", ["хочу записаться", "мне плохо", "I want to book an appointment"])
def test_nothing_clinical_asks_to_clarify(text: str) -> None:
    result = run(text)
    assert result.clarify
    assert result.specialty is None
    assert not result.emergency


@pytest.mark.parametrize(
    "text",
    [
        "боль в груди отдаёт в руку",
        "давит в груди, отдает в челюсть",
        "онемела половина лица",
        "перекосило лицо",
        "не могу говорить",
        "сильное кровотечение",
        "рвота кровью",
        "задыхаюсь",
        "не могу дышать",
        "отёк Квинке после укуса осы",
        "хочу покончить с собой",
        "не хочу жить",
        "потерял сознание",
        "у ребенка судороги",
        "chest pain spreading to my jaw",
        "her face is drooping",
        "I can't breathe",
        "my throat is closing after a bee sting",
        "I want to kill myself",
        "he passed out",
        "she is having a seizure",
        "vomiting blood",
    ],
)
def test_red_flags(text: str) -> None:
    assert is_emergency(text)
    result = run(text)
    assert result.emergency
    assert not result.clarify


def test_emergency_wins_even_when_booking() -> None:
    result = run("боль в груди отдаёт в левую руку, запишите к кардиологу на завтра")
    assert result.emergency
    assert result.when is not None


@pytest.mark.parametrize(
    "text",
    [
        "нет боли в груди, просто хочу проверить сердце",
        "трудно дышать носом",
        "судорога в икре ночью",
        "кровоточат десны",
        "после инсульта нужна консультация невролога",
        "одышка при подъёме по лестнице",
        "my gums bleed when I brush",
        "pain in my chest when I climb stairs",
    ],
)
def test_look_alikes_are_not_emergencies(text: str) -> None:
    assert not is_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "😀😀😀🙏",
        "a" * 10_000,
        "болит " * 2_000,
        "<script>alert('x')</script>",
        "'; DROP TABLE appointments; --",
        "<b>хочу</b> записаться &nbsp; <br/>",
        "\x00\x01\x02",
        "12345 67890 !!! ??? ...",
    ],
)
def test_bad_input_gives_a_well_formed_answer(text: str) -> None:
    result = run(text)
    payload = result.to_json()
    assert set(payload) >= {"specialty", "alternatives", "emergency", "clarify", "when"}
    assert payload["specialty"] is None or payload["specialty"] in SPECIALTIES
    if payload["specialty"] is None:
        assert payload["clarify"] or payload["emergency"]


@pytest.mark.parametrize("text", ["", "😀😀😀", "<script>alert(1)</script>", "x" * 10_000])
def test_bad_input_without_clues_asks_to_clarify(text: str) -> None:
    assert run(text).clarify


def test_mixed_languages() -> None:
    result = run("Хочу к dentist завтра, tooth болит")
    assert result.specialty == "dentist"
    assert result.when is not None


def test_json_shape() -> None:
    payload = triage("к лору завтра в 15:00", NOW, TZ).to_json()
    assert payload == {
        "specialty": "ent",
        "alternatives": [],
        "emergency": False,
        "clarify": False,
        "when": {
            "date_from": "2025-12-04",
            "date_to": "2025-12-04",
            "time_from": "15:00",
            "time_to": "15:00",
        },
        "explanation": payload["explanation"],
    }
    assert isinstance(payload["explanation"], str)
    assert payload["explanation"]


def test_the_shipped_lemma_table_is_in_step_with_the_lexicon() -> None:
    # lexicon/lemmas.json spares the CLI parsing every lexicon word at start-up; after an
    # edit of the lexicon run `uv run python -m clinic.assistant.lexicon` to refresh it.
    from clinic.assistant.lexicon import lexicon_words
    from clinic.assistant.normalize import LEMMA_TABLE, morph_analyzer

    path = Path(__file__).parents[2] / "src/clinic/assistant/lexicon" / LEMMA_TABLE
    table = json.loads(path.read_text(encoding="utf-8"))
    morph = morph_analyzer()
    for word in lexicon_words():
        assert table.get(word) == morph.parse(word)[0].normal_form.replace("ё", "е"), word
