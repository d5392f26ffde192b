"""The job engine: procrastinate on the clinic's PostgreSQL, and every area's jobs.

A job lives with its area (`clinic/<area>/jobs.py`, a function making a procrastinate
Blueprint) and is listed in BLUEPRINTS under its namespace; tasks are then named
`<namespace>:<task>`. Anything with the app open can queue one:
`app.configure_task("reminders:send", ...).defer_async(...)`.
"""

from collections.abc import Callable

import procrastinate
from sqlalchemy.engine import make_url

from clinic.reminders import jobs as reminder_jobs
from clinic.waitlist import jobs as waitlist_jobs

# The engine's tables live in a schema of their own (migration 0006).
JOBS_SCHEMA = "procrastinate"

BLUEPRINTS: dict[str, Callable[[], procrastinate.Blueprint]] = {
    reminder_jobs.NAMESPACE: reminder_jobs.blueprint,
    waitlist_jobs.NAMESPACE: waitlist_jobs.blueprint,
}


def libpq_url(url: str) -> str:
    """The clinic's database URL as psycopg (libpq) takes it."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def create_job_app(database_url: str, *, pool_size: int = 4) -> procrastinate.App:
    """The procrastinate app on the clinic database; open it (`open_async`) before use."""
    connector = procrastinate.PsycopgConnector(
        conninfo=libpq_url(database_url),
        kwargs={"options": f"-c search_path={JOBS_SCHEMA}"},
        min_size=1,
        max_size=pool_size,
    )
    app = procrastinate.App(connector=connector)
    for namespace, blueprint in BLUEPRINTS.items():
        app.add_tasks_from(blueprint(), namespace=namespace)
    return app
