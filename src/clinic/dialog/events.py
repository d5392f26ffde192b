"""What a patient can do (events) and what the assistant answers (replies)."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Lang = Literal["ru", "en"]
Command = Literal["start", "my", "cancel", "help"]


class Sender(BaseModel):
    """Who wrote: the Telegram user (the terminal chat makes one up)."""

    model_config = ConfigDict(frozen=True)

    id: int | None = None
    name: str | None = None
    language_code: str | None = None

    @property
    def lang(self) -> Lang:
        return "en" if (self.language_code or "").lower().startswith("en") else "ru"


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True)

    sender: Sender = Sender()


class TextEvent(_Event):
    kind: Literal["text"] = "text"
    text: str


class ButtonEvent(_Event):
    kind: Literal["button"] = "button"
    data: str


class ContactEvent(_Event):
    kind: Literal["contact"] = "contact"
    phone: str


class CommandEvent(_Event):
    kind: Literal["command"] = "command"
    name: Command


class UnsupportedEvent(_Event):
    """A sticker, photo, voice message or anything else that is not text."""

    kind: Literal["unsupported"] = "unsupported"


Event = Annotated[
    TextEvent | ButtonEvent | ContactEvent | CommandEvent | UnsupportedEvent,
    Field(discriminator="kind"),
]


class Button(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    data: str  # at most 64 bytes: Telegram's limit for callback data


class Reply(BaseModel):
    """One message: text, inline choices in rows, and the reply keyboard wish.

    `request_contact` is the label of a "share my phone" button the transport offers (in
    Telegram a reply keyboard); `remove_keyboard` takes such a keyboard away again.
    """

    model_config = ConfigDict(frozen=True)

    text: str
    buttons: list[list[Button]] = Field(default_factory=list)
    request_contact: str | None = None
    remove_keyboard: bool = False
