"""The booking conversation, independent of any transport (Telegram, terminal).

Four rooms, as in Rasa: an understander turns a message into a dialogue act (`acts`,
`offline`, `llm_understanding`), the tracker is plain data (`state`), the policy is a table
(`policy`), and actions are the only side effects (`booking`, `mine`, `asides`). The engine
(`engine.Dialog`) runs one turn through them.
"""

from clinic.dialog.acts import Act, Intent
from clinic.dialog.clinic import ClinicInfo
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
from clinic.dialog.offline import OfflineUnderstander
from clinic.dialog.state import Conversation
from clinic.dialog.understanding import TurnContext, Understander

__all__ = [
    "Act",
    "Button",
    "ButtonEvent",
    "ClinicInfo",
    "CommandEvent",
    "ContactEvent",
    "Conversation",
    "Dialog",
    "Event",
    "Intent",
    "OfflineUnderstander",
    "Reply",
    "Sender",
    "TextEvent",
    "TurnContext",
    "Understander",
    "UnsupportedEvent",
]
