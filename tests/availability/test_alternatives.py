"""The 409's alternatives from the gap search: pinned cases, and the same answer as the
previous search (window by window, every booking read) over random clinics."""

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from clinic.appointments.models import Appointment
from clinic.availability import alternatives
from clinic.availability.booked_through import BookedThrough
from clinic.availability.repository import DoctorInfo
from clinic.availability.service import nearest_alternatives
from clinic.core.settings import Settings
from clinic.doctors.models import ClosedDate, Doctor, ScheduleException, Specialty, WorkingHours
from clinic.holds.models import Hold
from clinic.scheduling.slots import DoctorSchedule, Interval, day_slots
from tests.availability.reference_alternatives import reference_alternatives

NOW_DAY = date(2031, 3, 19)  # a Wednesday, far from any other test's data
# Holds expire by the database's clock, not the tests' `now`: this one has expired.
EXPIRED = datetime(2020, 1, 1, tzinfo=UTC)


class Clinic:
    """Doctors of one specialty, written straight into the test's transaction."""

    def __init__(self, session: AsyncSession, settings: Settings, code: str) -> None:
        self.session, self.settings, self.code = session, settings, code
        self.specialty_id = 0
        self.doctors: list[DoctorInfo] = []
        self.schedules: dict[int, DoctorSchedule] = {}

    async def open(self) -> "Clinic":
        self.specialty_id = await self._insert(
            Specialty, code=self.code, name_ru=self.code, name_en=self.code
        )
        return self

    async def doctor(
        self,
        slot_minutes: int,
        weekly: dict[int, list[Interval]],
        *,
        active: bool = True,
        exceptions: dict[date, list[Interval]] | None = None,
    ) -> DoctorInfo:
        name = f"Врач {len(self.doctors) + 1}"
        doctor_id = await self._insert(
            Doctor,
            full_name=name,
            specialty_id=self.specialty_id,
            slot_minutes=slot_minutes,
            is_active=active,
        )
        for weekday, intervals in weekly.items():
            for i in intervals:
                await self._insert(
                    WorkingHours,
                    doctor_id=doctor_id,
                    weekday=weekday,
                    start_time=i.start,
                    end_time=i.end,
                )
        for day, intervals in (exceptions or {}).items():
            # A day off is one exception row without times.
            times: list[tuple[time | None, time | None]] = [(i.start, i.end) for i in intervals]
            for start, end in times or [(None, None)]:
                await self._insert(
                    ScheduleException,
                    doctor_id=doctor_id,
                    on_date=day,
                    start_time=start,
                    end_time=end,
                )
        info = DoctorInfo(doctor_id, name, slot_minutes, active, self.code)
        self.doctors.append(info)
        self.schedules[doctor_id] = DoctorSchedule(
            doctor_id, slot_minutes, weekly, exceptions or {}
        )
        return info

    async def close_day(self, day: date) -> None:
        await self.session.execute(insert(ClosedDate).values(on_date=day))

    def slots(self, doctor: DoctorInfo, day: date) -> list[tuple[datetime, datetime]]:
        """The doctor's grid on `day` (closed dates aside)."""
        return [
            (s.start, s.end) for s in day_slots(self.schedules[doctor.id], day, self.settings.tz)
        ]

    async def book(
        self,
        doctor: DoctorInfo,
        times: Sequence[tuple[datetime, datetime]],
        status: str = "scheduled",
    ) -> None:
        if times:
            await self.session.execute(
                insert(Appointment),
                [
                    {
                        "doctor_id": doctor.id,
                        "patient_name": "Пациент",
                        "start_time": start,
                        "end_time": end,
                        "status": status,
                        "source": "api",
                    }
                    for start, end in times
                ],
            )

    async def hold(
        self, doctor: DoctorInfo, start: datetime, end: datetime, expires: datetime
    ) -> None:
        await self._insert(
            Hold, doctor_id=doctor.id, start_time=start, end_time=end, expires_at=expires
        )

    async def _insert(self, model: Any, **values: Any) -> int:
        result = await self.session.execute(insert(model).values(**values).returning(model.id))
        return int(result.scalar_one())


def _at(day: date, hour: int, minute: int, settings: Settings) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=settings.tz)


def _pairs(found: Sequence[Any]) -> list[tuple[int, datetime]]:
    return [(s.doctor_id, s.start) for s in found]


async def _both(
    session: AsyncSession, settings: Settings, doctor: DoctorInfo, wished: datetime, now: datetime
) -> list[tuple[int, datetime]]:
    """The gap search's answer, checked against the reference's."""
    new = await nearest_alternatives(session, settings, doctor, wished, now, 3)
    old = await reference_alternatives(session, settings, doctor, wished, now, 3)
    assert new == old
    return _pairs(new)


EVERY_DAY = {w: [Interval(time(9), time(13)), Interval(time(14), time(18))] for w in range(7)}


async def test_fully_booked_days_are_skipped_to_the_first_free_slots(
    session: AsyncSession, settings: Settings
) -> None:
    clinic = await Clinic(session, settings, "alt-full").open()
    me = await clinic.doctor(30, EVERY_DAY)
    colleague = await clinic.doctor(60, EVERY_DAY)
    now = _at(NOW_DAY, 8, 0, settings)
    for offset in range(5):  # five days fully booked for me, four for the colleague
        day = NOW_DAY + timedelta(days=offset)
        await clinic.book(me, clinic.slots(me, day))
        if offset < 4:
            await clinic.book(colleague, clinic.slots(colleague, day))
    free_day, colleague_day = NOW_DAY + timedelta(days=5), NOW_DAY + timedelta(days=4)

    found = await _both(session, settings, me, _at(NOW_DAY, 10, 0, settings), now)

    assert found == [
        (me.id, _at(free_day, 9, 0, settings)),
        (me.id, _at(free_day, 9, 30, settings)),
        (me.id, _at(free_day, 10, 0, settings)),
        (colleague.id, _at(colleague_day, 9, 0, settings)),
        (colleague.id, _at(colleague_day, 10, 0, settings)),
        (colleague.id, _at(colleague_day, 11, 0, settings)),
    ]


async def test_days_off_closed_dates_lunch_and_holds_are_not_offered(
    session: AsyncSession, settings: Settings
) -> None:
    clinic = await Clinic(session, settings, "alt-gaps").open()
    day1, day2, day3 = (NOW_DAY + timedelta(days=d) for d in (1, 2, 3))
    me = await clinic.doctor(60, EVERY_DAY, exceptions={day2: []})  # day 2 off for me
    await clinic.close_day(day3)  # nobody works on day 3
    colleague = await clinic.doctor(60, EVERY_DAY)
    now = _at(NOW_DAY, 8, 0, settings)
    await clinic.book(me, [s for s in clinic.slots(me, day1) if s[0].hour != 12])
    await clinic.book(colleague, clinic.slots(colleague, day1)[1:])
    # A live hold takes the colleague's day-1 09:00; an expired one frees day-2 09:00 again.
    await clinic.hold(
        colleague, _at(day1, 9, 0, settings), _at(day1, 10, 0, settings), now + timedelta(days=9)
    )
    await clinic.hold(colleague, _at(day2, 9, 0, settings), _at(day2, 10, 0, settings), EXPIRED)

    found = await _both(session, settings, me, _at(day1, 9, 0, settings), now)

    day4 = NOW_DAY + timedelta(days=4)
    assert found == [
        (me.id, _at(day1, 12, 0, settings)),  # 13:00 is lunch, day 2 off, day 3 closed
        (me.id, _at(day4, 9, 0, settings)),
        (me.id, _at(day4, 10, 0, settings)),
        (colleague.id, _at(day2, 9, 0, settings)),
        (colleague.id, _at(day2, 10, 0, settings)),
        (colleague.id, _at(day2, 11, 0, settings)),
    ]


async def test_the_search_ends_at_the_booking_horizon(
    session: AsyncSession, settings: Settings
) -> None:
    short = settings.model_copy(update={"booking_horizon_days": 3})
    clinic = await Clinic(session, short, "alt-horizon").open()
    me = await clinic.doctor(60, EVERY_DAY)
    inactive = await clinic.doctor(60, EVERY_DAY, active=False)
    now = _at(NOW_DAY, 9, 30, short)  # the horizon: day 3 at 09:30
    for offset in range(3):
        await clinic.book(me, clinic.slots(me, NOW_DAY + timedelta(days=offset)))
    last_day = NOW_DAY + timedelta(days=3)
    await clinic.book(me, clinic.slots(me, last_day)[1:])  # only 09:00 left before the horizon

    found = await _both(session, short, me, _at(NOW_DAY, 9, 0, short), now)

    assert found == [(me.id, _at(last_day, 9, 0, short))]  # 10:00 is past now + 3 days
    assert await _both(session, short, inactive, _at(NOW_DAY, 9, 0, short), now) == found


async def test_colleagues_are_merged_by_time_then_doctor(
    session: AsyncSession, settings: Settings
) -> None:
    clinic = await Clinic(session, settings, "alt-merge").open()
    me = await clinic.doctor(30, EVERY_DAY)
    first = await clinic.doctor(30, EVERY_DAY)
    second = await clinic.doctor(45, EVERY_DAY)
    now = _at(NOW_DAY, 8, 0, settings)
    day = NOW_DAY + timedelta(days=1)

    found = await _both(session, settings, me, _at(day, 9, 30, settings), now)

    assert found[3:] == [
        (first.id, _at(day, 9, 30, settings)),
        (second.id, _at(day, 9, 45, settings)),
        (first.id, _at(day, 10, 0, settings)),
    ]


@pytest.mark.parametrize("change", [date(2031, 3, 30), date(2031, 10, 26)])  # 02:00 -> 03:00, back
async def test_a_dst_change_day_gives_the_same_alternatives(
    session: AsyncSession, settings: Settings, monkeypatch: pytest.MonkeyPatch, change: date
) -> None:
    berlin = settings.model_copy(update={"clinic_timezone": "Europe/Berlin"})
    assert berlin.tz.key == "Europe/Berlin"
    night = {w: [Interval(time(0), time(6))] for w in range(7)}
    clinic = await Clinic(session, berlin, "alt-dst").open()
    me = await clinic.doctor(45, night)
    colleague = await clinic.doctor(30, night)
    now = datetime.combine(change - timedelta(days=1), time(12), tzinfo=berlin.tz)
    await clinic.book(me, clinic.slots(me, change)[:1])
    await clinic.book(colleague, clinic.slots(colleague, change)[::2])
    monkeypatch.setattr(alternatives, "GAP_COUNTS", (1, 2, None))

    found = await _both(
        session, berlin, me, datetime.combine(change, time(0), tzinfo=berlin.tz), now
    )

    assert len(found) == 6
    assert all(start.astimezone(berlin.tz).date() == change for _, start in found)


def _random_hours(rng: random.Random) -> dict[int, list[Interval]]:
    weekly: dict[int, list[Interval]] = {}
    for weekday in range(7):
        shape = rng.random()
        if shape < 0.2:
            continue  # a day off
        start = rng.choice((7, 8, 9))
        if shape < 0.6:
            weekly[weekday] = [Interval(time(start), time(start + rng.choice((3, 4, 8))))]
        else:
            weekly[weekday] = [
                Interval(time(start), time(12, rng.choice((0, 10)))),
                Interval(time(13, rng.choice((0, 5))), time(rng.choice((15, 17)))),
            ]
    return weekly


@pytest.mark.parametrize("seed", range(12))
async def test_random_clinics_get_the_same_alternatives_as_before(
    session: AsyncSession, settings: Settings, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rng = random.Random(seed)
    local = settings.model_copy(update={"booking_horizon_days": rng.choice((4, 9, 20))})
    if seed % 2:  # small reads too: the search must read on until it is sure
        monkeypatch.setattr(alternatives, "GAP_COUNTS", (1, 3, None))
    clinic = await Clinic(session, local, f"alt-random-{seed}").open()
    now = _at(NOW_DAY, rng.randrange(6, 20), rng.randrange(60), local)
    days = [NOW_DAY + timedelta(days=d) for d in range(local.booking_horizon_days + 2)]
    for day in rng.sample(days, 2):
        await clinic.close_day(day)
    for _ in range(rng.randint(2, 4)):
        exceptions = {
            # A day off, shorter hours, or an evening shift past the weekly hours.
            day: rng.choice(
                (
                    [],
                    [Interval(time(10), time(rng.choice((12, 15))))],
                    [Interval(time(19), time(23))],
                )
            )
            for day in rng.sample(days, 2)
        }
        doctor = await clinic.doctor(
            rng.choice((15, 20, 30, 45)),
            _random_hours(rng),
            active=rng.random() > 0.15,
            exceptions=exceptions,
        )
        fill = rng.choice((0.5, 0.9, 1.0))
        busy_days = rng.randint(0, len(days))
        booked: list[tuple[datetime, datetime]] = []
        for index, day in enumerate(days):
            slots = clinic.slots(doctor, day)
            chance = fill if index < busy_days else 0.2
            booked.extend(s for s in slots if rng.random() < chance)
        cancelled = [s for s in booked if rng.random() < 0.05]
        await clinic.book(doctor, [s for s in booked if s not in cancelled])
        await clinic.book(doctor, cancelled, status="cancelled")
        for start, end in rng.sample(booked, min(3, len(booked))):
            live = rng.random() < 0.7
            expires = now + timedelta(minutes=10) if live else EXPIRED
            # Holds off the grid too, overlapping bookings or each other.
            shift = timedelta(minutes=rng.choice((0, 10, 25)))
            await clinic.hold(doctor, start + shift, end + shift, expires)

    checked = 0
    for doctor in clinic.doctors:
        for _ in range(3):
            day = rng.choice(days)
            wished = _at(day, rng.randrange(0, 24), rng.choice((0, 15, 20, 30, 45)), local)
            await _both(session, local, doctor, wished, now)
            checked += 1
    assert checked >= 6


def _some_slot(rng: random.Random, clinic: Clinic, doctor: DoctorInfo) -> tuple[datetime, datetime]:
    """A slot of the doctor's weekly grid in the first days searched."""
    days = [NOW_DAY + timedelta(days=offset) for offset in range(5)]
    return rng.choice([slot for day in days for slot in clinic.slots(doctor, day)])


async def _mutate(session: AsyncSession, rng: random.Random, clinic: Clinic, now: datetime) -> str:
    """One change between two searches, as patients and staff make them."""
    doctor = rng.choice(clinic.doctors)
    pick: dict[str, Any] = {"doctor": doctor.id, "k": rng.randrange(40)}
    nth_active = (
        "SELECT id FROM appointment WHERE doctor_id = :doctor AND status <> 'cancelled' "
        "ORDER BY start_time OFFSET :k LIMIT 1"
    )
    change = rng.choice(("cancel", "move", "book", "new hours", "hold", "release"))
    if change == "cancel":
        sql = f"UPDATE appointment SET status = 'cancelled' WHERE id = ({nth_active})"
    elif change == "move":  # far past the horizon: the old time is free
        sql = (
            "UPDATE appointment SET start_time = start_time + interval '90 days', "
            f"end_time = end_time + interval '90 days' WHERE id = ({nth_active})"
        )
    elif change == "book":
        pick |= dict(zip(("start", "end"), _some_slot(rng, clinic, doctor), strict=True))
        sql = (
            "INSERT INTO appointment (doctor_id, patient_name, start_time, end_time, status, "
            "source) SELECT :doctor, 'P', :start, :end, 'scheduled', 'api' WHERE NOT EXISTS "
            "(SELECT FROM hold WHERE doctor_id = :doctor AND start_time < :end "
            "AND end_time > :start) ON CONFLICT DO NOTHING"
        )
    elif change == "new hours":  # a day off, or an evening shift that opens new slots
        pick["day"] = NOW_DAY + timedelta(days=rng.randrange(5))
        pick["from"], pick["to"] = rng.choice(((None, None), (time(19), time(23))))
        sql = (
            "INSERT INTO schedule_exception (doctor_id, on_date, start_time, end_time) "
            "SELECT :doctor, :day, :from, :to WHERE NOT EXISTS (SELECT FROM "
            "schedule_exception WHERE doctor_id = :doctor AND on_date = :day)"
        )
    elif change == "hold":  # on a free slot: released later, it is free again
        start, end = _some_slot(rng, clinic, doctor)
        pick |= {"start": start, "end": end, "until": now + timedelta(days=30)}
        sql = (
            "INSERT INTO hold (doctor_id, start_time, end_time, expires_at) "
            "SELECT :doctor, :start, :end, :until WHERE NOT EXISTS (SELECT FROM appointment "
            "WHERE doctor_id = :doctor AND status <> 'cancelled' AND start_time < :end "
            "AND end_time > :start)"
        )
    else:
        sql = (
            "DELETE FROM hold WHERE id = (SELECT id FROM hold WHERE doctor_id = :doctor "
            "ORDER BY id OFFSET :k % 3 LIMIT 1)"
        )
    await session.execute(text(sql), pick)
    return change


@pytest.mark.parametrize("seed", range(8))
async def test_kept_stretches_answer_as_reading_everything_while_bookings_change(
    session: AsyncSession, settings: Settings, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """Searches that keep what they found booked solid (`booked_through`) and start past it,
    with bookings taken, cancelled and moved, holds placed and released and hours changed
    between them: each answer is the reference's, which reads everything every time."""
    rng = random.Random(1000 + seed)
    local = settings.model_copy(update={"booking_horizon_days": 9})
    if seed % 2:
        monkeypatch.setattr(alternatives, "GAP_COUNTS", (1, 3, None))
    clinic = await Clinic(session, local, f"alt-kept-{seed}").open()
    now = _at(NOW_DAY, 7, 0, local)
    for _ in range(rng.randint(2, 4)):
        doctor = await clinic.doctor(
            rng.choice((15, 30, 45)), _random_hours(rng) | {NOW_DAY.weekday(): EVERY_DAY[0]}
        )
        solid_days = rng.randint(1, 6)
        for offset in range(8):
            slots = clinic.slots(doctor, NOW_DAY + timedelta(days=offset))
            fill = 1.0 if offset < solid_days else 0.6
            await clinic.book(doctor, [s for s in slots if rng.random() < fill])
    kept = BookedThrough()
    skipped = 0
    changes: list[str] = []
    for _ in range(40):
        doctor = rng.choice(clinic.doctors)
        wished = _at(NOW_DAY + timedelta(days=rng.randrange(4)), rng.randrange(7, 20), 0, local)
        skipped += bool(kept.skips(doctor.specialty_code, max(wished, now + local.min_notice)))
        new = await nearest_alternatives(session, local, doctor, wished, now, 3, kept)
        old = await reference_alternatives(session, local, doctor, wished, now, 3)
        assert new == old, changes
        changes.append(await _mutate(session, rng, clinic, now))
    assert skipped >= 5  # the kept stretches were used, not only learnt
