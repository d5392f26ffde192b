"""Messages read with the conversation they come in: a week talked of, times on screen, the
specialty being booked. Tables of sentences (Russian and English) -> acts."""

from datetime import date, time

import pytest

from clinic.dialog.acts import Intent
from clinic.dialog.short_answers import short_reply
from clinic.dialog.spoken_times import hour_alone, typed_clock_times
from clinic.dialog.state import Step, Wish
from tests.dialog.test_offline import understood

# NOW is Friday 27 November 2026; the week after next is Monday 7 – Sunday 13 December.
LATER_WEEK = Wish(date_from=date(2026, 12, 7), date_to=date(2026, 12, 13))
FRIDAY_OF_IT = Wish(date_from=date(2026, 12, 11), date_to=date(2026, 12, 11))


# --- a week given before, a weekday after ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("а в пятницу можно?", date(2026, 12, 11)),
        ("четверг", date(2026, 12, 10)),
        ("тогда в среду после 15", date(2026, 12, 9)),
        ("thursday would be better", date(2026, 12, 10)),
        ("how about tuesday morning?", date(2026, 12, 8)),
    ],
)
def test_a_weekday_is_the_one_in_the_week_talked_of(text: str, day: date) -> None:
    act = understood(text, Step.choosing, wish=LATER_WEEK)
    assert act.wish is not None
    assert (act.wish.date_from, act.wish.date_to) == (day, day)


def test_a_weekday_after_a_day_of_that_week_stays_in_that_week() -> None:
    act = understood("а в четверг?", Step.choosing, wish=FRIDAY_OF_IT)
    assert act.wish is not None
    assert act.wish.date_from == date(2026, 12, 10)


@pytest.mark.parametrize(
    ("text", "day"),
    [("в эту субботу", date(2026, 11, 28)), ("завтра", date(2026, 11, 28)),
     ("4 декабря", date(2026, 12, 4))],
)  # fmt: skip
def test_a_day_fixed_by_its_own_words_is_not_moved(text: str, day: date) -> None:
    act = understood(text, Step.choosing, wish=LATER_WEEK)
    assert act.wish is not None
    assert act.wish.date_from == day


def test_a_weekday_ruled_out_is_the_one_in_the_week_talked_of() -> None:
    act = understood("в пятницу не могу, а в четверг?", Step.choosing, wish=LATER_WEEK)
    assert act.intent is Intent.not_that_day
    assert act.days == [date(2026, 12, 11)]
    assert act.wish is not None
    assert act.wish.date_from == date(2026, 12, 10)


# --- a day ruled out and another named -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "out", "wished"),
    [
        ("ой в пятницу не могу давайте в понедельник", date(2026, 12, 4), date(2026, 11, 30)),
        ("пятница не подходит лучше суббота после 12", date(2026, 12, 4), date(2026, 11, 28)),
        ("в пятницу никак тогда во вторник", date(2026, 12, 4), date(2026, 12, 1)),
        ("friday's out actually, what about saturday morning", date(2026, 12, 4),
         date(2026, 11, 28)),
        ("can't do friday how about monday", date(2026, 12, 4), date(2026, 11, 30)),
    ],
)  # fmt: skip
def test_a_day_ruled_out_and_another_wished_in_one_breath(
    text: str, out: date, wished: date
) -> None:
    act = understood(text, Step.choosing)
    assert act.intent is Intent.not_that_day
    assert act.days == [out]
    assert act.wish is not None
    assert (act.wish.date_from, act.wish.date_to) == (wished, wished)


# --- later or earlier, in a part of the day --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "hours"),
    [
        ("попозже, ближе к вечеру", Intent.later, (time(17), time(21))),
        ("а еще попозже можно вечером", Intent.later, (time(17), time(21))),
        ("later please, in the evening", Intent.later, (time(17), time(21))),
        ("anything later, like in the afternoon?", Intent.later, (time(12), time(17))),
        ("а пораньше можно, утром?", Intent.earlier, (time(8), time(12))),
        ("earlier, in the morning please", Intent.earlier, (time(8), time(12))),
    ],
)
def test_later_or_earlier_in_a_part_of_the_day(
    text: str, intent: Intent, hours: tuple[time, time]
) -> None:
    act = understood(text, Step.choosing)
    assert act.intent is intent
    assert act.wish is not None
    assert (act.wish.time_from, act.wish.time_to) == hours


def test_later_at_an_exact_time_is_that_time() -> None:
    act = understood("попозже, в 16:30", Step.choosing)
    assert act.intent is Intent.inform
    assert act.wish is not None
    assert act.wish.exact_time


# --- another specialist named in the same message --------------------------------------------


@pytest.mark.parametrize(
    ("text", "specialty"),
    [
        ("нет, к другому врачу — к кардиологу", "cardiologist"),
        ("не к стоматологу а к лору", "ent"),
        ("ой нет, давайте другого специалиста, кардиолога", "cardiologist"),
        ("actually make it a cardiologist instead", "cardiologist"),
        ("no, a different doctor - the ENT please", "ent"),
        ("not the dentist, I need a GP", "therapist"),
    ],
)
def test_another_specialist_named_is_a_new_search(text: str, specialty: str) -> None:
    act = understood(text, Step.choosing)  # the dentist is being booked
    assert act.intent is Intent.inform
    assert act.specialty == specialty


@pytest.mark.parametrize("text", ["а к другому стоматологу можно?", "другой врач, пожалуйста"])
def test_another_doctor_of_the_same_specialty_is_still_another_doctor(text: str) -> None:
    assert understood(text, Step.choosing).intent is Intent.other_doctor


# --- exact times typed as replies ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "at", "asking"),
    [
        ("16 30", time(16, 30), False),
        ("16-30 давайте", time(16, 30), False),
        ("давайте 15 00", time(15), False),
        ("в 14 30 свободно?", time(14, 30), True),
        ("11?", time(11), True),
        ("а 11 можно?", time(11), True),
        ("ну тогда 13", time(13), False),
        ("13.30 можно?", time(13, 30), True),
        ("is 11 free", time(11), True),
        ("what about 11?", time(11), True),
        ("часов в 13", time(13), False),
        ("к 9 могу", time(9), False),
    ],
)
def test_an_exact_time_typed_as_a_reply(text: str, at: time, asking: bool) -> None:
    act = understood(text, Step.choosing)
    assert act.intent is Intent.inform
    assert act.wish is not None
    assert (act.wish.time_from, act.wish.time_to) == (at, at)
    assert act.asking is asking


def test_a_number_that_can_be_an_offer_is_the_offer() -> None:
    act = understood("давайте 2", Step.choosing)
    assert (act.intent, act.position) == (Intent.choose, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("16 30", "16:30"), ("в 9-00", "в 9:00"), ("с 10-12", "с 10-12"),
     ("с 7-13 декабря", "с 7-13 декабря"), ("16 30 лет", "16 30 лет")],
)  # fmt: skip
def test_clock_times_typed_without_a_colon(text: str, expected: str) -> None:
    assert typed_clock_times(text) == expected


@pytest.mark.parametrize(
    ("text", "offered", "at"),
    [("11?", 3, time(11)), ("5 можно?", 3, time(17)), ("2", 3, None), ("ребенку 4 года", 3, None),
     ("номер 12", 3, None), ("10 или 11", 3, None), ("давление 150", 3, None)],
)  # fmt: skip
def test_a_number_alone_as_an_hour(text: str, offered: int, at: time | None) -> None:
    assert hour_alone(text, offered) == at


# --- yes and no, typed as people type them ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("da", "yes"), ("Da, davaite", "yes"), ("ага", "yes"), ("угууу", "yes"), ("ок)", "yes"),
        ("okey", "yes"), ("yep", "yes"), ("sure thing", "yes"), ("ДА!!!", "yes"),
        ("да-да", "yes"), ("ne", "no"), ("net", "no"), ("неа", "no"), ("не-а", "no"),
        ("нееет", "no"), ("nope", "no"), ("nah thanks", "no"), ("да нет", None), ("ну", None),
        ("не знаю", None), ("👍", None), ("да, в 10", None),
    ],
)  # fmt: skip
def test_short_replies(text: str, answer: str | None) -> None:
    assert short_reply(text) == answer


@pytest.mark.parametrize(
    ("text", "intent"),
    [("da", Intent.affirm), ("угу", Intent.affirm), ("okey", Intent.affirm),
     ("Da, davaite", Intent.affirm), ("ne", Intent.deny), ("не-а", Intent.deny),
     ("nope", Intent.deny)],
)  # fmt: skip
@pytest.mark.parametrize("step", [Step.choosing, Step.confirming])
def test_a_short_reply_answers_what_is_on_screen(text: str, intent: Intent, step: Step) -> None:
    assert understood(text, step).intent is intent


@pytest.mark.parametrize("text", ["da", "ага", "okey", "yep"])
def test_a_yes_with_nothing_on_screen_agrees_to_nothing(text: str) -> None:
    assert understood(text, Step.idle).intent is not Intent.affirm
