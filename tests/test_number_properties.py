"""Property: every rendering of a number extracts to the same value.

The renderings are produced here by a small number-to-words writer of the test's own
(independent of the extractor's tables), by digit formatting with Western and Eastern
digits and both languages' separators, and by digits with a scale word.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.extract.numbers import extract_numbers

EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# --- an independent writer: English -----------------------------------------------
EN_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def en_below_1000(n: int, use_and: bool) -> str:
    parts = []
    if n >= 100:
        parts.append(f"{EN_UNITS[n // 100]} hundred")
        n %= 100
        if n and use_and:
            parts.append("and")
    if n >= 20:
        parts.append(EN_TENS[n // 10] + (f"-{EN_UNITS[n % 10]}" if n % 10 else ""))
    elif n:
        parts.append(EN_UNITS[n])
    return " ".join(parts)


def en_words(n: int, use_and: bool) -> str:
    thousands, rest = divmod(n, 1000)
    out = []
    if thousands:
        out.append(f"{en_below_1000(thousands, use_and)} thousand")
    if rest:
        out.append(en_below_1000(rest, use_and))
    return " ".join(out)


# --- an independent writer: Arabic (masculine, nominative) ---------------------------
AR_UNITS = "_ واحد اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة".split()
AR_TEENS = {11: "أحد عشر", 12: "اثنا عشر"}
AR_TENS = "_ _ عشرون ثلاثون أربعون خمسون ستون سبعون ثمانون تسعون".split()
AR_HUNDREDS = "_ مائة مائتان ثلاثمائة أربعمائة خمسمائة ستمائة سبعمائة ثمانمائة تسعمائة".split()


def ar_below_100(n: int) -> str:
    if n <= 10:
        return AR_UNITS[n]
    if n < 20:
        return AR_TEENS.get(n, f"{AR_UNITS[n - 10]} عشر")
    u, t = n % 10, n // 10
    return f"{AR_UNITS[u]} و{AR_TENS[t]}" if u else AR_TENS[t]


def ar_below_1000(n: int, construct: bool = False) -> str:
    h, r = divmod(n, 100)
    parts = []
    if h:
        hundred = AR_HUNDREDS[h]
        if construct and h == 2 and not r:
            hundred = "مائتا"  # construct state before ألف
        parts.append(hundred)
    if r:
        parts.append(ar_below_100(r))
    return " و".join(parts)


def ar_words(n: int) -> str:
    thousands, rest = divmod(n, 1000)
    parts = []
    if thousands == 1:
        parts.append("ألف")
    elif thousands == 2:
        parts.append("ألفان")
    elif 3 <= thousands <= 10:
        parts.append(f"{AR_UNITS[thousands]} آلاف")
    elif thousands:
        last2 = thousands % 100
        word = "ألفا" if 11 <= last2 <= 99 else "ألف"
        parts.append(f"{ar_below_1000(thousands, construct=True)} {word}")
    if rest:
        parts.append(ar_below_1000(rest))
    return " و".join(parts)


# --- digits ------------------------------------------------------------------------
def group(int_part: str, sep: str) -> str:
    out = []
    while len(int_part) > 3:
        out.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    out.insert(0, int_part)
    return sep.join(out)


def _one_value(text: str, lang: str) -> float:
    ms = extract_numbers(text, lang)
    assert len(ms) == 1, (text, [(m.text, m.value) for m in ms])
    return float(ms[0].value)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=2, max_value=999_999), use_and=st.booleans())
def test_english_words_equal_digits(n: int, use_and: bool) -> None:
    words = _one_value(f"The Coalition trained {en_words(n, use_and)} people.", "en")
    digits = _one_value(f"The Coalition trained {n:,} people.", "en")
    assert words == digits == n


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=2, max_value=999_999))
def test_arabic_words_equal_digits(n: int) -> None:
    words = _one_value(f"درّب التحالف {ar_words(n)} شخص.", "ar")
    western = _one_value(f"درّب التحالف {group(str(n), ',')} شخص.", "ar")
    eastern = _one_value(f"درّب التحالف {group(str(n), '٬').translate(EASTERN)} شخص.", "ar")
    plain = _one_value(f"درّب التحالف {str(n).translate(EASTERN)} شخص.", "ar")
    assert words == western == eastern == plain == n


@settings(max_examples=200, deadline=None)
@given(
    int_part=st.integers(min_value=0, max_value=999_999),
    frac=st.integers(min_value=1, max_value=99),
    style=st.sampled_from(["en", "ar-dot", "ar-comma", "ar-eastern", "ar-grouped-comma"]),
)
def test_decimals_in_every_style(int_part: int, frac: int, style: str) -> None:
    frac_s = str(frac).rstrip("0") or "0"
    expected = float(f"{int_part}.{frac_s}")
    if style == "en":
        text, lang = f"a total of {group(str(int_part), ',')}.{frac_s} percent", "en"
    elif style == "ar-dot":
        text, lang = f"بلغ {int_part}.{frac_s} في المائة", "ar"
    elif style == "ar-comma":  # the Arabic decimal comma: 7,7 and 148,7
        text, lang = f"بلغ {int_part},{frac_s} في المائة", "ar"
    elif style == "ar-eastern":
        raw = f"{group(str(int_part), '٬')}٫{frac_s}".translate(EASTERN)
        text, lang = f"بلغ {raw} في المائة", "ar"
    else:  # 1.234,5: dots group thousands when a comma is the decimal mark
        text, lang = f"بلغ {group(str(int_part), '.')},{frac_s} في المائة", "ar"
    assert _close(_one_value(text, lang), expected)


AR_SCALES = {1e3: ("ألف", "آلاف"), 1e6: ("مليون", "ملايين"), 1e9: ("مليار", "مليارات")}
EN_SCALES = {1e3: "thousand", 1e6: "million", 1e9: "billion"}


@settings(max_examples=200, deadline=None)
@given(
    whole=st.integers(min_value=1, max_value=999),
    frac=st.one_of(st.none(), st.integers(min_value=1, max_value=9)),
    scale=st.sampled_from([1e3, 1e6, 1e9]),
    eastern=st.booleans(),
)
def test_digits_with_scale_word(whole: int, frac: int | None, scale: float, eastern: bool) -> None:
    base = float(f"{whole}.{frac}") if frac is not None else float(whole)
    expected = base * scale
    en_num = f"{whole}.{frac}" if frac is not None else str(whole)
    assert _close(_one_value(f"raised ${en_num} {EN_SCALES[scale]} for", "en"), expected)
    # Arabic: decimal comma or ٫, plural scale word for 3-10
    ar_num = f"{whole},{frac}" if frac is not None else str(whole)
    if eastern:
        ar_num = (f"{whole}٫{frac}" if frac is not None else str(whole)).translate(EASTERN)
    singular, plural = AR_SCALES[scale]
    word = plural if 3 <= base <= 10 else singular
    assert _close(_one_value(f"جمع {ar_num} {word} دولار", "ar"), expected)
    # English words + scale agree with digits + scale for whole bases
    if frac is None and whole >= 2:
        text = f"some {en_words(whole, False)} {EN_SCALES[scale]} people"
        assert _close(_one_value(text, "en"), expected)
