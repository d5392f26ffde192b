"""`clinic bot`: long polling by default, or a webhook behind FastAPI."""

import asyncio
import logging

from clinic.bot.app import create_bot, create_dispatcher
from clinic.core.settings import BOT_SECRETS, Settings
from clinic.dialog.setup import create_client, create_dialog

log = logging.getLogger(__name__)


def run_bot(settings: Settings) -> None:
    webhook = ("webhook_base_url", "webhook_secret") if settings.bot_mode == "webhook" else ()
    settings.refuse_insecure_production((*BOT_SECRETS, *webhook))
    # httpx logs every request URL at INFO; query strings are derived from what patients
    # wrote (dates, their Telegram id), so keep them out of the logs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if settings.bot_metrics_port is not None:
        # The bot is a process of its own: its LLM counters are served here, not by the API.
        from clinic.assistant.llm_metrics import serve_metrics

        serve_metrics(settings.bot_metrics_host, settings.bot_metrics_port)
    if settings.bot_mode == "webhook":
        _run_webhook(settings)
    else:
        asyncio.run(_run_polling(settings))


async def _run_polling(settings: Settings) -> None:
    async with create_client(settings) as api:
        bot = create_bot(settings)
        dispatcher = create_dispatcher(settings, create_dialog(settings, api))
        # A webhook left over from webhook mode would make getUpdates fail.
        await bot.delete_webhook(drop_pending_updates=False)
        # aiogram stops polling on SIGTERM/SIGINT, runs the shutdown hooks and closes the
        # Bot API session; leaving this block then closes the clinic API client.
        await dispatcher.start_polling(bot, handle_signals=True, close_bot_session=True)


def _run_webhook(settings: Settings) -> None:
    import uvicorn

    from clinic.bot.webhook import create_webhook_app

    uvicorn.run(
        create_webhook_app(settings),
        host=settings.webhook_host,
        port=settings.webhook_port,
        log_level=settings.log_level.lower(),
    )
