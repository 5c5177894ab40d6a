"""Per-step cost of the non-neural path: ms per round over the manifest pairs.

Run: ``python -m benchmarks.steps [ROUNDS] [--distinct]`` (default 10). Each round
runs every pipeline step, extractor and check one at a time over the five manifest
pairs, with every word and sentence memo emptied first (as ``benchmarks.figures``
does), and writes the TEI and JSON reports; the table gives the best round of each.
``WHOLE`` is ``figures.check_all``, the round the figures command times.
``--distinct``: the pairs made distinct (:func:`benchmarks.figures.distinct_documents`),
so that no document text is seen twice in a round.
"""

from __future__ import annotations

import gc
import sys
import time

from benchmarks import figures


def measure(rounds: int, distinct: bool = False) -> tuple[dict[str, float], int]:
    """Best seconds per step over ``rounds`` cold rounds, and the pairs of a round."""
    from aligner.checks import get_check
    from aligner.extract import get_extractor
    from aligner.memo import clear_all
    from aligner.pipeline import STEPS, resolve
    from aligner.report.json import to_json
    from aligner.report.tei import to_tei
    from aligner.runtime import settle_memory

    settings = resolve(figures.lexical_settings())
    pairs = [(s, t) for _, s, t in figures.manifest_pairs()]
    if distinct:
        pairs = figures.distinct_documents(pairs)
    best: dict[str, float] = {}
    n = 0
    with figures.one_blas_thread():
        figures.check_all(pairs, settings)  # warm-up: tables load
        settle_memory()
        for _ in range(rounds):
            clear_all()
            gc.collect()
            spent: dict[str, float] = {}

            def add(name: str, t0: float, spent: dict[str, float] = spent) -> None:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0

            for source, target in pairs:
                bitext = figures.fresh(source, target)
                for step in ("segment", "align", "diagnose"):
                    t0 = time.perf_counter()
                    STEPS[step](bitext, settings)
                    add(step, t0)
                for name in settings.extractors:
                    extractor = get_extractor(name)
                    t0 = time.perf_counter()
                    for side in ("source", "target"):
                        doc = bitext.side(side)
                        for seg in doc.segments:
                            bitext.mentions.extend(extractor.extract(seg, doc.lang, side))
                    add(f"extract: {name}", t0)
                findings = []
                for name in settings.checks:
                    check = get_check(name)
                    t0 = time.perf_counter()
                    findings.extend(check.run(bitext))
                    add(f"check: {name}", t0)
                bitext.findings = sorted(findings, key=lambda f: f.sort_key())
                t0 = time.perf_counter()
                to_tei(bitext)
                add("TEI report", t0)
                t0 = time.perf_counter()
                to_json(bitext)
                add("JSON report (not in the path)", t0)
            clear_all()
            gc.collect()
            t0 = time.perf_counter()
            n = figures.check_all(pairs, settings)
            add("WHOLE (check_all)", t0)
            for name, seconds in spent.items():
                best[name] = min(best.get(name, seconds), seconds)
    return best, n


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    distinct = "--distinct" in args
    args = [a for a in args if a != "--distinct"]
    rounds = int(args[0]) if args else 10
    best, n = measure(rounds, distinct)
    width = max(len(name) for name in best)
    lines = [f"{name:<{width}}  {seconds * 1000:6.1f} ms" for name, seconds in best.items()]
    whole = best["WHOLE (check_all)"]
    lines.append(f"{n} pairs per round: {n / whole:,.0f} pairs/s (best of {rounds})")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
