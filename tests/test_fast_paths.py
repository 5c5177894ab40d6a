"""The speed-ups of the non-neural path give the same answers as the plain algorithms.

Each fast path (the gazetteer's trie walk, date normalisation of the whole string at
once, the number and date pre-filters, the memoised tokeniser) is checked against a
straightforward reference on every sentence of the bundled real documents.
"""

from __future__ import annotations

import itertools
from functools import cache

import pytest

from aligner.entities import clear_caches
from aligner.entities.gazetteer import Entry, Gazetteer, ar_cores_last, load
from aligner.entities.normalise import Token, ar_cores, ar_form_cores, tokens, words
from aligner.extract import dates
from aligner.extract.numbers import _Parser
from aligner.ingest import load_pair, load_record
from aligner.model import Document
from aligner.pipeline import Settings, make_bitext, run
from tests.conftest import (
    PARIS_EN,
    ROME_AR,
    ROME_EN,
    SEED_FACTSHEET,
    SEED_PARIS_A,
    SEED_PARIS_B,
    SEED_RIYADH,
    SEED_ROME,
)


@cache
def _sentences() -> tuple[tuple[str, str], ...]:
    """(lang, sentence) of every bundled document, segmented by the pipeline."""
    docs: list[Document] = []
    source, target = load_record(str(SEED_ROME))
    docs += [source, target]
    docs += list(load_pair(str(ROME_EN), str(ROME_AR)))
    for seed in (SEED_PARIS_A, SEED_PARIS_B, SEED_RIYADH, SEED_FACTSHEET):
        docs += list(load_pair(str(PARIS_EN), str(seed)))
    out: dict[tuple[str, str], None] = {}
    for src, tgt in zip(docs[::2], docs[1::2], strict=True):
        bitext = run(make_bitext(src, tgt), Settings(embedder="none"), steps=("segment",))
        for doc in (bitext.source, bitext.target):
            for seg in doc.segments:
                out[(doc.lang, seg.text)] = None
    return tuple(out)


def _arabic() -> list[str]:
    return [text for lang, text in _sentences() if lang == "ar"]


def _find_ar_exhaustive(
    text: str, gaz: Gazetteer | None = None
) -> list[tuple[str, int, int, str]]:
    """The gazetteer's rule by brute force: at each word, every length (longest first),
    every reading of the first word, every article reading of the others."""
    gaz = gaz or load()
    # setdefault order of the gazetteer: first form of the first key wins
    index: dict[tuple[str, ...], tuple[str, str]] = {}
    for e in sorted(gaz.entries.values(), key=lambda e: e.key):
        for form in e.ar:
            index.setdefault(ar_form_cores(form), (e.key, form))
    longest = max(len(k) for k in index)
    toks = tokens(text)
    readings = [ar_cores(t.text) for t in toks]
    out = []
    i = 0
    while i < len(toks):
        hit = None
        for n in range(min(longest, len(toks) - i), 0, -1):
            rest = [ar_cores_last(readings[i + j]) for j in range(1, n)]
            for prefix, core in readings[i]:
                for tail in itertools.product(*rest):
                    if (core, *tail) in index:
                        hit = (n, prefix, index[(core, *tail)])
                        break
                if hit:
                    break
            if hit:
                break
        if hit is None:
            i += 1
            continue
        n, prefix, (key, _form) = hit
        out.append((key, toks[i].start, toks[i + n - 1].end, prefix))
        i += n
    return out


def test_trie_walk_finds_what_the_exhaustive_search_finds() -> None:
    gaz = load()
    texts = _arabic()
    assert len(texts) > 200
    found = 0
    for text in texts:
        fast = [(m.key, m.start, m.end, m.prefix) for m in gaz.find(text, "ar", guard=False)]
        assert fast == _find_ar_exhaustive(text), text
        found += len(fast)
    assert found > 300  # the documents are full of places and organisations


def test_multi_word_forms_with_prefixes_are_found_whole() -> None:
    # "والولايات المتحدة": و + article on the first word, article on the second
    text = "اجتماع في روما والولايات المتحدة الأمريكية وللمملكة العربية السعودية"
    keys = [(m.key, m.text, m.prefix) for m in load().find(text, "ar")]
    assert keys == _find_ar_exhaustive_keys(text)
    assert [k for k, _, _ in keys] == ["city:ROME", "country:US", "country:SA"]


@pytest.mark.parametrize(
    "text",
    ["زار بالاو سيتي أمس", "زار بالاو أمس", "في الاو سيتي والاو", "بالاو الاو سيتي سيتي"],
)
def test_ties_go_to_the_literal_reading_then_to_the_longest_form(text: str) -> None:
    # بالاو reads as بالاو (literal), ب + الاو and بال + او: a made-up gazetteer where
    # several readings are forms, of one and of two words
    gaz = Gazetteer(
        [
            Entry("country:PW", "country", ar=["بالاو"]),
            Entry("city:AW", "city", ar=["او"]),
            Entry("city:AWC", "city", ar=["او سيتي"]),
            Entry("city:LAWC", "city", ar=["الاو سيتي سيتي"]),
        ],
        {},
    )
    fast = [(m.key, m.start, m.end, m.prefix) for m in gaz.find(text, "ar", guard=False)]
    assert fast == _find_ar_exhaustive(text, gaz)
    assert fast  # every text names one of them


def _find_ar_exhaustive_keys(text: str) -> list[tuple[str, str, str]]:
    return [(k, text[a:b], p) for k, a, b, p in _find_ar_exhaustive(text)]


def _normalise_per_char(text: str) -> tuple[str, list[int]]:
    chars, offsets = [], []
    for i, ch in enumerate(text):
        if dates._DROP.match(ch):
            continue
        chars.append(ch.translate(dates._MAP))
        offsets.append(i)
    return "".join(chars), [*offsets, len(text)]


@pytest.mark.parametrize(
    "text",
    [
        "28 حزيران/يونيو 2021",
        "في ٢٥ حزيرانَ ٢٠١٩",
        "June\u202f25,\u00a02019",
        "نصٌّ\u200fمع علامات",
        "",
    ],
)
def test_date_normalisation_keeps_the_offset_map(text: str) -> None:
    assert dates.normalise(text) == _normalise_per_char(text)


def test_date_normalisation_on_real_sentences() -> None:
    for _lang, text in _sentences():
        assert dates.normalise(text) == _normalise_per_char(text)


def test_sentences_without_digits_have_no_dates_but_today() -> None:
    for lang, text in _sentences():
        norm, _ = dates.normalise(text)
        if any(c.isdigit() for c in norm):
            continue
        assert all(d.attrs.get("relative") == "today" for d in dates.find_dates(text, lang))
    # and the patterns themselves need a digit: none matches a digit-free sentence
    for lang, text in _sentences():
        norm, _ = dates.normalise(text)
        if not any("0" <= c <= "9" for c in norm):
            assert not any(p.regex.search(norm) for p in dates._patterns(lang)), text


def test_number_readers_start_only_on_listed_words() -> None:
    """The pre-filter of the number parser skips a word none of whose readings is a
    table word; every reader must then find nothing there."""
    skipped = 0
    for lang, text in _sentences():
        parser = _Parser(text, lang, "source", "s")
        for i, tok in enumerate(parser.toks):
            if tok.kind != "word" or not parser._stems_of(i).isdisjoint(parser.t.quantity_first):
                continue
            skipped += 1
            assert parser._read_vague(i) is None
            assert parser._read_words(i) is None
            assert parser._read_dual(i) is None
            assert parser._read_ordinal(i) is None
            assert parser._definite_word(i) is None
    assert skipped > 5000


def test_memoised_tokens_are_fresh_lists_and_equal_after_clearing() -> None:
    text = "Secretary Antony J. Blinken met in Rome."
    first = tokens(text)
    first.append(Token("x", 0, 1))  # a caller may change its list
    assert tokens(text)[-1].text == "Rome"
    before = tokens(text)
    clear_caches()
    assert tokens(text) == before
    assert ar_cores("والعراق") == ar_cores("والعراق")
    assert isinstance(ar_cores("والعراق"), list)


def test_word_texts_are_the_token_texts_of_whole_documents() -> None:
    for path in (SEED_ROME, SEED_PARIS_A, SEED_RIYADH, SEED_FACTSHEET, ROME_EN):
        text = path.read_text(encoding="utf-8")
        assert words(text) == [t.text for t in tokens(text)]
        assert len(words(text)) > 300
