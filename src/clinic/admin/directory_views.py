"""The clinic directory in SQLAdmin: specialties, doctors, weekly hours, exceptions, closures.

Writes go through `clinic.doctors.service`, so its rules (known specialty, no overlapping
weekly hours, one closure per date) hold here as in the API.
"""

from datetime import date
from typing import Any, ClassVar

from starlette.requests import Request
from wtforms import (
    BooleanField,
    DateField,
    Form,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    validators,
)

from clinic.admin import queries
from clinic.admin.base_view import ClinicModelView, blank_to_none, doctor_name, form_class
from clinic.admin.filters import DoctorFilter
from clinic.admin.i18n import gettext, lazy, weekday_names
from clinic.admin.labels import column_labels, specialty_name
from clinic.doctors import service
from clinic.doctors.models import ClosedDate, Doctor, ScheduleException, Specialty, WorkingHours
from clinic.doctors.schemas import (
    ClosedDateCreate,
    DoctorCreate,
    DoctorUpdate,
    ScheduleExceptionCreate,
    SpecialtyCreate,
    SpecialtyUpdate,
    WorkingHoursItem,
)

REQUIRED = [validators.InputRequired()]
OPTIONAL = [validators.Optional()]


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: blank_to_none(v) for k, v in data.items()}


class SpecialtyView(ClinicModelView, model=Specialty):
    name = lazy("Specialty")
    name_plural = lazy("Specialties")
    icon = "fa-solid fa-stethoscope"
    category = lazy("Clinic")
    can_delete = False  # doctors refer to it
    column_list: ClassVar[list[Any]] = [Specialty.name_ru, Specialty.name_en, Specialty.code]
    column_labels: ClassVar[dict[Any, str]] = column_labels(Specialty)
    column_default_sort: ClassVar[Any] = (Specialty.name_ru, False)

    async def build_form(self) -> type[Form]:
        return form_class(
            "SpecialtyForm",
            {
                "code": StringField(
                    gettext("Code (Latin letters, e.g. therapist)"), validators=REQUIRED
                ),
                "name_ru": StringField(gettext("Name in Russian"), validators=REQUIRED),
                "name_en": StringField(gettext("Name in English"), validators=REQUIRED),
            },
        )

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        async with self.writing() as session:
            return await service.create_specialty(session, SpecialtyCreate.model_validate(data))

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        async with self.writing() as session:
            return await service.update_specialty(
                session, int(pk), SpecialtyUpdate.model_validate(data)
            )


def _specialty_name(model: Doctor, attribute: Any) -> str:
    return specialty_name(model.specialty.name_ru, model.specialty.name_en)


class DoctorView(ClinicModelView, model=Doctor):
    name = lazy("Doctor")
    name_plural = lazy("Doctors")
    icon = "fa-solid fa-user-doctor"
    category = lazy("Clinic")
    can_delete = False  # appointments refer to a doctor: deactivate instead
    column_list: ClassVar[list[Any]] = [
        Doctor.full_name,
        Doctor.specialty,
        Doctor.slot_minutes,
        Doctor.is_active,
    ]
    column_details_list: ClassVar[list[Any]] = [
        Doctor.full_name,
        Doctor.specialty,
        Doctor.slot_minutes,
        Doctor.is_active,
        Doctor.created_at,
        Doctor.updated_at,
    ]
    form_columns: ClassVar[list[Any]] = [
        Doctor.full_name,
        Doctor.specialty,
        Doctor.slot_minutes,
        Doctor.is_active,
    ]
    column_labels: ClassVar[dict[Any, str]] = column_labels(Doctor)
    column_formatters: ClassVar[dict[Any, Any]] = {Doctor.specialty: _specialty_name}
    column_formatters_detail: ClassVar[dict[Any, Any]] = {Doctor.specialty: _specialty_name}
    column_searchable_list: ClassVar[list[Any]] = [Doctor.full_name]
    column_default_sort: ClassVar[Any] = (Doctor.full_name, False)

    async def build_form(self) -> type[Form]:
        async with self.reading() as session:
            specialties = await service.list_specialties(session)
        return form_class(
            "DoctorForm",
            {
                "full_name": StringField(gettext("Full name"), validators=REQUIRED),
                "specialty": SelectField(
                    gettext("Specialty"),
                    choices=sorted(
                        ((s.code, specialty_name(s.name_ru, s.name_en)) for s in specialties),
                        key=lambda choice: choice[1],
                    ),
                ),
                "slot_minutes": IntegerField(gettext("Visit length, min"), default=30),
                "is_active": BooleanField(gettext("Takes bookings"), default=True),
            },
        )

    async def get_form_data_for_edit(self, obj: Any) -> dict[str, Any]:
        return {
            "full_name": obj.full_name,
            "specialty": obj.specialty.code,
            "slot_minutes": obj.slot_minutes,
            "is_active": obj.is_active,
        }

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        async with self.writing() as session:
            return await service.create_doctor(session, DoctorCreate.model_validate(data))

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        async with self.writing() as session:
            return await service.update_doctor(session, int(pk), DoctorUpdate.model_validate(data))


async def _doctor_select(view: ClinicModelView) -> SelectField:
    async with view.reading() as session:
        doctors = await queries.doctor_choices(session, active_only=False)
    return SelectField(gettext("Doctor"), coerce=int, choices=doctors)


def _weekday_name(model: WorkingHours, attribute: Any) -> str:
    return weekday_names()[model.weekday]


class WorkingHoursView(ClinicModelView, model=WorkingHours):
    """One row per interval; the service refuses one overlapping another of the same day."""

    name = lazy("Weekly hours")
    name_plural = lazy("Weekly hours")
    icon = "fa-solid fa-clock"
    category = lazy("Clinic")
    column_list: ClassVar[list[Any]] = [
        WorkingHours.doctor_id,
        WorkingHours.weekday,
        WorkingHours.start_time,
        WorkingHours.end_time,
    ]
    column_labels: ClassVar[dict[Any, str]] = {
        **column_labels(WorkingHours),
        WorkingHours.start_time: lazy("From"),
        WorkingHours.end_time: lazy("To"),
    }
    column_formatters: ClassVar[dict[Any, Any]] = {
        WorkingHours.doctor_id: doctor_name,
        WorkingHours.weekday: _weekday_name,
    }
    column_formatters_detail = column_formatters
    column_filters: ClassVar[list[Any]] = [DoctorFilter(WorkingHours.doctor_id, lazy("Doctor"))]
    column_default_sort: ClassVar[Any] = [
        (WorkingHours.doctor_id, False),
        (WorkingHours.weekday, False),
        (WorkingHours.start_time, False),
    ]

    async def build_form(self) -> type[Form]:
        return form_class(
            "WorkingHoursForm",
            {
                "doctor_id": await _doctor_select(self),
                "weekday": SelectField(
                    gettext("Weekday"), coerce=int, choices=list(enumerate(weekday_names()))
                ),
                "start_time": TimeField(gettext("From"), validators=REQUIRED),
                "end_time": TimeField(gettext("To"), validators=REQUIRED),
            },
        )

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        async with self.writing() as session:
            return await service.add_working_hours(
                session, data["doctor_id"], WorkingHoursItem.model_validate(data)
            )

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        async with self.writing() as session:
            return await service.move_working_hours(
                session, int(pk), data["doctor_id"], WorkingHoursItem.model_validate(data)
            )

    async def delete_model(self, request: Request, pk: Any) -> None:
        async with self.writing() as session:
            await service.remove_working_hours(session, int(pk))


class ScheduleExceptionView(ClinicModelView, model=ScheduleException):
    name = lazy("Schedule exception")
    name_plural = lazy("Schedule exceptions")
    icon = "fa-solid fa-calendar-xmark"
    category = lazy("Clinic")
    column_list: ClassVar[list[Any]] = [
        ScheduleException.doctor_id,
        ScheduleException.on_date,
        ScheduleException.start_time,
        ScheduleException.end_time,
        ScheduleException.note,
    ]
    column_labels: ClassVar[dict[Any, str]] = {
        **column_labels(ScheduleException),
        ScheduleException.start_time: lazy("From"),
        ScheduleException.end_time: lazy("To"),
    }
    column_formatters: ClassVar[dict[Any, Any]] = {ScheduleException.doctor_id: doctor_name}
    column_formatters_detail = column_formatters
    column_filters: ClassVar[list[Any]] = [
        DoctorFilter(ScheduleException.doctor_id, lazy("Doctor"))
    ]
    column_default_sort: ClassVar[Any] = (ScheduleException.on_date, True)

    async def build_form(self) -> type[Form]:
        return form_class(
            "ScheduleExceptionForm",
            {
                "doctor_id": await _doctor_select(self),
                "on_date": DateField(gettext("Date"), validators=REQUIRED),
                "start_time": TimeField(gettext("From (empty: day off)"), validators=OPTIONAL),
                "end_time": TimeField(gettext("To (empty: day off)"), validators=OPTIONAL),
                "note": TextAreaField(gettext("Note"), validators=OPTIONAL),
            },
        )

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        data = _clean(data)
        async with self.writing() as session:
            return await service.add_exception(
                session, data.pop("doctor_id"), ScheduleExceptionCreate.model_validate(data)
            )

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        data = _clean(data)
        async with self.writing() as session:
            return await service.change_exception(
                session,
                int(pk),
                data.pop("doctor_id"),
                ScheduleExceptionCreate.model_validate(data),
            )

    async def delete_model(self, request: Request, pk: Any) -> None:
        async with self.writing() as session:
            await service.remove_exception(session, int(pk))


class ClosedDateView(ClinicModelView, model=ClosedDate):
    name = lazy("Closed date")
    name_plural = lazy("Closed dates")
    icon = "fa-solid fa-door-closed"
    category = lazy("Clinic")
    can_edit = False  # the date is the key: delete and add again
    form_include_pk = True
    column_list: ClassVar[list[Any]] = [ClosedDate.on_date, ClosedDate.note]
    column_labels: ClassVar[dict[Any, str]] = column_labels(ClosedDate)
    column_default_sort: ClassVar[Any] = (ClosedDate.on_date, True)

    async def build_form(self) -> type[Form]:
        return form_class(
            "ClosedDateForm",
            {
                "on_date": DateField(gettext("Date"), validators=REQUIRED),
                "note": TextAreaField(gettext("Note"), validators=OPTIONAL),
            },
        )

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        async with self.writing() as session:
            return await service.add_closed_date(
                session, ClosedDateCreate.model_validate(_clean(data))
            )

    async def delete_model(self, request: Request, pk: Any) -> None:
        async with self.writing() as session:
            await service.delete_closed_date(session, date.fromisoformat(str(pk)))
