"""The conversation's own net for a stated plan to end one's life, and its look-alikes.

The triage's red flags come first (`clinic.assistant`); these are plans said in passing that
a single-message vocabulary can miss: a means got ready, the whole supply of pills, "doing
it" with a time after despair was said. Ordinary messages about pills, razors and plans for
the weekend must pass untouched, in a psychotherapist's conversation too.
"""

import pytest

from clinic.dialog.safety import SELF_HARM, check
from tests.dialog.conftest import Patient

PLANS = [
    "купил верёвку и решил что сделаю это в выходные",
    "верёвку уже приготовил",
    "таблетки приготовила, выпью все сразу",
    "накопила снотворного, этой ночью всё закончу",
    "у меня есть пистолет, завтра всё решится",
    "всё, я решила. завтра меня не станет",
    "I've got the pills ready and I'm going to take them all tonight",
    "I have a rope ready",
    "the noose is tied",
    "I've been saving up my sleeping pills, I'm going to take them all",
]

LOOK_ALIKES = [
    "купил таблетки от давления, когда можно к терапевту?",
    "can I take all my pills at once?",
    "should I take all the pills tonight or in the morning?",
    "I take all my pills in the morning",
    "I'll bring all my pills tomorrow",
    "таблетки все закончились, нужен рецепт",
    "I'll do it tomorrow, book me for friday",
    "ok let's do it tonight",
    "хорошо, сделаю это завтра",
    "давайте сделаем это в пятницу",
    "я решила, давайте завтра",
    "порезался лезвием при бритье, нужно к терапевту",
    "у меня всё есть, приготовил документы на завтра",
    "я всё закончу с документами завтра и приду",
    "у меня депрессия, решила записаться к психотерапевту на завтра",
    "I'm going to be late tomorrow, can I move my appointment?",
    "у нас протекает крыша, завтра к терапевту",
]


@pytest.mark.parametrize("text", PLANS)
def test_a_stated_plan_gets_the_crisis_line_in_any_conversation(text: str) -> None:
    alarm = check(text)
    assert alarm is not None
    assert alarm.category == SELF_HARM


@pytest.mark.parametrize("text", LOOK_ALIKES)
@pytest.mark.parametrize("distress", [False, True])
def test_look_alikes_pass_even_in_a_psychotherapists_conversation(
    text: str, distress: bool
) -> None:
    assert check(text, distress=distress) is None


@pytest.mark.parametrize(
    "text",
    ["сделаю это в выходные", "I'm going to do it tonight", "решила, сделаю это завтра",
     "завтра пойду на крышу и всё", "I'm going to the bridge tonight"],
)  # fmt: skip
def test_after_despair_doing_it_with_a_time_is_a_plan(text: str) -> None:
    assert check(text) is None  # said on its own, it is nothing
    alarm = check(text, distress=True, despair=True)
    assert alarm is not None
    assert alarm.category == SELF_HARM


@pytest.mark.parametrize("text", ["I'm going to end it all tonight", "хочу покончить со всем"])
def test_in_a_psychotherapists_conversation_an_unmistakable_intent_is_enough(text: str) -> None:
    assert check(text, distress=True) is not None


async def test_despair_earlier_in_the_chat_makes_a_later_plan_a_crisis(
    patient: Patient,
) -> None:
    await patient.says("сил нет, всё безнадёжно, никому я не нужна")
    await patient.says("запишите к терапевту на понедельник")
    assert patient.slot_buttons or "На чьё имя" in patient.text

    await patient.says("впрочем неважно, я уже решила, сделаю это в выходные")

    assert "112" in patient.text
    assert not patient.slot_buttons


async def test_a_plan_mid_booking_gets_the_crisis_line_and_no_more_slots(
    patient: Patient,
) -> None:
    await patient.says("нужен психотерапевт, тревога")
    assert patient.slot_buttons
    await patient.says("честно говоря, таблетки уже приготовила, выпью все сегодня ночью")

    assert "112" in patient.text
    assert not patient.slot_buttons
    await patient.says("ладно, запишите на понедельник")
    assert not patient.slot_buttons
