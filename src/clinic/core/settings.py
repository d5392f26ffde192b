"""All configuration in one place, read from the environment (and a `.env` file)."""

import ipaddress
from datetime import timedelta
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Role = Literal["admin", "bot"]

# What each process cannot run without in production (a default password counts as missing).
API_SECRETS = ("database_url", "api_tokens", "admin_password", "session_secret")
BOT_SECRETS = ("clinic_api_token", "telegram_bot_token")
DEFAULT_POOL_SIZE = 10


class Settings(BaseSettings):
    # Empty values count as unset, so a copied .env.example leaves the defaults in force.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)

    environment: Literal["local", "production"] = Field(
        default="local",
        description="`production` refuses to start without explicit secrets.",
    )
    database_url: SecretStr | None = Field(
        default=None,
        description="PostgreSQL URL; unset means an embedded PostgreSQL in DATA_DIR.",
    )
    database_pool_size: int = Field(
        default=DEFAULT_POOL_SIZE,
        ge=1,
        le=200,
        description="Database connections per pool of an API process (bookings and slot "
        "searches have a pool of their own, everything else another), all kept open; size it "
        "to the requests one process serves at once (PostgreSQL's max_connections bounds the "
        "sum).",
    )
    data_dir: Path = Field(
        default=Path(".data"),
        description="Embedded PostgreSQL data and the generated local API token.",
    )
    clinic_timezone: str = Field(default="Europe/Moscow", description="IANA zone of the clinic.")
    clinic_name: str = Field(
        default="Clinic Appointments demo clinic", description="Shown to English speakers."
    )
    clinic_address: str = Field(
        default="Moscow, Tverskaya st. 1", description="Shown to English speakers."
    )
    clinic_name_ru: str = Field(
        default="Демо-клиника Clinic Appointments", description="Shown to Russian speakers."
    )
    clinic_address_ru: str = Field(
        default="Москва, ул. Тверская, 1", description="Shown to Russian speakers."
    )
    phone_region: str = Field(
        default="RU", description="Region of phone numbers written without a country code."
    )
    min_notice_minutes: int = Field(default=30, ge=0, description="Earliest booking from now.")
    booking_horizon_days: int = Field(default=60, ge=1, description="Latest booking from now.")
    hold_minutes: int = Field(
        default=10,
        ge=1,
        le=240,
        description="How long a held slot (POST /holds, a waitlist offer) stays the patient's.",
    )
    database_connect_timeout_seconds: float = Field(
        default=3.0, gt=0, description="Connecting, or waiting for a free pooled connection."
    )
    database_statement_timeout_seconds: float = Field(
        default=5.0, gt=0, description="PostgreSQL cancels a statement running longer."
    )
    database_command_timeout_seconds: float = Field(
        default=6.0, gt=0, description="Give up on a database that does not answer (503)."
    )
    api_tokens: SecretStr = Field(
        default=SecretStr(""),
        description="Comma-separated `role:token` pairs, role `admin` or `bot`.",
    )

    api_max_body_bytes: int = Field(
        default=64 * 1024, ge=1024, description="Larger request bodies get 413 unread."
    )

    trusted_proxies: str = Field(
        default="",
        description="Reverse proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-* "
        "headers count; empty trusts none.",
    )

    server_keep_alive_seconds: int = Field(
        default=5, ge=1, description="Close a keep-alive connection idle this long."
    )
    server_header_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Close a connection whose request head is this late."
    )
    server_max_concurrency: int = Field(
        default=1000, ge=1, description="Connections and requests at once; more get 503."
    )
    server_backlog: int = Field(default=2048, ge=1, description="Pending TCP connections.")

    # --- Logs -----------------------------------------------------------------------------
    log_level: str = Field(default="INFO", description="Python logging level.")
    log_format: Literal["text", "json"] = Field(default="text", description="`json` for prod.")

    # --- Staff web UI (/admin) -------------------------------------------------------------
    admin_username: str = Field(default="admin", description="Clinic manager's login.")
    admin_password: SecretStr = Field(
        default=SecretStr("admin"), description="Refused in production while it is the default."
    )
    session_secret: SecretStr | None = Field(
        default=None, description="Signs staff sessions; generated per process when unset."
    )
    admin_language: Literal["ru", "en"] = Field(
        default="ru",
        description="Staff UI language (ru or en); each user can switch for themselves.",
    )
    login_max_failures_per_account: int = Field(
        default=5, ge=1, description="Failed logins for one username before a pause."
    )
    login_max_failures_per_address: int = Field(
        default=30, ge=1, description="Failed logins from one address before a pause."
    )
    login_throttle_seconds: int = Field(
        default=900, ge=1, description="The window failures count in, and the pause."
    )

    # --- The booking assistant (Telegram bot, terminal chat) -------------------------------
    clinic_api_url: str = Field(
        default="http://127.0.0.1:8000", description="Where the bot reaches the booking API."
    )
    clinic_api_token: SecretStr | None = Field(
        default=None, description="The bot's `bot` role token; local default: the generated one."
    )
    telegram_bot_token: SecretStr | None = Field(default=None, description="From @BotFather.")
    telegram_api_url: str = Field(
        default="https://api.telegram.org", description="Bot API base URL (a local fake in tests)."
    )
    redis_url: str | None = Field(
        default=None, description="Conversation state in Redis; unset keeps it in memory."
    )
    crisis_helpline: str = Field(
        default="+7 495 989-50-50",
        description="Psychological crisis line given with 112/103 when a patient may self-harm.",
    )
    bot_mode: Literal["polling", "webhook"] = "polling"
    webhook_base_url: str | None = Field(
        default=None, description="Public HTTPS base URL Telegram calls in webhook mode."
    )
    webhook_secret: SecretStr | None = Field(
        default=None, description="Checked against Telegram's secret-token header."
    )
    webhook_max_body_bytes: int = Field(
        default=256 * 1024, ge=1024, description="Larger webhook updates get 413 unread."
    )
    bot_rate_limit_burst: int = Field(
        default=8, ge=1, description="Messages a patient may send at once before a pause."
    )
    bot_rate_limit_per_minute: int = Field(
        default=20, ge=1, description="Messages a patient may send per minute, sustained."
    )
    webhook_host: str = "127.0.0.1"
    webhook_port: int = 8080

    # --- The AI clinic manager (any OpenAI-compatible Chat Completions endpoint) ------------
    llm_enabled: bool = Field(default=True, description="`false` keeps the bot fully offline.")
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    llm_timeout_seconds: float = Field(default=20.0, gt=0)
    llm_output: Literal["tools", "json_schema", "prompted"] = Field(
        default="tools",
        description="How the model answers: `tools` (tool calls; OpenAI, Ollama, vLLM), "
        "`json_schema` (schema-constrained JSON; llama.cpp, small models), `prompted` (JSON "
        "asked for in the prompt; any server).",
    )
    llm_max_tokens: int = Field(
        default=1024, ge=64, description="Cap on one model answer, so a looping model stops."
    )
    bot_metrics_port: int | None = Field(
        default=None, description="Serve the bot's Prometheus metrics on this port; unset: off."
    )
    bot_metrics_host: str = Field(
        default="127.0.0.1", description="Interface of the bot's metrics endpoint."
    )

    # --- The worker (`clinic worker`): background jobs such as reminders ----------------------
    reminder_hours: str = Field(
        default="24,2",
        description="Hours before a visit at which the patient gets a Telegram reminder with "
        "Confirm / Cancel / Reschedule buttons, comma-separated; `off`: no reminders.",
    )
    worker_concurrency: int = Field(
        default=4, ge=1, le=100, description="Jobs one worker process runs at once."
    )

    @field_validator("reminder_hours")
    @classmethod
    def _reminder_hours(cls, value: str) -> str:
        _parse_hours(value)  # raises for a typo, at start-up
        return value

    @property
    def reminder_lead_hours(self) -> tuple[int, ...]:
        """REMINDER_HOURS as numbers, largest first (24, 2)."""
        return _parse_hours(self.reminder_hours)

    @field_validator("phone_region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        import phonenumbers

        if value.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"unknown phone region {value!r} (an ISO 3166 code, e.g. RU)")
        return value.upper()

    @field_validator("trusted_proxies")
    @classmethod
    def _known_networks(cls, value: str) -> str:
        for item in value.split(","):
            if item.strip():
                ipaddress.ip_network(item.strip())  # raises for a typo, at start-up
        return value

    @field_validator("clinic_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        ZoneInfo(value)  # raises for an unknown zone, so a typo fails at start-up
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.clinic_timezone)

    @property
    def llm_configured(self) -> bool:
        """The AI clinic manager is on: enabled, and endpoint, key and model all given."""
        return bool(self.llm_enabled and self.llm_base_url and self.llm_api_key and self.llm_model)

    @property
    def min_notice(self) -> timedelta:
        return timedelta(minutes=self.min_notice_minutes)

    @property
    def booking_horizon(self) -> timedelta:
        return timedelta(days=self.booking_horizon_days)

    def refuse_insecure_production(self, names: tuple[str, ...]) -> None:
        """In production, refuse to start while any of these settings is unset or default."""
        if self.environment != "production":
            return
        missing = [name.upper() for name in names if _is_unset_or_default(self, name)]
        if missing:
            raise RuntimeError(
                f"production needs {', '.join(missing)} set to real values (see .env.example)"
            )

    def parsed_api_tokens(self) -> dict[str, Role]:
        """Map each configured token to its role; a malformed pair is a configuration error."""
        tokens: dict[str, Role] = {}
        for pair in self.api_tokens.get_secret_value().split(","):
            if not pair.strip():
                continue
            role, sep, token = pair.strip().partition(":")
            if not sep or not token or role not in ("admin", "bot"):
                raise ValueError("API_TOKENS must be comma-separated `admin:TOKEN` or `bot:TOKEN`")
            tokens[token] = "admin" if role == "admin" else "bot"
        return tokens


def _is_unset_or_default(settings: Settings, name: str) -> bool:
    def raw(value: object) -> object:
        return value.get_secret_value() if isinstance(value, SecretStr) else value

    value = raw(getattr(settings, name))
    return not value or value == raw(Settings.model_fields[name].default)


def _parse_hours(value: str) -> tuple[int, ...]:
    if value.strip().lower() == "off":
        return ()
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not all(part.isdigit() and 0 < int(part) <= 24 * 14 for part in parts):
        raise ValueError("REMINDER_HOURS must be whole hours from 1 to 336, e.g. 24,2")
    return tuple(sorted({int(part) for part in parts}, reverse=True))


@lru_cache
def get_settings() -> Settings:
    return Settings()
