"""The dialog against the real API (a live `clinic serve` on PostgreSQL with the demo
clinic): what the chat accepts, the API accepts too, and what it books is really booked."""

from httpx import AsyncClient

from clinic.client import ClinicClient
from clinic.dialog import ClinicInfo, Dialog, Sender
from clinic.dialog.state import Step
from tests.conftest import BOT_TOKEN, LiveServer, bot_for
from tests.dialog.conftest import Patient
from tests.dialog.fakes import TZ


async def test_typed_booking_listing_and_cancelling_through_the_real_api(
    demo_clinic: LiveServer,
) -> None:
    clinic = ClinicInfo(name="Demo", address="Moscow", tz=TZ, address_ru="Москва, Тестовая, 1")
    async with ClinicClient(demo_clinic.url, BOT_TOKEN) as api:
        patient = Patient(
            Dialog(api, clinic), Sender(id=5151, name="Иван Петров", language_code="ru")
        )
        await patient.says("болит зуб, на следующей неделе")
        assert patient.slot_buttons
        await patient.says("давайте первый")
        await patient.says("Иван Петров, 8 (916) 123-45-67")
        assert "+79161234567" in patient.text
        await patient.says("да")
        assert "Вы записаны" in patient.text

        async with AsyncClient(base_url=demo_clinic.url, headers=bot_for(5151)) as http:
            listed = (await http.get("/appointments", params={"patient_telegram_id": 5151})).json()
        (appointment,) = listed["items"]
        assert appointment["patient_phone"] == "+79161234567"
        assert appointment["reason"] == "болит зуб, на следующей неделе"

        await patient.says("какие у меня записи?")
        assert f"№{appointment['id']}" in patient.text
        await patient.says("отмените мою запись к стоматологу")
        await patient.says("да")
        assert patient.state is not None
        assert patient.state.step is Step.idle

        async with AsyncClient(base_url=demo_clinic.url, headers=bot_for(5151)) as http:
            cancelled = (await http.get(f"/appointments/{appointment['id']}")).json()
        assert cancelled["status"] == "cancelled"
