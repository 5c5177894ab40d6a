"""The segmenter's plain-paragraph path cuts and trims exactly like the character loops.

On a paragraph with no format control (``str.isprintable``) the splitter finds its stops
with ``str.find``, reads the word before a stop and the whitespace around it with regex
matches (backwards ones on the reversed paragraph) and trims sentences with
``str.strip``. The reference below is the splitter as it was: every look-around a
Python loop over characters, every sentence trimmed by :func:`_trim`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.ingest import load_pair, load_record
from aligner.model import Document, Segment
from aligner.segment import (
    _ROMAN,
    TATWEEL,
    _in,
    _is_arabic_letter,
    _is_ignorable,
    _is_latin_letter,
    _is_mark,
    _rules,
    _trim,
    segment,
    split_sentences,
)
from tests.conftest import PARIS_EN, ROME_AR, ROME_EN, SEED_PARIS_A, SEED_RIYADH, SEED_ROME
from tests.test_fast_segment import _ReferenceSplitter as _CharacterLoopSplitter

ROOT = Path(__file__).resolve().parent.parent


class _ReferenceSplitter(_CharacterLoopSplitter):
    """The splitter before the plain path: character loops throughout (the main loop is
    tests/test_fast_segment.py's reference, the look-arounds are these)."""

    def _skip_space(self, k: int) -> tuple[int, bool]:
        saw = False
        while k < self.n and (self.p[k].isspace() or _is_ignorable(self.p[k])):
            saw = saw or self.p[k].isspace()
            k += 1
        return k, saw

    def _token_before(self, i: int) -> tuple[str, int]:
        k = i
        while k > 0:
            c = self.p[k - 1]
            if c.isalnum() or c == "." or c == TATWEEL or _is_ignorable(c) or _is_mark(c):
                k -= 1
            else:
                break
        raw = self.p[k:i]
        token = "".join(c for c in raw if c != TATWEEL and not _is_ignorable(c) and not _is_mark(c))
        return token.strip("."), k

    def _line_start_before(self, k: int) -> bool:
        j = k
        while j > 0 and self.p[j - 1] != "\n":
            c = self.p[j - 1]
            if not (c.isspace() or _is_ignorable(c) or c in "•‣◦▪*-–—("):
                return False
            j -= 1
        return True

    def _dot_ends_sentence(self, i: int, k: int) -> bool:
        token, tstart = self._token_before(i)
        if not token:
            return True
        nxt = self.p[k]
        if self._line_start_before(tstart) and (
            (token.isdigit() and len(token) <= 3) or len(token) == 1 or _ROMAN.fullmatch(token)
        ):
            return False
        if token.isdigit():
            return True
        if _is_arabic_letter(token[-1]):
            return self._arabic_dot_ends(token, tstart)
        if tstart > 0 and self.p[tstart - 1] in "-/‐":
            return True
        if _is_latin_letter(token[-1]):
            return self._latin_dot_ends(token, k, nxt)
        return True

    def _arabic_dot_ends(self, token: str, tstart: int) -> bool:
        if _in(token, self.r.arabic_after_number) and self._number_before(tstart):
            return True
        pieces = token.split(".")
        if all(len(piece) == 1 for piece in pieces):
            return False
        return not _in(token, self.r.arabic_abbrev)


def _reference_split(paragraph: str, lang: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    prev = 0
    for cut in [*_ReferenceSplitter(paragraph, _rules(lang)).cuts(), len(paragraph)]:
        a, b = _trim(paragraph, prev, cut)
        if a < b:
            spans.append((a, b))
        prev = cut
    return spans


def _reference_segment(doc: Document, prefix: str) -> list[Segment]:
    segments: list[Segment] = []
    for pno, para in enumerate(doc.paragraphs):
        for a, b in _reference_split(para, doc.lang.split("-")[0].lower()):
            n = len(segments)
            segments.append(
                Segment(
                    id=f"{prefix}-s{n + 1}", index=n, paragraph=pno, text=para[a:b], start=a, end=b
                )
            )
    return segments


@cache
def _documents() -> tuple[Document, ...]:
    docs: list[Document] = [*load_record(str(SEED_ROME)), *load_pair(str(ROME_EN), str(ROME_AR))]
    for seed in (SEED_PARIS_A, SEED_RIYADH):
        docs += list(load_pair(str(PARIS_EN), str(seed)))
    return tuple(docs)


def _paragraphs() -> list[str]:
    paths = sorted([*ROOT.glob("corpora/**/*.txt"), *ROOT.glob("tests/**/*.txt")])
    return [
        para
        for path in paths
        for para in path.read_text(encoding="utf-8", errors="replace").split("\n\n")
    ]


def test_spans_equal_the_character_loops_on_every_bundled_paragraph() -> None:
    paragraphs = _paragraphs()
    assert len(paragraphs) > 100
    plain = 0
    for para in paragraphs:
        plain += para.isprintable()
        for lang in ("ar", "en", "fr"):
            assert split_sentences(para, lang) == _reference_split(para, lang), (para[:80], lang)
    assert plain > 50  # the plain path is the one taken


def test_segments_equal_the_character_loops_on_ingested_documents() -> None:
    seen = 0
    for doc in _documents():
        got = segment(doc, prefix="x")
        assert got == _reference_segment(doc, "x")
        seen += len(got)
    assert seen > 250


#: stops, closers, footnotes, spaces of several kinds, format controls, marks (Arabic and
#: an uncovered one), tatweel, underscores, initials and abbreviations
_alphabet = st.sampled_from(
    [
        *"ab A.B؟!?…۔\n \u00a0\u200f\u0640ج١2,،\"')]«»_\u064e\u093c-•(",
        "[1]",
        "U.S.",
        "No. 3",
        "عام 2019 م.",
        "أ.د.",
        " IV. ",
        "\n2. ",
    ]
)


#: look-arounds random text seldom builds: enumerators after bullets and dashes at the
#: paragraph start, initials, dotted Arabic groups, elisions, footnote calls
_CORNER_CASES = [
    "• 1. Next item here.",
    "– IV. Next item here.",
    "( b. Next item here.",
    "  * 12. Twelve items.",
    "1. First point. 2. Second point.",
    "J. Smith met A.B. Jones. Then he left.",
    "قال أ.د. محمد إن الاجتماع عقد. ثم انتهى.",
    "في عام 2019 م. بدأ العمل. ثم انتهى.",
    "He said … that it ended. Then … it began again.",
    "The report[1]. The second report.[2] The third.",
]


@pytest.mark.parametrize("text", _CORNER_CASES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_spans_equal_the_character_loops_on_corner_cases(text: str, lang: str) -> None:
    assert split_sentences(text, lang) == _reference_split(text, lang)


@settings(max_examples=600, deadline=None)
@given(st.lists(_alphabet, max_size=40).map("".join), st.sampled_from(["ar", "en", "fr"]))
def test_spans_equal_the_character_loops_on_generated_text(text: str, lang: str) -> None:
    assert split_sentences(text, lang) == _reference_split(text, lang)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(_alphabet, max_size=30).map("".join), max_size=4),
    st.sampled_from(["ar", "en"]),
)
def test_segments_equal_the_character_loops_on_generated_documents(
    paragraphs: list[str], lang: str
) -> None:
    doc = Document(path="x.txt", lang=lang, paragraphs=paragraphs)
    assert segment(doc, prefix=lang) == _reference_segment(doc, lang)


def test_whitespace_is_never_a_character_the_word_or_trim_loops_look_through() -> None:
    """What the plain path assumes: no whitespace is a letter, digit, control or mark, and
    no printable character but the space is whitespace or a format control."""
    import sys
    import unicodedata

    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if ch.isspace():
            assert not ch.isalnum() and unicodedata.category(ch) not in ("Cf", "Mn", "Me")
            assert ch == " " or not ch.isprintable()
        elif ch.isprintable():
            assert unicodedata.category(ch) != "Cf"


def test_paragraph_spans_are_a_registered_memo_that_clear_all_empties() -> None:
    """The per-paragraph memo pays off within a batch (a document checked against two
    translations), never across benchmark rounds: ``clear_all`` empties it."""
    from aligner.memo import clear_all, registered
    from aligner.segment import _paragraph_spans

    assert "aligner.segment._paragraph_spans" in registered()
    doc = Document(path="x.txt", lang="en", paragraphs=["One. Two.", "One. Two."])
    first = segment(doc, prefix="en")
    assert _paragraph_spans.cache_info().hits >= 1
    assert [s.text for s in first] == ["One.", "Two.", "One.", "Two."]
    clear_all()
    assert _paragraph_spans.cache_info().currsize == 0
    assert segment(doc, prefix="en") == first
