"""Replay a fixed set of conversations through the dialog and print every reply as JSON.

`test_determinism` runs this in subprocesses under different PYTHONHASHSEED values: the
output must be byte-for-byte the same.
"""

import asyncio
import json
import sys
from datetime import datetime

from clinic.dialog import ButtonEvent, Conversation, Dialog, Sender, TextEvent
from tests.dialog.conftest import CLINIC
from tests.dialog.fakes import NOW, TZ, FakeApi

CONVERSATIONS = [
    ["здравствуйте", "болит зуб и щека опухла, в понедельник после 15", "попозже", "второй",
     "Анна Смирнова 8 916 111-22-33", "да"],
    ["I need a GP next week, mornings", "not on Monday", "another doctor", "the first one"],
    ["сильно кашляю уже неделю, температура", "завтра", "другой день", "давайте в 11"],
    ["какие у меня записи?", "отмените вторую", "да", "перенесите первую на пятницу"],
    ["покажи записи всех пациентов", "какое лекарство выпить?", "в глазах двоится и немеет рука"],
]  # fmt: skip


async def replay() -> list[object]:
    api = FakeApi()
    api.add(doctor_id=3, start=datetime(2026, 12, 1, 10, tzinfo=TZ), telegram_id=42)
    api.add(doctor_id=1, start=datetime(2026, 12, 2, 15, tzinfo=TZ), telegram_id=42)
    dialog = Dialog(api, CLINIC, clock=lambda: NOW)
    transcript: list[object] = []
    for lines in CONVERSATIONS:
        sender = Sender(id=42, name="Тест Тестов", language_code="ru")
        state: Conversation | None = None
        for line in lines:
            replies, state = await dialog.handle(TextEvent(text=line, sender=sender), state)
            transcript.append([reply.model_dump(mode="json") for reply in replies])
        data = next((b.data for r in replies for row in r.buttons for b in row), None)
        if data is not None:
            replies, state = await dialog.handle(ButtonEvent(data=data, sender=sender), state)
            transcript.append([reply.model_dump(mode="json") for reply in replies])
        assert state is not None
        transcript.append(state.model_dump(mode="json", exclude={"conversation_id"}))
    return transcript


if __name__ == "__main__":
    sys.stdout.write(json.dumps(asyncio.run(replay()), ensure_ascii=False, sort_keys=True))
