"""Words of substance dropped inside an aligned sentence pair, from the word alignment.

Sentence alignment cannot see "the sixth review" become "the review"; the word links
can. Runs only when the pipeline's word-alignment step ran (the ``words`` extra).
"""

from __future__ import annotations

from collections.abc import Iterable

from aligner.checks.base import Check
from aligner.model import Bitext, Finding


class WordOmissionCheck(Check):
    name = "words"

    def run(self, bitext: Bitext) -> Iterable[Finding]:
        if not bitext.word_alignments:
            return []
        from aligner.wordalign.omission import find_omissions

        return find_omissions(bitext, bitext.word_alignments)
