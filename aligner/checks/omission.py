"""Sentences with no counterpart: omitted (1-0 beads) or added (0-1 beads).

Why this shape: a translation that drops a sentence of substance (a number, a date, a
name, a full clause) is an error an editor must see; a dropped heading or a stray
"Begin text:" is not. And when one side is only a fragment of the other (our Paris
originals are partial), dozens of unaligned sentences in a row say "the other side is
partial", not "dozens of errors": a run is reported once, so nobody is flooded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import regex

from aligner.checks.base import Check
from aligner.model import Bitext, Evidence, Finding, Segment, Severity

#: a run of this many consecutive unaligned sentences on one side is one finding
RUN_LENGTH = 3
#: sentences with fewer words than this and no mention are headings or formulas
MIN_WORDS_OF_SUBSTANCE = 6

_WORD = regex.compile(r"[\p{L}\p{N}]+")
#: a sentence that does not end like one (no . ! ? ؟ … before closing quotes) is a heading,
#: a dateline or a formula ("Media Note", "June 25, 2019"): dropping it is not an error
_SENTENCE_END = regex.compile(r"[.!?؟…][\p{Pf}\p{Pe}\"'»”’]*\s*$")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _runs(indices: list[int]) -> Iterator[list[int]]:
    """Group sorted sentence indices into runs of consecutive ones."""
    run: list[int] = []
    for i in indices:
        if run and i != run[-1] + 1:
            yield run
            run = []
        run.append(i)
    if run:
        yield run


class OmissionCheck(Check):
    name = "omission"

    def run(self, bitext: Bitext) -> Iterable[Finding]:
        omitted = sorted(i for a in bitext.alignments if not a.tgt for i in a.src)
        added = sorted(j for a in bitext.alignments if not a.src for j in a.tgt)
        yield from self._side(bitext, "source", omitted)
        yield from self._side(bitext, "target", added)

    def _side(self, bitext: Bitext, side: str, indices: list[int]) -> Iterator[Finding]:
        segments = bitext.side(side).segments
        other = bitext.target if side == "source" else bitext.source
        for run in _runs(indices):
            if len(run) >= RUN_LENGTH:
                yield self._run_finding(bitext, side, [segments[i] for i in run], other.path)
            else:
                for i in run:
                    finding = self._single_finding(bitext, side, segments[i])
                    if finding is not None:
                        yield finding

    def _substance(self, bitext: Bitext, seg: Segment) -> tuple[int, list[str]]:
        kinds = sorted({m.kind for m in bitext.mentions_in(seg.id)})
        return _words(seg.text), kinds

    def _is_heading(self, bitext: Bitext, seg: Segment) -> bool:
        """A heading, a dateline, "Begin text:": no sentence end, or too few words and no
        mention (words are counted only when that decides)."""
        if not _SENTENCE_END.search(seg.text):
            return True
        if bitext.mentions_in(seg.id):
            return False  # a mention is substance, whatever the length
        return _words(seg.text) < MIN_WORDS_OF_SUBSTANCE

    def _single_finding(self, bitext: Bitext, side: str, seg: Segment) -> Finding | None:
        if self._is_heading(bitext, seg):
            return None
        words, kinds = self._substance(bitext, seg)
        evidence = Evidence(
            side=side, segment_id=seg.id, sentence=seg.text, span=(0, len(seg.text))
        )
        what = f" It holds {', '.join(kinds)} mention(s)." if kinds else ""
        if side == "source":
            category, severity = "segment.omitted", Severity.WARNING
            message = f"Source sentence {seg.id} has no counterpart in the translation.{what}"
        else:
            category, severity = "segment.added", Severity.INFO
            message = f"Translation sentence {seg.id} has no counterpart in the source.{what}"
        confidence = min(0.9, 0.4 + 0.02 * words + (0.15 if kinds else 0.0))
        return Finding(
            category=category,
            severity=severity,
            confidence=round(confidence, 3),
            message=message,
            check=self.name,
            source=evidence if side == "source" else None,
            target=evidence if side == "target" else None,
            details={"words": words, "mentions": kinds},
        )

    def _run_finding(
        self, bitext: Bitext, side: str, run: list[Segment], other_path: str
    ) -> Finding:
        first, last = run[0], run[-1]
        evidence = Evidence(side=side, segment_id=first.id, sentence=first.text, span=None)
        label = "source" if side == "source" else "translation"
        if all(self._is_heading(bitext, seg) for seg in run):
            return Finding(
                category="segment.unaligned-run",
                severity=Severity.INFO,
                confidence=0.5,
                message=(
                    f"{len(run)} heading lines of the {label} ({first.id}–{last.id}) have no "
                    f"counterpart (a header one side leaves out)."
                ),
                check=self.name,
                source=evidence if side == "source" else None,
                target=evidence if side == "target" else None,
                details={"sentences": [s.id for s in run], "headings": True},
            )
        if side == "source":
            category, severity = "segment.omitted", Severity.WARNING
            message = (
                f"{len(run)} consecutive source sentences ({first.id}–{last.id}) have no "
                f"counterpart in the translation: a passage may be missing from it."
            )
        else:
            category, severity = "segment.unaligned-run", Severity.INFO
            message = (
                f"{len(run)} consecutive {label} sentences ({first.id}–{last.id}) have no "
                f"counterpart in {other_path}: that text may be partial, or this passage added."
            )
        return Finding(
            category=category,
            severity=severity,
            confidence=0.6,
            message=message,
            check=self.name,
            source=evidence if side == "source" else None,
            target=evidence if side == "target" else None,
            details={"sentences": [s.id for s in run]},
        )
