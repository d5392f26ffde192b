"""The phrasings of each dialogue act, Russian and English, as phrase families.

Families, not sentences: each entry is the core of many ways of saying it ("подходить"
covers "подходит", "подойдёт ли"; "другой день" covers "а в другой день можно?"). See
`phrases` for how a phrase is matched.
"""

from clinic.dialog.phrases import family

# --- answers to a proposal -------------------------------------------------------------------

AFFIRM = family(
    "да", "ага", "угу", "конечно", "давай|давайте", "хорошо", "ладно", "ок|окей|ok|okay|okey|okei",
    "отлично", "супер", "прекрасно", "подходить", "подойдет", "устраивать", "годиться",
    "согласен|согласна|согласный", "записывать", "записать", "бронировать", "забронировать",
    "подтверждать", "подтвердить", "верно", "правильно", "идет", "пойдет", "беру", "возьму",
    "оформлять", "оформить", "можно", "точно", "именно", "норм|нормально", "сойдет",
    "yes", "yeah", "yep", "yup", "sure", "sure thing", "fine", "great", "perfect", "good",
    "alright", "all right", "sound good", "work", "book", "go ahead", "confirm", "correct", "right",
    "please do", "let's", "take", "absolutely", "of course", "suit", "do it", "agree",
)  # fmt: skip
DENY = family(
    "нет", "неа", "не подходить", "не подойдет", "не устраивать", "не годиться", "не надо",
    "не нужно", "не хотеть", "не то", "не получится", "не могу", "не смогу", "не записывать",
    "не записать", "не стоит", "отказаться",
    "no", "nope", "nah", "not really", "doesn't|doesnt|don't|dont suit|work|fit",
    "does|do not suit|work|fit",
    "not good", "can't|cant|cannot make", "not suit", "don't want", "no thanks",
    # "none of these suit me", "nothing here works": every time offered turned down
    "none|nothing suit|suits|work|works|fit|fits|do|does",
)  # fmt: skip
LATER = family(
    "позже", "попозже", "попоздней", "попозднее", "позднее", "по позже", "более позднее",
    "ближе к вечеру", "не так рано", "слишком рано", "рановато",
    "later", "too early", "something later", "a bit later",
)  # fmt: skip
EARLIER = family(
    "раньше", "пораньше", "ранее", "поранее", "более раннее", "слишком поздно", "поздновато",
    "earlier", "sooner", "too late",
)  # fmt: skip
# "как можно раньше" is a wish (as soon as possible), not "earlier than this".
ASAP = family("как можно раньше|скорее|быстрее|пораньше", "as soon as possible", "asap")
OTHER_DAY = family(
    "другой|иной день|дата|число|дни", "другие дни", "следующий день", "на другой день",
    "в другой раз", "another|different|other day|date", "the next day", "some other day",
)  # fmt: skip
# Said of a day: "этот день не подходит", "в пятницу не могу", "not on Monday".
DAY_REFUSAL = family(
    "не могу", "не смогу", "не получится", "не подходить", "не подойдет", "не устраивать",
    "не выйдет", "занят|занята|заняты", "кроме", "не в", "не во", "никак", "неудобно",
    "не удобно", "inconvenient",
    "can't|cant|cannot", "not on", "not", "busy", "except", "doesn't|doesnt work|suit",
    "won't work", "no good", "bad",
)  # fmt: skip
THAT_DAY = family("этот|тот день", "в этот день", "that|this day", "on that day")
OTHER_DOCTOR = family(
    "другой|иной врач|доктор|специалист|врачиха", "к другому", "не к этому|этой",
    "не этот|эта врач|доктор", "не к нему|ней",
    "another|different|other doctor|physician|specialist", "someone else",
    "somebody else", "not this doctor", "not him|her",
)  # fmt: skip
# A change of specialist or doctor ("вместо", "instead", "поменяйте на", "make it").
SWITCH = (
    *OTHER_DOCTOR,
    *family(
        "вместо", "instead", "лучше", "поменять|сменить|изменить|заменить", "change|switch|swap",
        "make it", "rather", "actually",
    ),
)  # fmt: skip
NEGATION = family("не", "not", "no", "нет")
BACK = family("другое время", "выбрать другое", "another time", "different time", "other time")

# --- contact details ---------------------------------------------------------------------

NAME_CUES = family(
    "меня зовут", "зовут", "мое имя", "имя", "фамилия", "на имя", "пациент", "пациентка",
    "my name", "name is", "i am", "i'm", "this is", "patient",
)  # fmt: skip
NO_PHONE = family(
    "без телефон*", "не хочу давать|оставлять|указывать", "не буду давать|оставлять|указывать",
    "телефон не нужен|надо", "без номера", "не дам", "no phone", "without phone|number",
    "rather not", "don't want to give|share", "skip",
)  # fmt: skip

# --- my appointments ---------------------------------------------------------------------

APPOINTMENT_WORDS = family(
    "запись", "прием", "визит", "бронь", "бронирование", "талон",
    "appointment", "booking", "visit", "reservation", "slot",
)  # fmt: skip
MY = family("мой", "моя", "мои", "у меня", "я записан|записана|записаны", "my", "i have", "am i")
LIST_MINE = family(
    "мой запись|прием|визит|бронь|записи", "у меня запись|прием|записи", "есть ли у меня",
    "куда|когда я записан|записана", "на когда я записан|записана",
    "я записан|записана куда|когда|на",
    "я записан|записана", "when am i", "am i seeing",
    "когда мне к|на|идти", "когда мой прием|визит", "список мой|моих",
    "покажи|показать|посмотреть|напомни|напомнить мой|мои|записи",
    "какие|что у меня", "у меня остался|осталась|остались|остается|есть", "что осталось",
    "my appointment|appointments|booking|bookings|visit|visits", "do i have",
    "do i still have", "have i got", "what's left", "what is left",
    "am i booked", "when is my", "show my", "list my", "what appointment|appointments",
    "which appointment|appointments",
)  # fmt: skip
# Whether one of the patient's appointments still stands: "а к зубному остаётся?", "is my
# dentist one still on?", "остальные записи в силе?".
STILL_ON = family(
    "остается|остаются|осталась|остался|остались|осталось|сохранилась|сохранился|сохранились",
    "сохраняется|сохраняются|действует|действуют|актуальна|актуальны|актуален", "в силе",
    "не отменилась|отменился|отменились|отменена|отменен|отменены|отменили|слетела|слетели",
    "все еще|ещё|еще записан|записана|записаны|стоит|стоят",
    "у меня еще|ещё есть|записи|запись|запланировано|записано",
    "still on|valid|there|booked|standing|scheduled|active|happening|good|stands",
    "still have|got", "not cancelled|canceled", "what else", "anything else booked|scheduled",
    "other|remaining appointment|appointments|bookings|ones", "the rest",
    "остальные|другие мои|записи|приемы", "что еще|ещё у меня|запланировано|записано",
)  # fmt: skip
# Something planned for the patient: "что у меня запланировано", "what have I got booked".
PLANNED = family(
    "запланировать", "записать", "назначить", "запись", "прием", "визит",
    "planned", "scheduled", "booked", "appointment|appointments",
)  # fmt: skip
# Wanting a new visit, which no question about the old ones is.
WANT = family(
    "давай|давайте", "хотеть", "нужно|надо|нужен|нужна", "запиши|запишите",
    "want|wants", "need|needs", "would like", "let's", "book me",
)  # fmt: skip
COMING_TIME = family(
    "ближайш* время|дни|неделя|недели|дней", "coming days|weeks",
    "near future", "anytime soon", "upcoming",
)  # fmt: skip
FREE_WORDS = family("свободн*", "окошк*", "free", "available", "opening*", "slot*")
CANCEL_VERB = family(
    "отменить", "отменять", "отмена", "отмените", "удалить", "снять", "убрать", "аннулировать",
    "не приду", "не смогу прийти|прийти|придти|подойти", "не получится прийти",
    "cancel", "call off", "delete", "remove", "drop", "отказаться от", "won't|wont come|make",
    "can't|cant|cannot come",
    "can't|cant|cannot make it",
)  # fmt: skip
RESCHEDULE_VERB = family(
    "перенести", "переносить", "перенос", "перезаписать", "перезаписаться", "передвинуть",
    "сдвинуть", "поменять|изменить|сменить время|дату|день|запись",
    "reschedule", "move", "postpone", "push", "rebook", "change the|my time|date|day|appointment",
    "change appointment",
)  # fmt: skip

# --- the rest of the conversation ----------------------------------------------------------

STOP = family(
    "отмена", "стоп", "хватит", "начать заново|сначала", "заново", "сначала",
    "передумал|передумала", "отбой", "не надо ничего", "ничего не надо",
    "start over", "restart", "never mind", "nevermind", "forget it", "stop", "cancel", "quit",
    "changed my mind",
)  # fmt: skip
GREET = family(
    "привет", "здравствовать", "здравствуйте", "добрый день|вечер|утро", "доброе утро",
    "приветствую", "салют", "hello", "hi", "hey", "good morning|afternoon|evening", "greetings",
)  # fmt: skip
THANKS = family(
    "спасибо", "благодарить", "спс", "до свидания", "всего доброго", "пока",
    "thank*", "thx", "cheers", "bye", "goodbye",
)  # fmt: skip
HELP = family(
    "помощь", "что ты умеешь|можешь", "что умеешь", "что вы умеете|можете", "как пользоваться",
    "как это работает",
    "help", "what can you do", "how does it|this work",
)  # fmt: skip
CLINIC_INFO = family(
    "адрес", "где вы находиться", "где находиться клиника", "как добраться|проехать",
    "часы работы", "режим работы", "во сколько открываться|закрываться", "стоимость", "цена",
    "сколько стоить", "прайс",
    "address", "where are you", "where is the clinic", "location", "opening hours",
    "how much", "price", "cost", "insurance", "страховка", "полис", "дмс", "омс",
    "телефон|номер регистратуры|клиники", "your phone|number", "clinic's phone|number",
    "phone|number of the clinic|front desk",
)  # fmt: skip
ADDRESS = family(
    "адрес", "где", "добраться", "проехать", "address", "where", "location", "get there"
)

# --- refusals ------------------------------------------------------------------------------

INSTRUCTIONS = family(
    "промпт", "prompt", "системный сообщение|инструкция|промпт", "твой|свой|ваш инструкция",
    "инструкция твой|свой", "внутренний инструкция|правило|настройка",
    "игнорировать|забыть|проигнорировать предыдущий|все|свой|твой инструкция|правило",
    "игнорируй*", "забудь* инструкц*|правил*", "твой правило|настройка|конфигурация",
    "покажи|выведи|расскажи инструкци*|правил*|настройк*", "режим разработчика",
    "api ключ", "токен", "пароль",
    "your instructions|rules|prompt|configuration|guidelines", "system prompt|message",
    "internal instructions|rules", "initial instructions", "ignore all|previous|prior|your",
    "disregard", "developer mode", "jailbreak", "reveal", "api key", "token", "password",
    "what were you told", "rules were you given", "were you given", "word for word", "verbatim",
    "how were you programmed|instructed|configured", "what are your rules",
    "какие у тебя|вас правила|инструкции", "что тебе сказали|велели", "дословно",
    "как тебя настроили|запрограммировали",
    "забудь|забудьте все|всё что", "forget everything|all", "ты теперь", "теперь ты",
    "you are now", "act as", "притворись", "pretend you|to be", "новые|new инструкции|instructions",
    "system:", "developer:", "sudo", "jailbreak",
)  # fmt: skip
STAFF_ROLES = family(
    "администратор", "админ", "сотрудник", "персонал", "регистратор", "регистратура",
    "менеджер", "главврач", "главный врач", "разработчик", "владелец", "руководство",
    "модератор", "оператор", "ресепш*", "рецепция",
    "admin", "administrator", "staff", "employee", "manager", "receptionist", "developer",
    "owner", "moderator", "operator", "superuser", "root", "front desk", "reception",
    "clinic staff", "clinic team",
)  # fmt: skip
# Roles anyone may have as a patient too ("я врач, запишите меня к стоматологу"): a claim of
# one is refused only together with a request about other people.
CLINIC_ROLES = family(
    "врач", "доктор", "медсестра", "медбрат", "медработник", "фельдшер", "заведующий",
    "заведующая", "из клиники|поликлиники|больницы", "из регистратуры",
    "doctor", "dr", "physician", "nurse", "gp", "from clinic|practice|hospital", "clinician",
    "medical staff", "head of",
)  # fmt: skip
# Words that mark a claim beside a role: before it ("я", "this is", "I'm from the"), or
# after it ("nurse here", "регистратура беспокоит").
CLAIM_BEFORE = frozenset(
    "я мы это i i'm im am we as this it's its here's from работаю работает work works из".split()
)
CLAIM_AFTER = frozenset("here speaking беспокоит говорит пишет на".split())
# A request about other people's bookings: a list, who is booked, their names or phones.
ABOUT_OTHERS = family(
    "list|show|send|give|print|export|pull|all|today's|tomorrow's "
    "appointment|appointments|bookings|booking|patients|schedule",
    "покажи|покажите|пришлите|пришли|выведи|выведите|дай|дайте|скинь|скиньте|нужен|нужны "
    "запись|записи|пациент|пациенты|расписание|список|график",
    "список|перечень",
)  # fmt: skip
SELF = family("я", "мы", "i", "i'm", "im", "we", "as", "как")
STAFF_RIGHTS = family(
    "права администратора|админа|доступа", "доступ", "режим администратора|админа",
    "полномочия", "admin rights|mode|access|privileges", "access", "privileges",
)  # fmt: skip
OTHERS = family(
    "другой|чужой|остальной|все|всех|любой|каждый пациент|клиент|человек|люди|пользователь",
    "другой|чужой запись|записи|данные", "все|всех запись|записи|пациент|пациенты",
    "кто записан|записана|записаны|записался|записалась|придет",
    "кто еще записан|записался", "список пациентов|клиентов|записей",
    "телефон|номер|адрес|данные|фамилия пациента|пациентки|пациентов|клиента|клиентов",
    "other patient|patients|people|users|clients|person", "someone else's", "somebody else's",
    "everyone's", "everybody's", "all appointments|bookings|patients", "who else",
    "who is booked|coming|scheduled|seeing|visiting", "who's booked|coming|scheduled|seeing",
    "who are booked|coming|scheduled|seeing", "who sees|visits", "who has appointment|booking",
    "patient list", "кто идет|ходит|пойдет|будет к|у", "кто на прием|приеме|приём|приёме",
    "list of patients", "phone|number|address|details of patient|patients|another|other|someone",
    "other people's",
    "сколько людей|человек|пациентов записано|записалось|записаны",
    "how many people|patients are|have booked",
    "everyone|everybody|anyone booked|scheduled|coming|registered|who's|who",
    "list everyone|everybody|all", "all patients|people|bookings|appointments",
    "people|patients booked|scheduled|coming", "names|phones|numbers|contacts people|patients",
    "who has|have appointment|appointments|booking", "who's got appointment|appointments",
    "всех записанных|записавшихся|пациентов", "список записанных|записавшихся",
    "фамилии|имена|телефоны|номера|контакты записанных|записавшихся|пациентов|людей",
    "кто придет|будет|есть завтра|сегодня|в|на|к", "кто еще придет",
)  # fmt: skip
# The patient's own booking, whoever it is for: "у меня приём у сына", "I booked my son".
OWN_BOOKING = family(
    "у меня запись|записи|прием|приемы|визит", "я записал|записала|записывал|записывала",
    "мой|моя|мои запись|записи|прием", "i booked|made|scheduled", "under my name|account",
    "from my account", "my appointment|appointments|booking|bookings",
)  # fmt: skip
_RELATION = (
    "мама|мать|папа|отец|муж|жена|сын|дочь|дочка|брат|сестра|бабушка|дедушка|сосед|соседка|"
    "подруга|друг|коллега|свекровь|теща|mother|mom|mum|father|dad|husband|wife|son|daughter|"
    "brother|sister|grandma|grandmother|grandpa|grandfather|neighbour|neighbor|friend|colleague"
)
_VISIT = "appointment|booking|visit|slot|прием|запись|визит|записана|записан|booked"
# A relative's booking: "my wife Ursula's appointment", "приём у мамы", "запись мужа".
RELATIVES_BOOKING = family(f"{_RELATION} {_VISIT}", f"{_VISIT} {_RELATION}")
# Someone other than the patient, by a pronoun or who they are ("соседки", "my wife's"); with
# one of their details ("ну хоть телефон её скажите", "what's his number then").
_PERSON = (
    "она|он|они|her|his|him|she|he|their|them|they|hers|мама|мать|папа|отец|муж|жена|сын|дочь|"
    "дочка|брат|сестра|бабушка|дедушка|сосед|соседка|подруга|друг|коллега|свекровь|теща|"
    "mother|mom|mum|father|dad|husband|wife|son|daughter|brother|sister|grandma|grandmother|"
    "grandpa|grandfather|neighbour|neighbor|friend|colleague|человек|person|patient|пациент|"
    "пациентка|женщина|мужчина|woman|man|lady|guy"
)
_DETAILS = (
    "телефон|телефончик|номер|номерок|адрес|адресок|фамилия|контакт*|данные|паспорт*|почта|email|e-mail|"
    "диагноз|медкарта|карта|анкета|phone|number|address|surname|contact*|details|email|"
    "diagnosis|records|record|chart|file|dob|birthday|info|information"
)
THEIR_DETAILS = family(f"{_PERSON} {_DETAILS}", f"{_DETAILS} {_PERSON}")
DETAILS = family(_DETAILS)
# Asking to be told something: "скажите", "what's", "give me", "хоть".
REVEAL = family(
    "скажите|скажи|сказать|дайте|дай|дать|назовите|назови|напишите|напиши|покажите|покажи",
    "пришлите|пришли|подскажите|подскажи|сообщите|продиктуйте|скиньте|скинь|узнать|какой",
    "какая|какие|какое|где|когда|хоть|нужен|нужна|нужны", "во сколько", "хотя бы",
    "tell|give|what|what's|whats|show|send|share|where|which|when|need|want", "let me know",
    "at least", "can i have|get",
)  # fmt: skip
# The clinic's own details are no one's private data ("адрес клиники, она на Ленина?").
CLINIC_WORDS = family(
    "клиника", "поликлиника", "регистратура", "clinic", "practice", "front desk", "reception",
)  # fmt: skip
# A booking for a time that has passed: "на вчера", "задним числом", "for last Monday".
PERSONAL = family("записан|записана|записаны", "телефон", "номер", "phone", "number", "booked")
RELATIVES = family(
    "мама", "мать", "папа", "отец", "муж", "жена", "сын", "дочь", "дочка", "брат", "сестра",
    "бабушка", "дедушка", "сосед", "соседка", "подруга", "друг", "коллега", "свекровь", "теща",
    "mother", "mom", "mum", "father", "dad", "husband", "wife", "son", "daughter", "brother",
    "sister", "grandma", "grandmother", "grandpa", "grandfather", "neighbour", "neighbor",
    "friend", "colleague", "her", "his", "she", "he",
)  # fmt: skip
ASKING = family(
    "когда", "во сколько", "какое время", "на какое время|число", "покажи", "показать",
    "скажи", "скажите", "подскажите", "узнать", "отмени", "отмените", "отменить", "перенеси",
    "перенесите", "what time", "when", "show", "tell", "cancel", "check", "which day", "move",
)  # fmt: skip
BOOKED = family(
    "записан", "записана", "записаны", "записался", "записалась", "есть запись",
    "его|ее|её запись|прием|время", "запись|прием мамы|мужа|жены|папы|отца|сына|дочери|бабушки",
    "у мамы|мужа|жены|папы|отца|сына|дочери запись|прием",
    "is booked", "booked", "has an appointment", "her|his appointment|booking|time",
    "mother's|father's|mom's|mum's|dad's|wife's|husband's|son's|daughter's appointment|booking",
)  # fmt: skip
CAN = family("мочь", "можно", "can", "could")
BOOK_FOR = family(
    "запишите|запиши|записать|записывайте|хочу записать", "book her|him|my|me",
    "make an appointment",
)  # fmt: skip
INSIST = family(
    "мне можно", "мне же можно", "ну пожалуйста", "ну скажите", "имею право", "я же",
    "come on", "just tell", "i have the right", "i'm allowed", "i am allowed", "please just",
)  # fmt: skip
TIME_WORDS = family("время", "во сколько", "когда", "time", "when", "what time")
EVERYTHING = family("все|всех запись|записи|прием|приемы|визиты", "all appointments|bookings")
PAST_TARGET = family(
    "на|for|on вчера|позавчера|yesterday", "на вчерашний|позавчерашний|прошлый|прошедший|минувший",
    "задним|прошедшим|прошлым|вчерашним|старым числом|датой|днем", "вчерашний день|число",
    "for|on last", "backdate*", "back date*", "in the past", "past date|time|day",
    "date that has passed", "already passed",
)  # fmt: skip
PAST_WORDS = family("вчера", "позавчера", "yesterday", "ago", "назад")
BOOKING_WORDS = family(
    "запис*", "прием", "визит", "бронь", "бронировать", "забронировать", "оформить", "поставить",
    "book*", "appointment", "schedule", "reserve", "slot", "visit",
)  # fmt: skip
# Asking what the symptoms mean: a diagnosis, which a consultation gives, not a chat.
DIAGNOSIS = family(
    "что это может быть", "что со мной", "это опасно", "это нормально", "это серьезно",
    "стоит ли волноваться|беспокоиться", "какой диагноз", "что у меня",
    "what could it be", "what could this be", "is it serious|dangerous|normal",
    "is this serious|dangerous|normal", "should i worry|be worried", "what do i have",
)  # fmt: skip
MEDICAL_ADVICE = family(
    "какой лекарство|таблетка|препарат|антибиотик|мазь|капли|средство",
    "что выпить|принять|пить|принимать|колоть|мазать|капать",
    "что мне выпить|принять|пить|принимать", "чем лечить|лечиться|полечить|снять|сбить|мазать"
    "|помазать|полоскать|закапать|вылечить",
    "сколько|как пить|принимать|давать|колоть", "дозировка", "доза", "дозу",
    "можно ли пить|принимать|выпить|дать|колоть", "можно мне пить|принимать|выпить",
    "посоветовать лекарство|таблетки|средство|препарат", "выписать рецепт|лекарство",
    "назначить лечение|лекарство|таблетки", "какое лечение", "как лечить",
    "what medicine|medication|pill|pills|drug|drugs|antibiotic|cream|dose",
    "what should|can i take", "how much|many should|can|do i take", "dosage", "dose",
    "ok to take", "safe to take", "how to treat", "how do i treat",
    "treat it|this at home", "prescribe", "recommend medicine|medication|something|a drug",
)  # fmt: skip

# "во сколько врач принимает?": the doctor receives patients; no drug is taken.
DOCTOR_RECEIVES = family(
    "врач|доктор|специалист|он|она|терапевт|стоматолог принимать|вести|работать",
    "принимать|вести|работать врач|доктор|специалист",
)  # fmt: skip

# Talk of the mind: with it, an English "therapist" is the psychotherapist, not the GP.
MIND = family(
    "psychotherapist", "psychologist", "psychiatrist", "counsellor|counselor|counselling",
    "counseling", "talk to someone|somebody|anyone", "mental", "therapy", "anxiety", "anxious",
    "depression", "depressed", "panic", "stress", "stressed", "lonely", "loneliness", "grief",
    "mood", "feel|feeling|felt down|low|lost|empty|hopeless|overwhelmed", "hopeless",
    "can't cope", "burnout", "burned|burnt out", "trauma", "ptsd", "relationship",
    "couples|marriage|family|couple therapist", "emotions|emotional", "insomnia",
    "поговорить с кем-то|кем-нибудь|психологом|специалистом", "на душе", "тревога",
    "тревожно", "тревожность", "депрессия", "паника", "панический", "безнадежно", "апатия",
    "выгорание", "ничего не радует", "не справляюсь", "одиночество",
)  # fmt: skip

# --- positions in a list -------------------------------------------------------------------

ANY_TIME = family(
    "любой|любое время|день", "когда угодно", "без разницы", "все равно", "не важно", "неважно",
    "как удобно вам", "any time", "anytime", "whenever", "doesn't|does not matter",
    "no preference", "any day",
)  # fmt: skip
# A question about a time ("а в 9:30 можно?") shows it; an agreement ("давайте в 9:30") takes it.
QUESTION = family(
    "можно ли", "а можно", "есть ли", "свободно ли", "будет ли", "нет ли", "а есть",
    "is there", "are there", "do you have", "have you got", "any chance", "could i|we",
    "can i|we", "is it free|possible|available", "is free|available|open",
    "свободно|свободен|свободна|свободны",
)  # fmt: skip
AGREEMENT = family(
    "давай|давайте", "беру", "возьму", "записывать", "записать", "запиши|запишите", "ок|окей",
    "записаться", "подходить", "устраивать", "годиться", "норм", "хорошо", "отлично", "пойдет",
    "пусть", "please", "let's", "book", "take", "go ahead", "ok|okay", "works", "fine", "great",
    "perfect", "put me down|in", "pencil me in", "reserve", "schedule me",
)  # fmt: skip
NEAREST = family(
    "ближайш*", "самый ранний", "пораньше который", "nearest", "earliest", "soonest",
    "first available", "the first one",
)  # fmt: skip
POSITIONS = (
    family("первый", "1-й", "first", "1st", "ближайш*", "nearest", "earliest", "soonest"),
    family("второй", "2-й", "second", "2nd"),
    family("третий", "3-й", "third", "3rd"),
    family("четвертый", "4-й", "fourth", "4th"),
    family("пятый", "5-й", "fifth", "5th"),
)
LAST = family("последний", "last", "the last one")

# --- what a message about something else looks like ------------------------------------------

OFF_TOPIC = family(
    "погода", "анекдот", "шутка", "пошутить", "новость", "политика", "президент", "выборы",
    "футбол", "хоккей", "матч", "рецепт блюда|пирога|торта", "приготовить", "курс доллара|евро",
    "доллар", "биткоин", "фильм", "кино", "сериал", "музыка", "песня", "стих", "стихотворение",
    "игра", "поиграть", "сказка", "столица", "гороскоп", "как дела", "как жизнь", "кто ты",
    "ты бот", "ты человек", "как тебя зовут", "домашнее задание", "реферат", "сочинение",
    "weather", "joke", "news", "politics", "president", "election", "football", "soccer",
    "match", "recipe", "cook", "bitcoin", "dollar", "movie", "film", "music", "song", "poem",
    "game", "story", "capital of", "horoscope", "how are you", "who are you", "are you a bot",
    "are you human", "homework", "essay",
)  # fmt: skip
# Words that keep a message on topic even when nothing else in it is understood.
ON_TOPIC = family(
    "вариант*", "окошко", "окно", "свободн*", "время", "приём", "option*", "free", "available",
    "врач", "доктор", "специалист", "клиника", "поликлиника", "медицинский", "справка",
    "анализ", "осмотр", "медосмотр", "консультация", "обследование", "прививка", "вакцинация",
    "узи", "мрт", "кт", "рентген", "направление", "больничный", "лечение", "здоровье",
    "болеть", "болит", "беспокоить", "у меня", "мне нужно|нужен|нужна|надо", "проблема",
    "doctor", "specialist", "clinic", "checkup", "check up", "consultation", "test",
    "certificate", "vaccine", "vaccination", "scan", "x-ray", "referral", "sick", "health",
    "treatment", "i need", "problem",
)  # fmt: skip
DRUGS = family(
    "ибупрофен", "парацетамол", "аспирин", "нурофен", "анальгин", "цитрамон", "но-шпа",
    "антибиотик", "обезболивающее", "жаропонижающее", "таблетка", "лекарство", "препарат",
    "ibuprofen", "paracetamol", "acetaminophen", "aspirin", "antibiotic*", "painkiller*",
    "medicine", "medication", "pill*", "tylenol", "advil",
)  # fmt: skip
ADVICE_QUESTION = family(
    "можно", "сколько", "как", "какой", "стоит ли", "нужно ли", "надо ли", "пить", "принимать",
    "дать", "выпить", "can", "should", "how", "which", "what", "take", "dose", "ok", "safe",
)  # fmt: skip

# Words of dates and times: the date parser reads them, so they never make a message
# "about something else".
DATE_WORDS = family(
    "сегодня", "завтра", "послезавтра", "понедельник", "вторник", "среда", "четверг", "пятница",
    "суббота", "воскресенье", "утро", "утром", "день", "днем", "вечер", "вечером", "ночь",
    "обед", "полдень", "после", "до", "неделя", "месяц", "число", "выходные", "час", "январь",
    "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
    "ноябрь", "декабрь", "следующий", "ближайший", "этот",
    "today", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "morning", "afternoon", "evening", "night", "noon", "midday", "lunch", "after",
    "before", "between", "until", "till", "week", "weekend", "month", "am", "pm", "o'clock",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "next", "this", "coming",
)  # fmt: skip

# The conversation's own words (what `off_topic` and name reading treat as known).
DIALOG = (
    AFFIRM, DENY, LATER, EARLIER, ASAP, OTHER_DAY, DAY_REFUSAL, THAT_DAY, OTHER_DOCTOR, BACK,
    NAME_CUES, NO_PHONE, APPOINTMENT_WORDS, MY, LIST_MINE, CANCEL_VERB, RESCHEDULE_VERB, STOP,
    GREET, THANKS, HELP, CLINIC_INFO, INSTRUCTIONS, STAFF_ROLES, STAFF_RIGHTS, OTHERS,
    CLINIC_ROLES, ABOUT_OTHERS, DETAILS, STILL_ON,
    EVERYTHING, PAST_TARGET, PAST_WORDS, BOOKING_WORDS, MEDICAL_ADVICE, ON_TOPIC, LAST,
    *POSITIONS,
)  # fmt: skip

SAME_TIME = family(
    "то же время", "тоже время", "это же время", "в то же время", "в тоже время", "same time",
    "the same hour", "same slot",
)  # fmt: skip
# A move relative to the appointment: its own day, the next one, a week on, the day before.
SAME_DAY = family(
    "того же дня", "тот|этот же день", "того|этого же числа", "тем же днем", "в тот день",
    "в этот день", "same day", "that day", "that same day", "the same day",
)  # fmt: skip
NEXT_DAY = family(
    "следующий день", "на день позже|вперед", "днем позже", "на завтрашний день после",
    "next day", "the day after", "a|one day later", "day later", "by a|one day",
)  # fmt: skip
DAY_BEFORE = family(
    "на день раньше", "днем раньше", "накануне", "the day before", "a|one day earlier",
    "day earlier",
)  # fmt: skip
WEEK_LATER = family(
    "на неделю позже|вперед|попозже", "на неделю", "неделей позже", "через неделю после",
    "a|one week later", "week later", "a week after", "by a|one week", "a week on",
    "тот|этот же день на|через следующей|неделю", "тот|этот же день через неделю",
    "same day next week", "same day the following week",
)  # fmt: skip
SAME_DOCTOR = family(
    "туда же", "к нему же", "к ней же", "к нему", "к ней", "тот же врач|доктор", "того же врача",
    "к тому же", "same doctor", "the same one", "same place", "him again", "her again",
)  # fmt: skip
