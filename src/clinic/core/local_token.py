"""The API token of a local install: generated once and kept in the data directory.

Both sides need it: the API accepts it when API_TOKENS is empty, and the bot and the terminal
chat send it when CLINIC_API_TOKEN is unset. Living in `core`, it keeps the client side free
of server imports.
"""

import secrets
from pathlib import Path

from clinic.core.settings import Role, Settings

LOCAL_TOKEN_FILE = "api-token"
# The bot and the terminal chat act for one patient at a time, as in production: with a
# `bot` token of their own, not the admin's.
LOCAL_TOKEN_FILES: dict[Role, str] = {"admin": LOCAL_TOKEN_FILE, "bot": "api-token-bot"}


def local_token_path(settings: Settings, role: Role = "admin") -> Path:
    return settings.data_dir / LOCAL_TOKEN_FILES[role]


def ensure_local_token(settings: Settings, role: Role = "admin") -> str:
    """A token of a local install for this role: generated once, kept in the data
    directory."""
    path = local_token_path(settings, role)
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    path.write_text(token + "\n")
    path.chmod(0o600)
    return token
