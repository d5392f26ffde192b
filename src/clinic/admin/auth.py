"""Who is signed in to the staff UI, and what they may do.

Two kinds of login: the clinic manager from the settings (ADMIN_USERNAME / ADMIN_PASSWORD), and
staff accounts from the database. A doctor account sees only its own day board, read-only.
"""

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqladmin.authentication import AuthenticationBackend
from sqladmin.authorization import Action, AuthorizationBackend
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from clinic.admin import accounts, security
from clinic.admin.models import StaffRole
from clinic.admin.sessions import AppSessionMaker, unit_of_work
from clinic.core.settings import Settings

log = logging.getLogger(__name__)

BOARD_IDENTITY = "board"
SESSION_HOURS = 12  # about a working shift


@dataclass(frozen=True)
class Staff:
    username: str
    role: StaffRole
    doctor_id: int | None = None

    @property
    def is_manager(self) -> bool:
        return self.role == StaffRole.manager


def current_staff(request: Request) -> Staff:
    """The signed-in user of this request; routes run only after `authenticate` set it."""
    staff = getattr(request.state, "staff", None)
    if not isinstance(staff, Staff):
        raise HTTPException(status_code=401)
    return staff


def require_manager(request: Request) -> Staff:
    staff = current_staff(request)
    if not staff.is_manager:
        raise HTTPException(status_code=403, detail="Read-only login: changes need a manager.")
    return staff


class StaffAuthentication(AuthenticationBackend):
    def __init__(self, settings: Settings, sessions: AppSessionMaker, secret: str) -> None:
        super().__init__(
            secret_key=secret,
            session_cookie="clinic_staff",
            max_age=SESSION_HOURS * 3600,
            same_site="lax",  # a cross-site form cannot carry the session: no CSRF on POSTs
            https_only=settings.environment == "production",
        )
        self._settings = settings
        self._sessions = sessions
        self._secret = secret.encode()
        self._window = timedelta(seconds=settings.login_throttle_seconds)

    def _settings_fingerprint(self) -> str:
        # Stored in the session: changing ADMIN_PASSWORD signs the old sessions out.
        creds = (
            f"{self._settings.admin_username}\0{self._settings.admin_password.get_secret_value()}"
        )
        return hmac.new(self._secret, creds.encode(), hashlib.sha256).hexdigest()[:32]

    def _is_settings_manager(self, username: str, password: str) -> bool:
        expected_user = self._settings.admin_username.encode()
        expected_password = self._settings.admin_password.get_secret_value().encode()
        # Both compared, always, in constant time.
        user_ok = hmac.compare_digest(username.encode(), expected_user)
        password_ok = hmac.compare_digest(password.encode(), expected_password)
        return user_ok and password_ok

    async def login(self, request: Request) -> bool | Response:
        form = await request.form()
        username, password = str(form.get("username", "")), str(form.get("password", ""))
        request.session.clear()
        rules = self._throttle_rules(request, username)
        async with self._sessions() as session:
            wait = await security.seconds_until_allowed(session, rules, self._window)
        if wait:
            log.warning("staff login throttled")
            return _too_many_attempts(wait)
        account_id: int | None = None
        if self._is_settings_manager(username, password):
            request.session["manager"] = self._settings_fingerprint()
            log.info("staff login: settings manager")
        else:
            async with self._sessions() as session:
                account = await accounts.check_credentials(session, username, password)
            if account is None:
                async with unit_of_work(self._sessions) as session:
                    await security.record_failure(session, [r.key for r in rules], self._window)
                log.info("staff login refused")
                return False
            account_id = account.id
            request.session["account_id"] = account.id
            log.info("staff login: account %s (%s)", account.id, account.role)
        async with unit_of_work(self._sessions) as session:
            await security.forget_failures(session, rules[0].key)
            request.session["sid"] = await security.open_session(
                session, account_id, timedelta(hours=SESSION_HOURS)
            )
        return True

    def _throttle_rules(self, request: Request, username: str) -> list[security.ThrottleRule]:
        # The client address is the real one: TrustedProxyMiddleware resolved any proxy.
        address = request.client.host if request.client else "unknown"
        return [
            security.ThrottleRule(
                f"account:{username.strip().lower()[:60]}",
                self._settings.login_max_failures_per_account,
            ),
            security.ThrottleRule(
                f"address:{address}", self._settings.login_max_failures_per_address
            ),
        ]

    async def logout(self, request: Request) -> bool:
        session_id = request.session.get("sid")
        if isinstance(session_id, str):
            # Server-side: the cookie is worthless from now on, even if it was copied.
            async with unit_of_work(self._sessions) as session:
                await security.close_session(session, session_id)
        request.session.clear()
        return False  # SQLAdmin then redirects to the login page

    async def authenticate(self, request: Request) -> bool:
        staff = await self._staff_of(request.session)
        if staff is None:
            request.session.clear()
            return False
        request.state.staff = staff
        return True

    async def _staff_of(self, session_data: dict[str, Any]) -> Staff | None:
        session_id = session_data.get("sid")
        if not isinstance(session_id, str):
            return None
        async with self._sessions() as session:
            if not await security.session_is_open(session, session_id):
                return None  # signed out, or expired
        if "manager" in session_data:
            if not hmac.compare_digest(str(session_data["manager"]), self._settings_fingerprint()):
                return None
            return Staff(self._settings.admin_username, StaffRole.manager)
        account_id = session_data.get("account_id")
        if not isinstance(account_id, int):
            return None
        # Read on every request, so deactivating an account signs it out at once.
        async with self._sessions() as session:
            account = await accounts.get_active(session, account_id)
        if account is None:
            return None
        return Staff(account.username, StaffRole(account.role), account.doctor_id)

    async def get_user_id(self, request: Request) -> Any:
        staff = getattr(request.state, "staff", None)
        return staff.username if isinstance(staff, Staff) else None


class LoginThrottled(Response):
    """A login refused while the account or the address is paused, for `wait` seconds. The
    staff UI shows it as its login page with the reason, in the user's language
    (`StaffAdmin.login`)."""

    def __init__(self, wait: int) -> None:
        super().__init__(status_code=429, headers={"Retry-After": str(wait)})
        self.wait = wait


def _too_many_attempts(wait: int) -> Response:
    return LoginThrottled(wait)


class StaffAuthorization(AuthorizationBackend):
    """Managers may do everything; a doctor may only look at the board (their own column)."""

    def has_permission(
        self, request: Request, identity: str, action: str, obj: Any | None = None
    ) -> bool:
        staff = getattr(request.state, "staff", None)
        if not isinstance(staff, Staff):
            return False
        if staff.is_manager:
            return True
        return identity == BOARD_IDENTITY and action == Action.LIST
