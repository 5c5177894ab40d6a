"""Numbers, quantities and hedges in Arabic and English sentences.

Translation errors in official statements cluster on quantities ("7.7 million people"
rendered "7.7 شخص"), so every quantity is normalised to a comparable value: a float, or a
``(low, high)`` range for vague quantities ("tens of thousands"). The language facts
(number words, scale words, units, hedges) live in ``data/numbers_*.json`` and
``data/hedges.json``; month names come from babel's CLDR data. This module only tokenises
and combines them.

Spans are character offsets into the segment text and cover the number and its scale word
("7.7 million", "ثمانية ملايين"); units, hedges and clitics are reported in ``attrs``.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import regex

from aligner.arabic import LETTER_FOLD
from aligner.extract.base import (
    Extractor,
    fresh_attrs,
    re_class,
    trie_pattern,
    uncovered,
    word_class,
)
from aligner.memo import memo
from aligner.model import AlignerError, Mention, Segment

LANGS = ("ar", "en")

_DIACRITICS = regex.compile(r"[\u064B-\u0652\u0670\u0640]")
_DIACRITICS_RE = re.compile(_DIACRITICS.pattern)  # the same class for plain ``re`` (faster)

# Token classes. Digits: any Unicode decimal digit (Western, Arabic-Indic, Persian) with
# inner separators; a trailing separator ("2254.") is sentence punctuation, not part of it.
_TOKEN_PARTS = {  # class bodies, as the ``regex`` module reads them
    "d": r"\d",  # any Unicode decimal digit
    "w": r"\p{L}\p{M}\u0640",  # word characters
    "l": r"\p{L}",
    "s": r"\s",
}
_NUM = "[{d}](?:[{d},.\u066b\u066c]*[{d}])?"
_WORD = "[{w}]+(?:['’][{l}]+)?"
_PUNCT = "[^{s}{w}{d}]"
_TOKEN = regex.compile(
    f"(?P<num>{_NUM})|(?P<word>{_WORD})|(?P<punct>{_PUNCT})".format(**_TOKEN_PARTS)
)
#: the same tokens with the whitespace before each (every other character starts a token):
#: (space, token, num, word) per token
_RUNS = f"([{{s}}]*)(({_NUM})|({_WORD})|{_PUNCT})"
_TOKEN_RUNS = regex.compile(_RUNS.format(**_TOKEN_PARTS))


@cache
def _fast_token_runs() -> re.Pattern[str]:
    """:data:`_TOKEN_RUNS` in ``re`` with the classes spelt out: twice as fast, and the
    same tokens on a text of covered characters (:func:`aligner.extract.base.re_class`)."""
    return re.compile(_RUNS.format(**{k: re_class(f"[{v}]") for k, v in _TOKEN_PARTS.items()}))


# Spans that hold digits but no quantities: URLs, archive codes (SMI/A200/529804), footnote
# markers ([1]) and numeric dates (2019/06/25, 8-06- 2023).
_BLOCKED = regex.compile(
    r"https?://\S+|www\.\S+|\b[A-Z][A-Z0-9]*(?:/[A-Z0-9]+)+\b|\[\d{1,3}\]"
    r"|(?<!\d)\d{1,4}\s*[/\-]\s*\d{1,2}\s*[/\-]\s*\d{1,4}(?!\d)"
)
_DIGIT = regex.compile(r"\d")  # a num token starts on one (any Unicode decimal digit)
_FOUR_DIGITS = regex.compile(r"\d{4}")
#: what each _BLOCKED alternative cannot do without (the scan is slow, these are not):
#: "://", "www.", "[", an upper-case code's "X/Y", a numeric date's first "9/" or "9-"
#: (tested in :func:`_may_block`)
_CODE_SLASH = re.compile(r"[A-Z0-9]/[A-Z0-9]")
_DIGIT_SEPARATOR = regex.compile(r"\d\s*[/\-]")
_CLAUSE_END = frozenset('.,،;؛:!?؟()[]"«»')
_HEDGE_AFTER_WINDOW = 7  # words after a quantity in which a trailing hedge may stand
_DATE_WINDOW = 1  # words allowed between a month name and its day or year


def _may_block(text: str) -> bool:
    """False only when :data:`_BLOCKED` surely finds nothing in ``text``."""
    slash = "/" in text
    return (
        "://" in text
        or "www." in text
        or "[" in text
        or (slash and _CODE_SLASH.search(text) is not None)
        or ((slash or "-" in text) and _DIGIT_SEPARATOR.search(text) is not None)
    )


def normalize_ar(text: str) -> str:
    """Fold Arabic spelling variants so one table entry matches them all."""
    return _fold(_DIACRITICS.sub("", text))


def _fold(text: str) -> str:
    """``text.translate(LETTER_FOLD)``: a few ``replace`` calls beat a per-character dict
    look-up on Arabic text (no folded letter is itself folded, so the order is free)."""
    for raw, folded in LETTER_FOLD.items():
        text = text.replace(raw, folded)
    return text


@memo(maxsize=65536)
def _norm(text: str, lang: str) -> str:
    """A token's table form (memoised: every token of every sentence passes here)."""
    return normalize_ar(text) if lang == "ar" else text.lower()


@dataclass(frozen=True)
class _Tok:
    kind: str  # "num", "word", "punct"
    start: int
    end: int
    text: str
    norm: str


@dataclass
class _Tables:
    """The data files of one language, normalised once."""

    lang: str
    units: dict[str, int]
    tens: dict[str, int]
    hundreds: dict[str, int]
    hundred_word: frozenset[str]
    teen_word: frozenset[str]
    teen_only: frozenset[str]
    scales: dict[str, tuple[float, str]]
    scale_render: dict[int, dict[str, str]]
    ordinals: dict[str, int]
    not_quantity: frozenset[str]
    indefinite: frozenset[str]
    duals: dict[str, str]
    vague: list[tuple[tuple[str, ...], tuple[float, float]]]
    units_after: list[tuple[tuple[str, ...], str]]
    symbols_after: dict[str, str]
    symbols_before: dict[str, str]
    identifier_cues: list[tuple[str, ...]]
    conjunctions: frozenset[str]
    clitic_prefixes: tuple[str, ...]
    hedges_before: list[tuple[tuple[str, ...], str, str]]
    hedges_after: list[tuple[tuple[str, ...], str, str]]
    months: list[tuple[str, ...]]

    def __post_init__(self) -> None:
        # first words of multi-word phrases, to skip most tokens with one set lookup
        self.vague_first = frozenset(p[0] for p, _ in self.vague)
        self.month_first = frozenset(p[0] for p in self.months)
        # every word a reader that needs no other word (vague, cardinal, dual, ordinal,
        # definite) can start on; English "a"/"an" start a quantity only before one
        cue_words = frozenset(
            self.vague_first
            | self.units.keys()
            | self.tens.keys()
            | self.hundreds.keys()
            | self.scales.keys()
            | self.hundred_word
            | self.duals.keys()
            | self.ordinals.keys()
        )
        # a token none of whose clitic-free readings is here starts no quantity
        self.quantity_first = cue_words | self.indefinite
        # ... and as whole tokens: every clitic + stem spelling, one set lookup per token
        self.quantity_surface = _with_clitics(self.quantity_first, self.clitic_prefixes)
        self.cue_surface = _with_clitics(cue_words, self.clitic_prefixes)
        self.identifier_words = frozenset(c[0] for c in self.identifier_cues if len(c) == 1)
        self.identifier_surface = _with_clitics(self.identifier_words, self.clitic_prefixes)
        # phrase indexes: the phrases a token can start (or, for hedges before, end)
        clitic_first = self.lang == "ar"
        prefixes = self.clitic_prefixes
        self.hedges_before_at = _phrase_index(self.hedges_before, -1, clitic_first, prefixes)
        self.hedges_after_at = _phrase_index(self.hedges_after, 0, clitic_first, prefixes)
        self.units_after_at = _phrase_index(self.units_after, 0, False, prefixes)
        # month names by first word, longest first as in ``months``
        months_at: dict[str, list[tuple[str, ...]]] = {}
        for name in self.months:
            months_at.setdefault(name[0], []).append(name)
        self.months_at = {w: tuple(v) for w, v in months_at.items()}


def _with_clitics(words: frozenset[str], prefixes: tuple[str, ...]) -> frozenset[str]:
    """Every token whose clitic-free readings (:func:`_strip_clitics`) meet ``words``."""
    out = set(words)
    for p in prefixes:
        out.update(p + w for w in words if len(w) >= 2)
    return frozenset(out)


@dataclass(frozen=True)
class _PhraseIndex:
    """Positions in a phrase table by one of their words (see :func:`_phrase_index`)."""

    exact: dict[str, tuple[int, ...]]  # the token's own form must be the word
    by_stem: dict[str, tuple[int, ...]]  # a clitic-free reading of the token may be
    surface: frozenset[str]  # every token form with a hit in either


def _phrase_index(
    phrases: list[tuple[tuple[str, ...], Any, Any]] | list[tuple[tuple[str, ...], Any]],
    at: int,
    clitic_first: bool,
    prefixes: tuple[str, ...],
) -> _PhraseIndex:
    """Positions in ``phrases`` by their word at ``at`` (0: first, -1: last); the first
    word of a phrase is read without clitics when ``clitic_first``."""
    exact: dict[str, list[int]] = {}
    stem: dict[str, list[int]] = {}
    for k, (words, *_rest) in enumerate(phrases):
        by_stem = clitic_first and (at == 0 or len(words) == 1)
        (stem if by_stem else exact).setdefault(words[at], []).append(k)
    return _PhraseIndex(
        {w: tuple(v) for w, v in exact.items()},
        {w: tuple(v) for w, v in stem.items()},
        frozenset(exact) | _with_clitics(frozenset(stem), prefixes),
    )


def _load_json(name: str) -> Any:
    try:
        return json.loads(
            resources.files("aligner.extract").joinpath("data", name).read_text("utf-8")
        )
    except (OSError, ValueError) as exc:  # pragma: no cover - packaging error
        raise AlignerError(f"cannot read number data: {exc}", name) from exc


def _clitic_prefixes(spec: dict[str, Any]) -> tuple[str, ...]:
    """All proclitic chains (و, ب, وال, بال, لل ...), longest first."""
    conj = ["", *spec["conj"]]
    prep = ["", *spec["prep"]]
    art = ["", spec["article"]] if spec["article"] else [""]
    out: set[str] = set()
    for c in conj:
        for p in prep:
            for a in art:
                chain = c + p + a
                if p == "ل" and a == "ال":
                    chain = c + "لل"
                if chain:
                    out.add(normalize_ar(chain))
    return tuple(sorted(out, key=len, reverse=True))


def _months(lang: str) -> list[tuple[str, ...]]:
    """Month names from CLDR (babel), including the Levantine names used in Syria and Iraq."""
    from babel.dates import get_month_names

    locales = ["en"] if lang == "en" else ["ar", "ar_SY", "ar_IQ"]
    names: set[tuple[str, ...]] = set()
    for loc in locales:
        for width in ("wide", "abbreviated"):
            for name in get_month_names(width, locale=loc).values():
                names.add(tuple(_norm(w, lang) for w in name.split()))
    # longest first so that "كانون الثاني" wins over a bare "الثاني"
    return sorted(names, key=len, reverse=True)


@cache
def tables(lang: str) -> _Tables:
    """Load (once) the number tables of ``lang``."""
    if lang not in LANGS:
        raise AlignerError(f"unsupported language {lang!r} for number extraction (use ar or en)")
    d = _load_json(f"numbers_{lang}.json")
    h = _load_json("hedges.json")[lang]

    def n(s: str) -> str:
        return _norm(s, lang)

    def phrase(s: str) -> tuple[str, ...]:
        return tuple(n(w) for w in s.split())

    return _Tables(
        lang=lang,
        units={n(k): v for k, v in d["units"].items()},
        tens={n(k): v for k, v in d["tens"].items()},
        hundreds={n(k): v for k, v in d["hundreds"].items()},
        hundred_word=frozenset(n(w) for w in d["hundred_word"]),
        teen_word=frozenset(n(w) for w in d["teen_word"]),
        teen_only=frozenset(n(w) for w in d.get("teen_only", [])),
        scales={n(k): (float(v["value"]), v["number"]) for k, v in d["scales"].items()},
        scale_render={int(k): v for k, v in d["scale_render"].items()},
        ordinals={n(k): v for k, v in d["ordinals"].items()},
        not_quantity=frozenset(n(w) for w in d["not_quantity"]),
        indefinite=frozenset(n(w) for w in d.get("indefinite", [])),
        duals={n(k): v for k, v in d["duals"].items()},
        vague=sorted(
            (
                (tuple(n(w) for w in v["tokens"]), (float(v["range"][0]), float(v["range"][1])))
                for v in d["vague"]
            ),
            key=lambda x: len(x[0]),
            reverse=True,
        ),
        units_after=sorted(
            ((tuple(n(w) for w in u["tokens"]), u["unit"]) for u in d["measure_units"]),
            key=lambda x: len(x[0]),
            reverse=True,
        ),
        symbols_after=d["symbols_after"],
        symbols_before=d["symbols_before"],
        identifier_cues=[tuple(n(w) for w in c) for c in d["identifier_cues"]],
        conjunctions=frozenset(n(w) for w in d["conjunctions"]),
        clitic_prefixes=_clitic_prefixes(d["clitics"]) if lang == "ar" else (),
        hedges_before=sorted(
            ((phrase(x["text"]), x["class"], x["text"]) for x in h if x["position"] == "before"),
            key=lambda x: len(x[0]),
            reverse=True,
        ),
        hedges_after=sorted(
            ((phrase(x["text"]), x["class"], x["text"]) for x in h if x["position"] == "after"),
            key=lambda x: len(x[0]),
            reverse=True,
        ),
        months=_months(lang),
    )


def _tokenize(text: str, lang: str) -> tuple[list[str], list[int], list[int], list[str], list[str]]:
    """Kinds, starts, ends, texts and table forms of the tokens of ``text`` (parallel lists).

    One ``findall`` with the whitespace before each token gives the offsets without a match
    object per token. The table forms are the tokens normalised at once, joined by NULs:
    Arabic letters folded, then the diacritics deleted from the few tokens that hold
    one; English lower-cased, unless a letter lower-cases to two characters or by
    context (final sigma), when each token is lower-cased alone.
    """
    runs = _TOKEN_RUNS if uncovered().search(text) else _fast_token_runs()
    found = runs.findall(text)
    texts = [f[1] for f in found]
    kinds = ["num" if f[2] else "word" if f[3] else "punct" for f in found]
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for f in found:
        pos += len(f[0])
        starts.append(pos)
        pos += len(f[1])
        ends.append(pos)
    # the tokens joined by a NUL are normalised at once and split again (each
    # normalisation is one character to one, or lower-casing without context)
    joined = "\x00".join(texts)
    if not texts or "\x00" in text:
        norms = [_norm(tok, lang) for tok in texts]
    elif lang == "ar":
        norms = _fold(joined).split("\x00")
        # a diacritic is a word character, so it stands inside a token: only the
        # tokens that hold one (few) lose theirs
        held = {bisect_right(starts, m.start()) - 1 for m in _DIACRITICS_RE.finditer(text)}
        for k in held:
            norms[k] = _DIACRITICS_RE.sub("", norms[k])
    else:
        lowered = joined.lower()
        if len(lowered) == len(joined) and "\u03a3" not in joined:
            norms = lowered.split("\x00")
        else:
            norms = [_norm(tok, lang) for tok in texts]
    return kinds, starts, ends, texts, norms


def _digits_ascii(s: str) -> str:
    if s.isascii():  # ASCII digits are their own values
        return s
    return "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in s)


def parse_digits(raw: str, lang: str, scaled: bool = False) -> tuple[float, list[float] | None]:
    """Value of a digit string; ``readings`` when the decimal comma cannot be decided.

    Rules: ``٫`` is a decimal and ``٬`` a thousands separator; with both ``,`` and ``.`` the
    last one is the decimal mark; a comma followed by groups of exactly three digits is a
    thousands separator (``110,000``) unless a scale word follows (``1,500 مليون`` may be
    1.5 million written with a decimal comma); one or two digits after a single comma are
    decimals in Arabic (``148,7``) and ambiguous in English.
    """
    s = _digits_ascii(raw).replace("\u066c", ",").replace("\u066b", "\x00")
    if "\x00" in s:
        return float(s.replace(",", "").replace(".", "").replace("\x00", ".")), None
    has_c, has_d = "," in s, "." in s
    if has_c and has_d:
        dec, thou = (".", ",") if s.rfind(".") > s.rfind(",") else (",", ".")
        if s.count(dec) > 1:  # "1,2.3.4": no reading makes sense; keep the digits, flag it
            digits = float(s.replace(",", "").replace(".", ""))
            return digits, [digits]
        return float(s.replace(thou, "").replace(dec, ".")), None
    if not has_c and not has_d:
        return float(s), None
    sep = "," if has_c else "."
    groups = s.split(sep)
    grouped = 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    thousands = float("".join(groups))
    if len(groups) > 2:
        if grouped:
            return thousands, None
        return thousands, [thousands]  # malformed grouping: keep digits, flag it
    decimal = float(groups[0] + "." + groups[1])
    if sep == ".":
        if grouped and lang == "ar" and not scaled and groups[0] != "0":
            return decimal, [decimal, thousands]
        return decimal, None
    # single comma
    if grouped and groups[0] != "0":
        if scaled:
            return thousands, [thousands, decimal]
        return thousands, None
    if len(groups[1]) <= 2 and lang == "ar":
        return decimal, None
    return decimal, [decimal, thousands]


@memo(maxsize=65536)
def _strip_clitics(norm: str, lang: str) -> tuple[tuple[str, str], ...]:
    """Readings of a word without its proclitics: [(clitic, stem)], the bare word first."""
    out = [("", norm)]
    for p in tables(lang).clitic_prefixes:
        if norm.startswith(p) and len(norm) - len(p) >= 2:
            out.append((p, norm[len(p) :]))
    return tuple(out)


#: one quantity of a sentence: start, end, value (a float or a range), sorted attributes
Quantity = tuple[int, int, float | tuple[float, float], dict[str, Any]]


class _Parser:
    """Left-to-right scan of one sentence into number mentions.

    Tokens are parallel lists (kind, start, end, text, norm): building one object per
    token was a third of the time. The scan visits only the tokens a reader can start
    on (digits and table words, one set lookup each).
    """

    def __init__(self, text: str, lang: str, side: str, segment_id: str) -> None:
        self.text = text
        self.lang = lang
        self.side = side
        self.segment_id = segment_id
        self.t = tables(lang)
        self.kinds, self.starts, self.ends, self.texts, self.norms = _tokenize(text, lang)
        self.n = len(self.kinds)
        self._stem_cache: dict[int, frozenset[str]] = {}
        self.blocked = self._blocked_tokens()
        self.month_near = self._month_adjacent()

    @property
    def toks(self) -> list[_Tok]:
        """The tokens as records (for tests and debugging; the scan reads the lists)."""
        return [
            _Tok(*tok)
            for tok in zip(self.kinds, self.starts, self.ends, self.texts, self.norms, strict=True)
        ]

    # -- helpers -----------------------------------------------------------------
    def _blocked_tokens(self) -> set[int]:
        # the scan is slow and most sentences have no blocked span: ask :func:`_may_block`
        spans = (
            [(m.start(), m.end()) for m in _BLOCKED.finditer(self.text)]
            if _may_block(self.text)
            else []
        )
        out = set()
        if spans:
            for i, (start, end) in enumerate(zip(self.starts, self.ends, strict=True)):
                if any(s <= start and end <= e for s, e in spans):
                    out.add(i)
        # month names (possibly two words) are blocked so "الثاني" there is no ordinal
        self.month_toks: set[int] = set()
        month_first = self.t.month_first
        if not month_first.isdisjoint(self.norms):
            for i, norm in enumerate(self.norms):
                if norm not in month_first:
                    continue
                for name in self.t.months_at[norm]:
                    if self._match_words(i, name, cased_en=True) is not None:
                        self.month_toks.update(range(i, i + len(name)))
                        break
        return out | self.month_toks

    def _month_adjacent(self) -> set[int]:
        """Day and year numbers next to a month name ("25 حزيران/يونيو، 2019", "June 25, 2019").

        Only punctuation, at most one word (لسنة, of) and a day number may stand between.
        """
        near: set[int] = set()
        kinds = self.kinds
        for i in self.month_toks:
            for step in (-1, 1):
                j, words = i + step, 0
                while 0 <= j < self.n and j not in self.month_toks:
                    kind = kinds[j]
                    if kind == "word":
                        words += 1
                        if words > _DATE_WINDOW:
                            break
                    elif kind == "num":
                        digits = _digits_ascii(self.texts[j])
                        if not digits.isdigit():
                            break
                        if int(digits) <= 31:
                            near.add(j)
                        elif len(digits) == 4 and 1900 <= int(digits) <= 2100:
                            near.add(j)
                            break
                        else:
                            break
                    j += step
        return near

    def _strip(self, norm: str) -> tuple[tuple[str, str], ...]:
        """Readings of a word without its proclitics: [(clitic, stem)], the bare word first."""
        return _strip_clitics(norm, self.lang)

    def _stems_of(self, i: int) -> frozenset[str]:
        """Cached clitic-free readings of token ``i``."""
        got = self._stem_cache.get(i)
        if got is None:
            got = self._stem_cache[i] = frozenset(s for _, s in self._strip(self.norms[i]))
        return got

    def _match_words(
        self, i: int, phrase: tuple[str, ...], clitic_first: bool = False, cased_en: bool = False
    ) -> int | None:
        """End index (exclusive) if the word tokens from ``i`` spell ``phrase``."""
        j = i
        kinds, norms = self.kinds, self.norms
        cased = cased_en and self.lang == "en"
        for k, w in enumerate(phrase):
            if j >= self.n or kinds[j] != "word":
                return None
            if cased and not self.texts[j][:1].isupper():
                return None
            if k == 0 and clitic_first:
                if w not in self._stems_of(j):
                    return None
            elif w != norms[j]:
                return None
            j += 1
        return j

    def _phrases_at(self, i: int, index: _PhraseIndex) -> list[int]:
        """Positions (in table order) of the phrases whose indexed word token ``i`` can be."""
        if i < 0 or i >= self.n or self.kinds[i] != "word" or self.norms[i] not in index.surface:
            return []
        hits = list(index.exact.get(self.norms[i], ()))
        if index.by_stem:
            for s in self._stems_of(i):
                hits.extend(index.by_stem.get(s, ()))
        hits.sort()
        return hits

    def _lookup(self, i: int, table: dict[str, Any], allow_clitic: bool) -> tuple[str, Any] | None:
        if self.kinds[i] != "word" or i in self.blocked:
            return None
        norm = self.norms[i]
        for clitic, stem in self._strip(norm) if allow_clitic else [("", norm)]:
            if stem in table:
                return clitic, table[stem]
        return None

    def _adjacent(self, a: int, b: int) -> bool:
        return self.ends[a] == self.starts[b]

    # -- quantity readers ----------------------------------------------------------
    def _read_digits(self, i: int) -> dict[str, Any] | None:
        kinds, norms = self.kinds, self.norms
        attrs: dict[str, Any] = {}
        start = self.starts[i]
        # glued letters before: an Arabic clitic chain (ب100، ال50، لـ3) or a code (A200)
        if i > 0 and self._adjacent(i - 1, i) and kinds[i - 1] == "word":
            if norms[i - 1] not in self.t.clitic_prefixes:
                return None
            attrs["clitic"] = self.texts[i - 1].rstrip("\u0640")
        j = i + 1
        if j < self.n and self._adjacent(i, j) and kinds[j] == "word":
            suffix = norms[j]
            if self.lang == "en" and suffix in ("st", "nd", "rd", "th"):
                attrs["ordinal"] = True
                j += 1
            elif suffix not in self.t.scales:  # a glued scale ($1.5bn) is read below
                return None  # 3D, A200-style codes: not a quantity
        scale_i = j if j < self.n else None
        scale = None
        if scale_i is not None and "ordinal" not in attrs:
            hit = self._lookup(scale_i, self.t.scales, allow_clitic=False)
            if hit:
                scale = hit[1]
        raw = self.texts[i]
        try:
            value, readings = parse_digits(raw, self.lang, scaled=scale is not None)
        except ValueError:  # a digit newer than Python's Unicode tables: no value to read
            return None
        end_i = j
        base = value
        if scale is not None:
            value = base * scale[0]
            readings = [r * scale[0] for r in readings] if readings else None
            attrs.update(
                form="digits+scale",
                scale=self.texts[scale_i],
                scale_value=scale[0],
                base=base,
            )
            end_i = scale_i + 1
        else:
            attrs["form"] = "digits"
        if readings:
            attrs["ambiguous"] = True
            attrs["readings"] = sorted(set(readings))
        plain = _FOUR_DIGITS.fullmatch(_digits_ascii(raw)) is not None
        if plain and scale is None and 1900 <= value <= 2100:
            attrs["year_like"] = True
        if i in self.month_near:
            attrs["date_part"] = True
        return {"start": start, "end_i": end_i, "first_i": i, "value": value, "attrs": attrs}

    def _read_words(self, i: int) -> dict[str, Any] | None:
        """Cardinal number words, compound with و/and/hyphen, with trailing scale words."""
        t = self.t
        kinds, norms, n = self.kinds, self.norms, self.n
        total = 0.0
        current = 0.0
        j = i
        used = 0
        scale_text = None
        scale_value = None
        base = None
        clitic = ""
        prev_kind = ""
        while j < n and j not in self.blocked:
            if kinds[j] != "word":
                # English hyphen inside "thirty-two"
                if (
                    self.lang == "en"
                    and self.texts[j] == "-"
                    and prev_kind == "tens"
                    and j + 1 < n
                    and self._adjacent(j - 1, j)
                    and self._adjacent(j, j + 1)
                ):
                    j += 1
                    continue
                break
            norm = norms[j]
            stems = self._strip(norm) if (used == 0 and self.lang == "ar") else [("", norm)]
            if used > 0 and self.lang == "ar":
                # later words join with the conjunction و (اثنان وثلاثون) or stand bare (scale)
                stems = [("", norm)] + [
                    (c, norm[len(c) :]) for c in t.conjunctions if norm.startswith(c)
                ]
            if used > 0 and self.lang == "en" and norm in t.conjunctions:
                nxt = norms[j + 1] if j + 1 < n else None
                if (
                    prev_kind in ("hundred", "scale")
                    and nxt is not None
                    and (nxt in t.units or nxt in t.tens)
                ):
                    j += 1
                    continue
                break
            kind = None
            val: Any = None
            nxt_teen = j + 1 < n and norms[j + 1] in t.teen_word
            for c, stem in stems:
                if used == 0 and stem in t.not_quantity and not nxt_teen:
                    break  # أحد/إحدى alone is "one of"; أحد عشر is 11
                if stem in t.teen_only and not nxt_teen:
                    continue  # اثنا/اثني only in 12 (اثنا عشر); أثنى "praised" is no number
                for name, table in (
                    ("unit", t.units),
                    ("tens", t.tens),
                    ("hundreds", t.hundreds),
                    ("scale", t.scales),
                ):
                    if stem in table:
                        kind, val = name, table[stem]
                        if used == 0:
                            clitic = c
                        break
                if stem in t.hundred_word and used > 0 and prev_kind == "unit":
                    kind, val = "hundred", 100
                if stem in t.teen_word and used > 0 and prev_kind == "unit" and not c:
                    kind, val = "teen", 10
                if self.lang == "en" and stem in t.hundred_word:
                    kind, val = "hundred", 100
                if kind:
                    break
            if kind is None:
                if used == 0 and self.lang == "en" and norm in t.indefinite:
                    if j + 1 < n and (norms[j + 1] in t.scales or norms[j + 1] in t.hundred_word):
                        current = 1.0
                        used += 1
                        prev_kind = "indef"
                        j += 1
                        continue
                break
            if kind == "scale" and prev_kind == "scale":
                break
            if kind == "unit" and prev_kind in ("unit", "teen") and self.lang == "ar":
                break
            if kind in ("unit", "tens", "hundreds", "teen"):
                current += val
            elif kind == "hundred":
                current = (current or 1.0) * 100
            elif kind == "scale":
                sv, number = val
                mult = current or (2.0 if number == "dual" else 1.0)
                base = (total + mult) if total == 0 else None
                total += mult * sv
                current = 0.0
                scale_text = self.texts[j]
                scale_value = sv
            prev_kind = kind
            used += 1
            j += 1
        if used == 0 or prev_kind == "indef":
            return None
        value = total + current
        if value == 1 and scale_value is None:
            return None  # "one of", "واحد من", "أحد": not a quantity of substance
        attrs: dict[str, Any] = {"form": "words"}
        if scale_value is not None and current == 0:
            attrs.update(form="words+scale", scale=scale_text, scale_value=scale_value)
            if base is not None:
                attrs["base"] = base
        if clitic:
            attrs["clitic"] = clitic
        return {
            "start": self.starts[i],
            "end_i": j,
            "first_i": i,
            "value": value,
            "attrs": attrs,
        }

    def _read_vague(self, i: int) -> dict[str, Any] | None:
        if not (self._stems_of(i) & self.t.vague_first):
            return None
        for phrase, rng in self.t.vague:
            end = self._match_words(i, phrase, clitic_first=self.lang == "ar")
            if end is not None:
                return {
                    "start": self.starts[i],
                    "end_i": end,
                    "first_i": i,
                    "value": rng,
                    "attrs": {"form": "words", "vague": True},
                }
        return None

    def _read_dual(self, i: int) -> dict[str, Any] | None:
        hit = self._lookup(i, self.t.duals, allow_clitic=True)
        if hit is None:
            return None
        return {
            "start": self.starts[i],
            "end_i": i + 1,
            "first_i": i,
            "value": 2.0,
            "attrs": {"form": "words", "dual": True, "unit": hit[1]},
        }

    def _read_ordinal(self, i: int) -> dict[str, Any] | None:
        if self.kinds[i] != "word" or i in self.blocked:
            return None
        norm = self.norms[i]
        stems = self._strip(norm) if self.lang == "ar" else [("", norm)]
        for _, stem in stems:
            if stem in self.t.ordinals:
                value = float(self.t.ordinals[stem])
                end = i + 1
                if self.lang == "ar" and end < self.n and self.norms[end] in self.t.teen_word:
                    value += 10
                    end += 1
                if value == 1:
                    return None
                return {
                    "start": self.starts[i],
                    "end_i": end,
                    "first_i": i,
                    "value": value,
                    "attrs": {"form": "words", "ordinal": True},
                }
        return None

    def _definite_word(self, i: int) -> dict[str, Any] | None:
        """A cardinal with the article (الثمانون، الأربع) after a noun: "the eighty members"."""
        if self.lang != "ar":
            return None
        if self.kinds[i] != "word" or i in self.blocked or self.norms[i] in self.t.not_quantity:
            return None
        for clitic, stem in self._strip(self.norms[i]):
            if not clitic.endswith("ال") and clitic != "لل":
                continue
            for table in (self.t.units, self.t.tens):
                if stem in table and table[stem] > 1:
                    return {
                        "start": self.starts[i],
                        "end_i": i + 1,
                        "first_i": i,
                        "value": float(table[stem]),
                        "attrs": {"form": "words"},
                    }
        return None

    # -- decorations -------------------------------------------------------------
    def _unit_after(self, q: dict[str, Any]) -> None:
        j = q["end_i"]
        if j < self.n and self.kinds[j] == "punct":
            sym = self.texts[j]
            if sym in self.t.symbols_after and self._adjacent(j - 1, j):
                q["attrs"]["unit"] = self.t.symbols_after[sym]
                q["end_i"] = j + 1
                return
        for k in self._phrases_at(j, self.t.units_after_at):
            phrase, unit = self.t.units_after[k]
            end = self._match_words(j, phrase, clitic_first=False)
            if end is not None:
                q["attrs"].setdefault("unit", unit)
                q["attrs"]["unit_text"] = self.text[self.starts[j] : self.ends[end - 1]]
                q["resume_i"] = end
                return

    def _unit_before(self, q: dict[str, Any]) -> None:
        i = q["first_i"]
        if i > 0 and self.kinds[i - 1] == "punct" and self._adjacent(i - 1, i):
            sym = self.texts[i - 1]
            if sym in self.t.symbols_before and "unit" not in q["attrs"]:
                q["attrs"]["unit"] = self.t.symbols_before[sym]
                q["start"] = self.starts[i - 1]
                q["first_i"] = i - 1

    def _identifier(self, q: dict[str, Any]) -> None:
        i = q["first_i"] - 1
        while i >= 0 and self.kinds[i] == "punct" and self.texts[i] == ".":
            i -= 1
        if i < 0 or self.kinds[i] != "word":
            return
        if self.norms[i] in self.t.identifier_surface and not self.t.identifier_words.isdisjoint(
            self._stems_of(i)
        ):
            q["attrs"]["identifier"] = True
            q["attrs"].pop("year_like", None)

    def _hedge(self, q: dict[str, Any]) -> None:
        first = q["first_i"]
        clitic_first = self.lang == "ar"
        for k in self._phrases_at(first - 1, self.t.hedges_before_at):
            phrase, cls, text = self.t.hedges_before[k]
            i0 = first - len(phrase)
            if i0 < 0:
                continue
            end = self._match_words(i0, phrase, clitic_first=clitic_first)
            if end == first:
                q["attrs"].update(
                    hedge=cls,
                    hedge_text=text,
                    hedge_span=[self.starts[i0], self.ends[first - 1]],
                )
                return
        j, words = q["end_i"], 0
        after_at = self.t.hedges_after_at
        while j < self.n and words < _HEDGE_AFTER_WINDOW:
            kind = self.kinds[j]
            if kind == "num" or (kind == "punct" and self.texts[j] in _CLAUSE_END):
                return
            if self.norms[j] not in after_at.surface:  # no phrase starts here
                if kind == "word":
                    words += 1
                j += 1
                continue
            for k in self._phrases_at(j, after_at):
                phrase, cls, text = self.t.hedges_after[k]
                end = self._match_words(j, phrase, clitic_first=clitic_first)
                if end is not None:
                    q["attrs"].update(
                        hedge=cls, hedge_text=text, hedge_span=[self.starts[j], self.ends[end - 1]]
                    )
                    return
            if kind == "word":
                words += 1
            j += 1

    # -- driver -------------------------------------------------------------------
    def _starts(self) -> list[int]:
        """Tokens a reader can start on: digits, and words with a table reading."""
        surface = self.t.quantity_surface
        kinds, norms = self.kinds, self.norms
        if surface.isdisjoint(norms):  # only digits (one set operation in C)
            return [i for i, kind in enumerate(kinds) if kind == "num"]
        return [
            i
            for i, kind in enumerate(kinds)
            if kind == "num" or (kind == "word" and norms[i] in surface)
        ]

    def run(self) -> list[Mention]:
        """The sentence's number mentions."""
        text, side, sid = self.text, self.side, self.segment_id
        return [
            Mention("number", side, sid, start, end, text[start:end], value, attrs)
            for start, end, value, attrs in self.quantities()
        ]

    def quantities(self) -> list[Quantity]:
        """(start, end, value, attrs) of every quantity, in text order."""
        found: list[dict[str, Any]] = []
        i = 0  # first token not yet read
        for i0 in self._starts():
            if i0 < i:
                continue  # inside a quantity already read
            i = i0
            is_num = self.kinds[i] == "num"
            if i in self.blocked and not (is_num and i in self.month_near):
                continue
            if is_num:
                q = self._read_digits(i)
            else:
                q = (
                    self._read_vague(i)
                    or self._read_words(i)
                    or self._read_dual(i)
                    or self._read_ordinal(i)
                    or self._definite_word(i)
                )
            if q is None:
                continue
            self._unit_after(q)
            self._unit_before(q)
            self._identifier(q)
            found.append(q)
            i = max(q["end_i"], q.get("resume_i", 0), i + 1)
        for q in found:
            self._hedge(q)
        # a trailing hedge belongs to the nearest quantity before it, not to several
        seen: set[tuple[int, int]] = set()
        for q in reversed(found):
            span = q["attrs"].get("hedge_span")
            if span is None:
                continue
            if tuple(span) in seen:
                for k in ("hedge", "hedge_text", "hedge_span"):
                    q["attrs"].pop(k, None)
            seen.add(tuple(span))
        out: list[Quantity] = []
        for q in found:
            end = self.ends[q["end_i"] - 1]
            value = q["value"]
            if isinstance(value, tuple):
                value = (float(value[0]), float(value[1]))
            else:
                value = float(value)
            out.append((q["start"], end, value, dict(sorted(q["attrs"].items()))))
        return out


def may_hold_quantity(text: str, lang: str) -> bool:
    """False only when ``text`` surely holds no quantity (the sentence pre-filter).

    A quantity starts on a digit or on a word with a table reading (:meth:`_Parser._starts`);
    English "a"/"an" only before a scale word, which is itself a table word. Most
    sentences have neither: a search for a digit, then one ``re`` search for any table
    word with any clitic (a trie, :func:`_cue_regex`) tell so without tokenising. Arabic
    is searched with diacritics removed and the words spelt with every letter that folds
    to theirs, English lower-cased.
    """
    if _DIGIT.search(text):
        return True
    if lang == "ar":
        # a word after "x’y" that starts with a diacritic is its own token, but the
        # diacritic-free text glues it to "y": no boundary to search for, so read it all
        if "'" in text or "’" in text:
            return True
        if _DIACRITICS_RE.search(text):
            text = _DIACRITICS_RE.sub("", text)
    else:
        text = text.lower()
    return _cue_regex(lang).search(" " + text) is not None


@cache
def _cue_regex(lang: str) -> re.Pattern[str]:
    """Any table word that can start a quantity, as a whole word (see :func:`may_hold_quantity`)."""
    t = tables(lang)
    folds: dict[str, str] = {}
    if lang == "ar":
        for raw, folded in LETTER_FOLD.items():
            folds[folded] = folds.get(folded, folded) + raw

    def chars(ch: str) -> str:
        return "".join(re.escape(c) for c in folds.get(ch, ch))

    # a character before the word instead of a look-behind (the text gets a leading space):
    # ``re`` then skips word characters without trying the trie
    cls = word_class()
    return re.compile(rf"[^{cls}]{trie_pattern(t.cue_surface, chars)}(?![{cls}])")


def extract_numbers(
    text: str, lang: str, side: str = "source", segment_id: str = ""
) -> list[Mention]:
    """Number mentions of a plain string (for tests, benchmarks and other stages).

    ``lang`` may carry a region ("ar-SY", "en_US"): only the language decides the tables.
    """
    if not isinstance(text, str):
        raise AlignerError(f"number extraction needs text, got {type(text).__name__}")
    code = lang.replace("_", "-").split("-")[0].lower() if isinstance(lang, str) else lang
    if code not in LANGS:
        raise AlignerError(f"unsupported language {lang!r} for number extraction (use ar or en)")
    if not text:
        return []
    found = _sentence_quantities(text, code) if len(text) <= _MEMO_MAX_CHARS else _read(text, code)
    return [
        Mention("number", side, segment_id, start, end, text[start:end], value, fresh_attrs(attrs))
        for start, end, value, attrs in found
    ]


#: sentences up to this length have their quantities memoised
_MEMO_MAX_CHARS = 1000


@memo(maxsize=4096)
def _sentence_quantities(text: str, lang: str) -> tuple[Quantity, ...]:
    """Memoised per sentence (a document repeats its sentences, a batch its documents).
    The attribute dicts are never handed out: every mention gets a copy
    (:func:`~aligner.extract.base.fresh_attrs`)."""
    return _read(text, lang)


def _read(text: str, lang: str) -> tuple[Quantity, ...]:
    """The quantities of a sentence, none when the pre-filter rules them out."""
    if not may_hold_quantity(text, lang):
        return ()
    return tuple(_Parser(text, lang, "", "").quantities())


class NumberExtractor(Extractor):
    """Registered as "number": quantities of one sentence, normalised for cross-language checks."""

    name = "number"

    def extract(self, segment: Segment, lang: str, side: str) -> list[Mention]:
        text = segment.text
        if lang not in LANGS or not isinstance(text, str) or len(text) > _MEMO_MAX_CHARS:
            return extract_numbers(text, lang, side=side, segment_id=segment.id)
        # the usual case, without extract_numbers' checks of its arguments
        sid = segment.id
        return [
            Mention("number", side, sid, start, end, text[start:end], value, fresh_attrs(attrs))
            for start, end, value, attrs in _sentence_quantities(text, lang)
        ]


def scale_word(scale_value: float, base: float, lang: str) -> str | None:
    """The scale word to write after ``base`` (Arabic plural for 3-10: 7.7 ملايين)."""
    render = tables(lang).scale_render.get(int(scale_value))
    if render is None:
        return None
    if lang == "ar" and 3 <= base <= 10:
        return render["plural"]
    return render["singular"]


def values_of(m: Mention) -> list[float | tuple[float, float]]:
    """Every reading of a mention's value: the value, or all readings when ambiguous."""
    if isinstance(m.value, tuple | list) and len(m.value) == 2 and not m.attrs.get("readings"):
        return [(float(m.value[0]), float(m.value[1]))]
    vals: list[float | tuple[float, float]] = [float(m.value)]
    for r in m.attrs.get("readings", []):
        if float(r) not in vals:
            vals.append(float(r))
    return vals


def magnitude(m: Mention) -> float:
    """One representative number (geometric middle of a range) for distance computations."""
    v = values_of(m)[0]
    if isinstance(v, tuple):
        lo, hi = max(v[0], 1e-9), max(v[1], 1e-9)
        return math.sqrt(lo * hi)
    return float(v)
