"""One message to a patient from a worker job, sent at most once.

The caller has already claimed the message in PostgreSQL; this only sends it. Telegram's 429
says the message was refused outright, so waiting and sending again cannot make a second copy;
any other failure may have delivered it, so it is not retried.
"""

import asyncio

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter

from clinic.bot.render import markup
from clinic.dialog.events import Reply

MAX_RETRY_AFTER_SECONDS = 30.0
SEND_ATTEMPTS = 3


async def send_claimed(bot: Bot, chat_id: int, reply: Reply) -> int | str:
    """The sent message's id, or the name of the failure that stopped it."""
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            message = await bot.send_message(
                chat_id=chat_id, text=reply.text, reply_markup=markup(reply)
            )
        except TelegramRetryAfter as refused:
            if attempt == SEND_ATTEMPTS or refused.retry_after > MAX_RETRY_AFTER_SECONDS:
                break
            await asyncio.sleep(refused.retry_after)
        except (TelegramAPIError, OSError, TimeoutError) as error:
            return type(error).__name__
        else:
            return message.message_id
    return "TelegramRetryAfter"
