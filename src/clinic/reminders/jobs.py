"""The reminder jobs: a scan every minute finds what is due, one job per message sends it.

The scan's queueing lock keeps at most one scan waiting; each send job's queueing lock keeps
one job per reminder waiting. Those only save work: the claim in PostgreSQL is what makes a
reminder go out at most once, whatever the queue does (see `service`).
"""

import logging

from procrastinate import Blueprint, JobContext, RetryStrategy
from procrastinate.exceptions import AlreadyEnqueued

from clinic.core.database import unit_of_work
from clinic.reminders import service
from clinic.worker.deps import deps_of

log = logging.getLogger(__name__)

NAMESPACE = "reminders"
SEND = f"{NAMESPACE}:send"


async def scan(context: JobContext, timestamp: int) -> int:
    """Defer a send job for every reminder due now; returns how many were deferred."""
    deps = deps_of(context)
    async with unit_of_work(deps.sessionmaker) as session:
        due = await service.due_reminders(session, deps.settings.reminder_lead_hours, deps.clock())
    deferred = 0
    for item in due:
        lock = f"reminder-{item.appointment_id}-{item.hours}-{int(item.start_time.timestamp())}"
        try:
            await context.app.configure_task(SEND, queueing_lock=lock).defer_async(
                appointment_id=item.appointment_id,
                hours=item.hours,
                start_time=item.start_time.isoformat(),
            )
        except AlreadyEnqueued:
            continue  # an earlier scan's job for it is still waiting
        deferred += 1
    return deferred


async def send(context: JobContext, appointment_id: int, hours: int, start_time: str) -> str:
    """Send one reminder (at most once); returns what became of it."""
    from datetime import datetime

    deps = deps_of(context)
    due = service.Due(appointment_id, hours, datetime.fromisoformat(start_time))
    outcome = await service.send_reminder(deps.sessionmaker, deps.bot, deps.clinic, due, deps.clock)
    return outcome.reason


def blueprint() -> Blueprint:
    """The reminder tasks, fresh for each job app (an app takes its blueprint's tasks over)."""
    tasks = Blueprint()
    # Every minute; a scan still waiting makes the next one unnecessary.
    tasks.periodic(cron="* * * * *")(
        tasks.task(name="scan", pass_context=True, queueing_lock="reminders-scan")(scan)
    )
    # A failure before the claim (the database away for a moment) is retried; after the
    # claim a retry finds the reminder taken and sends nothing.
    tasks.task(name="send", pass_context=True, retry=RetryStrategy(max_attempts=5, wait=10))(send)
    return tasks
