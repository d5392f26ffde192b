"""The waitlist jobs: a scan every minute offers the queued openings (freed slots, days that
may have opened) and passes on unanswered offers, then queues one send job per offer not yet
told to its patient.

The queueing locks only save work: the claims in PostgreSQL (`delivery`) make each opening
handled once and each offer's message sent at most once, whatever the queue does.
"""

from procrastinate import Blueprint, JobContext, RetryStrategy
from procrastinate.exceptions import AlreadyEnqueued

from clinic.waitlist import delivery
from clinic.worker.deps import deps_of

NAMESPACE = "waitlist"
SEND = f"{NAMESPACE}:send"


async def scan(context: JobContext, timestamp: int) -> int:
    """Offer openings, pass lapsed offers on, queue the messages; how many were queued."""
    deps = deps_of(context)
    now = deps.clock()
    await delivery.offer_openings(deps.sessionmaker, deps.settings, now)
    await delivery.pass_on_lapsed(deps.sessionmaker, deps.settings, now)
    deferred = 0
    for offer_id in await delivery.unsent_offers(deps.sessionmaker):
        try:
            await context.app.configure_task(
                SEND, queueing_lock=f"waitlist-offer-{offer_id}"
            ).defer_async(offer_id=offer_id)
        except AlreadyEnqueued:
            continue  # an earlier scan's job for it is still waiting
        deferred += 1
    return deferred


async def send(context: JobContext, offer_id: int) -> str:
    """Tell the patient about one offer (at most once); returns what became of it."""
    deps = deps_of(context)
    outcome = await delivery.send_offer(
        deps.sessionmaker, deps.bot, deps.clinic, offer_id, deps.clock
    )
    return outcome.reason


def blueprint() -> Blueprint:
    """The waitlist tasks, fresh for each job app."""
    tasks = Blueprint()
    tasks.periodic(cron="* * * * *")(
        tasks.task(name="scan", pass_context=True, queueing_lock="waitlist-scan")(scan)
    )
    # A failure before the claim is retried; after it, a retry finds the message claimed.
    tasks.task(name="send", pass_context=True, retry=RetryStrategy(max_attempts=5, wait=10))(send)
    return tasks
