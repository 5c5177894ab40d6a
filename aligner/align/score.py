"""Strict and lax precision/recall/F1 of sentence alignments, as Vecalign's ``score.py``.

Same definitions as Vecalign (Thompson & Koehn 2019), after Sennrich & Volk 2011
(https://www.aclweb.org/anthology/W11-4624/):

* Precision is computed over **all** test beads, insertions and deletions (1-0/0-1)
  included; recall swaps the roles of gold and test and **excludes** 1-0/0-1 beads
  on both sides (so skipping costs precision only when the gold did not skip).
* Strict: a bead counts when the identical bead is in the reference.
* Lax: a bead that is not an exact match still counts when one of its source
  sentences is aligned, in the reference, to one of its target sentences.
* Empty beads ``[]:[]`` are ignored; division by zero gives 0.0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from aligner.model import Alignment

Bead = tuple[tuple[int, ...], tuple[int, ...]]


def _beads(alignments: Iterable[Alignment]) -> set[Bead]:
    return {(tuple(a.src), tuple(a.tgt)) for a in alignments if a.src or a.tgt}


def _counts(reference: set[Bead], test: set[Bead]) -> tuple[int, int, int, int]:
    """(tp_strict, fp_strict, tp_lax, fp_lax) of ``test`` against ``reference``."""
    src_to_tgt: dict[int, set[int]] = defaultdict(set)
    for ref_src, ref_tgt in reference:
        for s in ref_src:
            src_to_tgt[s].update(ref_tgt)
    tp_s = fp_s = tp_l = fp_l = 0
    for bead in sorted(test):
        if bead in reference:
            tp_s += 1
            tp_l += 1
            continue
        fp_s += 1
        linked = set().union(*(src_to_tgt.get(s, set()) for s in bead[0]))
        if linked & set(bead[1]):
            tp_l += 1
        else:
            fp_l += 1
    return tp_s, fp_s, tp_l, fp_l


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_alignments(gold: list[Alignment], test: list[Alignment]) -> dict[str, float]:
    """Vecalign's scores: precision/recall/F1, strict and lax (keys as in Vecalign)."""
    gold_set, test_set = _beads(gold), _beads(test)
    p = _counts(gold_set, test_set)
    one_side = {b for b in gold_set if b[0] and b[1]}
    other = {b for b in test_set if b[0] and b[1]}
    r = _counts(other, one_side)
    precision_strict = _ratio(p[0], p[0] + p[1])
    precision_lax = _ratio(p[2], p[2] + p[3])
    recall_strict = _ratio(r[0], r[0] + r[1])
    recall_lax = _ratio(r[2], r[2] + r[3])
    return {
        "precision_strict": precision_strict,
        "recall_strict": recall_strict,
        "f1_strict": _f1(precision_strict, recall_strict),
        "precision_lax": precision_lax,
        "recall_lax": recall_lax,
        "f1_lax": _f1(precision_lax, recall_lax),
    }
