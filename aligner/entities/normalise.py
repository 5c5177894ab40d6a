"""Arabic and English normalisation for entity matching.

Matching compares *cores*: a word with diacritics, tatweel and spelling variants
folded (أ إ آ → ا, ة → ه, ى → ي) and, when it helps, the attached conjunction
(و ف), preposition (ب ل ك) and article (ال) removed. Since stripping is not always
right (بالاو is Palau, not ب + الاو), :func:`ar_cores` returns every reading, the
unstripped one first, and the gazetteer tries them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from aligner.arabic import LETTER_FOLD
from aligner.memo import memo

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
#: the shared letter folds, and Persian kaf/yeh as they appear in transliterated names
_FOLD = str.maketrans({**LETTER_FOLD, "ک": "ك", "ی": "ي"})
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:[.](?=\s)|(?:[-'’][\p{L}\p{N}]+)*)")

_EN_FOLD = str.maketrans(
    {"’": "'", "‐": "-", "–": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " "}
)

#: conjunctions that attach to the next word
CONJUNCTIONS = ("و", "ف")
#: prepositions that attach to the next word (ل + ال is written لل)
PREPOSITIONS = ("ب", "ل", "ك")
ARTICLE = "ال"
_MIN_CORE = 2


@dataclass(frozen=True)
class Token:
    """A word with its character span in the text it came from."""

    text: str
    start: int
    end: int


def strip_diacritics(text: str) -> str:
    """Remove Arabic diacritics and tatweel only (for display forms: السّوريّة → السورية)."""
    return _DIACRITICS.sub("", text)


def normalise_ar(text: str) -> str:
    """Fold Arabic spelling variants that do not distinguish names."""
    return _DIACRITICS.sub("", text).translate(_FOLD)


def normalise_en(text: str) -> str:
    """Fold apostrophes, dashes and odd spaces 1:1 (spans stay valid); keep case."""
    return text.translate(_EN_FOLD)


def tokens(text: str) -> list[Token]:
    """Words (letters, digits, internal hyphens/apostrophes, an initial's dot) with spans."""
    return list(_tokens(text) if len(text) <= _MEMO_MAX_CHARS else _scan(text))


#: texts up to this length (sentences, names) are memoised, the last 512 of them (a few
#: MiB at most); a whole document is tokenised once per check, keeping it would only hold memory
_MEMO_MAX_CHARS = 1000


@memo(maxsize=512)
def _tokens(text: str) -> tuple[Token, ...]:
    """Memoised per text: the extractor, the gazetteer and the entity check tokenise the
    same sentences (and names) several times in one run."""
    return _scan(text)


def _scan(text: str) -> tuple[Token, ...]:
    out = []
    for m in _WORD.finditer(text):
        word = m.group()
        end = m.end()
        if word.endswith(".") and len(word) > 2:  # a sentence-final dot, not an initial
            word, end = word[:-1], end - 1
        out.append(Token(word, m.start(), end))
    return tuple(out)


def words(text: str) -> list[str]:
    """The texts of :func:`tokens` without their spans (cheaper, for whole documents)."""
    return [w[:-1] if w.endswith(".") and len(w) > 2 else w for w in _WORD.findall(text)]


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


def ar_form_cores(form: str) -> tuple[str, ...]:
    """A gazetteer form as a tuple of cores (article removed from each word)."""
    out = []
    for tok in tokens(form):
        w = normalise_ar(tok.text)
        if w.startswith(ARTICLE) and len(w) - 2 >= _MIN_CORE:
            w = w[2:]
        out.append(w)
    return tuple(out)
