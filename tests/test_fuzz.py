"""Property tests (hypothesis) over ingest, segmenter, extractors and aligner (issue 7).

Properties: no exception other than AlignerError; spans round-trip (a segment is its
paragraph slice, a mention its segment slice); the same input gives the same output.
Inputs: random Unicode, and random mixes of Arabic and English words, digits in three
scripts, separators, scale words, month names and invisible characters — the places
where translation checks break. Kept small (≤ 150 examples per property) to stay fast;
scripts/fuzz_long.py runs the long version.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner.extract import get_extractor
from aligner.ingest import decode_bytes, read_documents
from aligner.ingest.safety import strip_invisible
from aligner.model import AlignerError, Bitext, Document, Segment
from aligner.pipeline import Settings
from aligner.segment import segment, split_sentences

FAST = settings(
    max_examples=150, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

TOKENS = [
    # English and Arabic words, scale words, months, names
    "The", "Coalition", "met", "in", "Rome", "on", "million", "billion", "thousand", "people",
    "June", "28", "U.S.", "Mr.", "Blinken", "$", "%", "per", "cent", "about", "nearly",
    "التحالف", "اجتمع", "في", "روما", "مليون", "ملايين", "مليار", "ألف", "شخص", "يونيو",
    "حزيران", "بلينكن", "نحو", "حوالي", "مليـــون", "دولار", "أكثر", "من", "هـ", "م",
    # digits in three scripts with separators
    "7.7", "7,7", "1,000,000", "٧٫٧", "١٬٠٠٠", "۷.۷", "2021", "28/06/2021", "2019-06-25",
    "0", "00", "1.", ".5", "3-4", "[1]",
    # punctuation and invisible characters
    ".", "،", "؛", "؟", "!", "?", ":", "«", "»", "\"", "(", ")", "…", "\u200f", "\u200e",
    "\u202b", "\u202c", "\u200b", "\u0640", "\u00a0", "\u2067", "\u2069", "\n", "\t",
]

mixed_text = st.lists(st.sampled_from(TOKENS), max_size=40).map(
    lambda toks: "".join(t if t in ".،؛؟!?:" else f" {t}" for t in toks)
)
any_text = st.text(max_size=200)
texts = st.one_of(mixed_text, any_text, st.tuples(mixed_text, any_text).map("".join))

_TMP = Path(tempfile.mkdtemp(prefix="aligner-fuzz-"))


def _read(data: bytes, suffix: str) -> list[Document] | AlignerError:
    path = _TMP / f"in{suffix}"
    path.write_bytes(data)
    try:
        return read_documents(str(path))
    except AlignerError as exc:
        assert str(path) in str(exc)
        assert "\n" not in str(exc)
        return exc


def _shape(result: list[Document] | AlignerError) -> object:
    if isinstance(result, AlignerError):
        return str(result)
    return [(d.lang, d.paragraphs, d.title, [(r.kind, r.text) for r in d.removed])
            for d in result]


@FAST
@given(st.binary(max_size=300))
def test_decode_random_bytes(data: bytes) -> None:
    try:
        text = decode_bytes(data, "f.txt")
    except AlignerError as exc:
        assert exc.path == "f.txt" and "offset" in str(exc)
        return
    assert "\r" not in text


@FAST
@given(texts)
def test_text_ingest(text: str) -> None:
    first = _read(text.encode("utf-8"), ".txt")
    assert _shape(first) == _shape(_read(text.encode("utf-8"), ".txt"))
    if isinstance(first, list):
        for doc in first:
            assert doc.lang in ("ar", "en")
            for para in doc.paragraphs:
                assert para and strip_invisible(para)[0] == para  # nothing invisible left


@FAST
@given(texts, st.sampled_from([".html", ".xml"]))
def test_markup_ingest(text: str, suffix: str) -> None:
    body = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if suffix == ".html":
        data = f'<html lang="ar"><body><p>{body}</p></body></html>'
    else:
        data = (
            '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text xml:lang="en"><body>'
            f"<p>{body}</p></body></text></TEI>"
        )
    result = _read(data.encode("utf-8"), suffix)
    assert _shape(result) == _shape(_read(data.encode("utf-8"), suffix))


MARKUP = ["<p>", "</p>", "<div>", "<br>", "<nav>", "</nav>", "<main>", "<ht\\l>", "<a:b>", "</",
          "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#x200F;", "&#0;", "&bogus;", "<script>"]
raw_markup = st.lists(st.one_of(st.sampled_from(MARKUP), mixed_text), max_size=30).map("".join)


@FAST
@given(raw_markup, st.sampled_from([".html", ".xml"]))
def test_broken_markup_ingest(body: str, suffix: str) -> None:
    if suffix == ".html":
        data = f'<html lang="en"><body>{body}</body></html>'
    else:
        data = f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>{body}</body></text></TEI>'
    result = _read(data.encode("utf-8"), suffix)
    assert _shape(result) == _shape(_read(data.encode("utf-8"), suffix))


@FAST
@given(st.lists(texts, min_size=1, max_size=4), st.sampled_from(["ar", "en"]))
def test_segment_spans_round_trip(paragraphs: list[str], lang: str) -> None:
    doc = Document(path="f.txt", lang=lang, paragraphs=paragraphs)
    segs = segment(doc, prefix=lang)
    assert [(s.id, s.text, s.start) for s in segs] == [
        (s.id, s.text, s.start) for s in segment(doc, prefix=lang)
    ]
    for k, seg in enumerate(segs):
        assert seg.index == k
        assert paragraphs[seg.paragraph][seg.start : seg.end] == seg.text
        assert seg.text == seg.text.strip()
    for para in paragraphs:
        spans = split_sentences(para, lang)
        assert all(a < b for a, b in spans)
        assert all(b1 <= a2 for (_, b1), (a2, _) in itertools.pairwise(spans))


@pytest.mark.parametrize("name", ["number", "date", "entity"])
def test_extractors(name: str) -> None:
    extractor = get_extractor(name)

    @FAST
    @given(texts, st.sampled_from(["ar", "en"]))
    def prop(text: str, lang: str) -> None:
        seg = Segment(id="s-1", index=0, paragraph=0, text=text, start=0, end=len(text))
        try:
            found = extractor.extract(seg, lang, "source")
        except AlignerError:
            return
        again = extractor.extract(seg, lang, "source")
        assert [(m.kind, m.start, m.end, m.value) for m in found] == [
            (m.kind, m.start, m.end, m.value) for m in again
        ]
        for m in found:
            assert 0 <= m.start <= m.end <= len(text)
            assert text[m.start : m.end] == m.text
            assert m.segment_id == "s-1"

    prop()


@FAST
@given(
    st.lists(mixed_text, min_size=1, max_size=8),
    st.lists(mixed_text, min_size=1, max_size=8),
    st.sampled_from([("en", "ar"), ("ar", "ar")]),
)
def test_aligner_beads_cover_every_sentence_once(
    src_paras: list[str], tgt_paras: list[str], langs: tuple[str, str]
) -> None:
    from aligner.align import align_sentences

    src = Document(path="s.txt", lang=langs[0], paragraphs=src_paras)
    tgt = Document(path="t.txt", lang=langs[1], paragraphs=tgt_paras)
    src.segments = segment(src, prefix="s")
    tgt.segments = segment(tgt, prefix="t")
    bitext = Bitext(src, tgt)
    cfg = Settings(embedder="none")
    try:
        beads = align_sentences(bitext, cfg)
    except AlignerError:
        return
    assert [b.vecalign() for b in beads] == [b.vecalign() for b in align_sentences(bitext, cfg)]
    src_seen = [i for b in beads for i in b.src]
    tgt_seen = [j for b in beads for j in b.tgt]
    assert src_seen == list(range(len(src.segments)))
    assert tgt_seen == list(range(len(tgt.segments)))
    assert all(b.src or b.tgt for b in beads)
