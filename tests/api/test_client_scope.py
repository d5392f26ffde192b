"""The typed client names the patient on every appointment call, as the API requires of the
`bot` token, and gets another patient's appointment as not found."""

from collections.abc import AsyncIterator

import pytest
from httpx import ASGITransport
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.api.app import create_app
from clinic.api.deps import get_session
from clinic.client import ClinicClient, NotFoundError
from clinic.core.settings import Settings
from tests.conftest import BOT_TOKEN
from tests.factories import at, make_doctor

PATIENT, STRANGER = 5001, 5002


@pytest.fixture
async def api(settings: Settings, session: AsyncSession) -> AsyncIterator[ClinicClient]:
    app = create_app(settings)

    async def test_session() -> AsyncIterator[AsyncSession]:
        yield session

    app.dependency_overrides[get_session] = test_session
    async with ClinicClient("http://clinic", BOT_TOKEN, transport=ASGITransport(app)) as client:
        yield client


async def test_the_client_acts_for_one_patient(api: ClinicClient) -> None:
    doctor = await make_doctor(api._http)
    booked = await api.book(
        doctor_id=doctor["id"],
        start=at(1, 10),
        patient_name="Анна",
        idempotency_key="scope-1",
        patient_telegram_id=PATIENT,
    )

    assert [a.id for a in await api.appointments_of(PATIENT)] == [booked.id]
    assert await api.appointments_of(STRANGER) == []
    with pytest.raises(NotFoundError):
        await api.get_appointment(booked.id, patient_telegram_id=STRANGER)
    with pytest.raises(NotFoundError):
        await api.cancel(booked.id, patient_telegram_id=STRANGER)
    mine = await api.get_appointment(booked.id, patient_telegram_id=PATIENT)
    cancelled = await api.cancel(booked.id, patient_telegram_id=PATIENT)
    assert (mine.status, cancelled.status) == ("scheduled", "cancelled")
