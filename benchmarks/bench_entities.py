"""Entity extraction on the five seeds (pytest-benchmark).

Run: ``python -m pytest benchmarks/bench_entities.py --benchmark-only``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.entities.gazetteer import load
from aligner.extract.entities import EntityExtractor
from aligner.model import Segment

SEEDS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "seeds").glob("*.txt"))


def _segments(path: Path) -> list[Segment]:
    paras = [p for p in path.read_text(encoding="utf-8").splitlines() if p.strip()]
    return [Segment(f"ar-s{i}", i, i, p, 0, len(p)) for i, p in enumerate(paras)]


def _extract_all(segs: list[Segment], lang: str) -> int:
    ex = EntityExtractor()
    return sum(len(ex.extract(s, lang, "source")) for s in segs)


@pytest.mark.parametrize("path", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_bench_extract_seed(benchmark, path: Path) -> None:  # type: ignore[no-untyped-def]
    load()  # the gazetteer is built once per process; measure extraction only
    segs = _segments(path)
    n = benchmark(_extract_all, segs, "ar")
    assert n > 0


def test_bench_build_gazetteer(benchmark) -> None:  # type: ignore[no-untyped-def]
    def build() -> int:
        load.cache_clear()
        return len(load().entries)

    assert benchmark.pedantic(build, rounds=3, iterations=1) > 200
