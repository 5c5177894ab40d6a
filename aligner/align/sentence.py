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

The DP (:func:`_dp_rows`) takes rows in chunks: the costs of every bead type for a
chunk's cells come as whole rows of source windows against target windows, built
by broadcasting (:meth:`_Model.cost_rows`: the same elementwise operations in the
same order as one bead at a time, so the same numbers), laid out so that one
strided view of the DP values above gives every candidate's predecessor; a row is
then a handful of array operations, whatever its length, and memory stays linear.
Ties go to the first bead type in order, as before. Similarities of a neural
encoder are still taken row by row (bit-identical sums); the n-gram embedder's come
from one matrix product (of sentence counts, kept sparse, when the grid is small).
The gathering DP (:func:`_dp`) remains for the cases the row blocks do not take (a
neural encoder in a band, similarities too large to form whole) and as reference.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from aligner.align.anchors import anchor_keys
from aligner.align.embed import (
    CountRows,
    Embedder,
    LexicalEmbedder,
    get_embedder,
    normalise_counts,
    unit_pair_dots,
)
from aligner.model import AlignerError

#: the full DP runs when (n+1)*(m+1) is at most this; otherwise coarse-to-fine
FULL_DP_CELLS = 200_000
_BG_SAMPLE = 64
#: source sentences and target sentences sampled for the skip cost
_SKIP_ROWS = 64
_SKIP_COLUMNS = 256
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
    #: sentence texts and embedder, for :func:`bead_vectors` when ``emb`` was left empty
    texts: list[str] = field(default_factory=list)
    embedder: Embedder | None = None
    #: the n-gram embedder's raw counts per sentence, when the DP's similarities come
    #: from them (:func:`_count_cosines`) instead of window vectors
    counts: CountRows | None = None


def _occurrences(keys: Iterable[str]) -> Iterable[str]:
    """Each anchor key once per occurrence: a list as it is, a Counter by its counts."""
    return keys.elements() if isinstance(keys, Counter) else keys


def _window_sums(unit: np.ndarray, k: int) -> np.ndarray:
    """Sum of ``k`` consecutive rows for every start position."""
    if len(unit) < k:
        return np.zeros((0, *unit.shape[1:]), dtype=unit.dtype)
    csum = np.concatenate([np.zeros((1, *unit.shape[1:]), dtype=np.float64), np.cumsum(unit, 0)])
    return (csum[k:] - csum[:-k]).astype(unit.dtype)


def _count_window_sums(unit: np.ndarray, k: int) -> np.ndarray:
    """:func:`_window_sums` of whole numbers (lengths, anchor counts): the same sums, of
    ``k`` shifted slices (every partial sum is a whole number held exactly, in any order)."""
    if len(unit) < k:
        return np.zeros((0, *unit.shape[1:]), dtype=unit.dtype)
    out = unit[: len(unit) - k + 1].copy()
    for d in range(1, k):
        out += unit[d : len(unit) - k + 1 + d]
    return out


def _unit_rows(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (m / norms).astype(np.float32)


def _window_texts(texts: list[str], k: int) -> list[str]:
    return [" ".join(texts[p : p + k]) for p in range(len(texts) - k + 1)]


def build_side(
    texts: list[str],
    paragraphs: list[int],
    counts: Sequence[Iterable[str]],
    vocab: dict[str, int],
    embedder: Embedder,
    lexical: Embedder | None,
    max_bead: int,
    pooled_windows: bool = False,
    embed: bool = True,
    windows: tuple[dict[int, np.ndarray] | None, dict[int, np.ndarray] | None] = (None, None),
) -> Side:
    """Embed every window of 1..max_bead sentences and gather lengths and anchors.

    ``pooled_windows`` takes the normalised mean of the sentence vectors for windows
    of 2+ sentences instead of embedding the joined text (about 3× fewer tokens), when
    the embedder is a costly encoder (``poolable``); n-gram vectors stay exact. Without
    ``embed`` no window is embedded here (the DP has no similarity term, or takes it
    from n-gram counts), and :func:`bead_vectors` encodes the windows of the beads
    found. ``windows`` passes vectors made already (``encode_windows``).
    """
    pooled_windows = pooled_windows and embedder.poolable
    n = len(texts)
    # anchors of each sentence: a key per occurrence (a Counter's keys count once each
    # with their multiplicity through ``elements``)
    width = max(len(vocab), 1)
    flat = [i * width + vocab[key] for i, c in enumerate(counts) for key in _occurrences(c)]
    unit_anchor = (
        np.bincount(np.array(flat, dtype=np.int64), minlength=n * width)
        .reshape(n, width)
        .astype(np.float32)
    )
    unit_len = np.array([len(t) for t in texts], dtype=np.float64)
    emb: dict[int, np.ndarray] = dict(windows[0] or {})
    lex: dict[int, np.ndarray] | None = {} if lexical is not None else None
    if windows[1] is not None:
        lex = dict(windows[1])
    for k in range(1, max_bead + 1):
        if (k in emb or not embed) and (lex is None or k in lex):
            continue
        texts_k = _window_texts(texts, k)
        if k in emb or not embed:
            pass
        elif k > 1 and pooled_windows and len(emb[1]):
            emb[k] = _unit_rows(_window_sums(emb[1], k))
        else:
            emb[k] = embedder.encode(texts_k) if texts_k else np.zeros((0, 1), dtype=np.float32)
        if lex is not None and lexical is not None and k not in lex:
            lex[k] = lexical.encode(texts_k) if texts_k else np.zeros((0, 1), dtype=np.float32)
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
        length={k: _count_window_sums(unit_len, k) for k in range(1, max_bead + 1)},
        anchors={k: _count_window_sums(unit_anchor, k) for k in range(1, max_bead + 1)},
        para=para,
        para_start=starts,
        texts=texts,
        embedder=embedder,
    )


def bead_vectors(
    src: Side, tgt: Side, beads: list[tuple[int, int, int, int]]
) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings of the source and target windows of each bead (both sides non-empty).

    Read from ``emb`` when the DP made them; otherwise (no similarity term: no embedder
    across languages) only these windows are encoded, the same texts with the same
    embedder, so the vectors are the same; in one call when the embedder allows it.
    """
    out: list[np.ndarray | None] = [None, None]
    todo: list[tuple[int, Side, list[str]]] = []
    for slot, side in enumerate((src, tgt)):
        windows = [(bead[2 * slot + 1], bead[2 * slot]) for bead in beads]
        if all(k in side.emb for k, _ in windows):
            rows = np.empty((len(beads), side.emb[1].shape[1]), dtype=side.emb[1].dtype)
            for k in {k for k, _ in windows}:
                pick = [r for r, (size, _) in enumerate(windows) if size == k]
                rows[pick] = side.emb[k][[windows[r][1] for r in pick]]
            out[slot] = rows
        elif side.counts is not None:  # a window's counts are its sentences' summed
            starts = np.array([p for _, p in windows], dtype=np.int64)
            sizes = np.array([k for k, _ in windows], dtype=np.int64)
            out[slot] = normalise_counts(side.counts.windows(starts, sizes).dense())
        elif side.embedder is None:
            raise AlignerError("window embeddings were not kept for this side")
        else:
            todo.append((slot, side, [" ".join(side.texts[p : p + k]) for k, p in windows]))
    together = len(todo) == 2 and todo[0][1].embedder is todo[1][1].embedder
    if together and todo[0][1].embedder is not None and todo[0][1].embedder.batch_invariant:
        vectors = todo[0][1].embedder.encode(todo[0][2] + todo[1][2])
        out[todo[0][0]], out[todo[1][0]] = vectors[: len(beads)], vectors[len(beads) :]
    else:
        for slot, side, texts in todo:
            assert side.embedder is not None
            out[slot] = side.embedder.encode(texts)
    assert out[0] is not None and out[1] is not None
    return out[0], out[1]


def bead_cosines(src: Side, tgt: Side, beads: list[tuple[int, int, int, int]]) -> list[float]:
    """``float(np.dot(u, v))`` of each bead's two :func:`bead_vectors` (both sides
    non-empty); when the n-gram embedder would encode the windows' texts, from
    :meth:`LexicalEmbedder.pair_dots` (the same numbers, few dense rows at a time)."""
    embedder = src.embedder
    lexical = isinstance(embedder, LexicalEmbedder) and tgt.embedder is embedder
    embedded = any(side.emb and 1 in side.emb for side in (src, tgt))
    if src.counts is not None and tgt.counts is not None and not embedded:
        bead = np.array(beads, dtype=np.int64).reshape(-1, 4)
        dots = unit_pair_dots(
            src.counts.windows(bead[:, 0], bead[:, 1]), tgt.counts.windows(bead[:, 2], bead[:, 3])
        )
        if dots is not None:
            return dots.tolist()
    elif lexical and not embedded and src.counts is None and tgt.counts is None:
        assert isinstance(embedder, LexicalEmbedder)
        left = [" ".join(src.texts[i : i + a]) for i, a, _, _ in beads]
        right = [" ".join(tgt.texts[j : j + b]) for _, _, j, b in beads]
        return embedder.pair_dots(left, right).tolist()
    vs, vt = bead_vectors(src, tgt, beads)
    return [float(np.dot(u, v)) for u, v in zip(vs, vt, strict=True)]


def coarsen(side: Side, factor: int, max_bead: int) -> Side:
    """Blocks of ``factor`` sentences: mean embeddings, summed lengths and anchors."""
    n = side.n
    blocks = [(s, min(s + factor, n)) for s in range(0, n, factor)]

    def pool(unit: np.ndarray, unit_norm: bool) -> np.ndarray:
        out = np.stack([unit[s:e].sum(0) for s, e in blocks])
        return _unit_rows(out) if unit_norm else out

    emb1 = pool(side.emb[1], True) if 1 in side.emb else None
    lex1 = pool(side.lex[1], True) if side.lex is not None else None
    len1 = pool(side.length[1], False)
    anc1 = pool(side.anchors[1], False)
    nb = len(blocks)
    emb = (
        {k: _unit_rows(_window_sums(emb1, k)) for k in range(1, max_bead + 1)}
        if emb1 is not None
        else {}
    )
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


def _count_cosines(cs: CountRows, ct: CountRows, sw: _Windows, tw: _Windows) -> np.ndarray:
    """Cosine of every source window with every target window (stacked rows × columns,
    float32) from the sentences' n-gram counts.

    A window's counts are its sentences' summed, so its dot products and squared norms
    are sums of sentence dot products: integers, taken exactly (:class:`CountRows`),
    as the float32 products of dense count rows gave them while below 2**24 and the
    float64 ones beyond. One product of sentence rows replaces one of window vectors.
    """
    top = max(max(sw.count), max(tw.count))  # the largest window size
    dots, near_s, near_t = cs.products(ct, top)

    def norms2(near: list[np.ndarray], count: int, k: int) -> np.ndarray:
        out = np.zeros(count)
        for d in range(k):
            out += near[0][d : d + count]
            for e in range(1, k - d):
                out += 2.0 * near[e][d : d + count]
        return out

    out = np.zeros((len(sw.size), len(tw.size)), dtype=np.float32)
    # per target window size: its windows' squared norms, and each source sentence's dot
    # products with them (sums of whole numbers: exact in any order)
    columns: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for b in tw.start:
        mb = tw.count[b]
        if mb:
            summed = dots[:, :mb].copy()
            for e in range(1, b):
                summed += dots[:, e : e + mb]
            columns[b] = summed, norms2(near_t, mb, b)
    for a, ra in sw.start.items():
        na = sw.count[a]
        if not na:
            continue
        ns = norms2(near_s, na, a)
        for b, rb in tw.start.items():
            mb = tw.count[b]
            if not mb:
                continue
            summed, nt = columns[b]
            dot = summed[:na].copy()
            for d in range(1, a):
                dot += summed[d : d + na]
            norm = np.sqrt(ns[:, None] * nt[None, :])
            cos = np.divide(dot, norm, out=np.zeros_like(dot), where=norm > 0)
            out[ra : ra + na, rb : rb + mb] = cos
    return out


def _background_of(cos: np.ndarray, own: _Windows, other: _Windows) -> dict[int, np.ndarray]:
    """:func:`_background` of ``own``'s windows from their cosines with every window of
    ``other`` (stacked rows × stacked columns): the same samples, the same mean."""
    out = {}
    for k, start in own.start.items():
        pool = k if other.count.get(k) else 1
        m = other.count.get(pool, 0)
        cols = other.start.get(pool, 0) + np.arange(m)
        if m > _BG_SAMPLE:
            cols = cols[np.sort(np.random.default_rng(0).choice(m, size=_BG_SAMPLE, replace=False))]
        if own.count[k] == 0 or m == 0:
            out[k] = np.ones(own.count[k])
        else:
            block = cos[start : start + own.count[k]][:, cols]
            out[k] = np.maximum(np.mean(1.0 - block, axis=1), 1e-3)
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


#: largest rectangle (source windows × target windows) whose similarity or anchor
#: matrix is formed at once; larger sets of cells are cut into smaller runs
_BLOCK_CELLS = 1 << 18
#: largest source × target window matrix of cosines formed whole (float32 entries)
_FULL_COSINES = 1 << 22
#: DP cells whose predecessors and costs are tabulated at once (bounds the memory)
_CHUNK_CELLS = 1 << 16
#: bytes of :func:`_dp_rows`'s cost table for a chunk of rows (bounds the memory, and
#: keeps a chunk's arrays in the cache)
_TABLE_BYTES = 1 << 19


@dataclass
class _Windows:
    """One side's windows of every size stacked in one row order (size k from ``start[k]``)."""

    start: dict[int, int]
    count: dict[int, int]
    size: np.ndarray
    length: np.ndarray
    anchors: np.ndarray
    anchor_total: np.ndarray
    crosses: np.ndarray  # the window spans a paragraph break
    para_start: np.ndarray  # the window starts a paragraph

    @classmethod
    def of(cls, side: Side, ends_only: bool = False) -> _Windows:
        """``ends_only``: a window crosses when its first and last sentence's paragraphs
        differ (the target side's test), else when any sentence's differs from the
        first's (the source side's); the same for paragraph numbers that never decrease.
        """
        sizes = sorted(side.length)
        start, rows = {}, 0
        for k in sizes:
            start[k] = rows
            rows += len(side.length[k])
        counts = [len(side.length[k]) for k in sizes]
        crosses = []
        for k, count in zip(sizes, counts, strict=True):
            cross = np.zeros(count, dtype=bool)
            for d in range(max(k - 1 if ends_only else 1, 1), k):  # d = 0 crosses nothing
                cross |= side.para[d : d + count] != side.para[:count]
            crosses.append(cross)
        anchors = np.concatenate([side.anchors[k] for k in sizes])
        return cls(
            start=start,
            count=dict(zip(sizes, counts, strict=True)),
            size=np.repeat(np.array(sizes, dtype=np.int64), counts),
            length=np.concatenate([side.length[k] for k in sizes]),
            anchors=anchors,
            anchor_total=anchors.sum(axis=1),
            crosses=np.concatenate(crosses),
            para_start=np.concatenate([side.para_start[: len(side.length[k])] for k in sizes]),
        )


def _concatenate(parts: list[np.ndarray]) -> np.ndarray:
    """Rows of ``parts`` one after another (empty parts, of any width, left out)."""
    parts = [p for p in parts if len(p)]
    return np.concatenate(parts) if parts else np.zeros(0)


def _blocks(x: np.ndarray, y: np.ndarray) -> list[tuple[int, int, int, int, int, int]]:
    """Runs ``[lo, hi)`` of cells whose bounding rectangle of window rows holds at most
    :data:`_BLOCK_CELLS` pairs: ``(lo, hi, x0, x1, y0, y1)``, ends inclusive.

    A band follows the diagonal, so a run of its cells spans few rows and columns:
    the matrices formed stay linear in the length of the documents; a small full grid
    is one block.
    """
    out = []
    todo = [(0, len(x))]
    while todo:
        lo, hi = todo.pop()
        xs, ys = x[lo:hi], y[lo:hi]
        x0, x1, y0, y1 = int(xs.min()), int(xs.max()), int(ys.min()), int(ys.max())
        if (x1 - x0 + 1) * (y1 - y0 + 1) <= _BLOCK_CELLS or hi - lo == 1:
            out.append((lo, hi, x0, x1, y0, y1))
        else:
            mid = (lo + hi) // 2
            todo += [(mid, hi), (lo, mid)]
    return out


def _anchor_matches(s: np.ndarray, t: np.ndarray) -> np.ndarray:
    """``M[x, y] = Σ_v min(s[x, v], t[y, v])`` for count rows (float32, exact integers).

    ``min(a, b) = Σ_{k≥1} [a ≥ k]·[b ≥ k]`` for counts, so the matrix is a sum of a few
    0/1 matrix products over the vocabulary both blocks use (sums of integers below
    2**24 are exact in float32 in any order).
    """
    used = np.flatnonzero(s.any(0) & t.any(0))
    out = np.zeros((len(s), len(t)), dtype=np.float32)
    if not len(used):
        return out
    s, t = s[:, used], t[:, used]
    for level in range(1, int(min(s.max(), t.max())) + 1):
        out += (s >= level).astype(np.float32) @ (t >= level).astype(np.float32).T
    return out


@dataclass
class _Model:
    src: Side
    tgt: Side
    weights: Weights
    ratio: float
    bead_types: list[tuple[int, int]]
    semantic: bool = True  # False: no embedder across languages, length and anchors only
    skip: float = 1.0
    #: similarities row by row, as one matrix-vector product per source window and bead
    #: type exactly like the reference DP (bit for bit the same sums, so that ties
    #: between equal-cost paths fall the same way), instead of one matrix product per
    #: block (float32 sums that may differ in the last bit); see :func:`align_texts`
    rowwise: bool = True
    _stacks: dict[str, Any] = field(default_factory=dict, repr=False)

    def _stack(self, name: str) -> Any:
        """Stacked window features, made once: windows, background terms, embeddings."""
        made = self._stacks.get(name)
        if made is None:
            side = self.src if name[0] == "s" else self.tgt
            kind = name[2:]
            if kind == "win":
                made = _Windows.of(side, ends_only=name[0] == "t")
            else:  # emb, lex, bg, lex_bg: dicts over window sizes
                parts = getattr(side, kind)
                made = _concatenate([parts[k] for k in sorted(parts)])
            self._stacks[name] = made
        return made

    def _full_cosines(self, kind: str) -> np.ndarray | None:
        """Cosines of every source window with every target window ("emb" or "lex"), in
        one matrix product, when neither rowwise nor too large (else None)."""
        if self.rowwise:
            return None
        name = "full_" + kind
        if name not in self._stacks:
            src, tgt = self.src, self.tgt
            if kind == "emb" and src.counts is not None and tgt.counts is not None:
                sw, tw = self._stack("s_win"), self._stack("t_win")
                self._stacks[name] = _count_cosines(src.counts, tgt.counts, sw, tw)
            else:
                s, t = self._stack("s_" + kind), self._stack("t_" + kind)
                fits = s.ndim == 2 and t.ndim == 2 and len(s) * len(t) <= _FULL_COSINES
                self._stacks[name] = s @ t.T if fits else None
        return self._stacks[name]

    def prepare_background(self) -> None:
        """Background ``1 - cos`` of every window (:func:`_background`), read from the
        full cosine matrix when there is one instead of more products."""
        s, t = self.src, self.tgt
        full = self._full_cosines("emb")
        if full is None:
            _prepare_background(s, t)
            return
        sw, tw = self._stack("s_win"), self._stack("t_win")
        s.bg, t.bg = _background_of(full, sw, tw), _background_of(full.T, tw, sw)
        if s.lex is not None and t.lex is not None:
            lex = self._full_cosines("lex")
            if lex is None:  # pragma: no cover - lex is as large as emb
                _prepare_background(s, t)
                return
            s.lex_bg, t.lex_bg = _background_of(lex, sw, tw), _background_of(lex.T, tw, sw)

    def window_rows(self, a: np.ndarray, p: np.ndarray, b: np.ndarray, q: np.ndarray):
        """Stacked rows of source windows (p, a) and target windows (q, b)."""
        sw, tw = self._stack("s_win"), self._stack("t_win")
        sizes = max(max(sw.start), max(tw.start)) + 1
        s_start = np.zeros(sizes, dtype=np.int64)
        t_start = np.zeros(sizes, dtype=np.int64)
        for k, v in sw.start.items():
            s_start[k] = v
        for k, v in tw.start.items():
            t_start[k] = v
        return s_start[a] + p, t_start[b] + q

    def costs(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Cost of each bead pairing stacked source window x[k] with target window y[k].

        Every term is computed for all cells at once with the same elementwise
        operations, in the same order, as the reference computed a bead at a time;
        similarities and anchor overlaps come from products over blocks of windows.
        """
        w = self.weights
        sw, tw = self._stack("s_win"), self._stack("t_win")
        cos, lcos, match = self._pair_terms(x, y)
        if cos is None:
            per = np.zeros(len(x))
        else:
            per = 2.0 * (1.0 - cos) / (self._stack("s_bg")[x] + self._stack("t_bg")[y])
            if lcos is not None:
                s_bg, t_bg = self._stack("s_lex_bg"), self._stack("t_lex_bg")
                lsem = 2.0 * (1.0 - lcos) / (s_bg[x] + t_bg[y])
                share = w.lexical_share
                per = (1.0 - share) * per + share * lsem
        ls, lt = sw.length[x], tw.length[y]
        per = per + w.length * np.abs(
            np.log((lt + w.length_smooth) / (self.ratio * ls + w.length_smooth))
        )
        total = sw.anchor_total[x] + tw.anchor_total[y]
        dice = np.divide(2.0 * match, total, out=np.zeros_like(total), where=total > 0)
        # anchors are evidence per bead, not per sentence: a match must not count
        # twice because the bead is larger
        anchor = np.where(total > 0, w.anchor * (1.0 - 2.0 * dice), 0.0)
        sizes = sw.size[x] + tw.size[y]
        out = per * sizes / 2.0 + anchor + w.non_one_to_one * (sizes - 2)
        # merging across a paragraph break; starting a paragraph on both sides (adding
        # 0.0 where a term does not apply changes nothing)
        out = out + w.para_cross * sw.crosses[x]
        out = out + w.para_cross * tw.crosses[y]
        return out - w.para_start * (sw.para_start[x] & tw.para_start[y])

    def _pair_terms(
        self, x: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray]:
        """Per cell: cosine of the embeddings (None without semantics), cosine of the
        n-gram vectors (None unless both sides have them), anchor overlap (float32)."""
        s, t = self.src, self.tgt
        sw, tw = self._stack("s_win"), self._stack("t_win")
        lexical = self.semantic and s.lex is not None and t.lex is not None
        cos = lcos = None
        if self.semantic and self.rowwise:
            cos, lcos = self._rowwise(x, y, lexical)
        elif self.semantic:
            full = self._full_cosines("emb")
            if full is not None:
                cos = full[x, y]
            else:
                cos = self._blockwise(x, y, self._stack("s_emb"), self._stack("t_emb"))
            if lexical:
                full = self._full_cosines("lex")
                if full is not None:
                    lcos = full[x, y]
                else:
                    lcos = self._blockwise(x, y, self._stack("s_lex"), self._stack("t_lex"))
        match = np.empty(len(x), dtype=np.float32)
        for lo, hi, x0, x1, y0, y1 in _blocks(x, y):
            block = _anchor_matches(sw.anchors[x0 : x1 + 1], tw.anchors[y0 : y1 + 1])
            match[lo:hi] = block[x[lo:hi] - x0, y[lo:hi] - y0]
        return cos, lcos, match

    @staticmethod
    def _blockwise(x: np.ndarray, y: np.ndarray, s: np.ndarray, t: np.ndarray) -> np.ndarray:
        out = np.empty(len(x), dtype=np.float32)
        for lo, hi, x0, x1, y0, y1 in _blocks(x, y):
            block = s[x0 : x1 + 1] @ t[y0 : y1 + 1].T
            out[lo:hi] = block[x[lo:hi] - x0, y[lo:hi] - y0]
        return out

    def _rowwise(
        self, x: np.ndarray, y: np.ndarray, lexical: bool
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Cosines as the reference took them: per run of cells with one source window
        and one target window size, ``t.emb[b][q] @ s.emb[a][p]``."""
        s, t = self.src, self.tgt
        sw, tw = self._stack("s_win"), self._stack("t_win")
        cos = np.empty(len(x), dtype=np.float32)
        lcos = np.empty(len(x), dtype=np.float32) if lexical else None
        b_of = tw.size[y]
        new = np.ones(len(x), dtype=bool)
        new[1:] = (x[1:] != x[:-1]) | (b_of[1:] != b_of[:-1])
        bounds = [*np.flatnonzero(new).tolist(), len(x)]
        for lo, hi in itertools.pairwise(bounds):
            a, b = int(sw.size[x[lo]]), int(b_of[lo])
            p, q = int(x[lo]) - sw.start[a], y[lo:hi] - tw.start[b]
            cos[lo:hi] = t.emb[b][q] @ s.emb[a][p]
            if lcos is not None and s.lex is not None and t.lex is not None:
                lcos[lo:hi] = t.lex[b][q] @ s.lex[a][p]
        return cos, lcos

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
        if n <= _SKIP_ROWS and m <= _SKIP_COLUMNS:  # the samples below take them all
            rows, cols = np.arange(n), np.arange(m)
        else:
            rng = np.random.default_rng(0)
            rows = np.sort(rng.choice(n, size=min(n, _SKIP_ROWS), replace=False))
            cols = np.sort(rng.choice(m, size=min(m, _SKIP_COLUMNS), replace=False))
        if self.by_rows() and not self.rowwise:  # the same costs, from whole rows of them
            sw, tw = self._stack("s_win"), self._stack("t_win")
            whole = self.whole_grid()
            picked = whole[sw.start[1] + rows] if whole is not None else None
            if picked is None:
                picked = self.cost_rows(sw.start[1] + rows)
            sample = picked[:, tw.start[1] + cols].ravel()
        else:
            ones = np.ones(len(rows) * len(cols), dtype=np.int64)
            x, y = self.window_rows(
                ones, np.repeat(rows, len(cols)), ones, np.tile(cols, len(rows))
            )
            sample = self.costs(x, y)
        self.skip = float(max(w.skip_fraction * _median(sample), 0.05))

    def by_rows(self, banded: bool = False) -> bool:
        """Whether :meth:`cost_rows` can take costs a row at a time: similarities are
        at hand as a whole matrix (n-gram counts, small grids) or taken row by row (the
        whole grid only: in a band the reference multiplied other sets of rows)."""
        if not self.semantic:
            return True
        if self.rowwise:
            return not banded
        lexical = self.src.lex is not None and self.tgt.lex is not None
        return self._full_cosines("emb") is not None and (
            not lexical or self._full_cosines("lex") is not None
        )

    def _columns(self) -> dict[str, Any]:
        """Per target window (stacked), what :meth:`cost_rows` needs, made once."""
        made = self._stacks.get("columns")
        if made is None:
            w = self.weights
            sw, tw = self._stack("s_win"), self._stack("t_win")
            s_tot, t_tot = sw.anchor_total, tw.anchor_total
            # the anchor term as a table over (match, total), both small integers: the
            # same float32 operations as ``costs`` on the same numbers
            top_s, top_t = int(s_tot.max(initial=0)), int(t_tot.max(initial=0))
            match = np.arange(min(top_s, top_t) + 1, dtype=np.float32)[:, None]
            total = np.arange(top_s + top_t + 1, dtype=np.float32)[None, :]
            total = np.broadcast_to(total, (len(match), total.shape[1]))
            dice = np.divide(2.0 * match, total, out=np.zeros_like(total), where=total > 0)
            anchor = np.where(total > 0, w.anchor * (1.0 - 2.0 * dice), 0.0)
            # the table's index, match · width + total, as one product of 0/1 level
            # indicators (match = Σ_k [s ≥ k]·[t ≥ k]) and the totals: small integers,
            # exact in float32
            levels = max(min(top_s, top_t), 0)
            t_anchors = tw.anchors
            t_side = np.concatenate(
                [(t_anchors >= k).astype(np.float32) for k in range(1, levels + 1)]
                + [np.ones((len(t_tot), 1), dtype=np.float32), t_tot[:, None]],
                axis=1,
            )
            width = np.float32(anchor.shape[1])
            s_side = np.concatenate(
                [(sw.anchors >= k).astype(np.float32) * width for k in range(1, levels + 1)]
                + [s_tot[:, None], np.ones((len(s_tot), 1), dtype=np.float32)],
                axis=1,
            )
            made = {
                "s_side": s_side,
                "length": tw.length + w.length_smooth,
                "anchor": anchor.reshape(-1),
                "anchor_width": anchor.shape[1],
                "levels": levels,
                "anchor_any": bool(top_s or top_t),
                "t_side": t_side,
                "crosses": w.para_cross * tw.crosses,  # 0.0 or the penalty
                "starts": w.para_start * tw.para_start,
            }
            self._stacks["columns"] = made
        return made

    def size_rows(self, a: int, first: int, stop: int) -> np.ndarray:
        """:meth:`cost_rows` of the source windows of ``a`` sentences starting at
        ``first .. stop - 1``. When the whole grid of costs fits in :data:`_TABLE_BYTES`,
        it is taken at once and kept (the skip calibration and the DP share it)."""
        sw = self._stack("s_win")
        grid = self.whole_grid()
        if grid is not None:
            return grid[sw.start[a] + first : sw.start[a] + stop]
        return self.cost_rows(sw.start[a] + np.arange(first, stop))

    def whole_grid(self) -> np.ndarray | None:
        """:meth:`cost_rows` of every source window, made once, when small enough."""
        if "grid" not in self._stacks:
            sw, tw = self._stack("s_win"), self._stack("t_win")
            small = 8 * len(sw.size) * len(tw.size) <= _TABLE_BYTES
            self._stacks["grid"] = self.cost_rows(np.arange(len(sw.size))) if small else None
        return self._stacks["grid"]

    def cost_rows(self, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        """:meth:`costs` of stacked source windows ``rows`` (increasing) with every
        stacked target window, or those of ``cols`` (increasing): rows × columns,
        float64, the same numbers.

        The same elementwise operations in the same order as :meth:`costs`, on outer
        (broadcast) operands instead of gathered ones: the length term's quotient and
        logarithm on a fresh contiguous array as there; a bead size's scaling on its
        block (``x · 4 / 2.0`` is ``x · 2.0`` exactly); the anchor term read from a table
        of the same float32 operations over (match, total); and adding or subtracting a
        term that is 0.0 (no paragraph cross, no common paragraph start, 1-1 beads' size
        term) left out where it is 0.0 (``x + 0.0`` is ``x`` for every cost here, none
        being -0.0).
        """
        w = self.weights
        sw, tw = self._stack("s_win"), self._stack("t_win")
        made = self._columns()
        every = cols is None
        if cols is None:
            cols = np.arange(len(tw.size))

        def pick(name: str) -> np.ndarray:
            return made[name] if every else made[name][cols]

        top = max(max(sw.start), max(tw.start)) + 2
        cut = np.searchsorted(sw.size[rows], np.arange(1, top)).tolist()
        col_cut = np.searchsorted(tw.size[cols], np.arange(1, top)).tolist()
        blocks = [  # (rows, columns, bead size) of each bead type but 1-1
            (cut[a - 1], cut[a], col_cut[b - 1], col_cut[b], a + b)
            for a in range(1, top - 1)
            if cut[a] > cut[a - 1]
            for b in range(1, top - 1)
            if col_cut[b] > col_cut[b - 1] and a + b != 2
        ]
        s_len = self.ratio * sw.length[rows] + w.length_smooth
        out = np.divide(pick("length")[None, :], s_len[:, None])
        np.log(out, out=out)
        np.abs(out, out=out)
        out *= w.length
        cos, lcos = self._cosine_rows(rows)
        if cos is not None:
            if not every:
                cos = cos[:, cols]
                lcos = lcos[:, cols] if lcos is not None else None
            s_bg, t_bg = self._stack("s_bg")[rows], self._stack("t_bg")[cols]
            per = 2.0 * (1.0 - cos) / (s_bg[:, None] + t_bg[None, :])
            if lcos is not None:
                s_bg, t_bg = self._stack("s_lex_bg")[rows], self._stack("t_lex_bg")[cols]
                lsem = 2.0 * (1.0 - lcos) / (s_bg[:, None] + t_bg[None, :])
                share = w.lexical_share
                per = (1.0 - share) * per + share * lsem
            out = per + out
        for r0, r1, c0, c1, size in blocks:  # per * sizes / 2.0 (1-1 beads: per)
            block = out[r0:r1, c0:c1]
            if size & (size - 1) == 0:
                block *= size / 2.0  # a power of two: exact either way
            else:
                block *= size
                block /= 2.0
        if made["anchor_any"]:
            at = (made["s_side"][rows] @ pick("t_side").T).astype(np.intp)
            out += made["anchor"].take(at)
        for r0, r1, c0, c1, size in blocks:
            out[r0:r1, c0:c1] += w.non_one_to_one * (size - 2)
        crosses = np.flatnonzero(sw.crosses[rows])
        if len(crosses):
            out[crosses] += w.para_cross
        col_crosses = pick("crosses")
        for b in range(2, top - 1):  # a window of one sentence crosses nothing
            c0, c1 = col_cut[b - 1], col_cut[b]
            if col_crosses[c0:c1].any():
                out[:, c0:c1] += col_crosses[None, c0:c1]
        starts = np.flatnonzero(sw.para_start[rows])
        col_starts = pick("starts")
        if len(starts) and col_starts.any():
            out[starts] -= col_starts[None, :]
        return out

    def _cosine_rows(self, rows: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        """Cosines of stacked source windows ``rows`` with every stacked target window,
        as :meth:`_pair_terms` takes them (None without semantics, or without n-gram
        vectors on both sides)."""
        if not self.semantic:
            return None, None
        s, t = self.src, self.tgt
        lexical = s.lex is not None and t.lex is not None
        out: list[np.ndarray | None] = [None, None]
        for slot, kind in enumerate(("emb", "lex") if lexical else ("emb",)):
            if not self.rowwise:
                full = self._full_cosines(kind)
                assert full is not None
                out[slot] = full[rows]
                continue
            # as :meth:`_rowwise`: one matrix-vector product per source window and
            # target window size, ``t.emb[b] @ s.emb[a][p]`` (the same product of the
            # same rows, so the same sums)
            sw, tw = self._stack("s_win"), self._stack("t_win")
            s_vec, t_vec = getattr(s, kind), getattr(t, kind)
            made = np.empty((len(rows), len(tw.size)), dtype=np.float32)
            for b, col in tw.start.items():
                if not tw.count[b]:
                    continue
                rows_t = np.ascontiguousarray(t_vec[b])
                for r, x in enumerate(rows.tolist()):
                    a = int(sw.size[x])
                    made[r, col : col + tw.count[b]] = rows_t @ s_vec[a][x - sw.start[a]]
            out[slot] = made
        return out[0], out[1]


def _median(values: np.ndarray) -> float:
    """``np.median`` of a non-empty float64 vector, the same number with fewer calls:
    ``np.mean`` of the middle value or two, as it takes it (a sum from 0.0, divided by
    the count), of the same partition; NaN when there is one (a partition puts it last).
    """
    size = len(values)
    half = size // 2
    if size % 2:
        part = np.partition(values, [half, -1])
        middle = (0.0 + float(part[half])) / 1.0
    else:
        part = np.partition(values, [half - 1, half, -1])
        middle = (0.0 + float(part[half - 1]) + float(part[half])) / 2.0
    return math.nan if math.isnan(part[-1]) else middle


def _types(max_bead: int) -> list[tuple[int, int]]:
    types = [(1, 0)]
    for a in range(1, max_bead + 1):
        for b in range(1, max_bead + 1):
            types.append((a, b))
    return types


def _dp(model: _Model, lo: np.ndarray, hi: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Banded monotone DP; returns beads (i, a, j, b) = source[i:i+a] ↔ target[j:j+b].

    Row i holds cells j = lo[i]..hi[i], stored one row after another. For a chunk of
    rows at a time, every cell's predecessor and cost under every bead type are
    tabulated at once (:meth:`_Model.costs`); each row then takes, per cell, the
    cheapest type (the first on ties, as a strict ``<`` over the types in order
    would), and 0-1 moves inside the row in closed form.
    """
    n, m = model.src.n, model.tgt.n
    skip = model.skip
    types = model.bead_types
    widths = hi - lo + 1
    off = np.zeros(n + 2, dtype=np.int64)
    off[1:] = np.cumsum(widths)
    cells = int(off[-1])
    value = np.full(cells + 1, _INF)  # the last cell stands for "outside the band"
    move = np.zeros(cells, dtype=np.int16)
    inserted = np.zeros(cells, dtype=bool)
    offsets = skip * np.arange(int(widths.max()))
    firsts_of_rows = np.arange(int(widths.max())) * len(types)  # flat index of cand[k, 0]
    first = 0
    while first <= n:
        last = first + 1  # rows [first, last) form a chunk
        while last <= n and off[last + 1] - off[first] <= _CHUNK_CELLS:
            last += 1
        base = int(off[first])
        prev, step = _tabulate(model, lo, hi, off, first, last)
        for i in range(first, last):
            c0, c1 = int(off[i]), int(off[i + 1])
            width = c1 - c0
            if i == 0:
                best = np.full(width, _INF)
                if lo[0] == 0:
                    best[0] = 0.0
            else:
                cand = value.take(prev[c0 - base : c1 - base])
                cand += step[c0 - base : c1 - base]
                code = cand.argmin(1)
                best = cand.take(firsts_of_rows[:width] + code)  # cand[k, code[k]]
                move[c0:c1] = code
            # 0-1 moves inside the row: D[j] = min(E[j], D[j-1] + skip), in closed form
            offs = offsets[:width]
            shifted = best - offs
            acc = np.minimum.accumulate(shifted)
            ins = acc < shifted
            value[c0:c1] = np.where(ins, acc + offs, best)
            inserted[c0:c1] = ins
        first = last
    if not lo[n] <= m <= hi[n] or not math.isfinite(value[off[n] + m - lo[n]]):
        raise AlignerError("alignment band does not reach the end of both texts")
    beads: list[tuple[int, int, int, int]] = []
    starts, firsts = off.tolist(), lo.tolist()
    i, j = n, m
    while i > 0 or j > 0:
        cell = starts[i] + j - firsts[i]
        if inserted[cell]:
            beads.append((i, 0, j - 1, 1))
            j -= 1
        elif i > 0 and math.isfinite(value[cell]):
            a, b = types[int(move[cell])]
            beads.append((i - a, a, j - b, b))
            i, j = i - a, j - b
        else:  # pragma: no cover - a finite cell always has a move
            raise AlignerError("alignment backtrace lost its path")
    beads.reverse()
    return beads


def _dp_full(model: _Model) -> list[tuple[int, int, int, int]]:
    """:func:`_dp_rows` over the whole grid."""
    n, m = model.src.n, model.tgt.n
    return _dp_rows(model, np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64))


def _dp_rows(model: _Model, lo: np.ndarray, hi: np.ndarray) -> list[tuple[int, int, int, int]]:
    """:func:`_dp` from :meth:`_Model.cost_rows`: the same values, the same beads, a few
    array operations per row, and memory linear in the texts.

    Rows are taken in chunks, each over the columns its rows and their predecessors
    use. With K the largest bead size, a chunk's DP values sit in a buffer after the K
    rows before it, with K columns of ∞ before them, so that one strided view gives
    every candidate's predecessor at once, ``view[i, g, c, j] = D[i - (K - g), j - (K -
    c)]``, and ``table[i, g, c, j]`` holds the cost of that bead type at cell (i, j)
    (∞ for the types that do not exist, 2-0 and the like); a cell outside the band is
    ∞. A row is one addition over its band, the least candidate (a minimum does not
    depend on the order), then 0-1 moves in closed form as :func:`_dp` takes them. Once
    a chunk is done, the bead type of each of its cells is the first cheapest in the
    model's order, as ``argmin`` found it: the candidates are the same sums again.
    """
    n, m = model.src.n, model.tgt.n
    if (np.diff(lo) < 0).any() or (np.diff(hi) < 0).any():  # pragma: no cover - not a band
        return _dp(model, lo, hi)  # of _band_from_coarse's (chunks follow a monotone band)
    skip = model.skip
    types = model.bead_types
    sw, tw = model._stack("s_win"), model._stack("t_win")
    top = max(max(a for a, _ in types), max(b for _, b in types))
    slots = top * (top + 1)
    # slot (g, c) stands for type (top - g, top - c); a cell's bead type is the one of
    # highest rank among its cheapest candidates (rank: the model's order, reversed)
    order = {(top - g, top - c): g * (top + 1) + c for g in range(top) for c in range(top + 1)}
    rank = np.zeros(slots, dtype=np.uint8)
    for k, ab in enumerate(types):
        rank[order[ab]] = len(types) - k
    decode = {int(rank[slot]): ab for ab, slot in order.items() if rank[slot]}
    lo_l, hi_l = lo.tolist(), hi.tolist()
    widths = hi - lo + 1
    off = np.zeros(n + 2, dtype=np.int64)
    off[1:] = np.cumsum(widths)
    inserted = np.zeros(int(off[-1]), dtype=bool)  # the band's cells, row after row
    codes = np.zeros(int(off[-1]), dtype=np.uint8)
    offsets = skip * np.arange(m + 1)
    shifted = np.empty(m + 1)
    acc = np.empty(m + 1)
    budget = _TABLE_BYTES // (8 * slots)  # cells of a chunk's table
    chunks = []  # rows [first, stop), columns [c0, c1) (their predecessors' included)
    first = 0
    while first <= n:
        c0 = max(lo_l[first] - top, 0)
        stop = first + 1
        while stop <= n and (stop + 1 - first) * (hi_l[stop] + 1 - c0) <= budget:
            stop += 1
        chunks.append((first, stop, c0, hi_l[stop - 1] + 1))
        first = stop
    # memory for the largest chunk, used by each in turn (no fresh pages for each)
    most = max((stop - first + top) * (c1 - c0 + top) for first, stop, c0, c1 in chunks)
    padded_all = np.empty(most)
    table_all = np.empty(max((stop - first) * slots * (c1 - c0) for first, stop, c0, c1 in chunks))
    add, least, subtract, less = np.add, np.minimum.reduce, np.subtract, np.less
    accumulate, copyto = np.minimum.accumulate, np.copyto

    def skip_moves(
        row: np.ndarray, ins: np.ndarray, offs: np.ndarray, sh: np.ndarray, ac: np.ndarray
    ) -> None:
        """0-1 moves inside a row, D[j] = min(E[j], D[j-1] + skip), in closed form (``ins``:
        where one was taken); ``sh`` and ``ac`` are scratch rows of the same length."""
        subtract(row, offs, sh)
        accumulate(sh, 0, None, ac)
        less(ac, sh, ins)
        add(ac, offs, ac)
        copyto(row, ac, where=ins)

    carried: np.ndarray | None = None  # the K rows before the chunk, and their first column
    carried_first = 0
    last = _INF
    for first, stop, c0, c1 in chunks:
        size, span = stop - first, c1 - c0
        stride = span + top
        padded = padded_all[: (size + top) * stride]
        padded.fill(_INF)
        buffer = padded.reshape(size + top, stride)
        if carried is not None:  # the K rows before, moved to this chunk's columns
            keep = carried[:, top + c0 - carried_first :]
            width = min(keep.shape[1], span)
            buffer[:top, top : top + width] = keep[:, :width]
        item = padded.itemsize
        view = np.lib.stride_tricks.as_strided(
            padded,
            shape=(size, top, top + 1, span),
            strides=(stride * item, stride * item, item, item),
            writeable=False,
        )
        table = table_all[: size * slots * span].reshape(size, top, top + 1, span)
        table.fill(0.0)  # 0.0 where a bead does not fit: its predecessor is ∞
        table[:, : top - 1, top] = _INF  # a-0 beads for a > 1 do not exist
        for a in range(1, top + 1):
            start = max(first, a)  # rows whose source window of size a starts at i - a
            if start >= stop:
                continue
            if (a, 0) in types:
                table[start - first :, top - a, top] = skip
            spans = [  # target windows of size b ending the chunk's cells
                (b, max(c0, b), c1) for b in range(1, top + 1) if (a, b) in types and c1 > b
            ]
            if not spans:
                continue
            rows = sw.start[a] + np.arange(start - a, stop - a)
            if c0 == 0 and c1 == m + 1:  # every target window, read by stacked position
                whole = first == 0 and stop == n + 1
                costs = model.size_rows(a, start - a, stop - a) if whole else model.cost_rows(rows)
                places = [tw.start[b] + j0 - b for b, j0, _ in spans]
            else:  # those the chunk's cells end with, one size after another
                cols = [tw.start[b] + np.arange(j0 - b, j1 - b) for b, j0, j1 in spans]
                costs = model.cost_rows(rows, np.concatenate(cols))
                places = np.cumsum([0] + [len(c) for c in cols[:-1]]).tolist()
            for (b, j0, j1), at in zip(spans, places, strict=True):
                table[start - first :, top - a, top - b, j0 - c0 : j1 - c0] = costs[
                    :, at : at + j1 - j0
                ]
        if first == 0:
            buffer[top, top - c0] = 0.0  # cell (0, 0)
        rows_ins = np.zeros((size, span), dtype=bool)
        cand = np.empty((top, top + 1, span))
        flat = cand.reshape(-1, span)
        offs, sh, ac = offsets[:span], shifted[:span], acc[:span]
        for r, (before, costs_r, row, ins) in enumerate(
            zip(view, table, buffer[top:, top:], rows_ins, strict=True)
        ):
            i = first + r
            if i:  # the least candidate, over the chunk's columns
                add(before, costs_r, cand)
                least(flat, 0, None, row)
            j0, j1 = lo_l[i] - c0, hi_l[i] + 1 - c0  # the row's band, in chunk columns
            if j0 or j1 < span:  # outside the band: ∞; the moves on the band only
                row[:j0] = _INF
                row[j1:] = _INF
                w = j1 - j0
                skip_moves(row[j0:j1], ins[j0:j1], offs[:w], sh[:w], ac[:w])
            else:
                skip_moves(row, ins, offs, sh, ac)
        # each cell's bead type: the highest rank among its cheapest candidates
        np.add(view, table, out=table)
        hit = table.reshape(size, slots, span) == buffer[top:, None, top:]
        best = np.maximum.reduce(hit * rank[None, :, None], axis=1)
        if c0 == 0 and span == m + 1 and int(off[stop] - off[first]) == size * span:
            codes[off[first] : off[stop]] = best.reshape(-1)  # whole rows
            inserted[off[first] : off[stop]] = rows_ins.reshape(-1)
        else:  # the band's cells, row after row
            cells = int(off[stop] - off[first])
            from_row = np.repeat(off[first:stop] - off[first], widths[first:stop])
            band = np.repeat(lo[first:stop] - c0 + np.arange(size) * span, widths[first:stop])
            band += np.arange(cells) - from_row
            codes[off[first] : off[stop]] = best.reshape(-1)[band]
            inserted[off[first] : off[stop]] = rows_ins.reshape(-1)[band]
        if stop == n + 1:
            last = float(buffer[top + size - 1, top + m - c0]) if lo_l[n] <= m <= hi_l[n] else _INF
        carried, carried_first = buffer[size:].copy(), c0
    if not math.isfinite(last):
        raise AlignerError("alignment band does not reach the end of both texts")
    beads: list[tuple[int, int, int, int]] = []
    starts = off.tolist()
    i, j = n, m
    while i > 0 or j > 0:
        cell = starts[i] + j - lo_l[i]
        if inserted[cell]:
            beads.append((i, 0, j - 1, 1))
            j -= 1
            continue
        pick = decode.get(int(codes[cell]))
        if pick is None:  # pragma: no cover - a finite cell always has a move
            raise AlignerError("alignment backtrace lost its path")
        a, b = pick
        beads.append((i - a, a, j - b, b))
        i, j = i - a, j - b
    beads.reverse()
    return beads


def _tabulate(
    model: _Model, lo: np.ndarray, hi: np.ndarray, off: np.ndarray, first: int, last: int
) -> tuple[np.ndarray, np.ndarray]:
    """Predecessor cell and cost of every bead type for the cells of rows [first, last).

    Both are (cells, types) arrays, cell-major so that a row's candidates are one block;
    a predecessor outside the band is the extra last cell (always infinite).
    """
    types = model.bead_types
    outside = int(off[-1])
    widths = (hi - lo + 1)[first:last]
    rows = np.repeat(np.arange(first, last), widths)
    cols = np.arange(len(rows)) - np.repeat(off[first:last] - off[first] - lo[first:last], widths)
    a = np.array([t[0] for t in types])
    b = np.array([t[1] for t in types])
    p = rows[:, None] - a  # predecessor cell (p, q), also the source window's start
    q = cols[:, None] - b
    ok = (p >= 0) & (q >= 0)
    pc = np.where(ok, p, 0)
    ok &= (q >= lo[pc]) & (q <= hi[pc])
    prev = np.where(ok, off[pc] + q - lo[pc], outside)
    step = np.full(ok.shape, model.skip)  # skips (b = 0) cost the same everywhere
    # beads, type by type and row by row (the order the reference took them in)
    kind, cell = np.nonzero((ok & (b > 0)).T)
    if len(cell):
        x, y = model.window_rows(a[kind], p[cell, kind], b[kind], q[cell, kind])
        step[cell, kind] = model.costs(x, y)
    return prev, step


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
    rowwise: bool = True,
) -> list[tuple[int, int, int, int]]:
    model = _Model(src, tgt, weights, ratio, _types(max_bead), semantic, rowwise=rowwise)
    if semantic:
        model.prepare_background()
    n, m = src.n, tgt.n
    model.calibrate_skip()
    if (n + 1) * (m + 1) <= FULL_DP_CELLS and band <= 0:
        if model.by_rows():  # costs a row at a time, the table a chunk at a time
            return _dp_full(model)
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
        rowwise,
    )
    width = max(band, factor) if band > 0 else 2 * factor + 4
    lo, hi = _band_from_coarse(coarse, factor, n, m, width)
    if model.by_rows(banded=True):
        return _dp_rows(model, lo, hi)
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
    counts_s, counts_t = anchor_keys(src_texts, tgt_texts)
    vocab: dict[str, int] = {}
    for keys in (*counts_s, *counts_t):
        for key in sorted(set(keys)) if len(keys) > 1 else keys:
            vocab.setdefault(key, len(vocab))
    lexical = get_embedder("lexical") if same_language and embedder.name != "none" else None
    # without an embedder across languages the DP has no similarity term
    semantic = same_language or embedder.name != "none"
    # a neural encoder's similarities are taken row by row as before (bit-identical
    # costs; small next to encoding); the 4096-dim n-gram vectors of embedder "none"
    # take one matrix product (from sentence counts when the grid is small)
    rowwise = embedder.name != "none"
    full = (len(src_texts) + 1) * (len(tgt_texts) + 1) <= FULL_DP_CELLS and band <= 0
    by_counts = semantic and not rowwise and full and isinstance(embedder, LexicalEmbedder)
    made: list[list[dict[int, np.ndarray] | None]] = [[None, None], [None, None]]
    for slot, enc in enumerate((embedder if semantic and not by_counts else None, lexical)):
        if enc is not None and enc.batch_invariant:
            for side, vectors in enumerate(enc.encode_windows([src_texts, tgt_texts], max_bead)):
                made[side][slot] = vectors
    src = build_side(
        src_texts,
        src_paragraphs,
        counts_s,
        vocab,
        embedder,
        lexical,
        max_bead,
        pooled_windows,
        semantic and not by_counts,
        (made[0][0], made[0][1]),
    )
    tgt = build_side(
        tgt_texts,
        tgt_paragraphs,
        counts_t,
        vocab,
        embedder,
        lexical,
        max_bead,
        pooled_windows,
        semantic and not by_counts,
        (made[1][0], made[1][1]),
    )
    if by_counts and isinstance(embedder, LexicalEmbedder):
        table = embedder.count_table(src_texts + tgt_texts)
        src.counts, tgt.counts = table.part(0, src.n), table.part(src.n, table.rows)
    if src.n == 0 or tgt.n == 0:
        beads = [(i, 1, tgt.n, 0) for i in range(src.n)] + [(src.n, 0, j, 1) for j in range(tgt.n)]
        return beads, src, tgt
    ratio = (
        estimate_ratio(src, tgt)
        if embedder.name != "none"
        else float((tgt.length[1].sum() + 1.0) / (src.length[1].sum() + 1.0))
    )
    return _solve(src, tgt, weights, ratio, max_bead, band, semantic, rowwise), src, tgt
