"""`clinic triage`: one message from the argument, or one per stdin line with --jsonl."""

from __future__ import annotations

import io
import json
import sys
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clinic.assistant.triage import TriageResult, triage


def _utf8(stream: Any) -> None:
    # A CI shell with LANG=C must not turn a Cyrillic message into an encoding error.
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(encoding="utf-8", errors="replace")


def _message(line: str) -> str:
    """A --jsonl line is the text itself, or a JSON string, or an object with a "text" key."""
    stripped = line.strip()
    if stripped[:1] in ('"', "{"):
        try:
            value = json.loads(stripped)
        except ValueError:
            return line
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and isinstance(value.get("text"), str):
            return str(value["text"])
    return line


def _answer(text: str, now: datetime, zone: ZoneInfo) -> dict[str, Any]:
    try:
        return triage(text, now, zone).to_json()
    except Exception as exc:  # one bad line must not stop a batch of thousands
        fallback = TriageResult(None, clarify=True, explanation=f"could not read: {exc!r}")
        return fallback.to_json()


def _write(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def run_triage_cli(text: str | None, now: str | None, tz: str | None, jsonl: bool) -> int:
    """Print the triage of TEXT (or of each stdin line) as JSON; return the exit code."""
    _utf8(sys.stdout)
    _utf8(sys.stdin)
    if tz is None:
        from clinic.core.settings import get_settings

        tz = get_settings().clinic_timezone
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        sys.stderr.write(f"unknown time zone: {tz}\n")
        return 2
    try:
        moment = datetime.fromisoformat(now) if now else datetime.now(zone)
    except ValueError:
        sys.stderr.write(f"--now is not ISO-8601: {now}\n")
        return 2
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)  # a naive --now is clinic time

    if jsonl:
        if text is not None:
            sys.stderr.write("--jsonl reads messages from stdin; do not pass TEXT\n")
            return 2
        for line in sys.stdin:
            _write(_answer(_message(line.rstrip("\r\n")), moment, zone))
            sys.stdout.flush()
        return 0
    if text is None:
        sys.stderr.write(
            "usage: clinic triage [OPTIONS] TEXT\n"
            "give the patient's message as TEXT, or --jsonl to read one message per stdin line\n"
        )
        return 2
    _write(_answer(text, moment, zone))
    return 0
