"""Pair source and target mentions through the word links instead of guessing.

A quantity or entity of the source is paired with the target mention of the same kind
that its words are linked to (weak filler links excluded, see
:func:`aligner.wordalign.omission.strong_links`). The number and entity checks can use
this before falling back on order or value matching inside a sentence pair.
"""

from __future__ import annotations

from aligner.model import Mention, WordLinks, WordToken
from aligner.wordalign.omission import strong_links


def _words(tokens: list[WordToken], m: Mention) -> list[int]:
    """Indices of the tokens whose span overlaps the mention's span in its sentence."""
    return [
        k
        for k, t in enumerate(tokens)
        if t.segment_id == m.segment_id and t.start < m.end and m.start < t.end
    ]


def pair_by_links(
    word_links: WordLinks, src_mentions: list[Mention], tgt_mentions: list[Mention]
) -> list[tuple[Mention, Mention]]:
    """(source, target) mention pairs whose words are linked, one-to-one, in source order.

    Pairs need the same ``kind``; each pair's weight is the number of links between their
    words, and pairs are taken greedily by weight (ties: document order), so a mention is
    paired at most once. Mentions outside the bead or without linked words stay unpaired.
    """
    links = set(strong_links(word_links))
    src_words = [_words(word_links.src, m) for m in src_mentions]
    tgt_words = [_words(word_links.tgt, m) for m in tgt_mentions]
    candidates: list[tuple[int, int, int]] = []
    for a, (sm, sw) in enumerate(zip(src_mentions, src_words, strict=True)):
        for b, (tm, tw) in enumerate(zip(tgt_mentions, tgt_words, strict=True)):
            if sm.kind != tm.kind:
                continue
            weight = sum((i, j) in links for i in sw for j in tw)
            if weight:
                candidates.append((-weight, a, b))
    used_src: set[int] = set()
    used_tgt: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, a, b in sorted(candidates):
        if a not in used_src and b not in used_tgt:
            used_src.add(a)
            used_tgt.add(b)
            pairs.append((a, b))
    return [(src_mentions[a], tgt_mentions[b]) for a, b in sorted(pairs)]
