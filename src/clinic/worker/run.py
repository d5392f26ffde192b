"""Run a worker: the job app, the clinic database, the Telegram Bot API, until stopped."""

import asyncio
import logging
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from clinic.bot.app import create_bot
from clinic.core.database import create_engine, create_sessionmaker, database_url
from clinic.core.settings import Settings
from clinic.core.timeutils import utcnow
from clinic.dialog.setup import clinic_info
from clinic.worker.app import create_job_app
from clinic.worker.deps import CONTEXT_KEY, WorkerDeps

log = logging.getLogger(__name__)

# On SIGTERM, jobs under way get this long to finish (a message being sent, a claim).
SHUTDOWN_GRACE_SECONDS = 20.0


async def run_worker(
    settings: Settings,
    *,
    name: str = "worker",
    clock: Callable[[], datetime] = utcnow,
    wait: bool = True,
    install_signal_handlers: bool = True,
) -> None:
    """Work on every queue until a signal stops it (or, with wait=False, until caught up)."""
    url = database_url(settings)
    engine = create_engine(url, settings)
    bot = create_bot(settings)
    # Each job slot may hold a connection; one more for listening to new jobs.
    app = create_job_app(url, pool_size=settings.worker_concurrency + 1)
    deps = WorkerDeps(settings, create_sessionmaker(engine), bot, clinic_info(settings), clock)
    worker: asyncio.Task[None] | None = None
    stop = asyncio.Event()

    def on_signal() -> None:
        stop.set()
        if worker is not None:
            worker.cancel()  # procrastinate stops gracefully when its task is cancelled

    try:
        # Our own handlers, from the start: procrastinate installs its own only after it has
        # registered the worker, and a SIGTERM in between would kill the process outright.
        with _stopped_by_signals(on_signal if install_signal_handlers else None):
            async with app.open_async():
                log.info("worker %s started", name)
                worker = asyncio.create_task(
                    app.run_worker_async(
                        name=name,
                        concurrency=settings.worker_concurrency,
                        wait=wait,
                        install_signal_handlers=False,
                        shutdown_graceful_timeout=SHUTDOWN_GRACE_SECONDS,
                        additional_context={CONTEXT_KEY: deps},
                        # Finished jobs are history nobody reads; the reminder rows are the
                        # record.
                        delete_jobs="successful",
                    )
                )
                if stop.is_set():
                    worker.cancel()
                try:
                    await worker
                except asyncio.CancelledError:
                    if not stop.is_set():
                        raise  # cancelled from outside, not stopped by a signal
    finally:
        await bot.session.close()
        await engine.dispose()
        log.info("worker %s stopped", name)


@contextmanager
def _stopped_by_signals(handler: Callable[[], None] | None) -> Iterator[None]:
    """SIGTERM (compose, systemd) and SIGINT (Ctrl-C) call `handler` while inside."""
    if handler is None:
        yield
        return
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT)
    for number in signals:
        loop.add_signal_handler(number, handler)
    try:
        yield
    finally:
        for number in signals:
            loop.remove_signal_handler(number)
