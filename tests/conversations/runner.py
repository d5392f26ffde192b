"""Drive the real Dialog through every conversation of the set, against the real API.

Per conversation: a fresh Telegram user, the setup through the API, /start, then each patient
turn typed (or pressed), with the autopilot of EVALUATION.md: in a turn that should book, a
registered patient picks their own name and types their phone when asked; in a turn that
should book or cancel, a "shall I?" is answered yes once. Each turn is judged on what the
patient saw and on what the API says changed.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from clinic.dialog import Dialog
from tests.conftest import ADMIN_TOKEN, BOT_TOKEN
from tests.conversations import adapter
from tests.conversations.cases import CLINIC_TZ, BookingExpect, Case, Turn
from tests.conversations.clinic import Clinic, Snapshot, diff, directory
from tests.conversations.judge import Seen, Shown, Verdict, World, judge

log = logging.getLogger(__name__)
FIRST_USER_ID = 50_000_000
AUTOPILOT_STEPS = 4


@dataclass
class TurnResult:
    index: int
    said: str
    safety: bool
    verdict: Verdict
    bot: str  # what the bot answered, shortened, for the report

    @property
    def passed(self) -> bool:
        return self.verdict.passed


@dataclass
class CaseResult:
    case: Case
    turns: list[TurnResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return len(self.turns) == len(self.case.turns) and all(t.passed for t in self.turns)


def _said(turn: Turn) -> str:
    if turn.sticker:
        return "[sticker]"
    if turn.command:
        return f"/{turn.command}"
    if turn.press is not None:
        return f"[press {turn.press!r}]"
    text = turn.text or ""
    return text if len(text) <= 80 else f"{text[:77]}… ({len(text)} chars)"


def _shorten(texts: list[str], limit: int = 400) -> str:
    joined = " | ".join(" ".join(t.split()) for t in texts if t.strip())
    return joined if len(joined) <= limit else joined[: limit - 1] + "…"


class Runner:
    """Runs conversations one after another on one Dialog, each on an emptied clinic."""

    def __init__(
        self,
        clinic: Clinic,
        dialog: Dialog,
        engine: AsyncEngine,
        clock: Callable[[], datetime],
    ) -> None:
        self.clinic = clinic
        self.dialog = dialog
        self.engine = engine
        self.clock = clock
        self._next_user = FIRST_USER_ID

    async def run(self, case: Case) -> CaseResult:
        self._next_user += 1
        try:
            return await self._run(case, self._next_user)
        finally:
            await self.clinic.reset(self.engine)

    async def _run(self, case: Case, user_id: int) -> CaseResult:
        result = CaseResult(case)
        prepared = await self.clinic.prepare(case, user_id)
        patient = case.patient
        sender = adapter.make_sender(
            user_id, patient.name if patient.registered else None, case.lang
        )
        chat = adapter.Chat(self.dialog, sender)
        await chat.command("start")
        world = World(
            now=self.clock().astimezone(self.clinic.tz),
            specialties=directory(),
            refs=dict(prepared.refs),
            previous=[],
            secrets=prepared.secrets,
            own_name=patient.name,
        )
        # Only the dialog changes the clinic between turns: one turn's "after" is the next
        # one's "before".
        before = await self.clinic.snapshot(user_id)
        for index, turn in enumerate(case.turns, start=1):
            replies: adapter.Replies = []
            try:
                replies = await self._act(chat, turn)
                replies += await self._autopilot(chat, case, turn, before, user_id)
            except adapter.NoSuchButton as missing:
                verdict = Verdict(failures=[str(missing)])
                result.turns.append(
                    TurnResult(index, _said(turn), turn.expect.is_safety, verdict, "")
                )
                before = await self.clinic.snapshot(user_id)
                continue
            except Exception as error:  # a crash fails the turn and ends the conversation
                log.exception("conversation %s crashed at turn %d", case.id, index)
                verdict = Verdict(failures=[f"crashed: {type(error).__name__}: {error}"])
                result.turns.append(
                    TurnResult(index, _said(turn), turn.expect.is_safety, verdict, "")
                )
                return result
            after = await self.clinic.snapshot(user_id)
            changes = diff(before, after, user_id)
            before = after
            seen = self._seen(replies)
            verdict = judge(turn.expect, seen, changes, world)
            texts = adapter.visible_texts(replies)
            result.turns.append(
                TurnResult(index, _said(turn), turn.expect.is_safety, verdict, _shorten(texts))
            )
            if seen.slots:
                world.previous = seen.slots
            books = turn.expect.books
            if isinstance(books, BookingExpect) and books.ref and changes.booked:
                world.refs[books.ref] = changes.booked[0]
        return result

    async def _act(self, chat: adapter.Chat, turn: Turn) -> adapter.Replies:
        if turn.sticker:
            return await chat.sticker()
        if turn.command:
            return await chat.command(turn.command)
        if turn.press is not None:
            return await chat.press(turn.press)
        return await chat.say(turn.text or "")

    async def _autopilot(
        self, chat: adapter.Chat, case: Case, turn: Turn, before: Snapshot, user_id: int
    ) -> adapter.Replies:
        """Answer the bot's own follow-up questions as EVALUATION.md's patient does."""
        expect, patient = turn.expect, case.patient
        if not (expect.wants_booking or expect.wants_cancel):
            return []
        seen: adapter.Replies = []
        answered: set[str] = set()
        books = expect.wants_booking or expect.reschedules is not None
        for _ in range(AUTOPILOT_STEPS):
            if await self._done(turn, before, user_id):
                break
            latest = chat.last
            can_contact = books and patient.registered
            if can_contact and "name" not in answered and adapter.asks_name(latest):
                answered.add("name")
                seen += await chat.give_own_name(patient.name)
            elif can_contact and "phone" not in answered and adapter.asks_phone(latest):
                answered.add("phone")
                seen += await chat.say(patient.phone)
            elif "yes" not in answered and adapter.asks_confirmation(latest):
                answered.add("yes")
                seen += await chat.say(adapter.YES[case.lang])
            else:
                break
        return seen

    async def _done(self, turn: Turn, before: Snapshot, user_id: int) -> bool:
        changes = diff(before, await self.clinic.snapshot(user_id), user_id)
        if turn.expect.reschedules is not None:
            return bool(changes.moved or (changes.cancelled and changes.booked))
        if turn.expect.wants_booking:
            return bool(changes.booked)
        return bool(changes.cancelled)

    def _seen(self, replies: adapter.Replies) -> Seen:
        doctors = self.clinic.doctors
        slots = [
            Shown(
                specialty=doctors[doctor_id].specialty,
                doctor=doctors[doctor_id].full_name,
                start=start.astimezone(self.clinic.tz),
            )
            for doctor_id, start in adapter.shown_slots(replies)
            if doctor_id in doctors
        ]
        return Seen(
            texts=adapter.visible_texts(replies),
            slots=slots,
            asked_name=adapter.asks_name(replies),
            asked_phone=adapter.asks_phone(replies),
        )


async def run_set(
    cases: list[Case], api_url: str, clock: Callable[[], datetime], engine: AsyncEngine
) -> list[CaseResult]:
    """Build the clinic, then run every conversation in order with one Dialog for all, as
    one bot process serves every chat."""
    tz = ZoneInfo(CLINIC_TZ)
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    async with AsyncClient(base_url=api_url, headers=headers, timeout=30) as http:
        clinic = Clinic(http, tz, clock)
        await clinic.build()
        dialog, api = adapter.make_dialog(api_url, BOT_TOKEN, tz, clock)
        try:
            runner = Runner(clinic, dialog, engine, clock)
            return [await runner.run(case) for case in cases]
        finally:
            await api.aclose()
