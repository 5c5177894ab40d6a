"""The number check on sentence pairs taken verbatim from the real documents.

Segmentation and sentence alignment are other stages: here sentences are split with a
simple regex and paired 1-1 by hand, which is right for the paragraphs used below
(checked by the sentence counts).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from aligner.checks import get_check
from aligner.checks.numbers import NumberCheck, pair_quantities
from aligner.extract.numbers import NumberExtractor, extract_numbers
from aligner.model import Alignment, Bitext, Document, Finding, Mention, Segment, Severity
from tests.conftest import PARIS_EN, ROME_AR, ROME_EN, SEED_PARIS_A, SEED_PARIS_B

_SENT_END = regex.compile(r"(?<=[.!?؟])\s+")


def _paragraphs(path: Path) -> list[str]:
    return [p.strip() for p in path.read_text(encoding="utf-8").splitlines() if p.strip()]


def _sentences(paragraph: str) -> list[str]:
    return [s for s in _SENT_END.split(paragraph) if s]


def _paragraph(path: Path, key: str) -> str:
    return next(p for p in _paragraphs(path) if key in p)


def _bitext(src: list[str], tgt: list[str], sl: str, tl: str) -> Bitext:
    """1-1 beads over two equally long sentence lists, with number mentions extracted."""
    assert len(src) == len(tgt)
    sp, tp = (f"{sl}1", f"{tl}2") if sl == tl else (sl, tl)
    s = Document(path="src", lang=sl, paragraphs=src)
    t = Document(path="tgt", lang=tl, paragraphs=tgt)
    for doc, prefix in ((s, sp), (t, tp)):
        doc.segments = [
            Segment(f"{prefix}-s{i}", i, i, x, 0, len(x)) for i, x in enumerate(doc.paragraphs)
        ]
    b = Bitext(source=s, target=t, alignments=[Alignment((i,), (i,)) for i in range(len(src))])
    ex = NumberExtractor()
    for side, doc in (("source", s), ("target", t)):
        for seg in doc.segments:
            b.mentions.extend(ex.extract(seg, doc.lang, side))
    return b


def _run(b: Bitext) -> list[Finding]:
    return list(NumberCheck().run(b))


# The Paris paragraph on the 7.7 million freed people, in the English original and the
# two Arabic translations (the original file stops before the paragraph's last sentence).
PARIS_EN_P = _sentences(_paragraph(PARIS_EN, "7.7 million"))
PARIS_A_P = _sentences(_paragraph(SEED_PARIS_A, "7.7 شخص"))
PARIS_B_P = _sentences(_paragraph(SEED_PARIS_B, "7,7 ملايين"))


def test_paragraph_sentence_counts() -> None:
    assert (len(PARIS_EN_P), len(PARIS_A_P), len(PARIS_B_P)) == (5, 6, 6)


def test_dropped_million_in_seed_000() -> None:
    ar = "ولم يعد تنظيم داعش يسيطر على الأراضي وتم تحرير أكثر من 7.7 شخص من سيطرته."
    en = (
        "Today, Daesh/ISIS no longer controls territory and more than 7.7 million people "
        "have been freed from its control."
    )
    assert ar in PARIS_A_P and en in PARIS_EN_P
    (f,) = _run(_bitext([en], [ar], "en", "ar"))
    assert f.category == "number.scale"
    assert f.severity is Severity.ERROR
    assert f.details["source_value"] == 7700000.0 and f.details["target_value"] == 7.7
    assert f.message == "scale word dropped: 7.7 million (7,700,000) became 7.7"
    assert f.correction is not None
    assert (f.correction.side, f.correction.sic, f.correction.corr) == (
        "target",
        "7.7",
        "7.7 ملايين",
    )
    assert f.source is not None and f.source.excerpt == "7.7 million"
    assert f.target is not None and f.target.excerpt == "7.7" and f.target.sentence == ar
    assert 0.0 <= f.confidence <= 1.0


def test_english_vs_translation_a_paragraph_only_the_scale_error() -> None:
    fs = _run(_bitext(PARIS_EN_P, PARIS_A_P[:5], "en", "ar"))
    assert [(f.category, f.details["target_value"]) for f in fs] == [("number.scale", 7.7)]


def test_english_vs_translation_b_is_clean() -> None:
    # زهاء 110 آلاف = nearly 110,000; ما يزيد على 40 ألف = more than 40,000;
    # 7,7 ملايين = 7.7 million; 20 مليار دولار تقريبًا = approximately $20 billion
    assert _run(_bitext(PARIS_EN_P, PARIS_B_P[:5], "en", "ar")) == []


def test_two_arabic_translations() -> None:
    fs = _run(_bitext(PARIS_A_P, PARIS_B_P, "ar", "ar"))
    # only 7.7 vs 7,7 ملايين; عشرات الألاف = عشرات آلاف, ما لا يقل عن 46 = 46 ... على الأقل,
    # حوالي 110,000 = زهاء 110 آلاف, أكثر من 40,000 = ما يزيد على 40 ألف
    assert [f.category for f in fs] == ["number.scale"]
    (f,) = fs
    assert f.details["source_value"] == 7.7 and f.details["target_value"] == 7.7e6
    # in two translations the side without the scale word gets the suggestion
    assert f.correction is not None and f.correction.side == "source"
    assert f.correction.corr == "7.7 ملايين"


def test_rome_record_is_faithful() -> None:
    en = _paragraphs(ROME_EN)
    ar = _paragraphs(ROME_AR)
    en, ar = en[en.index("Begin text:") + 1 :], ar[ar.index("بداية النص:") + 1 :]
    b = _bitext(en, ar, "en", "ar")
    # the pairs the faithful translation must match, all present
    values = {(m.side, m.value) for m in b.mentions}
    for v in (2.0, 8e6, 2254.0, 2021.0):
        assert ("source", v) in values and ("target", v) in values
    assert _run(b) == []


def _edit(sentences: list[str], i: int, old: str, new: str) -> list[str]:
    out = list(sentences)
    assert old in out[i]
    out[i] = out[i].replace(old, new, 1)
    return out


def test_hedge_class_change_is_a_warning_but_not_within_class() -> None:
    # nearly → more than: class change
    en = _edit(PARIS_EN_P, 2, "nearly 110,000", "more than 110,000")
    (f,) = _run(_bitext(en, PARIS_B_P[:5], "en", "ar"))
    assert f.category == "number.hedge" and f.severity is Severity.WARNING
    assert (f.details["source_hedge"], f.details["target_hedge"]) == ("at-least", "approx")
    # nearly → about: same class, no finding
    en = _edit(PARIS_EN_P, 2, "nearly 110,000", "about 110,000")
    assert _run(_bitext(en, PARIS_B_P[:5], "en", "ar")) == []


def test_changed_value_and_dropped_quantity() -> None:
    ar = _edit(PARIS_B_P[:5], 2, "40 ألف", "45 ألف")
    (f,) = _run(_bitext(PARIS_EN_P, ar, "en", "ar"))
    assert f.category == "number.mismatch" and f.severity is Severity.ERROR
    assert (f.details["source_value"], f.details["target_value"]) == (40000.0, 45000.0)
    ar = _edit(PARIS_B_P[:5], 4, "وتدريب أكثر من 210 آلاف رجل أمن", "وتدريب رجال أمن")
    (f,) = _run(_bitext(PARIS_EN_P, ar, "en", "ar"))
    assert f.category == "number.missing" and f.source is not None
    assert f.source.excerpt == "210,000" and f.target is None


def test_date_mentions_hide_their_numbers() -> None:
    en = ["The final liberation was announced on March 23, 2019 after 4 years."]
    ar = ["وأعلن التحرير بتاريخ 24 آذار/مارس 2019 بعد أربع سنوات."]
    b = _bitext(en, ar, "en", "ar")
    assert _run(b) == []  # day numbers next to month names are date parts
    # a date extractor's mention over a bare year also hides it; the year on the other
    # side then has nothing to pair with but is not reported (years are dates' business)
    b = _bitext(["since 2014, 79 members"], ["منذ عام 2014 ضم 79 عضوا"], "en", "ar")
    b.mentions.append(Mention("date", "target", "ar-s0", 4, 12, "عام 2014", "2014"))
    assert _run(b) == []


def test_pair_quantities_prefers_equal_then_scale_then_closest() -> None:
    src = extract_numbers("more than 40,000 fighters, 7.7 million people and 86 members", "en")
    tgt = extract_numbers("7.7 شخص و85 عضوا وأكثر من 40 ألف مقاتل", "ar")
    pairs = [(a.text if a else None, b.text if b else None) for a, b in pair_quantities(src, tgt)]
    assert pairs == [("40,000", "40 ألف"), ("7.7 million", "7.7"), ("86", "85")]
    assert pair_quantities(src, []) == [(m, None) for m in src]


def test_many_leftovers_in_one_bead_are_reported_once() -> None:
    en = [PARIS_EN_P[2] + " " + PARIS_EN_P[4]]
    ar = ["بيان بلا أرقام."]
    fs = _run(_bitext(en, ar, "en", "ar"))
    assert len(fs) == 1 and fs[0].category == "number.missing" and fs[0].confidence < 0.5


def test_registered_and_skips_omission_beads() -> None:
    check = get_check("number")
    assert isinstance(check, NumberCheck)
    b = _bitext(PARIS_EN_P, PARIS_A_P[:5], "en", "ar")
    b.alignments = [Alignment((3,), ()), Alignment((), (3,))]
    assert list(check.run(b)) == []


def test_misaligned_sentences_do_not_raise_false_alarms() -> None:
    # the same five sentence pairs, but every Arabic sentence paired with the wrong one
    b = _bitext(PARIS_EN_P, PARIS_A_P[:5], "en", "ar")
    b.alignments = [Alignment((), (0,))] + [Alignment((i,), (i + 1,)) for i in range(4)]
    b.alignments.append(Alignment((4,), ()))
    fs = _run(b)
    # equal quantities in other beads explain each other; the dropped scale word is
    # still reported, with less confidence
    assert [f.category for f in fs] == ["number.scale"]
    assert fs[0].details["cross_bead"] is True and fs[0].confidence < 0.9


def test_rome_record_with_the_date_extractor() -> None:
    dates = pytest.importorskip("aligner.extract.dates")
    en = _paragraphs(ROME_EN)
    ar = _paragraphs(ROME_AR)
    en, ar = en[en.index("Begin text:") + 1 :], ar[ar.index("بداية النص:") + 1 :]
    b = _bitext(en, ar, "en", "ar")
    ex = dates.DateExtractor()
    for side in ("source", "target"):
        doc = b.side(side)
        for seg in doc.segments:
            b.mentions.extend(ex.extract(seg, doc.lang, side))
    assert any(m.kind == "date" for m in b.mentions)
    assert _run(b) == []


def test_word_links_pair_quantities_before_values() -> None:
    """With word alignment, a number is compared with the one it is linked to."""
    from aligner.checks.numbers import pair_by_words
    from aligner.extract.numbers import extract_numbers
    from aligner.model import WordLinks, WordToken

    src = extract_numbers("Of 46 members, 12 left.", "en")
    tgt = extract_numbers("من بين 46 عضوا غادر 13.", "ar", side="target")
    words_src = [WordToken(t, "en-s1", a, b) for t, a, b in
                 (("46", 3, 5), ("members", 6, 13), ("12", 15, 17), ("left", 18, 22))]
    words_tgt = [WordToken(t, "ar-s1", a, b) for t, a, b in
                 (("46", 7, 9), ("عضوا", 10, 14), ("غادر", 15, 19), ("13", 20, 22))]
    links = WordLinks(0, words_src, words_tgt, [(0, 0), (1, 1), (2, 3), (3, 2)])
    pairs = [(a.value if a else None, b.value if b else None)
             for a, b in pair_by_words(src, tgt, links)]
    assert pairs == [(46.0, 46.0), (12.0, 13.0)]
    # a link that contradicts two equal values is the link's error, not the translation's
    crossed = WordLinks(0, words_src, words_tgt, [(0, 3), (2, 0)])
    tgt_same = extract_numbers("من بين 46 عضوا غادر 12.", "ar", side="target")
    pairs = [(a.value, b.value) for a, b in pair_by_words(src, tgt_same, crossed)]
    assert sorted(pairs) == [(12.0, 12.0), (46.0, 46.0)]
