"""The booking conversation: `Dialog.handle(event, state) -> (replies, new_state)`.

Every rule of the conversation lives here; transports only translate. The patient's text is
never logged: only event kinds and steps are.
"""

import hashlib
import logging
import re
import secrets
import time as clock_time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from clinic.assistant.triage import is_emergency, parse_when
from clinic.client import (
    ApiUnavailable,
    ClinicApi,
    ClinicApiError,
    Doctor,
    NotFoundError,
    RequestRejected,
    Slot,
    SlotTakenError,
    Specialty,
)
from clinic.core.timeutils import utcnow
from clinic.dialog import actions, search
from clinic.dialog.events import (
    Button,
    ButtonEvent,
    CommandEvent,
    ContactEvent,
    Event,
    Lang,
    Reply,
    Sender,
    TextEvent,
)
from clinic.dialog.state import Booked, Conversation, Offer, Step, Wish
from clinic.dialog.texts import long_when, short_name, short_when, t
from clinic.dialog.understanding import (
    OfflineUnderstander,
    TurnContext,
    Understander,
    Understanding,
)

log = logging.getLogger(__name__)

QUICK_SPECIALTIES = ("therapist", "dentist", "pediatrician", "ent", "neurologist", "cardiologist")
DEFAULT_SPECIALTY = "therapist"
MAX_TEXT = 1000
MAX_REASON = 300
_DIRECTORY_TTL = 300.0

_NAME = re.compile(r"^[^\W\d_]+(?:[\s.'’-]+[^\W\d_]+){0,5}\.?$")
_PHONE = re.compile(r"^\+?[\d\s().-]{7,24}$")
_REFINEMENT = re.compile(
    r"друг|врач|доктор|позже|раньше|another|doctor|later|earlier", re.IGNORECASE
)


@dataclass(frozen=True)
class ClinicInfo:
    name: str
    address: str
    tz: ZoneInfo


Replies = list[Reply]


class Dialog:
    """The conversation engine; one instance serves every chat (it keeps no per-chat data)."""

    def __init__(
        self,
        api: ClinicApi,
        clinic: ClinicInfo,
        understander: Understander | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.api = api
        self.clinic = clinic
        self.understander: Understander = understander or OfflineUnderstander()
        self.clock = clock
        self._specialties: list[Specialty] = []
        self._doctors: list[Doctor] = []
        self._directory_at = 0.0

    async def handle(
        self, event: Event, state: Conversation | None
    ) -> tuple[Replies, Conversation]:
        """Answer one event. On an API outage the old state comes back unchanged, so the
        patient can simply repeat the last step."""
        before = state or Conversation(lang=event.sender.lang)
        current = before.model_copy(deep=True)
        if event.sender.language_code:
            current.lang = event.sender.lang
        log.debug("dialog event=%s step=%s", event.kind, current.step)
        try:
            replies = await self._dispatch(event, current)
        except ClinicApiError as error:
            # The type only: a message could quote what the patient wrote.
            level = logging.INFO if isinstance(error, ApiUnavailable) else logging.ERROR
            log.log(level, "clinic API failed: %s", type(error).__name__)
            return [Reply(text=t(current.lang, "unavailable"))], before
        return replies, current

    # --- dispatch --------------------------------------------------------------------------

    async def _dispatch(self, event: Event, s: Conversation) -> Replies:
        if isinstance(event, CommandEvent):
            return await self._command(event, s)
        if isinstance(event, TextEvent):
            return await self._text(event.text, event.sender, s)
        if isinstance(event, ButtonEvent):
            return await self._button(event.data, event.sender, s)
        if isinstance(event, ContactEvent):
            return self._phone(event.phone, s)
        return [Reply(text=t(s.lang, "non_text"))]

    async def _command(self, event: CommandEvent, s: Conversation) -> Replies:
        if event.name == "start":
            self._restart(s)
            return [await self._greeting(s)]
        if event.name == "help":
            return [Reply(text=t(s.lang, "help", clinic=self.clinic.name))]
        if event.name == "cancel":
            self._restart(s)
            return [Reply(text=t(s.lang, "conversation_cancelled"), remove_keyboard=True)]
        return await self._my(event.sender, s)

    def _restart(self, s: Conversation) -> None:
        fresh = s.fresh()
        for field in Conversation.model_fields:
            setattr(s, field, getattr(fresh, field))

    async def _greeting(self, s: Conversation) -> Reply:
        known = {sp.code: sp for sp in await self._known_specialties()}
        quick = [known[code] for code in QUICK_SPECIALTIES if code in known]
        rows = [
            [self._specialty_button(sp, s.lang) for sp in quick[i : i + 2]]
            for i in range(0, len(quick), 2)
        ]
        return Reply(
            text=t(s.lang, "greeting", clinic=self.clinic.name),
            buttons=rows + self._when_rows(s.lang),
        )

    # --- free text -------------------------------------------------------------------------

    async def _text(self, raw: str, sender: Sender, s: Conversation) -> Replies:
        text = raw.strip()[:MAX_TEXT]
        if not text:
            return [Reply(text=t(s.lang, "non_text"))]
        # The red-flag check runs first, whatever understander is plugged in.
        if is_emergency(text):
            return self._emergency(s)
        if s.step is Step.need_name and self._is_name(text):
            s.patient_name = text.strip(" .")
            return self._summary(s)
        if s.step in (Step.need_name, Step.confirming) and _is_phone(text):
            return self._phone(text, s)
        understanding = await self.understander.understand(text, await self._context(s))
        if understanding.memory is not None:
            s.memory = understanding.memory
        if understanding.emergency:
            return self._emergency(s)
        return await self._apply(understanding, text, s)

    def _is_name(self, text: str) -> bool:
        if not (2 <= len(text) <= 100 and _NAME.match(text)) or _REFINEMENT.search(text):
            return False
        return parse_when(text, self.clock(), self.clinic.tz) is None

    def _emergency(self, s: Conversation) -> Replies:
        self._restart(s)
        return [Reply(text=t(s.lang, "emergency"), remove_keyboard=True)]

    async def _apply(self, u: Understanding, text: str, s: Conversation) -> Replies:
        replies: Replies = []
        known = {sp.code: sp for sp in await self._known_specialties()}
        specialty = next((c for c in [u.specialty, *u.alternatives] if c and c in known), None)
        doctor = next((d for d in await self._known_doctors() if d.id == u.doctor_id), None)
        if doctor is not None and doctor.id != s.doctor_id:
            # A doctor asked for by name wins over whatever the complaint points to.
            s.specialty, s.doctor_id, s.excluded_doctors = doctor.specialty.code, doctor.id, []
            s.reason = text[:MAX_REASON]
            name = self._specialty_name(doctor.specialty, s)
            replies.append(
                Reply(text=t(s.lang, "doctor_named", name=doctor.full_name, specialty=name))
            )
        elif specialty is not None and specialty != s.specialty and doctor is None:
            s.specialty, s.doctor_id, s.excluded_doctors = specialty, None, []
            s.reason = text[:MAX_REASON]
            line = t(s.lang, "specialty_named", name=self._specialty_name(known[specialty], s))
            if u.clue and specialty == u.specialty:
                line = line[:-1] + t(s.lang, "because", words=u.clue) + "."
            # With proposals the understander's reply heads the offer; saying it twice reads
            # as a glitch, so the specialty line keeps the engine's own words then.
            replies.append(Reply(text=line if u.proposals else (u.reply or line)))
        if u.reply and s.specialty is not None and not replies and not _changes_the_search(u):
            # The understander answered something else (a question about the clinic, an
            # out-of-scope request): say it and keep the conversation, and its buttons, as is.
            if s.step is Step.choosing and s.offers:
                return [self._offers_reply(u.reply, s)]
            return [Reply(text=u.reply)]
        if u.wish is not None:
            s.wish = (s.wish or Wish()).merged(u.wish)
        if u.other_doctor:
            self._exclude_offered_doctors(s)

        if s.specialty is None:
            if not s.clarified:
                s.clarified = True
                s.step = Step.need_specialty
                key = "ask_when_first" if u.wish is not None else "ask_specialty"
                return [*replies, await self._ask_specialty(s, u.reply or t(s.lang, key))]
            s.specialty = DEFAULT_SPECIALTY if DEFAULT_SPECIALTY in known else next(iter(known))
            replies.append(Reply(text=t(s.lang, "default_specialty")))

        if u.proposals:
            verified = await self._verify(u)
            if verified:
                return [*replies, self._offer(verified, u.reply or t(s.lang, "refine_hint"), s)]
        if u.later and s.offers:
            return [*replies, *await self._propose(s, later=True)]
        if s.wish is None:
            if s.step is not Step.need_when and not u.other_doctor:
                s.step = Step.need_when
                return [
                    *replies,
                    Reply(text=t(s.lang, "ask_when"), buttons=self._when_rows(s.lang)),
                ]
            s.wish = Wish()  # asked once already: any time will do
        return [*replies, *await self._propose(s, other_doctor=u.other_doctor)]

    async def _verify(self, u: Understanding) -> list[Slot]:
        """Keep only proposals the API confirms free right now: a model may invent times."""
        verified: list[Slot] = []
        for proposal in u.proposals[: search.PROPOSALS]:
            found = await self.api.free_slots(
                doctor_id=proposal.doctor_id, start=proposal.start, end=proposal.start, limit=1
            )
            verified.extend(slot for slot in found if slot.start == proposal.start)
        return verified

    # --- proposals -------------------------------------------------------------------------

    async def _propose(
        self, s: Conversation, *, later: bool = False, other_doctor: bool = False
    ) -> Replies:
        wish = s.wish or Wish()
        target = search.Target(s.specialty, s.doctor_id, frozenset(s.excluded_doctors))
        notes: Replies = []
        if later and s.offers:
            found = await search.after(self.api, target, wish, max(o.start for o in s.offers))
        else:
            found = await search.for_wish(self.api, target, wish, self.clinic.tz, self.clock())
            if other_doctor and found.slots:
                found = search.Found(found.slots, "other_doctor_offers")
            if not found.slots and target.excluded:
                notes.append(Reply(text=t(s.lang, "no_other_doctor")))
                s.excluded_doctors = []
                target = search.Target(s.specialty, s.doctor_id)
                found = await search.for_wish(self.api, target, wish, self.clinic.tz, self.clock())
        name = await self._specialty_label(s)
        if not found.slots:
            s.step, s.offers = Step.need_when, []
            return [*notes, Reply(text=t(s.lang, "no_slots", specialty=name))]
        header = t(s.lang, found.header, specialty=name) + "\n\n" + t(s.lang, "refine_hint")
        return [*notes, self._offer(found.slots, header, s)]

    def _offer(self, slots: list[Slot], text: str, s: Conversation) -> Reply:
        s.offers = [Offer.model_validate(slot.model_dump()) for slot in slots]
        s.step, s.chosen = Step.choosing, None
        return self._offers_reply(text, s)

    def _offers_reply(self, text: str, s: Conversation) -> Reply:
        rows = [
            [
                Button(
                    label=f"{short_when(o.start, self.clinic.tz, s.lang)} · "
                    f"{short_name(o.doctor_name)}",
                    data=actions.slot_data(o),
                )
            ]
            for o in s.offers
        ]
        rows.append(
            [
                Button(label=t(s.lang, "btn_other_time"), data=actions.LATER),
                Button(label=t(s.lang, "btn_other_doctor"), data=actions.OTHER_DOCTOR),
            ]
        )
        return Reply(text=text, buttons=rows)

    # --- buttons ---------------------------------------------------------------------------

    async def _button(self, data: str, sender: Sender, s: Conversation) -> Replies:
        action = actions.parse(data)
        name = action.name
        if name == actions.SPECIALTY:
            return await self._pick_specialty(action.arg, s)
        if name == actions.WHEN and action.arg in actions.WHEN_CHOICES:
            return await self._pick_when(action.arg, s)
        if name == actions.SLOT and s.step is Step.choosing:
            return self._choose(action.arg, sender, s)
        if name == actions.LATER and s.step is Step.choosing:
            return await self._propose(s, later=True)
        if name == actions.OTHER_DOCTOR and s.step is Step.choosing:
            self._exclude_offered_doctors(s)
            return await self._propose(s, other_doctor=True)
        if name in (actions.USE_NAME, actions.USE_SAVED_NAME) and s.step is Step.need_name:
            chosen_name = sender.name if name == actions.USE_NAME else s.patient_name
            if chosen_name:
                s.patient_name = chosen_name
                return self._summary(s)
        if name == actions.CONFIRM:
            return await self._confirm(sender, s)
        if name == actions.CHANGE_TIME and s.step in (Step.need_name, Step.confirming):
            s.chosen = None
            if s.offers:
                s.step = Step.choosing
                return [self._offers_reply(t(s.lang, "refine_hint"), s)]
            return await self._propose(s)
        if name == actions.STOP:
            self._restart(s)
            return [Reply(text=t(s.lang, "conversation_cancelled"), remove_keyboard=True)]
        if name in (actions.CANCEL_APPOINTMENT, actions.CANCEL_APPOINTMENT_YES):
            return await self._cancel_appointment(action, sender, s)
        if name == actions.KEEP_APPOINTMENT:
            return [Reply(text=t(s.lang, "appt_kept"))]
        return self._stale(s)

    def _stale(self, s: Conversation) -> Replies:
        replies = [Reply(text=t(s.lang, "stale"))]
        if s.step is Step.choosing and s.offers:
            replies.append(self._offers_reply(t(s.lang, "refine_hint"), s))
        return replies

    async def _pick_specialty(self, code: str, s: Conversation) -> Replies:
        known = {sp.code: sp for sp in await self._known_specialties()}
        if code not in known:
            return self._stale(s)
        s.specialty, s.doctor_id, s.excluded_doctors = code, None, []
        reply = Reply(text=t(s.lang, "specialty_named", name=self._specialty_name(known[code], s)))
        if s.wish is None:
            s.step = Step.need_when
            return [reply, Reply(text=t(s.lang, "ask_when"), buttons=self._when_rows(s.lang))]
        return [reply, *await self._propose(s)]

    async def _pick_when(self, choice: str, s: Conversation) -> Replies:
        today = self.clock().astimezone(self.clinic.tz).date()
        s.wish = _quick_wish(choice, today)
        if s.specialty is None:
            s.step = Step.need_specialty
            return [await self._ask_specialty(s, t(s.lang, "ask_when_first"))]
        return await self._propose(s)

    def _choose(self, arg: str, sender: Sender, s: Conversation) -> Replies:
        parsed = actions.parse_slot(arg)
        offer = next(
            (
                o
                for o in s.offers
                if parsed is not None and (o.doctor_id, o.start) == (parsed[0], parsed[1])
            ),
            None,
        )
        if offer is None:
            return self._stale(s)
        s.chosen, s.step = offer, Step.need_name
        s.conversation_id = s.conversation_id or secrets.token_hex(8)
        buttons: list[list[Button]] = []
        if sender.name:
            label = t(s.lang, "btn_use_name", name=sender.name[:40])
            buttons.append([Button(label=label, data=actions.USE_NAME)])
        if s.patient_name and s.patient_name != sender.name:
            label = t(s.lang, "btn_use_name", name=s.patient_name[:40])
            buttons.append([Button(label=label, data=actions.USE_SAVED_NAME)])
        buttons.append(self._back_row(s.lang))
        return [Reply(text=t(s.lang, "chosen", slot=self._slot_text(offer, s)), buttons=buttons)]

    # --- name, phone, confirmation, booking --------------------------------------------------

    def _phone(self, raw: str, s: Conversation) -> Replies:
        digits = re.sub(r"[^\d+]", "", raw)
        s.patient_phone = digits if digits.startswith("+") else "+" + digits
        saved = Reply(text=t(s.lang, "phone_saved"), remove_keyboard=True)
        if s.step is Step.confirming:
            return [saved, *self._summary(s, ask_phone=False)]
        return [saved]

    def _summary(self, s: Conversation, *, ask_phone: bool = True) -> Replies:
        assert s.chosen is not None
        s.step = Step.confirming
        replies: Replies = []
        if ask_phone and s.patient_phone is None:
            replies.append(
                Reply(text=t(s.lang, "ask_phone"), request_contact=t(s.lang, "btn_share_phone"))
            )
        text = t(
            s.lang,
            "summary",
            slot=self._slot_text(s.chosen, s),
            name=s.patient_name,
            phone=s.patient_phone or t(s.lang, "no_phone"),
        )
        buttons = [[Button(label=t(s.lang, "btn_confirm"), data=actions.CONFIRM)]]
        replies.append(Reply(text=text, buttons=[*buttons, self._back_row(s.lang)]))
        return replies

    async def _confirm(self, sender: Sender, s: Conversation) -> Replies:
        if s.step is not Step.confirming or s.chosen is None or not s.patient_name:
            # A second tap on "book" after the booking went through.
            if s.last_booking is not None and s.step is Step.idle:
                return [Reply(text=t(s.lang, "already_booked", id=s.last_booking.appointment_id))]
            return self._stale(s)
        offer = s.chosen
        try:
            appointment = await self.api.book(
                doctor_id=offer.doctor_id,
                start=offer.start,
                patient_name=s.patient_name,
                patient_phone=s.patient_phone,
                patient_telegram_id=sender.id,
                reason=s.reason,
                idempotency_key=booking_key(s, sender),
            )
        except SlotTakenError as taken:
            if not taken.alternatives:
                s.step, s.chosen, s.offers = Step.need_when, None, []
                return [Reply(text=t(s.lang, "taken_no_alternatives"), remove_keyboard=True)]
            notice = Reply(text=t(s.lang, "taken"), remove_keyboard=True)
            offers = taken.alternatives[: search.PROPOSALS]
            return [notice, self._offer(offers, t(s.lang, "refine_hint"), s)]
        except RequestRejected as rejected:
            return await self._rejected(rejected, s)
        log.info("dialog booked appointment=%s", appointment.id)
        booked = Booked(appointment_id=appointment.id, offer=offer)
        text = t(
            s.lang,
            "booked",
            id=appointment.id,
            slot=self._slot_text(offer, s),
            name=s.patient_name,
            address=self.clinic.address,
        )
        self._restart(s)
        s.last_booking = booked
        return [Reply(text=text, remove_keyboard=True)]

    async def _rejected(self, rejected: RequestRejected, s: Conversation) -> Replies:
        if "patient_phone" in rejected.fields:
            s.patient_phone = None
            return [Reply(text=t(s.lang, "phone_invalid")), *self._summary(s)]
        if "patient_name" in rejected.fields:
            s.step, s.patient_name = Step.need_name, None
            return [Reply(text=t(s.lang, "name_invalid"))]
        # A rule refused the time (too close now, a day off added meanwhile): offer others.
        return [Reply(text=t(s.lang, "refused"), remove_keyboard=True), *await self._propose(s)]

    # --- /my and cancelling ----------------------------------------------------------------

    async def _my(self, sender: Sender, s: Conversation) -> Replies:
        if sender.id is None:
            return [Reply(text=t(s.lang, "my_needs_telegram"))]
        await self._known_specialties()
        appointments = await self.api.appointments_of(sender.id, start=self.clock())
        if not appointments:
            return [Reply(text=t(s.lang, "my_none"))]
        lines, buttons = [t(s.lang, "my_list")], []
        for appointment in appointments[:10]:
            offer = await self._offer_of(appointment.doctor_id, appointment.start_time, s)
            lines.append(t(s.lang, "my_item", id=appointment.id, slot=self._slot_text(offer, s)))
            when = short_when(appointment.start_time, self.clinic.tz, s.lang)
            label = t(s.lang, "btn_cancel_appt", id=appointment.id, when=when)
            buttons.append(
                [Button(label=label, data=f"{actions.CANCEL_APPOINTMENT}:{appointment.id}")]
            )
        return [Reply(text="\n\n".join(lines), buttons=buttons)]

    async def _cancel_appointment(
        self, action: actions.Action, sender: Sender, s: Conversation
    ) -> Replies:
        if not action.arg.isdigit() or sender.id is None:
            return self._stale(s)
        try:
            appointment = await self.api.get_appointment(
                int(action.arg), patient_telegram_id=sender.id
            )
        except NotFoundError:
            appointment = None
        # The bot role may cancel any appointment, so ownership is checked here.
        if appointment is None or appointment.patient_telegram_id != sender.id:
            return [Reply(text=t(s.lang, "appt_unknown"))]
        if appointment.status != "scheduled":
            return [Reply(text=t(s.lang, "appt_cancelled", id=appointment.id))]
        if action.name == actions.CANCEL_APPOINTMENT:
            offer = await self._offer_of(appointment.doctor_id, appointment.start_time, s)
            text = t(s.lang, "cancel_question", id=appointment.id, slot=self._slot_text(offer, s))
            yes = Button(
                label=t(s.lang, "btn_yes_cancel"),
                data=f"{actions.CANCEL_APPOINTMENT_YES}:{appointment.id}",
            )
            no = Button(label=t(s.lang, "btn_keep"), data=actions.KEEP_APPOINTMENT)
            return [Reply(text=text, buttons=[[yes, no]])]
        await self.api.cancel(
            appointment.id,
            reason="cancelled by the patient in the chat",
            patient_telegram_id=sender.id,
        )
        log.info("dialog cancelled appointment=%s", appointment.id)
        return [Reply(text=t(s.lang, "appt_cancelled", id=appointment.id))]

    async def _offer_of(self, doctor_id: int, start: datetime, s: Conversation) -> Offer:
        doctor = await self.api.doctor(doctor_id)
        return Offer(
            doctor_id=doctor.id,
            doctor_name=doctor.full_name,
            specialty=doctor.specialty.code,
            start=start,
            end=start,
        )

    # --- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _exclude_offered_doctors(s: Conversation) -> None:
        """ "Another doctor": colleagues of the same specialty, not the doctor asked for."""
        s.excluded_doctors = sorted({*s.excluded_doctors, *(o.doctor_id for o in s.offers)})
        s.doctor_id = None

    async def _refresh_directory(self) -> None:
        # Specialties and doctors change rarely; a few minutes of caching spares two
        # requests per message.
        if not self._specialties or clock_time.monotonic() - self._directory_at > _DIRECTORY_TTL:
            self._specialties = await self.api.specialties()
            self._doctors = await self.api.doctors()
            self._directory_at = clock_time.monotonic()

    async def _known_specialties(self) -> list[Specialty]:
        await self._refresh_directory()
        return self._specialties

    async def _known_doctors(self) -> list[Doctor]:
        await self._refresh_directory()
        return self._doctors

    async def _context(self, s: Conversation) -> TurnContext:
        return TurnContext(
            now=self.clock(),
            tz=self.clinic.tz,
            lang=s.lang,
            conversation=s.model_copy(deep=True),
            specialties=await self._known_specialties(),
            doctors=await self._known_doctors(),
        )

    async def _ask_specialty(self, s: Conversation, text: str) -> Reply:
        known = {sp.code: sp for sp in await self._known_specialties()}
        quick = [known[c] for c in QUICK_SPECIALTIES if c in known]
        rows = [
            [self._specialty_button(sp, s.lang) for sp in quick[i : i + 2]]
            for i in range(0, len(quick), 2)
        ]
        return Reply(text=text, buttons=rows)

    def _specialty_button(self, specialty: Specialty, lang: Lang) -> Button:
        name = specialty.name_en if lang == "en" else specialty.name_ru
        return Button(label=name, data=f"{actions.SPECIALTY}:{specialty.code}")

    @staticmethod
    def _specialty_name(specialty: Specialty, s: Conversation) -> str:
        return specialty.name_en if s.lang == "en" else specialty.name_ru

    async def _specialty_label(self, s: Conversation) -> str:
        known = {sp.code: sp for sp in await self._known_specialties()}
        code = s.specialty or ""
        return self._specialty_name(known[code], s).lower() if code in known else code

    def _slot_text(self, offer: Offer, s: Conversation) -> str:
        known = {sp.code: sp for sp in self._specialties}
        specialty = offer.specialty
        if specialty in known:
            specialty = self._specialty_name(known[specialty], s)
        return t(
            s.lang,
            "slot_line",
            specialty=specialty,
            doctor=offer.doctor_name,
            when=long_when(offer.start, self.clinic.tz, s.lang),
        )

    @staticmethod
    def _when_rows(lang: Lang) -> list[list[Button]]:
        def button(choice: str) -> Button:
            return Button(label=t(lang, f"btn_{choice}"), data=f"{actions.WHEN}:{choice}")

        return [[button("today"), button("tomorrow")], [button("week"), button("any")]]

    @staticmethod
    def _back_row(lang: Lang) -> list[Button]:
        return [
            Button(label=t(lang, "btn_change_time"), data=actions.CHANGE_TIME),
            Button(label=t(lang, "btn_stop"), data=actions.STOP),
        ]


def booking_key(s: Conversation, sender: Sender) -> str:
    """The Idempotency-Key of this booking: the same conversation and the same details give
    the same key, so a double tap or a retry after a timeout books once; changed details
    (another slot after a 409) give a new one."""
    assert s.chosen is not None
    details = "|".join(
        str(part)
        for part in (
            s.chosen.doctor_id,
            s.chosen.start.isoformat(),
            s.patient_name,
            s.patient_phone,
            sender.id,
        )
    )
    digest = hashlib.sha256(details.encode()).hexdigest()[:20]
    return f"dialog-{s.conversation_id}-{digest}"


def _changes_the_search(u: Understanding) -> bool:
    return bool(u.wish or u.proposals or u.other_doctor or u.later or u.emergency)


def _is_phone(text: str) -> bool:
    return bool(_PHONE.match(text)) and sum(c.isdigit() for c in text) >= 7


def _quick_wish(choice: str, today: date) -> Wish:
    if choice == "today":
        return Wish(date_from=today, date_to=today)
    if choice == "tomorrow":
        tomorrow = today + timedelta(days=1)
        return Wish(date_from=tomorrow, date_to=tomorrow)
    if choice == "week":
        return Wish(date_from=today, date_to=today + timedelta(days=6 - today.weekday()))
    return Wish()
