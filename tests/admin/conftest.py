"""Fixtures of the staff UI: the app on the test's rolled-back transaction, logged-in browsers
of it (httpx with cookies), and staff credentials in the environment."""

import os
import re
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from clinic.admin.sessions import unit_of_work
from clinic.api.app import create_app
from clinic.api.deps import get_session
from clinic.core.settings import Settings

MANAGER = ("manager", "manager-secret-1")


def set_staff_env(monkeypatch: pytest.MonkeyPatch, language: str | None = "en") -> None:
    """The manager's credentials, no session secret, and the screens' default language
    (None: the product's default, Russian)."""
    monkeypatch.setenv("ADMIN_USERNAME", MANAGER[0])
    monkeypatch.setenv("ADMIN_PASSWORD", MANAGER[1])
    monkeypatch.delenv("SESSION_SECRET", raising=False)
    if language is None:
        monkeypatch.delenv("ADMIN_LANGUAGE", raising=False)
    else:
        monkeypatch.setenv("ADMIN_LANGUAGE", language)


def staff_environ(language: str | None = "en") -> dict[str, str]:
    """This process's environment as `staff_env` makes it, for a server that outlives a test."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        set_staff_env(monkeypatch, language)
        return dict(os.environ)


@pytest.fixture
def staff_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # Set before the settings are read (and inherited by a live server subprocess).
    # The screens' behaviour is checked in English, their source language; test_i18n.py and
    # the browser test check the Russian that staff see by default.
    set_staff_env(monkeypatch, "en")


@pytest.fixture
def settings(staff_env: None, settings: Settings) -> Settings:
    return settings


@pytest.fixture
async def ui_app(settings: Settings, engine: AsyncEngine) -> AsyncIterator[FastAPI]:
    """The whole app; the API and the staff UI share one connection whose transaction is
    rolled back after the test (their commits are savepoints)."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        maker = async_sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        app = create_app(settings)
        app.state.sessionmaker = maker

        async def test_session() -> AsyncIterator[AsyncSession]:
            # A context manager, not `async for`: an error in the handler must reach the
            # rollback now, before the next request opens its savepoint on this connection.
            async with unit_of_work(maker) as session:
                yield session

        app.dependency_overrides[get_session] = test_session
        try:
            yield app
        finally:
            await transaction.rollback()


def browser(app: FastAPI) -> AsyncClient:
    return AsyncClient(transport=ASGITransport(app=app), base_url="http://clinic")


@pytest.fixture
async def http(ui_app: FastAPI) -> AsyncIterator[AsyncClient]:
    """Not logged in; also used for the API (with bearer tokens) to set data up."""
    async with browser(ui_app) as client:
        yield client


async def login(client: AsyncClient, username: str, password: str) -> None:
    response = await client.post("/admin/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.text


@pytest.fixture
async def manager(ui_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with browser(ui_app) as client:
        await login(client, *MANAGER)
        yield client


@pytest.fixture
async def second_browser(ui_app: FastAPI) -> AsyncIterator[AsyncClient]:
    """Another cookie jar on the same app, for a second user."""
    async with browser(ui_app) as client:
        yield client


def created_id(location: str) -> int:
    """The id SQLAdmin redirects to after "Save and continue editing"."""
    match = re.search(r"/edit/(\d+)", location)
    assert match, location
    return int(match.group(1))
