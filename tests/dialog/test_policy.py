"""The policy as a table: an act in a step -> an action, over plain state."""

import pytest

from clinic.dialog.acts import Act, AppointmentRef, Intent
from clinic.dialog.policy import ANY_STEP, Do, decide
from clinic.dialog.state import Conversation, Step


def state(step: Step, **fields: object) -> Conversation:
    return Conversation.model_validate({"step": step, **fields})


@pytest.mark.parametrize(
    ("intent", "step", "action"),
    [
        (Intent.affirm, Step.choosing, Do.choose_first),
        (Intent.affirm, Step.need_contact, Do.use_sender_name),
        (Intent.affirm, Step.confirming, Do.book),
        (Intent.affirm, Step.confirming_cancel, Do.cancel_appointment),
        (Intent.affirm, Step.confirming_move, Do.move_appointment),
        (Intent.affirm, Step.need_when, Do.not_understood),
        (Intent.deny, Step.choosing, Do.more),
        (Intent.deny, Step.confirming, Do.back_to_offers),
        (Intent.deny, Step.confirming_cancel, Do.keep_appointment),
        (Intent.deny, Step.need_contact, Do.skip_phone),
        (Intent.contact, Step.choosing, Do.choose_first),
        (Intent.contact, Step.need_contact, Do.take_contact),
        (Intent.contact, Step.idle, Do.remember_contact),
        (Intent.inform, Step.choosing, Do.search),
        (Intent.later, Step.choosing, Do.later),
        (Intent.not_that_day, Step.choosing, Do.not_that_day),
        (Intent.cancel_mine, Step.idle, Do.cancel_mine),
        (Intent.pick_appointment, Step.picking_appointment, Do.pick_appointment),
        (Intent.forbidden, Step.confirming, Do.refuse),
        (Intent.off_topic, Step.choosing, Do.steer_back),
        (Intent.medical_advice, Step.idle, Do.no_medical_advice),
    ],
)
def test_an_act_in_a_step(intent: Intent, step: Step, action: Do) -> None:
    assert decide(Act(intent=intent), state(step)) is action


def test_every_intent_has_an_answer_in_every_step() -> None:
    for intent in Intent:
        assert intent in ANY_STEP
        for step in Step:
            assert isinstance(decide(Act(intent=intent), state(step)), Do)


@pytest.mark.parametrize(
    "intent",
    [Intent.inform, Intent.affirm, Intent.choose, Intent.later, Intent.contact,
     Intent.unknown, Intent.medical_advice, Intent.reschedule_mine],
)  # fmt: skip
def test_after_an_emergency_anything_towards_slots_gets_the_warning_again(intent: Intent) -> None:
    warned = state(Step.idle, emergency="cardiac")
    assert decide(Act(intent=intent), warned) is Do.emergency_again


@pytest.mark.parametrize("intent", [Intent.list_mine, Intent.cancel_mine, Intent.thanks])
def test_after_an_emergency_the_patients_own_appointments_still_work(intent: Intent) -> None:
    warned = state(Step.idle, emergency="cardiac")
    assert decide(Act(intent=intent), warned) is not Do.emergency_again


def test_a_yes_that_names_an_appointment_cancels_that_one() -> None:
    pressed = Act(intent=Intent.affirm, appointment=AppointmentRef(appointment_id=101))
    assert decide(pressed, state(Step.idle)) is Do.cancel_appointment
