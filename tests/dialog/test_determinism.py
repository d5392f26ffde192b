"""Same input, same answer: the dialog replayed under different hash seeds."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _replay(seed: str) -> str:
    env = os.environ | {"PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-m", "tests.dialog.replay"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def test_replies_do_not_depend_on_the_hash_seed() -> None:
    outputs = {seed: _replay(seed) for seed in ("0", "1", "4242")}

    assert outputs["0"].startswith("[")
    assert outputs["0"] == outputs["1"] == outputs["4242"]
