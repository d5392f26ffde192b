"""Webhook mode: only requests carrying Telegram's secret token reach the dispatcher."""

import time
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from httpx import ASGITransport, AsyncClient
from pydantic import SecretStr

from clinic.bot.app import create_dispatcher
from clinic.bot.webhook import SECRET_HEADER, WEBHOOK_PATH, create_webhook_app
from clinic.core.settings import Settings
from clinic.dialog import Dialog
from tests.bot.conftest import TELEGRAM_TOKEN
from tests.bot.fake_telegram import FakeTelegram
from tests.dialog.conftest import CLINIC
from tests.dialog.fakes import NOW, FakeApi

SECRET = "webhook-secret-for-tests"


@pytest.fixture
async def webhook(telegram: FakeTelegram) -> AsyncIterator[AsyncClient]:
    settings = Settings(
        webhook_base_url="https://bot.clinic.test",
        webhook_secret=SecretStr(SECRET),
        telegram_bot_token=SecretStr(TELEGRAM_TOKEN),
        telegram_api_url=telegram.url,
        clinic_api_token=SecretStr("unused"),
        redis_url=None,
    )
    session = AiohttpSession(api=TelegramAPIServer.from_base(telegram.url))
    bot = Bot(TELEGRAM_TOKEN, session=session)
    dispatcher = create_dispatcher(settings, Dialog(FakeApi(), CLINIC, clock=lambda: NOW))
    app = create_webhook_app(settings, bot=bot, dispatcher=dispatcher)
    async with (
        app.router.lifespan_context(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://bot") as http,
    ):
        yield http


def _start_update(user_id: int) -> dict[str, object]:
    user = {"id": user_id, "is_bot": False, "first_name": "Ivan", "language_code": "ru"}
    return {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Ivan"},
            "from": user,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def test_webhook_is_registered_with_the_secret(
    webhook: AsyncClient, telegram: FakeTelegram
) -> None:
    (registered,) = telegram.called("setWebhook")[-1:]
    assert registered["url"] == "https://bot.clinic.test" + WEBHOOK_PATH
    assert registered["secret_token"] == SECRET


async def test_requests_without_the_secret_are_refused(
    webhook: AsyncClient, telegram: FakeTelegram
) -> None:
    missing = await webhook.post(WEBHOOK_PATH, json=_start_update(4001))
    wrong = await webhook.post(
        WEBHOOK_PATH, json=_start_update(4001), headers={SECRET_HEADER: "guess"}
    )

    assert missing.status_code == 401
    assert wrong.status_code == 401
    assert 4001 not in telegram.chats


async def test_update_with_the_secret_is_answered(
    webhook: AsyncClient, telegram: FakeTelegram
) -> None:
    response = await webhook.post(
        WEBHOOK_PATH, json=_start_update(4002), headers={SECRET_HEADER: SECRET}
    )

    assert response.status_code == 200
    assert "Здравствуйте" in telegram.chats[4002][-1]["text"]


async def test_malformed_json_with_the_secret_is_400(
    webhook: AsyncClient, telegram: FakeTelegram
) -> None:
    broken = await webhook.post(
        WEBHOOK_PATH,
        content=b'{"update_id": 1, "message": {',
        headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"},
    )
    not_an_update = await webhook.post(
        WEBHOOK_PATH, json={"hello": "world"}, headers={SECRET_HEADER: SECRET}
    )
    not_utf8 = await webhook.post(
        WEBHOOK_PATH, content=b"\xff\xfe", headers={SECRET_HEADER: SECRET}
    )
    assert [broken.status_code, not_an_update.status_code, not_utf8.status_code] == [400] * 3


async def test_malformed_json_without_the_secret_is_still_401(webhook: AsyncClient) -> None:
    response = await webhook.post(WEBHOOK_PATH, content=b"{", headers={SECRET_HEADER: "guess"})
    assert response.status_code == 401


async def test_an_oversized_update_is_refused_unread(
    webhook: AsyncClient, telegram: FakeTelegram
) -> None:
    huge = _start_update(4003)
    huge["message"]["text"] = "/start " + "x" * (300 * 1024)  # type: ignore[index]
    response = await webhook.post(WEBHOOK_PATH, json=huge, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 413
    assert 4003 not in telegram.chats


async def test_a_flood_from_one_patient_reaches_the_dialog_a_few_times(
    webhook: AsyncClient, telegram: FakeTelegram
) -> None:
    for _ in range(30):
        await webhook.post(WEBHOOK_PATH, json=_start_update(4004), headers={SECRET_HEADER: SECRET})
    await webhook.post(WEBHOOK_PATH, json=_start_update(4005), headers={SECRET_HEADER: SECRET})

    replies = [m["text"] for m in telegram.chats[4004] if m.get("from", {}).get("is_bot")]
    greetings = [text for text in replies if "Здравствуйте" in text]
    notices = [text for text in replies if "Слишком много сообщений" in text]
    assert len(greetings) == Settings().bot_rate_limit_burst
    assert len(notices) == 1  # told once, not once per dropped message
    assert any("Здравствуйте" in m["text"] for m in telegram.chats[4005])  # others unaffected


async def test_deeply_nested_json_with_the_secret_is_400(webhook: AsyncClient) -> None:
    # Small enough to pass the size cap, deep enough to exhaust the JSON parser's recursion.
    for body in (b"[" * 100_000, b'{"a":' * 50_000):
        response = await webhook.post(WEBHOOK_PATH, content=body, headers={SECRET_HEADER: SECRET})
        assert response.status_code == 400


async def test_updates_of_unusual_shapes_are_answered_without_a_server_error(
    webhook: AsyncClient, telegram: FakeTelegram
) -> None:
    user = {"id": 4006, "is_bot": False, "first_name": "Ivan"}
    chat = {"id": 4006, "type": "private", "first_name": "Ivan"}
    message = {"message_id": 1, "date": int(time.time()), "chat": chat, "from": user}
    shapes: list[object] = [
        [],
        None,
        {"update_id": 2},  # no content at all
        {"update_id": 3, "some_future_update": {"x": 1}},  # a type this aiogram does not know
        {"update_id": 4, "edited_message": {**message, "text": "изменено"}},
        {"update_id": 5, "message": {**message, "sticker": None}},  # neither text nor contact
        {"update_id": 6, "message": {**message, "text": "\x00" * 10}},
        {"update_id": 7, "message": {**message, "text": "x" * 4096}},
        {"update_id": 8, "message": {**{k: v for k, v in message.items() if k != "from"}}},
        {"update_id": 9, "callback_query": {"id": "1", "from": user, "chat_instance": "1"}},
        {"update_id": 10, "callback_query": {"id": "2", "from": user, "chat_instance": "1",
                                             "data": "\x00garbage",
                                             "message": {**message, "text": "x"}}},
        {"update_id": 2**63, "message": {**message, "text": "/start"}},
        {"update_id": 11,
         "message": {**message, "contact": {"phone_number": "\x00", "first_name": "a"}}},
    ]  # fmt: skip
    statuses = []
    for shape in shapes:
        response = await webhook.post(WEBHOOK_PATH, json=shape, headers={SECRET_HEADER: SECRET})
        statuses.append(response.status_code)
    assert all(status in (200, 400) for status in statuses), statuses
