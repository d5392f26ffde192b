"""Find lexicon phrases in a message: lemmas, prefixes, typos, word order and negation."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from clinic.assistant.lexicon import EXACT, MARKER, Lexicon, Phrase, get_lexicon, shipped_typo_forms
from clinic.assistant.normalize import Token, clean, is_cyrillic, morph_analyzer, tokenize
from clinic.assistant.vitals import find_markers

# Common English words one typo away from a lexicon word ("heard" ~ "heart"): never "fix" them.
_EN_NOT_TYPOS = frozenset(
    "heard hearth there their where about would could should think thing things after "
    "before since which these those other really today please thanks hello appointment "
    "doctor month week weekend morning evening tonight tomorrow friday monday sunday earlier "
    "later first would worse nurse clinic visit again maybe still being every years years "
    "three seven quite while whole along cause ready sorry right those whose bring coming "
    "noise noises chess horse house".split()
)
# Russian abbreviations of months and weekdays: unknown to pymorphy3, yet no typos ("янв").
_RU_NOT_TYPOS = frozenset(
    "янв фев февр мар апр авг сен сент окт ноя нояб дек пн вт ср чт пт сб вс плз пжл спс".split()
)
# "не" and "без" govern the word next to them ("без сильной боли"), not one further on:
# "без четверти семь мигрень" is a time and a migraine.
_RU_NEGATOR_REACH = {"не": 1, "без": 2}
_DEFAULT_NEGATOR_REACH = 3


@dataclass(frozen=True, slots=True)
class Doc:
    """A message ready for matching: its tokens and where each lexicon term occurs."""

    text: str
    tokens: tuple[Token, ...]
    where: dict[str, tuple[int, ...]]  # term key ("зуб", "кардио*") -> token positions
    # Tokens of a figure of speech ("сердце кровью обливается"): no phrase may use them
    idioms: frozenset[int] = frozenset()
    # First tokens of words that find a clue healthy ("[сердце] здоровое", "[heart] is fine")
    cleared: frozenset[int] = frozenset()


def _max_typos(word: str) -> int:
    # Short words have too many neighbours: "зуп" may be "зуб", but "суп" is a real word and
    # never reaches this point because only unknown words are corrected.
    if len(word) < 3:
        return 0
    return 1 if len(word) < 8 else 2


# Russian is spelt as heard: voiced and voiceless consonants and unstressed vowels are the
# usual slips ("зуп", "балит", "терапефт"). Words that sound alike share this key.
_SOUND = str.maketrans("птксшщфоеёыэяюй", "бдгзжжваииииауи", "ьъ")


def _sound_key(word: str) -> str:
    # doubled letters sound as one; a plain loop, as this runs over ~30,000 forms at start-up
    letters: list[str] = []
    for letter in word.translate(_SOUND):
        if not letters or letters[-1] != letter:
            letters.append(letter)
    return "".join(letters)


@lru_cache(maxsize=1)
def _sound_targets() -> dict[str, str]:
    choices, lemmas = _typo_targets()
    found: dict[str, str] = {}
    for form, lem in zip(choices, lemmas, strict=True):
        if is_cyrillic(form):
            found.setdefault(_sound_key(form), lem)
    return found


def typo_keys(lexicon: Lexicon) -> list[str]:
    """The lexicon words a typo may stand for, sorted: which of two equally close words wins
    must not depend on PYTHONHASHSEED."""
    return sorted(
        key
        for key in lexicon.exact
        if len(key) >= 3 and not key.isdigit() and not key.startswith((MARKER, EXACT))
    )


def typo_forms(keys: list[str]) -> dict[str, str]:
    """Every spelling of the keys, each mapped to its key. Russian words are listed in all
    their forms (pymorphy3 lexemes), so "балит" is one letter from "болит" even though its
    guessed lemma is far from "болеть"."""
    forms: dict[str, str] = {}
    for key in keys:
        forms.setdefault(key, key)
        if is_cyrillic(key):
            for parse in morph_analyzer().parse(key)[:1]:
                for form in parse.lexeme:
                    word = str(form.word).replace("ё", "е")
                    if len(word) >= 3:
                        forms.setdefault(word, key)
    return forms


@lru_cache(maxsize=1)
def _typo_targets() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Spellings a typo is compared against, and the lemma each stands for.

    The forms are shipped (lexicon/typo_forms.json): expanding ~2,500 words into their
    lexemes costs a third of a second, paid by the first misspelt word of a cold CLI. A
    table made for other keys (a lexicon edited since) is not used.
    """
    keys = typo_keys(get_lexicon())
    forms = shipped_typo_forms(keys)
    if forms is None:
        forms = typo_forms(keys)
    return tuple(forms), tuple(forms.values())


@lru_cache(maxsize=20_000)
def _correct(word: str) -> str | None:
    """The lexicon lemma an unknown word is most likely a typo of, if any is close enough."""
    limit = _max_typos(word)
    if not limit:
        return None
    if is_cyrillic(word) and (same := _sound_targets().get(_sound_key(word))) is not None:
        return same
    if not is_cyrillic(word) and len(word) < 5:
        return None  # short English words are rarely misspelt and have too many neighbours
    # deferred: most messages have no unknown word, and a cold `clinic triage` starts faster
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    choices, lemmas = _typo_targets()
    found = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit)
    if found is None:
        return None
    choice, _, index = found
    # A short word must keep its first letter and length, or "зуп" could become "зубы".
    if len(word) < 5 and (choice[0] != word[0] or len(choice) != len(word)):
        return None
    return lemmas[index]


@lru_cache(maxsize=1)
def _prefixes_by_letter() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = defaultdict(list)
    for prefix in get_lexicon().prefixes:
        found[prefix[:1]].append(prefix)
    return {letter: tuple(items) for letter, items in found.items()}


def _keys(token: Token, lexicon: Lexicon) -> set[str]:
    keys = {lem for lem in token.lemmas if lem in lexicon.exact}
    if EXACT + token.text in lexicon.exact:
        keys.add(EXACT + token.text)
    buckets = _prefixes_by_letter()
    for lem in token.lemmas:
        keys.update(p + "*" for p in buckets.get(lem[:1], ()) if lem.startswith(p))
    if keys or token.text.isdigit():
        return keys
    unknown = (
        token.text not in _RU_NOT_TYPOS and not token.known
        if is_cyrillic(token.text)
        else token.text not in _EN_NOT_TYPOS
    )
    if unknown:
        fixed = _correct(token.text)
        if fixed is not None:
            keys.add(fixed)
    return keys


# Laughter typed as emoji or brackets is read as the word "lol" ("задыхаюсь от отчётов 😅").
_LAUGHTER = re.compile("[\U0001F602\U0001F923\U0001F605\U0001F606\U0001F604\U0001F601"
                       "\U0001F600\U0001F603\U0001F643\U0001F61C\U0001F61D\U0001F61B"
                       "\U0001F639]|\\){2,}|\bxd+\b")  # fmt: skip


def make_doc(text: str, skip: frozenset[str] = frozenset()) -> Doc:
    """Tokens and lexicon keys of a message; words in `skip` (surnames) carry no keys."""
    lexicon = get_lexicon()
    cleaned = _LAUGHTER.sub(" lol ", clean(text))
    tokens = tuple(tokenize(cleaned))
    where: dict[str, list[int]] = defaultdict(list)
    for i, token in enumerate(tokens):
        if token.text in skip:
            continue
        for key in sorted(_keys(token, lexicon)):
            where[key].append(i)
    if tokens:
        for offset, marker in find_markers(cleaned):
            # the marker stands on the token of its number (or the next one)
            at = next((i for i, t in enumerate(tokens) if t.end > offset), len(tokens) - 1)
            where[marker].append(at)
    doc = Doc(cleaned, tokens, {k: tuple(sorted(set(v))) for k, v in sorted(where.items())})
    idioms = {
        i
        for phrase in lexicon.idioms.present(doc.where)
        for found in sequences(phrase, doc)
        for i in found
    }
    cleared = {
        found[0]
        for phrase in lexicon.roles.cleared.present(doc.where)
        for found in sequences(phrase, doc)
    }
    if idioms or cleared:
        doc = Doc(doc.text, doc.tokens, doc.where, frozenset(idioms), frozenset(cleared))
    return doc


def occurrences(phrase: Phrase, doc: Doc, *, across: bool = False) -> list[tuple[int, ...]]:
    """Token positions of each occurrence: all words, any order, close together, one sentence
    (or, `across`, two neighbouring ones: "His chest. It feels like a weight is on it.")."""
    where = doc.where
    for key in phrase.keys:  # most phrases stop here: a word of theirs is not in the message
        if key not in where:
            return []
    if phrase.bound or phrase.negates or phrase.modal:
        return _tied_occurrences(phrase, doc, across)
    lists = [where[key] for key in phrase.keys]
    reach = len(lists) + 2
    tokens = doc.tokens
    found = []
    for start in lists[0]:
        sentence = tokens[start].sentence
        slot = tokens[start].slot
        chosen = [start]
        for positions in lists[1:]:
            # distance in content words: fillers ("in the middle of my") do not count
            near = [
                p
                for p in positions
                if abs(tokens[p].slot - slot) <= reach
                and abs(tokens[p].sentence - sentence) <= across
                and p not in chosen
            ]
            if not near:
                break
            chosen.append(min(near, key=lambda p: (abs(tokens[p].slot - slot), abs(p - start))))
        else:
            found.append(tuple(sorted(chosen)))
    return found


# A bound pair may have one content word between its words ("не может нормально говорить")
_TIE_SLOTS = 2


def _tied(a: Token, b: Token, *, ordered: bool) -> bool:
    """Two words that belong together: one clause, next to each other (fillers aside), and,
    when `ordered`, `a` first."""
    if a.clause != b.clause:
        return False
    gap = b.slot - a.slot
    if ordered:
        return a.start < b.start and gap <= _TIE_SLOTS
    return abs(gap) <= _TIE_SLOTS


def _tied_occurrences(phrase: Phrase, doc: Doc, across: bool) -> list[tuple[int, ...]]:
    """Occurrences of a phrase with bound words: a negator just before its verb ("can't
    speak"), a modal next to it, or, for a bound phrase, every word after the one before.
    The nearest positions are tried first, as in `occurrences`, then the next ones."""
    tokens = doc.tokens
    lists = [doc.where[key] for key in phrase.keys]
    reach = len(lists) + 2
    found = []

    def extend(chosen: list[int], start: Token) -> bool:
        j = len(chosen)
        if j == len(lists):
            return True
        prev = tokens[chosen[-1]]
        ordered = phrase.bound or j - 1 in phrase.negates
        loose = not ordered and j - 1 not in phrase.modal
        near = sorted(
            (p for p in lists[j] if p not in chosen),
            key=lambda p: (abs(tokens[p].slot - start.slot), abs(p - chosen[0])),
        )
        for p in near:
            token = tokens[p]
            if (
                abs(token.slot - start.slot) > reach
                or abs(token.sentence - start.sentence) > across
            ):
                continue
            if not loose and not _tied(prev, token, ordered=ordered):
                continue
            chosen.append(p)
            if extend(chosen, start):
                return True
            chosen.pop()
        return False

    for first in lists[0]:
        chosen = [first]
        if extend(chosen, tokens[first]):
            found.append(tuple(sorted(chosen)))
    return found


def sequences(phrase: Phrase, doc: Doc) -> list[tuple[int, ...]]:
    """Occurrences of a fixed expression: its words adjacent, in order and in one clause
    ("pain in the neck", but not "pain in the back of the neck" nor "spots, tomorrow")."""
    if any(key not in doc.where for key in phrase.keys):
        return []
    size = len(phrase.keys)
    found = []
    for start in doc.where[phrase.keys[0]]:
        span = tuple(range(start, start + size))
        if (
            span[-1] < len(doc.tokens)
            and doc.tokens[span[0]].clause == doc.tokens[span[-1]].clause
            and all(p in doc.where[key] for p, key in zip(span, phrase.keys, strict=True))
        ):
            found.append(span)
    return found


def _cleared(last: int, doc: Doc) -> bool:
    """True when the words after a clue find it healthy: "сердце [у меня] здоровое", "my heart
    is [completely] fine", but not "he collapsed, he was fine an hour ago"."""
    links = get_lexicon().roles.cleared_links
    clause = doc.tokens[last].clause
    for j in range(last + 1, min(last + 5, len(doc.tokens))):
        token = doc.tokens[j]
        if token.clause != clause:
            return False
        if j in doc.cleared:
            return True
        if token.lemmas.isdisjoint(links):
            return False
    return False


def is_negated(positions: tuple[int, ...], doc: Doc, negators: frozenset[str]) -> bool:
    """True when a negator not belonging to the phrase stands just before or inside it, or
    the words right after it find it healthy."""
    first, last = positions[0], positions[-1]
    clause = doc.tokens[first].clause
    # "температуры нет": Russian also denies with "нет" after the noun
    after = last + 1
    if after < len(doc.tokens) and doc.tokens[after].text == "нет":
        if doc.tokens[after].clause == clause:
            return True
    if doc.cleared and _cleared(last, doc):
        return True
    for j in range(max(0, first - _DEFAULT_NEGATOR_REACH), last + 1):
        token = doc.tokens[j]
        word = token.text.replace("'", "")
        if j in positions or word not in negators or token.clause != clause:
            continue
        if j > first or first - j <= _RU_NEGATOR_REACH.get(word, _DEFAULT_NEGATOR_REACH):
            return True
    return False


def find_all(
    phrase: Phrase, doc: Doc, *, negation: bool = True, across: bool = False
) -> list[tuple[int, ...]]:
    """Every occurrence of the phrase that is not denied, first to last."""
    if phrase.keys[0] not in doc.where:
        return []
    negators = get_lexicon().negators
    return [
        positions
        for positions in occurrences(phrase, doc, across=across)
        # "pain in the neck" says nothing of a neck
        if not (doc.idioms and not doc.idioms.isdisjoint(positions))
        and (not negation or not is_negated(positions, doc, negators))
    ]


def find(
    phrase: Phrase, doc: Doc, *, negation: bool = True, across: bool = False
) -> tuple[int, ...] | None:
    """The first occurrence of the phrase that is not denied, or None."""
    found = find_all(phrase, doc, negation=negation, across=across)
    return found[0] if found else None


def surface(positions: tuple[int, ...], doc: Doc) -> str:
    """The words of the message that matched, as the patient wrote them."""
    return doc.text[doc.tokens[positions[0]].start : doc.tokens[positions[-1]].end]
