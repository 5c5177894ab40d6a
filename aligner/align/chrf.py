"""sacrebleu's sentence chrF for many (hypothesis, reference) pairs at once.

Same-language beads each get ``sacrebleu.sentence_chrf(hyp, [ref])`` (chrF2: character
n-grams of orders 1–6, whitespace removed, no word n-grams, effective-order averaging).
Calling sacrebleu once per bead builds six ``Counter`` objects per side in Python; here
the n-gram match counts of every bead are found together with a few sorts in numpy
(n-grams numbered order by order: an n-gram is its (n-1)-gram prefix's number and its
last character), and the score is sacrebleu's own formula on the same integer counts,
so the numbers are identical (tests/test_fast_align.py compares them with sacrebleu).
"""

from __future__ import annotations

import numpy as np

from aligner.align.embed import _is_space

#: sacrebleu's CHRF defaults, which ``sacrebleu.sentence_chrf`` uses
CHAR_ORDER = 6
BETA = 2


def _f_score(stats: list[tuple[int, int, int]], beta: int = BETA) -> float:
    """sacrebleu ``CHRF._compute_f_score`` without eps smoothing (same operations, same order)."""
    eps = 1e-16
    score = 0.0
    effective_order = 0
    factor = beta**2
    avg_prec, avg_rec = 0.0, 0.0
    for n_hyp, n_ref, n_match in stats:
        prec = n_match / n_hyp if n_hyp > 0 else eps
        rec = n_match / n_ref if n_ref > 0 else eps
        denom = factor * prec + rec
        score += ((1 + factor) * prec * rec / denom) if denom > 0 else eps
        if n_hyp > 0 and n_ref > 0:
            avg_prec += prec
            avg_rec += rec
            effective_order += 1
    if effective_order == 0:
        avg_prec = avg_rec = 0.0
    else:
        avg_prec /= effective_order
        avg_rec /= effective_order
    if avg_prec + avg_rec:
        score = (1 + factor) * avg_prec * avg_rec
        score /= (factor * avg_prec) + avg_rec
        return 100 * score
    return 0.0


def _dense_ids(chars: np.ndarray) -> tuple[np.ndarray, int]:
    """Characters numbered 0..size-1 in code point order (a table over their range)."""
    if len(chars) and int(chars.max()) - int(chars.min()) < 0x10000:
        low = int(chars.min())
        span = chars - np.uint32(low)
        present = np.zeros(int(span.max()) + 1, dtype=np.int32)
        present[span] = 1
        rank = np.cumsum(present, dtype=np.int32)
        return rank.take(span).astype(np.int64) - 1, int(rank[-1])
    alphabet, ids = np.unique(chars, return_inverse=True)
    return ids.reshape(-1), len(alphabet)


def _strip_spaces(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Code points of ``"".join(t.split())`` for each text, all texts one after another,
    and each one's length: whitespace (``str.isspace``, what ``split`` splits on) found
    by one table look-up."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    chars = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    keep = ~_is_space(chars)
    kept = np.zeros(len(chars) + 1, dtype=np.int64)
    np.cumsum(keep, out=kept[1:])
    ends = np.cumsum(lengths)
    return chars[keep], kept[ends] - kept[ends - lengths]


def match_counts(hyps: list[str], refs: list[str], order: int = CHAR_ORDER) -> np.ndarray:
    """(pairs, order) array: Σ over n-grams of min(hyp count, ref count), whitespace removed.

    Every position is keyed by (pair, its next ``order`` characters, side) packed in one
    integer, characters numbered from 2 and padded past the end of the text with 0 in
    a hypothesis, 1 in a reference. One sort puts equal n-grams of every order next to
    each other (equal n-gram = equal key prefix); a run holding a pad is all hypothesis
    or all reference, so it matches nothing, as sacrebleu has no such n-gram.
    """
    chars, lengths = _strip_spaces([*hyps, *refs])
    return _match_counts(chars, lengths, len(hyps), order)


def _bit_lengths(values: np.ndarray, width: int) -> np.ndarray:
    """``int.bit_length`` of each of ``values`` (int64, 0 <= v < 2**width, width < 63):
    the binary exponent of the value as a float64, which holds it exactly below 2**53
    (above, of its high and low 32 bits apart)."""
    if width <= 53:
        return np.frexp(values.astype(np.float64))[1]
    high = np.frexp((values >> 32).astype(np.float64))[1]
    low = np.frexp((values & 0xFFFFFFFF).astype(np.float64))[1]
    return np.where(high > 0, high + 32, low)


def _match_counts(chars: np.ndarray, lengths: np.ndarray, pairs: int, order: int) -> np.ndarray:
    """:func:`match_counts` of whitespace-free texts (code points, one text after another,
    and their lengths): hypotheses, then references."""
    out = np.zeros((pairs, order), dtype=np.int64)
    total = int(lengths.sum())
    if total == 0:
        return out
    ids, size = _dense_ids(chars)
    bits = (size + 1).bit_length()  # ids 2..size+1
    pair_bits = max(pairs - 1, 1).bit_length()
    if order * bits + pair_bits + 1 > 62:
        return _match_counts_by_order(chars, lengths, pairs, order)
    texts = np.arange(len(lengths))
    side_of = (texts >= pairs).astype(np.int64)  # 1 = reference
    # each text's ids followed by ``order`` pads of its side, so that the characters
    # from every position on are one slice: the keys of every padded position at once
    padded_lengths = lengths + order
    padded = np.repeat(side_of, padded_lengths)
    at = np.arange(total) + np.repeat(texts * order, lengths)  # a character's place there
    padded[at] = ids + 2
    starts = len(padded) - order + 1
    grams = padded[:starts].copy()
    for t in range(1, order):
        grams <<= bits
        grams |= padded[t : t + starts]
    side = np.repeat(side_of, lengths)
    key = grams.take(at) | (np.repeat(texts % pairs, lengths) << (order * bits))
    key = (key << 1) | side
    key.sort()
    refs_before = np.zeros(total + 1, dtype=np.int64)  # references among the first k
    np.cumsum(key & 1, out=refs_before[1:])
    # how many leading characters each key shares with the one before (-1: another
    # pair, and past the end), from the highest bit where they differ
    level = np.empty(total + 1, dtype=np.int8)
    level[0] = level[total] = -1
    differ = _bit_lengths((key[1:] ^ key[:-1]) >> 1, order * bits + pair_bits)
    np.maximum(order - (differ + (bits - 1)) // bits, -1, out=differ)
    level[1:total] = differ
    pair_first = np.searchsorted(key, np.arange(pairs + 1) << (order * bits + 1))
    for n in range(1, order + 1):
        # runs of equal n-grams (and pair): from one position sharing fewer than n
        # characters with the one before to the next
        bounds = np.flatnonzero(level < n)
        lens = np.diff(bounds)
        refs = np.diff(refs_before.take(bounds))
        common = np.minimum(lens - refs, refs)  # min(hypothesis, reference) count
        per_run = np.zeros(len(common) + 1, dtype=np.int64)
        np.cumsum(common, out=per_run[1:])
        out[:, n - 1] = np.diff(per_run.take(np.searchsorted(bounds, pair_first)))
    return out


def _match_counts_by_order(
    chars: np.ndarray, lengths: np.ndarray, pairs: int, order: int
) -> np.ndarray:
    """:func:`match_counts` for huge alphabets or batches: one sort per order, n-grams
    numbered from their (n-1)-gram's number and their last character."""
    out = np.zeros((pairs, order), dtype=np.int64)
    total = int(lengths.sum())
    alphabet, ids = np.unique(chars, return_inverse=True)
    ids = ids.reshape(-1)
    size = len(alphabet)
    text_of = np.repeat(np.arange(len(lengths)), lengths)
    end_of = np.repeat(np.cumsum(lengths), lengths)  # one past the text's last character
    pair_of = text_of % pairs
    is_ref = text_of >= pairs
    pos = np.arange(total)
    rank = np.zeros(0, dtype=np.int64)
    key = pair_of * size + ids  # order 1: (pair, character)
    for n in range(1, order + 1):
        if n > 1:
            keep = pos + (n - 1) < end_of[pos]
            pos, rank = pos[keep], rank[keep]
            if not len(pos):
                break
            key = rank * size + ids[pos + (n - 1)]  # ((pair, (n-1)-gram) number, character)
        uniq, rank = np.unique(key, return_inverse=True)
        rank = rank.reshape(-1)
        ref_side = is_ref[pos]
        in_hyp = np.bincount(rank[~ref_side], minlength=len(uniq))
        in_ref = np.bincount(rank[ref_side], minlength=len(uniq))
        pair_of_gram = np.empty(len(uniq), dtype=np.int64)
        pair_of_gram[rank] = pair_of[pos]
        common = np.minimum(in_hyp, in_ref)
        out[:, n - 1] = np.bincount(pair_of_gram, weights=common, minlength=pairs).astype(np.int64)
    return out


def sentence_chrf_many(hyps: list[str], refs: list[str]) -> list[float]:
    """``sacrebleu.sentence_chrf(h, [r]).score`` for each pair (chrF2, 0..100).

    :func:`_f_score` for all pairs at once: the same float operations, order by order,
    elementwise (``+ - * /`` round the same in numpy as in Python).
    """
    if len(hyps) != len(refs):
        raise ValueError("need as many references as hypotheses")
    if not hyps:
        return []
    chars, lengths = _strip_spaces([*hyps, *refs])
    match = _match_counts(chars, lengths, len(hyps), CHAR_ORDER).astype(np.float64)
    lh, lr = lengths[: len(hyps)], lengths[len(hyps) :]
    # every order at once (pairs × orders); the sums over orders are running sums, order
    # after order as there (``cumsum`` adds left to right; adding 0.0 where an order
    # does not count changes no sum of non-negative terms)
    n = np.arange(1, CHAR_ORDER + 1)
    n_ref = np.maximum(lr[:, None] - n + 1, 0)
    # sacrebleu counts no hypothesis n-grams when the reference has none
    n_hyp = np.where(n_ref > 0, np.maximum(lh[:, None] - n + 1, 0), 0)
    both = (n_hyp > 0) & (n_ref > 0)
    avg_prec = np.cumsum(np.where(both, match / np.maximum(n_hyp, 1), 0.0), axis=1)[:, -1]
    avg_rec = np.cumsum(np.where(both, match / np.maximum(n_ref, 1), 0.0), axis=1)[:, -1]
    effective = np.count_nonzero(both, axis=1)
    some = effective > 0
    avg_prec = np.where(some, avg_prec / np.maximum(effective, 1), 0.0)
    avg_rec = np.where(some, avg_rec / np.maximum(effective, 1), 0.0)
    factor = BETA**2
    score = (1 + factor) * avg_prec * avg_rec
    denom = (factor * avg_prec) + avg_rec
    nonzero = (avg_prec + avg_rec) != 0
    score = np.divide(score, denom, out=np.zeros_like(score), where=nonzero)
    return np.where(nonzero, 100 * score, 0.0).tolist()
