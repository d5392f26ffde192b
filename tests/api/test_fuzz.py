"""Schemathesis, a client no one here wrote, against the served API with every check on:
server errors, status codes, content types, response schemas and headers, positive and
negative data, auth, and unsupported methods, over every operation. Zero failures.

Seeded and sized by example count (not by time), so every run sends the same requests.
The project's `schemathesis.toml` holds the one setting that departs from the defaults.
"""

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ADMIN_TOKEN, LiveServer

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_PER_OPERATION = 25
SEED = 20261128


def test_schemathesis_finds_nothing(demo_clinic: LiveServer, tmp_path: Path) -> None:
    command = [
        sys.executable, "-m", "schemathesis.cli",
        "--config-file", str(ROOT / "schemathesis.toml"),
        "run", f"{demo_clinic.url}/openapi.json",
        "--checks", "all",
        "--header", f"Authorization: Bearer {ADMIN_TOKEN}",
        "--max-examples", str(EXAMPLES_PER_OPERATION),
        "--seed", str(SEED),
        "--workers", "1",
        "--request-timeout", "20",
        "--report", "junit", "--report-dir", str(tmp_path),
    ]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
    # Every operation was exercised, not skipped.
    selected = re.search(r"Selected: (\d+)/(\d+)", run.stdout)
    tested = re.search(r"Tested: (\d+)", run.stdout)
    assert selected, run.stdout[-3000:]
    assert tested, run.stdout[-3000:]
    assert selected.group(1) == selected.group(2) == tested.group(1)
