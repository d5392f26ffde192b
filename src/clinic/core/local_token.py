"""The API token of a local install: generated once and kept in the data directory.

Both sides need it: the API accepts it when API_TOKENS is empty, and the bot and the terminal
chat send it when CLINIC_API_TOKEN is unset. Living in `core`, it keeps the client side free
of server imports.
"""

import secrets
from pathlib import Path

from clinic.core.settings import Settings

LOCAL_TOKEN_FILE = "api-token"


def local_token_path(settings: Settings) -> Path:
    return settings.data_dir / LOCAL_TOKEN_FILE


def ensure_local_token(settings: Settings) -> str:
    """The admin token of a local install: generated once, kept in the data directory."""
    path = local_token_path(settings)
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    path.write_text(token + "\n")
    path.chmod(0o600)
    return token
