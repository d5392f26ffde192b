"""Request and response shapes for specialties, doctors and schedules."""

from typing import Annotated, Self

from pydantic import Field, StrictBool, StringConstraints, model_validator

from clinic.core.schemas import Day, LocalTime, Schema, StorableText

Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), StorableText
]
SpecialtyName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), StorableText
]
Note = Annotated[str, StringConstraints(max_length=500), StorableText]
Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z_]{1,39}$")]


class SpecialtyRead(Schema):
    id: int
    code: str
    name_ru: str
    name_en: str


class SpecialtyCreate(Schema):
    code: Code
    name_ru: SpecialtyName
    name_en: SpecialtyName


class SpecialtyUpdate(SpecialtyCreate):
    """Every field, replaced."""


class HoursInterval(Schema):
    start_time: LocalTime
    end_time: LocalTime

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.start_time >= self.end_time:
            raise ValueError("start_time must be before end_time")
        return self


class WorkingHoursItem(HoursInterval):
    weekday: int = Field(ge=0, le=6, description="Monday = 0 … Sunday = 6")


class DoctorRead(Schema):
    id: int
    full_name: str
    specialty: SpecialtyRead
    slot_minutes: int
    is_active: bool


class DoctorDetail(DoctorRead):
    working_hours: list[WorkingHoursItem]


class DoctorCreate(Schema):
    full_name: Name
    specialty: Code = Field(description="Specialty code, e.g. `therapist`.")
    slot_minutes: int = Field(default=30, ge=5, le=240)
    is_active: StrictBool = True
    working_hours: list[WorkingHoursItem] = Field(default_factory=list)


class DoctorUpdate(Schema):
    full_name: Name | None = None
    specialty: Code | None = None
    slot_minutes: int | None = Field(default=None, ge=5, le=240)
    is_active: StrictBool | None = None


class ScheduleExceptionCreate(Schema):
    """Hours for one date instead of the weekly ones; omit the times for a day off."""

    on_date: Day
    start_time: LocalTime | None = None
    end_time: LocalTime | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _interval_or_day_off(self) -> Self:
        if (self.start_time is None) != (self.end_time is None):
            raise ValueError("give both start_time and end_time, or neither for a day off")
        if self.start_time is not None and self.end_time is not None:
            if self.start_time >= self.end_time:
                raise ValueError("start_time must be before end_time")
        return self


class ScheduleExceptionRead(ScheduleExceptionCreate):
    id: int
    doctor_id: int


class ClosedDateCreate(Schema):
    on_date: Day
    note: Note | None = None


class ClosedDateRead(ClosedDateCreate):
    pass
