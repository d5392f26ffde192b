"""Unexpected errors: logged by type only (a message could quote the patient)."""

import logging

from aiogram import Router
from aiogram.types import ErrorEvent

log = logging.getLogger(__name__)
router = Router(name="errors")


@router.errors()
async def on_error(event: ErrorEvent) -> bool:
    log.error("update %s failed: %s", event.update.update_id, type(event.exception).__name__)
    return True
