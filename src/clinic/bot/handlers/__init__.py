"""Handler routers, one per module."""

from aiogram import Router

from clinic.bot.handlers import callbacks, commands, errors, messages


def get_routers() -> list[Router]:
    # Commands first: "/start" is also text, and the text handler would take it.
    return [
        errors.create_router(),
        commands.create_router(),
        callbacks.create_router(),
        messages.create_router(),
    ]
