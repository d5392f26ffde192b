"""DATABASE_URL in any common spelling ends up as one asyncpg URL; other databases are refused."""

import pytest

from clinic.core.database import async_url


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
