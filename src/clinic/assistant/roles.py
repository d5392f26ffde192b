"""Which named doctor is the request: one already seen, or one the patient asks for?

"Панические атаки в метро, кардиолог сказал сердце здоровое" names a cardiologist who has
already been seen; the request is elsewhere. "Был у невролога, не помог", "saw a
neurologist last year" and "my GP referred me" are the same: a doctor of the story. The
doctor after "направил к", "referred me to" or "хочу к" is the one wanted. The words of
each kind live in the language lexicons (seen_before, seen_after, wanted_before).
"""

from __future__ import annotations

from dataclasses import dataclass

from clinic.assistant.lexicon import PhraseSet, get_lexicon
from clinic.assistant.matching import Doc, sequences

# How far, in content words, a role word may stand from the doctor it tells about:
# "был [на приёме] у невролога", "the cardiologist [I saw] said"
_BEFORE_REACH = 2
_AFTER_REACH = 3


@dataclass(frozen=True, slots=True)
class Roles:
    """Where a message tells of doctors already seen and of doctors wanted."""

    doc: Doc
    # (last token, length in words, is it "seen") of each role phrase before a doctor
    before: tuple[tuple[int, int, bool], ...]
    after: tuple[int, ...]  # first tokens of "сказал", "said"

    def seen(self, span: tuple[int, ...]) -> bool:
        """True when the doctor named at `span` is one the patient has already seen."""
        tokens = self.doc.tokens
        first = tokens[span[0]]
        near = [
            (at, size, seen)
            for at, size, seen in self.before
            if at < span[0]
            and tokens[at].clause == first.clause
            and first.slot - tokens[at].slot <= _BEFORE_REACH
        ]
        if near:
            # the nearest words decide; of two ending together, the longer ("ходила к" over "к")
            return max(near, key=lambda item: (item[0], item[1]))[2]
        return self.said_after(span) is not None

    def said_after(self, span: tuple[int, ...]) -> int | None:
        """Where the words right after the doctor at `span` tell what they said or did."""
        tokens = self.doc.tokens
        last = tokens[span[-1]]
        return next(
            (
                at
                for at in self.after
                if at > span[-1]
                and tokens[at].clause == last.clause
                and tokens[at].slot - last.slot <= _AFTER_REACH
            ),
            None,
        )

    def finding_clauses(self, at: int) -> tuple[int, ...]:
        """The clauses that tell what was said at `at`: its own ("said it's a sinus
        problem"), or the next one when nothing follows the word ("сказал, что нервы")."""
        tokens = self.doc.tokens
        clause = tokens[at].clause
        rest = [t for t in tokens[at + 1 :] if t.clause == clause]
        # the said-words themselves ("ничего не нашёл") end where the slot stops growing
        if any(t.slot > tokens[at].slot + 2 for t in rest):
            return (clause,)
        return (clause, clause + 1)


def _spans(phrases: PhraseSet, doc: Doc) -> list[tuple[int, ...]]:
    # role words are fixed expressions: "был у", "referred me to", in order and together
    return [found for phrase in phrases.present(doc.where) for found in sequences(phrase, doc)]


def read_roles(doc: Doc) -> Roles:
    """Find the words that tell a doctor seen from a doctor wanted."""
    words = get_lexicon().roles
    before = [(span[-1], len(span), True) for span in _spans(words.seen_before, doc)]
    before += [(span[-1], len(span), False) for span in _spans(words.wanted_before, doc)]
    after = [span[0] for span in _spans(words.seen_after, doc)]
    return Roles(doc, tuple(sorted(before)), tuple(sorted(after)))
