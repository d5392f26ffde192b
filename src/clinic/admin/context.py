"""What every staff screen needs: the settings, the database, and who writes in the history."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from clinic.admin.sessions import AppSessionMaker
from clinic.appointments.models import AppointmentSource
from clinic.appointments.service import Actor
from clinic.core.settings import Settings

# Every change made in the staff UI is recorded in the appointment history as `admin`.
ADMIN_ACTOR = Actor(role="admin", source=AppointmentSource.admin)


@dataclass(frozen=True)
class UIContext:
    settings: Settings
    sessions: AppSessionMaker

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.tz
