"""One turn: load the chat's state from FSM storage, run the dialog, save, send the replies."""

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import User
from pydantic import ValidationError

from clinic.bot.render import markup
from clinic.dialog import Conversation, Dialog, Event, Sender

_KEY = "conversation"


def sender_of(user: User) -> Sender:
    return Sender(id=user.id, name=user.full_name, language_code=user.language_code)


async def converse(
    event: Event, *, chat_id: int, bot: Bot, state: FSMContext, dialog: Dialog
) -> None:
    """Runs under aiogram's events isolation, so one user's updates never interleave here."""
    stored = (await state.get_data()).get(_KEY)
    try:
        conversation = Conversation.model_validate(stored) if stored else None
    except ValidationError:
        # State written by an older, incompatible version: start afresh rather than fail.
        conversation = None
    replies, updated = await dialog.handle(event, conversation)
    # Saved before sending: if Telegram fails mid-way, the patient still continues correctly.
    await state.update_data({_KEY: updated.model_dump(mode="json")})
    for reply in replies:
        await bot.send_message(chat_id=chat_id, text=reply.text, reply_markup=markup(reply))
