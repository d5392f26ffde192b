"""End to end over real HTTP: scripted Telegram users, the real `clinic bot` process polling a
fake Bot API, and the real API on PostgreSQL with the demo clinic."""

import asyncio
from datetime import datetime

from httpx import AsyncClient

from tests.bot.conftest import BotProcess
from tests.bot.fake_telegram import FakeTelegram, TgUser
from tests.conftest import ADMIN, LiveServer, bot_for


async def _appointments(api: LiveServer, telegram_id: int) -> list[dict[str, object]]:
    async with AsyncClient(base_url=api.url, headers=bot_for(telegram_id)) as http:
        response = await http.get("/appointments", params={"patient_telegram_id": telegram_id})
        response.raise_for_status()
        items: list[dict[str, object]] = response.json()["items"]
        return items


async def _to_proposals(patient: TgUser, request: str = "болит зуб, на следующей неделе") -> None:
    await patient.says(request)
    await patient.expect("Ближайшее свободное время")


async def _choose_first_slot(patient: TgUser) -> str:
    data = await patient.presses(" · ")
    await patient.expect("На чьё имя записать?")
    return data


async def test_happy_path_ends_in_an_appointment_visible_through_the_api(
    bot: BotProcess, telegram: FakeTelegram, demo_clinic: LiveServer
) -> None:
    patient = TgUser(telegram, 1001, "Иван", "Петров")
    answered_before = len(telegram.called("answerCallbackQuery"))
    await patient.says("/start")
    greeting = await patient.expect("Здравствуйте")
    assert "Стоматолог" in patient.buttons(greeting)

    await _to_proposals(patient)
    await _choose_first_slot(patient)
    await patient.presses("Записать на «Иван Петров»")
    await patient.expect("телефон для связи")
    await patient.shares_contact("79161234567")
    await patient.expect("Проверьте, пожалуйста")
    await patient.presses("Записаться")
    booked = await patient.expect("Вы записаны")

    (appointment,) = await _appointments(demo_clinic, 1001)
    assert f"Номер записи: {appointment['id']}" in booked["text"]
    assert appointment["patient_name"] == "Иван Петров"
    assert appointment["patient_phone"] == "+79161234567"
    assert appointment["source"] == "bot"
    assert "по московскому времени" in booked["text"]
    assert "Tverskaya" not in booked["text"]  # the Russian address for a Russian patient
    # Pressed buttons are replaced by the choice, and every press was answered.
    edited = [m for m in patient.messages if "edit_date" in m]
    assert edited
    assert all("reply_markup" not in m for m in edited)
    assert len(telegram.called("answerCallbackQuery")) - answered_before == 3


async def test_a_picked_slot_is_held_while_the_patient_confirms(
    bot: BotProcess, telegram: FakeTelegram, demo_clinic: LiveServer
) -> None:
    patient = TgUser(telegram, 1002, "Мария")
    await _to_proposals(patient)
    data = await _choose_first_slot(patient)
    await patient.presses("Записать на «Мария»")
    await patient.says("8 916 222-33-44")
    await patient.expect("Проверьте, пожалуйста")
    # Someone else tries that very slot through the API meanwhile: the patient's hold refuses.
    _, doctor_id, epoch = data.split(":")
    async with AsyncClient(base_url=demo_clinic.url, headers=ADMIN) as http:
        response = await http.post(
            "/appointments",
            json={
                "patient_name": "Кто-то другой",
                "doctor_id": int(doctor_id),
                "start_time": datetime.fromtimestamp(int(epoch)).astimezone().isoformat(),
            },
        )
        assert response.status_code == 409, response.text
        assert response.json()["alternatives"]

    await patient.presses("Записаться")
    await patient.expect("Вы записаны")
    [booked] = await _appointments(demo_clinic, 1002)
    assert datetime.fromisoformat(str(booked["start_time"])).timestamp() == int(epoch)


async def test_two_users_racing_for_one_slot_get_one_booking(
    bot: BotProcess, telegram: FakeTelegram, demo_clinic: LiveServer
) -> None:
    anna, boris = TgUser(telegram, 2001, "Анна"), TgUser(telegram, 2002, "Борис")
    await asyncio.gather(_to_proposals(anna), _to_proposals(boris))
    picked = await asyncio.gather(anna.presses(" · "), boris.presses(" · "))
    assert picked[0] == picked[1]  # the same slot

    # The first pick holds the slot; the other patient hears at once that it was just taken.
    outcomes = await asyncio.gather(_pick_outcome(anna), _pick_outcome(boris))
    assert sorted(outcomes) == ["held", "taken"]
    winner = anna if outcomes[0] == "held" else boris
    await winner.presses("Записать на")
    await winner.expect("телефон")
    await winner.says("+7 916 000-00-01")
    await winner.expect("Проверьте")
    await winner.presses("Записаться")
    await winner.expect("Вы записаны")

    booked = await _appointments(demo_clinic, 2001) + await _appointments(demo_clinic, 2002)
    assert len(booked) == 1


async def _pick_outcome(patient: TgUser) -> str:
    def seen() -> str | None:
        for message in patient.bot_messages:
            if "На чьё имя записать?" in message["text"]:
                return "held"
            if "только что заняли" in message["text"]:
                return "taken"
        return None

    result: str = await patient.tg.wait_until(seen)
    return result


async def test_my_lists_appointments_and_cancels_one(
    bot: BotProcess, telegram: FakeTelegram, demo_clinic: LiveServer
) -> None:
    patient = TgUser(telegram, 1003, "Олег")
    await _to_proposals(patient, "нужен терапевт на следующей неделе")
    await _choose_first_slot(patient)
    await patient.presses("Записать на «Олег»")
    await patient.says("89161234567")
    await patient.expect("Проверьте, пожалуйста")
    await patient.presses("Записаться")
    await patient.expect("Вы записаны")
    (appointment,) = await _appointments(demo_clinic, 1003)

    await patient.says("/my")
    await patient.expect(f"№{appointment['id']}")
    await patient.presses(f"Отменить №{appointment['id']}")
    await patient.expect("Отменить запись")
    await patient.presses("Да, отменить")
    await patient.expect("отменена")

    (cancelled,) = await _appointments(demo_clinic, 1003)
    assert cancelled["status"] == "cancelled"
    await patient.says("/my")
    await patient.expect("нет предстоящих записей")


async def test_emergency_gets_103_and_no_booking(
    bot: BotProcess, telegram: FakeTelegram, demo_clinic: LiveServer
) -> None:
    patient = TgUser(telegram, 1004, "Пётр")
    await patient.says("Сильно давит в груди, трудно дышать, запишите к кардиологу")
    message = await patient.expect("103")

    assert "112" in message["text"]
    assert "reply_markup" not in message
    assert await _appointments(demo_clinic, 1004) == []


async def test_english_user_and_non_text_messages(
    bot: BotProcess, telegram: FakeTelegram, demo_clinic: LiveServer
) -> None:
    patient = TgUser(telegram, 1005, "John", language_code="en")
    await patient.sends_sticker()
    await patient.expect("I can only read text")
    await patient.says("I need a dentist next week")
    await patient.expect("The nearest free times")
