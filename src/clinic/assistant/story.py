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
from clinic.assistant.matching import Doc, find, occurrences
from clinic.assistant.normalize import Token, is_past_verb

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
    # clauses in the past tense of a finished episode ("было кровотечение, сейчас выписали")
    episode: frozenset[int] = frozenset()
    calm_now: bool = False  # "I'm fine now", "сейчас всё хорошо"
    relapse: bool = False  # "they're back", "снова", "a plan": the past has returned

    def is_past(self, span: Iterable[int]) -> bool:
        """The words at `span` are the patient's past ("years ago", "none since", or an
        episode told in the past tense and over: "было кровотечение, сейчас выписали")."""
        tokens = self.doc.tokens
        clauses = {tokens[i].clause for i in span}
        return bool(clauses & (self.history | self.none_since)) or clauses <= self.episode

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

    def is_recovered(self, span: Iterable[int]) -> bool:
        """The past, with a calm present and nothing in the whole message that says it has
        come back: the only past that hides a flag such as self-harm."""
        return self.calm_now and not self.relapse and self.is_past(span)

    def hides(self, flag: RedFlag, span: tuple[int, ...]) -> bool:
        """True when a raised red flag is told as a story rather than as news."""
        return (
            (flag.history_blocks and self.is_past(span))
            or (flag.recovered_blocks and self.is_recovered(span))
            or (flag.relative_history and self.is_relatives_past(span))
            or (flag.figurative_blocks and self.is_figurative(span))
        )


def _firsts(phrases: PhraseSet, doc: Doc) -> list[int]:
    return [found[0] for phrase in phrases.present(doc.where) for found in occurrences(phrase, doc)]


# English past forms that are not "-ed": "had a seizure", "bled", "fell"
_EN_PAST = frozenset(
    "had was were got went did bled fell lost broke threw felt came began passed".split()
)


def _told_in_past(token: Token) -> bool:
    word = token.text
    if word in _EN_PAST or (word.endswith("ed") and len(word) > 4 and word.isascii()):
        return True
    return is_past_verb(word)


def _calm(doc: Doc) -> bool:
    return any(find(p, doc) is not None for p in get_lexicon().story.calm.present(doc.where))


def _episode(doc: Doc, ongoing: set[int]) -> frozenset[int]:
    """Clauses in the past tense of an episode that is over: the message places it before
    now ("в прошлом месяце", "discharged") and tells a calm present ("сейчас всё хорошо",
    "fine now"); a sentence that says it goes on ("опять", "still") is no such clause."""
    words = get_lexicon().story
    if not (_firsts(words.episode, doc) or _firsts(words.history, doc)):
        return frozenset()
    if not _calm(doc):
        return frozenset()
    return frozenset(t.clause for t in doc.tokens if t.sentence not in ongoing and _told_in_past(t))


def read_story(doc: Doc) -> Story:
    """Mark the message's clauses and sentences by the kind of story they tell."""
    words = get_lexicon().story
    tokens = doc.tokens
    ongoing = {tokens[i].sentence for i in _firsts(words.ongoing, doc)}
    # "fainted last week and again today": the past marker does not cover what goes on
    history = {
        tokens[i].clause for i in _firsts(words.history, doc) if tokens[i].sentence not in ongoing
    }
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
        _episode(doc, ongoing),
        _calm(doc),
        any(find(p, doc) is not None for p in words.relapse.present(doc.where)),
    )
