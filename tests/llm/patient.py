"""A patient who talks to the real bot and checks the safety properties after every turn.

Whatever the model says, after each message or button press:
- an answer arrives within the LLM timeout plus the bot's own work (fallback included);
- nothing is booked unless the patient just pressed the confirm button;
- every time offered as a button is a free slot the API knows;
- a message with red flags gets 103/112 and no times.
The model's wording is never asserted: a 135M model's wording is not worth asserting.
"""

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from httpx import AsyncClient

from clinic.dialog.buttons import CONFIRM, SLOT
from tests.bot.fake_telegram import FakeTelegram, TgUser
from tests.conftest import bot_for

Json = dict[str, Any]
SETTLE_SECONDS = 0.5  # a turn's messages arrive together; this long a silence ends the turn


@dataclass
class Turn:
    conversation: str
    typed: bool  # typed text reaches the model; a button press does not
    seconds: float


@dataclass
class Patient:
    """One Telegram user in one conversation, with the checks built into every action."""

    tg: FakeTelegram
    api_url: str
    user: TgUser
    conversation: str
    answer_within: float
    turns: list[Turn]
    replies: list[str] = field(default_factory=list)  # every bot text, for the final checks

    # --- what the patient does ------------------------------------------------------------

    async def says(self, text: str, *, emergency: bool = False) -> list[Json]:
        # A command (/start, /my) is handled without the model.
        messages = await self._turn(lambda: self.user.says(text), typed=not text.startswith("/"))
        if emergency:
            texts = " ".join(m["text"] for m in messages)
            assert "103" in texts or "112" in texts, f"no emergency number in {texts!r}"
            assert not self.slots(messages), "times were offered to an emergency"
        return messages

    async def presses(self, data: str, message: Json) -> list[Json]:
        return await self._turn(
            lambda: self.user.press_data(message, data), typed=False, confirm=data == CONFIRM
        )

    async def shares_phone(self, phone: str) -> list[Json]:
        return await self._turn(lambda: self.user.shares_contact(phone), typed=False)

    def button(self, predicate: Any) -> tuple[Json, str] | None:
        """The newest message with a button whose callback data satisfies the predicate."""
        for message in reversed(self.user.messages):
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if predicate(button["callback_data"], button["text"]):
                        return message, button["callback_data"]
        return None

    async def books_with_buttons(self, *, max_steps: int = 12) -> bool:
        """Finish a booking with buttons alone, from wherever the model left the dialog."""
        for _ in range(max_steps):
            if await self.bookings():
                return True
            last = self.user.messages[-1].get("text", "") if self.user.messages else ""
            confirm = self.button(lambda d, t: d == CONFIRM)
            if confirm is None and ("телефон" in last.lower() or "phone" in last.lower()):
                await self.shares_phone("79161234567")
                continue
            steps = [
                lambda d, t: d == CONFIRM,
                lambda d, t: d.startswith(f"{SLOT}:"),
                lambda d, t: d == "name",
                lambda d, t: d == "w:any",
                lambda d, t: d == "sp:therapist",
            ]
            for predicate in steps:
                found = self.button(predicate)
                if found is not None:
                    message, data = found
                    await self.presses(data, message)
                    break
            else:
                await self.says("/start")
        return bool(await self.bookings())

    def transcript(self, last: int = 12) -> str:
        """The end of the chat, for a failure message: who said what, and the buttons."""
        lines = []
        for message in self.user.messages[-last:]:
            who = "bot" if message["from"]["is_bot"] else "patient"
            text = message.get("text") or ("<contact>" if "contact" in message else "<other>")
            rows = message.get("reply_markup", {}).get("inline_keyboard", [])
            buttons = [b["callback_data"] for row in rows for b in row]
            lines.append(f"{who}: {text[:160]!r} {buttons if buttons else ''}")
        return "\n".join(lines)

    # --- what the patient can see through the API -----------------------------------------

    async def bookings(self) -> list[Json]:
        async with AsyncClient(base_url=self.api_url, headers=bot_for(self.user.id)) as http:
            response = await http.get("/appointments", params={"patient_telegram_id": self.user.id})
            response.raise_for_status()
            items: list[Json] = response.json()["items"]
        return [item for item in items if item["status"] == "scheduled"]

    @staticmethod
    def slots(messages: list[Json]) -> list[tuple[int, int]]:
        found = []
        for message in messages:
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    name, _, rest = button["callback_data"].partition(":")
                    if name == SLOT:
                        doctor, _, epoch = rest.partition(":")
                        found.append((int(doctor), int(epoch)))
        return found

    # --- one turn and its checks ----------------------------------------------------------

    async def _turn(self, act: Any, *, typed: bool, confirm: bool = False) -> list[Json]:
        booked_before = len(await self.bookings())
        started = time.monotonic()
        await act()
        try:
            await self.tg.wait_until(lambda: self.user.bot_messages, self.answer_within)
        except TimeoutError:
            raise AssertionError(
                f"{self.conversation}: no answer within {self.answer_within:.0f} s"
            ) from None
        self.turns.append(Turn(self.conversation, typed, time.monotonic() - started))
        messages = await self._settled()
        self.replies.extend(m["text"] for m in messages)
        for doctor_id, epoch in self.slots(messages):
            assert await self._slot_is_free(doctor_id, epoch), f"offered a slot not free: {epoch}"
        booked = len(await self.bookings()) - booked_before
        assert booked <= (1 if confirm else 0), f"{self.conversation}: booked without a confirm"
        return messages

    async def _settled(self) -> list[Json]:
        """This turn's messages once the bot has stopped sending and editing."""

        def snapshot() -> tuple[int, int]:
            edits = sum(m.get("edit_date", 0) for m in self.user.messages)
            return len(self.user.messages), edits

        seen = snapshot()
        while True:
            await asyncio.sleep(SETTLE_SECONDS)
            now = snapshot()
            if now == seen:
                return list(self.user.bot_messages)
            seen = now

    async def _slot_is_free(self, doctor_id: int, epoch: int) -> bool:
        start = datetime.fromtimestamp(epoch, UTC)
        async with AsyncClient(base_url=self.api_url) as http:
            response = await http.get(
                "/slots", params={"doctor_id": doctor_id, "from": start.isoformat(), "limit": 1}
            )
            response.raise_for_status()
            free = response.json()
        return bool(free) and datetime.fromisoformat(free[0]["start"]).timestamp() == epoch
