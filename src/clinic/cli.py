"""The `clinic` command: serve the API, migrate, seed the demo clinic, triage a message.

Imports of heavy modules stay inside the commands, so `clinic triage` starts fast.
"""

from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.callback()
def main() -> None:
    """Clinic Appointments: booking API, demo clinic and the assistant's tools."""


@app.command()
def triage(
    text: Annotated[str | None, typer.Argument(help="The patient's message.")] = None,
    now: Annotated[str | None, typer.Option(help="ISO-8601 'now' (default: current time).")] = None,
    tz: Annotated[str | None, typer.Option(help="IANA zone (default: the clinic's).")] = None,
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help="Read one message per line from stdin.")
    ] = False,
) -> None:
    """Understand a patient's message offline: specialty, emergency, wished date and time."""
    from clinic.assistant.cli import run_triage_cli

    raise typer.Exit(run_triage_cli(text=text, now=now, tz=tz, jsonl=jsonl))
