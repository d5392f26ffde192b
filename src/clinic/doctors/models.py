"""Specialties, doctors and their schedules: weekly hours, per-date exceptions, closed dates."""

from datetime import date, time

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic.core.models import Base, TimestampMixin


class Specialty(Base):
    __tablename__ = "specialty"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_ru: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))


class Doctor(TimestampMixin, Base):
    __tablename__ = "doctor"
    __table_args__ = (CheckConstraint("slot_minutes BETWEEN 5 AND 240", name="slot_minutes"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    specialty_id: Mapped[int] = mapped_column(ForeignKey("specialty.id"), index=True)
    slot_minutes: Mapped[int] = mapped_column(SmallInteger, default=30)
    is_active: Mapped[bool] = mapped_column(default=True, server_default="true")

    specialty: Mapped[Specialty] = relationship(lazy="raise")
    working_hours: Mapped[list["WorkingHours"]] = relationship(
        lazy="raise", order_by="(WorkingHours.weekday, WorkingHours.start_time)"
    )


class WorkingHours(Base):
    """One working interval on a weekday; several per day leave room for breaks."""

    __tablename__ = "working_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("start_time < end_time", name="interval"),
        Index("ix_working_hours_doctor_id_weekday", "doctor_id", "weekday"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctor.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(SmallInteger)  # Monday = 0
    start_time: Mapped[time]
    end_time: Mapped[time]


# The hours of an exception as a timestamp range on its date.
EXCEPTION_HOURS = (
    "tsrange(on_date + coalesce(start_time, time '00:00'), "
    "on_date + coalesce(end_time, time '24:00'))"
)


class ScheduleException(Base):
    """Hours for one date that replace the weekly ones; no times means a day off."""

    __tablename__ = "schedule_exception"
    __table_args__ = (
        CheckConstraint(
            "(start_time IS NULL AND end_time IS NULL) OR start_time < end_time", name="interval"
        ),
        Index("ix_schedule_exception_doctor_id_on_date", "doctor_id", "on_date"),
        # No two exceptions of a doctor overlap on a date; a day off (no times) spans it all.
        ExcludeConstraint(
            (literal_column("int4range(doctor_id, doctor_id, '[]')"), "&&"),
            (literal_column(EXCEPTION_HOURS), "&&"),
            name="ex_schedule_exception_doctor_hours_overlap",
            using="gist",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctor.id", ondelete="CASCADE"))
    on_date: Mapped[date]
    start_time: Mapped[time | None]
    end_time: Mapped[time | None]
    note: Mapped[str | None] = mapped_column(Text)


class ClosedDate(Base):
    """A date the whole clinic is closed (public holiday, sanitary day)."""

    __tablename__ = "closed_date"

    on_date: Mapped[date] = mapped_column(primary_key=True)
    note: Mapped[str | None] = mapped_column(Text)


class ScheduleVersion(Base):
    """One row, counting the committed changes to what a booking's rules read: specialty,
    doctor, working_hours, schedule_exception and closed_date (a statement trigger on each
    bumps it, migration 0009). A process that kept a doctor's hours from an earlier read books
    against them only while the count is still the one read with them: the booking's write
    compares it in the same statement (clinic.appointments.repository)."""

    __tablename__ = "schedule_version"
    __table_args__ = (CheckConstraint("id", name="single_row"),)

    id: Mapped[bool] = mapped_column(primary_key=True, server_default=text("true"))
    version: Mapped[int] = mapped_column(BigInteger)
