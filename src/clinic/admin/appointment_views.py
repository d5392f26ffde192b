"""Appointments in SQLAdmin: list with filters, details with the history, create and edit.

Every write goes through `clinic.appointments.service` as the `admin` actor, so the booking
rules, the database's no-overlap guarantee and the history apply as they do to the API.
Nothing is deleted: cancelling (on the appointment's board page) keeps the row.
"""

from typing import Any, ClassVar

from sqladmin.filters import ForeignKeyFilter, OperationColumnFilter, StaticValuesFilter
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
from clinic.admin.context import ADMIN_ACTOR
from clinic.appointments import service
from clinic.appointments.models import Appointment, AppointmentSource, AppointmentStatus
from clinic.appointments.schemas import AppointmentCreate, AppointmentUpdate
from clinic.core.timeutils import utcnow
from clinic.doctors.models import Doctor

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"
EDITABLE_STATUSES = [(s.value, s.value) for s in AppointmentStatus if s != "cancelled"]


class AppointmentView(ClinicModelView, model=Appointment):
    name = "Appointment"
    name_plural = "Appointments"
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
    column_details_exclude_list: ClassVar[list[Any]] = []
    column_labels: ClassVar[dict[Any, str]] = {
        Appointment.doctor_id: "Doctor",
        Appointment.start_time: "Start",
        Appointment.end_time: "End",
    }
    column_formatters: ClassVar[dict[Any, Any]] = {Appointment.doctor_id: doctor_name}
    column_formatters_detail: ClassVar[dict[Any, Any]] = {Appointment.doctor_id: doctor_name}
    column_sortable_list: ClassVar[list[Any]] = [
        Appointment.id,
        Appointment.start_time,
        Appointment.status,
    ]
    column_default_sort: ClassVar[Any] = (Appointment.start_time, True)
    # No search by patient name: a GET search puts the name into URLs and access logs.
    column_filters: ClassVar[list[Any]] = [
        ForeignKeyFilter(Appointment.doctor_id, Doctor.full_name, title="Doctor"),
        StaticValuesFilter(
            Appointment.status, [(s.value, s.value) for s in AppointmentStatus], title="Status"
        ),
        StaticValuesFilter(
            Appointment.source, [(s.value, s.value) for s in AppointmentSource], title="Source"
        ),
        OperationColumnFilter(Appointment.start_time, title="Start"),
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
        return context | {"history": history, "tz": self.ui.tz}

    async def build_form(self) -> type[Form]:
        async with self.reading() as session:
            doctors = await queries.doctor_choices(session, active_only=False)
        optional = [validators.Optional()]
        return form_class(
            "AppointmentForm",
            {
                "doctor_id": SelectField("Doctor", coerce=int, choices=doctors),
                "start_time": DateTimeLocalField(
                    "Start (clinic time)",
                    format=LOCAL_MINUTE,
                    validators=[validators.InputRequired()],
                ),
                "patient_name": StringField(
                    "Patient name",
                    validators=[validators.InputRequired(), validators.Length(max=200)],
                ),
                "patient_phone": StringField("Phone", validators=optional),
                "patient_telegram_id": IntegerField("Telegram id", validators=optional),
                "reason": TextAreaField("Reason", validators=optional),
                "status": SelectField("Status", choices=EDITABLE_STATUSES),
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
