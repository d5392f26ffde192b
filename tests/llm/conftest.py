"""The real-model tests: the bundled local model server, the real bot with the LLM on, the real
API. They need `clinic llm install` first, so they are marked `llm`: `make check` skips them
and `make test-llm` (in CI after `make check`) installs the model and runs them.

At the end they print how long the model server took to start, the per-turn latency (median
and 95th percentile) and the share of model turns that fell back to offline understanding.
"""

import asyncio
import statistics
import subprocess
from collections.abc import AsyncIterator, Generator
from dataclasses import dataclass, field

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from clinic.llm_server import (
    MODEL_ALIAS,
    LocalModel,
    base_url,
    default_cache_dir,
    server_command,
    stop,
    wait_until_serving,
    warm_up,
)
from tests.bot.conftest import BotProcess, bot_env
from tests.bot.conftest import live_api as live_api  # the bot tests' fixtures, reused here
from tests.bot.conftest import module_api as module_api
from tests.bot.conftest import telegram as telegram
from tests.bot.fake_telegram import FakeTelegram
from tests.conftest import LiveServer, free_port
from tests.llm.patient import Turn

# The bot's LLM timeout here; a turn's answer may take this plus the bot's own work.
LLM_TIMEOUT_SECONDS = 20.0
ANSWER_WITHIN = LLM_TIMEOUT_SECONDS + 15.0


@dataclass
class Report:
    """Gathered over the run, printed at its end."""

    server_start_seconds: float = 0.0
    turns: list[Turn] = field(default_factory=list)
    outcomes: dict[str, str] = field(default_factory=dict)  # conversation -> passed/failed
    llm: dict[str, float] = field(default_factory=dict)  # the bot's counters at the end


REPORT = Report()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    callspec = getattr(item, "callspec", None)
    if callspec is not None and report.when == "call":
        REPORT.outcomes[str(callspec.id)] = report.outcome
    return report


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not REPORT.turns:
        return
    write = terminalreporter.write_line
    write("")
    write(f"real model: {MODEL_ALIAS}, LLM_OUTPUT=json_schema, timeout {LLM_TIMEOUT_SECONDS:.0f} s")
    write(f"model server start: {REPORT.server_start_seconds:.1f} s")
    for label, turns in (
        ("all turns", REPORT.turns),
        ("typed turns (the model reads them)", [t for t in REPORT.turns if t.typed]),
        ("button presses", [t for t in REPORT.turns if not t.typed]),
    ):
        seconds = [t.seconds for t in turns]
        if seconds:
            write(
                f"{label}: {len(seconds)}, median {statistics.median(seconds):.2f} s, "
                f"p95 {_percentile(seconds, 0.95):.2f} s, max {max(seconds):.2f} s"
            )
    calls = REPORT.llm.get("calls", 0.0)
    offline = REPORT.llm.get("offline", 0.0)
    if calls or offline:
        write(
            f"typed turns the offline reading was sure of (no model call): {offline:.0f} of "
            f"{offline + calls:.0f}"
        )
    if calls:
        fallbacks = REPORT.llm.get("fallbacks", 0.0)
        reasons = ", ".join(
            f"{name.removeprefix('failed:')} {count:.0f}"
            for name, count in sorted(REPORT.llm.items())
            if name.startswith("failed:")
        )
        write(
            f"model calls: {calls:.0f}, fell back to offline understanding: {fallbacks:.0f} "
            f"({fallbacks / calls:.0%}); failures: {reasons or 'none'}"
        )
    for conversation, outcome in REPORT.outcomes.items():
        turns = [t for t in REPORT.turns if t.conversation == conversation]
        write(f"  {outcome:7} {conversation} ({len(turns)} turns)")


@pytest.fixture(scope="session")
async def model_server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """The bundled model behind llama.cpp's OpenAI-compatible server, on loopback."""
    model = LocalModel(default_cache_dir())
    if not model.installed():
        pytest.fail("the local model is not installed: `make test-llm` installs it first")
    port = free_port()
    log = tmp_path_factory.mktemp("llm") / "server.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            server_command(model, host="127.0.0.1", port=port),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = base_url("127.0.0.1", port)
    try:
        started = await asyncio.to_thread(wait_until_serving, url, process, 120)
        REPORT.server_start_seconds = started + await asyncio.to_thread(warm_up, url)
        yield url
    finally:
        await asyncio.to_thread(stop, process)


@pytest.fixture(scope="module")
async def llm_bot(
    module_api: LiveServer,
    telegram: FakeTelegram,
    model_server: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[BotProcess]:
    """The real bot with the AI clinic manager on the local model; its metrics on a port."""
    metrics_port = free_port()
    env = bot_env(
        module_api.url,
        telegram,
        LLM_ENABLED="true",
        LLM_BASE_URL=model_server,
        LLM_API_KEY="local",
        LLM_MODEL=MODEL_ALIAS,
        LLM_OUTPUT="json_schema",
        LLM_MAX_TOKENS="160",
        LLM_TIMEOUT_SECONDS=str(LLM_TIMEOUT_SECONDS),
        BOT_METRICS_PORT=str(metrics_port),
    )
    process = BotProcess(env, tmp_path_factory.mktemp("bot") / "bot.log")
    try:
        await process.ready(telegram, len(telegram.called("getUpdates")))
        yield process
        REPORT.llm = await _llm_counters(metrics_port)
    finally:
        assert await process.stop() == 0


async def _llm_counters(port: int) -> dict[str, float]:
    async with httpx.AsyncClient() as http:
        text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
    counters: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "clinic_llm_calls_total":
                counters["calls"] = counters.get("calls", 0.0) + sample.value
            elif sample.name == "clinic_llm_fallbacks_total":
                counters["fallbacks"] = counters.get("fallbacks", 0.0) + sample.value
            elif sample.name == "clinic_llm_offline_decided_total":
                counters["offline"] = counters.get("offline", 0.0) + sample.value
            elif sample.name == "clinic_llm_failures_total":
                key = f"failed:{sample.labels['reason']}"
                counters[key] = counters.get(key, 0.0) + sample.value
    return counters
