"""A waitlist offer's buttons in the dialog: the payloads read back as the acts they stand for,
and a stale or foreign offer gets the polite "no longer available" (the booking itself is
tested against the real API and workers in tests/bot/test_waitlist_offers.py)."""

from datetime import UTC, datetime

from clinic.dialog import buttons
from clinic.dialog.acts import Intent, SlotRef
from clinic.dialog.events import Sender
from clinic.dialog.state import Conversation
from tests.dialog.conftest import Patient

SENDER = Sender(id=555, name="Анна")
TODAY = datetime(2026, 12, 1, tzinfo=UTC).date()


def test_accept_carries_the_entry_and_the_slot() -> None:
    start = datetime(2026, 12, 3, 7, 30, tzinfo=UTC)
    data = f"{buttons.ACCEPT_OFFER}:12:3:{int(start.timestamp())}"

    assert buttons.offer_answer(data) == buttons.OfferAnswer(12, SlotRef(doctor_id=3, start=start))
    assert len(data.encode()) <= 64  # Telegram's limit


def test_decline_carries_the_entry() -> None:
    assert buttons.offer_answer(f"{buttons.DECLINE_OFFER}:12") == buttons.OfferAnswer(12, None)


def test_malformed_offer_payloads_are_no_offers_and_stale_buttons() -> None:
    for data in ("wla", "wla:12", "wla:x:3:100", "wla:12:3:y", "wld", "wld:x"):
        assert buttons.offer_answer(data) is None
        assert buttons.act_for(data, SENDER, Conversation(), TODAY).intent is Intent.unknown


async def test_an_offer_no_longer_open_is_answered_politely(patient: Patient) -> None:
    await patient.press_data(f"{buttons.ACCEPT_OFFER}:7:1:1796000000")
    assert "уже недоступно" in patient.text

    await patient.press_data(f"{buttons.DECLINE_OFFER}:7")
    assert "уже недоступно" in patient.text
