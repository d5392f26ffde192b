"""The `clinic` command for real: a served API on loopback, and the demo seed."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from httpx import AsyncClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from clinic.demo.data import DOCTORS, SPECIALTIES
from clinic.demo.seed import seed_demo
from clinic.doctors.models import Doctor
from tests.conftest import BOT_TOKEN, LiveServer
from tests.factories import clinic_today


async def test_served_api_answers_on_loopback(live_api: LiveServer) -> None:
    async with AsyncClient(base_url=live_api.url) as http:
        assert (await http.get("/health")).json() == {"status": "ok"}
        assert (await http.get("/ready")).status_code == 200
        assert (await http.get("/openapi.json")).json()["info"]["title"] == "Clinic Appointments"
        bot_without_patient = {"Authorization": f"Bearer {BOT_TOKEN}"}
        assert (await http.get("/appointments", headers=bot_without_patient)).status_code == 403


async def test_seed_demo_is_idempotent(session: AsyncSession) -> None:
    first = await seed_demo(session, clinic_today())
    second = await seed_demo(session, clinic_today())
    doctors = await session.scalar(select(func.count()).select_from(Doctor))

    assert first["specialties"] == len(SPECIALTIES) == 14
    assert first["doctors"] == len(DOCTORS) >= 20
    assert second == {"specialties": 0, "doctors": 0, "exceptions": 0, "closed_dates": 0}
    assert doctors == len(DOCTORS)


async def test_served_api_shuts_down_cleanly_on_sigterm(fresh_api: LiveServer) -> None:
    async with AsyncClient(base_url=fresh_api.url) as http:
        assert (await http.get("/ready")).status_code == 200
    fresh_api.process.terminate()  # what docker stop and systemd send
    code = await asyncio.to_thread(fresh_api.process.wait, 20)
    stderr = fresh_api.log.read_text()
    # uvicorn finishes in-flight requests and the lifespan (engine disposed), then re-raises
    # the signal it caught, so the process ends "by SIGTERM" after a clean shutdown.
    assert code in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in stderr
    assert "Finished server process" in stderr


def test_serve_on_a_busy_port_says_how_to_choose_another() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "clinic.cli", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "make run PORT=8080" in result.stderr
    assert "Errno" not in result.stderr


async def test_worker_joins_the_queue_and_stops_cleanly_on_sigterm(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    """`clinic worker`, as compose runs it: it registers with the job engine in PostgreSQL
    (through the schema migration 0006 made) and leaves on SIGTERM."""
    log = tmp_path / "worker.log"
    process = _start_worker(database_url, "cli-test", log)
    try:
        for _ in range(1200):  # a ceiling: a busy machine starts Python slowly
            assert process.poll() is None, log.read_text()
            async with engine.connect() as connection:
                workers = await connection.scalar(
                    text("SELECT count(*) FROM procrastinate.procrastinate_workers")
                )
            if workers:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError(f"the worker never registered:\n{log.read_text()}")
    finally:
        process.terminate()
        code = await asyncio.to_thread(process.wait, 30)
    assert code == 0, log.read_text()
    assert "worker cli-test stopped" in log.read_text()


async def test_worker_stopped_while_starting_still_stops_cleanly(
    database_url: str, tmp_path: Path
) -> None:
    """A SIGTERM right after start-up, before the job engine has its own handlers, is a
    clean stop too (procrastinate installs them only after registering the worker)."""
    log = tmp_path / "worker.log"
    process = _start_worker(database_url, "early-stop", log)
    try:
        for _ in range(6000):  # a ceiling: a busy machine starts Python slowly
            assert process.poll() is None, log.read_text()
            if "worker early-stop started" in log.read_text():
                break
            await asyncio.sleep(0.01)
        else:
            raise AssertionError(f"the worker never started:\n{log.read_text()}")
    finally:
        process.terminate()
        code = await asyncio.to_thread(process.wait, 30)
    assert code == 0, log.read_text()
    assert "worker early-stop stopped" in log.read_text()


def _start_worker(database_url: str, name: str, log: Path) -> subprocess.Popen[bytes]:
    """`clinic worker` in a process of its own, its output in `log`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "REMINDER_"))}
    env |= {
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "local",
        "TELEGRAM_BOT_TOKEN": "123456:TEST-token",
        "TELEGRAM_API_URL": "http://127.0.0.1:9",  # no reminder is due: nothing is sent
    }
    with log.open("wb") as log_file:
        return subprocess.Popen(
            [sys.executable, "-m", "clinic.cli", "worker", "--name", name],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
