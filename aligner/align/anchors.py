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
    """True when most letters of a side are in a non-Latin script (Arabic here)."""
    other = latin = 0
    for text in texts:
        for ch in text:
            if not ch.isalpha():
                continue
            if any(lo <= ch <= hi for lo, hi in _NON_LATIN_RANGES):
                other += 1
            elif ch.isascii():
                latin += 1
    return other > latin


@memo(maxsize=4096)
def _sentence_numbers(text: str) -> tuple[str, ...]:
    return tuple(numbers(text))


def anchor_counts(src: list[str], tgt: list[str]) -> tuple[list[Counter[str]], list[Counter[str]]]:
    """Anchor multisets per sentence for both sides.

    Numbers count on both sides, by their significant digits. Latin tokens count only
    when they appear on a side written in a non-Latin script: there they were carried
    over untranslated, and a Latin-script side is then searched for the same tokens.
    Two Latin-script sides share too many ordinary words for that to mean anything.
    """
    src_non_latin, tgt_non_latin = is_non_latin(src), is_non_latin(tgt)
    vocab: set[str] = set()
    for texts, non_latin in ((src, src_non_latin), (tgt, tgt_non_latin)):
        if non_latin:
            for t in texts:
                vocab.update(latin_tokens(t))

    def side(texts: list[str]) -> list[Counter[str]]:
        out: list[Counter[str]] = []
        for t in texts:
            c: Counter[str] = Counter(f"n:{significant_digits(v)}" for v in _sentence_numbers(t))
            if vocab:
                c.update(f"l:{w}" for w in latin_tokens(t) if w in vocab)
            out.append(c)
        return out

    return side(src), side(tgt)
