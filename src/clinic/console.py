"""`clinic chat`: the booking conversation in a terminal, buttons shown as numbered choices."""

import asyncio
import os
from typing import TextIO

from clinic.core.settings import Settings
from clinic.dialog import (
    Button,
    ButtonEvent,
    CommandEvent,
    Conversation,
    Dialog,
    Event,
    Reply,
    Sender,
    TextEvent,
)
from clinic.dialog.setup import create_client, create_dialog

COMMANDS = ("start", "help", "my", "cancel")
# Without --user-id the terminal is one local patient, so /my and cancelling work; the id is
# far above Telegram's, so it never meets a real chat's appointments.
LOCAL_USER_BASE = 9_000_000_000_000
QUIT = ("/quit", "/exit", "/q")
PROMPT = "> "


class Console:
    """Reads lines, turns them into dialog events, and prints the replies."""

    def __init__(self, dialog: Dialog, sender: Sender, stdin: TextIO, stdout: TextIO) -> None:
        self.dialog = dialog
        self.sender = sender
        self.stdin = stdin
        self.stdout = stdout
        self.state: Conversation | None = None
        self.choices: list[Button] = []

    async def run(self) -> None:
        self.stdout.write("(/quit to leave; type a number to press a button)\n")
        await self.turn(CommandEvent(name="start", sender=self.sender))
        while True:
            self.stdout.write(PROMPT)
            self.stdout.flush()
            # Reading in a thread keeps the event loop (and the HTTP client) alive meanwhile.
            line = await asyncio.to_thread(self.stdin.readline)
            if not line:
                self.stdout.write("\n")
                return
            if line.strip().lower() in QUIT:
                return
            event = self.event_for(line.strip())
            if event is not None:
                await self.turn(event)

    def event_for(self, line: str) -> Event | None:
        if not line:
            return None
        command = line[1:].split()[0].lower() if line.startswith("/") and len(line) > 1 else ""
        if command in COMMANDS:
            return CommandEvent(name=command, sender=self.sender)
        if line.isdigit() and 1 <= int(line) <= len(self.choices):
            return ButtonEvent(data=self.choices[int(line) - 1].data, sender=self.sender)
        return TextEvent(text=line, sender=self.sender)

    async def turn(self, event: Event) -> None:
        replies, self.state = await self.dialog.handle(event, self.state)
        self.choices = []
        for reply in replies:
            self.stdout.write(self.render(reply))
        self.stdout.flush()

    def render(self, reply: Reply) -> str:
        # A terminal has no "share my phone" keyboard: `request_contact` is not shown, and
        # the texts ask the patient to type the number.
        lines = [reply.text]
        for row in reply.buttons:
            for button in row:
                self.choices.append(button)
                lines.append(f"  {len(self.choices)}. {button.label}")
        return "\n".join(lines) + "\n\n"


def local_user_id() -> int:
    """The terminal's patient id: one per operating-system user."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return LOCAL_USER_BASE + uid


async def run_console(
    settings: Settings,
    stdin: TextIO,
    stdout: TextIO,
    *,
    user_id: int | None = None,
    name: str | None = None,
    lang: str = "ru",
) -> None:
    async with create_client(settings, client="chat") as api:
        sender = Sender(id=user_id or local_user_id(), name=name, language_code=lang)
        await Console(create_dialog(settings, api), sender, stdin, stdout).run()
