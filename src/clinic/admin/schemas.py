"""Input shapes of the staff UI's own writes: staff accounts."""

from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from clinic.admin.models import StaffRole
from clinic.core.schemas import Schema

Username = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[a-z0-9_.-]{3,60}$")
]
Password = Annotated[str, StringConstraints(min_length=8, max_length=200)]


class _Binding(Schema):
    role: StaffRole
    doctor_id: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _doctor_only_for_doctors(self) -> Self:
        if self.role == StaffRole.doctor and self.doctor_id is None:
            raise ValueError("a doctor login needs its doctor")
        if self.role == StaffRole.manager and self.doctor_id is not None:
            raise ValueError("a manager login is not bound to a doctor")
        return self


class StaffAccountCreate(_Binding):
    username: Username
    password: Password
    is_active: bool = True


class StaffAccountUpdate(_Binding):
    """Every field but the password; no password keeps the current one."""

    username: Username
    password: Password | None = None
    is_active: bool = True
