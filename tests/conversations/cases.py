"""The case format of the conversation set: pydantic models over the YAML files in cases/.

Every field is documented in README.md. The loader turns off YAML's implicit typing (no
sexagesimal 10:00 == 600, no `yes` == True, no timestamps) and lets pydantic convert, so a
patient may say "yes" and a time may be written unquoted.
"""

import datetime as dt
from pathlib import Path
from typing import Any, Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from clinic.assistant.lexicon import SPECIALTIES

CASES_DIR = Path(__file__).with_name("cases")
# The set's fixed "now": a Wednesday, in clinic time. README.md has the calendar around it.
NOW = dt.datetime.fromisoformat("2026-12-02T11:20:00+03:00")
CLINIC_TZ = "Europe/Moscow"

Kind = Literal[
    "booking",
    "typing",
    "correction",
    "contact",
    "my_appointments",
    "cancel",
    "reschedule",
    "emergency",
    "forbidden",
    "off_topic",
    "medical_advice",
    "bad_input",
    "doctor_by_name",
    "clarify",
]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _specialty(code: str | None) -> str | None:
    if code is not None and code not in SPECIALTIES:
        raise ValueError(f"unknown specialty {code!r}; one of {', '.join(SPECIALTIES)}")
    return code


class At(_Strict):
    """A moment in clinic time, written "2026-12-04 10:00"."""

    date: dt.date
    time: dt.time

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            day, _, clock = value.strip().partition(" ")
            return {"date": day, "time": clock.strip()}
        return value

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.time:%H:%M}"


class Booking(_Strict):
    """An appointment that exists before the conversation (own or another patient's)."""

    ref: str | None = None
    specialty: str
    at: At
    name: str | None = None  # others: required; own: the patient's name
    phone: str | None = None

    _code = field_validator("specialty")(_specialty)


class Busy(_Strict):
    """Every slot of a specialty on these dates from `time_from` up to (not including)
    `time_to`, except the `free` ones, is booked by other patients."""

    specialty: str
    dates: list[dt.date]
    time_from: dt.time = dt.time(8, 0)
    time_to: dt.time = dt.time(21, 0)
    free: list[dt.time] = Field(default_factory=list)

    _code = field_validator("specialty")(_specialty)


class DayOff(_Strict):
    specialty: str
    date: dt.date

    _code = field_validator("specialty")(_specialty)


class Setup(_Strict):
    own: list[Booking] = Field(default_factory=list)
    others: list[Booking] = Field(default_factory=list)
    busy: list[Busy] = Field(default_factory=list)
    closed: list[dt.date] = Field(default_factory=list)  # the whole clinic is closed
    day_off: list[DayOff] = Field(default_factory=list)  # one doctor is away

    @field_validator("others")
    @classmethod
    def _others_have_names(cls, others: list[Booking]) -> list[Booking]:
        if any(not b.name for b in others):
            raise ValueError("another patient's booking needs a name")
        return others


class Patient(_Strict):
    """Registered: the Telegram profile name is `name`. Unregistered: no profile name; the
    patient gives name and phone in their own words in the turns."""

    registered: bool = True
    name: str
    phone: str  # typed as written here when the bot asks (registered patients)


class Window(_Strict):
    """Every proposed slot starts inside: dates inclusive, times inclusive (a start time)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    time_from: dt.time | None = None
    time_to: dt.time | None = None


class BookingExpect(_Strict):
    ref: str | None = None  # names the new appointment for later turns
    specialty: str | None = None
    doctor: str | None = None  # a part of the doctor's full name
    at: At | None = None
    date: dt.date | None = None
    time: dt.time | None = None
    name: str | None = None  # the stored patient name
    phone: str | None = None  # the stored phone, E.164

    _code = field_validator("specialty")(_specialty)


class CancelExpect(_Strict):
    ref: str | None = None
    specialty: str | None = None
    date: dt.date | None = None

    _code = field_validator("specialty")(_specialty)


class RescheduleExpect(_Strict):
    ref: str  # the appointment that moves
    date: dt.date | None = None
    time: dt.time | None = None
    window: Window | None = None


class ListExpect(_Strict):
    includes: list[str] = Field(default_factory=list)  # refs
    excludes: list[str] = Field(default_factory=list)  # refs
    none: bool = False  # says there are no appointments


class Expect(_Strict):
    specialty: str | None = None
    acceptable: list[str] = Field(default_factory=list)
    doctor: str | None = None
    clarify: bool | None = None
    proposes: bool | None = None
    window: Window | None = None
    includes: list[At] = Field(default_factory=list)
    excludes: list[At] = Field(default_factory=list)
    later: bool | None = None
    other_day: bool | None = None
    not_on: list[dt.date] = Field(default_factory=list)
    says_taken: bool | None = None
    asks_name: bool | None = None
    asks_phone: bool | None = None
    books: BookingExpect | bool | None = None
    cancels: CancelExpect | bool | None = None
    reschedules: RescheduleExpect | None = None
    lists: ListExpect | None = None
    refuses: bool | None = None
    emergency: bool | None = None
    helpline: bool | None = None
    steers: bool | None = None
    no_drugs: bool | None = None
    offers_consultation: bool | None = None
    no_internal: bool | None = None
    never_shows: list[str] = Field(default_factory=list)
    answers: bool | None = None

    @field_validator("specialty")
    @classmethod
    def _gold(cls, code: str | None) -> str | None:
        return _specialty(code)

    @field_validator("acceptable")
    @classmethod
    def _acceptable(cls, codes: list[str]) -> list[str]:
        for code in codes:
            _specialty(code)
        return codes

    @property
    def is_safety(self) -> bool:
        """Emergencies, refusals, other patients' data and internal instructions."""
        return bool(
            self.emergency or self.helpline or self.refuses or self.never_shows or self.no_internal
        )

    @property
    def wants_booking(self) -> bool:
        return self.books is True or isinstance(self.books, BookingExpect)

    @property
    def wants_cancel(self) -> bool:
        cancels = self.cancels is True or isinstance(self.cancels, CancelExpect)
        return cancels or self.reschedules is not None


class Turn(_Strict):
    """One patient message: typed text (`say`), a pressed button (`press`: a part of its
    label), a sticker, or a command as Telegram sends it."""

    say: str | None = None
    repeat_to: int | None = Field(default=None, ge=1, le=20_000)  # repeat `say` to this length
    press: str | None = None
    sticker: bool = False
    command: Literal["start", "my", "help", "cancel"] | None = None
    expect: Expect = Expect()

    @model_validator(mode="after")
    def _one_action(self) -> Self:
        given = [self.say is not None, self.press is not None, self.sticker, bool(self.command)]
        if sum(given) != 1:
            raise ValueError("a turn is exactly one of say, press, sticker, command")
        return self

    @property
    def text(self) -> str | None:
        if self.say is None or self.repeat_to is None:
            return self.say
        times = self.repeat_to // max(len(self.say), 1) + 1
        return (self.say * times)[: self.repeat_to]


class Case(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]+$")
    lang: Literal["ru", "en"]
    kinds: list[Kind] = Field(min_length=1)
    patient: Patient
    setup: Setup = Setup()
    turns: list[Turn] = Field(min_length=2, max_length=4)
    note: str | None = None

    @model_validator(mode="after")
    def _refs_resolve(self) -> Self:
        known = {b.ref for b in [*self.setup.own, *self.setup.others] if b.ref}
        for turn in self.turns:
            e = turn.expect
            if isinstance(e.books, BookingExpect) and e.books.ref:
                known.add(e.books.ref)
            used = [*(e.lists.includes if e.lists else []), *(e.lists.excludes if e.lists else [])]
            if isinstance(e.cancels, CancelExpect) and e.cancels.ref:
                used.append(e.cancels.ref)
            if e.reschedules:
                used.append(e.reschedules.ref)
            if missing := [ref for ref in used if ref not in known]:
                raise ValueError(f"unknown refs {missing} (define them in setup or books.ref)")
        return self

    @property
    def safety_turns(self) -> int:
        return sum(turn.expect.is_safety for turn in self.turns)


class _PlainLoader(yaml.SafeLoader):
    """YAML without implicit types except null: every scalar is a string for pydantic."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_file(path: Path) -> list[Case]:
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_PlainLoader)
    if not isinstance(raw, list):
        raise ValueError(f"{path.name}: a YAML list of conversations expected")
    return [Case.model_validate(item) for item in raw]


def load_all(directory: Path = CASES_DIR) -> list[Case]:
    """Every conversation of the set, file by file in name order (stable)."""
    from tests.conversations.generated import generated_cases

    cases = [case for path in sorted(directory.glob("*.yaml")) for case in load_file(path)]
    cases += generated_cases()
    ids = [case.id for case in cases]
    if duplicates := sorted({i for i in ids if ids.count(i) > 1}):
        raise ValueError(f"duplicate conversation ids: {duplicates}")
    return cases
