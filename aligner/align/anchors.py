"""Anchors for sentence alignment: tokens that survive translation unchanged.

A number keeps its value across Arabic and English (``110,000`` ↔ ``١١٠٬٠٠٠``,
``7.7`` ↔ ``7,7``), a year stays a year, and Latin-script tokens such as
INTERPOL, EUAM or PNR are often left in Latin script inside Arabic text. Matching
them is cheap evidence that two sentences are translations of each other, and a
mismatch is evidence that they are not. This module has its own small number
normaliser on purpose: the full number extractor (scale words, ranges, units)
belongs to the extract stage and is far more than alignment needs.

Character facts (digit sets, separators, script ranges) live in
``data/anchors.json``.
"""

from __future__ import annotations

import bisect
import itertools
import json
from collections import Counter
from importlib import resources
from typing import Any

import numpy as np
import regex

_DATA: dict[str, Any] = json.loads(
    resources.files("aligner.align").joinpath("data/anchors.json").read_text(encoding="utf-8")
)
_DIGITS: dict[int, str] = {ord(k): v for k, v in _DATA["digits"].items()}
_THOUSANDS: frozenset[str] = frozenset(_DATA["thousands_separators"])
_DECIMAL: frozenset[str] = frozenset(_DATA["decimal_points"])
_AMBIGUOUS_COMMA: frozenset[str] = frozenset(_DATA["ambiguous_comma"])
_LATIN_MIN = int(_DATA["latin_token_min_length"])
_NON_LATIN_RANGES: list[tuple[str, str]] = [(a, b) for a, b in _DATA["non_latin_script_ranges"]]


def _letter_kinds(ranges: list[tuple[str, str]]) -> np.ndarray:
    """Per code point up to the last range's end: 1 = a letter (``str.isalpha``) of a
    non-Latin script range, 2 = an ASCII letter, 0 = anything else (one past the end
    stands for every higher code point)."""
    top = max(max(ord(hi) for _, hi in ranges), ord("z")) + 1
    kinds = np.zeros(top + 1, dtype=np.int8)
    for lo, hi in ranges:
        for code in range(ord(lo), ord(hi) + 1):
            if chr(code).isalpha():
                kinds[code] = 1
    for code in range(128):
        if chr(code).isalpha() and not kinds[code]:
            kinds[code] = 2
    return kinds


_LETTER_KINDS = _letter_kinds(_NON_LATIN_RANGES)


_SEPS = "".join(sorted(_THOUSANDS | _DECIMAL))
_NUMBER_RE = regex.compile(
    r"(?<![\p{Nd}\p{L}])\p{Nd}+(?:[" + regex.escape(_SEPS) + r"]\p{Nd}+)*(?![\p{Nd}\p{L}])"
)
# split on any separator (non-digit) but keep which one it was
_PIECES_RE = regex.compile(r"(\p{Nd}+)|(\D)")
_LATIN_RE = regex.compile(r"[A-Za-z][A-Za-z0-9]*")


def _canonical(value: float) -> str:
    """Stable text form of a number: ``110000``, ``7.7``."""
    if value == int(value):
        return str(int(value))
    return repr(round(value, 6))


def normalise_number(text: str) -> str | None:
    """Canonical value of one number as written, or None when it cannot be read.

    ``1,234,567`` / ``١٬٢٣٤`` → thousands; ``7.7`` / ``٧٫٧`` → decimal point; a comma
    followed by other than three digits (``7,7``) is a decimal comma.
    """
    text = text.translate(_DIGITS)
    groups: list[str] = []
    seps: list[str] = []
    for m in _PIECES_RE.finditer(text):
        if m.group(1) is not None:
            groups.append(m.group(1))
        else:
            seps.append(m.group(2))
    if not groups or len(seps) != len(groups) - 1:
        return None
    if not seps:
        return _canonical(float(groups[0]))
    integer = groups[0]
    fraction = ""
    for sep, group in zip(seps, groups[1:], strict=True):
        if fraction:
            return None  # digits after a decimal part: a date or a code, not one number
        if sep in _THOUSANDS and len(group) == 3:
            integer += group
        elif sep in _DECIMAL or sep in _AMBIGUOUS_COMMA:
            fraction = group
        else:
            return None
    return _canonical(float(f"{integer}.{fraction}" if fraction else integer))


def numbers(text: str) -> list[str]:
    """Canonical values of the numbers in ``text``, in order (years are numbers too)."""
    out: list[str] = []
    for m in _NUMBER_RE.finditer(text):
        out.extend(_values(m.group(0)))
    return out


def _values(found: str) -> list[str]:
    """Canonical values of one match of the number pattern: one number, or (e.g.
    2019/06/25 or 1.2.3) each digit group on its own."""
    if found.isdigit():  # no separator: the value of the digits (normalise_number's)
        return [_canonical(float(found.translate(_DIGITS)))]
    value = normalise_number(found)
    if value is not None:
        return [value]
    return [_canonical(float(g.translate(_DIGITS))) for g in regex.findall(r"\p{Nd}+", found)]


def significant_digits(value: str) -> str:
    """Digits of a canonical number without leading/trailing zeros or the point.

    Anchors compare these, so that a number written with a scale word on one side
    (``110 آلاف``, ``7.7 million``) still matches ``110,000`` / ``7.7`` on the other:
    alignment wants "same figure", the number check decides whether the scale is right.
    """
    digits = value.replace(".", "").replace("-", "").strip("0")
    return digits or "0"


def latin_tokens(text: str) -> list[str]:
    """Lower-cased Latin-script words of at least the configured length."""
    return [t.lower() for t in _LATIN_RE.findall(text) if len(t) >= _LATIN_MIN]


def _letter_counts(texts: list[str]) -> tuple[int, int]:
    """Letters of a non-Latin script range and ASCII letters in ``texts``: a side whose
    letters are mostly the first is non-Latin (Arabic here). The code points of the whole
    side are classified by one table look-up (no per-character Python loop)."""
    cp = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    top = len(_LETTER_KINDS) - 1
    kinds = _LETTER_KINDS.take(np.minimum(cp, top))
    return int(np.count_nonzero(kinds == 1)), int(np.count_nonzero(kinds == 2))


#: joins a side's sentences for one pass of a pattern: neither a digit, a letter nor a
#: number separator, so no match crosses it and it reads as the end of a sentence
_JOIN = "\n"
assert _JOIN not in _SEPS


#: up to this many matches, :func:`_per_text` finds their texts without numpy
_FEW_MATCHES = 48


def _per_text(texts: list[str], pattern: regex.Pattern[str]) -> list[list[str]]:
    """The matches of ``pattern`` in each text, from one pass over the joined texts."""
    out: list[list[str]] = [[] for _ in texts]
    found = [(m.start(), m.group(0)) for m in pattern.finditer(_JOIN.join(texts))]
    if len(found) > _FEW_MATCHES:
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        ends = np.cumsum(lengths + len(_JOIN))  # one past each text's joiner
        starts = np.fromiter((start for start, _ in found), dtype=np.int64, count=len(found))
        at = np.searchsorted(ends, starts, side="right").tolist()
        for k, (_, text) in zip(at, found, strict=True):
            out[k].append(text)
    elif found:  # the same search in Python: cheaper than numpy's calls for a few
        last = list(itertools.accumulate(len(text) + len(_JOIN) for text in texts))
        for start, text in found:
            out[bisect.bisect_right(last, start)].append(text)
    return out


def _number_keys(texts: list[str]) -> list[list[str]]:
    """Each sentence's numbers as anchor keys: ``n:`` + significant digits."""
    keys: dict[str, list[str]] = {}  # a number written the same way again
    out = []
    for found in _per_text(texts, _NUMBER_RE):
        row = []
        for text in found:
            made = keys.get(text)
            if made is None:
                made = keys[text] = [f"n:{significant_digits(v)}" for v in _values(text)]
            row.extend(made)
        out.append(row)
    return out


def _latin(texts: list[str]) -> list[list[str]]:
    """:func:`latin_tokens` of each sentence, from one pass over the joined texts."""
    return [
        [t.lower() for t in found if len(t) >= _LATIN_MIN] for found in _per_text(texts, _LATIN_RE)
    ]


#: above this many Latin anchors, a Latin-script sentence is tokenised without first
#: looking for each anchor as a substring
_PREFILTER_MAX = 32


def _mentions(text: str, words: set[str]) -> bool:
    """Whether one of ``words`` (lower-case ASCII) is a substring of ``text`` lower-cased."""
    low = text.lower()
    return any(w in low for w in words)


def anchor_keys(src: list[str], tgt: list[str]) -> tuple[list[list[str]], list[list[str]]]:
    """Anchors per sentence for both sides, as lists of keys (a key once per occurrence).

    Numbers count on both sides, by their significant digits. Latin tokens count only
    when they appear on a side written in a non-Latin script: there they were carried
    over untranslated, and a Latin-script side is then searched for the same tokens.
    Two Latin-script sides share too many ordinary words for that to mean anything.
    (A Latin-script sentence holding none of them even as a substring of its lower-cased
    text has none as a token: it is not tokenised.) Each pattern makes one pass over a
    side's joined sentences.
    """
    sides = (src, tgt)
    latin: list[list[list[str]] | None] = []
    for texts in sides:
        other, ascii_letters = _letter_counts(texts)
        if other <= ascii_letters:  # a Latin-script side
            latin.append(None)
        elif ascii_letters:
            latin.append(_latin(texts))
        else:  # no ASCII letter, so no Latin token: nothing to search for
            latin.append([[] for _ in texts])
    vocab: set[str] = set()
    for tokens in latin:
        for row in tokens or ():
            vocab.update(row)
    out: tuple[list[list[str]], list[list[str]]] = ([], [])
    for keys, texts, tokens in zip(out, sides, latin, strict=True):
        for k, (t, nums) in enumerate(zip(texts, _number_keys(texts), strict=True)):
            if tokens is not None and vocab:
                keys.append([*nums, *(f"l:{w}" for w in tokens[k] if w in vocab)])
            elif vocab and (len(vocab) > _PREFILTER_MAX or _mentions(t, vocab)):
                keys.append([*nums, *(f"l:{w}" for w in latin_tokens(t) if w in vocab)])
            else:
                keys.append(nums)
    return out


def anchor_counts(src: list[str], tgt: list[str]) -> tuple[list[Counter[str]], list[Counter[str]]]:
    """:func:`anchor_keys` as a multiset (``Counter``) per sentence."""
    keys_s, keys_t = anchor_keys(src, tgt)
    return [Counter(k) for k in keys_s], [Counter(k) for k in keys_t]
