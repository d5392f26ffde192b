"""Conversations generated from small grammars (templates × slot fillers)."""

from tests.conversations.cases import Case


def generated_cases() -> list[Case]:
    return []
