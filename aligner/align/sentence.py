"""Monotone sentence alignment by dynamic programming over embeddings, length and anchors.

Method, after Vecalign (Thompson & Koehn, EMNLP 2019) and Bertalign (Liu & Zhu,
DSH 2022):

* Every sentence is embedded; a window of 2..``max_bead`` consecutive sentences is
  the normalised sum of its sentences' vectors, as in Vecalign (mode "pooled", the
  default), or its joined text re-encoded (mode "joined", ≈3× the encoder's work);
  a bead ``a-b`` is scored by the cosine of its two windows.
* As in Vecalign, ``1 - cos`` is divided by the bead's average ``1 - cos`` to a fixed
  sample of sentences of the other side, so that a generic sentence that is close to
  everything does not win over a specific one (hubness); a random pair costs ≈1.
* A length term compares character lengths after scaling by the target/source
  character ratio, estimated from the document itself (median over confident
  mutual-nearest-neighbour pairs, so that a partial original does not skew it).
* Anchors that survive translation (numbers by value, Latin-script tokens inside
  Arabic text; see :mod:`aligner.align.anchors`) lower the cost when they agree
  and raise it when they disagree.
* Paragraph boundaries are soft anchors: a 2-x bead crossing one pays a penalty,
  a bead starting a paragraph on both sides gets a small bonus.
* Skipping a sentence (1-0 / 0-1) costs a constant per sentence derived, like
  Vecalign's deletion penalty, from the document's own cost distribution; it is
  set so that an unrelated pair costs more than two skips: a sentence with no
  counterpart (partial originals) is left unaligned instead of forced.
* Two translations in the same language add a character n-gram similarity (a
  cheap stand-in for chrF inside the DP; the reported chrF is sacrebleu's).

Cost is near-linear: the full DP runs when the grid is small; otherwise, as in
Vecalign, sentences are grouped into blocks (mean embeddings), the blocks are
aligned recursively, and the sentence DP runs in a band around the coarse path,
which follows length mismatches wherever they occur.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from aligner.align.anchors import anchor_counts
from aligner.align.embed import Embedder, get_embedder
from aligner.model import AlignerError

#: the full DP runs when (n+1)*(m+1) is at most this; otherwise coarse-to-fine
FULL_DP_CELLS = 200_000
_BG_SAMPLE = 64
_INF = math.inf


@dataclass(frozen=True)
class Weights:
    """Weights of the cost terms (per sentence of a bead unless noted)."""

    length: float = 0.35  # × |log(len_t / (ratio·len_s))|
    anchor: float = 0.35  # × (1 - 2·Dice) when either side has anchors
    para_cross: float = 0.4  # per bead that merges sentences across a paragraph break
    para_start: float = 0.05  # bonus per bead starting a paragraph on both sides
    non_one_to_one: float = 0.1  # per extra sentence in a bead: 1-1 is the common case
    length_smooth: float = 15.0  # characters added to both lengths (short lines)
    skip_fraction: float = 0.33  # × median 1-1 cost = cost of skipping one sentence
    lexical_share: float = 0.5  # share of the n-gram term when both sides share a language
    skip_without_semantics: float = 0.5  # skip cost when no similarity is available


@dataclass
class Side:
    """Features of one side's windows: ``k`` → array over window start positions."""

    n: int
    emb: dict[int, np.ndarray]
    lex: dict[int, np.ndarray] | None
    length: dict[int, np.ndarray]
    anchors: dict[int, np.ndarray]
    para: np.ndarray
    para_start: np.ndarray
    bg: dict[int, np.ndarray] = field(default_factory=dict)
    lex_bg: dict[int, np.ndarray] = field(default_factory=dict)


def _window_sums(unit: np.ndarray, k: int) -> np.ndarray:
    """Sum of ``k`` consecutive rows for every start position."""
    if len(unit) < k:
        return np.zeros((0, *unit.shape[1:]), dtype=unit.dtype)
    csum = np.concatenate([np.zeros((1, *unit.shape[1:]), dtype=np.float64), np.cumsum(unit, 0)])
    return (csum[k:] - csum[:-k]).astype(unit.dtype)


def _unit_rows(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (m / norms).astype(np.float32)


def _window_texts(texts: list[str], k: int) -> list[str]:
    return [" ".join(texts[p : p + k]) for p in range(len(texts) - k + 1)]


def build_side(
    texts: list[str],
    paragraphs: list[int],
    counts: list[Counter[str]],
    vocab: dict[str, int],
    embedder: Embedder,
    lexical: Embedder | None,
    max_bead: int,
    pooled_windows: bool = False,
) -> Side:
    """Embed every window of 1..max_bead sentences and gather lengths and anchors.

    ``pooled_windows`` takes the normalised mean of the sentence vectors for windows
    of 2+ sentences instead of embedding the joined text (about 3× fewer tokens), when
    the embedder is a costly encoder (``poolable``); n-gram vectors stay exact.
    """
    pooled_windows = pooled_windows and embedder.poolable
    n = len(texts)
    unit_anchor = np.zeros((n, max(len(vocab), 1)), dtype=np.float32)
    for i, c in enumerate(counts):
        for key, v in c.items():
            unit_anchor[i, vocab[key]] = v
    unit_len = np.array([len(t) for t in texts], dtype=np.float64)
    emb: dict[int, np.ndarray] = {}
    lex: dict[int, np.ndarray] | None = {} if lexical is not None else None
    for k in range(1, max_bead + 1):
        windows = _window_texts(texts, k)
        if k > 1 and pooled_windows and len(emb[1]):
            emb[k] = _unit_rows(_window_sums(emb[1], k))
        else:
            emb[k] = embedder.encode(windows) if windows else np.zeros((0, 1), dtype=np.float32)
        if lex is not None and lexical is not None:
            lex[k] = lexical.encode(windows) if windows else np.zeros((0, 1), dtype=np.float32)
    para = np.asarray(paragraphs, dtype=np.int64)
    starts = np.ones(n, dtype=bool)
    starts[1:] = para[1:] != para[:-1]
    if n > 3 and starts.all():
        # one sentence per paragraph throughout (presplit input): the breaks carry no
        # information, and treating them as anchors would forbid every merge
        para = np.zeros(n, dtype=np.int64)
        starts = np.zeros(n, dtype=bool)
    return Side(
        n=n,
        emb=emb,
        lex=lex,
        length={k: _window_sums(unit_len, k) for k in range(1, max_bead + 1)},
        anchors={k: _window_sums(unit_anchor, k) for k in range(1, max_bead + 1)},
        para=para,
        para_start=starts,
    )


def coarsen(side: Side, factor: int, max_bead: int) -> Side:
    """Blocks of ``factor`` sentences: mean embeddings, summed lengths and anchors."""
    n = side.n
    blocks = [(s, min(s + factor, n)) for s in range(0, n, factor)]

    def pool(unit: np.ndarray, unit_norm: bool) -> np.ndarray:
        out = np.stack([unit[s:e].sum(0) for s, e in blocks])
        return _unit_rows(out) if unit_norm else out

    emb1 = pool(side.emb[1], True)
    lex1 = pool(side.lex[1], True) if side.lex is not None else None
    len1 = pool(side.length[1], False)
    anc1 = pool(side.anchors[1], False)
    nb = len(blocks)
    emb = {k: _unit_rows(_window_sums(emb1, k)) for k in range(1, max_bead + 1)}
    lex = (
        {k: _unit_rows(_window_sums(lex1, k)) for k in range(1, max_bead + 1)}
        if lex1 is not None
        else None
    )
    return Side(
        n=nb,
        emb=emb,
        lex=lex,
        length={k: _window_sums(len1, k) for k in range(1, max_bead + 1)},
        anchors={k: _window_sums(anc1, k) for k in range(1, max_bead + 1)},
        para=np.zeros(nb, dtype=np.int64),
        para_start=np.zeros(nb, dtype=bool),
    )


def _background(own: dict[int, np.ndarray], other: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
    """Mean ``1 - cos`` of each window to a fixed sample of the other side's windows.

    A window of k sentences is compared with windows of k sentences: longer texts
    have higher cosines with everything, and comparing like with like keeps merged
    beads from looking better than they are.
    """
    out = {}
    for k, e in own.items():
        pool = other.get(k)
        if pool is None or len(pool) == 0:
            pool = other[1]
        m = len(pool)
        if m > _BG_SAMPLE:
            idx = np.sort(np.random.default_rng(0).choice(m, size=_BG_SAMPLE, replace=False))
            sample = pool[idx]
        else:
            sample = pool
        if len(e) == 0 or len(sample) == 0:
            out[k] = np.ones(len(e))
        else:
            out[k] = np.maximum(np.mean(1.0 - e @ sample.T, axis=1), 1e-3)
    return out


def _prepare_background(src: Side, tgt: Side) -> None:
    src.bg = _background(src.emb, tgt.emb)
    tgt.bg = _background(tgt.emb, src.emb)
    if src.lex is not None and tgt.lex is not None:
        src.lex_bg = _background(src.lex, tgt.lex)
        tgt.lex_bg = _background(tgt.lex, src.lex)


def estimate_ratio(src: Side, tgt: Side) -> float:
    """Target/source character ratio from confident mutual nearest neighbours.

    Falls back to the ratio of total lengths when fewer than three such pairs exist
    (e.g. with lexical features across scripts).
    """
    total = (tgt.length[1].sum() + 1.0) / (src.length[1].sum() + 1.0)
    es, et = src.emb[1], tgt.emb[1]
    if len(es) == 0 or len(et) == 0:
        return float(total)
    step = max(1, len(es) // 2000)
    rows = np.arange(0, len(es), step)
    sim = es[rows] @ et.T
    best_t = sim.argmax(1)
    best_s_for_t = (et @ es[rows].T).argmax(1)
    mutual = best_s_for_t[best_t] == np.arange(len(rows))
    confident = sim[np.arange(len(rows)), best_t] >= np.quantile(sim, 0.98)
    keep = mutual & confident
    if keep.sum() < 3:
        return float(total)
    ratios = tgt.length[1][best_t[keep]] / np.maximum(src.length[1][rows[keep]], 1.0)
    return float(np.median(ratios))


@dataclass
class _Model:
    src: Side
    tgt: Side
    weights: Weights
    ratio: float
    bead_types: list[tuple[int, int]]
    semantic: bool = True  # False: no embedder across languages, length and anchors only
    skip: float = 1.0

    def cost(self, a: int, b: int, p: int, q: np.ndarray) -> np.ndarray:
        """Cost of beads pairing source window (p, a) with target windows (q, b)."""
        w = self.weights
        s, t = self.src, self.tgt
        per = self.similarity_cost(a, b, p, q)
        ls, lt = s.length[a][p], t.length[b][q]
        per = per + w.length * np.abs(
            np.log((lt + w.length_smooth) / (self.ratio * ls + w.length_smooth))
        )
        anc_s, anc_t = s.anchors[a][p], t.anchors[b][q]
        total = anc_s.sum() + anc_t.sum(axis=1)
        match = np.minimum(anc_s[None, :], anc_t).sum(axis=1)
        dice = np.divide(2.0 * match, total, out=np.zeros_like(total), where=total > 0)
        # anchors are evidence per bead, not per sentence: a match must not count
        # twice because the bead is larger
        anchor = np.where(total > 0, w.anchor * (1.0 - 2.0 * dice), 0.0)
        out = per * (a + b) / 2.0 + anchor + w.non_one_to_one * (a + b - 2)
        if a > 1 and len(np.unique(s.para[p : p + a])) > 1:
            out = out + w.para_cross
        if b > 1:
            crosses = t.para[q] != t.para[q + b - 1]
            out = out + w.para_cross * crosses
        if s.para_start[p]:
            out = out - w.para_start * t.para_start[q]
        return out

    def similarity_cost(self, a: int, b: int, p: int, q: np.ndarray) -> np.ndarray:
        """Vecalign-normalised ``1 - cos`` (≈0 for a translation, ≈1 for a random pair)."""
        s, t = self.src, self.tgt
        if not self.semantic:
            return np.zeros(len(q))
        cos = t.emb[b][q] @ s.emb[a][p]
        sem = 2.0 * (1.0 - cos) / (s.bg[a][p] + t.bg[b][q])
        if s.lex is not None and t.lex is not None:
            lcos = t.lex[b][q] @ s.lex[a][p]
            lsem = 2.0 * (1.0 - lcos) / (s.lex_bg[a][p] + t.lex_bg[b][q])
            share = self.weights.lexical_share
            sem = (1.0 - share) * sem + share * lsem
        return sem

    def calibrate_skip(self) -> None:
        """Per-sentence skip cost from the document's own 1-1 cost distribution.

        Like Vecalign's deletion penalty this is a fixed share of the distribution of
        1-1 costs over (mostly unrelated) sentence pairs, but of its median: a low
        quantile would be pulled down by repeated or boilerplate sentences, which have
        many near-identical partners. A pair costing more than twice the skip cost,
        i.e. not clearly better than an unrelated pair, is left as two skips.
        """
        n, m = self.src.n, self.tgt.n
        w = self.weights
        if not self.semantic:
            self.skip = w.skip_without_semantics
            return
        if n == 0 or m == 0:
            self.skip = 1.0
            return
        rng = np.random.default_rng(0)
        rows = np.sort(rng.choice(n, size=min(n, 64), replace=False))
        cols = np.sort(rng.choice(m, size=min(m, 256), replace=False))
        costs = np.concatenate([self.cost(1, 1, int(p), cols) for p in rows])
        self.skip = float(max(w.skip_fraction * np.median(costs), 0.05))


def _types(max_bead: int) -> list[tuple[int, int]]:
    types = [(1, 0)]
    for a in range(1, max_bead + 1):
        for b in range(1, max_bead + 1):
            types.append((a, b))
    return types


def _dp(model: _Model, lo: np.ndarray, hi: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Banded monotone DP; returns beads (i, a, j, b) = source[i:i+a] ↔ target[j:j+b]."""
    n, m = model.src.n, model.tgt.n
    skip = model.skip
    types = model.bead_types
    insert_code = len(types)
    rows: list[np.ndarray] = []
    moves: list[np.ndarray] = []
    for i in range(n + 1):
        js = np.arange(lo[i], hi[i] + 1)
        best = np.full(len(js), _INF)
        move = np.full(len(js), -1, dtype=np.int16)
        if i == 0 and lo[0] == 0:
            best[0] = 0.0
        for code, (a, b) in enumerate(types):
            if i - a < 0:
                continue
            prev, plo = rows[i - a], lo[i - a]
            q = js - b - plo
            ok = (q >= 0) & (q < len(prev)) & (js - b >= 0)
            if not ok.any():
                continue
            cand = np.full(len(js), _INF)
            step = skip if b == 0 else model.cost(a, b, i - a, js[ok] - b)
            cand[ok] = prev[q[ok]] + step
            better = cand < best
            best[better] = cand[better]
            move[better] = code
        # 0-1 moves inside the row: D[j] = min(E[j], D[j-1] + skip), in closed form
        offs = skip * np.arange(len(js))
        shifted = best - offs
        acc = np.minimum.accumulate(shifted)
        inserted = acc < shifted
        best = np.where(inserted, acc + offs, best)
        move[inserted] = insert_code
        rows.append(best)
        moves.append(move)
    if not lo[n] <= m <= hi[n] or not math.isfinite(rows[n][m - lo[n]]):
        raise AlignerError("alignment band does not reach the end of both texts")
    beads: list[tuple[int, int, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        code = int(moves[i][j - lo[i]])
        if code == insert_code:
            beads.append((i, 0, j - 1, 1))
            j -= 1
        elif code >= 0:
            a, b = types[code]
            beads.append((i - a, a, j - b, b))
            i, j = i - a, j - b
        else:  # pragma: no cover - a finite cell always has a move
            raise AlignerError("alignment backtrace lost its path")
    beads.reverse()
    return beads


def _band_from_coarse(
    coarse: list[tuple[int, int, int, int]], factor: int, n: int, m: int, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows' j-ranges covering the coarse path, widened by ``width`` sentences."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for bi, ba, bj, bb in coarse:
        s0, s1 = min(bi * factor, n), min((bi + ba) * factor, n)
        t0, t1 = min(bj * factor, m), min((bj + bb) * factor, m)
        lo[s0 : s1 + 1] = np.minimum(lo[s0 : s1 + 1], t0)
        hi[s0 : s1 + 1] = np.maximum(hi[s0 : s1 + 1], t1)
    lo = np.clip(lo - width, 0, m)
    hi = np.clip(hi + width, 0, m)
    lo = np.minimum.accumulate(lo[::-1])[::-1]  # never ask a row to start after a later one
    hi = np.maximum.accumulate(hi)
    lo[0], hi[n] = 0, m
    return lo, np.maximum(hi, lo)


def _solve(
    src: Side,
    tgt: Side,
    weights: Weights,
    ratio: float,
    max_bead: int,
    band: int,
    semantic: bool,
) -> list[tuple[int, int, int, int]]:
    model = _Model(src, tgt, weights, ratio, _types(max_bead), semantic)
    _prepare_background(src, tgt)
    model.calibrate_skip()
    n, m = src.n, tgt.n
    if (n + 1) * (m + 1) <= FULL_DP_CELLS and band <= 0:
        return _dp(model, np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64))
    factor = max(2, math.ceil(math.sqrt((n + 1) * (m + 1) / (FULL_DP_CELLS / 4))))
    coarse = _solve(
        coarsen(src, factor, max_bead),
        coarsen(tgt, factor, max_bead),
        weights,
        ratio,
        max_bead,
        0,
        semantic,
    )
    width = max(band, factor) if band > 0 else 2 * factor + 4
    lo, hi = _band_from_coarse(coarse, factor, n, m, width)
    return _dp(model, lo, hi)


def align_texts(
    src_texts: list[str],
    tgt_texts: list[str],
    src_paragraphs: list[int],
    tgt_paragraphs: list[int],
    embedder: Embedder,
    same_language: bool,
    max_bead: int = 2,
    band: int = 0,
    weights: Weights | None = None,
    pooled_windows: bool = False,
) -> tuple[list[tuple[int, int, int, int]], Side, Side]:
    """Align two sentence lists; returns beads (i, a, j, b) and both sides' features."""
    if max_bead < 1:
        raise AlignerError(f"max_bead must be at least 1, got {max_bead}")
    weights = weights or Weights()
    counts_s, counts_t = anchor_counts(src_texts, tgt_texts)
    vocab: dict[str, int] = {}
    for c in (*counts_s, *counts_t):
        for key in sorted(c):
            vocab.setdefault(key, len(vocab))
    lexical = get_embedder("lexical") if same_language and embedder.name != "none" else None
    src = build_side(
        src_texts, src_paragraphs, counts_s, vocab, embedder, lexical, max_bead, pooled_windows
    )
    tgt = build_side(
        tgt_texts, tgt_paragraphs, counts_t, vocab, embedder, lexical, max_bead, pooled_windows
    )
    if src.n == 0 or tgt.n == 0:
        beads = [(i, 1, tgt.n, 0) for i in range(src.n)] + [(src.n, 0, j, 1) for j in range(tgt.n)]
        return beads, src, tgt
    ratio = (
        estimate_ratio(src, tgt)
        if embedder.name != "none"
        else float((tgt.length[1].sum() + 1.0) / (src.length[1].sum() + 1.0))
    )
    semantic = same_language or embedder.name != "none"
    return _solve(src, tgt, weights, ratio, max_bead, band, semantic), src, tgt
