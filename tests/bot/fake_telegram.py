"""A small fake Telegram Bot API server on loopback, and scripted users who talk through it.

It answers in Telegram's real shapes (getMe with is_bot, long-polling getUpdates honouring
offset and timeout, sendMessage, editMessageText, answerCallbackQuery, setWebhook,
deleteWebhook, setMyCommands), so the real aiogram client can run against it unmodified.
"""

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {
    "id": 7000001,
    "is_bot": True,
    "first_name": "Clinic",
    "username": "clinic_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

Json = dict[str, Any]


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(code: int, description: str) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": code, "description": description}, status=code
    )


class FakeTelegram:
    """The Bot API for one bot token; keeps every chat's messages for the test to read."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.updates: list[Json] = []
        self.update_ids = itertools.count(1)
        self.message_ids = itertools.count(1)
        self.chats: dict[int, list[Json]] = {}  # chat id -> every message, both directions
        self.calls: list[tuple[str, Json]] = []
        self.changed = asyncio.Condition()
        self.url = ""
        self.closing = False
        self._runner: web.AppRunner | None = None

    async def start(self, port: int) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        # Wake pending long polls, so shutting down does not wait out their timeouts.
        async with self.changed:
            self.closing = True
            self.changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what the bot calls ----------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        params: Json = dict(request.query)
        if request.content_type == "application/json":
            params |= await request.json()
        elif request.can_read_body:
            params |= {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
        method = request.match_info["method"].lower()
        self.calls.append((method, params))
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        result: web.Response = await handler(params)
        return result

    async def _api_getme(self, params: Json) -> web.Response:
        return _ok(BOT_USER)

    async def _api_deletewebhook(self, params: Json) -> web.Response:
        return _ok(True)

    async def _api_setwebhook(self, params: Json) -> web.Response:
        return _ok(True)

    async def _api_setmycommands(self, params: Json) -> web.Response:
        return _ok(True)

    async def _api_answercallbackquery(self, params: Json) -> web.Response:
        return _ok(True)

    async def _api_getupdates(self, params: Json) -> web.Response:
        offset = int(params.get("offset", 0) or 0)
        timeout = float(params.get("timeout", 0) or 0)
        limit = int(params.get("limit", 100) or 100)
        deadline = time.monotonic() + timeout
        async with self.changed:
            # An offset confirms every update before it: Telegram forgets them.
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while (
                not self.updates and not self.closing and (left := deadline - time.monotonic()) > 0
            ):
                try:
                    await asyncio.wait_for(self.changed.wait(), left)
                except TimeoutError:
                    break
            return _ok(self.updates[:limit])

    async def _api_sendmessage(self, params: Json) -> web.Response:
        chat_id = int(params["chat_id"])
        message: Json = {
            "message_id": next(self.message_ids),
            "from": BOT_USER,
            "chat": {"id": chat_id, "type": "private", "first_name": "Patient"},
            "date": int(time.time()),
            "text": params["text"],
        }
        markup = _markup(params)
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup  # Telegram echoes inline keyboards only
        await self._record(chat_id, message | {"_markup": markup})
        return _ok(message)

    async def _api_editmessagetext(self, params: Json) -> web.Response:
        chat_id = int(params["chat_id"])
        message_id = int(params["message_id"])
        message = next(
            (m for m in self.chats.get(chat_id, []) if m["message_id"] == message_id), None
        )
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        message["text"] = params["text"]
        message["edit_date"] = int(time.time())
        markup = _markup(params)
        # Without reply_markup, Telegram drops the inline keyboard.
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        async with self.changed:
            self.changed.notify_all()
        return _ok({k: v for k, v in message.items() if not k.startswith("_")})

    async def _record(self, chat_id: int, message: Json) -> None:
        async with self.changed:
            self.chats.setdefault(chat_id, []).append(message)
            self.changed.notify_all()

    # --- what the test drives --------------------------------------------------------------

    async def push(self, update: Json) -> None:
        async with self.changed:
            self.updates.append({"update_id": next(self.update_ids), **update})
            self.changed.notify_all()

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        deadline = time.monotonic() + timeout
        async with self.changed:
            while not (result := predicate()):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the bot did not answer in time")
                try:
                    await asyncio.wait_for(self.changed.wait(), left)
                except TimeoutError:
                    continue
            return result

    def called(self, method: str) -> list[Json]:
        return [params for name, params in self.calls if name == method.lower()]


def _markup(params: Json) -> Json | None:
    raw = params.get("reply_markup")
    if raw is None:
        return None
    value = json.loads(raw) if isinstance(raw, str) else raw
    return value if isinstance(value, dict) else None


@dataclass
class TgUser:
    """A patient in a private chat with the bot."""

    tg: FakeTelegram
    id: int
    first_name: str
    last_name: str | None = None
    language_code: str = "ru"
    cursor: int = 0  # messages before this index belong to earlier exchanges
    sent: list[Json] = field(default_factory=list)

    @property
    def user(self) -> Json:
        user: Json = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        user["language_code"] = self.language_code
        return user

    @property
    def chat(self) -> Json:
        return {"id": self.id, "type": "private", "first_name": self.first_name}

    @property
    def messages(self) -> list[Json]:
        return self.tg.chats.setdefault(self.id, [])

    @property
    def bot_messages(self) -> list[Json]:
        return [m for m in self.messages[self.cursor :] if m["from"]["is_bot"]]

    async def _send(self, extra: Json) -> None:
        message: Json = {
            "message_id": next(self.tg.message_ids),
            "from": self.user,
            "chat": self.chat,
            "date": int(time.time()),
            **extra,
        }
        self.cursor = len(self.messages)
        self.messages.append(message)
        self.cursor += 1
        await self.tg.push({"message": message})

    async def says(self, text: str) -> None:
        extra: Json = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            extra["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        await self._send(extra)

    async def shares_contact(self, phone: str) -> None:
        await self._send(
            {"contact": {"phone_number": phone, "first_name": self.first_name, "user_id": self.id}}
        )

    async def sends_sticker(self) -> None:
        sticker = {
            "file_id": "CAACAgIAAxkBAAE",
            "file_unique_id": "AgAD",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        await self._send({"sticker": sticker})

    def find_button(self, label_part: str) -> tuple[Json, str] | None:
        """The newest bot message still showing a button whose label contains the text."""
        for message in reversed(self.messages):
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if label_part in button["text"]:
                        return message, button["callback_data"]
        return None

    async def presses(self, label_part: str) -> str:
        found = self.find_button(label_part)
        assert found is not None, f"no button {label_part!r}"
        message, data = found
        await self.press_data(message, data)
        return data

    async def press_data(self, message: Json, data: str) -> None:
        self.cursor = len(self.messages)
        query = {
            "id": str(next(self.tg.update_ids) * 1000 + self.id % 1000),
            "from": self.user,
            "message": {k: v for k, v in message.items() if not k.startswith("_")},
            "chat_instance": f"ci-{self.id}",
            "data": data,
        }
        await self.tg.push({"callback_query": query})

    async def expect(self, text_part: str, timeout: float = 10.0) -> Json:
        """Wait for a bot message (since the last action) containing the text."""

        def seen() -> Json | None:
            return next((m for m in self.bot_messages if text_part in m["text"]), None)

        try:
            message: Json = await self.tg.wait_until(seen, timeout)
        except TimeoutError:
            got = [m["text"][:80] for m in self.bot_messages]
            raise AssertionError(f"no bot message with {text_part!r}; got {got}") from None
        return message

    def buttons(self, message: Json) -> list[str]:
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        return [button["text"] for row in rows for button in row]
