"""Number extraction throughput on all five seeds, in characters per second.

Run: ``python -m pytest benchmarks/bench_extract_numbers.py --benchmark-only``; the
characters/second figure is in each benchmark's ``extra_info`` (``--benchmark-json``) and
printed by ``python benchmarks/bench_extract_numbers.py``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from aligner.extract.numbers import NumberExtractor, tables
from aligner.model import Segment

SEEDS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "seeds").glob("*.txt"))


def _segments(path: Path) -> list[Segment]:
    paras = [p for p in path.read_text(encoding="utf-8").splitlines() if p.strip()]
    return [Segment(f"ar-s{i}", i, i, p, 0, len(p)) for i, p in enumerate(paras)]


def _extract_all(segs: list[Segment]) -> int:
    ex = NumberExtractor()
    return sum(len(ex.extract(s, "ar", "source")) for s in segs)


@pytest.mark.parametrize("path", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_bench_extract_numbers_seed(benchmark, path: Path) -> None:  # type: ignore[no-untyped-def]
    tables("ar")  # table loading is a one-off cost, not throughput
    segs = _segments(path)
    chars = sum(len(s.text) for s in segs)
    found = benchmark(_extract_all, segs)
    assert found > 0
    benchmark.extra_info["chars"] = chars
    benchmark.extra_info["chars_per_second"] = round(chars / benchmark.stats.stats.mean)


def test_bench_extract_numbers_all_seeds(benchmark) -> None:  # type: ignore[no-untyped-def]
    tables("ar")
    segs = [s for p in SEEDS for s in _segments(p)]
    chars = sum(len(s.text) for s in segs)
    benchmark(_extract_all, segs)
    benchmark.extra_info["chars"] = chars
    benchmark.extra_info["chars_per_second"] = round(chars / benchmark.stats.stats.mean)


def main() -> None:
    """Print characters/second over all seeds (best of 5 runs)."""
    tables("ar")
    segs = [s for p in SEEDS for s in _segments(p)]
    chars = sum(len(s.text) for s in segs)
    best = min(_timed(segs) for _ in range(5))
    print(f"{chars} characters in {best:.3f}s: {chars / best:,.0f} characters/second")


def _timed(segs: list[Segment]) -> float:
    t0 = time.perf_counter()
    _extract_all(segs)
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
