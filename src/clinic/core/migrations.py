"""Run the Alembic migrations from code (the `clinic migrate` command and the tests)."""

from pathlib import Path

from alembic import command
from alembic.config import Config

# The repository root holds alembic.ini and migrations/; the package lives in src/clinic.
PROJECT_ROOT = Path(__file__).resolve().parents[3]


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    if url is not None:
        config.attributes["url"] = url
    return config


def upgrade_head(url: str | None = None) -> None:
    command.upgrade(alembic_config(url), "head")
