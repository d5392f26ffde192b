"""The common ground of the staff UI's model screens: forms built per request in the user's
language, writes through the domain services in one unit of work, one format for dates and
times (clinic time)."""

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, ClassVar

from markupsafe import Markup
from sqladmin import ModelView
from sqladmin.formatters import BASE_FORMATTERS
from sqladmin.helpers import object_identifier_values
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException
from starlette.requests import Request
from wtforms import Form
from wtforms.meta import DefaultMeta

if TYPE_CHECKING:
    from _typeshed import SupportsItems

from clinic.admin import queries
from clinic.admin.context import UIContext
from clinic.admin.errors import refusals_as_admin_errors
from clinic.admin.i18n import clock_text, current_language, day_text, moment_text
from clinic.admin.sessions import unit_of_work
from clinic.core.schemas import DB_INT_MAX

FIELD_CLASSES = {"SelectField": "form-select", "BooleanField": "form-check-input"}


class ClinicModelView(ModelView):
    """Subclassed once more per mounted app, which sets `ui` (see `clinic.admin.mount`)."""

    ui: ClassVar[UIContext]
    can_export = False
    page_size = 25
    page_size_options: ClassVar[list[int]] = [25, 50, 100]

    @classmethod
    def for_app(cls, ui: UIContext) -> type["ClinicModelView"]:
        def clinic_moment(value: datetime) -> Markup:
            return Markup.escape(moment_text(value, ui.tz))

        formatters = {
            **BASE_FORMATTERS,
            datetime: clinic_moment,
            date: lambda value: Markup.escape(day_text(value)),
            time: lambda value: Markup.escape(clock_text(value)),
        }
        # A fresh subclass per app: SQLAdmin keeps its state on the class.
        attributes = {
            "ui": ui,
            "column_type_formatters": formatters,
            "column_filters": cls.filters(ui),
        }
        return type(cls.__name__, (cls,), attributes)

    @classmethod
    def filters(cls, ui: UIContext) -> list[Any]:
        """The list's filters; a screen whose filters need the settings builds them here."""
        return list(cls.column_filters)

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A unit of work; what the rules refuse reaches the form as a readable AdminError."""
        with refusals_as_admin_errors(self.ui.settings):
            async with unit_of_work(self.ui.sessions.target) as session:
                yield session

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        async with self.ui.sessions() as session:
            yield session

    async def list_context(self, request: Request) -> dict[str, Any]:
        await self._remember_doctor_names(request)
        return {}

    async def details_context(self, request: Request) -> dict[str, Any]:
        await self._remember_doctor_names(request)
        return {}

    async def _remember_doctor_names(self, request: Request) -> None:
        # Formatters cannot query; `doctor_name` reads the names loaded here.
        async with self.reading() as session:
            request.state.doctor_names = await queries.doctor_names(session)

    def search_query(self, stmt: Select[Any], term: str) -> Select[Any]:
        # PostgreSQL text cannot hold a NUL, so no row matches one: search without it rather
        # than let the database refuse the query.
        return super().search_query(stmt, term.replace("\x00", ""))

    def search_placeholder(self) -> str:
        # The labels are texts translated when shown: join them as shown.
        return ", ".join(str(self._column_labels.get(name, name)) for name in self._search_fields)

    async def build_form(self) -> type[Form]:
        """A fresh form class with current choices; SQLAdmin then drops fields per its rules."""
        raise NotImplementedError

    async def scaffold_form(self, rules: list[str] | None = None) -> type[Form]:
        form = await self.build_form()
        if rules:
            self._validate_form_class(rules, form)
        return form

    async def delete_model(self, request: Request, pk: Any) -> None:
        raise NotImplementedError  # screens that allow deleting say how

    def _stmt_by_identifier(self, identifier: str) -> Select[Any]:
        # SQLAdmin's one lookup by the id in a URL (details, edit, delete). A hand-edited id
        # that is no id of this table ("a", 2147483648) is a page that does not exist.
        try:
            values = object_identifier_values(identifier, self.model)
        except ValueError:
            raise HTTPException(status_code=404) from None
        if any(isinstance(v, int) and not 0 < v <= DB_INT_MAX for v in values):
            raise HTTPException(status_code=404)
        return super()._stmt_by_identifier(identifier)


def doctor_name(model: Any, attribute: Any, request: Request) -> str:
    """Column formatter: a `doctor_id` shown as the doctor's name."""
    names: dict[int, str] = getattr(request.state, "doctor_names", {})
    if model.doctor_id is None:
        return "—"
    return names.get(model.doctor_id, f"#{model.doctor_id}")


def form_class(name: str, fields: Mapping[str, Any]) -> type[Form]:
    """A form whose own messages ("This field is required.") are in the user's language."""

    class Meta(DefaultMeta):
        locales = (current_language(),)

        def render_field(self, field: Any, render_kw: "SupportsItems[str, Any]") -> Any:
            # The theme's look for our hand-made fields, as SQLAdmin gives its own.
            given = dict(render_kw.items())
            if "class" not in given and "class_" not in given:
                given["class"] = FIELD_CLASSES.get(field.type, "form-control")
            return super().render_field(field, given)

    return type(name, (Form,), {"Meta": Meta, **fields})


def blank_to_none(value: Any) -> Any:
    return None if value == "" else value
