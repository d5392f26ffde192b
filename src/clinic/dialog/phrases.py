"""Phrase families matched on word lemmas: the offline understander's vocabulary tool.

A phrase is a few words in order ("другой день", "не подходит", "book it"). A word written
in its dictionary form matches every form of it ("подходить" matches "подходит",
"подойдёт" does not); a word written in another form matches only itself ("позже"), so
"поздно" never reads as "позже". "запис*" matches any word starting so, and "да|ага"
offers alternatives for one position. Words of a phrase may stand up to `gap` words apart
("запишите меня, пожалуйста" still has "запишите ... пожалуйста").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from clinic.assistant.normalize import MAX_CHARS, Token, clean, tokenize

NEGATORS = frozenset({"не", "ни", "нет", "not", "no", "never", "dont", "don't", "cant", "can't"})


@dataclass(frozen=True, slots=True)
class Word:
    """One position of a phrase: the spellings and lemmas it accepts, or prefixes."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    def matches(self, token: Token) -> bool:
        if token.text in self.exact or not self.exact.isdisjoint(token.lemmas):
            return True
        return any(
            token.text.startswith(prefix) or any(lem.startswith(prefix) for lem in token.lemmas)
            for prefix in self.prefixes
        )


@dataclass(frozen=True, slots=True)
class Phrase:
    source: str
    words: tuple[Word, ...]


@lru_cache(maxsize=4096)
def _word(spec: str) -> Word:
    exact: set[str] = set()
    prefixes: list[str] = []
    for option in spec.split("|"):
        option = clean(option)
        if option.endswith("*"):
            prefixes.append(option[:-1])
            continue
        # Tokens carry their surface and their dictionary forms, so a dictionary form here
        # meets every inflection, and any other form meets only itself.
        exact.add(option)
    return Word(frozenset(exact), tuple(sorted(prefixes)))


def phrase(source: str) -> Phrase:
    return Phrase(source, tuple(_word(spec) for spec in source.split()))


Family = tuple[Phrase, ...]


def family(*sources: str) -> Family:
    return tuple(phrase(source) for source in sources)


class Message:
    """A patient's message, tokenised once, ready for phrase lookups."""

    def __init__(self, text: str) -> None:
        self.text = text[:MAX_CHARS]
        self.tokens = tokenize(clean(self.text))

    def __len__(self) -> int:
        return len(self.tokens)

    def find(self, item: Phrase, *, gap: int = 2, negatable: bool = True) -> tuple[int, ...] | None:
        """Token positions of the first occurrence; with `negatable`, an occurrence right
        after "не"/"not" does not count ("не подходит" is no "подходит")."""
        first, *rest = item.words
        for start, token in enumerate(self.tokens):
            if not first.matches(token):
                continue
            if negatable and self.negated(start):
                continue
            positions = [start]
            for word in rest:
                after = positions[-1] + 1
                found = next(
                    (
                        i
                        for i in range(after, min(len(self.tokens), after + gap + 1))
                        if word.matches(self.tokens[i])
                    ),
                    None,
                )
                if found is None:
                    break
                positions.append(found)
            else:
                return tuple(positions)
        return None

    def has(self, items: Family, *, gap: int = 2, negatable: bool = True) -> bool:
        return any(self.find(item, gap=gap, negatable=negatable) is not None for item in items)

    def first(self, items: Family, *, gap: int = 2) -> tuple[int, ...] | None:
        """The earliest occurrence of any phrase of the family."""
        found = [p for item in items if (p := self.find(item, gap=gap)) is not None]
        return min(found) if found else None

    def negated(self, position: int) -> bool:
        if position == 0:
            return False
        before = self.tokens[position - 1]
        return before.text in NEGATORS and before.clause == self.tokens[position].clause

    def words(self) -> list[str]:
        return [token.text for token in self.tokens]
