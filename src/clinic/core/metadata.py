"""The complete schema: importing this module registers every domain's tables."""

from clinic.admin import models as _admin  # noqa: F401
from clinic.admin import security as _admin_security  # noqa: F401
from clinic.appointments import models as _appointments  # noqa: F401
from clinic.core.models import Base
from clinic.doctors import models as _doctors  # noqa: F401
from clinic.holds import models as _holds  # noqa: F401
from clinic.reminders import models as _reminders  # noqa: F401
from clinic.waitlist import models as _waitlist  # noqa: F401

metadata = Base.metadata
