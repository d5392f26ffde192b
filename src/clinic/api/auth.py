"""Bearer tokens with roles: `admin` manages everything, `bot` books on behalf of patients."""

import hmac
import logging
import secrets
from pathlib import Path

from clinic.core.errors import Forbidden, Unauthorized
from clinic.core.settings import Role, Settings

log = logging.getLogger(__name__)

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


def configured_tokens(settings: Settings) -> dict[str, Role]:
    """Tokens from API_TOKENS; without any, a local install gets a generated admin token.

    Production never gets here without tokens: create_app refuses to start first.
    """
    return settings.parsed_api_tokens() or {ensure_local_token(settings): "admin"}


def role_for(tokens: dict[str, Role], authorization: str | None) -> Role:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("send `Authorization: Bearer <token>`")
    # Compare against every token in constant time, so timing reveals nothing.
    role: Role | None = None
    for known, known_role in tokens.items():
        if hmac.compare_digest(known.encode(), token.strip().encode()):
            role = known_role
    if role is None:
        raise Unauthorized("unknown token")
    return role


def require_admin_role(role: Role) -> None:
    if role != "admin":
        raise Forbidden("this needs the admin role")
