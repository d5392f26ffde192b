"""Everything the assistant says, in Russian and English, and how it writes dates."""

from datetime import datetime
from zoneinfo import ZoneInfo

from clinic.dialog.events import Lang

TEXTS: dict[str, dict[Lang, str]] = {
    "greeting": {
        "ru": "Здравствуйте! Я помогу записаться на приём в «{clinic}».\n\n"
        "Напишите, какой врач нужен или что беспокоит, и когда вам удобно прийти. "
        "Например: «болит зуб, завтра после 18».",
        "en": "Hello! I can book you an appointment at {clinic}.\n\n"
        "Tell me which doctor you need or what bothers you, and when you could come. "
        "For example: “toothache, tomorrow after 6 pm”.",
    },
    "help": {
        "ru": "Я записываю на приём к врачам клиники «{clinic}».\n\n"
        "• Напишите, что беспокоит или какой врач нужен, и когда удобно.\n"
        "• Уточняйте своими словами: «лучше после 18», «а в пятницу?», «другой врач».\n"
        "• /my — ваши записи (их можно отменить)\n"
        "• /cancel — начать заново\n\n"
        "Если состояние угрожает жизни, звоните 103 или 112.",
        "en": "I book appointments with the doctors of {clinic}.\n\n"
        "• Tell me what bothers you or which doctor you need, and when suits you.\n"
        "• Refine in your own words: “after 6 pm”, “what about Friday?”, “another doctor”.\n"
        "• /my — your appointments (you can cancel them)\n"
        "• /cancel — start over\n\n"
        "In a life-threatening situation call 103 or 112.",
    },
    "emergency": {
        "ru": "⚠️ Это может быть опасно. Пожалуйста, прямо сейчас позвоните 103 "
        "(скорая помощь) или 112. Не ждите записи к врачу.",
        "en": "⚠️ This may be an emergency. Please call 103 (ambulance) or 112 right now. "
        "Do not wait for an appointment.",
    },
    "ask_specialty": {
        "ru": "Уточните, пожалуйста: к какому врачу вы хотите записаться или что вас "
        "беспокоит? Можно выбрать ниже.",
        "en": "Could you tell me which doctor you need, or what bothers you? "
        "You can also pick one below.",
    },
    "default_specialty": {
        "ru": "Я не понял, какой врач нужен, поэтому предлагаю начать с терапевта: "
        "он осмотрит и при необходимости направит к специалисту.",
        "en": "I could not tell which doctor you need, so I suggest a general practitioner "
        "first: they will examine you and refer you if needed.",
    },
    "specialty_named": {"ru": "Вам подойдёт: {name}.", "en": "The right doctor: {name}."},
    "doctor_named": {
        "ru": "Записываю к врачу: {name} ({specialty}).",
        "en": "Booking with {name} ({specialty}).",
    },
    "because": {"ru": " (вы написали: «{words}»)", "en": " (you wrote: “{words}”)"},
    "ask_when": {
        "ru": "Когда вам удобно прийти? Выберите или напишите, например «в среду после 15».",
        "en": "When would suit you? Pick below or write, e.g. “Wednesday after 3 pm”.",
    },
    "ask_when_first": {
        "ru": "Запомнил, когда вам удобно. Теперь уточните, к какому врачу записаться.",
        "en": "Noted when suits you. Now, which doctor do you need?",
    },
    "wished_free": {
        "ru": "Желаемое время свободно:",
        "en": "Your wished time is free:",
    },
    "in_window": {
        "ru": "Ближайшее свободное время ({specialty}):",
        "en": "The nearest free times ({specialty}):",
    },
    "wished_taken": {
        "ru": "На это время записи нет. Ближайшее свободное время ({specialty}):",
        "en": "That time is not available. The nearest free times ({specialty}):",
    },
    "outside_window": {
        "ru": "В желаемые дни свободного времени нет. Ближайшее ({specialty}):",
        "en": "Nothing is free when you wished. The nearest free times ({specialty}):",
    },
    "later_offers": {
        "ru": "Ещё варианты ({specialty}):",
        "en": "More options ({specialty}):",
    },
    "other_doctor_offers": {
        "ru": "Время у других врачей ({specialty}):",
        "en": "Times with other doctors ({specialty}):",
    },
    "no_other_doctor": {
        "ru": "Других врачей этой специальности со свободным временем нет.",
        "en": "No other doctor of this specialty has free time.",
    },
    "no_slots": {
        "ru": "К сожалению, в ближайшие недели свободного времени ({specialty}) нет. "
        "Позвоните в регистратуру или попробуйте позже.",
        "en": "Sorry, there is no free time ({specialty}) in the coming weeks. "
        "Please call the front desk or try later.",
    },
    "refine_hint": {
        "ru": "Выберите время или напишите, что удобнее: «после 18», «в пятницу», «другой врач».",
        "en": "Pick a time or tell me what suits better: “after 6 pm”, “on Friday”, "
        "“another doctor”.",
    },
    "btn_other_time": {"ru": "🕑 Другое время", "en": "🕑 Another time"},
    "btn_other_doctor": {"ru": "👤 Другой врач", "en": "👤 Another doctor"},
    "btn_today": {"ru": "Сегодня", "en": "Today"},
    "btn_tomorrow": {"ru": "Завтра", "en": "Tomorrow"},
    "btn_week": {"ru": "На этой неделе", "en": "This week"},
    "btn_any": {"ru": "Любое время", "en": "Any time"},
    "chosen": {
        "ru": "Вы выбрали:\n{slot}\n\nНа чьё имя записать? Напишите фамилию и имя пациента.",
        "en": "You chose:\n{slot}\n\nWhose name should I book under? "
        "Write the patient's full name.",
    },
    "btn_use_name": {"ru": "Записать на «{name}»", "en": "Book as “{name}”"},
    "name_invalid": {
        "ru": "Пожалуйста, напишите имя пациента буквами (например, «Анна Иванова»).",
        "en": "Please write the patient's name in letters (e.g. “Anna Smith”).",
    },
    "ask_phone": {
        "ru": "Телефон для связи — по желанию: нажмите кнопку «Поделиться телефоном» "
        "или напишите номер.",
        "en": "A phone number is optional: press “Share my phone” or type the number.",
    },
    "btn_share_phone": {"ru": "📱 Поделиться телефоном", "en": "📱 Share my phone"},
    "summary": {
        "ru": "Проверьте, пожалуйста:\n{slot}\nПациент: {name}\nТелефон: {phone}\n\nЗаписать?",
        "en": "Please check:\n{slot}\nPatient: {name}\nPhone: {phone}\n\nBook it?",
    },
    "no_phone": {"ru": "не указан", "en": "not given"},
    "btn_confirm": {"ru": "✅ Записаться", "en": "✅ Book"},
    "btn_change_time": {"ru": "↩️ Выбрать другое время", "en": "↩️ Pick another time"},
    "btn_stop": {"ru": "✖️ Отмена", "en": "✖️ Cancel"},
    "booked": {
        "ru": "✅ Вы записаны! Номер записи: {id}.\n{slot}\nПациент: {name}\n"
        "Адрес: {address}\n\nОтменить запись можно командой /my.",
        "en": "✅ You are booked! Appointment number: {id}.\n{slot}\nPatient: {name}\n"
        "Address: {address}\n\nTo cancel, use /my.",
    },
    "already_booked": {
        "ru": "Эта запись уже сделана, номер {id}. Ваши записи: /my",
        "en": "This booking is already made, number {id}. Your appointments: /my",
    },
    "taken": {
        "ru": "Извините, это время только что заняли. Вот свободные варианты:",
        "en": "Sorry, someone has just taken this time. Here are free alternatives:",
    },
    "taken_no_alternatives": {
        "ru": "Извините, это время только что заняли, а рядом свободного времени нет.",
        "en": "Sorry, someone has just taken this time, and nothing near it is free.",
    },
    "refused": {
        "ru": "Это время уже нельзя забронировать. Подберу другое.",
        "en": "This time can no longer be booked. Let me find another one.",
    },
    "phone_invalid": {
        "ru": "Не получилось принять этот номер телефона. Напишите другой или запишитесь "
        "без телефона.",
        "en": "I could not accept this phone number. Type another one, or book without it.",
    },
    "phone_saved": {"ru": "Телефон записал.", "en": "Phone saved."},
    "unavailable": {
        "ru": "Сервис записи временно недоступен. Пожалуйста, попробуйте ещё раз через "
        "минуту — всё, что вы выбрали, я запомнил.",
        "en": "The booking service is temporarily unavailable. Please try again in a "
        "minute; I have kept everything you chose.",
    },
    "stale": {
        "ru": "Эта кнопка уже неактуальна.",
        "en": "This button is out of date.",
    },
    "non_text": {
        "ru": "Я понимаю только текст. Напишите, пожалуйста, словами, чем могу помочь.",
        "en": "I can only read text. Please write to me in words.",
    },
    "my_none": {
        "ru": "У вас нет предстоящих записей. Чтобы записаться, напишите, какой врач нужен.",
        "en": "You have no upcoming appointments. To book, tell me which doctor you need.",
    },
    "my_list": {"ru": "Ваши записи:", "en": "Your appointments:"},
    "my_item": {"ru": "№{id}: {slot}", "en": "No. {id}: {slot}"},
    "btn_cancel_appt": {"ru": "Отменить №{id} ({when})", "en": "Cancel No. {id} ({when})"},
    "cancel_question": {
        "ru": "Отменить запись №{id}?\n{slot}",
        "en": "Cancel appointment No. {id}?\n{slot}",
    },
    "btn_yes_cancel": {"ru": "Да, отменить", "en": "Yes, cancel it"},
    "btn_keep": {"ru": "Нет, оставить", "en": "No, keep it"},
    "appt_cancelled": {
        "ru": "Запись №{id} отменена. Чтобы записаться снова, напишите, какой врач нужен.",
        "en": "Appointment No. {id} is cancelled. To book again, tell me which doctor you need.",
    },
    "appt_kept": {"ru": "Хорошо, запись остаётся.", "en": "OK, the appointment stays."},
    "appt_unknown": {
        "ru": "Такой записи среди ваших нет.",
        "en": "This is not one of your appointments.",
    },
    "conversation_cancelled": {
        "ru": "Хорошо, начнём заново. Напишите, какой врач нужен или что беспокоит.",
        "en": "OK, let's start over. Tell me which doctor you need or what bothers you.",
    },
    "my_needs_telegram": {
        "ru": "Список записей доступен в Telegram.",
        "en": "The list of appointments is available in Telegram.",
    },
    "slot_line": {
        "ru": "{specialty}, {doctor}\n{when}",
        "en": "{specialty}, {doctor}\n{when}",
    },
    "tz_note": {"ru": "время {zone}, UTC{offset}", "en": "{zone} time, UTC{offset}"},
}

_WEEKDAYS: dict[Lang, tuple[str, ...]] = {
    "ru": ("пн", "вт", "ср", "чт", "пт", "сб", "вс"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS: dict[Lang, tuple[str, ...]] = {
    "ru": (
        "января", "февраля", "марта", "апреля", "мая", "июня",
        "июля", "августа", "сентября", "октября", "ноября", "декабря",
    ),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}  # fmt: skip


def t(lang: Lang, key: str, **values: object) -> str:
    return TEXTS[key][lang].format(**values)


def short_when(moment: datetime, tz: ZoneInfo, lang: Lang) -> str:
    """ "пт 27.11 18:40": short enough for a button."""
    local = moment.astimezone(tz)
    return f"{_WEEKDAYS[lang][local.weekday()]} {local:%d.%m %H:%M}"


def long_when(moment: datetime, tz: ZoneInfo, lang: Lang) -> str:
    """ "пт, 27 ноября, 18:40 (время Europe/Moscow, UTC+03:00)": for confirmations."""
    local = moment.astimezone(tz)
    offset = local.strftime("%z")
    zone = t(lang, "tz_note", zone=tz.key, offset=f"{offset[:3]}:{offset[3:]}")
    weekday = _WEEKDAYS[lang][local.weekday()]
    month = _MONTHS[lang][local.month - 1]
    return f"{weekday}, {local.day} {month}, {local:%H:%M} ({zone})"


def short_name(full_name: str) -> str:
    """ "Новиков Сергей Владимирович" -> "Новиков С. В.", so a button stays readable."""
    surname, *rest = full_name.split()
    return " ".join([surname, *(f"{part[0]}." for part in rest)])
