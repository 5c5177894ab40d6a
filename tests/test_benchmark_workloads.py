"""The benchmark workloads that make text distinct (benchmarks/figures.py) change only
bytes: the pipeline finds the same beads, mentions and findings as on the plain text.

Distinct text keeps per-sentence memos and the encoder's memo from turning repeated
documents into dictionary look-ups; these tests show that it measures the same work.
"""

from __future__ import annotations

from aligner.model import Bitext
from aligner.pipeline import run
from benchmarks import figures


def _outcome(bitext: Bitext) -> tuple[list, list, list]:
    return (
        [(a.src, a.tgt) for a in bitext.alignments],
        [(m.kind, m.segment_id, m.start, m.end, m.value) for m in bitext.mentions],
        # messages quote the sentences, whose spaces differ
        [(f.category, f.message.replace("\u00a0", " ")) for f in bitext.findings],
    )


def test_distinct_copies_check_like_plain_repetition() -> None:
    settings = figures.lexical_settings()
    rome = figures.rome_pair()
    for k in (1, 4):
        plain = run(figures.fresh(*(figures.repeated(doc, k) for doc in rome)), settings)
        copies = run(figures.fresh(*(figures.distinct_copies(doc, k) for doc in rome)), settings)
        assert _outcome(plain) == _outcome(copies)
        texts = [s.text for s in copies.source.segments]
        assert k == 1 or len(set(texts)) > len(texts) * 0.9  # the copies are new text


def test_distinct_documents_check_like_the_manifest() -> None:
    settings = figures.lexical_settings()
    pairs = [(s, t) for _, s, t in figures.manifest_pairs()]
    seen: set[str] = set()
    for plain_pair, distinct_pair in zip(pairs, figures.distinct_documents(pairs), strict=True):
        plain = run(figures.fresh(*plain_pair), settings)
        distinct = run(figures.fresh(*distinct_pair), settings)
        assert _outcome(plain) == _outcome(distinct)
        for doc in distinct_pair:
            text = "\n".join(doc.paragraphs)
            assert text not in seen
            seen.add(text)
