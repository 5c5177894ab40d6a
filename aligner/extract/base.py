"""What every extractor implements: one sentence in, normalised mentions out.

Extractors are independent of the other side; pairing mentions across the two
sides is the checks' job. Each extractor is listed once in ``aligner.extract.EXTRACTORS``.

Also the building blocks of the extractors' sentence pre-filters: most sentences of an
official statement hold no number and no date, and one compiled ``re`` search that
tells so is far cheaper than tokenising the sentence.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import regex

from aligner.model import Mention, Segment

#: the tokenisers' word characters (letters, marks, tatweel), as the ``regex`` module sees them
WORD_CHAR = r"[\p{L}\p{M}\u0640]"
#: code points that :func:`re_class` lists one by one: the scripts and punctuation of
#: Arabic and English statements (Latin, Greek, Cyrillic, Hebrew, Arabic, general
#: punctuation, currency signs, Arabic presentation forms). ``re`` has no ``\p{L}``, and
#: its own ``\w``, ``\d`` and ``\s`` follow another Unicode version than ``regex``.
COVERED = ((0x0000, 0x07FF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


class Extractor(ABC):
    #: short registry name, e.g. "number", "date", "entity"
    name: str = ""

    @abstractmethod
    def extract(self, segment: Segment, lang: str, side: str) -> list[Mention]:
        """Mentions in ``segment`` (spans into ``segment.text``), for ``lang`` "ar" or "en"."""


def fresh_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    """A copy of memoised mention attributes that shares no list with them (readings, a
    hedge span, a month conflict): what a caller does to its mention stays its own."""
    out = attrs.copy()
    for key, value in attrs.items():
        if type(value) is list:
            out[key] = value.copy()
    return out


@cache
def re_class(pattern: str) -> str:
    """Body of an ``re`` character class that holds the :data:`COVERED` code points the
    ``regex`` class ``pattern`` matches (``regex`` itself decides each one).

    On a text with only covered characters (:func:`uncovered` finds none) the ``re``
    class then decides like ``pattern``; ``re`` scans such classes about twice as fast.
    """
    rx = regex.compile(pattern)
    ranges: list[list[int]] = []
    for low, high in COVERED:
        for code in range(low, high + 1):
            if rx.match(chr(code)) is None:
                continue
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


@cache
def uncovered() -> re.Pattern[str]:
    """Finds a character outside :data:`COVERED` (then :func:`re_class` may not decide it)."""
    return re.compile(
        "[^" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in COVERED) + "]"
    )


def word_class() -> str:
    """Body of an ``re`` class of word characters only (:data:`WORD_CHAR`, covered ones).

    A pre-filter uses it for word boundaries: a position is rejected only when a word
    character precedes it, so a word the tokeniser would cut there is never missed
    (uncovered word characters merely do not reject).
    """
    return re_class(WORD_CHAR)


def trie_pattern(
    words: Iterable[str],
    chars: Callable[[str], str] = re.escape,
    between: str = "",
    unit: Callable[[str], str] | None = None,
) -> str:
    """An ``re`` alternation of ``words`` factored into a trie (one branch per prefix).

    A flat alternation of thousands of words is tried word by word at every position;
    the trie tries one character class per position. ``chars`` gives the body of the
    class that stands for one character (e.g. every spelling that folds to it);
    ``between`` is a pattern allowed between two characters (e.g. ones a normaliser
    drops); ``unit``, when given, is the whole pattern of one character instead.

    Of two words that both match at one place one is a prefix of the other, and the
    trie tries the longer first (its continuations are greedy), as a flat alternation
    sorted longest first does: the same match, also inside a larger pattern.
    """
    trie: dict[str, dict] = {}
    for w in words:
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def one(ch: str) -> str:
        return unit(ch) if unit is not None else f"[{chars(ch)}]"

    def emit(node: dict[str, dict]) -> str:
        kids = sorted(ch for ch in node if ch)
        ends = [ch for ch in kids if list(node[ch]) == [""]]
        alts = [f"{one(ch)}{between}{emit(node[ch])}" for ch in kids if ch not in ends]
        if unit is None and ends:  # words that end here: one class
            alts.append("[" + "".join(chars(ch) for ch in ends) + "]")
        else:
            alts.extend(one(ch) for ch in ends)
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie) if trie else "(?!)"
