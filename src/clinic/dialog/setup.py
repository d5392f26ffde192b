"""Build the dialog and its API client from the settings (shared by the bot and the chat)."""

from typing import Literal

from clinic.client import ClinicClient
from clinic.core.local_token import ensure_local_token
from clinic.core.settings import Settings
from clinic.dialog.clinic import ClinicInfo
from clinic.dialog.engine import Dialog
from clinic.dialog.understanding import Understander


def api_token(settings: Settings) -> str:
    """The bot-role token; a local install without one uses its generated bot token."""
    if settings.clinic_api_token is not None:
        return settings.clinic_api_token.get_secret_value()
    if settings.environment == "production":
        raise RuntimeError("CLINIC_API_TOKEN must be set in production (a `bot` role token)")
    return ensure_local_token(settings, "bot")


def create_client(
    settings: Settings, client: Literal["telegram", "chat"] = "telegram"
) -> ClinicClient:
    """The API client of a front end: the Telegram bot, or the terminal chat (`client`
    tells the API which, so bookings are recorded with their source)."""
    return ClinicClient(settings.clinic_api_url, api_token(settings), client=client)


def clinic_info(settings: Settings) -> ClinicInfo:
    return ClinicInfo(
        name=settings.clinic_name,
        address=settings.clinic_address,
        tz=settings.tz,
        name_ru=settings.clinic_name_ru,
        address_ru=settings.clinic_address_ru,
        crisis_helpline=settings.crisis_helpline,
        phone_region=settings.phone_region,
    )


def create_dialog(
    settings: Settings, api: ClinicClient, understander: Understander | None = None
) -> Dialog:
    """The engine for this clinic: the LLM understander when one is configured, else offline."""
    if understander is None and settings.llm_configured:
        # Imported only here: an offline bot never loads the LLM libraries.
        from clinic.dialog.llm_understanding import build_understander

        understander = build_understander(settings, api)
    return Dialog(api, clinic_info(settings), understander)
