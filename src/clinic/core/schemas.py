"""Field types shared by the API schemas.

Every value a request carries is checked here against what PostgreSQL and Python can hold, so
no input reaches the database or the clock arithmetic that would fail there with a 500:
ids fit an `integer` column, text has no NUL characters (PostgreSQL text cannot store them),
datetimes stay in a range every zone conversion can handle, and wall-clock times have no offset.
"""

import re
from datetime import date, datetime, time
from typing import Annotated, Any

from annotated_types import Interval
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from clinic.core.settings import get_settings
from clinic.core.timeutils import in_zone

# --- Ids and counters ------------------------------------------------------------------------

DB_INT_MAX = 2**31 - 1  # PostgreSQL `integer`, the type of every primary key here
BIGINT_MAX = 2**63 - 1  # PostgreSQL `bigint`

DbId = Annotated[int, Interval(gt=0, le=DB_INT_MAX)]
"""The id of a stored row: a positive PostgreSQL integer."""

TelegramId = Annotated[int, Interval(gt=0, le=BIGINT_MAX)]
"""A Telegram user id (a bigint column)."""

PageOffset = Annotated[int, Interval(ge=0, le=DB_INT_MAX)]

# --- Text ------------------------------------------------------------------------------------

NO_NUL_PATTERN = r"^[^\x00]*$"


def _storable_text(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "must not contain NUL characters")
    try:
        value.encode()
    except UnicodeEncodeError:  # a lone surrogate from a JSON "\ud800" escape
        raise PydanticCustomError("invalid_unicode", "must be valid Unicode text") from None
    return value


class _StorableText:
    """Text PostgreSQL can store: no NUL characters and no lone surrogates (documented as a
    pattern in the OpenAPI, so generated clients and fuzzers know the rule)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(_storable_text, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = NO_NUL_PATTERN
        return json_schema


StorableText = _StorableText()
"""Annotate any `str` that reaches the database with this marker."""

Text = Annotated[str, StorableText]

# --- Datetimes -------------------------------------------------------------------------------

# Far wider than any booking, and narrow enough that converting between zones and adding a
# slot length or the booking horizon never leaves what `datetime` can represent.
SUPPORTED_YEARS = range(1900, 3000)
OUT_OF_RANGE = "must be between the years 1900 and 2999"
DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATETIME = re.compile(r"\s*\d{4}-\d{2}-\d{2}([T ].*)?")


def _iso_text(value: Any) -> Any:
    # Pydantic would read a bare number as a Unix timestamp ("0" is 1970-01-01): the API
    # documents ISO 8601 text, so that is all it takes.
    if isinstance(value, date) or (isinstance(value, str) and ISO_DATETIME.fullmatch(value)):
        return value
    raise PydanticCustomError("iso_format", "give an ISO 8601 date or datetime, e.g. 2026-12-01")


def _iso_day(value: Any) -> Any:
    if isinstance(value, date) or (isinstance(value, str) and DATE_ONLY.fullmatch(value)):
        return value
    raise PydanticCustomError("iso_format", "give a date as YYYY-MM-DD")


Day = Annotated[date, BeforeValidator(_iso_day)]
"""A calendar date, written YYYY-MM-DD."""


def parse_day(text: str | None) -> date | None:
    """A YYYY-MM-DD date from a hand-editable place (a URL of the staff UI), or None when it
    is not one or lies outside the supported years (day arithmetic on 9999-12-31 overflows)."""
    try:
        day = date.fromisoformat(text) if text and DATE_ONLY.fullmatch(text) else None
    except ValueError:
        return None
    return day if day is not None and day.year in SUPPORTED_YEARS else None


def _to_clinic_time(moment: datetime) -> datetime:
    if moment.year not in SUPPORTED_YEARS:
        raise PydanticCustomError("datetime_range", OUT_OF_RANGE)
    try:
        local = in_zone(moment, get_settings().tz)
    except OverflowError:  # not a ValueError: it would escape validation as a 500
        raise PydanticCustomError("datetime_range", OUT_OF_RANGE) from None
    except ValueError as error:  # a wall-clock time skipped by a DST change
        raise PydanticCustomError("nonexistent_time", str(error)) from None
    if local.year not in SUPPORTED_YEARS:
        raise PydanticCustomError("datetime_range", OUT_OF_RANGE)
    return local


ClinicDatetime = Annotated[datetime, BeforeValidator(_iso_text), AfterValidator(_to_clinic_time)]
"""A datetime in clinic time: naive input means the clinic's wall clock; output has an offset."""


def _whole_day(value: Any) -> Any:
    if isinstance(value, str) and DATE_ONLY.fullmatch(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            return value  # pydantic names the error
        # Naive: the last moment of that day on the clinic's wall clock.
        return datetime.combine(day, time.max)
    return value


DATE_OR_DATETIME = {
    "anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}]
}

ClinicUntil = Annotated[
    datetime,
    BeforeValidator(_whole_day),
    BeforeValidator(_iso_text),
    AfterValidator(_to_clinic_time),
    WithJsonSchema(DATE_OR_DATETIME),
]
"""The end of a time range: a date alone means the end of that whole day in clinic time."""


# --- Wall-clock times ------------------------------------------------------------------------

LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"
LOCAL_TIME_START = re.compile(r"\d{2}:\d{2}")


def _time_text(value: Any) -> Any:
    if isinstance(value, time) or (isinstance(value, str) and LOCAL_TIME_START.match(value)):
        return value
    raise PydanticCustomError("time_format", "give a wall-clock time as HH:MM")


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise PydanticCustomError(
            "time_with_offset", "give the clinic's wall-clock time, without an offset"
        )
    return value


LocalTime = Annotated[
    time,
    BeforeValidator(_time_text),
    AfterValidator(_wall_clock),
    WithJsonSchema({"type": "string", "pattern": LOCAL_TIME_PATTERN, "examples": ["09:00"]}),
]
"""A wall-clock time of the clinic's day (working hours, a wished time): HH:MM, no offset."""


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True)
