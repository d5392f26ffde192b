"""Specialists the patient may name that the clinic does not have ("к аллергологу", "a
physiotherapist"), so the reply says so instead of silently booking someone else.

Each has its names in both languages, the words that name it, and the clinic's specialty
closest to it, if one is (a mammologist's questions go to the gynecologist); without one,
the general practitioner is offered, in so many words.
"""

from dataclasses import dataclass

from clinic.dialog.phrases import Family, Message, family


@dataclass(frozen=True)
class Specialist:
    key: str
    name_ru: str
    name_en: str
    words: Family
    closest: str | None = None  # a specialty code of the clinic


# The words are dictionary forms (every case matches) or prefixes ("physiotherap*").
UNOFFERED: tuple[Specialist, ...] = (
    Specialist("physio", "физиотерапевт", "physiotherapist",
               family("физиотерапевт", "физиотерапия", "physiotherap*", "physio",
                      "physical therapist|therapy")),
    Specialist("massage", "массажист", "massage therapist",
               family("массажист", "massage therapist", "masseur", "masseuse")),
    Specialist("chiropractor", "мануальный терапевт", "chiropractor",
               family("мануальный терапевт", "мануальщик", "остеопат", "chiropractor*",
                      "osteopath*"), "neurologist"),
    Specialist("speech", "логопед", "speech therapist",
               family("логопед", "дефектолог", "speech therapist|therapy")),
    Specialist("surgeon", "хирург", "surgeon",
               family("хирург", "surgeon", "general surgery"), "traumatologist"),
    Specialist("neurosurgeon", "нейрохирург", "neurosurgeon",
               family("нейрохирург", "neurosurgeon"), "neurologist"),
    Specialist("oncologist", "онколог", "oncologist", family("онколог", "oncologist")),
    Specialist("allergist", "аллерголог", "allergist",
               family("аллерголог", "аллерголог-иммунолог", "иммунолог", "allergist",
                      "immunologist")),
    Specialist("rheumatologist", "ревматолог", "rheumatologist",
               family("ревматолог", "rheumatologist")),
    Specialist("pulmonologist", "пульмонолог", "pulmonologist",
               family("пульмонолог", "pulmonologist", "lung specialist")),
    Specialist("nephrologist", "нефролог", "nephrologist",
               family("нефролог", "nephrologist", "kidney specialist")),
    Specialist("hematologist", "гематолог", "hematologist",
               family("гематолог", "hematologist", "haematologist")),
    Specialist("proctologist", "проктолог", "proctologist",
               family("проктолог", "колопроктолог", "proctologist"), "gastroenterologist"),
    Specialist("mammologist", "маммолог", "breast specialist",
               family("маммолог", "breast specialist"), "gynecologist"),
    Specialist("dietitian", "диетолог", "dietitian",
               family("диетолог", "нутрициолог", "dietitian", "dietician", "nutritionist")),
    Specialist("cosmetologist", "косметолог", "cosmetologist",
               family("косметолог", "cosmetologist", "beautician"), "dermatologist"),
    Specialist("venereologist", "венеролог", "venereologist",
               family("венеролог", "venereologist"), "dermatologist"),
    Specialist("infectious", "инфекционист", "infectious disease specialist",
               family("инфекционист", "infectious disease|diseases specialist|doctor")),
    Specialist("sleep", "сомнолог", "sleep specialist",
               family("сомнолог", "sleep specialist|doctor"), "neurologist"),
    Specialist("tb", "фтизиатр", "TB specialist", family("фтизиатр", "tb specialist")),
    Specialist("geneticist", "генетик", "geneticist", family("генетик", "geneticist")),
    Specialist("sexologist", "сексолог", "sexologist", family("сексолог", "sexologist")),
    Specialist("podiatrist", "подолог", "podiatrist",
               family("подолог", "podiatrist", "chiropodist")),
    Specialist("trichologist", "трихолог", "trichologist",
               family("трихолог", "trichologist"), "dermatologist"),
    Specialist("andrologist", "андролог", "andrologist",
               family("андролог", "andrologist"), "urologist"),
    Specialist("phlebologist", "флеболог", "vascular surgeon",
               family("флеболог", "ангиолог", "сосудистый хирург", "phlebologist",
                      "vascular surgeon|specialist")),
    Specialist("narcologist", "нарколог", "addiction specialist",
               family("нарколог", "addiction specialist"), "psychotherapist"),
    Specialist("audiologist", "сурдолог", "audiologist",
               family("сурдолог", "audiologist"), "ent"),
    Specialist("vet", "ветеринар", "vet", family("ветеринар", "ветврач", "vet", "veterinarian")),
)  # fmt: skip

# The triage's own specialties, for a clinic that does not have them all.
TRIAGED: tuple[Specialist, ...] = tuple(
    Specialist(code, ru, en, ())
    for code, ru, en in (
        ("therapist", "терапевт", "general practitioner"),
        ("cardiologist", "кардиолог", "cardiologist"),
        ("neurologist", "невролог", "neurologist"),
        ("dentist", "стоматолог", "dentist"),
        ("ent", "ЛОР", "ENT specialist"),
        ("ophthalmologist", "офтальмолог", "ophthalmologist"),
        ("dermatologist", "дерматолог", "dermatologist"),
        ("gastroenterologist", "гастроэнтеролог", "gastroenterologist"),
        ("gynecologist", "гинеколог", "gynecologist"),
        ("urologist", "уролог", "urologist"),
        ("pediatrician", "педиатр", "pediatrician"),
        ("traumatologist", "травматолог-ортопед", "traumatologist"),
        ("endocrinologist", "эндокринолог", "endocrinologist"),
        ("psychotherapist", "психотерапевт", "psychotherapist"),
    )
)

BY_KEY = {specialist.key: specialist for specialist in (*UNOFFERED, *TRIAGED)}


def unoffered(msg: Message) -> Specialist | None:
    """The specialist the message names that the clinic does not have, if any. The longer
    names come first in the table's sense: "нейрохирург" is not read as "хирург"."""
    found = [s for s in UNOFFERED if msg.has(s.words, gap=1, negatable=False)]
    if not found:
        return None
    # "сосудистый хирург" over "хирург": the one whose words are more specific wins.
    return max(found, key=lambda s: max(len(p.source) for p in s.words if msg.has((p,), gap=1)))
