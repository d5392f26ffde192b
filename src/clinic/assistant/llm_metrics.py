"""What the model path did, turn by turn: one log line and Prometheus counters.

Never the patient's text, nor the model's reply: only the model, the output mode, the tokens,
the latency, and whether offline understanding had to answer instead.

The counters live in the process that talks to the model (the bot, or `clinic chat`), not in
the API: the bot serves them on BOT_METRICS_HOST:BOT_METRICS_PORT (see `serve_metrics`).
"""

import logging
from dataclasses import dataclass
from wsgiref.simple_server import WSGIServer

from prometheus_client import Counter, Histogram, start_http_server
from pydantic_ai.exceptions import (
    ModelAPIError,
    ModelRequestTimeout,
    ModelTimeoutError,
    UnexpectedModelBehavior,
    UsageLimitExceeded,
)
from pydantic_ai.usage import RunUsage

log = logging.getLogger("clinic.llm")

LLM_CALLS = Counter("clinic_llm_calls_total", "Patient turns sent to the model.", ["mode"])
LLM_FAILURES = Counter(
    "clinic_llm_failures_total",
    "Model turns that failed: timeout, HTTP error, invalid output or usage limit.",
    ["mode", "reason"],
)
LLM_FALLBACKS = Counter(
    "clinic_llm_fallbacks_total",
    "Turns answered by offline understanding instead of the model (failures and 'unknown').",
    ["mode"],
)
LLM_OFFLINE_DECIDED = Counter(
    "clinic_llm_offline_decided_total",
    "Typed turns the offline reading decided without the model (it was definite).",
    ["mode"],
)
LLM_TOKENS = Counter("clinic_llm_tokens_total", "Tokens the model read and wrote.", ["kind"])
LLM_SECONDS = Histogram(
    "clinic_llm_turn_seconds",
    "Wall time of one model turn, failures included.",
    ["mode"],
    buckets=(0.25, 0.5, 1, 2, 4, 8, 15, 30, 60),
)


def failure_reason(error: BaseException) -> str:
    """A small closed set of reasons, so the label never grows without bound."""
    if isinstance(error, TimeoutError | ModelTimeoutError | ModelRequestTimeout):
        return "timeout"
    if isinstance(error, UsageLimitExceeded):
        return "usage_limit"
    if isinstance(error, UnexpectedModelBehavior):
        return "invalid_output"  # the answer failed validation after every retry
    if isinstance(error, ModelAPIError):
        return "http_error"
    return "other"


@dataclass(frozen=True)
class LLMTurn:
    """One patient message sent to the model, and how it went."""

    model: str
    mode: str
    seconds: float
    usage: RunUsage
    failure: str | None = None  # a `failure_reason`, when the model did not answer
    unknown: bool = False  # the model answered, but could not read the message

    @property
    def fell_back(self) -> bool:
        return self.failure is not None or self.unknown


def record_turn(turn: LLMTurn) -> None:
    """Log the turn and count it; the caller has already chosen what the patient gets."""
    LLM_CALLS.labels(turn.mode).inc()
    LLM_SECONDS.labels(turn.mode).observe(turn.seconds)
    LLM_TOKENS.labels("input").inc(turn.usage.input_tokens)
    LLM_TOKENS.labels("output").inc(turn.usage.output_tokens)
    if turn.failure is not None:
        LLM_FAILURES.labels(turn.mode, turn.failure).inc()
    if turn.fell_back:
        LLM_FALLBACKS.labels(turn.mode).inc()
    outcome = turn.failure or ("unknown" if turn.unknown else "ok")
    log.info(
        "llm turn model=%s mode=%s outcome=%s fallback=%s latency_ms=%d "
        "requests=%d input_tokens=%d output_tokens=%d",
        turn.model,
        turn.mode,
        outcome,
        "yes" if turn.fell_back else "no",
        round(turn.seconds * 1000),
        turn.usage.requests,
        turn.usage.input_tokens,
        turn.usage.output_tokens,
    )


def record_offline_decided(model: str, mode: str) -> None:
    """A typed turn the offline reading was sure of: the model was not asked."""
    LLM_OFFLINE_DECIDED.labels(mode).inc()
    log.info("llm turn model=%s mode=%s outcome=offline_definite fallback=no", model, mode)


def serve_metrics(host: str, port: int) -> WSGIServer:
    """Expose this process's metrics (the default registry) on http://host:port/metrics, from a
    daemon thread; the returned server's shutdown() stops it."""
    server, _ = start_http_server(port, addr=host)
    log.info("metrics on http://%s:%d/metrics", host, port)
    return server
