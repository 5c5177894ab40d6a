"""Sentence alignment stage: Bitext segments → monotone beads (see :mod:`.sentence`).

Public: :func:`align_sentences`, :func:`read_vecalign`, :func:`write_vecalign`, and
:func:`aligner.align.score.score_alignments`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.align.chrf import sentence_chrf_many
from aligner.align.embed import get_embedder
from aligner.align.sentence import Side, align_texts, bead_cosines
from aligner.model import AlignerError, Alignment, Bitext

if TYPE_CHECKING:
    from aligner.pipeline import Settings

__all__ = [
    "DEFAULT_WINDOWS",
    "WINDOWS_MODES",
    "WINDOWS_SETTING",
    "align_sentences",
    "read_vecalign",
    "windows_mode",
    "write_vecalign",
]

#: ``Settings.extra`` key choosing how 2-sentence windows are embedded: "pooled" (the
#: default) encodes single sentences only and takes the normalised sum of their vectors,
#: as Vecalign does; "joined" re-encodes the joined text of every window (≈3× the
#: encoder's work for the same Rome gold F1 1.00; docs/performance.md)
WINDOWS_SETTING = "align-windows"
DEFAULT_WINDOWS = "pooled"
#: accepted values; "text" is the old name of "joined"
WINDOWS_MODES = {"pooled": "pooled", "joined": "joined", "text": "joined"}

_BEAD_RE = re.compile(r"^\[([0-9,\s]*)\]:\[([0-9,\s]*)\](?::(\S+))?$")


def _similarities(src: Side, tgt: Side, beads: list[tuple[int, int, int, int]]) -> list[float]:
    """Cosine of each bead's two windows, clipped to [0, 1] (beads with both sides)."""
    if not beads:
        return []
    return [min(1.0, max(0.0, dot)) for dot in bead_cosines(src, tgt, beads)]


def windows_mode(settings: Settings) -> str:
    """The window mode ``settings`` ask for ("pooled" unless ``align-windows`` says else)."""
    asked = dict(settings.extra).get(WINDOWS_SETTING, DEFAULT_WINDOWS)
    if asked not in WINDOWS_MODES:
        known = ", ".join(sorted(WINDOWS_MODES))
        raise AlignerError(f"unknown {WINDOWS_SETTING} value {asked!r} (known: {known})")
    return WINDOWS_MODES[asked]


def _record_mode(bitext: Bitext, mode: str) -> None:
    """Make the Bitext's signature say which window mode ran when the settings did not.

    The default lives here, so a signature made from settings without the key would
    not name it; a report must say how its alignment was made.
    """
    signature = bitext.settings.get("signature")
    if isinstance(signature, str) and f"|{WINDOWS_SETTING}:" not in signature:
        bitext.settings["signature"] = f"{signature}|{WINDOWS_SETTING}:{mode}"


def align_sentences(bitext: Bitext, settings: Settings) -> list[Alignment]:
    """Align ``bitext.source.segments`` with ``bitext.target.segments``.

    Beads are monotone and cover every sentence of both sides once. ``score`` is the
    cosine of the bead's embeddings (for two same-language sides, the mean of that and
    chrF/100); ``chrf`` (sacrebleu sentence chrF, 0..100, target scored against
    source) is set on every 1-1/1-2/2-1/2-2 bead when both sides share a language.
    """
    src_segs, tgt_segs = bitext.source.segments, bitext.target.segments
    for doc in (bitext.source, bitext.target):
        if any(seg.index != k for k, seg in enumerate(doc.segments)):
            raise AlignerError("segments are not numbered 0..n-1 in order", doc.path)
    embedder = get_embedder(settings.embedder)
    mode = windows_mode(settings)
    same = bitext.same_language
    beads, src, tgt = align_texts(
        [s.text for s in src_segs],
        [s.text for s in tgt_segs],
        [s.paragraph for s in src_segs],
        [s.paragraph for s in tgt_segs],
        embedder,
        same_language=same,
        max_bead=settings.max_bead,
        band=settings.band,
        pooled_windows=mode == "pooled",
    )
    _record_mode(bitext, mode)
    full = [bead for bead in beads if bead[1] and bead[3]]
    scores = iter(_similarities(src, tgt, full))
    chrfs = iter(())
    if same:  # sacrebleu's sentence chrF of each bead, all beads at once
        hyps = [" ".join(s.text for s in tgt_segs[j : j + b]) for _, _, j, b in full]
        refs = [" ".join(s.text for s in src_segs[i : i + a]) for i, a, _, _ in full]
        chrfs = iter(sentence_chrf_many(hyps, refs))
    out: list[Alignment] = []
    # each bead's sentence numbers as slices of one tuple a side (cheaper than a range each)
    src_ids, tgt_ids = tuple(range(len(src_segs))), tuple(range(len(tgt_segs)))
    for i, a, j, b in beads:
        if not (a and b):
            out.append(Alignment(src=src_ids[i : i + a], tgt=tgt_ids[j : j + b]))
            continue
        score = next(scores)
        chrf = None
        if same:
            chrf = round(float(next(chrfs)), 4)
            score = (score + chrf / 100.0) / 2.0
        out.append(
            Alignment(
                src=src_ids[i : i + a], tgt=tgt_ids[j : j + b], score=round(score, 6), chrf=chrf
            )
        )
    return out


def read_vecalign(path: str | Path) -> list[Alignment]:
    """Read Vecalign's format: one bead per line, ``[i,j]:[k]`` with an optional ``:score``."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise AlignerError(f"cannot read alignment file: {exc.strerror}", str(path)) from exc
    out: list[Alignment] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        m = _BEAD_RE.match(line.strip())
        if not m:
            raise AlignerError(f"line {n} is not a Vecalign bead [i,..]:[j,..]: {line!r}", str(p))
        src = tuple(int(x) for x in m.group(1).split(",") if x.strip())
        tgt = tuple(int(x) for x in m.group(2).split(",") if x.strip())
        try:
            score = float(m.group(3)) if m.group(3) else 0.0
        except ValueError:
            raise AlignerError(f"line {n} has a bad score {m.group(3)!r}", str(path)) from None
        out.append(Alignment(src=src, tgt=tgt, score=score))
    return out


def write_vecalign(alignments: list[Alignment], path: str | Path) -> None:
    """Write beads in Vecalign's format (``Alignment.vecalign()`` per line)."""
    Path(path).write_text("".join(a.vecalign() + "\n" for a in alignments), encoding="utf-8")
