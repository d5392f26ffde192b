"""The emergency check that runs on every typed message, before any understander.

It uses the triage's red flags (`clinic.assistant.triage.find_red_flag`): whatever step the
conversation is in and whatever model is plugged in, a red flag gets 103/112 and no slots.

On top of them, a conversation-aware net for a stated plan to end one's life, which the
triage's single-message vocabulary can miss when it is said in passing ("купил верёвку и
решил, что сделаю это в выходные", "I've got the pills ready and I'm going to take them
all tonight"): a means together with its preparation, a decision or a time; "all the
pills" likewise; and, once the conversation has shown distress (despair said, or a
psychotherapist asked for), a decision with a time or an unmistakable intent.
"""

from dataclasses import dataclass

from clinic.assistant.normalize import MAX_CHARS
from clinic.assistant.triage import find_red_flag
from clinic.dialog.phrases import Message, family

SELF_HARM = "self_harm"

# Means that are rarely anything else in a clinic's chat.
MEANS = family(
    "веревка", "петля", "лезвие", "бритва", "пистолет", "ружье", "обрез",
    "rope", "noose", "razor blade|blades", "gun", "pistol", "rifle", "shotgun",
)  # fmt: skip
# A height to go up to, which after despair and with a time or a decision is a means.
HEIGHT = family("крыша", "мост", "балкон", "высотка", "roof", "bridge", "ledge", "balcony")
GO_UP = family(
    "пойти", "пойду", "прыгнуть", "прыгну", "шагнуть", "шагну", "залезть", "залезу",
    "подняться", "поднимусь", "сброситься", "go", "going", "jump", "climb", "step off",
)  # fmt: skip
PILLS = family(
    "таблетка", "таблетки", "снотворное", "снотворного", "колеса", "лекарства",
    "pills", "tablets", "sleeping pills", "meds", "painkillers",
)  # fmt: skip
# The whole supply, not one dose.
ALL = family(
    "все", "всю пачку|упаковку|банку", "разом", "горсть", "целую пачку|упаковку",
    "накопил|накопила|копил|копила|собрал|собрала", "all of them", "them all", "all",
    "whole bottle|pack|box|packet", "handful", "stockpile*", "saved up", "overdose",
)  # fmt: skip
PREPARED = family(
    "купил|купила", "приготовил|приготовила|подготовил|подготовила", "припас|припасла",
    "достал|достала", "раздобыл|раздобыла", "готова|готов|готово|наготове", "лежит наготове",
    "уже есть|лежит|лежат", "ready", "bought", "prepared", "got", "i've got", "have got",
    "set up", "tied", "sorted out", "in my pocket|drawer|bag",
)  # fmt: skip
DECIDED = family(
    "решил|решила|решено", "сделаю это", "сделать это", "все решила|решил", "do it",
    "doing it", "going to", "gonna", "i'll", "i will", "decided", "made up my mind",
)  # fmt: skip
# "Doing it" with no object: in despair, with a time, a plan ("сделаю это в выходные").
DO_IT = family(
    "сделаю это", "сделать это", "решусь", "все|всё закончу|закончить", "do it", "doing it",
    "going to do it", "i'll do it",
)  # fmt: skip
# Unmistakable in any conversation.
GONE = family(
    "меня не станет", "меня больше не будет", "end my life", "take my life",
    "won't be around anymore", "won't be alive", "i will not be alive",
)  # fmt: skip
# Unmistakable, once the conversation has shown distress.
STRONG = family(
    "покончить", "покончу", "закончить все|всё|жизнь", "закончу все|всё", "уйти навсегда",
    "уйду навсегда", "меня не станет", "не проснусь", "не проснуться", "свести счеты",
    "попрощаться со всеми", "прощальный записка|письмо",
    "end it all", "end my life", "kill myself", "not wake up", "won't wake up",
    "say goodbye to everyone", "suicide note", "won't be around anymore", "take my life",
)  # fmt: skip
SOON = family(
    "сегодня", "сегодня ночью|вечером", "ночью", "завтра", "в выходные", "на выходных",
    "скоро", "этой ночью", "tonight", "today", "tomorrow", "this weekend", "at the weekend",
    "soon", "this week",
)  # fmt: skip
DESPAIR = family(
    "безнадежно", "нет смысла жить", "не вижу смысла", "смысла нет", "устал|устала жить",
    "устал|устала от жизни", "никому не нужен|нужна", "все бессмысленно", "надоело жить",
    "жить не хочется", "не хочу так жить",
    "hopeless", "no point", "can't go on", "cannot go on", "nobody cares", "no one cares",
    "tired of living", "a burden to", "worthless", "no way out", "want to disappear",
    "nothing to live for",
)  # fmt: skip
# Swallowing them, not bringing them along.
INGEST = family(
    "выпить", "выпью", "проглотить", "проглочу", "наглотаться", "наглотаюсь", "съесть", "съем",
    "принять", "приму", "накопил|накопила", "take", "swallow", "down", "overdose", "eat",
    "saving up", "saved up", "stockpil*",
)  # fmt: skip
QUESTION = family("можно ли", "можно", "нужно ли", "стоит ли", "can i", "should i", "is it ok")
# A course of treatment, not a plan: "выпила все таблетки, что назначили, не помогло".
TREATMENT = family(
    "назначить", "прописать", "выписать", "курс", "не помочь", "не помогать", "антибиотик",
    "по схеме", "от давления|головы|боли|температуры|кашля",
    "prescribed", "course", "didn't help", "not helping", "antibiotics", "as directed",
    "for my blood pressure|headache|pain|cough",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Alarm:
    category: str  # the red flag's category; "self_harm" gets the crisis line too


def check(text: str, *, distress: bool = False, despair: bool = False) -> Alarm | None:
    """The red flag in the message, if any. The whole message is read (up to the triage's
    own cap), not only what the understander reads. `distress`: the conversation is about
    the patient's mind (a psychotherapist asked for, despair said); `despair`: despair was
    said in so many words, which makes "сделаю это в выходные" a plan."""
    text = text[:MAX_CHARS]
    hit = find_red_flag(text)
    if hit is not None:
        return Alarm(category=getattr(hit.flag, "category", "") or "emergency")
    if plans_to_die(Message(text), distress=distress, despair=despair):
        return Alarm(category=SELF_HARM)
    return None


def plans_to_die(msg: Message, *, distress: bool = False, despair: bool = False) -> bool:
    """A stated plan to end one's life: a means with its preparation, a decision or a time;
    the whole supply of pills to be swallowed, got ready, decided on or timed (a question
    about a dose, or a course of treatment, is no plan); in distress (a psychotherapist
    asked for), an unmistakable intent; in despair said in words, "doing it" with a time."""
    despair = despair or shows_despair(msg)
    prepared, decided, soon = msg.has(PREPARED), msg.has(DECIDED), msg.has(SOON)
    if msg.has(MEANS, negatable=False) and (prepared or decided or soon or despair):
        return True
    if (
        msg.has(PILLS, negatable=False)
        and msg.has(ALL, negatable=False)
        and msg.has(INGEST, negatable=False)
        and not msg.has(TREATMENT, negatable=False)
    ):
        asked = "?" in msg.text or msg.has(QUESTION)
        if despair or (not asked and (prepared or decided or soon)):
            return True
    if msg.has(GONE, negatable=False):
        return True
    if (distress or despair) and msg.has(STRONG, negatable=False):
        return True
    if despair and msg.has(HEIGHT, negatable=False) and msg.has(GO_UP):
        return decided or msg.has(SOON)
    return despair and msg.has(DO_IT) and msg.has(SOON)


def shows_despair(msg: Message) -> bool:
    """Despair in so many words ("нет смысла жить", "can't go on")."""
    return msg.has(DESPAIR, negatable=False)
