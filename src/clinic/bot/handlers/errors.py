"""Unexpected errors: logged by type only (a message could quote the patient)."""

import logging

from aiogram import Router
from aiogram.types import ErrorEvent

log = logging.getLogger(__name__)


async def on_error(event: ErrorEvent) -> bool:
    log.error("update %s failed: %s", event.update.update_id, type(event.exception).__name__)
    return True


def create_router() -> Router:
    """A new router per dispatcher: aiogram attaches a router to one parent only."""
    router = Router(name="errors")
    router.errors.register(on_error)
    return router
