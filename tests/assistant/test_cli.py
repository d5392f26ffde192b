"""`clinic triage` as a real process: one message, and a --jsonl stream."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

NOW = "2025-12-03T10:30:00+03:00"


def clinic(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    # The entry point installed beside this interpreter, so no other `clinic` on PATH is used.
    exe = Path(sys.executable).with_name("clinic")
    command = (
        [str(exe)] if exe.exists() else [sys.executable, "-c", "from clinic.cli import app; app()"]
    )
    # a bare CI locale must not break UTF-8
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", **(env or {})}
    return subprocess.run(
        [*command, "triage", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        check=False,
    )


def check_shape(obj: dict[str, Any]) -> None:
    assert set(obj) >= {"specialty", "alternatives", "emergency", "clarify", "when"}
    assert isinstance(obj["alternatives"], list)
    assert isinstance(obj["emergency"], bool)
    assert isinstance(obj["clarify"], bool)
    if obj["when"] is not None:
        assert set(obj["when"]) == {"date_from", "date_to", "time_from", "time_to"}


def test_text_mode_prints_one_json_object() -> None:
    done = clinic("--now", NOW, "--tz", "Europe/Moscow", "к зубному на завтра вечером")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    answer = json.loads(lines[0])
    check_shape(answer)
    assert answer["specialty"] == "dentist"
    assert answer["when"] == {
        "date_from": "2025-12-04",
        "date_to": "2025-12-04",
        "time_from": "17:00",
        "time_to": "21:00",
    }


def test_default_zone_comes_from_settings() -> None:
    done = clinic("--now", NOW, "хочу записаться")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["clarify"] is True


def test_jsonl_mode_answers_each_line_in_order() -> None:
    messages = ["болит ухо", "задыхаюсь, не могу дышать", "", "😀", "к окулисту 15 декабря"]
    done = clinic("--jsonl", "--now", NOW, stdin="\n".join(messages) + "\n")
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(messages)
    for answer in answers:
        check_shape(answer)
    assert answers[0]["specialty"] == "ent"
    assert answers[1]["emergency"] is True
    assert answers[2]["clarify"] is True
    assert answers[3]["clarify"] is True
    assert answers[4]["when"]["date_from"] == "2025-12-15"


@pytest.mark.parametrize(
    ("args", "message"), [(("--tz", "Mars/Base"), "zone"), (("--now", "yesterday"), "ISO")]
)
def test_bad_options_exit_2(args: tuple[str, ...], message: str) -> None:
    done = clinic(*args, "болит зуб")
    assert done.returncode == 2
    assert message in done.stderr


def test_no_text_is_a_usage_error() -> None:
    done = clinic("--now", NOW, stdin="")
    assert done.returncode == 2
    assert "TEXT" in done.stderr
    assert done.stdout == ""


def test_help_shows_no_bool_types() -> None:
    done = clinic("--help")
    assert done.returncode == 0, done.stderr
    assert "--jsonl" in done.stdout
    assert "<bool>" not in done.stdout


def test_answers_do_not_depend_on_the_hash_seed() -> None:
    # Set and dict order differ between seeds; every tie must be broken by something else.
    rows = (Path(__file__).with_name("devset.jsonl")).read_text(encoding="utf-8").splitlines()
    stdin = "\n".join(rows) + "\n"
    outputs = {}
    for seed in ("0", "1", "42", "31337"):
        done = clinic("--jsonl", "--now", NOW, "--tz", "Europe/Moscow", stdin=stdin,
                      env={"PYTHONHASHSEED": seed})  # fmt: skip
        assert done.returncode == 0, done.stderr
        outputs[seed] = done.stdout
    assert len(set(outputs.values())) == 1
    assert len(outputs["0"].splitlines()) == len(rows)
