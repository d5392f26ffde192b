"""Replies and keyboards: how each step of the conversation looks on screen."""

from clinic.client import Specialty
from clinic.dialog import buttons
from clinic.dialog.clinic import ClinicInfo
from clinic.dialog.directory import Directory
from clinic.dialog.events import Button, Lang, Reply, Sender
from clinic.dialog.state import Conversation, Mine, Offer, Step
from clinic.dialog.texts import day_when, long_when, short_name, short_when, t

QUICK_SPECIALTIES = ("therapist", "dentist", "pediatrician", "ent", "neurologist", "cardiologist")

Replies = list[Reply]


class Screens:
    """Builds replies from the state; knows the clinic and its directory, changes nothing."""

    def __init__(self, clinic: ClinicInfo, directory: Directory) -> None:
        self.clinic = clinic
        self.directory = directory

    # --- texts about slots and appointments --------------------------------------------------

    def slot_text(self, offer: Offer | Mine, lang: Lang) -> str:
        return t(
            lang,
            "slot_line",
            specialty=self.directory.specialty_name(offer.specialty, lang),
            doctor=offer.doctor_name,
            when=long_when(offer.start, self.clinic.tz, lang),
        )

    def specialty_label(self, s: Conversation) -> str:
        return self.directory.specialty_name(s.specialty, s.lang).lower()

    # --- the booking flow --------------------------------------------------------------------

    def greeting(self, s: Conversation) -> Reply:
        text = t(s.lang, "greeting", clinic=self.clinic.name_for(s.lang))
        return Reply(text=text, buttons=self._specialty_rows(s.lang) + self._when_rows(s.lang))

    def ask_specialty(self, s: Conversation, text: str) -> Reply:
        return Reply(text=text, buttons=self._specialty_rows(s.lang))

    def ask_when(self, s: Conversation, text: str | None = None) -> Reply:
        return Reply(text=text or t(s.lang, "ask_when"), buttons=self._when_rows(s.lang))

    def offers(self, s: Conversation, header: str, *, hint: bool = True) -> Reply:
        """The proposed times, listed in the text (the terminal shows no buttons) and as
        buttons, with the usual corrections underneath (and a hint how to ask for them)."""
        lines = [header, ""]
        for n, offer in enumerate(s.offers, start=1):
            when = day_when(offer.start, self.clinic.tz, s.lang)
            lines.append(
                t(s.lang, "offer_line", n=n, when=when, doctor=short_name(offer.doctor_name))
            )
        if hint:
            lines += ["", t(s.lang, "refine_hint")]
        rows = [
            [
                Button(
                    label=f"{short_when(o.start, self.clinic.tz, s.lang)} · "
                    f"{short_name(o.doctor_name)}",
                    data=buttons.slot_data(o),
                )
            ]
            for o in s.offers
        ]
        rows.append(
            [
                Button(label=t(s.lang, "btn_later"), data=buttons.LATER),
                Button(label=t(s.lang, "btn_other_day"), data=buttons.OTHER_DAY),
            ]
        )
        if s.target is None:  # a moved appointment keeps its doctor
            rows.append([Button(label=t(s.lang, "btn_other_doctor"), data=buttons.OTHER_DOCTOR)])
        return Reply(text="\n".join(lines), buttons=rows)

    def ask_contact(self, s: Conversation, sender: Sender) -> Replies:
        """Ask for what is missing: the name (with the Telegram name as a button), the phone
        (with Telegram's "share my phone" keyboard), or both at once."""
        need_name = not s.patient_name
        if not need_name:
            return [
                Reply(text=t(s.lang, "ask_phone"), request_contact=t(s.lang, "btn_share_phone"))
            ]
        need_phone = s.patient_phone is None and not s.phone_declined
        rows: list[list[Button]] = []
        if sender.name:
            label = t(s.lang, "btn_use_name", name=sender.name[:40])
            rows.append([Button(label=label, data=buttons.USE_NAME)])
        rows.append(self._back_row(s.lang))
        return [Reply(text=t(s.lang, "ask_contact" if need_phone else "ask_name"), buttons=rows)]

    def summary(self, s: Conversation) -> Reply:
        assert s.chosen is not None
        text = t(
            s.lang,
            "summary",
            slot=self.slot_text(s.chosen, s.lang),
            name=s.patient_name,
            phone=s.patient_phone or t(s.lang, "no_phone"),
        )
        confirm = [Button(label=t(s.lang, "btn_confirm"), data=buttons.CONFIRM)]
        return Reply(text=text, buttons=[confirm, self._back_row(s.lang)])

    # --- the patient's appointments ----------------------------------------------------------

    def appointment_list(
        self, s: Conversation, mine: list[Mine], header: str, purpose: str | None
    ) -> Reply:
        items: list[str] = []
        rows: list[list[Button]] = []
        for n, item in enumerate(mine, start=1):
            # One line per appointment: its day and time together, then the doctor.
            items.append(
                t(
                    s.lang,
                    "my_item",
                    n=n,
                    id=item.id,
                    when=long_when(item.start, self.clinic.tz, s.lang),
                    specialty=self.directory.specialty_name(item.specialty, s.lang),
                    doctor=item.doctor_name,
                )
            )
            when = short_when(item.start, self.clinic.tz, s.lang)
            if purpose == "move":
                label = t(s.lang, "btn_move_appt", id=item.id, when=when)
                rows.append([Button(label=label, data=f"{buttons.MOVE_APPOINTMENT}:{item.id}")])
            else:
                label = t(s.lang, "btn_cancel_appt", id=item.id, when=when)
                rows.append([Button(label=label, data=f"{buttons.CANCEL_APPOINTMENT}:{item.id}")])
        text = "\n".join([header, "", *items])
        if purpose is None:
            text += "\n\n" + t(s.lang, "my_hint")
        return Reply(text=text, buttons=rows)

    def cancel_question(self, s: Conversation, item: Mine) -> Reply:
        text = t(s.lang, "cancel_question", id=item.id, slot=self.slot_text(item, s.lang))
        yes = Button(
            label=t(s.lang, "btn_yes_cancel"), data=f"{buttons.CANCEL_APPOINTMENT_YES}:{item.id}"
        )
        no = Button(label=t(s.lang, "btn_keep"), data=buttons.KEEP_APPOINTMENT)
        return Reply(text=text, buttons=[[yes, no]])

    def move_question(self, s: Conversation, item: Mine, offer: Offer) -> Reply:
        text = t(
            s.lang,
            "move_question",
            id=item.id,
            old=long_when(item.start, self.clinic.tz, s.lang),
            new=self.slot_text(offer, s.lang),
        )
        yes = Button(label=t(s.lang, "btn_yes_move"), data=f"{buttons.MOVE_YES}:{item.id}")
        no = Button(label=t(s.lang, "btn_keep"), data=buttons.KEEP_APPOINTMENT)
        return Reply(text=text, buttons=[[yes, no]])

    # --- carrying on ---------------------------------------------------------------------------

    def prompt(self, s: Conversation, sender: Sender) -> Replies:
        """What the current step is waiting for, shown again after an aside (a refusal, a
        question about the clinic, a sticker), so the conversation carries on."""
        if s.step is Step.choosing and s.offers:
            return [self.offers(s, t(s.lang, "offers_again", specialty=self.specialty_label(s)))]
        if s.step is Step.need_contact:
            return self.ask_contact(s, sender)
        if s.step is Step.confirming and s.chosen is not None:
            return [self.summary(s)]
        if s.step is Step.need_when:
            return [self.ask_when(s)]
        if s.step is Step.confirming_cancel and s.target is not None:
            return [self.cancel_question(s, s.target)]
        if s.step is Step.picking_appointment and s.listed:
            key = "which_move" if s.purpose == "move" else "which_cancel"
            return [self.appointment_list(s, s.listed, t(s.lang, key), s.purpose)]
        return []

    # --- keyboards -----------------------------------------------------------------------------

    def _specialty_rows(self, lang: Lang) -> list[list[Button]]:
        quick = [sp for code in QUICK_SPECIALTIES if (sp := self.directory.specialty(code))]
        return [
            [self._specialty_button(sp, lang) for sp in quick[i : i + 2]]
            for i in range(0, len(quick), 2)
        ]

    @staticmethod
    def _specialty_button(specialty: Specialty, lang: Lang) -> Button:
        name = specialty.name_en if lang == "en" else specialty.name_ru
        return Button(label=name, data=f"{buttons.SPECIALTY}:{specialty.code}")

    @staticmethod
    def _when_rows(lang: Lang) -> list[list[Button]]:
        def button(choice: str) -> Button:
            return Button(label=t(lang, f"btn_{choice}"), data=f"{buttons.WHEN}:{choice}")

        return [[button("today"), button("tomorrow")], [button("week"), button("any")]]

    @staticmethod
    def _back_row(lang: Lang) -> list[Button]:
        return [
            Button(label=t(lang, "btn_change_time"), data=buttons.CHANGE_TIME),
            Button(label=t(lang, "btn_stop"), data=buttons.STOP),
        ]
