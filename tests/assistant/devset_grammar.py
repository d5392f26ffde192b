"""Generated dev-set rows: a complaint, a wish and the ways people type them.

Complaints are written the way patients, parents and the elderly say them (not the
lexicon's words); each carries its gold specialty and the clinically acceptable others.
A row joins a complaint with a wish from `date_grammar` (whose oracle gives the gold
window) and may be typed without punctuation, in lower case, in Latin letters, or with
chat abbreviations. The rows are drawn from a fixed seed: the same set on every run.
"""

from __future__ import annotations

import random
import re
from datetime import date
from typing import Any

from tests.assistant.date_grammar import compose

# (text, gold, acceptable alternatives)
Complaint = tuple[str, str, tuple[str, ...]]

RU: tuple[Complaint, ...] = (
    ("второй день температура под 39, ломит всё тело", "therapist", ()),
    ("простыл, кашель и насморк, нужен больничный", "therapist", ("ent",)),
    ("слабость какая-то, быстро устаю, хочу сдать анализы", "therapist", ("endocrinologist",)),
    ("нужна справка в бассейн", "therapist", ()),
    ("кашляю уже две недели, мокрота", "therapist", ()),
    ("пройти диспансеризацию", "therapist", ()),
    ("сердце колотится и перебои, особенно вечером", "cardiologist", ()),
    ("давление скачет, то 150 то 100", "cardiologist", ("therapist",)),
    ("одышка и ноги отекают к вечеру", "cardiologist", ("therapist",)),
    ("хочу сделать экг и проверить сердце", "cardiologist", ("therapist",)),
    ("высокий холестерин, врач сказал к кардиологу", "cardiologist", ()),
    ("голова болит почти каждый день, таблетки не помогают", "neurologist", ()),
    ("спину прихватило, поясница не разгибается", "neurologist", ("traumatologist",)),
    ("немеют пальцы на руке по ночам", "neurologist", ()),
    ("кружится голова когда встаю", "neurologist", ("therapist", "cardiologist")),
    ("мигрень замучила", "neurologist", ()),
    ("плохо сплю, бессонница месяц", "neurologist", ("psychotherapist",)),
    ("зуб болит, щёку раздуло", "dentist", ()),
    ("выпала пломба", "dentist", ()),
    ("десна кровит и болит", "dentist", ()),
    ("хочу поставить брекеты ребёнку", "dentist", ()),
    ("зубик у сына шатается и болит", "dentist", ("pediatrician",)),
    ("ухо стреляет и заложило", "ent", ()),
    ("горло болит, глотать больно", "ent", ("therapist",)),
    ("нос не дышит месяц, капли не помогают", "ent", ()),
    ("храплю сильно", "ent", ()),
    ("в ушах звенит", "ent", ("neurologist",)),
    ("глаза красные и слезятся", "ophthalmologist", ()),
    ("стал хуже видеть вдаль, надо подобрать очки", "ophthalmologist", ()),
    ("ячмень на веке", "ophthalmologist", ()),
    ("мушки перед глазами, хочу проверить глазное дно", "ophthalmologist", ()),
    ("сыпь на руках чешется", "dermatologist", ()),
    ("родинка изменилась, потемнела", "dermatologist", ()),
    ("прыщи на лице не проходят", "dermatologist", ()),
    ("грибок на ногтях", "dermatologist", ()),
    ("волосы сильно выпадают", "dermatologist", ("endocrinologist",)),
    ("изжога после еды и отрыжка", "gastroenterologist", ()),
    ("живот болит после жирного, горечь во рту", "gastroenterologist", ()),
    ("запоры замучили", "gastroenterologist", ()),
    ("вздутие и понос неделю", "gastroenterologist", ("therapist",)),
    ("хочу сделать гастроскопию", "gastroenterologist", ()),
    ("задержка месячных неделю", "gynecologist", ()),
    ("хочу подобрать контрацепцию", "gynecologist", ()),
    ("тянет внизу живота, выделения", "gynecologist", ()),
    ("беременна, хочу встать на учёт", "gynecologist", ()),
    ("часто бегаю в туалет ночью", "urologist", ()),
    ("больно писать, жжение", "urologist", ("gynecologist",)),
    ("проблемы с потенцией", "urologist", ()),
    ("камни в почках, хочу к урологу", "urologist", ()),
    ("у ребёнка температура 38 и сопли", "pediatrician", ("ent", "therapist")),
    ("дочка кашляет третий день", "pediatrician", ()),
    ("нужна справка в садик", "pediatrician", ()),
    ("у малыша сыпь на щёчках", "pediatrician", ("dermatologist",)),
    ("сынок жалуется на животик", "pediatrician", ("gastroenterologist",)),
    ("подвернула ногу, лодыжка опухла", "traumatologist", ()),
    ("упал на руку, болит запястье", "traumatologist", ()),
    ("колено хрустит и болит при ходьбе", "traumatologist", ()),
    ("сняли гипс, нужен контроль", "traumatologist", ()),
    ("сахар 9 натощак", "endocrinologist", ("therapist",)),
    ("щитовидка увеличена, хочу узи", "endocrinologist", ()),
    ("набрала вес и всё время хочется пить", "endocrinologist", ()),
    ("тревога постоянная, не могу успокоиться", "psychotherapist", ()),
    ("депрессия, ничего не радует", "psychotherapist", ()),
    ("панические атаки в метро", "psychotherapist", ()),
    ("выгорание на работе, плачу без причины", "psychotherapist", ()),
    ("бабушке 80 лет, плохо слышит, надо проверить уши", "ent", ()),
    ("дед совсем плохо ходит, колени болят", "traumatologist", ("neurologist",)),
)

EN: tuple[Complaint, ...] = (
    ("I've had a fever and body aches since Monday", "therapist", ()),
    ("bad cold, need a sick note for work", "therapist", ("ent",)),
    ("need a general checkup and blood tests", "therapist", ()),
    ("cough that won't go away", "therapist", ()),
    ("heart keeps racing and skipping beats", "cardiologist", ()),
    ("high blood pressure, need my meds reviewed", "cardiologist", ("therapist",)),
    ("want an ECG, my heart flutters", "cardiologist", ()),
    ("swollen ankles and breathless on stairs", "cardiologist", ("therapist",)),
    ("migraines almost every week", "neurologist", ()),
    ("lower back pain going down my leg", "neurologist", ("traumatologist",)),
    ("numbness and tingling in my fingers", "neurologist", ()),
    ("dizzy spells when I stand up", "neurologist", ("therapist", "cardiologist")),
    ("toothache, my cheek is swollen", "dentist", ()),
    ("lost a filling", "dentist", ()),
    ("bleeding gums", "dentist", ()),
    ("need a cleaning and checkup at the dentist", "dentist", ()),
    ("earache and muffled hearing", "ent", ()),
    ("sore throat, hurts to swallow", "ent", ("therapist",)),
    ("blocked nose for weeks, sinus pressure", "ent", ()),
    ("ringing in my ears", "ent", ("neurologist",)),
    ("red itchy eyes", "ophthalmologist", ()),
    ("my vision is blurry, need new glasses", "ophthalmologist", ()),
    ("stye on my eyelid", "ophthalmologist", ()),
    ("itchy rash on my arms", "dermatologist", ()),
    ("a mole changed shape", "dermatologist", ()),
    ("acne that won't clear up", "dermatologist", ()),
    ("heartburn after every meal", "gastroenterologist", ()),
    ("bloating and diarrhoea for a week", "gastroenterologist", ("therapist",)),
    ("constipation for ages", "gastroenterologist", ()),
    ("my period is two weeks late", "gynecologist", ()),
    ("want to discuss birth control", "gynecologist", ()),
    ("need a smear test", "gynecologist", ()),
    ("burning when I pee", "urologist", ("gynecologist",)),
    ("getting up to pee several times a night", "urologist", ()),
    ("erectile problems", "urologist", ()),
    ("my son has a fever and a runny nose", "pediatrician", ("ent", "therapist")),
    ("my toddler has been coughing for 3 days", "pediatrician", ()),
    ("need a form signed for my kid's daycare", "pediatrician", ()),
    ("twisted my ankle playing football", "traumatologist", ()),
    ("my knee hurts when I climb stairs", "traumatologist", ()),
    ("fell on my wrist, it's swollen", "traumatologist", ()),
    ("blood sugar is high, I'm diabetic", "endocrinologist", ()),
    ("thyroid problems, always tired and cold", "endocrinologist", ("therapist",)),
    ("constantly anxious and can't relax", "psychotherapist", ()),
    ("feeling depressed for months", "psychotherapist", ()),
    ("panic attacks at work", "psychotherapist", ()),
    ("my mum is 85 and can't hear well", "ent", ()),
    ("can't fall asleep at night", "neurologist", ("psychotherapist",)),
)

# Nothing clinical: the assistant must ask what is wrong.
CLARIFY = {
    "ru": ("хочу записаться", "можно к врачу", "запишите меня пожалуйста",
           "добрый день, нужна запись", "здравствуйте"),
    "en": ("I'd like to book an appointment", "can I see a doctor", "need an appointment",
           "hello, booking please"),
}  # fmt: skip

_LATIN = str.maketrans(
    {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
     "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
     "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
     "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"}
)  # fmt: skip


def _typed(rnd: random.Random, text: str, lang: str) -> str:
    """The same message as a hurried phone user or voice input would send it."""
    style = rnd.random()
    if style < 0.15:
        # voice input: no punctuation (a dot inside a date stays: "3.07" is still a date)
        return re.sub(r"[,!?]|\.(?!\d)", "", text.lower())
    if style < 0.25 and lang == "ru":
        return text.lower().translate(_LATIN)  # Russian in Latin letters
    if style < 0.35:
        return text.lower()
    return text


def _row(text: str, gold: str | None, alternatives: tuple[str, ...], case: Any) -> dict[str, Any]:
    when = None
    if case is not None and (case.dates or case.times):
        dates = case.dates or (None, None)
        times = case.times or (None, None)
        when = {
            "date_from": dates[0] and dates[0].isoformat(),
            "date_to": dates[1] and dates[1].isoformat(),
            "time_from": times[0] and times[0].strftime("%H:%M"),
            "time_to": times[1] and times[1].strftime("%H:%M"),
        }
    return {
        "text": text,
        "specialty": gold,
        "alternatives": list(alternatives),
        "emergency": False,
        "clarify": gold is None,
        "when": when,
    }


def generated_rows(today: date, count: int = 400, seed: int = 20251203) -> list[dict[str, Any]]:
    """`count` rows: complaints with and without wishes, and a few with nothing clinical."""
    rnd = random.Random(seed)
    rows = []
    for i in range(count):
        lang = "ru" if i % 3 else "en"
        complaints = RU if lang == "ru" else EN
        case = compose(rnd, today, lang, neutral=True) if rnd.random() < 0.7 else None
        wish = case.text if case is not None else ""
        if i % 25 == 0:
            text = rnd.choice(CLARIFY[lang])
            rows.append(_row(_typed(rnd, f"{text} {wish}".strip(), lang), None, (), case))
            continue
        complaint, gold, alternatives = rnd.choice(complaints)
        joint = rnd.choice((", ", ". ", " "))
        text = f"{complaint}{joint}{wish}" if wish and rnd.random() < 0.6 else f"{wish} {complaint}"
        rows.append(_row(_typed(rnd, text.strip(), lang), gold, alternatives, case))
    return rows
