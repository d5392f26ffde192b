"""The staff UI as a Russian clinic manager sees it: Russian by default, English a click away
for one user, human names instead of the data's own, and a catalogue with nothing missing."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqladmin.i18n import translations as sqladmin_translations

from clinic.admin import i18n
from tests.admin.conftest import MANAGER, login
from tests.conftest import ADMIN
from tests.factories import at, booking, make_doctor

ADMIN_SOURCES = Path(i18n.__file__).parent
KEYWORDS = {"gettext": None, "lazy": None, "_": None, "N_": None, "ngettext": (1, 2)}
METHODS = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
RAW_NAMES = ("patient_name", "slot_minutes", "is_active", "no_show", "doctor_id", "start_time")


@pytest.fixture
def staff_env(staff_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """No ADMIN_LANGUAGE: the default, Russian."""
    monkeypatch.delenv("ADMIN_LANGUAGE")


def _words(html: str) -> str:
    """What a person reads: the page's text without its markup, spaces collapsed."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]*>", " ", html).split())


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)", text))


def test_every_text_of_the_staff_ui_has_its_russian_translation() -> None:
    with (i18n.LOCALE_DIR / "ru.po").open("rb") as po:
        catalog = read_po(po, locale="ru")
    extracted = extract_from_dir(
        ADMIN_SOURCES,
        METHODS,
        keywords=KEYWORDS,
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    missing, mismatched = [], []
    for _, _, message, _, _ in extracted:
        msgid = message if isinstance(message, str) else message[0]
        entry = catalog.get(msgid)
        strings = None if entry is None else entry.string
        translations = [strings] if isinstance(strings, str) else list(strings or ())
        if not translations or not all(translations):
            missing.append(msgid)
        elif any(_placeholders(t) != _placeholders(msgid) for t in translations):
            mismatched.append(msgid)
    assert missing == []
    assert mismatched == []


def test_our_catalogue_changes_none_of_sqladmins_words_by_accident() -> None:
    """Ours is read first: a msgid SQLAdmin also has ("Login", "Cancel") would change its
    button. Only the deliberate ones differ."""
    deliberate = {"Login to %(title)s"}
    with (i18n.LOCALE_DIR / "ru.po").open("rb") as po:
        ours = read_po(po, locale="ru")
    theirs = sqladmin_translations["ru"]
    changed = [
        str(message.id)
        for message in ours
        if message.id
        and isinstance(message.id, str)
        and theirs.gettext(message.id) != message.id  # SQLAdmin has it
        and theirs.gettext(message.id) != message.string
    ]
    assert set(changed) == deliberate


async def _visit(http: AsyncClient, doctor_id: int, patient: str = "Анна Тестовая") -> int:
    response = await http.post(
        "/appointments",
        json=booking(doctor_id, at(1, 10), patient_name=patient),
        headers=ADMIN,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def test_screens_are_russian_by_default_with_human_names(
    http: AsyncClient, manager: AsyncClient
) -> None:
    doctor = await make_doctor(http, "dermatologist", name="Кожина Вера")
    visit = await _visit(http, doctor["id"])
    response = await http.patch(f"/appointments/{visit}", json={"status": "no_show"}, headers=ADMIN)
    assert response.status_code == 200, response.text

    board = await manager.get("/admin/board", params={"day": at(1, 10).date().isoformat()})
    listing = await manager.get("/admin/appointment/list")
    doctors = await manager.get("/admin/doctor/list")

    assert "Расписание дня" in board.text
    assert "Не пришёл" in board.text
    assert "Dermatologist" in board.text  # the specialty's name (make_specialty's own)
    headers = _words(listing.text.split("<thead>")[1].split("</thead>")[0])
    for header in ("Время", "Врач", "Пациент", "Статус", "Источник записи"):
        assert header in headers, header
    assert "Не пришёл" in listing.text
    assert "Длительность приёма, мин" in doctors.text
    assert "Dermatologist (dermatologist)" not in doctors.text
    for page in (board, listing, doctors):
        text = _words(page.text)
        for raw in RAW_NAMES:
            assert raw not in text, raw


async def test_one_date_format_in_clinic_time(http: AsyncClient, manager: AsyncClient) -> None:
    doctor = await make_doctor(http)
    visit = await _visit(http, doctor["id"])

    listing = await manager.get("/admin/appointment/list")
    details = await manager.get(f"/admin/appointment/details/{visit}")

    shown = at(1, 10).strftime("%d.%m.%Y 10:00")
    assert shown in listing.text
    assert shown in details.text
    text = _words(details.text)
    assert not re.search(r"\d{4}-\d\d-\d\d", text)  # no ISO dates for people
    assert "+00:00" not in text


async def test_a_user_switches_to_english_and_others_stay_russian(
    ui_app: object, manager: AsyncClient, second_browser: AsyncClient
) -> None:
    switched = await manager.get("/admin/board", params={"lang": "en"})
    again = await manager.get("/admin/board")
    await login(second_browser, *MANAGER)
    other = await second_browser.get("/admin/board")

    assert "Day board" in switched.text
    assert "Day board" in again.text  # kept in the user's cookie
    assert "Расписание дня" in other.text


async def test_history_names_doctors_and_statuses(http: AsyncClient, manager: AsyncClient) -> None:
    first = await make_doctor(http, name="Первая Анна")
    second = await make_doctor(http, name="Второй Борис")
    visit = await _visit(http, first["id"])
    moved = await http.patch(
        f"/appointments/{visit}",
        json={"doctor_id": second["id"], "start_time": at(1, 11).isoformat()},
        headers=ADMIN,
    )
    assert moved.status_code == 200, moved.text

    page = await manager.get(f"/admin/board/appointments/{visit}")

    history = page.text.split('data-testid="history"')[1]
    assert "Перенесена" in history
    assert "Врач: Первая Анна" in history
    assert "Врач: Второй Борис" in history
    assert at(1, 11).strftime("Время: %d.%m.%Y 11:00") in history
    assert f"doctor_id: {second['id']}" not in history


async def test_the_doctor_filter_lists_doctors_alphabetically(
    http: AsyncClient, manager: AsyncClient
) -> None:
    for name in ("Яковлев Ян", "Абрамова Ада", "Миронов Марк"):
        await make_doctor(http, name=name)

    listing = await manager.get("/admin/appointment/list")

    sidebar = listing.text.split('id="filter-sidebar"')[1]
    doctor_filter = _words(sidebar.split(">Врач</div>")[1].split("</div>\n</div>")[0])
    assert doctor_filter.startswith("Все Абрамова Ада Миронов Марк Яковлев Ян")


async def test_a_throttled_login_is_the_login_page_in_russian(ui_app: FastAPI) -> None:
    transport = ASGITransport(app=ui_app, client=("10.0.1.1", 40000))
    async with AsyncClient(transport=transport, base_url="http://clinic") as guesser:
        for i in range(5):
            await guesser.post("/admin/login", data={"username": MANAGER[0], "password": f"x{i}"})
        paused = await guesser.post(
            "/admin/login", data=dict(zip(("username", "password"), MANAGER, strict=True))
        )
        in_english = await guesser.post(
            "/admin/login", params={"lang": "en"}, data={"username": MANAGER[0], "password": "y"}
        )

    assert paused.status_code == 429
    assert 0 < int(paused.headers["Retry-After"]) <= 900
    assert paused.headers["content-type"].startswith("text/html")
    assert "Слишком много неудачных попыток входа" in _words(paused.text)
    assert re.search(r"через \d+ минут", _words(paused.text))
    assert 'name="password"' in paused.text  # the form to try again later
    assert in_english.status_code == 429
    assert "Too many failed logins. Try again in" in _words(in_english.text)
