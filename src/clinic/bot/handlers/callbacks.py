"""Inline button presses."""

from contextlib import suppress

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InaccessibleMessage, Message

from clinic.bot.conversation import converse, sender_of
from clinic.dialog import ButtonEvent, Dialog


async def on_button(query: CallbackQuery, bot: Bot, state: FSMContext, dialog: Dialog) -> None:
    # Answer first, so the patient's client stops its spinner whatever happens next.
    await query.answer()
    message = query.message
    if query.data is None or message is None or isinstance(message, InaccessibleMessage):
        return
    await _mark_pressed(message, query.data)
    event = ButtonEvent(data=query.data, sender=sender_of(query.from_user))
    await converse(event, chat_id=message.chat.id, bot=bot, state=state, dialog=dialog)


async def _mark_pressed(message: Message, data: str) -> None:
    """Replace the buttons with the choice made: the chat reads as a record, and an old
    button cannot be pressed twice."""
    keyboard = message.reply_markup.inline_keyboard if message.reply_markup else []
    label = next((b.text for row in keyboard for b in row if b.callback_data == data), None)
    if label is None or message.text is None:
        return
    # A message too old to edit is no reason to drop the patient's choice.
    with suppress(TelegramAPIError):
        await message.edit_text(f"{message.text}\n\n» {label}", reply_markup=None)


def create_router() -> Router:
    """A new router per dispatcher: aiogram attaches a router to one parent only."""
    router = Router(name="callbacks")
    router.callback_query.register(on_button)
    return router
