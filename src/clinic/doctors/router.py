"""HTTP for the clinic directory: public reads, admin-only changes."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from clinic.api.deps import AdminRole, SessionDep
from clinic.api.openapi import problems
from clinic.core.schemas import Day, DbId, Text
from clinic.doctors import service
from clinic.doctors.schemas import (
    ClosedDateCreate,
    ClosedDateRead,
    DoctorCreate,
    DoctorDetail,
    DoctorRead,
    DoctorUpdate,
    ScheduleExceptionCreate,
    ScheduleExceptionRead,
    SpecialtyCreate,
    SpecialtyRead,
    WorkingHoursItem,
)

router = APIRouter(tags=["clinic"], responses=problems(422, 503))
ADMIN_ONLY = problems(401, 403)


@router.get("/specialties")
async def list_specialties(session: SessionDep) -> list[SpecialtyRead]:
    return [SpecialtyRead.model_validate(s) for s in await service.list_specialties(session)]


@router.post(
    "/specialties", status_code=status.HTTP_201_CREATED, responses=ADMIN_ONLY | problems(409, 413)
)
async def create_specialty(
    data: SpecialtyCreate, session: SessionDep, _: AdminRole
) -> SpecialtyRead:
    return SpecialtyRead.model_validate(await service.create_specialty(session, data))


@router.get("/doctors")
async def list_doctors(
    session: SessionDep, specialty: Annotated[Text | None, Query(max_length=40)] = None
) -> list[DoctorRead]:
    doctors = await service.list_doctors(session, specialty)
    return [DoctorRead.model_validate(d) for d in doctors]


@router.post("/doctors", status_code=status.HTTP_201_CREATED, responses=ADMIN_ONLY | problems(413))
async def create_doctor(data: DoctorCreate, session: SessionDep, _: AdminRole) -> DoctorDetail:
    return DoctorDetail.model_validate(await service.create_doctor(session, data))


@router.get("/doctors/{doctor_id}", responses=problems(404))
async def get_doctor(doctor_id: DbId, session: SessionDep) -> DoctorDetail:
    return DoctorDetail.model_validate(await service.get_doctor_or_404(session, doctor_id))


@router.patch("/doctors/{doctor_id}", responses=ADMIN_ONLY | problems(404, 413))
async def update_doctor(
    doctor_id: DbId, data: DoctorUpdate, session: SessionDep, _: AdminRole
) -> DoctorDetail:
    return DoctorDetail.model_validate(await service.update_doctor(session, doctor_id, data))


@router.put("/doctors/{doctor_id}/working-hours", responses=ADMIN_ONLY | problems(404, 413))
async def replace_working_hours(
    doctor_id: DbId, hours: list[WorkingHoursItem], session: SessionDep, _: AdminRole
) -> DoctorDetail:
    await service.get_doctor_or_404(session, doctor_id)
    await service.set_working_hours(session, doctor_id, hours)
    return DoctorDetail.model_validate(await service.get_doctor_or_404(session, doctor_id))


@router.get("/doctors/{doctor_id}/exceptions", responses=problems(404))
async def list_exceptions(
    doctor_id: DbId, session: SessionDep, date_from: Day | None = None
) -> list[ScheduleExceptionRead]:
    exceptions = await service.list_exceptions(session, doctor_id, date_from)
    return [ScheduleExceptionRead.model_validate(e) for e in exceptions]


@router.post(
    "/doctors/{doctor_id}/exceptions",
    status_code=status.HTTP_201_CREATED,
    responses=ADMIN_ONLY | problems(404, 413),
)
async def add_exception(
    doctor_id: DbId, data: ScheduleExceptionCreate, session: SessionDep, _: AdminRole
) -> ScheduleExceptionRead:
    exception = await service.add_exception(session, doctor_id, data)
    return ScheduleExceptionRead.model_validate(exception)


@router.delete(
    "/doctors/{doctor_id}/exceptions/{exception_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=ADMIN_ONLY | problems(404),
)
async def delete_exception(
    doctor_id: DbId, exception_id: DbId, session: SessionDep, _: AdminRole
) -> None:
    await service.delete_exception(session, doctor_id, exception_id)


@router.get("/closed-dates")
async def list_closed_dates(
    session: SessionDep, date_from: Day | None = None
) -> list[ClosedDateRead]:
    closed = await service.list_closed_dates(session, date_from)
    return [ClosedDateRead.model_validate(c) for c in closed]


@router.post(
    "/closed-dates", status_code=status.HTTP_201_CREATED, responses=ADMIN_ONLY | problems(409, 413)
)
async def add_closed_date(
    data: ClosedDateCreate, session: SessionDep, _: AdminRole
) -> ClosedDateRead:
    return ClosedDateRead.model_validate(await service.add_closed_date(session, data))


@router.delete(
    "/closed-dates/{on_date}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=ADMIN_ONLY | problems(404),
)
async def delete_closed_date(on_date: Day, session: SessionDep, _: AdminRole) -> None:
    await service.delete_closed_date(session, on_date)
