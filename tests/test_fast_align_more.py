"""The align step's second round of fast paths, pinned against the code they replace.

Each reference below is the previous implementation, kept verbatim (or as near as a test
allows): folding text by text before hashing, the products a slice of columns at a time,
window rows merged by a stable argsort, ``np.median``, chrF's per-order loops, the
per-window sums of :func:`_count_cosines` and :class:`_Windows`, and the random samples
of the skip cost. They run on the bundled corpora and on hypothesis-generated input.
"""

from __future__ import annotations

import math
import random
import unicodedata
from pathlib import Path

import numpy as np
import pytest
import sacrebleu
from conftest import CORPORA
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fast_align import ref_anchor_counts

from aligner.align import anchors as anchors_mod
from aligner.align import chrf as chrf_mod
from aligner.align import embed as embed_mod
from aligner.align import sentence as S
from aligner.align.anchors import anchor_counts
from aligner.align.embed import CountRows, LexicalEmbedder, _fold, _spaced_table, get_embedder

#: characters that fold, normalise, space or hash in every way the paths tell apart
_ALPHABET = (
    "aB zé\u0301\u0651شﻻﷺ١7ßİΣς\u1100\u1161ﬁ㎏\u00a0\u202f\u2009\u3000\u2003\t\n\x1c"
    "’–K\u212b\u0340\u0f73\uff21𝔸"
)
#: characters already NFKC whose case fold is one character (the joined fold's own case)
_NORMAL = "aB zشل\u0651١7ΣςÉ\u00a0\u202f\u2009\u3000\u2003\t\n\x1c’–"
_TEXTS = st.lists(
    st.text(alphabet=st.sampled_from(_ALPHABET) | st.sampled_from(_NORMAL), max_size=40),
    min_size=1,
    max_size=12,
)
_NORMAL_TEXTS = st.lists(st.text(alphabet=_NORMAL, max_size=40), min_size=1, max_size=12)


def _corpus_sentences() -> list[str]:
    """Lines of every bundled seed and original document (real Arabic and English)."""
    out: list[str] = []
    for path in sorted((CORPORA / "seeds").glob("*.txt")) + sorted(
        (CORPORA / "originals").glob("*.txt")
    ):
        out += [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line]
    return out


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    return _corpus_sentences()


# --- n-gram hashing: the joined text folded at once ------------------------------------------


def ref_folded_codes(texts: list[str], pad: int) -> tuple[np.ndarray, np.ndarray]:
    """The previous code: :func:`_fold` text by text, then the spaced code points."""
    folded = [_fold(text) for text in texts]
    lengths = np.fromiter(map(len, folded), dtype=np.int64, count=len(folded)) + 2
    joined = " " + "  ".join(folded) + " " * pad
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32)
    return _spaced_table()[np.minimum(cp, 0xFFFF)], lengths


def _check_folded(texts: list[str]) -> None:
    made = embed_mod._folded_codes(texts, 4)
    if made is None:  # left to the text-by-text fold: a reason must exist
        joined = " ".join(texts)
        assert any(unicodedata.normalize("NFKC", t) != t for t in texts) or any(
            ord(c) >= 0xD800 or len(c.casefold()) != 1 for c in joined
        )
        return
    chars, lengths = made
    expected, expected_lengths = ref_folded_codes(texts, 4)
    np.testing.assert_array_equal(chars, expected)
    np.testing.assert_array_equal(lengths, expected_lengths)


def test_folded_codes_on_corpora(sentences: list[str]) -> None:
    batches = [sentences[first : first + 40] for first in range(0, len(sentences), 40)]
    for batch in batches:
        _check_folded(batch)
    assert sum(embed_mod._folded_codes(b, 4) is not None for b in batches) > len(batches) // 2


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_folded_codes_on_generated_text(texts: list[str]) -> None:
    _check_folded(texts)


@settings(max_examples=300, deadline=None)
@given(_NORMAL_TEXTS)
def test_folded_codes_on_normalised_text(texts: list[str]) -> None:
    assert embed_mod._folded_codes(texts, 4) is not None
    _check_folded(texts)


@settings(max_examples=150, deadline=None)
@given(_TEXTS | _NORMAL_TEXTS)
def test_count_table_matches_count_rows_on_generated_text(texts: list[str]) -> None:
    embedder = LexicalEmbedder()
    table = embedder.count_table(texts)
    np.testing.assert_array_equal(table.dense(), embedder.count_rows(texts))


def test_count_table_on_corpora(sentences: list[str]) -> None:
    embedder = get_embedder("none")
    texts = sentences[:150]
    assert isinstance(embedder, LexicalEmbedder)
    np.testing.assert_array_equal(embedder.count_table(texts).dense(), embedder.count_rows(texts))


# --- sparse count rows: products and windows --------------------------------------------------


def _dense_counts(rng: np.random.Generator, rows: int, dim: int, big: bool) -> np.ndarray:
    top = 5000 if big else 4
    return rng.integers(0, top, (rows, dim)) * (rng.random((rows, dim)) < 0.3)


@settings(max_examples=120, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(0, 9),
    st.integers(0, 9),
    st.sampled_from([8, 64, 4096]),
    st.booleans(),
    st.integers(1, 3),
)
def test_products_in_slices_of_any_width_are_exact(
    seed: int, n: int, m: int, dim: int, big: bool, near: int
) -> None:
    """Slices of columns of any width give the exact integers of the dense products."""
    rng = np.random.default_rng(seed)
    a, b = _dense_counts(rng, n, dim, big), _dense_counts(rng, m, dim, big)

    def fresh() -> tuple[CountRows, CountRows]:
        return CountRows.of_dense(a.astype(np.float64)), CountRows.of_dense(b.astype(np.float64))

    for budget in (16, 1000, 1 << 16, 1 << 30):
        dots, near_a, near_b = fresh()[0].products(fresh()[1], near, budget)
        np.testing.assert_array_equal(dots, a @ b.T)
        for d in range(near):
            np.testing.assert_array_equal(near_a[d], (a[: max(n - d, 0)] * a[d:]).sum(1))
            np.testing.assert_array_equal(near_b[d], (b[: max(m - d, 0)] * b[d:]).sum(1))
        assert all(x.dtype == np.float64 for x in (dots, *near_a, *near_b))


def ref_windows(self: CountRows, starts: np.ndarray, sizes: np.ndarray) -> CountRows:
    """The previous :meth:`CountRows.windows`: every entry, one stable argsort."""
    bounds = self.bounds
    owner = np.repeat(np.arange(len(starts)), sizes)
    member = np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
    lens = bounds[member + 1] - bounds[member]
    take = np.repeat(bounds[member] - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
    keys = self.keys[take] + np.repeat((owner - member) * self.dim, lens)
    counts = self.counts[take]
    if not len(keys) or int(sizes.max()) == 1:
        return CountRows(keys, counts, len(starts), self.dim)
    order = np.argsort(keys, kind="stable")
    keys, counts = keys[order], counts[order]
    new = np.empty(len(keys), dtype=bool)
    new[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    firsts = np.flatnonzero(new)
    return CountRows(keys[firsts], np.add.reduceat(counts, firsts), len(starts), self.dim)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 40), st.integers(1, 80), st.booleans())
def test_windows_match_reference(seed: int, n: int, windows: int, big: bool) -> None:
    """Few windows of several rows (sorted one at a time) and many (sorted at once)."""
    rng = np.random.default_rng(seed)
    dense = _dense_counts(rng, n, 64, big)
    table = CountRows.of_dense(dense.astype(np.float64))
    starts = rng.integers(0, n, windows)
    sizes = np.minimum(rng.integers(1, 4, windows), n - starts)
    got = table.windows(starts, sizes)
    want = ref_windows(CountRows(table.keys, table.counts, table.rows, table.dim), starts, sizes)
    np.testing.assert_array_equal(got.keys, want.keys)
    np.testing.assert_array_equal(got.counts, want.counts)
    assert got.counts.dtype == want.counts.dtype and got.rows == want.rows
    expected = np.stack([dense[p : p + k].sum(0) for p, k in zip(starts, sizes, strict=True)])
    np.testing.assert_array_equal(got.dense(), expected)


def test_unit_values_of_empty_rows_are_those_of_the_dense_rows() -> None:
    embedder = LexicalEmbedder()
    texts = ["", "abc abd", "", "  ", "x"]
    table = embedder.count_table(texts)
    values = embed_mod.unit_values(table)
    assert values is not None
    dense = embed_mod.normalise_counts(table.dense()).reshape(-1)
    assert values.tobytes() == dense[table.keys].tobytes()


# --- the skip cost's median and samples -------------------------------------------------------

_FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(_FLOATS, st.sampled_from([0.0, -0.0, 1.0])), min_size=1, max_size=70))
def test_median_is_numpy_median(values: list[float]) -> None:
    array = np.array(values, dtype=np.float64)
    with np.errstate(all="ignore"):
        want = float(np.median(array))
    got = S._median(array)
    assert (math.isnan(got) and math.isnan(want)) or (
        got == want and math.copysign(1.0, got) == math.copysign(1.0, want)
    )


def test_skip_samples_every_sentence_of_small_documents() -> None:
    """Up to 64 × 256 sentences the random samples take every row and column."""
    for n, size in ((1, 64), (40, 64), (64, 64), (200, 256), (256, 256)):
        rng = np.random.default_rng(0)
        picked = np.sort(rng.choice(n, size=min(n, size), replace=False))
        np.testing.assert_array_equal(picked, np.arange(n))
    for n, m in ((30, 40), (64, 256), (64, 10)):  # the rows' draw moves the generator
        rng = np.random.default_rng(0)
        rng.choice(n, size=min(n, 64), replace=False)
        cols = np.sort(rng.choice(m, size=min(m, 256), replace=False))
        np.testing.assert_array_equal(cols, np.arange(m))


# --- chrF -----------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(_ALPHABET, max_size=30), st.text(_ALPHABET, max_size=30))))
def test_chrf_is_sacrebleu_on_generated_pairs(pairs: list[tuple[str, str]]) -> None:
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    got = chrf_mod.sentence_chrf_many(hyps, refs)
    assert got == [sacrebleu.sentence_chrf(h, [r]).score for h, r in pairs]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 2**62 - 1), max_size=50), st.integers(1, 62))
def test_bit_lengths(values: list[int], width: int) -> None:
    values = [v >> (62 - width) for v in values]
    got = chrf_mod._bit_lengths(np.array(values, dtype=np.int64), width)
    assert got.tolist() == [v.bit_length() for v in values]


def test_chrf_keys_past_53_bits_match_the_per_order_counts() -> None:
    """An alphabet of ~300 characters: 9 bits a character, 54 and more bits of n-grams."""
    rng = random.Random(21)
    alphabet = [chr(0x4E00 + k) for k in range(300)]
    hyps = ["".join(rng.choice(alphabet[:12]) for _ in range(rng.randint(0, 30))) for _ in range(9)]
    refs = ["".join(rng.choice(alphabet[:12]) for _ in range(rng.randint(0, 30))) for _ in range(9)]
    hyps[0] += "".join(alphabet)  # every character once
    chars, lengths = chrf_mod._strip_spaces([*hyps, *refs])
    got = chrf_mod._match_counts(chars, lengths, len(hyps), chrf_mod.CHAR_ORDER)
    want = chrf_mod._match_counts_by_order(chars, lengths, len(hyps), chrf_mod.CHAR_ORDER)
    np.testing.assert_array_equal(got, want)
    assert chrf_mod.sentence_chrf_many(hyps, refs) == [
        sacrebleu.sentence_chrf(h, [r]).score for h, r in zip(hyps, refs, strict=True)
    ]


# --- anchors --------------------------------------------------------------------------------

_ANCHOR_TEXT = st.text(alphabet="ab INTERPOL pnr 12,5.7 ١٢٣٬٤ الدولة ٫ ’ \n", max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ANCHOR_TEXT, max_size=8), st.lists(_ANCHOR_TEXT, max_size=8))
def test_anchor_counts_on_generated_sides(src: list[str], tgt: list[str]) -> None:
    """Sides with and without ASCII letters, numbers written every way."""
    assert anchor_counts(src, tgt) == ref_anchor_counts(src, tgt)


@pytest.mark.parametrize("few", [0, 10**6])
def test_per_text_finds_the_same_texts_either_way(
    few: int, sentences: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = sentences[:300]
    want = [anchors_mod._NUMBER_RE.findall(t) for t in texts]
    monkeypatch.setattr(anchors_mod, "_FEW_MATCHES", few)
    assert anchors_mod._per_text(texts, anchors_mod._NUMBER_RE) == want


# --- window features ------------------------------------------------------------------------


def ref_windows_of(side: S.Side, ends_only: bool) -> dict[str, object]:
    """The previous :meth:`_Windows.of`'s crossings and sizes."""
    sizes = sorted(side.length)
    crosses = []
    for k in sizes:
        first = np.arange(len(side.length[k]))
        cross = np.zeros(len(first), dtype=bool)
        for d in range(k - 1 if ends_only else 1, k):
            cross |= side.para[first + d] != side.para[first]
        crosses.append(cross)
    return {
        "size": np.concatenate([np.full(len(side.length[k]), k) for k in sizes]),
        "crosses": np.concatenate(crosses),
        "count": {k: len(side.length[k]) for k in sizes},
    }


def ref_count_cosines(cs: CountRows, ct: CountRows, sw: S._Windows, tw: S._Windows) -> np.ndarray:
    """The previous :func:`_count_cosines`: every window pair's sum in full."""
    top = max(max(sw.count), max(tw.count))
    dots, near_s, near_t = cs.products(ct, top)

    def norms2(near: list[np.ndarray], count: int, k: int) -> np.ndarray:
        out = np.zeros(count)
        for d in range(k):
            out += near[0][d : d + count]
            for e in range(1, k - d):
                out += 2.0 * near[e][d : d + count]
        return out

    out = np.zeros((len(sw.size), len(tw.size)), dtype=np.float32)
    for a, ra in sw.start.items():
        na = sw.count[a]
        if not na:
            continue
        ns = norms2(near_s, na, a)
        for b, rb in tw.start.items():
            mb = tw.count[b]
            if not mb:
                continue
            dot = np.zeros((na, mb))
            for d in range(a):
                for e in range(b):
                    dot += dots[d : d + na, e : e + mb]
            norm = np.sqrt(ns[:, None] * norms2(near_t, mb, b)[None, :])
            cos = np.divide(dot, norm, out=np.zeros_like(dot), where=norm > 0)
            out[ra : ra + na, rb : rb + mb] = cos
    return out


def _random_side_texts(rng: random.Random, sentences: list[str]) -> tuple[list[str], list[int]]:
    n = rng.randint(0, 14)
    first = rng.randrange(len(sentences) - n)
    texts = sentences[first : first + n]
    paras = sorted(rng.randint(0, 4) for _ in range(n))
    return texts, paras


@pytest.mark.parametrize("seed", range(12))
def test_window_features_and_count_cosines(seed: int, sentences: list[str]) -> None:
    rng = random.Random(seed)
    embedder = get_embedder("none")
    assert isinstance(embedder, LexicalEmbedder)
    sides = [_random_side_texts(rng, sentences) for _ in range(2)]
    max_bead = rng.choice([1, 2, 3])
    built = []
    for texts, paras in sides:
        empty: list[list[str]] = [[] for _ in texts]
        side = S.build_side(texts, paras, empty, {}, embedder, None, max_bead, embed=False)
        for k in range(1, max_bead + 1):  # lengths: whole numbers, summed as before
            np.testing.assert_array_equal(
                side.length[k], S._window_sums(np.array([len(t) for t in texts], float), k)
            )
        built.append(side)
    wins = []
    for side, ends_only in zip(built, (False, True), strict=True):
        made = S._Windows.of(side, ends_only)
        want = ref_windows_of(side, ends_only)
        np.testing.assert_array_equal(made.size, want["size"])
        assert made.size.dtype == want["size"].dtype  # type: ignore[attr-defined]
        np.testing.assert_array_equal(made.crosses, want["crosses"])
        assert made.count == want["count"]
        wins.append(made)
    if not sides[0][0] or not sides[1][0]:
        return
    table = embedder.count_table(sides[0][0] + sides[1][0])
    n = len(sides[0][0])

    def parts() -> tuple[CountRows, CountRows]:
        return table.part(0, n), table.part(n, table.rows)

    got = S._count_cosines(*parts(), wins[0], wins[1])
    want = ref_count_cosines(*parts(), wins[0], wins[1])
    assert got.tobytes() == want.tobytes()
