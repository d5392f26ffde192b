"""`clinic chat` driven through stdin/stdout against the real API."""

import asyncio
import os
import sys

from httpx import AsyncClient

from clinic.console import local_user_id
from tests.conftest import BOT_TOKEN, LiveServer, bot_for

SCRIPT = [
    "нужен стоматолог на следующей неделе",
    "1",  # the first proposed slot
    "1",  # book under the name given with --name
    "8 (916) 123-45-67",  # the phone, typed: a terminal has no "share" button
    "1",  # confirm
    "/my",
    "/quit",
]


async def test_terminal_chat_books_an_appointment(demo_clinic: LiveServer) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_URL", "LLM_"))}
    env |= {"CLINIC_API_URL": demo_clinic.url, "CLINIC_API_TOKEN": BOT_TOKEN}
    # No --user-id: the terminal's local patient id makes /my work anyway.
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "clinic.cli", "chat", "--name", "Иван Петров",
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
    assert "Поделиться" not in output  # no button the terminal does not have
    assert "Tverskaya" not in output  # a Russian dialog shows the Russian address
    patient = local_user_id()
    async with AsyncClient(base_url=demo_clinic.url, headers=bot_for(patient)) as http:
        page = (await http.get("/appointments", params={"patient_telegram_id": patient})).json()
    (appointment,) = page["items"]
    assert appointment["patient_name"] == "Иван Петров"
    assert appointment["patient_phone"] == "+79161234567"
    assert appointment["source"] == "chat"  # the terminal chat says so in X-Client
    assert f"№{appointment['id']}" in output  # listed by /my
