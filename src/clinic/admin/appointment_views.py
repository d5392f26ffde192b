"""Appointments in SQLAdmin: list with filters, details with the history, create and edit.

Every write goes through `clinic.appointments.service` as the `admin` actor, so the booking
rules, the database's no-overlap guarantee and the history apply as they do to the API.
Nothing is deleted: cancelling (on the appointment's board page) keeps the row.
"""

from typing import Any, ClassVar

from starlette.requests import Request
from wtforms import (
    DateTimeLocalField,
    Form,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    validators,
)

from clinic.admin import queries
from clinic.admin.base_view import ClinicModelView, blank_to_none, doctor_name, form_class
from clinic.admin.context import ADMIN_ACTOR, UIContext
from clinic.admin.filters import ChoiceFilter, DayFilter, DoctorFilter
from clinic.admin.i18n import gettext, lazy
from clinic.admin.labels import SOURCES, STATUSES, column_labels, history_rows, label
from clinic.appointments import service
from clinic.appointments.models import Appointment, AppointmentStatus
from clinic.appointments.schemas import AppointmentCreate, AppointmentUpdate
from clinic.core.timeutils import utcnow

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"
EDITABLE_STATUSES = [s.value for s in AppointmentStatus if s != "cancelled"]


def _status(model: Appointment, attribute: Any) -> str:
    return label(STATUSES, model.status)


def _source(model: Appointment, attribute: Any) -> str:
    return label(SOURCES, model.source)


class AppointmentView(ClinicModelView, model=Appointment):
    name = lazy("Appointment")
    name_plural = lazy("Appointments")
    icon = "fa-solid fa-calendar-check"
    can_delete = False
    column_list: ClassVar[list[Any]] = [
        Appointment.id,
        Appointment.start_time,
        Appointment.doctor_id,
        Appointment.patient_name,
        Appointment.status,
        Appointment.source,
    ]
    column_details_list: ClassVar[list[Any]] = [
        Appointment.id,
        Appointment.start_time,
        Appointment.end_time,
        Appointment.doctor_id,
        Appointment.patient_name,
        Appointment.patient_phone,
        Appointment.patient_telegram_id,
        Appointment.reason,
        Appointment.status,
        Appointment.cancel_reason,
        Appointment.source,
        Appointment.created_at,
        Appointment.updated_at,
    ]
    column_labels: ClassVar[dict[Any, str]] = {Appointment.id: "№", **column_labels(Appointment)}
    column_formatters: ClassVar[dict[Any, Any]] = {
        Appointment.doctor_id: doctor_name,
        Appointment.status: _status,
        Appointment.source: _source,
    }
    column_formatters_detail = column_formatters
    column_sortable_list: ClassVar[list[Any]] = [
        Appointment.id,
        Appointment.start_time,
        Appointment.status,
    ]
    column_default_sort: ClassVar[Any] = (Appointment.start_time, True)

    @classmethod
    def filters(cls, ui: UIContext) -> list[Any]:
        # No search by patient name: a GET search puts the name into URLs and access logs.
        return [
            DayFilter(Appointment.start_time, lazy("Day"), ui.tz),
            DoctorFilter(Appointment.doctor_id, lazy("Doctor")),
            ChoiceFilter(Appointment.status, lazy("Status"), STATUSES),
            ChoiceFilter(Appointment.source, lazy("Booked through"), SOURCES),
        ]

    form_create_rules: ClassVar[list[str]] = [
        "doctor_id",
        "start_time",
        "patient_name",
        "patient_phone",
        "patient_telegram_id",
        "reason",
    ]
    form_edit_rules: ClassVar[list[str]] = [
        "doctor_id",
        "start_time",
        "patient_name",
        "patient_phone",
        "reason",
        "status",
    ]
    details_template = "clinic_admin/appointment_details.html"

    async def details_context(self, request: Request) -> dict[str, Any]:
        context = await super().details_context(request)
        async with self.reading() as session:
            history = await service.list_history(session, int(request.path_params["pk"]))
        return context | {
            "history": [
                (event, history_rows(event.old, event.new, request.state.doctor_names, self.ui.tz))
                for event in history
            ]
        }

    async def build_form(self) -> type[Form]:
        async with self.reading() as session:
            doctors = await queries.doctor_choices(session, active_only=False)
        optional = [validators.Optional()]
        return form_class(
            "AppointmentForm",
            {
                "doctor_id": SelectField(gettext("Doctor"), coerce=int, choices=doctors),
                "start_time": DateTimeLocalField(
                    gettext("Time (clinic time)"),
                    format=LOCAL_MINUTE,
                    validators=[validators.InputRequired()],
                ),
                "patient_name": StringField(
                    gettext("Patient"),
                    validators=[validators.InputRequired(), validators.Length(max=200)],
                ),
                "patient_phone": StringField(gettext("Phone"), validators=optional),
                "patient_telegram_id": IntegerField(gettext("Telegram id"), validators=optional),
                "reason": TextAreaField(gettext("Reason"), validators=optional),
                "status": SelectField(
                    gettext("Status"),
                    choices=[(value, label(STATUSES, value)) for value in EDITABLE_STATUSES],
                ),
            },
        )

    async def get_form_data_for_edit(self, obj: Any) -> dict[str, Any]:
        return {
            "doctor_id": obj.doctor_id,
            # The browser's datetime-local field is wall-clock time: show the clinic's.
            "start_time": obj.start_time.astimezone(self.ui.tz).replace(tzinfo=None),
            "patient_name": obj.patient_name,
            "patient_phone": obj.patient_phone,
            "reason": obj.reason,
            "status": obj.status,
        }

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        async with self.writing() as session:
            booking = await service.create_appointment(
                session,
                self.ui.settings,
                AppointmentCreate.model_validate({k: blank_to_none(v) for k, v in data.items()}),
                ADMIN_ACTOR,
                utcnow(),
            )
        return Appointment(id=booking.appointment.id)

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        async with self.writing() as session:
            current = await service.get_appointment_or_raise(session, int(pk))
            wanted = AppointmentUpdate.model_validate(
                {
                    k: blank_to_none(v)
                    for k, v in data.items()
                    if k in AppointmentUpdate.model_fields
                }
            )
            # Send only what really changed, so an unchanged form records nothing.
            changes = {
                name: value
                for name, value in wanted.model_dump(exclude_unset=True).items()
                if value != getattr(current, name)  # aware datetimes compare as instants
            }
            await service.update_appointment(
                session,
                self.ui.settings,
                current.id,
                AppointmentUpdate.model_validate(changes),
                ADMIN_ACTOR,
                utcnow(),
            )
        return Appointment(id=current.id)
