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

import json
from collections import Counter
from importlib import resources
from typing import Any

import numpy as np
import regex

from aligner.memo import memo

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
        value = normalise_number(m.group(0))
        if value is not None:
            out.append(value)
        else:  # e.g. 2019/06/25 or 1.2.3: keep each digit group on its own
            out.extend(
                _canonical(float(g.translate(_DIGITS)))
                for g in regex.findall(r"\p{Nd}+", m.group(0))
            )
    return out


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


def is_non_latin(texts: list[str]) -> bool:
    """True when most letters of a side are in a non-Latin script (Arabic here).

    Letters are what ``str.isalpha`` says; ASCII letters count as Latin. The code
    points of the whole side are classified by one table look-up (no per-character
    Python loop).
    """
    cp = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    top = len(_LETTER_KINDS) - 1
    kinds = _LETTER_KINDS[np.minimum(cp, top)]
    counts = np.bincount(kinds, minlength=3)
    return bool(counts[1] > counts[2])


@memo(maxsize=8192)
def _number_keys(text: str) -> tuple[str, ...]:
    """One sentence's numbers as anchor keys: ``n:`` + significant digits."""
    return tuple(f"n:{significant_digits(v)}" for v in numbers(text))


@memo(maxsize=8192)
def _latin(text: str) -> tuple[str, ...]:
    return tuple(latin_tokens(text))


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
    text has none as a token: it is not tokenised.)
    """
    sides = (src, tgt)
    non_latin = [is_non_latin(texts) for texts in sides]
    vocab: set[str] = set()
    for texts, other_script in zip(sides, non_latin, strict=True):
        if other_script:
            for t in texts:
                vocab.update(_latin(t))
    out: tuple[list[list[str]], list[list[str]]] = ([], [])
    for keys, texts, other_script in zip(out, sides, non_latin, strict=True):
        for t in texts:
            nums = _number_keys(t)
            if vocab and (other_script or len(vocab) > _PREFILTER_MAX or _mentions(t, vocab)):
                keys.append([*nums, *(f"l:{w}" for w in _latin(t) if w in vocab)])
            else:
                keys.append(list(nums))
    return out


def anchor_counts(src: list[str], tgt: list[str]) -> tuple[list[Counter[str]], list[Counter[str]]]:
    """:func:`anchor_keys` as a multiset (``Counter``) per sentence."""
    keys_s, keys_t = anchor_keys(src, tgt)
    return [Counter(k) for k in keys_s], [Counter(k) for k in keys_t]
