"""Memory of a batch of 1,000 small real documents stays flat.

Run: ``python -m pytest benchmarks/bench_batch_memory.py --benchmark-only``. The documents
are runs of hand-aligned Rome sentences (``figures.small_documents``) put through the
non-neural path (no sentence encoder, for speed) and both reports, in one process as a
one-worker batch does. RSS is sampled after documents 100, 200, ... 1000 and stored in
``extra_info``; growth after the first 100 documents (caches and gazetteers are warm by
then) must stay within a small allowance.
"""

from __future__ import annotations

from typing import Any

from benchmarks import figures

DOCUMENTS = 1000
EVERY = 100
#: allowance for allocator noise; a leak of even 10 KiB per document would exceed it
MAX_GROWTH_MIB = 8.0


def test_bench_batch_memory(benchmark: Any, one_blas_thread: None) -> None:
    samples = benchmark.pedantic(figures.batch_memory, args=(DOCUMENTS, EVERY), rounds=1)
    benchmark.extra_info["documents"] = [i for i, _, _, _ in samples]
    benchmark.extra_info["rss_mib"] = [round(r, 1) for _, r, _, _ in samples]
    benchmark.extra_info["peak_rss_mib"] = [round(p, 1) for _, _, p, _ in samples]
    assert [i for i, _, _, _ in samples] == list(range(EVERY, DOCUMENTS + 1, EVERY))
    growth = samples[-1][1] - samples[0][1]
    assert growth <= MAX_GROWTH_MIB, samples
