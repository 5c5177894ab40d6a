"""Fast paths of the entity check's third speed pass, each against a plain reference.

* :func:`aligner.checks.entities._reachable_lengths`: the person search joins and scores
  only the windows whose skeleton's length can reach the cutoff; rapidfuzz must never
  keep a string outside those lengths.
* the person search as a whole against the window-by-window reference of
  ``tests/test_fast_entities.py`` on generated sentences.
* the document word counts, now memoised per document and joined from the memoised
  words, against a counter of the words.
* the gazetteer's head set (a ``frozenset``) against its head table.
"""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from aligner.checks import entities as check
from aligner.entities import gazetteer as gz
from aligner.entities import normalise as nz
from aligner.memo import clear_all
from tests.test_fast_entities import _NAMES, _arabic_words, _documents, _of, ref_find_person

_LETTERS = "BCDFGHKLMNRSTW"


def _plain_keeps(a: str, cands: list[str], cutoff: float) -> set[int]:
    """The candidates rapidfuzz keeps at ``cutoff`` (the reference: no length screen)."""
    return {k for _c, _s, k in process.extract(a, cands, scorer=fuzz.ratio, score_cutoff=cutoff)}


def test_reachable_lengths_keep_every_string_that_scores() -> None:
    rng = random.Random(11)
    for _ in range(4000):
        a = "".join(rng.choice(_LETTERS) for _ in range(rng.randint(1, 14)))
        cands = [
            "".join(rng.choice(_LETTERS[: rng.randint(2, 14)]) for _ in range(rng.randint(0, 24)))
            for _ in range(12)
        ] + [a, a[1:], a + a[:1], a * 2]
        for cutoff in (80.0, 100.0, 66.7, 82.5, 90.0):
            lo, hi = check._reachable_lengths(len(a), cutoff)
            for k in _plain_keeps(a, cands, cutoff):
                assert lo <= len(cands[k]) <= hi, (a, cands[k], cutoff)


def test_reachable_lengths_are_tight_at_the_thresholds() -> None:
    # the bounds are the lengths at which an exact prefix still scores the cutoff
    for la in range(1, 40):
        for cutoff in (check.MATCH_THRESHOLD, 100.0):
            lo, hi = check._reachable_lengths(la, cutoff)
            a = "B" * la
            assert fuzz.ratio(a, "B" * lo) >= cutoff
            assert fuzz.ratio(a, "B" * hi) >= cutoff
            assert lo == 0 or fuzz.ratio(a, "B" * (lo - 1)) < cutoff
            assert fuzz.ratio(a, "B" * (hi + 1)) < cutoff


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(_NAMES),
    st.lists(st.sampled_from(_arabic_words()[:400]), min_size=0, max_size=25),
    st.sampled_from([" ", " ج. ", " و", "، "]),
)
def test_person_search_on_generated_sentences(name: str, words: list[str], glue: str) -> None:
    text = glue.join(words)
    clear_all()
    assert check.find_person(name, text) == ref_find_person(name, text)


def test_person_search_finds_every_corpus_name_as_before() -> None:
    found = 0
    for text in _of("ar")[::3]:
        for name in _NAMES:
            hit = check._find_person(name, text)
            assert hit == ref_find_person(name, text)
            found += hit is not None
    assert found > 5


def test_document_word_counts_are_the_counter_of_the_words() -> None:
    clear_all()
    memo = check._Sentences()
    counted = 0
    for doc in _documents():
        if doc.lang != "ar":
            continue
        plain = nz.normalise_ar_words(nz.words(doc.text))
        assert list(memo.document_words(doc.text)) == plain
        counts = Counter(plain)
        rng = random.Random(len(doc.text))
        for word in [*rng.sample(sorted(counts), min(40, len(counts))), "", "\x00", "غير_موجود"]:
            assert memo.word_count(doc.text, word) == counts[word], word
            counted += 1
    assert counted > 100


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="بلينكنالعراقّ ًـ،.-'\x00وa ", max_size=80), st.text(max_size=6))
def test_document_word_counts_on_generated_text(text: str, probe: str) -> None:
    plain = nz.normalise_ar_words(nz.words(text))
    memo = check._Sentences()
    for word in {probe, *plain[:5]}:
        assert memo.word_count(text, word) == plain.count(word)


def test_head_set_is_the_head_table() -> None:
    gazetteer = gz.load()
    assert gazetteer._ar_heads == frozenset(gazetteer._ar_first)
