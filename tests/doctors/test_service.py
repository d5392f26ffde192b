"""The directory's operations the staff screens use: one place for each rule."""

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.core.errors import Conflict, DoctorNotFound, NotFound, RuleViolation
from clinic.doctors import service
from clinic.doctors.schemas import SpecialtyUpdate, WorkingHoursItem
from tests.factories import make_doctor, make_specialty


def hours(weekday: int, start: str, end: str) -> WorkingHoursItem:
    return WorkingHoursItem.model_validate(
        {"weekday": weekday, "start_time": start, "end_time": end}
    )


async def test_a_specialty_is_renamed_and_its_code_stays_unique(
    client: AsyncClient, session: AsyncSession
) -> None:
    therapist = await make_specialty(client, "therapist")
    await make_specialty(client, "surgeon")

    renamed = await service.update_specialty(
        session,
        therapist["id"],
        SpecialtyUpdate(code="therapist", name_ru="Терапевт", name_en="General practitioner"),
    )
    assert renamed.name_en == "General practitioner"
    with pytest.raises(Conflict, match="surgeon"):
        await service.update_specialty(
            session, therapist["id"], SpecialtyUpdate(code="surgeon", name_ru="Х", name_en="S")
        )
    with pytest.raises(NotFound):
        await service.update_specialty(
            session, 10**6, SpecialtyUpdate(code="other", name_ru="Д", name_en="O")
        )


async def test_hours_are_added_one_at_a_time_without_overlaps(
    client: AsyncClient, session: AsyncSession
) -> None:
    doctor = await make_doctor(client, hours=[])

    morning = await service.add_working_hours(session, doctor["id"], hours(0, "09:00", "13:00"))
    await service.add_working_hours(session, doctor["id"], hours(0, "14:00", "18:00"))

    with pytest.raises(RuleViolation) as refused:
        await service.add_working_hours(session, doctor["id"], hours(0, "12:00", "15:00"))
    assert refused.value.rule == "overlap"
    week = (await service.get_doctor_or_404(session, doctor["id"])).working_hours
    assert [(h.start_time.hour, h.end_time.hour) for h in week] == [(9, 13), (14, 18)]
    assert morning.id in [h.id for h in week]


async def test_hours_move_to_another_day_or_doctor_and_are_removed(
    client: AsyncClient, session: AsyncSession
) -> None:
    first = await make_doctor(client, hours=[])
    second = await make_doctor(client, "surgeon", name="Второй Врач", hours=[])
    interval = await service.add_working_hours(session, first["id"], hours(0, "09:00", "13:00"))
    await service.add_working_hours(session, second["id"], hours(1, "09:00", "13:00"))

    moved = await service.move_working_hours(
        session, interval.id, second["id"], hours(2, "10:00", "12:00")
    )
    assert (moved.doctor_id, moved.weekday) == (second["id"], 2)
    # Its own old place does not count as an overlap; another interval of that day does.
    await service.move_working_hours(session, interval.id, second["id"], hours(2, "09:00", "12:00"))
    with pytest.raises(RuleViolation):
        await service.move_working_hours(
            session, interval.id, second["id"], hours(1, "12:00", "14:00")
        )

    await service.remove_working_hours(session, interval.id)
    assert (await service.get_doctor_or_404(session, first["id"])).working_hours == []
    assert len((await service.get_doctor_or_404(session, second["id"])).working_hours) == 1
    with pytest.raises(NotFound):
        await service.remove_working_hours(session, interval.id)


async def test_hours_for_an_unknown_doctor_are_a_404(session: AsyncSession) -> None:
    with pytest.raises(DoctorNotFound):
        await service.add_working_hours(session, 10**6, hours(0, "09:00", "13:00"))
