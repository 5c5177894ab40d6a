"""Words of substance dropped inside an aligned sentence pair, from the word alignment.

Sentence alignment cannot see "the sixth review" become "the review"; the word links
can. Runs only when the pipeline's word-alignment step ran (the ``words`` extra).

Words inside a quantity, its hedge, a date or a named entity are left to the number,
date and entity checks: those compare values ("nearly" = زهاء, 7.7 million vs 7.7) and
explain better than "this word has no link"; reporting them here too would say the
same thing twice, or call a correct hedge missing because the encoder did not link it.
"""

from __future__ import annotations

from collections.abc import Iterable

from aligner.checks.base import Check
from aligner.model import Bitext, Finding

#: mention kinds whose words other checks compare
_CHECKED_ELSEWHERE = ("number", "date", "entity")


def _covered_spans(bitext: Bitext, segment_id: str) -> list[tuple[int, int]]:
    spans = []
    for m in bitext.mentions_in(segment_id):
        if m.kind in _CHECKED_ELSEWHERE:
            spans.append((m.start, m.end))
            hedge = m.attrs.get("hedge_span")
            if hedge:
                spans.append((int(hedge[0]), int(hedge[1])))
    return spans


class WordOmissionCheck(Check):
    name = "words"

    def run(self, bitext: Bitext) -> Iterable[Finding]:
        if not bitext.word_alignments:
            return []
        from aligner.wordalign.omission import find_omissions

        kept = []
        for f in find_omissions(bitext, bitext.word_alignments):
            ev = f.source
            if ev is not None and ev.segment_id and ev.span:
                start, end = ev.span
                spans = _covered_spans(bitext, ev.segment_id)
                if any(start < e and s < end for s, e in spans):
                    continue
            kept.append(f)
        return kept
