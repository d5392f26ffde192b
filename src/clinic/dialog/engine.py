"""The booking conversation: `Dialog.handle(event, state) -> (replies, new_state)`.

One turn: the red-flag check (typed text only, before anything else), then an event becomes
a dialogue act (the understander reads text, the button codec reads presses), the policy
picks an action, and the action answers. Transports only translate. The patient's text is
never logged: only event kinds and steps are.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from clinic.client import ApiUnavailable, ClinicApi, ClinicApiError
from clinic.core.phones import normalise_phone
from clinic.core.timeutils import utcnow
from clinic.dialog import buttons, policy, safety, waitlist_offers
from clinic.dialog.actions import ACTIONS
from clinic.dialog.acts import Act, Intent
from clinic.dialog.clinic import ClinicInfo
from clinic.dialog.directory import Directory
from clinic.dialog.events import (
    ButtonEvent,
    CommandEvent,
    ContactEvent,
    Event,
    Reply,
    Sender,
    TextEvent,
)
from clinic.dialog.offline import MAX_READ, OfflineUnderstander
from clinic.dialog.phrases import Message
from clinic.dialog.replies import Replies, Screens
from clinic.dialog.state import Conversation
from clinic.dialog.texts import t
from clinic.dialog.turn import Services, Turn, restart
from clinic.dialog.understanding import TurnContext, Understander

log = logging.getLogger(__name__)

# Acts whose contact details are not taken in (a refusal is not the moment to save a name).
_NO_CONTACT = frozenset({Intent.forbidden, Intent.emergency, Intent.off_topic})

__all__ = ["ClinicInfo", "Dialog", "Replies"]


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
        self.directory = Directory(api)
        self.screens = Screens(clinic, self.directory)
        self.services = Services(api, clinic, self.directory, self.screens, clock)

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
            await self.directory.refresh()
            replies = await self._dispatch(event, current)
        except ClinicApiError as error:
            # The type only: a message could quote what the patient wrote.
            level = logging.INFO if isinstance(error, ApiUnavailable) else logging.ERROR
            log.log(level, "clinic API failed: %s", type(error).__name__)
            return [Reply(text=t(current.lang, "unavailable"))], before
        return replies, current

    async def _dispatch(self, event: Event, s: Conversation) -> Replies:
        sender = event.sender
        if isinstance(event, CommandEvent):
            return await self._command(event, s)
        text = ""
        if isinstance(event, TextEvent):
            text = event.text.strip()
            if not any(c.isalnum() for c in text):
                # Empty, emoji only, punctuation: say so and keep everything as it was.
                return [Reply(text=t(s.lang, "no_words")), *self.screens.prompt(s, sender)]
            # The red-flag check runs first, in every step, whatever understander is plugged in;
            # what the conversation showed before (despair, a psychotherapist) is part of it.
            distress = s.despair or s.specialty == "psychotherapist"
            alarm = safety.check(text, distress=distress, despair=s.despair)
            if alarm is not None:
                return self._emergency(s, alarm.category)
            s.despair = s.despair or safety.shows_despair(Message(text[:MAX_READ]))
            act = await self.understander.understand(text[:MAX_READ], self._context(s, sender))
            if act.memory is not None:
                s.memory = act.memory
        elif isinstance(event, ButtonEvent):
            answer = buttons.offer_answer(event.data)
            if answer is not None and not (answer.slot and s.emergency):
                return await waitlist_offers.answer(self.services, s, sender, answer)
            if answer is not None:  # booking it now: the emergency warning again
                return await self._answer(Act(intent=Intent.inform), s, sender, "")
            act = buttons.act_for(event.data, sender, s, self.services.today())
            if act.intent is Intent.unknown:
                return [Reply(text=t(s.lang, "stale")), *self.screens.prompt(s, sender)]
        elif isinstance(event, ContactEvent):
            act = self._shared_phone(event.phone)
        else:  # a sticker, a photo, a voice message
            return [Reply(text=t(s.lang, "non_text")), *self.screens.prompt(s, sender)]
        return await self._answer(act, s, sender, text)

    async def _answer(self, act: Act, s: Conversation, sender: Sender, text: str) -> Replies:
        if act.intent is Intent.emergency:
            return self._emergency(s, "emergency")
        if act.intent not in _NO_CONTACT:
            if act.name:
                s.patient_name = act.name
            if act.phone:
                s.patient_phone, s.phone_declined = act.phone, False
        decision = policy.decide(act, s)
        log.debug("dialog act=%s action=%s", act.intent, decision)
        s.refused = act.forbidden.value if act.forbidden and decision is policy.Do.refuse else None
        return await ACTIONS[decision](Turn(self.services, s, act, sender, text))

    async def _command(self, event: CommandEvent, s: Conversation) -> Replies:
        if event.name == "start":
            restart(s, keep_emergency=False)  # /start begins a new conversation
            return [self.screens.greeting(s)]
        if event.name == "help":
            return [Reply(text=t(s.lang, "help", clinic=self.clinic.name_for(s.lang)))]
        if event.name == "cancel":
            restart(s)
            return [Reply(text=t(s.lang, "conversation_cancelled"), remove_keyboard=True)]
        return await self._answer(Act(intent=Intent.list_mine), s, event.sender, "")

    def _emergency(self, s: Conversation, category: str) -> Replies:
        """103/112 (and the crisis line for self-harm); no slots for the rest of this
        conversation, remembered in the state."""
        restart(s)
        s.emergency = category
        if category == safety.SELF_HARM:
            text = t(s.lang, "crisis", helpline=self.clinic.crisis_helpline)
        else:
            text = t(s.lang, "emergency")
        return [Reply(text=text, remove_keyboard=True)]

    def _shared_phone(self, raw: str) -> Act:
        """Telegram shares numbers without a "+" ("79161234567"), so both readings are tried."""
        for candidate in (raw, "+" + raw.lstrip("+")):
            try:
                return Act(
                    intent=Intent.contact,
                    phone=normalise_phone(candidate, self.clinic.phone_region),
                )
            except ValueError:
                continue
        return Act(intent=Intent.contact, phone_invalid=True)

    def _context(self, s: Conversation, sender: Sender) -> TurnContext:
        return TurnContext(
            now=self.clock(),
            tz=self.clinic.tz,
            lang=s.lang,
            step=s.step,
            specialty=s.specialty,
            wish=s.wish,
            offers=tuple(s.offers),
            listed=tuple(s.listed),
            refused=s.refused,
            sender_name=sender.name,
            specialties=list(self.directory.specialties),
            doctors=list(self.directory.doctors),
            phone_region=self.clinic.phone_region,
            memory=s.memory,
        )
