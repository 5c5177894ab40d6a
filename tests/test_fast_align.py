"""The align step's fast paths, pinned against the plain implementations they replace.

Each reference below is the previous code, kept verbatim (or as near as a test allows):
the per-row DP with one ``_Model.cost`` call per row and bead type, the per-character
script count, sacrebleu's chrF per bead, the per-n-gram hashing embedder, Counters of
anchors. They run on the bundled corpora (the manifest pairs) and on random inputs.
"""

from __future__ import annotations

import copy
import math
import random
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import regex
import sacrebleu
from conftest import CORPORA, ROME_AR, ROME_EN

from aligner.align import _similarities, align_sentences
from aligner.align import anchors as anchors_mod
from aligner.align import sentence as S
from aligner.align.anchors import _letter_counts, anchor_counts, anchor_keys, latin_tokens
from aligner.align.chrf import _strip_spaces, match_counts, sentence_chrf_many
from aligner.align.embed import (
    CountRows,
    Embedder,
    LexicalEmbedder,
    _fold,
    _normalise,
    get_embedder,
    unit_pair_dots,
)
from aligner.memo import clear_all
from aligner.model import AlignerError, Bitext, Document, Segment
from aligner.pipeline import Settings

_INF = math.inf

# --- references: the previous implementations --------------------------------------------


def ref_is_non_latin(texts: list[str]) -> bool:
    other = latin = 0
    for text in texts:
        for ch in text:
            if not ch.isalpha():
                continue
            if any(lo <= ch <= hi for lo, hi in anchors_mod._NON_LATIN_RANGES):
                other += 1
            elif ch.isascii():
                latin += 1
    return other > latin


def ref_anchor_counts(src: list[str], tgt: list[str]) -> tuple[list[Counter], list[Counter]]:
    src_non_latin, tgt_non_latin = ref_is_non_latin(src), ref_is_non_latin(tgt)
    vocab: set[str] = set()
    for texts, non_latin in ((src, src_non_latin), (tgt, tgt_non_latin)):
        if non_latin:
            for t in texts:
                vocab.update(latin_tokens(t))

    def side(texts: list[str]) -> list[Counter]:
        out = []
        for t in texts:
            c = Counter(f"n:{anchors_mod.significant_digits(v)}" for v in anchors_mod.numbers(t))
            if vocab:
                c.update(f"l:{w}" for w in latin_tokens(t) if w in vocab)
            out.append(c)
        return out

    return side(src), side(tgt)


class RefModel:
    """The previous ``_Model``: one ``cost`` call per source window and bead type."""

    def __init__(self, src: S.Side, tgt: S.Side, weights: S.Weights, ratio: float,
                 semantic: bool, max_bead: int = 2) -> None:  # fmt: skip
        self.src, self.tgt, self.weights, self.ratio = src, tgt, weights, ratio
        self.bead_types = S._types(max_bead)
        self.semantic = semantic
        self.skip = 1.0

    def cost(self, a: int, b: int, p: int, q: np.ndarray) -> np.ndarray:
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


def ref_dp(model: RefModel, lo: np.ndarray, hi: np.ndarray,
           steps: dict | None = None) -> list[tuple[int, int, int, int]]:  # fmt: skip
    """The previous banded DP, row by row (``steps`` collects each row's bead costs)."""
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
            if steps is not None and b:
                steps[i, code] = (js[ok], step)
            cand[ok] = prev[q[ok]] + step
            better = cand < best
            best[better] = cand[better]
            move[better] = code
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
    beads = []
    i, j = n, m
    while i > 0 or j > 0:
        code = int(moves[i][j - lo[i]])
        if code == insert_code:
            beads.append((i, 0, j - 1, 1))
            j -= 1
        else:
            a, b = types[code]
            beads.append((i - a, a, j - b, b))
            i, j = i - a, j - b
    beads.reverse()
    return beads


def ref_solve(src: S.Side, tgt: S.Side, ratio: float, max_bead: int, band: int,
              semantic: bool) -> list[tuple[int, int, int, int]]:  # fmt: skip
    """The previous ``_solve`` (coarse-to-fine around the reference DP)."""
    model = RefModel(src, tgt, S.Weights(), ratio, semantic, max_bead)
    if semantic:
        S._prepare_background(src, tgt)
    model.calibrate_skip()
    n, m = src.n, tgt.n
    if (n + 1) * (m + 1) <= S.FULL_DP_CELLS and band <= 0:
        return ref_dp(model, np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64))
    factor = max(2, math.ceil(math.sqrt((n + 1) * (m + 1) / (S.FULL_DP_CELLS / 4))))
    coarse = ref_solve(
        S.coarsen(src, factor, max_bead), S.coarsen(tgt, factor, max_bead), ratio, max_bead,
        0, semantic,
    )  # fmt: skip
    width = max(band, factor) if band > 0 else 2 * factor + 4
    lo, hi = S._band_from_coarse(coarse, factor, n, m, width)
    return ref_dp(model, lo, hi)


# --- inputs ------------------------------------------------------------------------------


class FakeEncoder(Embedder):
    """A deterministic stand-in for a neural encoder (not "none": similarities row by row)."""

    name = "fake"

    def __init__(self, dim: int = 48) -> None:
        self.lexical = LexicalEmbedder(dim=512)
        self.proj = np.random.default_rng(7).standard_normal((512, dim)).astype(np.float32)

    def encode(self, texts: list[str]) -> np.ndarray:
        out = self.lexical.encode(texts) @ self.proj
        return _normalise(out.reshape(len(texts), -1))


def sides(src: list[str], tgt: list[str], src_par: list[int], tgt_par: list[int],
          embedder: Embedder, same: bool, max_bead: int = 2) -> tuple[Any, ...]:  # fmt: skip
    """Both sides' features, ratio and mode, prepared as ``align_texts`` does."""
    keys_s, keys_t = anchor_keys(src, tgt)
    vocab: dict[str, int] = {}
    for keys in (*keys_s, *keys_t):
        for key in sorted(set(keys)):
            vocab.setdefault(key, len(vocab))
    lexical = get_embedder("lexical") if same and embedder.name != "none" else None
    semantic = same or embedder.name != "none"
    s = S.build_side(src, src_par, keys_s, vocab, embedder, lexical, max_bead, True, semantic)
    t = S.build_side(tgt, tgt_par, keys_t, vocab, embedder, lexical, max_bead, True, semantic)
    if embedder.name != "none":
        ratio = S.estimate_ratio(s, t)
    else:
        ratio = float((t.length[1].sum() + 1.0) / (s.length[1].sum() + 1.0))
    return s, t, ratio, semantic, embedder.name != "none"


_EN = ("the minister said that roads were open and the plan of INTERPOL and EUAM was "
       "agreed with PNR data for 2019 and 7.7 million people on 25 June").split()  # fmt: skip
_AR = ("قال الوزير إن الطرق مفتوحة وخطة الانتربول وبعثة الاتحاد وافقت على بيانات "
       "لعام ٢٠١٩ و٧٫٧ مليون شخص في ٢٥ يونيو INTERPOL PNR").split()  # fmt: skip


def random_doc(rng: random.Random, n: int, words: list[str]) -> tuple[list[str], list[int]]:
    texts, paras, para = [], [], 0
    for _ in range(n):
        texts.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 14))))
        paras.append(para)
        para += rng.random() < 0.3
    return texts, paras


def translate(rng: random.Random, src: list[str], paras: list[int]) -> tuple[list[str], list[int]]:
    """A noisy "translation": sentences mapped word for word, merged, split and dropped."""
    table = dict(zip(_EN, _AR, strict=False))
    out, out_par = [], []
    for text, para in zip(src, paras, strict=True):
        r = rng.random()
        words = [table.get(w, w) for w in text.split()]
        if r < 0.08:
            continue  # dropped
        if r < 0.16 and out:
            out[-1] += " " + " ".join(words)  # merged into the previous one
            continue
        if r < 0.24 and len(words) > 2:
            out += [" ".join(words[:2]), " ".join(words[2:])]
            out_par += [para, para]
            continue
        out.append(" ".join(words))
        out_par.append(para)
        if rng.random() < 0.05:
            out.append(" ".join(rng.choice(_AR) for _ in range(5)))  # added
            out_par.append(para)
    return out, out_par


@pytest.fixture(scope="module")
def manifest() -> list[tuple[str, Bitext]]:
    from aligner.batch import load_entry, load_manifest
    from aligner.pipeline import run

    out = []
    for entry in load_manifest(CORPORA / "manifest.json"):
        bitext = load_entry(entry)
        out.append((entry["id"], run(bitext, Settings(embedder="none"), steps=("segment",))))
    return out


def _texts(bitext: Bitext) -> tuple[list[str], list[str], list[int], list[int]]:
    s, t = bitext.source.segments, bitext.target.segments
    return (
        [x.text for x in s],
        [x.text for x in t],
        [x.paragraph for x in s],
        [x.paragraph for x in t],
    )


# --- the DP ------------------------------------------------------------------------------


def _compare_dp(src_s: S.Side, tgt_s: S.Side, ratio: float, semantic: bool, rowwise: bool,
                lo: np.ndarray | None = None, hi: np.ndarray | None = None) -> None:  # fmt: skip
    """New model and DP against the reference on the same sides: skip, costs, beads."""
    ref_src, ref_tgt = copy.deepcopy(src_s), copy.deepcopy(tgt_s)
    n, m = src_s.n, tgt_s.n
    if lo is None or hi is None:
        lo, hi = np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    model = S._Model(src_s, tgt_s, S.Weights(), ratio, S._types(2), semantic, rowwise=rowwise)
    if semantic:
        model.prepare_background()
    model.calibrate_skip()
    ref = RefModel(ref_src, ref_tgt, S.Weights(), ratio, semantic)
    if semantic:
        S._prepare_background(ref_src, ref_tgt)
    ref.calibrate_skip()
    exact = rowwise or not semantic
    if exact:
        assert model.skip == ref.skip
        for k in src_s.bg:
            np.testing.assert_array_equal(src_s.bg[k], ref_src.bg[k])
    else:
        assert model.skip == pytest.approx(ref.skip, rel=1e-6)
        ref.skip = model.skip  # compare the DPs under one skip cost
    steps: dict = {}
    expected = ref_dp(ref, lo, hi, steps)
    widths = hi - lo + 1
    off = np.zeros(n + 2, dtype=np.int64)
    off[1:] = np.cumsum(widths)
    _, table = S._tabulate(model, lo, hi, off, 0, n + 1)
    for (i, code), (js, cost) in steps.items():
        got = table[off[i] + js - lo[i], code]
        if exact:
            np.testing.assert_array_equal(got, cost)
        else:  # float32 sums in another order (x1000 where the background is floored)
            np.testing.assert_allclose(got, cost, rtol=1e-4, atol=1e-3)
    beads = S._dp(model, lo, hi)
    if exact:
        assert beads == expected
    else:  # an optimal path under the reference's costs; a tie may fall the other way
        assert path_cost(ref, beads) == pytest.approx(path_cost(ref, expected), abs=1e-3)
    banded = bool((lo > 0).any() or (hi < m).any())
    if model.by_rows(banded):  # the row-block path: the same costs and beads, bit for bit
        _compare_cost_rows(model)
        rows = S._dp_rows(model, lo, hi)
        assert rows == beads
        if exact:
            assert rows == expected


def _compare_cost_rows(model: S._Model) -> None:
    """``cost_rows`` (whole rows, row subsets, column subsets) against ``costs`` of the
    same windows gathered one cell at a time: equal bit for bit."""
    sw, tw = model._stack("s_win"), model._stack("t_win")
    xs, ys = np.arange(len(sw.size)), np.arange(len(tw.size))
    x, y = np.repeat(xs, len(ys)), np.tile(ys, len(xs))
    gathered = model.costs(x, y).reshape(len(xs), len(ys))
    assert model.cost_rows(xs).tobytes() == gathered.tobytes()
    rng = np.random.default_rng(len(xs) * 31 + len(ys))
    for _ in range(3):
        rows = np.sort(rng.choice(len(xs), size=min(len(xs), 5), replace=False))
        cols = np.sort(rng.choice(len(ys), size=min(len(ys), 7), replace=False))
        got = model.cost_rows(rows, cols)
        assert got.tobytes() == np.ascontiguousarray(gathered[rows][:, cols]).tobytes()


def path_cost(model: RefModel, beads: list[tuple[int, int, int, int]]) -> float:
    """Total cost of a bead sequence under the reference model."""
    total = 0.0
    for i, a, j, b in beads:
        total += model.skip if not (a and b) else float(model.cost(a, b, i, np.array([j]))[0])
    return total


def test_dp_matches_reference_on_manifest_pairs(manifest: list[tuple[str, Bitext]]) -> None:
    """Embedder "none": exact costs and identical beads on every bundled pair."""
    none = get_embedder("none")
    for _, bitext in manifest:
        src, tgt, sp, tp = _texts(bitext)
        s, t, ratio, semantic, rowwise = sides(src, tgt, sp, tp, none, bitext.same_language)
        _compare_dp(s, t, ratio, semantic, rowwise)


def test_dp_matches_reference_rowwise_encoder(manifest: list[tuple[str, Bitext]]) -> None:
    """A neural-style encoder: similarities row by row, bit for bit the reference's."""
    fake = FakeEncoder()
    for _, bitext in manifest[:3] + manifest[4:]:
        src, tgt, sp, tp = _texts(bitext)
        _compare_dp(*sides(src, tgt, sp, tp, fake, bitext.same_language))


@pytest.mark.parametrize("seed", range(12))
def test_dp_matches_reference_on_random_documents(seed: int, monkeypatch: Any) -> None:
    rng = random.Random(seed)
    src, sp = random_doc(rng, rng.randint(1, 45), _EN)
    tgt, tp = translate(rng, src, sp)
    if not tgt:
        tgt, tp = ["x"], [0]
    if seed % 3 == 0:  # small blocks and chunks: the products and tables in pieces
        monkeypatch.setattr(S, "_BLOCK_CELLS", 37)
        monkeypatch.setattr(S, "_CHUNK_CELLS", 50)
    n, m = len(src), len(tgt)
    lo = hi = None
    if seed % 2:  # a band around the diagonal
        diag = np.round(np.arange(n + 1) * m / max(n, 1)).astype(np.int64)
        width = rng.randint(2, 6)
        lo = np.maximum.accumulate(np.clip(diag - width, 0, m))
        hi = np.maximum(np.maximum.accumulate(np.clip(diag + width, 0, m)), lo)
        lo[0], hi[n] = 0, m
    embedder: Embedder = FakeEncoder() if seed % 4 == 1 else get_embedder("none")
    same = seed % 4 == 2
    s, t, ratio, semantic, rowwise = sides(src, tgt, sp, tp, embedder, same)
    _compare_dp(s, t, ratio, semantic, rowwise, lo, hi)


@pytest.mark.parametrize("same", [False, True])
def test_dp_ties_fall_as_in_the_reference(same: bool) -> None:
    """Repeated sentences make many bead types and paths cost exactly the same: the
    first type in order must win a tie, as the reference's strict ``<`` decided."""
    for src, tgt in (
        (["a b c"] * 7, ["a b c"] * 9),
        (["x"] * 5 + ["y y"] * 4, ["x"] * 6 + ["y y"] * 3),
        (["2019 a"] * 6, ["2019 b", "c"] * 4),
    ):
        for embedder in (get_embedder("none"), FakeEncoder()):
            prepared = sides(src, tgt, [0] * len(src), [0] * len(tgt), embedder, same)
            _compare_dp(*prepared)


def test_coarse_to_fine_matches_reference(monkeypatch: Any) -> None:
    """A grid too large for the full DP: coarse blocks, band, DP, all as before."""
    monkeypatch.setattr(S, "FULL_DP_CELLS", 400)
    en = ROME_EN.read_text(encoding="utf-8").split("\n")
    ar = ROME_AR.read_text(encoding="utf-8").split("\n")
    en = [x for x in en if x.strip()] * 3
    ar = [x for x in ar if x.strip()] * 3
    for embedder in (get_embedder("none"), FakeEncoder()):
        s, t, ratio, semantic, rowwise = sides(
            en, ar, list(range(len(en))), list(range(len(ar))), embedder, False
        )
        ref_s, ref_t = copy.deepcopy(s), copy.deepcopy(t)
        got = S._solve(s, t, S.Weights(), ratio, 2, 0, semantic, rowwise)
        assert got == ref_solve(ref_s, ref_t, ratio, 2, 0, semantic)


def test_anchor_matches_are_min_sums() -> None:
    rng = np.random.default_rng(3)
    a = rng.integers(0, 4, (9, 6)).astype(np.float32) * (rng.random((9, 6)) < 0.4)
    b = rng.integers(0, 4, (7, 6)).astype(np.float32) * (rng.random((7, 6)) < 0.4)
    brute = np.minimum(a[:, None, :], b[None, :, :]).sum(-1)
    np.testing.assert_array_equal(S._anchor_matches(a, b), brute)
    np.testing.assert_array_equal(S._anchor_matches(a[:0], b), brute[:0])


def _rome(k: int) -> tuple[list[str], list[str]]:
    en = [x for x in ROME_EN.read_text(encoding="utf-8").split("\n") if x.strip()]
    ar = [x for x in ROME_AR.read_text(encoding="utf-8").split("\n") if x.strip()]
    return en * k, ar * k


@pytest.mark.parametrize("k", [1, 2, 4])
def test_full_grid_rows_match_reference_on_repeated_rome(k: int) -> None:
    """The Rome pair repeated (many exactly equal costs, so many ties): the row-block DP
    against the gathering DP and the per-row reference, beads and costs bit for bit."""
    en, ar = _rome(k)
    par_en, par_ar = [p // 3 for p in range(len(en))], [p // 3 for p in range(len(ar))]
    for embedder in (get_embedder("none"), FakeEncoder()):
        _compare_dp(*sides(en, ar, par_en, par_ar, embedder, False))
    _compare_dp(*sides(en, en[::-1], par_en, par_en, get_embedder("none"), True))


@pytest.mark.parametrize("seed", range(16))
def test_dp_rows_bands_and_chunks_match(seed: int, monkeypatch: Any) -> None:
    """Random documents, random bands, tables cut into chunks of a few rows: the row-block
    DP gives the gathering DP's beads (or its error when the band misses the end)."""
    rng = random.Random(100 + seed)
    src, sp = random_doc(rng, rng.randint(1, 60), _EN)
    tgt, tp = translate(rng, src, sp)
    if not tgt:
        tgt, tp = ["x"], [0]
    same = seed % 3 == 0
    s, t, ratio, semantic, rowwise = sides(src, tgt, sp, tp, get_embedder("none"), same)
    model = S._Model(s, t, S.Weights(), ratio, S._types(2), semantic, rowwise=rowwise)
    if semantic:
        model.prepare_background()
    model.calibrate_skip()
    n, m = len(src), len(tgt)
    monkeypatch.setattr(S, "_TABLE_BYTES", 48 * rng.choice([1, 7, 40, 400, 10**6]))
    for _ in range(4):
        diag = np.round(np.arange(n + 1) * m / max(n, 1)).astype(np.int64)
        diag += rng.randint(-2, 2)
        width = rng.randint(0, 6)
        lo = np.maximum.accumulate(np.clip(diag - width, 0, m))
        hi = np.maximum(np.maximum.accumulate(np.clip(diag + width, 0, m)), lo)
        lo[0] = 0
        if rng.random() < 0.8:
            hi[n] = m
        try:
            expected: Any = S._dp(model, lo, hi)
        except AlignerError as exc:
            expected = str(exc)
        try:
            got: Any = S._dp_rows(model, lo, hi)
        except AlignerError as exc:
            got = str(exc)
        assert got == expected
    full = (np.zeros(n + 1, np.int64), np.full(n + 1, m, np.int64))
    assert S._dp_full(model) == S._dp(model, *full)


def test_solve_uses_row_blocks_and_matches_reference(monkeypatch: Any) -> None:
    """Whole grid and coarse-to-fine band (embedder "none"): ``_solve`` against the
    reference's, and the row-block DP is the one that ran."""
    ran: list[str] = []
    rows_dp, gather_dp = S._dp_rows, S._dp
    monkeypatch.setattr(S, "_dp_rows", lambda *a: ran.append("rows") or rows_dp(*a))
    monkeypatch.setattr(S, "_dp", lambda *a: ran.append("gather") or gather_dp(*a))
    en, ar = _rome(2)
    par_en, par_ar = list(range(len(en))), list(range(len(ar)))
    for cells in (S.FULL_DP_CELLS, 600):
        monkeypatch.setattr(S, "FULL_DP_CELLS", cells)
        s, t, ratio, semantic, rowwise = sides(en, ar, par_en, par_ar, get_embedder("none"), False)
        ref_s, ref_t = copy.deepcopy(s), copy.deepcopy(t)
        ran.clear()
        got = S._solve(s, t, S.Weights(), ratio, 2, 0, semantic, rowwise)
        assert got == ref_solve(ref_s, ref_t, ratio, 2, 0, semantic)
        assert ran and set(ran) == {"rows"}


# --- sparse n-gram counts ----------------------------------------------------------------


def test_count_table_matches_count_rows(monkeypatch: Any) -> None:
    rng = random.Random(11)
    embedder = LexicalEmbedder()
    texts = ["".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 60))) for _ in range(300)]
    for chars in (10**6, 50, 1):  # one batch, a few texts a batch, one text a batch
        monkeypatch.setattr(LexicalEmbedder, "TABLE_CHARS", chars)
        table = embedder.count_table(texts)
        np.testing.assert_array_equal(table.dense(), embedder.count_rows(texts))
        assert (np.diff(table.keys) > 0).all() and (table.counts > 0).all()
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate: as count_rows, text by text
        embedder.count_table(["ok", "a\ud800b"])


def test_count_rows_products_are_exact() -> None:
    """Dot products across, and with the next rows on each side, against dense integer
    products (float64 past float32's exact range), for slices of columns of any width."""
    rng = np.random.default_rng(12)
    for trial in range(30):
        dim = int(rng.choice([8, 64, 4096]))
        n, m = int(rng.integers(0, 9)), int(rng.integers(0, 9))
        big = trial % 5 == 0  # counts whose squares pass 2**24
        top = 5000 if big else 4
        a = rng.integers(0, top, (n, dim)) * (rng.random((n, dim)) < 0.3)
        b = rng.integers(0, top, (m, dim)) * (rng.random((m, dim)) < 0.3)
        ta, tb = CountRows.of_dense(a.astype(np.float64)), CountRows.of_dense(b.astype(np.float64))
        for budget in (16, 1000, 1 << 16):
            dots, near_a, near_b = ta.products(tb, 3, budget)
            np.testing.assert_array_equal(dots, a @ b.T)
            for d in range(3):
                np.testing.assert_array_equal(near_a[d], (a[: max(n - d, 0)] * a[d:]).sum(1))
                np.testing.assert_array_equal(near_b[d], (b[: max(m - d, 0)] * b[d:]).sum(1))
        starts = rng.integers(0, max(n, 1), 6) if n else np.zeros(0, np.int64)
        sizes = np.minimum(rng.integers(1, 3, len(starts)), n - starts) if n else starts
        if n:
            window = ta.windows(starts, sizes).dense()
            expected = np.stack([a[p : p + k].sum(0) for p, k in zip(starts, sizes, strict=True)])
            np.testing.assert_array_equal(window, expected)


def test_pair_dots_are_dense_dots(monkeypatch: Any) -> None:
    """``pair_dots`` and ``unit_pair_dots``: ``np.dot`` of the encoded (unit float32) rows,
    bit for bit, in batches and blocks of any size."""
    rng = random.Random(13)
    embedder = LexicalEmbedder()
    left = ["".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 80))) for _ in range(70)]
    right = ["".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 80))) for _ in range(70)]
    left[3] = "x " * 3000  # a row whose sum of squares passes 2**24: the dense rows
    vl, vr = embedder.encode(left), embedder.encode(right)
    expected = np.array([np.dot(u, v) for u, v in zip(vl, vr, strict=True)], dtype=np.float32)
    for chars in (10**6, 300, 1):
        monkeypatch.setattr(LexicalEmbedder, "TABLE_CHARS", chars)
        assert embedder.pair_dots(left, right).tobytes() == expected.tobytes()
    table = embedder.count_table(left[4:] + right[4:])
    half = table.rows // 2
    for rows in (1, 3, 6):
        got = unit_pair_dots(table.part(0, half), table.part(half, table.rows), rows)
        assert got is not None and got.tobytes() == expected[4:].tobytes()
    assert embedder.pair_dots([], []).shape == (0,)


def test_bead_cosines_match_bead_vectors(manifest: list[tuple[str, Bitext]]) -> None:
    """Scores from sparse counts (same language) and from ``pair_dots`` (across) equal
    ``np.dot`` of :func:`bead_vectors`, and of the window texts encoded whole."""
    none = get_embedder("none")
    for _, bitext in manifest:
        src, tgt, sp, tp = _texts(bitext)
        beads, s, t = S.align_texts(src, tgt, sp, tp, none, bitext.same_language)
        full = [b for b in beads if b[1] and b[3]]
        vs, vt = S.bead_vectors(s, t, full)
        expected = [float(np.dot(u, v)) for u, v in zip(vs, vt, strict=True)]
        assert S.bead_cosines(s, t, full) == expected
        left = [" ".join(src[i : i + a]) for i, a, _, _ in full]
        right = [" ".join(tgt[j : j + b]) for _, _, j, b in full]
        whole = [
            float(np.dot(u, v)) for u, v in zip(none.encode(left), none.encode(right), strict=True)
        ]
        assert expected == whole


def test_fold_is_nfkc_casefold() -> None:
    rng = random.Random(14)
    alphabet = "aAé\u0301 \u202f\u00a0\u2009\u3000xﬁ\u0651ش\ufef7İΣßK’–\u1680"
    texts = _random_strings(rng, 3000, alphabet, 14) + [
        p.read_text(encoding="utf-8") for p in sorted((CORPORA / "seeds").glob("*.txt"))
    ]
    for text in texts:
        assert _fold(text) == unicodedata.normalize("NFKC", text).casefold()


# --- whole align step --------------------------------------------------------------------


def test_similarities_as_full_window_embeddings(manifest: list[tuple[str, Bitext]]) -> None:
    """Scores of beads whose windows were encoded only when needed equal those of
    windows all encoded up front (``float(np.dot(...))`` of the same vectors)."""
    none = get_embedder("none")
    for _, bitext in manifest[:4]:
        src, tgt, sp, tp = _texts(bitext)
        beads, s, t = S.align_texts(src, tgt, sp, tp, none, False)
        assert not s.emb and not t.emb  # nothing embedded for the DP
        full = [b for b in beads if b[1] and b[3]]
        es = {k: none.encode(S._window_texts(src, k)) for k in (1, 2)}
        et = {k: none.encode(S._window_texts(tgt, k)) for k in (1, 2)}
        expected = [min(1.0, max(0.0, float(np.dot(es[a][i], et[b][j])))) for i, a, j, b in full]
        assert _similarities(s, t, full) == expected


def test_align_sentences_chrf_is_sacrebleu(manifest: list[tuple[str, Bitext]]) -> None:
    _, bitext = manifest[-1]
    assert bitext.same_language
    beads = align_sentences(bitext, Settings(embedder="none"))
    src, tgt = bitext.source.segments, bitext.target.segments
    seen = 0
    for bead in beads:
        if bead.src and bead.tgt:
            hyp = " ".join(tgt[k].text for k in bead.tgt)
            ref = " ".join(src[k].text for k in bead.src)
            assert bead.chrf == round(float(sacrebleu.sentence_chrf(hyp, [ref]).score), 4)
            seen += 1
    assert seen > 30


# --- chrF --------------------------------------------------------------------------------


def _random_strings(rng: random.Random, count: int, alphabet: str, top: int) -> list[str]:
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, top))) for _ in range(count)]


def test_chrf_matches_sacrebleu_on_random_strings() -> None:
    rng = random.Random(5)
    for alphabet, top in (("ab \tc", 12), ("abcدعش é\u0301x ", 30), ("aa ", 8)):
        hyps = _random_strings(rng, 400, alphabet, top)
        refs = _random_strings(rng, 400, alphabet, top)
        expected = [sacrebleu.sentence_chrf(h, [r]).score for h, r in zip(hyps, refs, strict=True)]
        assert sentence_chrf_many(hyps, refs) == expected
    assert sentence_chrf_many([], []) == []


def test_chrf_wide_alphabet_path_matches() -> None:
    """Many distinct characters (more than the packed key holds): one sort per order."""
    rng = random.Random(6)
    alphabet = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 3000))
    hyps = _random_strings(rng, 60, alphabet + "  ", 40)
    refs = [h[: len(h) // 2] + "".join(rng.choice(alphabet) for _ in range(5)) for h in hyps]
    expected = [sacrebleu.sentence_chrf(h, [r]).score for h, r in zip(hyps, refs, strict=True)]
    assert sentence_chrf_many(hyps, refs) == expected
    assert match_counts(["😀😀a"], ["😀a"]).tolist() == [[2, 1, 0, 0, 0, 0]]


def test_chrf_strips_every_whitespace_as_split() -> None:
    """Whitespace removed by one table look-up is ``str.split``'s (tabs, no-break and
    ideographic spaces, separators), and chrF stays sacrebleu's."""
    rng = random.Random(15)
    alphabet = "ab \t\n\r\x0b\x0c\x1c\x1f\x85\u00a0\u2003\u2028\u3000\u200bé😀"
    texts = _random_strings(rng, 500, alphabet, 20)
    chars, lengths = _strip_spaces(texts)
    expected = ["".join(t.split()) for t in texts]
    assert lengths.tolist() == [len(t) for t in expected]
    assert chars.tobytes() == "".join(expected).encode("utf-32-le")
    hyps, refs = texts[:250], texts[250:]
    scores = [sacrebleu.sentence_chrf(h, [r]).score for h, r in zip(hyps, refs, strict=True)]
    assert sentence_chrf_many(hyps, refs) == scores


# --- the n-gram embedder -----------------------------------------------------------------

_CHARS = ["a", "B", " ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\x1c", "é", "ش", "ﷺ",
          "ﻻ", "𝔸", "😀", "١", "\u0301", "\u0651", "ß", "İ", "Σ", "ς", "\u1100", "\u1161",
          "ﬁ", "㎏", "x", "7"]  # fmt: skip


def test_lexical_encode_matches_per_ngram_hashing() -> None:
    rng = random.Random(2)
    texts = ["".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 40))) for _ in range(600)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((CORPORA / "seeds").glob("*.txt"))]
    texts += ["", " ", "a", "  a  b ", "ab\u0301 c"]
    embedder = LexicalEmbedder()
    expected = np.concatenate([_normalise(embedder._vector(t)[None, :]) for t in texts])
    np.testing.assert_array_equal(embedder.encode(texts), expected)
    other = LexicalEmbedder(dim=1000, orders=(2, 4))  # not a power of two; any order
    expected = np.concatenate([_normalise(other._vector(t)[None, :]) for t in texts[:200]])
    np.testing.assert_array_equal(other.encode(texts[:200]), expected)


def test_lexical_encode_keeps_the_surrogate_error() -> None:
    embedder = LexicalEmbedder()
    with pytest.raises(UnicodeEncodeError):
        embedder._vector("a\ud800b")
    with pytest.raises(UnicodeEncodeError):
        embedder.encode(["fine", "a\ud800b"])


def test_lexical_windows_from_sentence_counts() -> None:
    rng = random.Random(4)
    embedder = LexicalEmbedder()
    for _ in range(60):
        sides_ = [
            ["".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 12)))
             for _ in range(rng.randint(0, 30))]
            for _ in range(2)
        ]  # fmt: skip
        max_bead = rng.choice([1, 2, 3])
        got = embedder.encode_windows(sides_, max_bead)
        plain = Embedder.encode_windows(embedder, sides_, max_bead)
        for g, e in zip(got, plain, strict=True):
            for k in e:
                np.testing.assert_array_equal(g[k], e[k])


# --- anchors -----------------------------------------------------------------------------


def is_non_latin(texts: list[str]) -> bool:
    """How :func:`anchor_keys` decides a side is non-Latin, from the letter counts."""
    other, latin = _letter_counts(texts)
    return other > latin


def test_is_non_latin_matches_character_loop(manifest: list[tuple[str, Bitext]]) -> None:
    rng = random.Random(8)
    alphabet = "abcXYZ شسيﻻ ١٢é ߀ ﷺ\u0651𝔸ⅫΩ "
    for _ in range(300):
        texts = _random_strings(rng, rng.randint(0, 4), alphabet, 20)
        assert is_non_latin(texts) == ref_is_non_latin(texts)
    for _, bitext in manifest:
        src, tgt, _, _ = _texts(bitext)
        assert is_non_latin(src) == ref_is_non_latin(src)
        assert is_non_latin(tgt) == ref_is_non_latin(tgt)


def test_anchor_keys_match_counters(manifest: list[tuple[str, Bitext]]) -> None:
    rng = random.Random(9)
    cases = [_texts(bitext)[:2] for _, bitext in manifest]
    for _ in range(40):
        src, _ = random_doc(rng, rng.randint(0, 12), _EN)
        tgt, _ = translate(rng, src, [0] * len(src))
        cases.append((src, tgt))
    for src, tgt in cases:
        clear_all()
        assert anchor_counts(src, tgt) == ref_anchor_counts(src, tgt)
        keys_s, keys_t = anchor_keys(src, tgt)
        assert [Counter(k) for k in keys_s] == ref_anchor_counts(src, tgt)[0]
        assert [Counter(k) for k in keys_t] == ref_anchor_counts(src, tgt)[1]


def test_anchor_patterns_in_one_pass_match_per_sentence() -> None:
    """Matches over the joined sentences are each sentence's own (numbers at the very
    start and end, separators, letters next to digits, newlines inside a sentence)."""
    rng = random.Random(16)
    alphabet = "12٣.,٬’' aZ\nش-/"
    for _ in range(400):
        texts = _random_strings(rng, rng.randint(0, 6), alphabet, 12)
        for pattern in (anchors_mod._NUMBER_RE, anchors_mod._LATIN_RE):
            expected = [pattern.findall(t) for t in texts]
            assert anchors_mod._per_text(texts, pattern) == expected
        keys = anchors_mod._number_keys(texts)
        assert keys == [
            [f"n:{anchors_mod.significant_digits(v)}" for v in anchors_mod.numbers(t)]
            for t in texts
        ]
        for t in texts:
            assert anchors_mod.numbers(t) == ref_numbers(t)


def ref_numbers(text: str) -> list[str]:
    """The previous ``numbers``: every match read by ``normalise_number``."""
    out: list[str] = []
    for m in anchors_mod._NUMBER_RE.finditer(text):
        value = anchors_mod.normalise_number(m.group(0))
        if value is not None:
            out.append(value)
        else:
            out.extend(
                anchors_mod._canonical(float(g.translate(anchors_mod._DIGITS)))
                for g in regex.findall(r"\p{Nd}+", m.group(0))
            )
    return out


def test_empty_and_one_sentence_sides() -> None:
    none = get_embedder("none")
    for src, tgt in ((["one"], ["واحد"]), (["a b", "c"], ["x"]), (["x"], ["y", "z"])):
        beads, _, _ = S.align_texts(src, tgt, [0] * len(src), [0] * len(tgt), none, False)
        s, t, ratio, semantic, _ = sides(src, tgt, [0] * len(src), [0] * len(tgt),
                                               none, False)  # fmt: skip
        ref = RefModel(s, t, S.Weights(), ratio, semantic)
        ref.calibrate_skip()
        n, m = len(src), len(tgt)
        assert beads == ref_dp(ref, np.zeros(n + 1, np.int64), np.full(n + 1, m, np.int64))
    lexical = LexicalEmbedder()
    assert [w[1].shape for w in lexical.encode_windows([[], []], 2)] == [(0, 4096)] * 2
    assert lexical.encode([]).shape == (0, 4096)
    for embedder in (none, FakeEncoder()):
        for same in (False, True):
            beads, _, _ = S.align_texts([], ["a"], [], [0], embedder, same)
            assert beads == [(0, 0, 0, 1)]
    doc = Document("a.en", "en", ["Hello there."])
    doc.segments = [Segment("en-s0", 0, 0, "Hello there.")]
    empty = Document("b.ar", "ar", [""])
    assert [b.kind for b in align_sentences(Bitext(doc, empty), Settings(embedder="none"))] == [
        "1-0"
    ]


def test_fixture_paths_exist() -> None:
    assert Path(ROME_EN).exists() and Path(ROME_AR).exists()
