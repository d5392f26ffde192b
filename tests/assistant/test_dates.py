"""Each date and time convention of issue 3, against Wednesday 3 December 2025, 10:30 Moscow."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from clinic.assistant.dates import WhenWindow, parse_when
from tests.assistant.conftest import NOW, TZ

D = date
T = time


def when(text: str, now: datetime = NOW) -> WhenWindow | None:
    return parse_when(text, now, TZ)


def days(text: str, now: datetime = NOW) -> tuple[date | None, date | None]:
    found = when(text, now)
    assert found is not None, text
    return found.date_from, found.date_to


def hours(text: str) -> tuple[time | None, time | None]:
    found = when(text)
    assert found is not None, text
    return found.time_from, found.time_to


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("сегодня", D(2025, 12, 3), D(2025, 12, 3)),
        ("today please", D(2025, 12, 3), D(2025, 12, 3)),
        ("завтра", D(2025, 12, 4), D(2025, 12, 4)),
        ("tomorrow", D(2025, 12, 4), D(2025, 12, 4)),
        ("послезавтра", D(2025, 12, 5), D(2025, 12, 5)),
        ("the day after tomorrow", D(2025, 12, 5), D(2025, 12, 5)),
    ],
)
def test_relative_days(text: str, first: date, last: date) -> None:
    assert days(text) == (first, last)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("в пятницу", D(2025, 12, 5)),
        ("on friday", D(2025, 12, 5)),
        ("во вторник", D(2025, 12, 9)),
        # the weekday of today means next week's: "its next occurrence after today"
        ("в среду", D(2025, 12, 10)),
        ("on wednesday", D(2025, 12, 10)),
        ("в следующий вторник", D(2025, 12, 9)),
        ("next tuesday", D(2025, 12, 9)),
        ("в следующую пятницу", D(2025, 12, 12)),
    ],
)
def test_weekdays(text: str, day: date) -> None:
    assert days(text) == (day, day)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("через 3 дня", D(2025, 12, 6)),
        ("in 3 days", D(2025, 12, 6)),
        ("через неделю", D(2025, 12, 10)),
        ("in a week", D(2025, 12, 10)),
        ("через две недели", D(2025, 12, 17)),
    ],
)
def test_in_n_days(text: str, day: date) -> None:
    assert days(text) == (day, day)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("на этой неделе", D(2025, 12, 3), D(2025, 12, 7)),
        ("this week", D(2025, 12, 3), D(2025, 12, 7)),
        ("на следующей неделе", D(2025, 12, 8), D(2025, 12, 14)),
        ("next week", D(2025, 12, 8), D(2025, 12, 14)),
        ("на выходных", D(2025, 12, 6), D(2025, 12, 7)),
        ("this weekend", D(2025, 12, 6), D(2025, 12, 7)),
        ("как можно скорее", D(2025, 12, 3), D(2025, 12, 5)),
        ("asap", D(2025, 12, 3), D(2025, 12, 5)),
    ],
)
def test_periods(text: str, first: date, last: date) -> None:
    assert days(text) == (first, last)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("15 декабря", D(2025, 12, 15)),
        ("10.12", D(2025, 12, 10)),
        ("11/12", D(2025, 12, 11)),  # day/month in Russian
        ("dec 8", D(2025, 12, 8)),
        ("december 10th", D(2025, 12, 10)),
        ("15.12.2026", D(2026, 12, 15)),
        ("на 17-го", D(2025, 12, 17)),
        ("on the 14th", D(2025, 12, 14)),
        ("10 января", D(2026, 1, 10)),  # January said in December is next year
        ("2-го", D(2026, 1, 2)),  # the 2nd has passed this month
        ("1 декабря", D(2026, 12, 1)),
    ],
)
def test_explicit_dates(text: str, day: date) -> None:
    assert days(text) == (day, day)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("не позже 10 декабря", D(2025, 12, 3), D(2025, 12, 10)),
        ("no later than december 10", D(2025, 12, 3), D(2025, 12, 10)),
        ("с 7 по 9 декабря", D(2025, 12, 7), D(2025, 12, 9)),
        ("from the 7th to the 9th of december", D(2025, 12, 7), D(2025, 12, 9)),
        ("в понедельник или вторник", D(2025, 12, 8), D(2025, 12, 9)),
        ("monday or tuesday", D(2025, 12, 8), D(2025, 12, 9)),
    ],
)
def test_date_windows(text: str, first: date, last: date) -> None:
    assert days(text) == (first, last)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("утром", T(8), T(12)),
        ("in the morning", T(8), T(12)),
        ("до обеда", T(8), T(12)),
        ("днём", T(12), T(17)),
        ("после обеда", T(13), T(17)),
        ("after lunch", T(13), T(17)),
        ("в обед", T(12), T(14)),
        ("in the afternoon", T(12), T(17)),
        ("вечером", T(17), T(21)),
        ("in the evening", T(17), T(21)),
        ("в 15:00", T(15), T(15)),
        ("at 3pm", T(15), T(15)),
        ("часика в 4", T(16), T(16)),
        ("в 7 вечера", T(19), T(19)),
        ("с 9 до 11", T(9), T(11)),
        ("between 9 and 11", T(9), T(11)),
        ("после 18", T(18), None),
        ("after 5pm", T(17), None),
    ],
)
def test_times(text: str, first: time, last: time | None) -> None:
    assert hours(text) == (first, last)


def test_a_time_without_a_date_leaves_dates_empty() -> None:
    assert when("в 15:00") == WhenWindow(None, None, T(15), T(15))


def test_date_and_time_together() -> None:
    assert when("к лору завтра после обеда") == WhenWindow(
        D(2025, 12, 4), D(2025, 12, 4), T(13), T(17)
    )


@pytest.mark.parametrize(
    "text",
    [
        "по утрам немеют пальцы",
        "headache since my flight on saturday",
        "болит голова с субботы",
        "вчера упал, болит нога",
        "температура 38.5, давление 140/90, сахар 7.5",
        "беременность 12 недель, ребенку 2 года",
        "меня вырвало кровью утром",
        "",
    ],
)
def test_symptom_times_and_numbers_are_not_wishes(text: str) -> None:
    assert when(text) is None


def test_now_is_read_in_the_clinic_zone() -> None:
    # 22:30 UTC on 3 December is already 4 December in Moscow
    late = datetime(2025, 12, 3, 22, 30, tzinfo=ZoneInfo("UTC"))
    assert days("сегодня", late) == (D(2025, 12, 4), D(2025, 12, 4))


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        # Wednesday 3 December 2025: next week is 8..14 December.
        ("на следующей неделе во вторник", D(2025, 12, 9), D(2025, 12, 9)),
        ("next week on friday", D(2025, 12, 12), D(2025, 12, 12)),
        ("на следующей неделе в понедельник или среду", D(2025, 12, 8), D(2025, 12, 10)),
        ("на этой неделе в пятницу", D(2025, 12, 5), D(2025, 12, 5)),
    ],
)
def test_a_weekday_inside_a_named_week_falls_in_that_week(
    text: str, first: date, last: date
) -> None:
    assert days(text) == (first, last)


@pytest.mark.parametrize(
    "text", ["не раньше 10 декабря", "не ранее 10.12", "no earlier than december 10"]
)
def test_not_earlier_than_a_day_opens_the_window_from_that_day(text: str) -> None:
    assert days(text) == (D(2025, 12, 10), None)


@pytest.mark.parametrize(
    ("text", "first", "last", "start", "end"),
    [
        # spoken times
        ("в полдесятого", None, None, T(9, 30), T(9, 30)),
        ("без четверти три", None, None, T(14, 45), T(14, 45)),
        ("half past 4", None, None, T(16, 30), T(16, 30)),
        ("a quarter to 3", None, None, T(14, 45), T(14, 45)),
        ("at 10 30", None, None, T(10, 30), T(10, 30)),
        ("в 8-30", None, None, T(8, 30), T(8, 30)),
        ("not before 10 on monday", D(2025, 12, 8), D(2025, 12, 8), T(10), None),
        ("tomorrow between 2 and 4", D(2025, 12, 4), D(2025, 12, 4), T(14), T(16)),
        # days in words, abbreviations, lists and parts of weeks and months
        ("пятого декабря", D(2025, 12, 5), D(2025, 12, 5), None, None),
        ("12 янв.", D(2026, 1, 12), D(2026, 1, 12), None, None),
        ("на 5-е", D(2025, 12, 5), D(2025, 12, 5), None, None),
        ("10 или 12 декабря", D(2025, 12, 10), D(2025, 12, 12), None, None),
        ("the week of december 8", D(2025, 12, 8), D(2025, 12, 14), None, None),
        ("в начале следующей недели", D(2025, 12, 8), D(2025, 12, 10), None, None),
        ("в конце декабря", D(2025, 12, 21), D(2025, 12, 31), None, None),
        ("до конца месяца", D(2025, 12, 3), D(2025, 12, 31), None, None),
        ("в эту среду", D(2025, 12, 3), D(2025, 12, 3), None, None),
        # how people type
        ("завтро утречком", D(2025, 12, 4), D(2025, 12, 4), T(8), T(12)),
        ("2moro pls", D(2025, 12, 4), D(2025, 12, 4), None, None),
        ("nxt wk", D(2025, 12, 8), D(2025, 12, 14), None, None),
        ("zavtra posle obeda", D(2025, 12, 4), D(2025, 12, 4), T(13), T(17)),
        # a run-on message: the wish around the complaint
        (
            "через 5 дней у ребёнка температура 38 и сопли",
            D(2025, 12, 8),
            D(2025, 12, 8),
            None,
            None,
        ),
    ],
)
def test_spoken_and_typed_forms(
    text: str, first: date | None, last: date | None, start: time | None, end: time | None
) -> None:
    assert when(text) == WhenWindow(first, last, start, end)


@pytest.mark.parametrize(
    "text",
    ["болит с утра", "сахар 12 утром", "давление 180 на 100", "после обеда тошнит",
     "my period is heavy this month", "был обморок три года назад, сейчас всё нормально"],
)  # fmt: skip
def test_more_symptom_times_are_not_wishes(text: str) -> None:
    assert when(text) is None


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        # a deadline is a range from today to that day
        ("any day through friday", D(2025, 12, 3), D(2025, 12, 5)),
        ("thru fri please", D(2025, 12, 3), D(2025, 12, 5)),
        ("up to thursday", D(2025, 12, 3), D(2025, 12, 4)),
        ("by friday", D(2025, 12, 3), D(2025, 12, 5)),
        ("до пятницы", D(2025, 12, 3), D(2025, 12, 5)),
        ("по пятницу включительно", D(2025, 12, 3), D(2025, 12, 5)),
        # a range of weekdays starts on the first day's next occurrence
        ("с понедельника по пятницу", D(2025, 12, 8), D(2025, 12, 12)),
        ("monday through friday", D(2025, 12, 8), D(2025, 12, 12)),
        ("mon-fri", D(2025, 12, 8), D(2025, 12, 12)),
        # abbreviated alternatives span both days
        ("sat or sun", D(2025, 12, 6), D(2025, 12, 7)),
        ("sat/sun", D(2025, 12, 6), D(2025, 12, 7)),
        ("пн или вт", D(2025, 12, 8), D(2025, 12, 9)),
        ("сб/вс", D(2025, 12, 6), D(2025, 12, 7)),
        # the story before the asking words of a run-on is not a wish
        ("у сына щас температура хотим к педиатру послезавтра или в пятницу",
         D(2025, 12, 5), D(2025, 12, 5)),
        ("сегодня ночью сын кашлял хотим к педиатру завтра или в пятницу",
         D(2025, 12, 4), D(2025, 12, 5)),
        ("с понедельника кашель у сына хотим к педиатру в пятницу или в понедельник",
         D(2025, 12, 5), D(2025, 12, 8)),
        # "сейчас" is a wish only when asked for
        ("можно прямо сейчас?", D(2025, 12, 3), D(2025, 12, 3)),
        ("сейчас температура 38, запишите на пятницу", D(2025, 12, 5), D(2025, 12, 5)),
    ],
)  # fmt: skip
def test_deadlines_ranges_alternatives_and_run_ons(text: str, first: date, last: date) -> None:
    found = when(text)
    assert found is not None
    assert (found.date_from, found.date_to) == (first, last)


@pytest.mark.parametrize(
    "text",
    ["год назад была у вас, хочу снова к дерматологу", "неделю назад подвернула ногу",
     "a week ago I twisted my ankle", "сейчас хочу к неврологу из-за мигреней",
     "сегодня с ночи давит в груди", "в прошлый вторник упал"],
)  # fmt: skip
def test_past_and_present_states_are_not_wishes(text: str) -> None:
    found = when(text)
    assert found is None or found.date_from is None


def test_after_lunch_starts_at_one_and_lunchtime_is_twelve_to_two() -> None:
    assert when("завтра после обеда") == WhenWindow(D(2025, 12, 4), D(2025, 12, 4), T(13), T(17))
    assert when("tomorrow at lunchtime") == WhenWindow(D(2025, 12, 4), D(2025, 12, 4), T(12), T(14))
    assert when("завтра днём") == WhenWindow(D(2025, 12, 4), D(2025, 12, 4), T(12), T(17))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("в начале января", WhenWindow(D(2026, 1, 1), D(2026, 1, 10))),
        ("a week from today", WhenWindow(D(2025, 12, 10), D(2025, 12, 10))),
        ("в районе обеда", WhenWindow(None, None, T(12), T(14))),
        ("к обеду завтра", WhenWindow(D(2025, 12, 4), D(2025, 12, 4), T(8), T(12))),
        ("weekday evenings", WhenWindow(None, None, T(17), T(21))),
    ],
)
def test_more_spoken_forms(text: str, expected: WhenWindow) -> None:
    assert when(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a weekday named with its date: the date says which one
        ("on Thursday the 11th at 11", WhenWindow(D(2025, 12, 11), D(2025, 12, 11), T(11), T(11))),
        ("в четверг 11 декабря", WhenWindow(D(2025, 12, 11), D(2025, 12, 11))),
        ("11 декабря в четверг", WhenWindow(D(2025, 12, 11), D(2025, 12, 11))),
        ("в понедельник 10:00", WhenWindow(D(2025, 12, 8), D(2025, 12, 8), T(10), T(10))),
        # someone's schedule is not a wish
        ("а попозже, после 16? он в садике до 4", WhenWindow(None, None, T(16), None)),
    ],
)  # fmt: skip
def test_a_weekday_with_its_date_and_a_schedule(text: str, expected: WhenWindow) -> None:
    assert when(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("завтра утром до 10", WhenWindow(D(2025, 12, 4), D(2025, 12, 4), T(8), T(10))),
        (
            "tomorrow in the evening after 7",
            WhenWindow(D(2025, 12, 4), D(2025, 12, 4), T(19), T(21)),
        ),
        ("утром не раньше 9", WhenWindow(None, None, T(9), T(12))),
        ("после 3, но до 6", WhenWindow(None, None, T(15), T(18))),
        ("завтра вечером в 7", WhenWindow(D(2025, 12, 4), D(2025, 12, 4), T(19), T(19))),
        ("утром в 9 или вечером", WhenWindow(None, None, T(8), T(21))),
        ("this afternoon please", WhenWindow(D(2025, 12, 3), D(2025, 12, 3), T(12), T(17))),
        ("this evening after 6", WhenWindow(D(2025, 12, 3), D(2025, 12, 3), T(18), T(21))),
        ("evenings only", WhenWindow(None, None, T(17), T(21))),
        ("only after 6", WhenWindow(None, None, T(18), None)),
    ],
)
def test_a_part_of_the_day_and_a_bound_keep_the_tighter_window(
    text: str, expected: WhenWindow
) -> None:
    assert when(text) == expected


def test_waiting_till_a_day_asks_for_that_day() -> None:
    saturday = D(2025, 12, 6)
    assert days("my tooth hurts, can that wait till Saturday?") == (saturday, saturday)
    assert days("к стоматологу до субботы") == (D(2025, 12, 3), saturday)


@pytest.mark.parametrize(
    "text",
    [
        "it's still gritty this morning",
        "woke up this morning with a rash, need a dermatologist",
        "since this morning my ear hurts, can I see an ENT",
        "last night I had a bad earache, ENT please",
    ],
)
def test_this_morning_and_last_night_tell_the_symptom(text: str) -> None:
    assert when(text) is None


def test_this_morning_asked_for_is_today() -> None:
    assert when("can I come in this morning?") == WhenWindow(
        D(2025, 12, 3), D(2025, 12, 3), T(8), T(12)
    )
