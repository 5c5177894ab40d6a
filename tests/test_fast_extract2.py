"""The second round of fast paths in extraction and in the entity check gives the plain answers.

Each one is held against the code it replaced (kept here as the reference) on every
bundled sentence and document (corpora/**, tests/data/**) and on generated text:

- the sentence memos of numbers and dates: the mentions of the uncached parse, with
  attributes (and their lists) that no other call shares;
- the number tokeniser's table forms, normalised for all tokens at once (joined by NULs);
- the English name search as a title search and a trigger search (after a substring
  test), and the English gazetteer search, both with the word-boundary look-behind after
  the first letter (:func:`aligner.entities.gazetteer.not_after`);
- the possessive word pattern and the one search that lets a sentence be folded whole;
- the Arabic skeleton with its constants read once;
- the entity check: coordinated lists that normalise only gaps of one chunk, and the
  document word count by ``str.count``.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from functools import cache

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.checks import entities as check
from aligner.entities import gazetteer as gz
from aligner.entities import normalise as nz
from aligner.entities import translit as tl
from aligner.extract import DEFAULT_EXTRACTORS, dates, extract, get_extractor, numbers
from aligner.extract import entities as ex
from aligner.memo import clear_all, registered
from aligner.model import AlignerError, Bitext, Mention, Segment
from aligner.pipeline import Settings, make_bitext, run
from tests.conftest import CORPORA, ROME_AR, ROME_EN, SEED_ROME
from tests.test_fast_entities import _ALPHABET, _documents, _of, _sentences, _text, _texts
from tests.test_fast_extract import _ANY_TEXT, _bundled, _date_texts, _number_texts, _tokens_agree

FAST = settings(max_examples=300, deadline=None, derandomize=True)
LANGS = ("ar", "en")


# --------------------------------------------------------------------------- sentence memos


def _plain_numbers(text: str, lang: str) -> list[Mention]:
    """Number extraction without the memo: the pre-filter and one parse."""
    if not text or not numbers.may_hold_quantity(text, lang):
        return []
    return numbers._Parser(text, lang, "source", "s").run()


def _plain_dates(text: str, lang: str) -> list[Mention]:
    """Date mentions made straight from :func:`find_dates`, as the extractor made them."""
    return [
        Mention(
            kind="date",
            side="source",
            segment_id="s",
            start=d.start,
            end=d.end,
            text=text[d.start : d.end],
            value=d.value,
            attrs=dict(sorted(d.attrs.items())),
        )
        for d in dates.find_dates(text, lang)
    ]


def _numbers_agree(text: str, lang: str) -> bool:
    want = _plain_numbers(text, lang)
    seg = Segment("s", 0, 0, text)
    for _ in range(2):  # the parse, then the memo
        assert numbers.extract_numbers(text, lang, "source", "s") == want, (lang, text)
        assert numbers.NumberExtractor().extract(seg, lang, "source") == want, (lang, text)
    return bool(want)


def _dates_agree(text: str, lang: str) -> bool:
    want = _plain_dates(text, lang)
    seg = Segment("s", 0, 0, text)
    for _ in range(2):
        assert dates.DateExtractor().extract(seg, lang, "source") == want, (lang, text)
    return bool(want)


def test_memoised_numbers_and_dates_equal_the_plain_ones_on_every_bundled_text() -> None:
    clear_all()
    found_numbers = found_dates = 0
    for text in _bundled():
        for lang in LANGS:
            found_numbers += _numbers_agree(text, lang)
            found_dates += _dates_agree(text, lang)
    assert found_numbers > 300 and found_dates > 100


@FAST
@given(st.one_of(_number_texts(), _ANY_TEXT), st.sampled_from(LANGS))
def test_memoised_numbers_equal_the_plain_ones_on_generated_text(text: str, lang: str) -> None:
    _numbers_agree(text, lang)


@FAST
@given(st.one_of(_date_texts(), _ANY_TEXT), st.sampled_from(LANGS))
def test_memoised_dates_equal_the_plain_ones_on_generated_text(text: str, lang: str) -> None:
    _dates_agree(text, lang)


def test_long_sentences_and_odd_languages_take_the_plain_way() -> None:
    long = "نحو 1,500 مليون شخص في 25 حزيران/يونيو 2019. " * 40  # past the memo's limit
    assert len(long) > numbers._MEMO_MAX_CHARS and len(long) > dates._MEMO_MAX_CHARS
    assert _numbers_agree(long, "ar") and _dates_agree(long, "ar")
    seg = Segment("s", 0, 0, "about 1,500 million")
    assert numbers.NumberExtractor().extract(seg, "en-US", "source") == _plain_numbers(
        seg.text, "en"
    )
    with pytest.raises(AlignerError):
        numbers.NumberExtractor().extract(seg, "fr", "source")
    with pytest.raises(AlignerError):
        dates.DateExtractor().extract(seg, "fr", "source")


@pytest.mark.parametrize(
    ("text", "lang", "kind"),
    [
        ("about 1,500 million people", "en", "number"),
        ("نحو 1,500 مليون شخص", "ar", "number"),
        ("في 25 حزيران/يوليو 2019", "ar", "date"),
    ],
)
def test_memoised_attributes_are_never_shared(text: str, lang: str, kind: str) -> None:
    """A caller that changes a mention's attributes (or a list in them) changes no other."""
    seg = Segment("s", 0, 0, text)
    ext = numbers.NumberExtractor() if kind == "number" else dates.DateExtractor()
    plain = _plain_numbers(text, lang) if kind == "number" else _plain_dates(text, lang)
    first = ext.extract(seg, lang, "source")
    lists = [v for m in first for v in m.attrs.values() if isinstance(v, list)]
    assert lists  # readings, hedge_span, month_conflict
    for m in first:
        for value in m.attrs.values():
            if isinstance(value, list):
                value.append(-1)
        m.attrs["spoilt"] = True
    assert ext.extract(seg, lang, "source") == plain


def test_the_new_memos_are_registered() -> None:
    names = registered()
    for name in (
        "aligner.extract.numbers._sentence_quantities",
        "aligner.extract.dates._sentence_dates",
        "aligner.extract.entities._form",
    ):
        assert name in names


# --------------------------------------------------------------------------- number tokens


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "a\x00b 5",  # the separator itself: each token normalised alone
        "\x00",
        "ΑΣ ΣΑΣ 5 Σ",
        "İstanbul 5 \u212aelvin",
        "وَ خَمْسَة َ 5 ً",  # diacritics inside, at the start and alone
        "أحد عشرَ ألفاً و١٢ مليوناً",
        "ك’جَستة 5",
    ],
)
def test_number_tokens_of_hand_made_texts(text: str) -> None:
    _tokens_agree(text)


# --------------------------------------------------------------------------- English searches


@cache
def _old_name_search() -> re.Pattern[str]:
    """The name search as it was: one ``re`` search, its look-behinds first."""
    classes = (r"[\p{L}\p{M}\p{N}]", r"\s", r"\p{Lu}")
    return re.compile(ex._name_pattern(*map(nz.re_class, classes)))


def ref_may_name(text: str) -> bool:
    search = _old_name_search() if nz.re_knows(text) else ex._name_search_full()
    return search.search(text) is not None


def test_name_search_on_every_text() -> None:
    named = 0
    for text in [*_of("en"), *_texts()]:
        assert ex._may_name(text) == ref_may_name(text), text[:80]
        named += ex._may_name(text)
    assert named > 10


_NAME_PIECES = (
    sorted(ex._titles())[:40]
    + sorted(ex.EN_NAME_TRIGGERS)
    + [
        "Blinken",
        "al-Baghdadi",
        "el-Sisi",
        "J.",
        "Mr.",
        "the",
        "ministers",
        "Minister’s",
        "envoy-",
        "xleader",
        "日本",
    ]
)


@FAST
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_NAME_PIECES),
            st.sampled_from([" ", "  ", "\u00a0", "\u202f", "-", ", ", "", "\n", "x", "5", "’"]),
        ),
        max_size=8,
    )
)
def test_name_search_on_generated_text(pieces: list[tuple[str, str]]) -> None:
    text = "".join(w + gap for w, gap in pieces)
    assert ex._may_name(text) == ref_may_name(text)


@cache
def _old_en_gazetteer() -> re.Pattern[str]:
    """The English gazetteer search as it was: the look-behind in front of the trie."""
    g = gz.load()
    letter = nz.re_class(r"[\p{L}\p{N}]")
    return re.compile(f"(?<!{letter}){g._en_alternation}(?!{letter})")


def _en_hits(rx: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in rx.finditer(text)]


def test_english_gazetteer_search_on_every_text() -> None:
    g = gz.load()
    hits = 0
    for text in _texts():
        norm = nz.normalise_en(text)
        if nz.re_knows(norm):
            got = _en_hits(g._en_fast, norm)
            assert got == _en_hits(_old_en_gazetteer(), norm), text[:80]
            hits += len(got)
    assert hits > 500


@FAST
@given(
    st.lists(
        st.tuples(
            st.sampled_from(sorted(gz.load()._en_forms)),
            st.sampled_from([" ", "", "a", "5", "-", "’s ", "/", "é", "\n", "ſ"]),
        ),
        max_size=6,
    )
)
def test_english_gazetteer_search_on_generated_text(pieces: list[tuple[str, str]]) -> None:
    text = "".join(w + gap for w, gap in pieces)
    assert _en_hits(gz.load()._en_fast, text) == _en_hits(_old_en_gazetteer(), text)


@FAST
@given(
    st.sets(st.text(alphabet="abAB-.", min_size=1, max_size=4), min_size=1, max_size=12),
    st.text(alphabet="abAB-. x", max_size=40),
)
def test_a_look_behind_after_the_first_letter_finds_what_one_before_it_does(
    words: set[str], text: str
) -> None:
    cls = "[ab]"
    before = re.compile(f"(?<!{cls}){gz.trie_pattern(words)}")
    after = re.compile(gz.trie_pattern(words, gz.not_after(cls)), re.DOTALL)
    assert _en_hits(after, text) == _en_hits(before, text)


# --------------------------------------------------------------------------- Arabic words


def _old_word_pattern(word: str, inner: str, space: str) -> str:
    """The word pattern as it was, with greedy repeats."""
    return f"({word}(?:[.](?={space})|{word}*(?:[-'’]{inner}+)*))"


_CLASSES = (r"[\p{L}\p{M}\p{N}]", r"[\p{L}\p{N}]", r"\s")
_OLD_WORD = re.compile(_old_word_pattern(*map(nz.re_class, _CLASSES)))
_OLD_WORD_FULL = regex.compile(_old_word_pattern(*_CLASSES))


def test_the_word_pattern_is_possessive_and_splits_as_before() -> None:
    assert "*+" in nz._FAST_WORD.pattern and "*+" not in _OLD_WORD.pattern
    for text in _texts():
        if nz.re_knows(text):
            assert nz._FAST_WORD.split(text) == _OLD_WORD.split(text), text[:80]


@FAST
@given(_text)
def test_the_word_pattern_on_generated_text(text: str) -> None:
    if nz.re_knows(text):
        assert nz._FAST_WORD.split(text) == _OLD_WORD.split(text)
    assert nz._WORD.split(text) == _OLD_WORD_FULL.split(text)


def test_one_search_finds_what_keeps_a_text_from_the_plain_split() -> None:
    """A diacritic or a character ``re`` classes do not cover, nothing else."""
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        want = nz._DIACRITICS.match(ch) is not None or not nz.re_knows(ch)
        assert (nz._PLAIN_SPLIT_NOT.match(ch) is not None) == want, hex(code)


@FAST
@given(st.text(alphabet=_ALPHABET + "\u0610\u06d6\u3000\u2fff", max_size=40))
def test_normalised_spans_of_every_kind_of_text(text: str) -> None:
    nz._normalised_spans.cache_clear()
    words, starts, ends = nz.normalised_spans(text)
    raw, raw_starts, raw_ends = nz._split(text)
    assert (starts, ends) == (raw_starts, raw_ends)
    assert list(words) == [nz.normalise_ar(w) for w in raw]


def _old_arabic_normalised(w: str) -> str:
    """The Arabic skeleton of a normalised word as it was computed."""
    t = tl._table()
    if w.startswith("ال") and len(w) > 4:
        w = w[2:]
    table = tl._arabic_letters()[0]
    digraphs = tuple(t["arabic_digraphs"])
    if not any(d in w for d in digraphs):
        classes = w.translate(table)
        if classes.isascii():
            if w.startswith(t["initial_w"]["arabic"]):
                classes = "W" + classes
            return tl._RUNS.sub(r"\1", classes) if tl._RUNS.search(classes) else classes
    out = ["W"] if w.startswith(t["initial_w"]["arabic"]) else []
    i = 0
    while i < len(w):
        pair = w[i : i + 2]
        if pair in t["arabic_digraphs"]:
            out.append(t["arabic_digraphs"][pair])
            i += 2
            continue
        out.append(t["arabic"].get(w[i], ""))
        i += 1
    return tl._collapse("".join(out))


def test_arabic_skeletons_of_every_word() -> None:
    words = {nz.normalise_ar(w) for text in _of("ar") for w in nz.words(text)}
    words |= {"تشرين", "والتشاور", "وو", "الوزير", "ال", "x", "日本", "ووتش"}
    for w in words:
        assert tl._arabic_normalised(w) == _old_arabic_normalised(w), w


@FAST
@given(_text)
def test_arabic_skeletons_of_generated_words(text: str) -> None:
    w = nz.normalise_ar(text)
    assert tl._arabic_normalised(w) == _old_arabic_normalised(w)


def test_match_forms_are_the_normalised_surfaces() -> None:
    forms = 0
    for lang, text in _sentences():
        for start, end, _key, attrs in ex._find(text, lang):
            if attrs["gazetteer"]:
                surface = text[start:end]
                want = nz.normalise_ar(surface) if lang == "ar" else nz.strip_possessive(surface)
                assert attrs["form"] == want
                forms += 1
    assert forms > 400


# --------------------------------------------------------------------------- the check


def test_no_arabic_separator_holds_a_space_and_normalising_keeps_spaces() -> None:
    assert not any(any(ch.isspace() for ch in sep) for sep in check._AR_SEPARATORS)
    for text in _texts():
        assert sum(map(str.isspace, nz.normalise_ar(text))) == sum(map(str.isspace, text))


@FAST
@given(_text)
def test_normalising_keeps_spaces_of_generated_text(text: str) -> None:
    assert sum(map(str.isspace, nz.normalise_ar(text))) == sum(map(str.isspace, text))


def ref_coordinated_lists(mentions: list[Mention], text: str, lang: str) -> list[list[Mention]]:
    """The lists as they were found: every gap collapsed and normalised."""
    seps = check._AR_SEPARATORS if lang == "ar" else check._EN_SEPARATORS
    ms = [m for m in mentions if m.attrs.get("type") not in ("person", "resolution")]
    if len(ms) < 2:
        return []
    ms.sort(key=lambda m: m.start)
    runs: list[list[Mention]] = []
    for m in ms:
        if runs and runs[-1][-1].attrs["type"] == m.attrs["type"] and m.start >= runs[-1][-1].end:
            gap = " ".join(text[runs[-1][-1].end : m.start].split())
            gap = nz.normalise_ar(gap) if lang == "ar" else gap
            if gap in seps:
                runs[-1].append(m)
                continue
        runs.append([m])
    return [r for r in runs if len(r) >= 2]


@FAST
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["العراق", "سوريا", "فرنسا", "داعش", "Iraq", "Syria", "NATO"]),
            st.sampled_from(["، ", " و", " و ", "،و", " أو ", " \u064e ", "\u0640", " ", ", and "]),
        ),
        min_size=2,
        max_size=6,
    ),
    st.sampled_from(LANGS),
)
def test_coordinated_lists_of_generated_gaps(pieces: list[tuple[str, str]], lang: str) -> None:
    text, mentions = "", []
    for name, gap in pieces:
        key = gz.load().lookup(name, "en") or gz.load().lookup(name, "ar") or name
        typ = key.split(":")[0]
        mentions.append(
            Mention(
                "entity", "source", "s", len(text), len(text) + len(name), name, key, {"type": typ}
            )
        )
        text += name + gap
    assert check.coordinated_lists(mentions, text, lang) == ref_coordinated_lists(
        mentions, text, lang
    )


def test_document_word_counts_equal_the_counter() -> None:
    memo = check._Sentences()
    counted = 0
    for doc in _documents():
        if doc.lang != "ar":
            continue
        words = memo.document_words(doc.text)
        counts = Counter(words)
        rng = random.Random(len(doc.text))
        probes = [*rng.sample(sorted(counts), min(60, len(counts))), "", "غير_موجود", "\x00"]
        for word in probes:
            assert memo.word_count(doc.text, word) == counts[word], word
            counted += 1
    assert counted > 200


# --------------------------------------------------------------------------- the stage


def _segmented_bitexts() -> list[Bitext]:
    from aligner.ingest import load_pair, load_record

    pairs = [load_record(str(SEED_ROME)), load_pair(str(ROME_EN), str(ROME_AR))]
    en = CORPORA / "originals" / "paris2019-roadmap-statedept.en.txt"
    seeds = sorted((CORPORA / "seeds").glob("*.txt"))
    pairs += [load_pair(str(en), str(s)) for s in seeds if s.name.startswith(("000", "003"))]
    settings_ = Settings(embedder="none", word_align="off")
    return [run(make_bitext(s, t), settings_, steps=("segment",)) for s, t in pairs]


def ref_extract(bitext: Bitext, names: tuple[str, ...]) -> list[Mention]:
    """The stage as it was: every extractor in turn on each segment."""
    extractors = [get_extractor(n) for n in names]
    out: list[Mention] = []
    for side in ("source", "target"):
        doc = bitext.side(side)
        for seg in doc.segments:
            for e in extractors:
                out.extend(e.extract(seg, doc.lang, side))
    return out


@pytest.mark.parametrize("names", [DEFAULT_EXTRACTORS, ("entity", "number"), ("date",), ()])
def test_the_stage_gives_the_mentions_in_document_order(names: tuple[str, ...]) -> None:
    found = 0
    for bitext in _segmented_bitexts():
        clear_all()
        got = extract(bitext, names)
        assert got == ref_extract(bitext, names)
        found += len(got)
    assert found > 40 or not names
