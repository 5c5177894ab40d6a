"""Date extraction throughput over the bundled seeds, in characters per second.

Run: ``python benchmarks/bench_extract_dates.py`` (plain timing) or
``python -m pytest benchmarks/bench_extract_dates.py`` (pytest-benchmark).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aligner.extract.dates import find_dates, tables  # noqa: E402

SEEDS = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))


def _paragraphs() -> list[tuple[str, str]]:
    """(lang, paragraph) for every non-empty line; Latin-script lines are English."""
    out = []
    for path in SEEDS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                latin = sum(c.isascii() and c.isalpha() for c in line)
                out.append(("en" if latin > len(line) / 2 else "ar", line))
    return out


def run_once(paras: list[tuple[str, str]]) -> int:
    return sum(len(find_dates(text, lang)) for lang, text in paras)


def test_bench_extract_dates(benchmark) -> None:  # type: ignore[no-untyped-def]
    paras = _paragraphs()
    tables()
    run_once(paras)  # compile the patterns outside the timing
    found = benchmark(run_once, paras)
    assert found > 0


def main() -> None:
    paras = _paragraphs()
    chars = sum(len(t) for _, t in paras)
    t0 = time.perf_counter()
    run_once(paras)
    warm = time.perf_counter() - t0
    rounds = 5
    t0 = time.perf_counter()
    for _ in range(rounds):
        found = run_once(paras)
    per = (time.perf_counter() - t0) / rounds
    sys.stdout.write(
        f"{len(SEEDS)} seeds, {chars} chars, {found} date mentions; "
        f"first run (tables + regex build) {warm:.3f}s; "
        f"{per * 1000:.1f} ms/run = {chars / per:,.0f} chars/s\n"
    )


if __name__ == "__main__":
    main()
