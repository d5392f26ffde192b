"""The staff UI's languages: Russian by default (ADMIN_LANGUAGE), English a click away.

SQLAdmin picks each request's language: its switcher keeps a user's choice in a cookie, and
without one the setting decides (not the browser's Accept-Language: a clinic in Russia runs
in Russian whatever the computer's locale). Our own texts come from `locale/<language>.po`,
with SQLAdmin's catalogue behind them for its buttons. Dates and times have one format in
both languages, `31.12.2026 09:00`, always in clinic time.
"""

from collections.abc import Mapping
from datetime import date, datetime, time
from functools import partial
from io import BytesIO
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

from babel.dates import format_date, get_day_names, get_month_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment
from markupsafe import escape
from sqladmin import i18n as sqladmin_i18n
from sqladmin.i18n import I18nConfig

from clinic.core.settings import Settings

LANGUAGES: Final = ("ru", "en")
LANGUAGE_COOKIE = "clinic_language"
LOCALE_DIR = Path(__file__).parent / "locale"

DAY_FORMAT = "%d.%m.%Y"
CLOCK_FORMAT = "%H:%M"


def _catalogue(language: str) -> NullTranslations:
    """Our texts for `language`, falling back to SQLAdmin's own. English is the source text,
    so it needs no file of its own."""
    sqladmin_own = sqladmin_i18n.translations[language]
    path = LOCALE_DIR / f"{language}.po"
    if not path.exists():
        return sqladmin_own
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    ours = Translations(compiled)
    ours.add_fallback(sqladmin_own)
    return ours


CATALOGUES: Final = {language: _catalogue(language) for language in LANGUAGES}


def i18n_config(settings: Settings) -> I18nConfig:
    return I18nConfig(
        default_locale=settings.admin_language,
        language_cookie_name=LANGUAGE_COOKIE,
        language_header_name=None,
        language_switcher=list(LANGUAGES),
    )


def current_language() -> str:
    """The language of the request being served (SQLAdmin's middleware sets it)."""
    language = sqladmin_i18n.get_locale()
    return language if language in CATALOGUES else LANGUAGES[0]


def gettext(message: str) -> str:
    return CATALOGUES[current_language()].gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return CATALOGUES[current_language()].ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a text for the catalogue that is translated elsewhere, by `gettext(variable)`."""
    return message


class LazyText:
    """A text translated whenever it is shown. Hashable, unlike babel's LazyProxy: SQLAdmin
    keys dictionaries by its labels."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return gettext(self.message)

    def __html__(self) -> str:
        return escape(str(self))

    def __repr__(self) -> str:
        return f"LazyText({self.message!r})"

    def __hash__(self) -> int:
        return hash(self.message)

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __mod__(self, values: Mapping[str, object]) -> str:
        return str(self) % values


def lazy(message: str) -> str:
    """A text translated when shown, for class attributes read at every request."""
    # Typed as the str it renders as: SQLAdmin's attributes (name, labels) are declared str.
    text: Any = LazyText(message)
    return text  # type: ignore[no-any-return]


# -- one format for dates and times, in clinic time ----------------------------------------


def day_text(value: date) -> str:
    return value.strftime(DAY_FORMAT)


def clock_text(value: time | datetime) -> str:
    return value.strftime(CLOCK_FORMAT)


def moment_text(value: datetime, tz: ZoneInfo) -> str:
    local = value.astimezone(tz)
    return f"{day_text(local)} {clock_text(local)}"


def weekday_text(value: date, width: str = "wide") -> str:
    """The weekday's name in the current language: "четверг" or "чт" (width "abbreviated")."""
    pattern = "EEEE" if width == "wide" else "EEE"
    return format_date(value, pattern, locale=current_language())


def weekday_names() -> list[str]:
    """Monday … Sunday in the current language, capitalised as in a list."""
    names = get_day_names("wide", locale=current_language())
    return [names[day][:1].upper() + names[day][1:] for day in range(7)]


def picker_locale() -> dict[str, Any]:
    """flatpickr's texts in the current language (its Russian locale is not in SQLAdmin's copy)."""
    language = current_language()
    weekdays = get_day_names("abbreviated", locale=language)
    weekdays_long = get_day_names("wide", locale=language)
    months = get_month_names("wide", context="stand-alone", locale=language)
    months_short = get_month_names("abbreviated", context="stand-alone", locale=language)
    # flatpickr counts weekdays from Sunday; babel from Monday (0).
    sunday_first = [6, 0, 1, 2, 3, 4, 5]
    return {
        "firstDayOfWeek": 1,
        "weekdays": {
            "shorthand": [weekdays[d] for d in sunday_first],
            "longhand": [weekdays_long[d] for d in sunday_first],
        },
        "months": {
            "shorthand": [months_short[m] for m in range(1, 13)],
            "longhand": [months[m].capitalize() for m in range(1, 13)],
        },
        "time_24hr": True,
    }


def install(env: Environment, tz: ZoneInfo) -> None:
    """Our catalogue and formats in the staff UI's templates (SQLAdmin's included)."""
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True
    )
    env.globals["current_language"] = current_language
    env.globals["clinic_tz"] = tz
    env.globals["picker_locale"] = picker_locale
    env.filters["day"] = day_text
    env.filters["clock"] = partial(_local_clock, tz=tz)
    env.filters["moment"] = partial(moment_text, tz=tz)
    env.filters["weekday"] = weekday_text


def _local_clock(value: time | datetime, tz: ZoneInfo) -> str:
    return clock_text(value.astimezone(tz) if isinstance(value, datetime) else value)
