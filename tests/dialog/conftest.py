"""A dialog on the in-memory API, with a fixed clock, and a scripted patient."""

from dataclasses import dataclass, field

import pytest

from clinic.dialog import (
    ButtonEvent,
    ClinicInfo,
    CommandEvent,
    ContactEvent,
    Conversation,
    Dialog,
    Reply,
    Sender,
    TextEvent,
    UnsupportedEvent,
)
from clinic.dialog.events import Command
from tests.dialog.fakes import NOW, TZ, FakeApi

CLINIC = ClinicInfo(name="Test clinic", address="Moscow, Test st. 1", tz=TZ)


@dataclass
class Patient:
    """Talks to the dialog as a transport would: keeps the state, reads the replies."""

    dialog: Dialog
    sender: Sender
    state: Conversation | None = None
    replies: list[Reply] = field(default_factory=list)

    async def _run(self, event: object) -> list[Reply]:
        self.replies, self.state = await self.dialog.handle(event, self.state)  # type: ignore[arg-type]
        return self.replies

    async def says(self, text: str) -> list[Reply]:
        return await self._run(TextEvent(text=text, sender=self.sender))

    async def command(self, name: Command) -> list[Reply]:
        return await self._run(CommandEvent(name=name, sender=self.sender))

    async def shares_phone(self, phone: str) -> list[Reply]:
        return await self._run(ContactEvent(phone=phone, sender=self.sender))

    async def sends_sticker(self) -> list[Reply]:
        return await self._run(UnsupportedEvent(sender=self.sender))

    async def presses(self, label_part: str) -> list[Reply]:
        """Press the first button (of the latest replies) whose label contains the text."""
        for reply in reversed(self.replies):
            for row in reply.buttons:
                for button in row:
                    if label_part in button.label:
                        return await self.press_data(button.data)
        raise AssertionError(f"no button {label_part!r} in {self.labels}")

    async def press_data(self, data: str) -> list[Reply]:
        return await self._run(ButtonEvent(data=data, sender=self.sender))

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.replies)

    @property
    def labels(self) -> list[str]:
        return [b.label for r in self.replies for row in r.buttons for b in row]

    @property
    def slot_buttons(self) -> list[str]:
        return [b.data for r in self.replies for row in r.buttons for b in row
                if b.data.startswith("s:")]  # fmt: skip


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def dialog(api: FakeApi) -> Dialog:
    return Dialog(api, CLINIC, clock=lambda: NOW)


@pytest.fixture
def patient(dialog: Dialog) -> Patient:
    return Patient(dialog, Sender(id=555, name="Иван Петров", language_code="ru"))


@pytest.fixture
def english_patient(dialog: Dialog) -> Patient:
    return Patient(dialog, Sender(id=556, name="John Smith", language_code="en-GB"))
