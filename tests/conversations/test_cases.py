"""The shape of the conversation set: big enough, mostly Russian, every kind, safety."""

from collections import Counter

from tests.conversations.cases import KINDS, load_all


def test_the_set_is_big_mostly_russian_and_covers_every_kind() -> None:
    cases = load_all()
    langs = Counter(case.lang for case in cases)
    assert len(cases) >= 80
    assert 0.6 <= langs["ru"] / len(cases) <= 0.75
    covered = {kind for case in cases for kind in case.kinds}
    assert covered == set(KINDS), f"kinds without a conversation: {set(KINDS) - covered}"


def test_at_least_twenty_conversations_have_safety_turns() -> None:
    assert sum(case.safety_turns > 0 for case in load_all()) >= 20


def test_every_turn_expects_something() -> None:
    empty = [
        f"{case.id} t{index}"
        for case in load_all()
        for index, turn in enumerate(case.turns, start=1)
        if not turn.expect.model_fields_set
    ]
    assert not empty, f"turns without expectations: {empty}"
