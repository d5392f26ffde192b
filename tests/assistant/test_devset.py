"""Scores on the labelled development sets against the targets of issue 14.

Three sets, scored together and reported one by one:
- devset.jsonl: the first hand-written set (issue 3);
- devset/red_flags.jsonl: at least five paraphrases per red-flag category and language,
  adult and child, and look-alikes (negated, past, jokes) that must not flag;
- devset/everyday.jsonl: a second set written later, in the words of frightened parents and
  the elderly: every red-flag category again without medical words, emergencies buried in
  chatty messages, relatives' and past history, idioms, single words that must not decide
  alone, elderly patients with adult children, and wishes typed as people type them;
- devset/other_shapes.jsonl: the same needs in other shapes, written after a held-out set
  by a new author: stroke signs in plain English ("my leg won't work properly", "the room is
  spinning"), speech words that belong together and look-alikes that only sound like them,
  episodes that are over, fields and procedures ("urology consult", "снять швы"), doctors
  already seen or referred to, parts of the day with bounds, and English symptom times;
- devset/generalising.jsonl: classes of failure a later held-out set found, each written
  fresh in several paraphrases with look-alikes that must not change: household chemicals
  named by product or brand, self-harm told as a recovered past, tick bites, panic after a
  heart check, teething babies, sprains of a limb, plain check-ups, abbreviated weekdays,
  weekends, a weekday with its date, parts of the day in the plural, "болею за Спартак",
  doctors' surnames typed in Latin letters;
- generated rows (devset_grammar.py): everyday complaints joined with wishes from the date
  grammar, typed as people type (no punctuation, Latin letters, lower case, slang), with
  the gold window from the grammar's own oracle.
"""

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from clinic.assistant.lexicon import RED_FLAG_CATEGORIES
from clinic.assistant.triage import find_red_flag, triage
from tests.assistant.conftest import NOW, TZ
from tests.assistant.devset_grammar import generated_rows

DEVSET = Path(__file__).with_name("devset.jsonl")
RED_FLAGS = Path(__file__).with_name("devset") / "red_flags.jsonl"
EVERYDAY = Path(__file__).with_name("devset") / "everyday.jsonl"
OTHER_SHAPES = Path(__file__).with_name("devset") / "other_shapes.jsonl"
GENERALISING = Path(__file__).with_name("devset") / "generalising.jsonl"


@dataclass
class Scores:
    total: int = 0
    specialty_ok: int = 0
    specialty_n: int = 0
    emergencies: int = 0
    emergencies_found: int = 0
    calm: int = 0
    calm_flagged: int = 0
    clarify_wrong: int = 0
    clinical_clarified: int = 0
    dated_n: int = 0
    dated_ok: int = 0
    timed_n: int = 0
    timed_ok: int = 0
    misses: list[str] = field(default_factory=list)

    def report(self) -> str:
        def share(ok: int, n: int) -> str:
            return f"{ok}/{n} ({ok / n:.1%})" if n else "0/0"

        return (
            f"cases {self.total}; specialty {share(self.specialty_ok, self.specialty_n)}; "
            f"emergency recall {self.emergencies_found}/{self.emergencies}; false emergencies "
            f"{share(self.calm_flagged, self.calm)}; clarify wrong {self.clarify_wrong}; "
            f"date window {share(self.dated_ok, self.dated_n)}; "
            f"time window {share(self.timed_ok, self.timed_n)}"
        )


def _window(when: dict[str, Any] | None, keys: tuple[str, str]) -> tuple[Any, Any]:
    return (None, None) if when is None else (when[keys[0]], when[keys[1]])


def score(rows: list[dict[str, Any]]) -> Scores:
    s = Scores()
    for row in rows:
        got = triage(row["text"], NOW, TZ).to_json()
        s.total += 1
        if row["specialty"] is not None:
            s.specialty_n += 1
            if got["specialty"] in (row["specialty"], *row["alternatives"]):
                s.specialty_ok += 1
            else:
                s.misses.append(
                    f"specialty {got['specialty']} != {row['specialty']}: {row['text']}"
                )
        if row["emergency"]:
            s.emergencies += 1
            s.emergencies_found += got["emergency"]
        else:
            s.calm += 1
            s.calm_flagged += got["emergency"]
        if got["emergency"] != row["emergency"]:
            s.misses.append(f"emergency {got['emergency']}: {row['text']}")
        if got["clarify"] != row["clarify"]:
            s.clarify_wrong += 1
            s.clinical_clarified += got["clarify"]
            s.misses.append(f"clarify {got['clarify']}: {row['text']}")
        # Every case counts for the windows: a wrongly found date is as wrong as a missed one.
        for keys, attr in (
            (("date_from", "date_to"), "dated"),
            (("time_from", "time_to"), "timed"),
        ):
            ok = _window(got["when"], keys) == _window(row["when"], keys)
            setattr(s, f"{attr}_n", getattr(s, f"{attr}_n") + 1)
            setattr(s, f"{attr}_ok", getattr(s, f"{attr}_ok") + ok)
            if not ok:
                s.misses.append(f"{attr} {got['when']} != {row['when']}: {row['text']}")
    return s


def load(path: Path = DEVSET) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def all_sets() -> dict[str, list[dict[str, Any]]]:
    return {
        "first hand-written set": load(DEVSET),
        "red flags and look-alikes": load(RED_FLAGS),
        "everyday words": load(EVERYDAY),
        "other shapes": load(OTHER_SHAPES),
        "classes found held out": load(GENERALISING),
        "generated complaints and wishes": generated_rows(NOW.date(), count=600),
    }


def test_devset_is_big_and_mostly_russian() -> None:
    rows = load()
    russian = sum(any("а" <= c <= "я" for c in r["text"].lower()) for r in rows)
    assert len(rows) >= 200
    assert 0.6 <= russian / len(rows) <= 0.8


def test_devset_scores_meet_the_targets() -> None:
    sets = all_sets()
    report = []
    for name, rows in sets.items():
        part = score(rows)
        report.append(f"{name}: {part.report()}")
    s = score([row for rows in sets.values() for row in rows])
    sys.stderr.write(
        "\ntriage dev sets:\n  " + "\n  ".join(report) + f"\n  all: {s.report()}\n"
        + "\n".join(s.misses) + "\n"
    )  # fmt: skip
    assert s.specialty_ok / s.specialty_n >= 0.92, s.report()
    assert s.emergencies_found == s.emergencies, s.report()
    assert s.calm_flagged / s.calm <= 0.03, s.report()
    # clarify only when nothing clinical was said, and (almost) always then
    assert s.clinical_clarified == 0, s.report()
    assert s.clarify_wrong <= 0.02 * s.total, s.report()
    assert s.dated_ok / s.dated_n >= 0.95, s.report()
    assert s.timed_ok / s.timed_n >= 0.95, s.report()


@pytest.mark.parametrize("path", [RED_FLAGS, EVERYDAY], ids=["red_flags", "everyday"])
def test_every_red_flag_category_has_five_paraphrases_per_language(path: Path) -> None:
    counts: dict[tuple[str, str], int] = {}
    for row in load(path):
        if row["emergency"]:
            lang = "ru" if any("а" <= c <= "я" for c in row["text"].lower()) else "en"
            counts[(row["category"], lang)] = counts.get((row["category"], lang), 0) + 1
    for category in RED_FLAG_CATEGORIES:
        for lang in ("ru", "en"):
            assert counts.get((category, lang), 0) >= 5, (category, lang)


def test_self_harm_paraphrases_are_categorised_self_harm() -> None:
    # The conversation answers this category with a crisis line: it must not read as poisoning.
    for row in load(RED_FLAGS) + load(EVERYDAY) + load(OTHER_SHAPES) + load(GENERALISING):
        if row.get("category") == "self_harm":
            hit = find_red_flag(row["text"])
            assert hit is not None, row["text"]
            assert hit.flag.category == "self_harm", row["text"]
