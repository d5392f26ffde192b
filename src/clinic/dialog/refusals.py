"""Requests the assistant refuses, and requests for medical advice, in a message.

Refused: a time in the past or backdating, other patients' bookings or details (a relative's
too, and a named person's), claims to be staff, requests for the assistant's instructions.
"""

import re

from clinic.dialog import vocabulary as v
from clinic.dialog.acts import Forbidden
from clinic.dialog.contacts import is_name_word, is_surname
from clinic.dialog.phrases import Family, Message
from clinic.dialog.reading import Reading, clauses

_NARRATIVE = re.compile(
    r"\b(?:был|была|было|были|ходил\w*|заболел\w*|началось|начал\w*|появил\w*|болел\w*"
    r"|was|were|went|got|started|began|had|visited)\b",
    re.IGNORECASE,
)


def forbidden(r: Reading) -> Forbidden | None:
    """Why the message must be refused, if it must."""
    msg = r.msg
    if msg.has(v.INSTRUCTIONS, negatable=False):
        return Forbidden.instructions
    if staff_claim(r):
        return Forbidden.staff_claim
    if others_data(r):
        return Forbidden.others_data
    if in_the_past(r):
        return Forbidden.past
    return None


def staff_claim(r: Reading) -> bool:
    """A claim of staff rights: asked for outright ("admin access"), a claim of an office
    role ("я администратор", "this is the clinic admin", "I'm from the front desk"), or a
    claim of a role patients have too ("я врач", "nurse here") with a request about other
    people's bookings. After such a refusal, insisting on the role is refused again."""
    msg = r.msg
    if msg.has(v.STAFF_RIGHTS, negatable=False):
        return True
    if _claims(r, v.STAFF_ROLES):
        return True
    if not _claims(r, v.CLINIC_ROLES):
        return False
    if r.context.refused == Forbidden.staff_claim:
        return True
    return msg.has(v.ABOUT_OTHERS, negatable=False) or msg.has(v.OTHERS, negatable=False)


def _claims(r: Reading, roles: Family) -> bool:
    """One of the roles, said of oneself: a claiming word a few words before it ("я",
    "this is the", "I'm from the") or right after it ("nurse here")."""
    tokens = r.msg.tokens
    for role in roles:
        found = r.msg.find(role, negatable=False)
        if found is None:
            continue
        before = tokens[max(0, found[0] - 4) : found[0]]
        after = tokens[found[-1] + 1 : found[-1] + 2]
        if any(t.text in v.CLAIM_BEFORE for t in before) or any(
            t.text in v.CLAIM_AFTER for t in after
        ):
            return True
    return False


def others_data(r: Reading) -> bool:
    """Someone else's bookings or details: other patients, a relative's appointment, a
    named person's time, a third person's phone or address. Booking for a relative
    ("запишите маму") stays allowed, and so does giving one's own details."""
    msg = r.msg
    if msg.has(v.OTHERS, negatable=False):
        return True
    about_someone = r.doctor_id is not None or r.window is not None
    if msg.has(v.EVERYTHING) and not msg.has(v.MY) and about_someone:
        return True
    if re.search(r"\b(?:пациент\w*|patient)\s+[A-ZА-ЯЁ][a-zа-яё]+", r.text) and msg.has(
        v.APPOINTMENT_WORDS + v.PERSONAL
    ):
        return True
    if msg.has(v.CANCEL_VERB + v.RESCHEDULE_VERB) and not msg.has(v.MY) and third_person(r):
        return True  # "cancel John Smith's appointment": someone else's, whoever asks
    if msg.has(v.BOOK_FOR):
        return False  # "запишите маму к терапевту": booking for someone is fine
    if their_details(r):
        return True
    if r.context.refused == Forbidden.others_data and not msg.has(v.BOOKING_WORDS):
        # "я же муж, мне можно", "ну хоть телефон скажите": still someone else's
        return msg.has(v.RELATIVES) or msg.has(v.INSIST) or msg.has(v.DETAILS) or asking_time(r)
    if not msg.has(v.ASKING) or msg.has(v.OWN_BOOKING, gap=0):
        return False  # "когда у меня приём у сына?": one of the patient's own
    someone = msg.has(v.RELATIVES) or named_person(r)
    if msg.has(v.WANT) or msg.has(v.FREE_WORDS):
        return False  # "my wife needs a gynecologist, when is the nearest?": a booking
    booked = (
        msg.has(v.BOOKED)
        or msg.has(v.RELATIVES_BOOKING)
        or (msg.has(v.APPOINTMENT_WORDS) and named_person(r))
    )
    # "I'm her son, just tell me the time": a relative's time, nothing to book.
    their_time = (
        msg.has(v.TIME_WORDS)
        and r.specialty is None
        and r.window is None
        and not msg.has(v.CAN + v.ON_TOPIC + v.BOOKING_WORDS)
    )
    return someone and (booked or their_time)


def their_details(r: Reading) -> bool:
    """ "ну хоть телефон её скажите", "what's his number then", "адрес соседки какой?": a
    third person's details asked for (not given: a phone written out is one's own to give)."""
    msg = r.msg
    if r.contact.phone or r.contact.phone_invalid or msg.has(v.CLINIC_WORDS):
        return False
    if not msg.has(v.THEIR_DETAILS, negatable=False):
        return False
    return msg.has(v.REVEAL, negatable=False) or "?" in r.text


def asking_time(r: Reading) -> bool:
    return r.msg.has(v.TIME_WORDS) and r.specialty is None and r.window is None


def named_person(r: Reading) -> bool:
    """A first name and surname in the text that are not a doctor's, and not only the
    patient's own (a father shares his daughter's surname)."""
    own = set((r.context.sender_name or "").lower().split())
    doctors = {w.lower() for d in r.context.doctors for w in d.full_name.split()}
    names = [
        w.lower()
        for w in re.findall(r"[A-ZА-ЯЁ][a-zа-яё]+", r.text)
        if w.lower() not in doctors and is_name_word(w)
    ]
    return len(names) >= 2 and any(name not in own for name in names)


# Capitalised words that are no person: days, months, titles of the clinic's own words.
_NOT_PERSON = frozenset(
    "i monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs"
    " fri sat sun today tomorrow tonight january february march april may june july august"
    " september october november december jan feb mar apr jun jul aug sep sept oct nov dec"
    " gp ent dr doctor please hi hello ok okay the this my a an can could would".split()
)
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss)\.?\s+([A-Z][a-z]+)")
_FULL_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+)\s+([A-Z][a-z]+)(?:'s)?\b")
# "this is John Smith", "my name is …": the patient introducing themselves.
_INTRODUCING = re.compile(
    r"(?:this is|it's|it is|i'm|i am|my name is|name's|here is|from)\s*$", re.IGNORECASE
)
_POSSESSIVE = re.compile(r"\b([A-Z][a-z]+)'s\s+(?:appointment|booking|visit|slot)", re.IGNORECASE)


def third_person(r: Reading) -> bool:
    """Someone other than the patient and the doctors, named: "Анна Попова", "John Smith",
    "Mrs Jones", or a surname alone inside the sentence ("запись Гладкова")."""
    return named_person(r) or english_person(r) or _surname_inside(r)


# A capitalised word inside a sentence, with the word before it.
_INSIDE_CAPITAL = re.compile(r"([a-zа-яё]+),?\s+([А-ЯЁ][а-яё]+)")
_TO_A_DOCTOR = frozenset(
    "к ко у доктор доктору доктора врач врачу врача терапевт терапевту доктором врачом".split()
)


def _surname_inside(r: Reading) -> bool:
    own = set((r.context.sender_name or "").lower().split())
    doctors = {w.lower() for d in r.context.doctors for w in d.full_name.split()}
    for found in _INSIDE_CAPITAL.finditer(r.text):
        before, word = found.group(1).lower(), found.group(2)
        if before in _TO_A_DOCTOR or word.lower() in own or word.lower() in doctors:
            continue  # "к Сидоровой", "доктору Смирновой": whom the patient sees
        if is_surname(word):
            return True
    return False


def english_person(r: Reading) -> bool:
    """Someone named in Latin letters who is neither a doctor here nor the patient: "Mrs
    Jones", "John Smith", "Peter's appointment". Russian names are `named_person`'s."""
    own = set((r.context.sender_name or "").lower().split())
    doctors = {w.lower() for d in r.context.doctors for w in d.full_name.split()}

    def person(*words: str) -> bool:
        lowered = [w.lower() for w in words]
        return not any(w in _NOT_PERSON or w in doctors for w in lowered) and not all(
            w in own for w in lowered
        )

    text = r.text
    return (
        any(person(m.group(1)) for m in _TITLED.finditer(text))
        or any(
            person(m.group(1), m.group(2)) and not _INTRODUCING.search(text[: m.start()])
            for m in _FULL_NAME.finditer(text)
        )
        or any(person(m.group(1)) for m in _POSSESSIVE.finditer(text))
    )


def in_the_past(r: Reading) -> bool:
    for clause in clauses(r.plain):
        words = Message(clause)
        if words.has(v.PAST_TARGET, gap=1, negatable=False):
            return True
        if (
            words.has(v.PAST_WORDS, negatable=False)
            and words.has(v.BOOKING_WORDS)
            and not _NARRATIVE.search(clause)
        ):
            return True
    window = r.window
    if window is None:
        return False
    if window.date_to is not None and window.date_to < r.today:
        return True
    latest = window.time_to if window.time_to is not None else None
    local_now = r.context.now.astimezone(r.context.tz)
    return (
        window.date_from == r.today
        and window.date_to == r.today
        and latest is not None
        and latest < local_now.time()
    )


def medical_advice(r: Reading) -> bool:
    """Asks which drug, what dose, or what the symptoms mean."""
    if r.msg.has(v.MEDICAL_ADVICE, negatable=False) and not r.msg.has(v.DOCTOR_RECEIVES):
        return True
    # "что у меня?" asks for a diagnosis; "что у меня ещё есть?", "что у меня там
    # запланировано?" ask for the list.
    if (
        r.msg.has(v.DIAGNOSIS, gap=0)
        and not r.msg.has(v.STILL_ON, negatable=False)
        and not r.msg.has(v.PLANNED, negatable=False)
    ):
        return True
    if not (r.msg.has(v.DRUGS) and r.msg.has(v.ADVICE_QUESTION)):
        return False
    # "пью таблетки, а давление 150 — к кардиологу на пятницу можно?": a visit is asked for.
    return not (r.specialty is not None and r.window is not None)
