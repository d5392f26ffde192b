"""/start, /help, /my, /cancel."""

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from clinic.bot.conversation import converse, sender_of
from clinic.dialog import CommandEvent, Dialog


async def on_command(
    message: Message, command: CommandObject, bot: Bot, state: FSMContext, dialog: Dialog
) -> None:
    if message.from_user is None:
        return
    name = command.command.lower()
    assert name in ("start", "help", "my", "cancel")
    event = CommandEvent(name=name, sender=sender_of(message.from_user))
    await converse(event, chat_id=message.chat.id, bot=bot, state=state, dialog=dialog)


def create_router() -> Router:
    """A new router per dispatcher: aiogram attaches a router to one parent only."""
    router = Router(name="commands")
    router.message.filter(F.chat.type == "private")
    router.message.register(on_command, Command("start", "help", "my", "cancel"))
    return router
