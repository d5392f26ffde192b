"""Phone numbers, one way for the whole project: the API's schema and the dialog both use
`normalise_phone`, so a number the chat accepted is never refused at booking.

phonenumbers reads the national formats ("8 (916) 123-45-67", "916 123 45 67") against a
default region, and stores every number as E.164 ("+79161234567").
"""

from dataclasses import dataclass

import phonenumbers

DEFAULT_REGION = "RU"


def _acceptable(number: phonenumbers.PhoneNumber, region: str) -> bool:
    """Valid; or, for another country than the clinic's, at least of a possible length.

    Home numbers are checked in full. Abroad, phonenumbers' tables mark some ranges
    unassigned or reserved (the UK's 07700 900xxx), and refusing a patient's phone on a
    table's word costs more than storing a number the front desk cannot reach.
    """
    if phonenumbers.is_valid_number(number):
        return True
    home = phonenumbers.country_code_for_region(region)
    return number.country_code != home and phonenumbers.is_possible_number(number)


def normalise_phone(value: str, region: str = DEFAULT_REGION) -> str:
    """The number in E.164; ValueError when it is not a valid phone number."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as error:
        raise ValueError("not a phone number") from error
    if not _acceptable(number, region):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@dataclass(frozen=True, slots=True)
class PhoneMention:
    """Where a phone number stands in a text, and the number (None when it is not valid)."""

    start: int
    end: int
    e164: str | None


def find_phone(text: str, region: str = DEFAULT_REGION) -> PhoneMention | None:
    """The first thing in free text that is written like a phone number.

    The matcher skips dates and times ("10.12.2026 в 10:30"); a number that looks like a phone
    but is not valid (too short, an unused code) comes back with `e164=None`, so the caller
    can say so instead of ignoring it.
    """
    matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        number = match.number
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return PhoneMention(match.start, match.end, e164 if _acceptable(number, region) else None)
    return None
