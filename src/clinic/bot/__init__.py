"""The Telegram adapter (aiogram 3): updates in, dialog events out, replies back as messages."""
