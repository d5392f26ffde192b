"""Mount the staff UI on the API app: SQLAdmin at /admin behind a staff login."""

import logging
import secrets
from pathlib import Path

from fastapi import FastAPI
from sqladmin import Admin
from sqladmin.authentication import login_required
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from clinic.admin import i18n, labels
from clinic.admin.appointment_views import AppointmentView
from clinic.admin.auth import LoginThrottled, StaffAuthentication, StaffAuthorization
from clinic.admin.board_views import DayBoardView
from clinic.admin.context import UIContext
from clinic.admin.csrf import SameOriginMiddleware
from clinic.admin.directory_views import (
    ClosedDateView,
    DoctorView,
    ScheduleExceptionView,
    SpecialtyView,
    WorkingHoursView,
)
from clinic.admin.errors import DropAdminErrors
from clinic.admin.sessions import AppSessionMaker
from clinic.admin.staff_views import StaffAccountView
from clinic.core.settings import Settings

BASE_URL = "/admin"
TEMPLATES = Path(__file__).parent / "templates"
MODEL_VIEWS = (
    AppointmentView,
    DoctorView,
    SpecialtyView,
    WorkingHoursView,
    ScheduleExceptionView,
    ClosedDateView,
    StaffAccountView,
)
_DROP_ADMIN_ERRORS = DropAdminErrors()


class StaffAdmin(Admin):
    @login_required
    async def index(self, request: Request) -> Response:
        # The board is everyone's home page; a doctor has nothing else to see.
        return RedirectResponse(request.url_for("admin:view-board"), status_code=302)

    async def login(self, request: Request) -> Response:
        response = await super().login(request)
        if not isinstance(response, LoginThrottled):
            return response
        minutes = max(1, round(response.wait / 60))
        error = i18n.ngettext(
            "Too many failed logins. Try again in %(num)d minute.",
            "Too many failed logins. Try again in %(num)d minutes.",
            minutes,
        ) % {"num": minutes}
        page = await self.templates.TemplateResponse(
            request, "sqladmin/login.html", {"error": error}, status_code=response.status_code
        )
        page.headers["Retry-After"] = response.headers["Retry-After"]
        return page


def mount_staff_ui(app: FastAPI, settings: Settings) -> Admin:
    # create_app has refused production with a default ADMIN_PASSWORD before this runs.
    if settings.session_secret is not None:
        secret = settings.session_secret.get_secret_value()
    else:
        # Local only (production refuses to start without SESSION_SECRET): sessions last as
        # long as this process.
        secret = secrets.token_urlsafe(32)
    sessions = AppSessionMaker(app)
    ui = UIContext(settings, sessions)
    admin = StaffAdmin(
        app,
        session_maker=sessions,
        base_url=BASE_URL,
        title=i18n.lazy("Clinic staff"),
        templates_dir=str(TEMPLATES),
        authentication_backend=StaffAuthentication(settings, sessions, secret),
        authorization_backend=StaffAuthorization(),
        i18n_config=i18n.i18n_config(settings),
    )
    app.add_middleware(SameOriginMiddleware, prefix=BASE_URL)
    i18n.install(admin.templates.env, settings.tz)
    admin.templates.env.globals["labels"] = labels
    admin.add_view(DayBoardView.for_app(ui))
    for view in MODEL_VIEWS:
        admin.add_view(view.for_app(ui))
    logging.getLogger("sqladmin.application").addFilter(_DROP_ADMIN_ERRORS)
    return admin
