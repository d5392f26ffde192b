"""List filters of the staff screens, in the staff's words: doctors by name in alphabetical
order, statuses by their names, and a day in clinic time."""

from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from starlette.requests import Request

from clinic.admin.i18n import gettext
from clinic.core.schemas import parse_day
from clinic.core.timeutils import local_day_bounds
from clinic.doctors.models import Doctor

ALL = "__all"


def _chosen(value: Any) -> str | None:
    return None if value in (None, "", ALL) else str(value)


class ChoiceFilter:
    """One value of a column from a fixed list, each shown by its human name."""

    has_operator = False
    template = "sqladmin/filters/lookup_filter.html"

    def __init__(self, column: Any, title: str, names: Mapping[str, str]) -> None:
        self.column = column
        self.title = title
        self.parameter_name = column.key
        self.names = names

    async def lookups(
        self, request: Request, model: Any, run_query: Callable[[Any], Any]
    ) -> list[tuple[str, str]]:
        return [(ALL, gettext("All")), *((key, str(name)) for key, name in self.names.items())]

    async def get_filtered_query(self, query: Select[Any], value: Any, model: Any) -> Select[Any]:
        chosen = _chosen(value)
        return query if chosen not in self.names else query.where(self.column == chosen)


class DoctorFilter:
    """Rows of one doctor; every doctor is listed, by name."""

    has_operator = False
    template = "sqladmin/filters/lookup_filter.html"

    def __init__(self, column: Any, title: str) -> None:
        self.column = column
        self.title = title
        self.parameter_name = column.key

    async def lookups(
        self, request: Request, model: Any, run_query: Callable[[Any], Any]
    ) -> list[tuple[str, str]]:
        rows = await run_query(select(Doctor.id, Doctor.full_name).order_by(Doctor.full_name))
        return [(ALL, gettext("All")), *((str(id_), name) for id_, name in rows)]

    async def get_filtered_query(self, query: Select[Any], value: Any, model: Any) -> Select[Any]:
        chosen = _chosen(value)
        if chosen is None or not chosen.isdigit():
            return query
        return query.where(self.column == int(chosen))


class DayFilter:
    """Rows whose instant falls on one local day of the clinic."""

    has_operator = False
    template = "clinic_admin/day_filter.html"

    def __init__(self, column: Any, title: str, tz: ZoneInfo) -> None:
        self.column = column
        self.title = title
        self.parameter_name = "day"
        self.tz = tz

    async def get_filtered_query(self, query: Select[Any], value: Any, model: Any) -> Select[Any]:
        day = parse_day(str(value))
        if day is None:
            return query  # a hand-edited URL: show everything rather than fail
        start, end = local_day_bounds(day, self.tz)
        return query.where(self.column >= start, self.column < end)
