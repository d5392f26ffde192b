"""`clinic chat` driven through stdin/stdout against the real API."""

import asyncio
import os
import sys

from httpx import AsyncClient

from tests.conftest import BOT_TOKEN, LiveServer, bot_for

SCRIPT = [
    "нужен стоматолог на следующей неделе",
    "1",  # the first proposed slot
    "1",  # book under the name given with --name
    "1",  # confirm
    "/my",
    "/quit",
]


async def test_terminal_chat_books_an_appointment(demo_clinic: LiveServer) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_URL", "LLM_"))}
    env |= {"CLINIC_API_URL": demo_clinic.url, "CLINIC_API_TOKEN": BOT_TOKEN}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "clinic.cli", "chat", "--user-id", "4242", "--name", "Иван Петров",
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    stdout, stderr = await asyncio.wait_for(
        process.communicate("\n".join(SCRIPT).encode() + b"\n"), timeout=60
    )
    output = stdout.decode()

    assert process.returncode == 0, stderr.decode()
    assert "Здравствуйте" in output
    assert "1. " in output  # buttons shown as numbered choices
    assert "Вы записаны" in output
    async with AsyncClient(base_url=demo_clinic.url, headers=bot_for(4242)) as http:
        page = (await http.get("/appointments", params={"patient_telegram_id": 4242})).json()
    (appointment,) = page["items"]
    assert appointment["patient_name"] == "Иван Петров"
    assert f"№{appointment['id']}" in output  # listed by /my
