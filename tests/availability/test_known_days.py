"""The doctor-days the hot lane keeps: bounded, and forgotten all at once."""

from datetime import date, timedelta

from clinic.availability.known_days import KnownDay, KnownDays
from clinic.availability.repository import DoctorInfo
from clinic.scheduling.slots import DoctorSchedule

DAY = date(2031, 3, 3)


def _known(doctor_id: int, version: int = 1) -> KnownDay:
    doctor = DoctorInfo(doctor_id, "Морозов А. О.", 30, True, "ent")
    return KnownDay(doctor, DoctorSchedule(doctor_id, 30, {}), version)


def test_a_kept_day_is_found_by_doctor_and_day() -> None:
    days = KnownDays()
    days.keep(7, DAY, _known(7))

    assert days.get(7, DAY) == _known(7)
    assert days.get(7, DAY + timedelta(days=1)) is None
    assert days.get(8, DAY) is None


def test_past_the_bound_the_earliest_kept_day_goes_first() -> None:
    days = KnownDays(max_kept=2)
    for doctor in (1, 2, 3):
        days.keep(doctor, DAY, _known(doctor))

    assert days.get(1, DAY) is None
    assert days.get(2, DAY) is not None
    assert days.get(3, DAY) is not None


def test_a_schedule_change_forgets_every_day() -> None:
    days = KnownDays()
    days.keep(1, DAY, _known(1))
    days.keep(2, DAY, _known(2))

    days.forget_all()

    assert days.get(1, DAY) is None
    assert days.get(2, DAY) is None


def test_keeping_a_day_again_replaces_it_and_drops_nothing() -> None:
    days = KnownDays(max_kept=2)
    days.keep(1, DAY, _known(1))
    days.keep(2, DAY, _known(2))

    days.keep(2, DAY, _known(2, version=5))

    assert days.get(1, DAY) is not None
    assert days.get(2, DAY) == _known(2, version=5)
