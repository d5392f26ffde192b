"""The day board and an appointment's own page: cancel, reschedule, book a free slot.

Read-only for doctor logins, who see only their own column and their own appointments.
Every change calls `clinic.appointments.service` as the `admin` actor.
"""

from datetime import date
from typing import Any, ClassVar

from pydantic import ValidationError
from sqladmin import BaseView, expose
from sqladmin.flash import flash
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import URL
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from clinic.admin import queries
from clinic.admin.auth import BOARD_IDENTITY, Staff, current_staff, require_manager
from clinic.admin.board import build_board, neighbours
from clinic.admin.context import ADMIN_ACTOR, UIContext
from clinic.admin.errors import describe
from clinic.admin.i18n import gettext, lazy
from clinic.admin.labels import history_rows, specialty_name
from clinic.admin.sessions import unit_of_work
from clinic.appointments import service
from clinic.appointments.schemas import (
    AppointmentCancel,
    AppointmentCreate,
    AppointmentRead,
    AppointmentUpdate,
)
from clinic.availability.service import (
    SlotQuery,
    day_board,
    get_doctor_info_or_422,
    search_slots,
)
from clinic.core.errors import AppointmentNotFound, DomainError, RuleViolation
from clinic.core.schemas import parse_day
from clinic.core.timeutils import local_day_bounds, utcnow
from clinic.doctors.service import list_specialties
from clinic.holds.service import list_active as list_active_holds
from clinic.waitlist import service as waitlist
from clinic.waitlist.schemas import WaitlistPage

SUGGESTED_SLOTS = 8
WAITLIST_SHOWN = 20  # the head of the line; the count says how long it is


async def _waitlist(session: AsyncSession) -> dict[str, Any]:
    """The head of the waitlist with the doctors' names its entries may refer to, and the
    offers out now (each a slot held for a patient in line)."""
    page: WaitlistPage = await waitlist.list_entries(session, ADMIN_ACTOR, limit=WAITLIST_SHOWN)
    doctors = dict(await queries.doctor_choices(session, active_only=False))
    offers = await waitlist.current_offers(session)
    return {"page": page, "doctors": doctors, "offers": offers}


Refusal = DomainError | ValidationError


class DayBoardView(BaseView):
    name = lazy("Day board")
    icon = "fa-solid fa-table-columns"
    ui: ClassVar[UIContext]

    @classmethod
    def for_app(cls, ui: UIContext) -> type["DayBoardView"]:
        return type(cls.__name__, (cls,), {"ui": ui})

    # -- pages ------------------------------------------------------------------------------

    @expose("/board", methods=["GET"], identity=BOARD_IDENTITY)
    async def board(self, request: Request) -> Response:
        staff = current_staff(request)
        tz = self.ui.tz
        today = utcnow().astimezone(tz).date()
        day = _parse_day(request.query_params.get("day"), today)
        compact = request.query_params.get("compact") == "1"
        async with self.ui.sessions() as session:
            specialties = sorted(
                (
                    (s.code, specialty_name(s.name_ru, s.name_en))
                    for s in await list_specialties(session)
                ),
                key=lambda choice: choice[1],
            )
            # Only codes from the list: a hand-edited URL shows everyone rather than failing.
            specialty = request.query_params.get("specialty") or None
            specialty = specialty if specialty in dict(specialties) else None
            doctor_days = await day_board(
                session,
                self.ui.settings,
                day,
                utcnow(),
                specialty=specialty if staff.is_manager else None,
                doctor_id=None if staff.is_manager else staff.doctor_id,
            )
            holds = await list_active_holds(session, *local_day_bounds(day, tz))
            # The line names patients of every doctor: the front desk's, not a doctor's.
            line = await _waitlist(session) if staff.is_manager else None
        board = build_board(day, tz, doctor_days, dict(specialties), holds)
        previous_day, next_day = neighbours(day)
        return await self.templates.TemplateResponse(
            request,
            "clinic_admin/board.html",
            {
                "title": gettext("Day board"),
                "compact": compact,
                "board": board,
                "staff": staff,
                "today": today,
                "previous_day": previous_day,
                "next_day": next_day,
                "specialties": specialties,
                "specialty": specialty,
                "waitlist": line,
            },
        )

    @expose(
        "/board/appointments/{appointment_id:int}", methods=["GET"], identity="board-appointment"
    )
    async def appointment(self, request: Request) -> Response:
        return await self._appointment_page(request, request.path_params["appointment_id"])

    @expose("/board/book", methods=["GET", "POST"], identity="board-book")
    async def book(self, request: Request) -> Response:
        require_manager(request)
        source = request.query_params if request.method == "GET" else await request.form()
        values = {
            k: str(source.get(k) or "")
            for k in ("doctor_id", "start_time", "patient_name", "patient_phone", "reason")
        }
        error: str | None = None
        status = 200
        if request.method == "POST":
            try:
                data = AppointmentCreate.model_validate(
                    {k: v.strip() or None for k, v in values.items()}
                )
                async with unit_of_work(self.ui.sessions.target) as session:
                    booking = await service.create_appointment(
                        session, self.ui.settings, data, ADMIN_ACTOR, utcnow()
                    )
            except (DomainError, ValidationError) as refusal:
                error, status = describe(refusal, self.ui.settings), _status(refusal)
            else:
                flash(request, gettext("Appointment booked."), category="success")
                return self._to_appointment(request, booking.appointment.id)
        async with self.ui.sessions() as session:
            doctors = await queries.doctor_choices(session, active_only=True)
        return await self.templates.TemplateResponse(
            request,
            "clinic_admin/book.html",
            {
                "title": gettext("Book a visit"),
                "values": values,
                "doctors": doctors,
                "error": error,
            },
            status_code=status,
        )

    # -- actions ----------------------------------------------------------------------------

    @expose(
        "/board/appointments/{appointment_id:int}/cancel",
        methods=["POST"],
        identity="board-cancel",
    )
    async def cancel(self, request: Request) -> Response:
        require_manager(request)
        appointment_id: int = request.path_params["appointment_id"]
        form = await request.form()
        try:
            data = AppointmentCancel.model_validate({"reason": str(form.get("reason", "")) or None})
            async with unit_of_work(self.ui.sessions.target) as session:
                cancelled = await service.cancel_appointment(
                    session, appointment_id, data.reason, ADMIN_ACTOR
                )
        except (DomainError, ValidationError) as refusal:
            return await self._appointment_page(request, appointment_id, refusal)
        flash(
            request, gettext("Appointment cancelled; the slot is free again."), category="success"
        )
        return self._to_board(request, cancelled)

    @expose(
        "/board/appointments/{appointment_id:int}/reschedule",
        methods=["POST"],
        identity="board-reschedule",
    )
    async def reschedule(self, request: Request) -> Response:
        require_manager(request)
        appointment_id: int = request.path_params["appointment_id"]
        form = await request.form()
        try:
            data = AppointmentUpdate.model_validate(
                {
                    "start_time": str(form.get("start_time", "")) or None,
                    "doctor_id": str(form.get("doctor_id", "")) or None,
                }
            )
            if data.start_time is None:
                raise _missing_time()
            async with unit_of_work(self.ui.sessions.target) as session:
                moved = await service.update_appointment(
                    session, self.ui.settings, appointment_id, data, ADMIN_ACTOR, utcnow()
                )
        except (DomainError, ValidationError) as refusal:
            return await self._appointment_page(request, appointment_id, refusal)
        flash(request, gettext("Appointment rescheduled."), category="success")
        return self._to_board(request, moved)

    # -- helpers ----------------------------------------------------------------------------

    async def _appointment_page(
        self, request: Request, appointment_id: int, refusal: Refusal | None = None
    ) -> Response:
        staff = current_staff(request)
        async with self.ui.sessions() as session:
            appointment = await _visible_appointment(session, staff, appointment_id)
            names = await queries.doctor_names(session)
            history = await service.list_history(session, appointment_id)
            context: dict[str, Any] = {
                "title": gettext("Appointment"),
                "appointment": appointment,
                "staff": staff,
                "doctor": await get_doctor_info_or_422(session, appointment.doctor_id),
                "history": [
                    (event, history_rows(event.old, event.new, names, self.ui.tz))
                    for event in history
                ],
                "error": describe(refusal, self.ui.settings) if refusal is not None else None,
            }
            if staff.is_manager and appointment.status == "scheduled":
                context["doctors"] = await queries.doctor_choices(session, active_only=True)
                context["suggestions"] = await search_slots(
                    session,
                    self.ui.settings,
                    SlotQuery(doctor_id=appointment.doctor_id, limit=SUGGESTED_SLOTS),
                    utcnow(),
                )
        return await self.templates.TemplateResponse(
            request,
            "clinic_admin/appointment.html",
            context,
            status_code=_status(refusal) if refusal is not None else 200,
        )

    def _to_board(self, request: Request, appointment: AppointmentRead) -> Response:
        day = appointment.start_time.astimezone(self.ui.tz).date()
        url = URL(str(request.url_for("admin:view-board"))).include_query_params(
            day=day.isoformat()
        )
        return RedirectResponse(url, status_code=303)

    def _to_appointment(self, request: Request, appointment_id: int) -> Response:
        url = request.url_for("admin:view-board-appointment", appointment_id=appointment_id)
        return RedirectResponse(url, status_code=303)


async def _visible_appointment(
    session: AsyncSession, staff: Staff, appointment_id: int
) -> AppointmentRead:
    try:
        appointment = await service.get_appointment_or_raise(session, appointment_id)
    except AppointmentNotFound:
        raise HTTPException(status_code=404, detail=gettext("No such appointment.")) from None
    if not staff.is_manager and appointment.doctor_id != staff.doctor_id:
        raise HTTPException(
            status_code=403, detail=gettext("This is another doctor's appointment.")
        )
    return appointment


def _parse_day(text: str | None, default: date) -> date:
    return parse_day(text) or default


def _status(refusal: Refusal) -> int:
    return refusal.status if isinstance(refusal, DomainError) else 422


def _missing_time() -> DomainError:
    return RuleViolation("start_time", "required", "choose the new date and time")
