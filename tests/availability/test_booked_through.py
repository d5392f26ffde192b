"""The stretches a process keeps as booked solid: joined, replaced by newer versions, never
by older ones, dropped once over, and offered as a place to start only inside a stretch."""

from datetime import UTC, datetime, timedelta

from clinic.availability.booked_through import MAX_STRETCHES, BookedThrough, Skip

T0 = datetime(2031, 3, 19, 9, tzinfo=UTC)
NOW = T0 - timedelta(days=1)


def _at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_a_search_inside_a_stretch_starts_at_its_end() -> None:
    kept = BookedThrough()
    kept.learn(7, "ent", (3, 1), _at(0), _at(5), NOW)

    assert kept.skips("ent", _at(0)) == [Skip(7, _at(5), 1, 3)]
    assert kept.skips("ent", _at(4.9)) == [Skip(7, _at(5), 1, 3)]
    assert kept.skips("ent", _at(5)) == []  # the end is the first slot free of bookings
    assert kept.skips("ent", _at(-0.1)) == []
    assert kept.skips("cardio", _at(1)) == []  # another specialty's search


def test_touching_and_overlapping_stretches_join() -> None:
    kept = BookedThrough()
    kept.learn(7, "ent", (3, 1), _at(0), _at(5), NOW)
    kept.learn(7, "ent", (3, 1), _at(5), _at(8), NOW)
    kept.learn(7, "ent", (3, 1), _at(-2), _at(1), NOW)
    kept.learn(7, "ent", (3, 1), _at(10), _at(12), NOW)

    assert kept.skips("ent", _at(-2)) == [Skip(7, _at(8), 1, 3)]
    assert kept.skips("ent", _at(9)) == []
    assert kept.skips("ent", _at(11)) == [Skip(7, _at(12), 1, 3)]


def test_newer_versions_replace_the_findings_and_older_ones_are_ignored() -> None:
    kept = BookedThrough()
    kept.learn(7, "ent", (3, 1), _at(0), _at(5), NOW)

    kept.learn(7, "ent", (3, 2), _at(6), _at(7), NOW)  # time was given back since
    assert kept.skips("ent", _at(1)) == []
    assert kept.skips("ent", _at(6)) == [Skip(7, _at(7), 2, 3)]

    kept.learn(7, "ent", (3, 1), _at(0), _at(5), NOW)  # a search that read before that
    assert kept.skips("ent", _at(1)) == []

    # A schedule change outranks the freed count (a doctor deleted resets it to 0).
    kept.learn(7, "ent", (4, 0), _at(0), _at(2), NOW)
    assert kept.skips("ent", _at(6)) == []
    assert kept.skips("ent", _at(1)) == [Skip(7, _at(2), 0, 4)]


def test_doctors_come_in_id_order_and_the_oldest_doctor_goes_first() -> None:
    kept = BookedThrough(max_doctors=2)
    kept.learn(9, "ent", (3, 1), _at(0), _at(5), NOW)
    kept.learn(4, "ent", (3, 0), _at(0), _at(3), NOW)
    assert [s.doctor_id for s in kept.skips("ent", _at(1))] == [4, 9]

    kept.learn(5, "ent", (3, 0), _at(0), _at(2), NOW)
    assert [s.doctor_id for s in kept.skips("ent", _at(1))] == [4, 5]


def test_stretches_over_are_dropped_and_each_doctor_keeps_a_bounded_number() -> None:
    kept = BookedThrough()
    kept.learn(7, "ent", (3, 1), _at(0), _at(1), NOW)
    kept.learn(7, "ent", (3, 1), _at(2), _at(3), now=_at(1))
    assert kept.skips("ent", _at(0.5)) == []
    assert kept.skips("ent", _at(2.5)) == [Skip(7, _at(3), 1, 3)]

    for i in range(MAX_STRETCHES + 5):
        kept.learn(7, "ent", (3, 1), _at(10 + 2 * i), _at(11 + 2 * i), NOW)
    last = 10 + 2 * (MAX_STRETCHES + 4)
    assert kept.skips("ent", _at(last)) == [Skip(7, _at(last + 1), 1, 3)]
    assert kept.skips("ent", _at(10)) == []  # the earliest went first


def test_an_empty_stretch_teaches_nothing() -> None:
    kept = BookedThrough()
    kept.learn(7, "ent", (3, 1), _at(2), _at(2), NOW)
    assert kept.skips("ent", _at(2)) == []


def test_a_doctor_who_changed_specialty_is_found_under_the_new_one_only() -> None:
    kept = BookedThrough()
    kept.learn(7, "ent", (3, 1), _at(0), _at(5), NOW)
    kept.learn(8, "ent", (3, 0), _at(0), _at(2), NOW)

    kept.learn(7, "neuro", (4, 1), _at(0), _at(4), NOW)  # the move bumped the schedule version

    assert kept.skips("neuro", _at(1)) == [Skip(7, _at(4), 1, 4)]
    assert kept.skips("ent", _at(1)) == [Skip(8, _at(2), 0, 3)]
