"""The clinic directory in SQLAdmin: specialties, doctors, weekly hours, exceptions, closures.

Writes go through `clinic.doctors.service`, so its rules (known specialty, no overlapping
weekly hours, one closure per date) hold here as in the API.
"""

from datetime import date
from typing import Any, ClassVar

from sqladmin.filters import ForeignKeyFilter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
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
from clinic.core.errors import Conflict
from clinic.doctors import service
from clinic.doctors.models import ClosedDate, Doctor, ScheduleException, Specialty, WorkingHours
from clinic.doctors.schemas import (
    ClosedDateCreate,
    DoctorCreate,
    DoctorUpdate,
    ScheduleExceptionCreate,
    SpecialtyCreate,
    WorkingHoursItem,
)

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
REQUIRED = [validators.InputRequired()]
OPTIONAL = [validators.Optional()]


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: blank_to_none(v) for k, v in data.items()}


class SpecialtyView(ClinicModelView, model=Specialty):
    name = "Specialty"
    name_plural = "Specialties"
    icon = "fa-solid fa-stethoscope"
    category = "Clinic"
    can_delete = False  # doctors refer to it
    column_list: ClassVar[list[Any]] = [
        Specialty.id,
        Specialty.code,
        Specialty.name_en,
        Specialty.name_ru,
    ]
    column_default_sort: ClassVar[Any] = (Specialty.code, False)

    async def build_form(self) -> type[Form]:
        return form_class(
            "SpecialtyForm",
            {
                "code": StringField("Code (latin, e.g. therapist)", validators=REQUIRED),
                "name_en": StringField("Name (English)", validators=REQUIRED),
                "name_ru": StringField("Name (Russian)", validators=REQUIRED),
            },
        )

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        async with self.writing() as session:
            return await service.create_specialty(session, SpecialtyCreate.model_validate(data))

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        async with self.writing() as session:
            wanted = SpecialtyCreate.model_validate(data)
            specialty = await session.get(Specialty, int(pk))
            same_code = await session.scalar(select(Specialty).where(Specialty.code == wanted.code))
            if specialty is None:
                raise Conflict("this specialty no longer exists")
            if same_code is not None and same_code.id != specialty.id:
                raise Conflict(f"specialty {wanted.code!r} already exists")
            for field, value in wanted.model_dump().items():
                setattr(specialty, field, value)
        return specialty


def _specialty_name(model: Doctor, attribute: Any) -> str:
    return f"{model.specialty.name_en} ({model.specialty.code})"


class DoctorView(ClinicModelView, model=Doctor):
    name = "Doctor"
    name_plural = "Doctors"
    icon = "fa-solid fa-user-doctor"
    category = "Clinic"
    can_delete = False  # appointments refer to a doctor: deactivate instead
    column_list: ClassVar[list[Any]] = [
        Doctor.id,
        Doctor.full_name,
        Doctor.specialty,
        Doctor.slot_minutes,
        Doctor.is_active,
    ]
    column_details_list: ClassVar[list[Any]] = [
        Doctor.id,
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
                "full_name": StringField("Full name", validators=REQUIRED),
                "specialty": SelectField(
                    "Specialty", choices=[(s.code, s.name_en) for s in specialties]
                ),
                "slot_minutes": IntegerField("Slot length, minutes", default=30),
                "is_active": BooleanField("Takes bookings", default=True),
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
    return SelectField("Doctor", coerce=int, choices=doctors)


def _weekday_name(model: WorkingHours, attribute: Any) -> str:
    return WEEKDAYS[model.weekday]


class WorkingHoursView(ClinicModelView, model=WorkingHours):
    """One row per interval; every change rewrites the doctor's week through the service,
    which refuses overlapping intervals."""

    name = "Weekly hours"
    name_plural = "Weekly hours"
    icon = "fa-solid fa-clock"
    category = "Clinic"
    column_list: ClassVar[list[Any]] = [
        WorkingHours.doctor_id,
        WorkingHours.weekday,
        WorkingHours.start_time,
        WorkingHours.end_time,
    ]
    column_labels: ClassVar[dict[Any, str]] = {WorkingHours.doctor_id: "Doctor"}
    column_formatters: ClassVar[dict[Any, Any]] = {
        WorkingHours.doctor_id: doctor_name,
        WorkingHours.weekday: _weekday_name,
    }
    column_formatters_detail = column_formatters
    column_filters: ClassVar[list[Any]] = [
        ForeignKeyFilter(WorkingHours.doctor_id, Doctor.full_name, title="Doctor")
    ]
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
                "weekday": SelectField("Weekday", coerce=int, choices=list(enumerate(WEEKDAYS))),
                "start_time": TimeField("From", validators=REQUIRED),
                "end_time": TimeField("To", validators=REQUIRED),
            },
        )

    @staticmethod
    async def _week(session: AsyncSession, doctor_id: int, without: int | None) -> list[Any]:
        doctor = await service.get_doctor_or_raise(session, doctor_id)
        return [
            WorkingHoursItem.model_validate(hours)
            for hours in doctor.working_hours
            if hours.id != without
        ]

    @staticmethod
    async def _stored(session: AsyncSession, item: WorkingHoursItem, doctor_id: int) -> Any:
        return await session.scalar(
            select(WorkingHours).where(
                WorkingHours.doctor_id == doctor_id,
                WorkingHours.weekday == item.weekday,
                WorkingHours.start_time == item.start_time,
            )
        )

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        async with self.writing() as session:
            item = WorkingHoursItem.model_validate(data)
            week = await self._week(session, data["doctor_id"], without=None)
            await service.set_working_hours(session, data["doctor_id"], [*week, item])
            return await self._stored(session, item, data["doctor_id"])

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        async with self.writing() as session:
            item = WorkingHoursItem.model_validate(data)
            current = await session.get(WorkingHours, int(pk))
            if current is None:
                raise Conflict("these hours no longer exist")
            if current.doctor_id != data["doctor_id"]:
                # Moved to another doctor: leaves one week, joins the other.
                old_week = await self._week(session, current.doctor_id, without=current.id)
                await service.set_working_hours(session, current.doctor_id, old_week)
                week = await self._week(session, data["doctor_id"], without=None)
            else:
                week = await self._week(session, current.doctor_id, without=current.id)
            await service.set_working_hours(session, data["doctor_id"], [*week, item])
            return await self._stored(session, item, data["doctor_id"])

    async def delete_model(self, request: Request, pk: Any) -> None:
        async with self.writing() as session:
            current = await session.get(WorkingHours, int(pk))
            if current is None:
                return
            week = await self._week(session, current.doctor_id, without=current.id)
            await service.set_working_hours(session, current.doctor_id, week)


class ScheduleExceptionView(ClinicModelView, model=ScheduleException):
    name = "Schedule exception"
    name_plural = "Schedule exceptions"
    icon = "fa-solid fa-calendar-xmark"
    category = "Clinic"
    column_list: ClassVar[list[Any]] = [
        ScheduleException.doctor_id,
        ScheduleException.on_date,
        ScheduleException.start_time,
        ScheduleException.end_time,
        ScheduleException.note,
    ]
    column_labels: ClassVar[dict[Any, str]] = {ScheduleException.doctor_id: "Doctor"}
    column_formatters: ClassVar[dict[Any, Any]] = {ScheduleException.doctor_id: doctor_name}
    column_formatters_detail = column_formatters
    column_filters: ClassVar[list[Any]] = [
        ForeignKeyFilter(ScheduleException.doctor_id, Doctor.full_name, title="Doctor")
    ]
    column_default_sort: ClassVar[Any] = (ScheduleException.on_date, True)

    async def build_form(self) -> type[Form]:
        return form_class(
            "ScheduleExceptionForm",
            {
                "doctor_id": await _doctor_select(self),
                "on_date": DateField("Date", validators=REQUIRED),
                "start_time": TimeField("From (empty: day off)", validators=OPTIONAL),
                "end_time": TimeField("To (empty: day off)", validators=OPTIONAL),
                "note": TextAreaField("Note", validators=OPTIONAL),
            },
        )

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        data = _clean(data)
        async with self.writing() as session:
            return await service.add_exception(
                session, data.pop("doctor_id"), ScheduleExceptionCreate.model_validate(data)
            )

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        # Replaced rather than edited in place, so the service's checks see it as new.
        data = _clean(data)
        async with self.writing() as session:
            current = await session.get(ScheduleException, int(pk))
            if current is None:
                raise Conflict("this exception no longer exists")
            wanted = ScheduleExceptionCreate.model_validate(data)
            await service.delete_exception(session, current.doctor_id, current.id)
            return await service.add_exception(session, data["doctor_id"], wanted)

    async def delete_model(self, request: Request, pk: Any) -> None:
        async with self.writing() as session:
            current = await session.get(ScheduleException, int(pk))
            if current is not None:
                await service.delete_exception(session, current.doctor_id, current.id)


class ClosedDateView(ClinicModelView, model=ClosedDate):
    name = "Closed date"
    name_plural = "Closed dates"
    icon = "fa-solid fa-door-closed"
    category = "Clinic"
    can_edit = False  # the date is the key: delete and add again
    form_include_pk = True
    column_list: ClassVar[list[Any]] = [ClosedDate.on_date, ClosedDate.note]
    column_default_sort: ClassVar[Any] = (ClosedDate.on_date, True)

    async def build_form(self) -> type[Form]:
        return form_class(
            "ClosedDateForm",
            {
                "on_date": DateField("Date", validators=REQUIRED),
                "note": TextAreaField("Note", validators=OPTIONAL),
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
