"""Arabic and English normalisation for entity matching.

Matching compares *cores*: a word with diacritics, tatweel and spelling variants
folded (أ إ آ → ا, ة → ه, ى → ي) and, when it helps, the attached conjunction
(و ف), preposition (ب ل ك) and article (ال) removed. Since stripping is not always
right (بالاو is Palau, not ب + الاو), :func:`ar_cores` returns every reading, the
unstripped one first, and the gazetteer tries them all.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import accumulate
from typing import NamedTuple

import regex

from aligner.arabic import LETTER_FOLD
from aligner.memo import memo

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
#: the shared letter folds, and Persian kaf/yeh as they appear in transliterated names
_FOLD = str.maketrans({**LETTER_FOLD, "ک": "ك", "ی": "ي"})


def _word_pattern(word: str, inner: str, space: str) -> str:
    """A word: letters, digits, internal hyphens/apostrophes, an initial's dot (``J.``).

    Only a one-letter word takes the dot before a space; a longer word's (``Rome. The``)
    is the sentence's, and the pattern leaves it out itself, so that ``split`` gives the
    final words and their gaps. ``word``, ``inner`` and ``space`` are the classes of
    word characters, of characters after a hyphen, and of spaces.

    The repeats are possessive: nothing follows them, so a match never gives back what
    they took, and the engine need not remember where it could (a tenth faster).
    """
    return f"({word}(?:[.](?={space})|{word}*+(?:[-'’]{inner}++)*+))"


_WORD = regex.compile(_word_pattern(r"[\p{L}\p{M}\p{N}]", r"[\p{L}\p{N}]", r"\s"))

#: ``re`` stand-ins for ``regex`` Unicode classes cover the characters before this one
RE_BELOW = "\u3000"
_BEYOND_RE = re.compile(f"[^\x00-{chr(ord(RE_BELOW) - 1)}]")


@cache
def re_class(prop: str) -> str:
    """A ``re`` character class of the characters before :data:`RE_BELOW` that the
    ``regex`` class ``prop`` matches. ``re`` knows no Unicode properties; a fixed class
    matches the same characters (in a text :func:`re_knows`), twice as fast."""
    chars = regex.findall(prop, "".join(map(chr, range(ord(RE_BELOW)))))
    runs: list[tuple[int, int]] = []
    for cp in map(ord, chars):
        if runs and runs[-1][1] == cp - 1:
            runs[-1] = (runs[-1][0], cp)
        else:
            runs.append((cp, cp))
    body = "".join(re.escape(chr(a)) + ("" if a == b else "-" + re.escape(chr(b))) for a, b in runs)
    return f"[{body}]"


def re_knows(text: str) -> bool:
    """Whether the :func:`re_class` classes are exact on ``text`` (all its characters
    come before :data:`RE_BELOW`)."""
    return _BEYOND_RE.search(text) is None


_FAST_WORD = re.compile(
    _word_pattern(re_class(r"[\p{L}\p{M}\p{N}]"), re_class(r"[\p{L}\p{N}]"), re_class(r"\s"))
)

_EN_FOLD = str.maketrans(
    {"’": "'", "‐": "-", "–": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " "}
)

#: conjunctions that attach to the next word
CONJUNCTIONS = ("و", "ف")
#: prepositions that attach to the next word (ل + ال is written لل)
PREPOSITIONS = ("ب", "ل", "ك")
ARTICLE = "ال"
_MIN_CORE = 2


class Token(NamedTuple):
    """A word with its character span in the text it came from (a named tuple: built
    for every word of every sentence, it must be cheap)."""

    text: str
    start: int
    end: int


def strip_diacritics(text: str) -> str:
    """Remove Arabic diacritics and tatweel only (for display forms: السّوريّة → السورية)."""
    return _DIACRITICS.sub("", text)


def _pairs(table: dict[int, str]) -> tuple[tuple[str, str], ...]:
    """A 1:1 translation table as (from, to) pairs for :func:`_fold`. ``str.translate``
    looks every character up in the table; a few ``str.replace`` scans are several
    times faster. Replacing one after the other is the same only if no target is
    itself replaced, which is checked here."""
    pairs = tuple((chr(a), b) for a, b in table.items())
    if any(len(b) != 1 or ord(b) in table for _, b in pairs):
        raise ValueError("a fold table must map characters to unfolded characters")
    return pairs


_FOLD_PAIRS = _pairs(_FOLD)
_EN_FOLD_PAIRS = _pairs(_EN_FOLD)


def _fold(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    """``text.translate`` of the table of ``pairs``."""
    for a, b in pairs:
        if a in text:
            text = text.replace(a, b)
    return text


def normalise_ar(text: str) -> str:
    """Fold Arabic spelling variants that do not distinguish names."""
    return _fold(_DIACRITICS.sub("", text), _FOLD_PAIRS)


def normalise_en(text: str) -> str:
    """Fold apostrophes, dashes and odd spaces 1:1 (spans stay valid); keep case."""
    return _fold(text, _EN_FOLD_PAIRS)


def tokens(text: str) -> list[Token]:
    """Words (letters, digits, internal hyphens/apostrophes, an initial's dot) with spans."""
    return list(map(Token, *word_spans(text)))


#: texts up to this length (sentences, names) are memoised, the last 512 of them (a few
#: MiB at most); a whole document is tokenised once per check, keeping it would only hold memory
_MEMO_MAX_CHARS = 1000

Spans = tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]


def word_spans(text: str) -> Spans:
    """The words of :func:`tokens` as three parallel tuples: texts, starts, ends.

    The fast form of the tokeniser: one ``split`` gives words and gaps, and the running
    sum of their lengths gives every offset, with no Python step per word.
    """
    return _spans(text) if len(text) <= _MEMO_MAX_CHARS else _split(text)


@memo(maxsize=512)
def _spans(text: str) -> Spans:
    """Memoised per text: the extractor, the gazetteer and the entity check tokenise the
    same sentences (and names) several times in one run."""
    return _split(text)


def _split(text: str, pattern: re.Pattern[str] | regex.Pattern[str] | None = None) -> Spans:
    parts = (pattern or _pattern(text)).split(text)  # gap, word, gap, word, ..., gap
    offsets = tuple(accumulate(map(len, parts)))
    return tuple(parts[1::2]), offsets[0:-1:2], offsets[1::2]


def normalised_spans(text: str) -> Spans:
    """:func:`word_spans` with each word :func:`normalise_ar`-ed (memoised per sentence).

    A text without diacritics or tatweel is folded whole and split once: the folds
    turn letters into letters, so the words and their spans stay where they were.
    """
    if len(text) > _MEMO_MAX_CHARS:
        return _normalised_split(text)
    return _normalised_spans(text)


@memo(maxsize=512)
def _normalised_spans(text: str) -> Spans:
    """Memoised per text: the gazetteer and the entity check read the same sentences."""
    return _normalised_split(text)


def _normalised_split(text: str) -> Spans:
    if _PLAIN_SPLIT_NOT.search(text) is None:  # most sentences: one search for both
        return _split(_fold(text, _FOLD_PAIRS), _FAST_WORD)
    if _DIACRITICS.search(text) is None:
        return _split(_fold(text, _FOLD_PAIRS))
    texts, starts, ends = word_spans(text)
    return tuple(normalise_ar_words(texts)), starts, ends


#: what keeps a text from being folded whole and split with the ``re`` word pattern: a
#: diacritic (a fold deletes it) or a character :func:`re_knows` does not (the folds
#: are letters before :data:`RE_BELOW` to such letters, so the folded text has the same)
_PLAIN_SPLIT_NOT = re.compile(f"[{_DIACRITICS.pattern[1:-1]}{RE_BELOW}-\U0010ffff]")


def words(text: str) -> list[str]:
    """The texts of :func:`tokens` without their spans (cheaper, for whole documents)."""
    return _pattern(text).findall(text)


def _pattern(text: str) -> re.Pattern[str] | regex.Pattern[str]:
    """The word pattern for ``text``: the fast one if it knows all its characters."""
    return _FAST_WORD if re_knows(text) else _WORD


def normalise_ar_words(texts: tuple[str, ...] | list[str]) -> list[str]:
    """:func:`normalise_ar` of each word, in one pass over the joined words (the
    diacritics and folds are single characters, so joining changes nothing)."""
    return normalise_ar("\x00".join(texts)).split("\x00") if texts else []


def strip_possessive(word: str) -> str:
    """``Iraq’s`` → ``Iraq``; ``Daesh/ISIS’`` handled by the tokeniser."""
    w = normalise_en(word)
    return w[:-2] if w.endswith("'s") else w.rstrip("'")


def ar_cores(word: str) -> list[tuple[str, str]]:
    """Every (prefix, core) reading of an Arabic word, most literal first.

    The core never keeps the article, so a gazetteer form and a text word meet on
    ``عراق`` whether written العراق, بالعراق, والعراق or للعراق.
    """
    return list(ar_readings(word))


@memo(maxsize=65536)
def ar_readings(word: str) -> tuple[tuple[str, str], ...]:
    """:func:`ar_cores` as a memoised tuple: words repeat across a document and the
    gazetteer asks for every token's readings."""
    w = normalise_ar(word)
    seen: dict[str, str] = {}

    def add(prefix: str, rest: str) -> None:
        if rest.startswith(ARTICLE) and len(rest) - 2 >= _MIN_CORE:
            seen.setdefault(rest[2:], prefix + ARTICLE)
        if len(rest) >= _MIN_CORE:
            seen.setdefault(rest, prefix)

    add("", w)
    for conj in ("", *CONJUNCTIONS):
        if conj and not w.startswith(conj):
            continue
        rest = w[len(conj) :]
        if conj and len(rest) >= _MIN_CORE + 1:
            add(conj, rest)
        if rest.startswith("لل") and len(rest) > 2 + _MIN_CORE:
            seen.setdefault(rest[2:], conj + "لل")
        for prep in PREPOSITIONS:
            if rest.startswith(prep) and len(rest) > 1 + _MIN_CORE:
                add(conj + prep, rest[1:])
    return tuple((p, c) for c, p in seen.items())


def ar_tail_cores(norm: str) -> tuple[str, ...]:
    """The cores of a normalised word as a later word of a form (الولايات المتحدة): the
    readings :func:`ar_readings` gives with no prefix or the article alone, in its
    order. Those are its first two (the whole word, after its article-less core if
    it has an article); every later reading strips a conjunction or preposition."""
    if len(norm) < _MIN_CORE:
        return ()
    if norm.startswith(ARTICLE) and len(norm) - 2 >= _MIN_CORE:
        return norm[2:], norm
    return (norm,)


@cache
def reading_prefixes() -> frozenset[str]:
    """Every prefix :func:`ar_readings` can strip: a word is always prefix + core."""
    out = {"", ARTICLE}
    for conj in ("", *CONJUNCTIONS):
        out |= {conj, conj + ARTICLE, conj + "لل"}
        out |= {conj + prep + art for prep in PREPOSITIONS for art in ("", ARTICLE)}
    return frozenset(out)


def ar_form_cores(form: str) -> tuple[str, ...]:
    """A gazetteer form as a tuple of cores (article removed from each word)."""
    out = []
    for tok in tokens(form):
        w = normalise_ar(tok.text)
        if w.startswith(ARTICLE) and len(w) - 2 >= _MIN_CORE:
            w = w[2:]
        out.append(w)
    return tuple(out)
