"""Triage speed: per-message time over the dev set after warm-up, and the CLI's cold start.

Run: uv run python benchmarks/triage_bench.py   (prints numbers; asserts nothing)
"""

import json
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
DEVSETS = (
    ROOT / "tests" / "assistant" / "devset.jsonl",
    ROOT / "tests" / "assistant" / "devset" / "red_flags.jsonl",
    ROOT / "tests" / "assistant" / "devset" / "everyday.jsonl",
    ROOT / "tests" / "assistant" / "devset" / "other_shapes.jsonl",
)
TZ = ZoneInfo("Europe/Moscow")
NOW = datetime(2025, 12, 3, 10, 30, tzinfo=TZ)
ROUNDS = 5


def per_message() -> None:
    started = time.perf_counter()
    from clinic.assistant.triage import triage

    texts = [
        json.loads(line)["text"]
        for path in DEVSETS
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    triage("warm-up: болит зуб", NOW, TZ)
    print(f"import + first message: {(time.perf_counter() - started) * 1000:.0f} ms")
    for text in texts:  # warm-up: lexicon, morphology and typo caches
        triage(text, NOW, TZ)
    samples = []
    for _ in range(ROUNDS):
        for text in texts:
            t0 = time.perf_counter()
            triage(text, NOW, TZ)
            samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95)]
    print(
        f"per message over {len(texts)} dev-set messages x {ROUNDS}: "
        f"median {statistics.median(samples):.2f} ms, p95 {p95:.2f} ms, max {samples[-1]:.2f} ms"
    )
    long_text = "болит зуб и голова, " * 500  # 10,000 characters
    t0 = time.perf_counter()
    triage(long_text, NOW, TZ)
    print(f"one 10,000-character message: {(time.perf_counter() - t0) * 1000:.1f} ms")


COLD_RUNS = 5
# One message with every word known, one with a typo (the first typo loads the typo tables).
COLD_MESSAGES = ("болит зуб, можно завтра в 7 вечера?", "балит зуп, можно завтра в 7 вечера?")


def cold_start() -> None:
    exe = Path(sys.executable).with_name("clinic")
    command = (
        [str(exe)] if exe.exists() else [sys.executable, "-c", "from clinic.cli import app; app()"]
    )
    # With --tz, as the evaluation runs it; without, the clinic's zone comes from the settings.
    for options in (["--tz", "Europe/Moscow"], []):
        for message in COLD_MESSAGES:
            runs = []
            for _ in range(COLD_RUNS):
                t0 = time.perf_counter()
                subprocess.run(
                    [*command, "triage", *options, message], check=True, capture_output=True
                )
                runs.append(time.perf_counter() - t0)
            print(
                f"CLI cold start (`clinic triage {' '.join(options)} '{message}'`, "
                f"{COLD_RUNS} runs): median {statistics.median(runs):.2f} s, "
                f"min {min(runs):.2f} s"
            )


if __name__ == "__main__":
    per_message()
    cold_start()
