"""Translit reading stays cheap whatever a patient pastes: a Latin run longer than any Russian
word is not spelt out (that cost grew with its length: 30 s for one 4096-letter message)."""

import pytest

from clinic.assistant import translit


def test_a_translit_word_is_still_read() -> None:
    assert translit.to_cyrillic("zapis") == "запись"


def test_a_latin_run_longer_than_any_word_is_not_spelt_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_dictionary() -> object:
        raise AssertionError("the dictionary was consulted")

    monkeypatch.setattr(translit, "morph_analyzer", no_dictionary)
    assert translit.to_cyrillic("zapis" * 20) is None
    assert translit.russian_in_latin("x" * 4096) == "x" * 4096
