"""Webhook mode: Telegram POSTs updates here; its secret-token header proves the sender."""

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from fastapi import FastAPI, Header, HTTPException, Request
from pydantic import ValidationError

from clinic.bot.app import create_bot, create_dispatcher
from clinic.core.body_limit import BodySizeLimit
from clinic.core.settings import Settings
from clinic.dialog.setup import create_client, create_dialog

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def create_webhook_app(
    settings: Settings, *, bot: Bot | None = None, dispatcher: Dispatcher | None = None
) -> FastAPI:
    """The webhook app; registers the webhook with Telegram on start-up."""
    if not settings.webhook_base_url:
        raise RuntimeError("WEBHOOK_BASE_URL is required in webhook mode")
    # Telegram echoes whatever secret we register, so a random one per process is as good as
    # a configured one when none is set (a restart simply registers the new one).
    secret = (
        settings.webhook_secret.get_secret_value()
        if settings.webhook_secret
        else secrets.token_urlsafe(32)
    )
    url = settings.webhook_base_url.rstrip("/") + WEBHOOK_PATH

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with create_client(settings) as api:
            the_bot = bot or create_bot(settings)
            the_dispatcher = dispatcher or create_dispatcher(settings, create_dialog(settings, api))
            app.state.bot, app.state.dispatcher = the_bot, the_dispatcher
            await the_bot.set_webhook(
                url,
                secret_token=secret,
                allowed_updates=the_dispatcher.resolve_used_update_types(),
            )
            context = {"dispatcher": the_dispatcher, **the_dispatcher.workflow_data}
            await the_dispatcher.emit_startup(bot=the_bot, **context)
            try:
                yield
            finally:
                await the_dispatcher.emit_shutdown(bot=the_bot, **context)
                await the_bot.session.close()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    # Telegram's updates are a few kilobytes; anything far larger is refused unread.
    app.add_middleware(BodySizeLimit, max_bytes=settings.webhook_max_body_bytes)

    @app.post(WEBHOOK_PATH)
    async def receive(
        request: Request,
        token: Annotated[str | None, Header(alias=SECRET_HEADER)] = None,
    ) -> dict[str, Any]:
        if token is None or not secrets.compare_digest(token.encode(), secret.encode()):
            raise HTTPException(status_code=401, detail="bad secret token")
        the_bot: Bot = request.app.state.bot
        the_dispatcher: Dispatcher = request.app.state.dispatcher
        try:
            update = Update.model_validate(await request.json(), context={"bot": the_bot})
        # Not JSON, nested past the parser's recursion limit, or not an update.
        except (ValueError, RecursionError, ValidationError):
            raise HTTPException(status_code=400, detail="not a Telegram update") from None
        await the_dispatcher.feed_update(the_bot, update)
        return {"ok": True}

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
