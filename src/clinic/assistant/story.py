"""Is a red flag news, or a story? The past, someone else's past, and figures of speech.

"В прошлом году был инсульт", "had a seizure as a teenager, none since", "у мамы была язва
с кровотечением", "my grandmother had a stroke" and "задыхаюсь от работы 😅" all carry a
red flag's words and none is an emergency; "my grandmother just had a stroke" and "у мамы
сейчас рвота кровью" are. The words of each kind live in red_flags.*.toml.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from clinic.assistant.lexicon import PhraseSet, RedFlag, get_lexicon
from clinic.assistant.matching import Doc, occurrences

# How far after a red flag's words a figurative cause may stand ("задыхаюсь от [этих] отчётов"),
# and how far its cause word ("трудно дышать [полной грудью] от стресса")
_CAUSE_REACH = 3
_CAUSE_WORD_REACH = 3


@dataclass(frozen=True, slots=True)
class Story:
    """Where a message tells the past, a relative's past, news, or a joke."""

    doc: Doc
    history: frozenset[int]  # clauses: "years ago", "в детстве"
    # clauses that "none since", "больше не повторялось" look back on (theirs and the one before)
    none_since: frozenset[int]
    relatives_past: frozenset[int]  # clauses with a relative and a past tense
    recent: frozenset[int]  # sentences: "just", "still", "только что"
    jokes: frozenset[int]  # sentences: "lol", "😂"
    causes: tuple[int, ...]  # first tokens of figurative causes ("работы", "deadlines")

    def is_past(self, span: Iterable[int]) -> bool:
        """The words at `span` are the patient's past ("years ago", "none since")."""
        tokens = self.doc.tokens
        return any(
            tokens[i].clause in self.history or tokens[i].clause in self.none_since for i in span
        )

    def is_relatives_past(self, span: Iterable[int]) -> bool:
        """A relative's past ("у мамы была", "my grandmother had"), unless the sentence says
        it is happening now ("just", "still", "минут назад")."""
        tokens = self.doc.tokens
        return any(
            tokens[i].clause in self.relatives_past and tokens[i].sentence not in self.recent
            for i in span
        )

    def told_as_past(self, span: Iterable[int]) -> bool:
        return self.is_past(span) or self.is_relatives_past(span)

    def is_figurative(self, span: tuple[int, ...]) -> bool:
        """Said in jest, or of a cause no body has ("задыхаюсь от работы")."""
        tokens = self.doc.tokens
        if any(tokens[i].sentence in self.jokes for i in span):
            return True
        last = max(span)
        words = get_lexicon().story.cause_words
        for j in range(last + 1, min(last + 1 + _CAUSE_WORD_REACH, len(tokens))):
            if tokens[j].clause == tokens[last].clause and tokens[j].text in words:
                for at in self.causes:
                    if 0 < at - j <= _CAUSE_REACH and tokens[at].clause == tokens[j].clause:
                        return True
        return False

    def hides(self, flag: RedFlag, span: tuple[int, ...]) -> bool:
        """True when a raised red flag is told as a story rather than as news."""
        return (
            (flag.history_blocks and self.is_past(span))
            or (flag.relative_history and self.is_relatives_past(span))
            or (flag.figurative_blocks and self.is_figurative(span))
        )


def _firsts(phrases: PhraseSet, doc: Doc) -> list[int]:
    return [found[0] for phrase in phrases.present(doc.where) for found in occurrences(phrase, doc)]


def read_story(doc: Doc) -> Story:
    """Mark the message's clauses and sentences by the kind of story they tell."""
    words = get_lexicon().story
    tokens = doc.tokens
    history = {tokens[i].clause for i in _firsts(words.history, doc)}
    relatives = {tokens[i].clause for i in _firsts(words.relatives, doc)}
    past = {tokens[i].clause for i in _firsts(words.past, doc)} | history
    return Story(
        doc,
        frozenset(history),
        frozenset(
            clause
            for i in _firsts(words.none_since, doc)
            for clause in (tokens[i].clause, tokens[i].clause - 1)
        ),
        frozenset(relatives & past),
        frozenset(tokens[i].sentence for i in _firsts(words.recent, doc)),
        frozenset(tokens[i].sentence for i in _firsts(words.jokes, doc)),
        tuple(sorted(_firsts(words.figurative_causes, doc))),
    )
