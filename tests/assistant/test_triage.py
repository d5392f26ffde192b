"""Behaviours of the triage brain: morphology, typos, negation, labelling rules, bad input."""

import json
from pathlib import Path

import pytest

from clinic.assistant.triage import SPECIALTIES, TriageResult, find_red_flag, is_emergency, triage
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


def test_the_shipped_typo_forms_are_in_step_with_the_lexicon() -> None:
    # lexicon/typo_forms.json.gz spares the first misspelt word of a cold CLI expanding
    # every lexicon word into its forms; `uv run python -m clinic.assistant.lexicon` makes it.
    from clinic.assistant.lexicon import get_lexicon, shipped_typo_forms
    from clinic.assistant.matching import typo_forms, typo_keys

    keys = typo_keys(get_lexicon())
    shipped = shipped_typo_forms(keys)
    assert shipped is not None, "typo_forms.json.gz was made for another lexicon"
    assert list(shipped.items()) == list(typo_forms(keys).items())


@pytest.mark.parametrize(
    "text",
    [
        "у мамы была язва с кровотечением, у меня изжога",
        "my grandmother had a stroke, I'd like my blood pressure checked",
        "had a seizure as a teenager, none since, need a driving medical",
        "в 16 лет был судорожный приступ, больше не повторялось",
        "задыхаюсь от работы 😅 хочу к психологу",
        "I'm suffocating under all these deadlines lol",
    ],
)
def test_relatives_past_and_figures_of_speech_are_not_emergencies(text: str) -> None:
    assert not is_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "у мамы сейчас рвота кровью",
        "my grandmother just had a stroke, her face is drooping",
        "my son had a fit at school and is still very drowsy",
        "задыхаюсь от кашля, губы синеют",
    ],
)
def test_news_about_a_relative_is_still_an_emergency(text: str) -> None:
    assert is_emergency(text)


def test_an_emergency_in_a_long_chatty_message() -> None:
    text = (
        "Good morning! I was going to book a checkup anyway. But since this morning there is "
        "a heavy pressure right in the middle of my chest. It spreads to my left arm and I "
        "keep sweating."
    )
    hit = find_red_flag(text)
    assert hit is not None
    assert hit.flag.category == "cardiac"


@pytest.mark.parametrize(
    "text",
    [
        "Hi. Writing for my dad. He is 70. His chest. It feels like a weight is on it. He's grey.",
        "Здравствуйте. Пишу за маму. Грудь. Давит, как будто камень. Отдаёт в руку.",
    ],
)
def test_a_red_flag_told_in_fragments(text: str) -> None:
    hit = find_red_flag(text)
    assert hit is not None
    assert hit.flag.category == "cardiac"


@pytest.mark.parametrize(
    "text",
    [
        "у сына температура и он не может наклонить голову вперёд",
        "fever and it hurts her to bend her head forward, the light hurts her eyes",
        "my son has a fever and dark spots on his legs that stay under a glass",
    ],
)
def test_meningitis_signs_in_everyday_words(text: str) -> None:
    hit = find_red_flag(text)
    assert hit is not None
    assert hit.flag.category == "meningitis"


@pytest.mark.parametrize(
    "text",
    [
        "I've got the pills ready and I'm going to take them all tonight",
        "таблетки уже приготовила, сегодня выпью их все",
    ],
)
def test_pills_ready_to_take_at_once_is_self_harm(text: str) -> None:
    hit = find_red_flag(text)
    assert hit is not None
    assert hit.flag.category == "self_harm"


def test_a_question_about_a_course_of_pills_is_not_self_harm() -> None:
    assert not is_emergency("should I take all the antibiotics at once or twice daily?")


@pytest.mark.parametrize(
    "text", ["не хочу больше жить, сегодня всё закончу", "I'm going to end it tonight, please"]
)
def test_a_day_in_an_emergency_that_asks_for_no_visit_is_no_wish(text: str) -> None:
    result = run(text)
    assert result.emergency
    assert result.when is None


def test_the_day_an_emergency_began_is_no_wish() -> None:
    result = run("Хотела записаться к кардиологу. Но сегодня с ночи давит в груди, отдаёт в руку")
    assert result.emergency
    assert result.when is None


@pytest.mark.parametrize(
    ("text", "specialty"),
    [
        ("I am 81 years old and my daughter says I should get my heart checked", "cardiologist"),
        ("мне 79 лет, дочь настаивает чтобы я сходила к окулисту", "ophthalmologist"),
        ("my daughter is 34 and has migraines", "neurologist"),
        ("I'm 35, my son is 6 and has a cough", "pediatrician"),
        ("я мама двоих детей, постоянно болит спина", "neurologist"),
        ("у сына день рождения, а у меня болит живот", "gastroenterologist"),
        ("у меня болит голова, а у сына температура", "pediatrician"),
        ("my 4 year old has a cough", "pediatrician"),
    ],
)
def test_a_stated_age_decides_whose_complaint_it_is(text: str, specialty: str) -> None:
    assert run(text).specialty == specialty


@pytest.mark.parametrize(
    ("text", "specialty"),
    [
        ("сердце разрывается от этих цен 😂 а так зубы почистить", "dentist"),
        ("my boss is a pain in the neck, I'm here about my itchy scalp", "dermatologist"),
        ("period cramps every month", "gynecologist"),
        ("my tooth hurts so much I can't sleep", "dentist"),
        ("fainted once years ago, need a sports physical", "therapist"),
        ("do you have a spot on friday for a checkup", "therapist"),
    ],
)
def test_idioms_and_single_words_do_not_outweigh_the_request(text: str, specialty: str) -> None:
    assert run(text).specialty == specialty


@pytest.mark.parametrize(
    "text",
    [
        "can't focus at work. I'd like to talk to a psychotherapist",
        "I can't sleep and I need to talk to someone",
        "I had trouble at work and want to talk to a psychologist",
        "не могу уснуть, хочу поговорить со специалистом",
        "it's hard to find time, I breathe fine, just need a checkup",
    ],
)
def test_a_negation_or_modal_far_from_its_verb_raises_no_flag(text: str) -> None:
    assert not is_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "she is unable to speak about it without crying",
        "I can't talk much, my throat is killing me",
        "ребёнок не может сказать, что у него болит",
        "не могу говорить громко, горло болит",
        "my toddler can't talk yet",
    ],
)
def test_speaking_about_something_or_a_sore_throat_is_no_speech_sign(text: str) -> None:
    assert not is_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "all of a sudden I lost my balance and my right leg won't work properly",
        "the room is spinning and my left arm just won't work properly",
        "my foot started dragging an hour ago",
        "my words are coming out all wrong",
        "half of everything I look at is missing since this morning",
        "у папы вдруг нога перестала слушаться и голова кружится",
    ],
)
def test_stroke_signs_in_plain_words(text: str) -> None:
    hit = find_red_flag(text)
    assert hit is not None, text
    assert hit.flag.category == "stroke"


@pytest.mark.parametrize(
    "text",
    [
        "в прошлом месяце лежал в больнице с язвой, было кровотечение, сейчас выписали, нужен "
        "гастроэнтеролог",
        "I was discharged after a seizure on Monday, need a neurologist",
        "after surgery I was bleeding a lot but it's fine now, need my stitches out",
    ],
)
def test_an_episode_that_is_over_is_history(text: str) -> None:
    assert not is_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "после операции кровотечение не останавливается",
        "после выписки опять кровотечение",
        "had surgery last week, bleeding again now and won't stop",
        "had a seizure on Monday, fine now, but another one just happened",
    ],
)
def test_an_event_going_on_is_news(text: str) -> None:
    assert is_emergency(text)


@pytest.mark.parametrize(
    ("text", "specialty"),
    [
        ("панические атаки в метро, кардиолог сказал сердце здоровое", "psychotherapist"),
        ("терапевт направил к эндокринологу", "endocrinologist"),
        ("my GP referred me to a dermatologist", "dermatologist"),
        ("saw a neurologist last year, now my knee hurts after running", "traumatologist"),
        ("my dentist said it's a sinus problem, my upper teeth ache", "ent"),
        (
            "I've seen a cardiologist already, want a second opinion from a cardiologist",
            "cardiologist",
        ),
    ],
)
def test_a_doctor_already_seen_is_not_the_request(text: str, specialty: str) -> None:
    assert run(text).specialty == specialty


def test_a_doctor_seen_is_explained_as_such() -> None:
    assert '"кардиолог" (doctor seen 1)' in run("кардиолог сказал сердце здоровое").explanation


@pytest.mark.parametrize(
    ("text", "specialty"),
    [
        ("I need a urology consult", "urologist"),
        ("looking to book a vasectomy", "urologist"),
        ("ophthalmology appointment", "ophthalmologist"),
        ("psychiatry referral please", "psychotherapist"),
        ("I want to have a coil fitted", "gynecologist"),
        ("ingrown toenail", "traumatologist"),
        ("ортопедическая консультация", "traumatologist"),
        ("хочу сделать узи брюшной полости", "gastroenterologist"),
        ("нужна вазэктомия", "urologist"),
        ("travel vaccinations", "therapist"),
    ],
)
def test_fields_adjectives_and_procedures_name_their_doctor(text: str, specialty: str) -> None:
    assert run(text).specialty == specialty


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("I'm 30 weeks and bleeding", True),
        ("я на 20 неделе, сильно болит живот", True),
        ("на этой неделе болит живот", False),
        ("I'm 2 weeks into a cough and bleeding gums", False),
        ("i've had a bottle of wine and taken 20 paracetamol", True),
        ("I bought a box of 32 ibuprofen for my back", False),
    ],
)
def test_weeks_of_pregnancy_and_many_pills_are_measured(text: str, flagged: bool) -> None:
    assert is_emergency(text) is flagged
