"""Staff logins in SQLAdmin: a manager creates the read-only logins of doctors here."""

from typing import Any, ClassVar

from starlette.requests import Request
from wtforms import BooleanField, Form, PasswordField, SelectField, StringField, validators

from clinic.admin import accounts, queries
from clinic.admin.base_view import ClinicModelView, blank_to_none, doctor_name, form_class
from clinic.admin.i18n import gettext, lazy
from clinic.admin.labels import ROLES, column_labels, label
from clinic.admin.models import StaffAccount, StaffRole
from clinic.admin.schemas import StaffAccountCreate, StaffAccountUpdate

NO_DOCTOR = 0  # the select's "none" choice; a WTForms select needs a value


class StaffAccountView(ClinicModelView, model=StaffAccount):
    name = lazy("Staff login")
    name_plural = lazy("Staff logins")
    icon = "fa-solid fa-id-badge"
    category = lazy("Access")
    column_list: ClassVar[list[Any]] = [
        StaffAccount.username,
        StaffAccount.role,
        StaffAccount.doctor_id,
        StaffAccount.is_active,
        StaffAccount.created_at,
    ]
    # The password hash is nobody's business, not even a manager's.
    column_details_list = column_list
    column_labels: ClassVar[dict[Any, str]] = {
        **column_labels(StaffAccount),
        StaffAccount.is_active: lazy("Active"),
    }
    column_formatters: ClassVar[dict[Any, Any]] = {
        StaffAccount.doctor_id: doctor_name,
        StaffAccount.role: lambda model, attribute: label(ROLES, model.role),
    }
    column_formatters_detail = column_formatters

    async def build_form(self) -> type[Form]:
        async with self.reading() as session:
            doctors = await queries.doctor_choices(session, active_only=False)
        return form_class(
            "StaffAccountForm",
            {
                "username": StringField(
                    gettext("Login name"), validators=[validators.InputRequired()]
                ),
                "password": PasswordField(
                    gettext("Password (8+ characters; empty keeps the current one)"),
                    validators=[validators.Optional()],
                ),
                "role": SelectField(
                    gettext("Role"), choices=[(r.value, label(ROLES, r.value)) for r in StaffRole]
                ),
                "doctor_id": SelectField(
                    gettext("Doctor (for a doctor login)"),
                    coerce=int,
                    choices=[(NO_DOCTOR, "—"), *doctors],
                ),
                "is_active": BooleanField(gettext("Active"), default=True),
            },
        )

    async def get_form_data_for_edit(self, obj: Any) -> dict[str, Any]:
        return {
            "username": obj.username,
            "role": obj.role,
            "doctor_id": obj.doctor_id or NO_DOCTOR,
            "is_active": obj.is_active,
        }

    def _values(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            **data,
            "password": blank_to_none(data.get("password")),
            "doctor_id": data.get("doctor_id") or None,
        }

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        async with self.writing() as session:
            return await accounts.create_account(
                session,
                StaffAccountCreate.model_validate(self._values(data)),
                self.ui.settings.admin_username,
            )

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        async with self.writing() as session:
            return await accounts.update_account(
                session,
                int(pk),
                StaffAccountUpdate.model_validate(self._values(data)),
                self.ui.settings.admin_username,
            )

    async def delete_model(self, request: Request, pk: Any) -> None:
        async with self.writing() as session:
            await accounts.delete_account(session, int(pk))
