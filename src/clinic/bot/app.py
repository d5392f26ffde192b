"""Assemble the bot: Bot API session, FSM storage, events isolation, routers, dialog."""

import logging
from datetime import timedelta

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import BotCommand

from clinic.bot.handlers import get_routers
from clinic.bot.inflight import InFlight
from clinic.bot.ratelimit import PatientRateLimit, SharedPatientRateLimit
from clinic.core.settings import Settings
from clinic.dialog import Dialog

log = logging.getLogger(__name__)

# An abandoned conversation is forgotten after a month, so Redis does not grow forever.
CONVERSATION_TTL = timedelta(days=30)
SHUTDOWN_GRACE_SECONDS = 15.0

COMMANDS = {
    "ru": [
        BotCommand(command="start", description="Записаться к врачу"),
        BotCommand(command="my", description="Мои записи"),
        BotCommand(command="cancel", description="Начать заново"),
        BotCommand(command="help", description="Помощь"),
    ],
    "en": [
        BotCommand(command="start", description="Book a doctor"),
        BotCommand(command="my", description="My appointments"),
        BotCommand(command="cancel", description="Start over"),
        BotCommand(command="help", description="Help"),
    ],
}


def create_bot(settings: Settings) -> Bot:
    if settings.telegram_bot_token is None:
        raise RuntimeError("TELEGRAM_BOT_TOKEN is not set (get one from @BotFather)")
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    return Bot(settings.telegram_bot_token.get_secret_value(), session=session)


def create_storage(settings: Settings) -> tuple[BaseStorage, BaseEventIsolation]:
    """Redis when REDIS_URL is set: conversations survive restarts and several processes
    share the load, with a Redis lock per user; otherwise memory and an in-process lock."""
    if settings.redis_url:
        storage = RedisStorage.from_url(
            settings.redis_url, state_ttl=CONVERSATION_TTL, data_ttl=CONVERSATION_TTL
        )
        return storage, storage.create_isolation()
    return MemoryStorage(), SimpleEventIsolation()


def create_rate_limit(settings: Settings, storage: BaseStorage) -> PatientRateLimit:
    """Shared through Redis when the conversations are (several bot processes), else in
    this process."""
    burst, per_minute = settings.bot_rate_limit_burst, settings.bot_rate_limit_per_minute
    if isinstance(storage, RedisStorage):
        return SharedPatientRateLimit(storage.redis, burst, per_minute)
    return PatientRateLimit(burst, per_minute)


def create_dispatcher(settings: Settings, dialog: Dialog) -> Dispatcher:
    storage, isolation = create_storage(settings)
    # The FSM middleware (which takes each user's lock) is registered below by hand, so the
    # in-flight tracker and the rate limit can sit outside it.
    dispatcher = Dispatcher(storage=storage, events_isolation=isolation, disable_fsm=True)
    dispatcher.include_routers(*get_routers())
    dispatcher["dialog"] = dialog  # handlers receive it as the `dialog` argument
    in_flight = InFlight()
    # Outer middlewares run in the order registered: an update counts as in flight until
    # the FSM has saved its state and released the user's lock; a flooded update is dropped
    # before it takes the lock or touches storage.
    dispatcher.update.outer_middleware(in_flight)
    dispatcher.update.outer_middleware(create_rate_limit(settings, storage))
    dispatcher.update.outer_middleware(dispatcher.fsm)
    dispatcher["in_flight"] = in_flight
    dispatcher.startup.register(_on_startup)
    # First of the shutdown hooks: the Dispatcher registered the FSM's close (storage and
    # locks) when it was made, and that must wait until the in-flight updates are done.
    dispatcher.shutdown.handlers.insert(0, HandlerObject(callback=_drain))
    dispatcher.shutdown.register(_on_shutdown)
    return dispatcher


async def _on_startup(bot: Bot) -> None:
    for lang, commands in COMMANDS.items():
        await bot.set_my_commands(commands, language_code=None if lang == "ru" else lang)
    log.info("bot started")


async def _drain(in_flight: InFlight) -> None:
    if not await in_flight.drained(SHUTDOWN_GRACE_SECONDS):
        log.warning("shutting down with updates still being handled")


async def _on_shutdown() -> None:
    # The storage and the locks were closed by the FSM's own hook, after the drain.
    log.info("bot stopped")
