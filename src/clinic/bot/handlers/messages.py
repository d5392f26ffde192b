"""Text, a shared contact, and everything else (stickers, photos, voice)."""

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from clinic.bot.conversation import converse, sender_of
from clinic.dialog import ContactEvent, Dialog, Event, TextEvent, UnsupportedEvent


async def on_message(message: Message, bot: Bot, state: FSMContext, dialog: Dialog) -> None:
    if message.from_user is None:
        return
    sender = sender_of(message.from_user)
    event: Event
    if message.text is not None:
        event = TextEvent(text=message.text, sender=sender)
    elif message.contact is not None:
        event = ContactEvent(phone=message.contact.phone_number, sender=sender)
    else:
        event = UnsupportedEvent(sender=sender)
    await converse(event, chat_id=message.chat.id, bot=bot, state=state, dialog=dialog)


def create_router() -> Router:
    """A new router per dispatcher: aiogram attaches a router to one parent only."""
    router = Router(name="messages")
    router.message.filter(F.chat.type == "private")
    router.message.register(on_message)
    return router
