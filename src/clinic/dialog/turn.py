"""One turn being answered, and the services actions may use (the API, the clinic)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from clinic.client import ClinicApi
from clinic.dialog.acts import Act
from clinic.dialog.clinic import ClinicInfo
from clinic.dialog.directory import Directory
from clinic.dialog.events import Reply, Sender
from clinic.dialog.replies import Screens
from clinic.dialog.search import Search
from clinic.dialog.state import Conversation
from clinic.dialog.texts import t


@dataclass(frozen=True)
class Services:
    """What actions may use; one per dialog, shared by every chat."""

    api: ClinicApi
    clinic: ClinicInfo
    directory: Directory
    screens: Screens
    clock: Callable[[], datetime]

    def search(self) -> Search:
        return Search(self.api, self.clinic.tz, self.clock())

    def today(self) -> date:
        return self.clock().astimezone(self.clinic.tz).date()


@dataclass
class Turn:
    """One event being answered: the state (changed in place), the act, who wrote."""

    services: Services
    s: Conversation
    act: Act
    sender: Sender
    text: str = ""  # the patient's words, for the booking's reason ("" for a button)

    @property
    def screens(self) -> Screens:
        return self.services.screens

    def say(self, key: str, **values: object) -> Reply:
        return Reply(text=t(self.s.lang, key, **values))


def restart(s: Conversation, *, keep_emergency: bool = True) -> None:
    """Start a new booking conversation in place; the patient's contact details stay."""
    fresh = s.fresh()
    if not keep_emergency:
        fresh.emergency, fresh.despair = None, False
    for field in Conversation.model_fields:
        setattr(s, field, getattr(fresh, field))
