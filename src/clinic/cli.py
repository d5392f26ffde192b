"""The `clinic` command: serve the API, migrate, seed the demo clinic, triage a message."""

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.callback()
def main() -> None:
    """Clinic Appointments: booking API, demo clinic and the assistant's tools."""


@app.command()
def version() -> None:
    """Print the installed version."""
    from importlib.metadata import version as dist_version

    print(dist_version("clinic-appointments"))
