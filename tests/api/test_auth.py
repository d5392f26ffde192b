"""Tokens: configured roles, the generated local token, and production's refusal to guess."""

from pathlib import Path

import pytest

from clinic.api.app import create_app
from clinic.api.auth import configured_tokens, local_token_path, role_for
from clinic.core.errors import Unauthorized
from clinic.core.settings import BOT_SECRETS, Settings
from clinic.dialog.setup import api_token


def test_configured_tokens_map_to_roles() -> None:
    settings = Settings(api_tokens="admin:s3cret, bot:an0ther")
    assert configured_tokens(settings) == {"s3cret": "admin", "an0ther": "bot"}


def test_malformed_token_list_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="API_TOKENS"):
        Settings(api_tokens="root:x").parsed_api_tokens()


def test_local_mode_generates_and_keeps_an_admin_and_a_bot_token(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, api_tokens="")
    first = configured_tokens(settings)
    second = configured_tokens(settings)
    assert first == second
    assert sorted(first.values()) == ["admin", "bot"]
    for token, role in first.items():
        path = local_token_path(settings, role)
        assert path.read_text().strip() == token
        assert path.stat().st_mode & 0o077 == 0  # readable by the owner only


def test_the_local_bot_and_chat_use_the_bot_token(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, api_tokens="", clinic_api_token=None)
    tokens = configured_tokens(settings)
    assert tokens[api_token(settings)] == "bot"


def test_production_refuses_to_start_without_tokens(tmp_path: Path) -> None:
    settings = Settings(environment="production", data_dir=tmp_path, api_tokens="")
    with pytest.raises(RuntimeError, match="API_TOKENS"):
        create_app(settings)


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer", "Bearer wrong"])
def test_bad_authorization_headers_are_401(header: str | None) -> None:
    with pytest.raises(Unauthorized):
        role_for({"right": "admin"}, header)


def test_production_lists_every_missing_secret(tmp_path: Path) -> None:
    settings = Settings(environment="production", data_dir=tmp_path, api_tokens="admin:x")
    with pytest.raises(RuntimeError) as refused:
        create_app(settings)
    message = str(refused.value)
    for name in ("DATABASE_URL", "ADMIN_PASSWORD", "SESSION_SECRET"):
        assert name in message
    assert "API_TOKENS" not in message  # that one is set


def test_production_bot_needs_its_tokens() -> None:
    settings = Settings(environment="production", clinic_api_token="bot-token")
    with pytest.raises(RuntimeError, match="TELEGRAM_BOT_TOKEN"):
        settings.refuse_insecure_production(BOT_SECRETS)
