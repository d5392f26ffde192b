"""Run a worker: the job app, the clinic database, the Telegram Bot API, until stopped."""

import logging
from collections.abc import Callable
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
    try:
        async with app.open_async():
            log.info("worker %s started", name)
            await app.run_worker_async(
                name=name,
                concurrency=settings.worker_concurrency,
                wait=wait,
                install_signal_handlers=install_signal_handlers,
                shutdown_graceful_timeout=SHUTDOWN_GRACE_SECONDS,
                additional_context={CONTEXT_KEY: deps},
                # Finished jobs are history nobody reads; the reminder rows are the record.
                delete_jobs="successful",
            )
    finally:
        await bot.session.close()
        await engine.dispose()
        log.info("worker %s stopped", name)
