"""What the assistant says about the clinic itself: its name, address, zone, crisis line."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from clinic.core.phones import DEFAULT_REGION
from clinic.dialog.events import Lang

DEFAULT_HELPLINE = "+7 495 989-50-50"


@dataclass(frozen=True)
class ClinicInfo:
    """`name`/`address` are shown in English; the `_ru` ones, when set, in Russian."""

    name: str
    address: str
    tz: ZoneInfo
    name_ru: str | None = None
    address_ru: str | None = None
    crisis_helpline: str = DEFAULT_HELPLINE
    phone_region: str = DEFAULT_REGION

    def name_for(self, lang: Lang) -> str:
        return self.name_ru if lang == "ru" and self.name_ru else self.name

    def address_for(self, lang: Lang) -> str:
        return self.address_ru if lang == "ru" and self.address_ru else self.address
