"""Field types shared by the API schemas."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from clinic.core.settings import get_settings
from clinic.core.timeutils import in_zone


def _to_clinic_time(moment: datetime) -> datetime:
    return in_zone(moment, get_settings().tz)


ClinicDatetime = Annotated[datetime, AfterValidator(_to_clinic_time)]
"""A datetime in clinic time: naive input means the clinic's wall clock; output has an offset."""


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True)
