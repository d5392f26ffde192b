"""The booking conversation, independent of any transport (Telegram, terminal)."""

from clinic.dialog.engine import Dialog
from clinic.dialog.events import (
    Button,
    ButtonEvent,
    CommandEvent,
    ContactEvent,
    Event,
    Reply,
    Sender,
    TextEvent,
    UnsupportedEvent,
)
from clinic.dialog.state import Conversation
from clinic.dialog.understanding import OfflineUnderstander, Understander, Understanding

__all__ = [
    "Button",
    "ButtonEvent",
    "CommandEvent",
    "ContactEvent",
    "Conversation",
    "Dialog",
    "Event",
    "OfflineUnderstander",
    "Reply",
    "Sender",
    "TextEvent",
    "Understander",
    "Understanding",
    "UnsupportedEvent",
]
