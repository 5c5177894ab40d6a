"""Number extraction on the real documents: every phenomenon of docs/numbers.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aligner.extract import get_extractor
from aligner.extract.numbers import NumberExtractor, extract_numbers, parse_digits
from aligner.model import AlignerError, Mention, Segment
from tests.conftest import (
    PARIS_EN,
    ROME_AR,
    ROME_EN,
    SEED_FACTSHEET,
    SEED_PARIS_A,
    SEED_PARIS_B,
    SEED_RIYADH,
    SEED_ROME,
    SEEDS,
)


def _line(path: Path, key: str) -> str:
    """The paragraph of ``path`` that contains ``key`` (verbatim from the file)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if key in line:
            return line
    raise AssertionError(f"{key!r} not in {path.name}")


def _mention(path: Path, key: str, text: str, lang: str = "ar") -> Mention:
    found = [m for m in extract_numbers(_line(path, key), lang) if m.text == text]
    assert found, f"no mention {text!r} in the paragraph of {path.name} holding {key!r}"
    return found[0]


# (file, paragraph key, mention text, value, attrs that must hold)
CASES = [
    # scale words, digits+scale, Arabic plural/singular/dual forms
    (
        SEED_PARIS_B,
        "زهاء 110",
        "110 آلاف",
        110000.0,
        {"form": "digits+scale", "base": 110.0, "scale": "آلاف", "hedge": "approx", "unit": "km2"},
    ),
    (SEED_PARIS_B, "زهاء 110", "40 ألف", 40000.0, {"hedge": "at-least", "scale_value": 1000.0}),
    (SEED_PARIS_B, "زهاء 110", "210 آلاف", 210000.0, {"hedge": "at-least"}),
    # Arabic decimal comma before a scale word
    (SEED_PARIS_B, "زهاء 110", "7,7 ملايين", 7.7e6, {"base": 7.7, "hedge": "at-least"}),
    (SEED_RIYADH, "148,7", "148,7 مليون", 148.7e6, {"unit": "USD", "base": 148.7}),
    # dropped scale word stays a bare 7.7
    (SEED_PARIS_A, "7.7 شخص", "7.7", 7.7, {"form": "digits", "hedge": "at-least"}),
    # thousands separators, with and without comma
    (SEED_PARIS_A, "7.7 شخص", "110,000", 110000.0, {"hedge": "approx", "unit": "km2"}),
    (SEED_FACTSHEET, "130000", "130000", 130000.0, {"hedge": "at-least"}),
    (SEED_FACTSHEET, "3,100", "3,100", 3100.0, {"hedge": "at-least"}),
    # money
    (SEED_PARIS_A, "7.7 شخص", "20 مليار", 2e10, {"unit": "USD", "hedge": "approx"}),
    (SEED_PARIS_B, "زهاء 110", "20 مليار", 2e10, {"unit": "USD", "hedge": "approx"}),
    (
        SEED_FACTSHEET,
        "بأكثر من مليار دولار كبرامج",
        "مليار",
        1e9,
        {"unit": "USD", "hedge": "at-least", "form": "words+scale"},
    ),
    # percentages
    (SEED_FACTSHEET, "99%", "99%", 99.0, {"unit": "percent", "hedge": "at-least"}),
    # number words, compound and feminine/masculine
    (SEED_FACTSHEET, "اثنان وثلاثون", "اثنان وثلاثون", 32.0, {"form": "words"}),
    (SEED_FACTSHEET, "سبعة وعشرون", "سبعة وعشرون", 27.0, {"form": "words"}),
    (SEED_RIYADH, "ثماني دول", "ثماني", 8.0, {"form": "words"}),
    (
        SEED_ROME,
        "ثمانية ملايين",
        "ثمانية ملايين",
        8e6,
        {"form": "words+scale", "base": 8.0, "hedge": "approx"},
    ),
    (SEED_RIYADH, "خمسة آلاف", "خمسة آلاف", 5000.0, {"hedge": "approx"}),
    # the dual
    (SEED_ROME, "منذ عامين", "عامين", 2.0, {"unit": "year", "dual": True}),
    (SEED_RIYADH, "ألفان من دول", "ألفان", 2000.0, {"base": 2.0, "form": "words+scale"}),
    (SEED_RIYADH, "أكثر من ألفين", "ألفين", 2000.0, {"hedge": "at-least"}),
    # ordinals and definite cardinals
    (SEED_PARIS_B, "الاستعراض السادس", "السادس", 6.0, {"ordinal": True}),
    (SEED_RIYADH, "الثانية عشرة", "الثانية عشرة", 12.0, {"ordinal": True}),
    (SEED_PARIS_A, "الأعضاء الثمانون", "الثمانون", 80.0, {"form": "words"}),
    (SEED_PARIS_A, "الأعضاء الثمانون", "الأربع", 4.0, {"form": "words"}),
    # clitics glued to digits and words
    (SEED_RIYADH, "ال50 مليون", "50 مليون", 5e7, {"clitic": "ال", "unit": "USD"}),
    (SEED_FACTSHEET, "و300 مليون", "300 مليون", 3e8, {"clitic": "و"}),
    (SEED_PARIS_A, "لأكثر من اربع", "اربع", 4.0, {"unit": "year", "hedge": "at-least"}),
    # vague quantities
    (SEED_PARIS_A, "عشرات الألاف", "عشرات الألاف", (2e4, 9.9e4), {"vague": True}),
    (SEED_PARIS_B, "عشرات آلاف", "عشرات آلاف", (2e4, 9.9e4), {"vague": True}),
    (SEED_RIYADH, "مئات الأطفال", "مئات", (200.0, 999.0), {"vague": True}),
    (SEED_FACTSHEET, "العشرات من قيادات", "العشرات", (20.0, 99.0), {"vague": True}),
    # hedges before and after (on the noun)
    (
        SEED_PARIS_B,
        "على الأقل بأرواحهم",
        "46",
        46.0,
        {"hedge": "at-least", "hedge_text": "على الأقل"},
    ),
    (SEED_PARIS_A, "ما لا يقل عن 46", "46", 46.0, {"hedge": "at-least"}),
    (SEED_FACTSHEET, "72 شريك", "72", 72.0, {"hedge": "at-least"}),
    (SEED_RIYADH, "أكثر بقليل من 601", "601 مليون", 6.01e8, {"hedge": "at-least"}),
    # identifiers
    (SEED_PARIS_A, "رقم 2254", "2254", 2254.0, {"identifier": True}),
    (SEED_PARIS_B, "القرار 2254", "2254", 2254.0, {"identifier": True}),
    # English
    (
        PARIS_EN,
        "7.7 million",
        "7.7 million",
        7.7e6,
        {"form": "digits+scale", "base": 7.7, "scale": "million", "hedge": "at-least"},
    ),
    (PARIS_EN, "7.7 million", "$20 billion", 2e10, {"unit": "USD", "hedge": "approx"}),
    (PARIS_EN, "7.7 million", "110,000", 110000.0, {"unit": "km2", "hedge": "approx"}),
    (ROME_EN, "eight million", "eight million", 8e6, {"form": "words+scale", "hedge": "approx"}),
    (ROME_EN, "after two years", "two", 2.0, {"unit": "year"}),
    (ROME_EN, "Resolution 2254", "2254", 2254.0, {"identifier": True}),
]


@pytest.mark.parametrize(("path", "key", "text", "value", "attrs"), CASES)
def test_phenomena_on_real_documents(
    path: Path, key: str, text: str, value: object, attrs: dict[str, object]
) -> None:
    lang = "en" if path.name.endswith(".en.txt") else "ar"
    m = _mention(path, key, text, lang)
    assert m.value == value
    for k, v in attrs.items():
        assert m.attrs.get(k) == v, (k, m.attrs)


def test_false_friends_are_not_quantities() -> None:
    # "لأول مرة" (for the first time) and "one of"/"إحدى" are not quantities
    rome = _line(ROME_AR, "لأول مرّة")
    assert [m.text for m in extract_numbers(rome, "ar")] == ["عامين"]
    assert extract_numbers(_line(ROME_AR, "وفي إحدى جلسات"), "ar") == []
    assert extract_numbers("One of the members; one of them, a member.", "en") == []
    # أثنى ("praised") is not the 2 of اثنا عشر
    assert not [
        m for m in extract_numbers(_line(SEED_PARIS_B, "أثنى التحالف"), "ar") if m.value == 2.0
    ]


def test_dates_are_marked_not_taken_as_quantities() -> None:
    para = _line(SEED_PARIS_A, "بتاريخ 23 آذار")
    by_text = {m.text: m for m in extract_numbers(para, "ar")}
    assert by_text["23"].attrs.get("date_part") is True
    assert by_text["2019"].attrs.get("date_part") is True
    # the الثاني of the month name كانون الثاني is no ordinal
    (m,) = extract_numbers("في كانون الثاني/يناير 2019 وفي", "ar")
    assert (m.value, m.attrs.get("date_part")) == (2019.0, True)
    # numeric dates, URLs and archive codes hold no quantities
    assert extract_numbers(_line(SEED_RIYADH, "8-06- 2023"), "ar") == []
    assert extract_numbers(_line(SEED_FACTSHEET, "https://www.state.gov"), "ar") == []
    assert extract_numbers("SMI/A200/529804", "ar") == []
    # a bare year is kept but flagged, so that checks treat it conservatively
    years = [
        m for m in extract_numbers(_line(ROME_EN, "2021 Pledge Drive"), "en") if m.value == 2021
    ]
    assert [m.attrs.get("year_like") for m in years] == [True]


@pytest.mark.parametrize(
    ("raw", "lang", "value", "readings"),
    [
        ("110,000", "ar", 110000.0, None),
        ("7,700,000", "en", 7700000.0, None),
        ("7,7", "ar", 7.7, None),
        ("148,7", "ar", 148.7, None),
        ("7,7", "en", 7.7, [7.7, 77.0]),  # an English decimal comma is a guess: flag it
        ("١٢٣٫٥", "ar", 123.5, None),
        ("١٢٬٣٤٥", "ar", 12345.0, None),
        ("٢٢٥٤", "ar", 2254.0, None),
        ("1.234,5", "ar", 1234.5, None),
        ("1,234.5", "en", 1234.5, None),
        ("1.5", "en", 1.5, None),
        ("1,2345", "ar", 1.2345, [1.2345, 12345.0]),
    ],
)
def test_parse_digits(raw: str, lang: str, value: float, readings: list[float] | None) -> None:
    assert parse_digits(raw, lang) == (value, readings)


def test_comma_thousands_before_scale_word_is_ambiguous() -> None:
    (m,) = extract_numbers("خصصت 1,500 مليون دولار", "ar")
    assert m.attrs["ambiguous"] is True
    assert sorted(m.attrs["readings"]) == [1.5e6, 1.5e9]


def test_eastern_digits_and_percent_signs() -> None:
    ms = extract_numbers("ارتفع بنسبة ٩٩٪ وبنسبة ١٢٫٥ في المائة", "ar")
    assert [(m.value, m.attrs.get("unit")) for m in ms] == [(99.0, "percent"), (12.5, "percent")]


def test_english_words_and_vague() -> None:
    ms = extract_numbers(
        "thirty-two partners, one hundred and five sites, tens of thousands of people, "
        "hundreds of fighters, dozens of leaders and the sixth review",
        "en",
    )
    assert [m.value for m in ms] == [32.0, 105.0, (2e4, 9.9e4), (200.0, 999.0), (20.0, 99.0), 6.0]
    assert ms[-1].attrs["ordinal"] is True
    ms = extract_numbers("pledged $1.5bn on the 21st; the A200 unit and 3D maps", "en")
    assert [(m.text, m.value, m.attrs.get("unit")) for m in ms] == [
        ("$1.5bn", 1.5e9, "USD"),
        ("21st", 21.0, None),
    ]


def test_extractor_registry_spans_and_json() -> None:
    ex = get_extractor("number")
    assert isinstance(ex, NumberExtractor)
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        seg = Segment(id="ar-s0", index=0, paragraph=0, text=text, start=0, end=len(text))
        ms = ex.extract(seg, "ar", "target")
        assert ms, path.name
        for m in ms:
            assert text[m.start : m.end] == m.text
            assert m.kind == "number" and m.side == "target" and m.segment_id == "ar-s0"
            json.dumps(m.attrs, sort_keys=True)
        # deterministic
        assert [(m.start, m.value) for m in ms] == [
            (m.start, m.value) for m in ex.extract(seg, "ar", "target")
        ]


def test_unknown_language_raises() -> None:
    with pytest.raises(AlignerError, match="unsupported language"):
        extract_numbers("7.7", "fr")
