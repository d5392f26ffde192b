"""Bearer tokens with roles: `admin` manages everything, `bot` books on behalf of patients."""

import hmac
import logging

from clinic.core.errors import Forbidden, Unauthorized
from clinic.core.local_token import ensure_local_token
from clinic.core.local_token import local_token_path as local_token_path  # for the CLI
from clinic.core.settings import Role, Settings

log = logging.getLogger(__name__)


def configured_tokens(settings: Settings) -> dict[str, Role]:
    """Tokens from API_TOKENS; without any, a local install gets generated ones: an admin
    token, and a bot token for its own bot and terminal chat.

    Production never gets here without tokens: create_app refuses to start first.
    """
    return settings.parsed_api_tokens() or {
        ensure_local_token(settings, "admin"): "admin",
        ensure_local_token(settings, "bot"): "bot",
    }


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
