"""Everything the assistant says, in Russian and English, and how it writes dates."""

from datetime import datetime
from zoneinfo import ZoneInfo

from clinic.dialog.events import Lang

TEXTS: dict[str, dict[Lang, str]] = {
    # --- greeting, help, small talk ----------------------------------------------------------
    "greeting": {
        "ru": "Здравствуйте! Я помогу записаться на приём в «{clinic}».\n\n"
        "Какой врач вам нужен или что беспокоит, и когда удобно прийти? "
        "Например: «болит зуб, завтра после 18».",
        "en": "Hello! I can book you an appointment at {clinic}.\n\n"
        "Which doctor do you need, or what bothers you, and when could you come? "
        "For example: “toothache, tomorrow after 6 pm”.",
    },
    "hello_again": {"ru": "Здравствуйте!", "en": "Hello!"},
    "help": {
        "ru": "Я записываю на приём к врачам клиники «{clinic}».\n\n"
        "• Напишите, что беспокоит или какой врач нужен, и когда удобно.\n"
        "• Уточняйте своими словами: «лучше после 18», «а в пятницу?», «попозже», "
        "«другой врач», «в понедельник не могу».\n"
        "• «Какие у меня записи?», «отмените запись к стоматологу», «перенесите запись на "
        "пятницу» — или /my.\n"
        "• /cancel — начать заново\n\n"
        "Если состояние угрожает жизни, звоните 103 или 112.",
        "en": "I book appointments with the doctors of {clinic}.\n\n"
        "• Tell me what bothers you or which doctor you need, and when suits you.\n"
        "• Refine in your own words: “after 6 pm”, “what about Friday?”, “later”, "
        "“another doctor”, “not on Monday”.\n"
        "• “What appointments do I have?”, “cancel my dentist appointment”, “move my "
        "appointment to Friday” — or /my.\n"
        "• /cancel — start over\n\n"
        "In a life-threatening situation call 103 or 112.",
    },
    "thanks": {
        "ru": "Пожалуйста! Если понадобится ещё запись, просто напишите.",
        "en": "You are welcome! Write any time you need another appointment.",
    },
    "off_topic": {
        "ru": "С этим я не помогу: я записываю на приём к врачам клиники.",
        "en": "I cannot help with that: I book appointments with the clinic's doctors.",
    },
    "clinic_address": {"ru": "Адрес клиники: {address}.", "en": "The clinic's address: {address}."},
    "clinic_other": {
        "ru": "Этого я не подскажу — уточните, пожалуйста, в регистратуре клиники. "
        "А записать на приём могу прямо здесь.",
        "en": "I cannot tell you that; please ask the clinic's front desk. I can book you "
        "an appointment right here, though.",
    },
    "non_text": {
        "ru": "Я понимаю только текст. Напишите, пожалуйста, словами, чем могу помочь.",
        "en": "I can only read text. Please write to me in words.",
    },
    "no_words": {
        "ru": "Не разобрал сообщение. Напишите, пожалуйста, словами.",
        "en": "I could not read that. Please write it in words.",
    },
    # --- safety and refusals -----------------------------------------------------------------
    "emergency": {
        "ru": "⚠️ Это может быть опасно для жизни. Пожалуйста, прямо сейчас позвоните 103 "
        "(скорая помощь) или 112. Не ждите записи к врачу: записывать на приём я не буду.",
        "en": "⚠️ This may be life-threatening. Please call 103 (ambulance) or 112 right now. "
        "Do not wait for an appointment: I will not book one for this.",
    },
    "crisis": {
        "ru": "Мне очень жаль, что вам так тяжело. Вы не одни, и помощь есть прямо сейчас.\n\n"
        "Если есть опасность, что вы причините себе вред, позвоните 112 или 103. "
        "Поговорить со специалистом можно по телефону доверия: {helpline} "
        "(бесплатно, анонимно). Пожалуйста, побудьте рядом с кем-то, кому доверяете.",
        "en": "I am so sorry you are going through this. You are not alone, and help is "
        "available right now.\n\nIf you might harm yourself, please call 112 or 103. You can "
        "talk to someone at a crisis helpline: {helpline}. Please stay with someone you trust.",
    },
    "emergency_again": {
        "ru": "Записать вас сейчас я не могу: то, что вы описали, требует срочной помощи. "
        "Позвоните 103 (скорая) или 112. Если речь о другом, не срочном вопросе, "
        "начните заново командой /start.",
        "en": "I cannot book you now: what you described needs urgent help. Please call 103 "
        "(ambulance) or 112. If this is about something else, not urgent, start over with "
        "/start.",
    },
    "refuse_past": {
        "ru": "Записать на прошедшее время нельзя: это время уже прошло, а задним числом "
        "запись не оформляется. Могу предложить ближайшее свободное время.",
        "en": "I cannot book a time that has already passed, and bookings cannot be "
        "backdated. I can offer the nearest free time instead.",
    },
    "refuse_others": {
        "ru": "Показывать записи и данные других пациентов я не могу — это личная "
        "информация. Я могу показать только ваши собственные записи (/my).",
        "en": "I cannot show other patients' appointments or details: that is private "
        "information. I can only show your own appointments (/my).",
    },
    "refuse_staff": {
        "ru": "Прав сотрудника или администратора через этот чат я дать не могу: здесь я "
        "помогаю пациентам записаться. Сотрудники работают в служебном интерфейсе клиники.",
        "en": "I cannot give staff or administrator rights through this chat: here I help "
        "patients book. Staff use the clinic's own system.",
    },
    "refuse_instructions": {
        "ru": "Свои внутренние инструкции и настройки я не показываю и не меняю. "
        "Я помогаю записаться к врачу.",
        "en": "I do not share or change my internal instructions or settings. "
        "I help you book a doctor.",
    },
    "medical_advice": {
        "ru": "Советовать лекарства и дозировки я не могу: лечение назначает врач после "
        "осмотра, а самолечение может навредить. Давайте запишу вас на консультацию к врачу.",
        "en": "I cannot recommend medicines or doses: a doctor prescribes treatment after "
        "seeing you, and self-treatment can do harm. Let me book you a consultation.",
    },
    # --- the booking flow --------------------------------------------------------------------
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
    "not_offered": {
        "ru": "Врача-специалиста «{name}» в нашей клинике нет.",
        "en": "Our clinic has no {name}.",
    },
    "instead_gp": {
        "ru": "Могу записать к терапевту: он осмотрит и при необходимости даст направление "
        "к нужному специалисту.",
        "en": "I can book you with a general practitioner, who will examine you and refer "
        "you to the right specialist if needed.",
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
        "ru": "Запомнил, когда вам удобно. К какому врачу вас записать или что беспокоит?",
        "en": "Noted when suits you. Now, which doctor do you need?",
    },
    "not_understood_when": {
        "ru": "Не понял, когда вам удобно. Напишите день и время, например «завтра после 18», "
        "или выберите ниже.",
        "en": "I did not get when suits you. Write a day and a time, e.g. “tomorrow after "
        "6 pm”, or pick below.",
    },
    "wished_taking": {
        "ru": "Желаемое время свободно, записываю на него:",
        "en": "Your wished time is free; I am booking it for you:",
    },
    "wished_free": {"ru": "Желаемое время свободно:", "en": "Your wished time is free:"},
    "in_window": {
        "ru": "Ближайшее свободное время ({specialty}):",
        "en": "The nearest free times ({specialty}):",
    },
    "nearest_any": {
        "ru": "Ближайшее свободное время ({specialty}) — выберите или напишите, какой день и "
        "время вам удобны:",
        "en": "The nearest free times ({specialty}) — pick one, or tell me a day and time "
        "that suits you:",
    },
    "wished_taken": {
        "ru": "На это время записи нет — оно занято. Ближайшее свободное время ({specialty}):",
        "en": "That time is taken. The nearest free times ({specialty}):",
    },
    "outside_window": {
        "ru": "В желаемые дни свободного времени нет. Ближайшее ({specialty}):",
        "en": "Nothing is free when you wished. The nearest free times ({specialty}):",
    },
    "later_offers": {"ru": "Позже ({specialty}):", "en": "Later times ({specialty}):"},
    "later_outside": {
        "ru": "Позже в желаемые дни свободного времени нет. Ближайшее ({specialty}):",
        "en": "Nothing later is free when you wished. The nearest ({specialty}):",
    },
    "earlier_offers": {"ru": "Пораньше ({specialty}):", "en": "Earlier times ({specialty}):"},
    "no_earlier": {
        "ru": "Раньше свободного времени нет — это самое раннее.",
        "en": "Nothing earlier is free: these are the earliest times.",
    },
    "other_day_offers": {"ru": "В другие дни ({specialty}):", "en": "Other days ({specialty}):"},
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
        "ru": "Выберите время или напишите, что удобнее: «позже», «в пятницу», "
        "«другой врач», «в понедельник не могу».",
        "en": "Pick a time or tell me what suits better: “later”, “on Friday”, "
        "“another doctor”, “not on Monday”.",
    },
    "not_understood_offers": {
        "ru": "Не совсем понял. Выберите время из предложенных — кнопкой, временем "
        "(«в 10:30») или номером («второй»), — или напишите, что удобнее.",
        "en": "I did not quite get that. Pick one of the offered times — by button, by time "
        "(“10:30”) or by number (“the second”) — or tell me what suits better.",
    },
    "offers_again": {
        "ru": "Предложенное время ({specialty}):",
        "en": "The times on offer ({specialty}):",
    },
    "offer_line": {"ru": "{n}. {when} — {doctor}", "en": "{n}. {when} — {doctor}"},
    "btn_later": {"ru": "🕑 Позже", "en": "🕑 Later"},
    "btn_other_day": {"ru": "📅 Другой день", "en": "📅 Another day"},
    "btn_other_doctor": {"ru": "👤 Другой врач", "en": "👤 Another doctor"},
    "btn_waitlist": {"ru": "🔔 Встать в лист ожидания", "en": "🔔 Join the waitlist"},
    "waitlist_joined": {
        "ru": "Вы в листе ожидания ({specialty}, {days}). Когда освободится подходящее "
        "время, я предложу его вам в порядке очереди.",
        "en": "You are on the waitlist ({specialty}, {days}). As soon as a suitable time "
        "frees up, I will offer it to you in the order of the line.",
    },
    "waitlist_need_name": {
        "ru": "Чтобы встать в лист ожидания, напишите, пожалуйста, фамилию и имя пациента.",
        "en": "To join the waitlist, please write the patient's full name.",
    },
    "waitlist_refused": {
        "ru": "Не получилось встать в лист ожидания. Позвоните, пожалуйста, в регистратуру.",
        "en": "Could not put you on the waitlist. Please call the front desk.",
    },
    "btn_today": {"ru": "Сегодня", "en": "Today"},
    "btn_tomorrow": {"ru": "Завтра", "en": "Tomorrow"},
    "btn_week": {"ru": "На этой неделе", "en": "This week"},
    "btn_any": {"ru": "Любое время", "en": "Any time"},
    # --- contact details and confirmation ----------------------------------------------------
    "chosen": {"ru": "Вы выбрали:\n{slot}", "en": "You chose:\n{slot}"},
    "ask_contact": {
        "ru": "На чьё имя записать? Напишите имя и фамилию пациента и телефон для связи.",
        "en": "Whose name should I book under? Write the patient's full name and a contact "
        "phone number.",
    },
    "ask_name": {
        "ru": "На чьё имя записать? Напишите имя и фамилию пациента.",
        "en": "Whose name should I book under? Write the patient's full name.",
    },
    "ask_phone": {
        "ru": "Какой телефон для связи? Напишите номер.",
        "en": "What phone number can the clinic reach you on? Please type it.",
    },
    "btn_use_name": {"ru": "Записать на «{name}»", "en": "Book as “{name}”"},
    "btn_share_phone": {"ru": "📱 Поделиться телефоном", "en": "📱 Share my phone"},
    "name_invalid": {
        "ru": "Пожалуйста, напишите имя пациента буквами (например, «Анна Иванова»).",
        "en": "Please write the patient's name in letters (e.g. “Anna Smith”).",
    },
    "phone_invalid": {
        "ru": "Этот номер не похож на телефон. Напишите, пожалуйста, номер полностью, "
        "с кодом: +7 и десять цифр (или 8 и десять цифр).",
        "en": "That does not look like a phone number. Please type the full number with "
        "the country code.",
    },
    "phone_refused": {
        "ru": "Не получилось принять этот номер телефона. Напишите другой или ответьте "
        "«без телефона».",
        "en": "I could not accept this phone number. Type another one, or say “no phone”.",
    },
    "contact_saved": {"ru": "Записал: {what}.", "en": "Noted: {what}."},
    "phone_saved": {"ru": "Телефон записал.", "en": "Phone saved."},
    "summary": {
        "ru": "Проверьте, пожалуйста:\n{slot}\nПациент: {name}\nТелефон: {phone}\n\nЗаписать?",
        "en": "Please check:\n{slot}\nPatient: {name}\nPhone: {phone}\n\nBook it?",
    },
    "no_phone": {"ru": "не указан", "en": "not given"},
    "confirm_hint": {
        "ru": "Ответьте «да», чтобы записаться, или «нет», чтобы выбрать другое время.",
        "en": "Say “yes” to book, or “no” to pick another time.",
    },
    "btn_confirm": {"ru": "✅ Записаться", "en": "✅ Book"},
    "btn_change_time": {"ru": "↩️ Выбрать другое время", "en": "↩️ Pick another time"},
    "btn_stop": {"ru": "✖️ Отмена", "en": "✖️ Cancel"},
    "booked": {
        "ru": "✅ Вы записаны! Номер записи: {id}.\n{slot}\nПациент: {name}\n"
        "Адрес: {address}\n\nПосмотреть или отменить запись: /my.",
        "en": "✅ You are booked! Appointment number: {id}.\n{slot}\nPatient: {name}\n"
        "Address: {address}\n\nTo see or cancel it: /my.",
    },
    "already_booked": {
        "ru": "Эта запись уже сделана, номер {id}. Ваши записи: /my",
        "en": "This booking is already made, number {id}. Your appointments: /my",
    },
    "nothing_to_confirm": {
        "ru": "Сейчас нечего подтверждать. Напишите, к какому врачу и когда хотите записаться.",
        "en": "There is nothing to confirm now. Tell me which doctor you need and when.",
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
    "unavailable": {
        "ru": "Сервис записи временно недоступен. Пожалуйста, попробуйте ещё раз через "
        "минуту — всё, что вы выбрали, я запомнил.",
        "en": "The booking service is temporarily unavailable. Please try again in a "
        "minute; I have kept everything you chose.",
    },
    "stale": {"ru": "Эта кнопка уже неактуальна.", "en": "This button is out of date."},
    "conversation_cancelled": {
        "ru": "Хорошо, начнём заново. Напишите, какой врач нужен или что беспокоит.",
        "en": "OK, let's start over. Tell me which doctor you need or what bothers you.",
    },
    "ask_booking": {
        "ru": "Напишите, к какому врачу хотите записаться или что беспокоит, и когда удобно.",
        "en": "Tell me which doctor you need or what bothers you, and when suits you.",
    },
    "not_understood": {
        "ru": "Не совсем понял. Напишите, к какому врачу вы хотите записаться или что "
        "беспокоит, и когда удобно.",
        "en": "I did not quite get that. Tell me which doctor you need or what bothers you, "
        "and when suits you.",
    },
    # --- the patient's own appointments ------------------------------------------------------
    "my_none": {
        "ru": "У вас нет предстоящих записей. Чтобы записаться, напишите, какой врач нужен.",
        "en": "You have no upcoming appointments. To book, tell me which doctor you need.",
    },
    "my_list": {"ru": "Ваши записи:", "en": "Your appointments:"},
    "my_own_list": {
        "ru": "Записи, сделанные из вашего чата (в том числе на близких):",
        "en": "The appointments made from your chat (for family members too):",
    },
    "my_item": {
        "ru": "{n}. {when} — {specialty}, {doctor} (запись №{id})",
        "en": "{n}. {when} — {specialty}, {doctor} (No. {id})",
    },
    "my_hint": {
        "ru": "Отменить или перенести запись можно кнопкой или словами: «отмените вторую», "
        "«перенесите запись к стоматологу на пятницу».",
        "en": "To cancel or move one, press a button or say so: “cancel the second one”, "
        "“move my dentist appointment to Friday”.",
    },
    "which_cancel": {
        "ru": "Какую запись отменить?",
        "en": "Which appointment should I cancel?",
    },
    "which_move": {
        "ru": "Какую запись перенести?",
        "en": "Which appointment should I move?",
    },
    "no_match": {
        "ru": "Такой записи среди ваших не нашёл.",
        "en": "I found no such appointment among yours.",
    },
    "btn_cancel_appt": {"ru": "Отменить №{id} ({when})", "en": "Cancel No. {id} ({when})"},
    "btn_move_appt": {"ru": "Перенести №{id} ({when})", "en": "Move No. {id} ({when})"},
    "btn_pick_appt": {"ru": "№{id}: {when}", "en": "No. {id}: {when}"},
    "cancel_question": {
        "ru": "Отменить запись №{id}?\n{slot}",
        "en": "Cancel appointment No. {id}?\n{slot}",
    },
    "btn_yes_cancel": {"ru": "Да, отменить", "en": "Yes, cancel it"},
    "btn_keep": {"ru": "Нет, оставить", "en": "No, keep it"},
    "appt_cancelled": {
        "ru": "Запись №{id} отменена.\n{slot}\n\nЧтобы записаться снова, напишите, какой "
        "врач нужен.",
        "en": "Appointment No. {id} is cancelled.\n{slot}\n\nTo book again, tell me which "
        "doctor you need.",
    },
    "appt_already_cancelled": {
        "ru": "Запись №{id} уже отменена.",
        "en": "Appointment No. {id} is already cancelled.",
    },
    "appt_kept": {"ru": "Хорошо, запись остаётся.", "en": "OK, the appointment stays."},
    "appt_confirmed": {
        "ru": "Спасибо, визит по записи №{id} подтверждён. Ждём вас!",
        "en": "Thank you, appointment No. {id} is confirmed. See you soon!",
    },
    # --- reminders (sent by the worker) --------------------------------------------------------
    "reminder": {
        "ru": "Напоминаем о записи №{id}:\n{slot}\nАдрес: {address}\n\n"
        "Пожалуйста, подтвердите визит. Если планы изменились, запись можно отменить "
        "или перенести.",
        "en": "A reminder of appointment No. {id}:\n{slot}\nAddress: {address}\n\n"
        "Please confirm you will come. If your plans have changed, you can cancel or move it.",
    },
    # --- waitlist offers (sent by the worker) -------------------------------------------------
    "waitlist_offer": {
        "ru": "Освободилось время, которого вы ждали:\n{slot}\n\n"
        "Я придержал его для вас до {until}. Записать вас?",
        "en": "A time you were waiting for has freed up:\n{slot}\n\n"
        "It is held for you until {until}. Shall I book it?",
    },
    "btn_accept_offer": {"ru": "✅ Записаться", "en": "✅ Book it"},
    "btn_decline_offer": {"ru": "❌ Не нужно", "en": "❌ No, thanks"},
    "offer_gone": {
        "ru": "К сожалению, это время уже недоступно: предложение истекло или время заняли. "
        "Вы остаётесь в листе ожидания, я сообщу о следующем подходящем времени.",
        "en": "Sorry, this time is no longer available: the offer has expired or the time was "
        "taken. You stay on the waitlist, and I will tell you about the next suitable time.",
    },
    "offer_declined": {
        "ru": "Хорошо, предложу это время следующему в очереди. Вы остаётесь в листе ожидания.",
        "en": "OK, I will offer this time to the next in line. You stay on the waitlist.",
    },
    "btn_confirm_visit": {"ru": "✅ Подтверждаю", "en": "✅ I will come"},
    "btn_cancel_visit": {"ru": "❌ Отменить", "en": "❌ Cancel"},
    "btn_move_visit": {"ru": "🔁 Перенести", "en": "🔁 Reschedule"},
    "appt_unknown": {
        "ru": "Такой записи среди ваших нет.",
        "en": "This is not one of your appointments.",
    },
    "moving": {
        "ru": "Переносим запись №{id}:\n{slot}",
        "en": "Moving appointment No. {id}:\n{slot}",
    },
    "move_question": {
        "ru": "Переносим запись №{id}.\nБыло: {old}\nСтанет: {new}\n\nПодтверждаете?",
        "en": "Moving appointment No. {id}.\nWas: {old}\nWill be: {new}\n\nConfirm?",
    },
    "btn_yes_move": {"ru": "✅ Да, перенести", "en": "✅ Yes, move it"},
    "appt_moved": {
        "ru": "✅ Запись №{id} перенесена.\n{slot}\nАдрес: {address}",
        "en": "✅ Appointment No. {id} is moved.\n{slot}\nAddress: {address}",
    },
    "my_needs_telegram": {
        "ru": "Список записей доступен в Telegram.",
        "en": "The list of appointments is available in Telegram.",
    },
    "slot_line": {"ru": "{specialty}, {doctor}\n{when}", "en": "{specialty}, {doctor}\n{when}"},
    "tz_moscow": {"ru": "по московскому времени", "en": "Moscow time"},
    "tz_clinic": {"ru": "по времени клиники, UTC{offset}", "en": "clinic time, UTC{offset}"},
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
    # Buttons keep the zero ("09:00"): a column of times reads evenly.
    return f"{_WEEKDAYS[lang][local.weekday()]} {local:%d.%m %H:%M}"


def day_when(moment: datetime, tz: ZoneInfo, lang: Lang) -> str:
    """ "пт, 27 ноября, 18:40": a line of a list."""
    local = moment.astimezone(tz)
    weekday = _WEEKDAYS[lang][local.weekday()]
    month = _MONTHS[lang][local.month - 1]
    return f"{weekday}, {local.day} {month}, {clock(local)}"


def clock(local: datetime) -> str:
    """ "9:00", "18:30": hours without a leading zero, as people write them."""
    return f"{local.hour}:{local.minute:02d}"


def zone_phrase(moment: datetime, tz: ZoneInfo, lang: Lang) -> str:
    """ "по московскому времени", or the clinic's UTC offset for any other zone."""
    if tz.key == "Europe/Moscow":
        return t(lang, "tz_moscow")
    offset = moment.astimezone(tz).strftime("%z")
    return t(lang, "tz_clinic", offset=f"{offset[:3]}:{offset[3:]}")


def long_when(moment: datetime, tz: ZoneInfo, lang: Lang) -> str:
    """ "пт, 27 ноября, 18:40 (по московскому времени)": for confirmations."""
    return f"{day_when(moment, tz, lang)} ({zone_phrase(moment, tz, lang)})"


def short_name(full_name: str) -> str:
    """ "Новиков Сергей Владимирович" -> "Новиков С. В.", so a button stays readable."""
    surname, *rest = full_name.split() or [full_name]
    return " ".join([surname, *(f"{part[0]}." for part in rest)])
