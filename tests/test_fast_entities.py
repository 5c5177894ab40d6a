"""The fast paths of entity extraction and of the entity check give the plain answers.

Each speed-up (the split tokeniser and its ``re`` classes, folds by ``str.replace``,
the gazetteer's head table and character-trie regex, the name pre-filters, the
windowed transliteration search, the check's early exits and word pre-filters) is
held against the code it replaced, kept here as the reference, on every sentence of
the bundled documents (corpora/** and tests/data/**) and on generated text.
"""

from __future__ import annotations

import itertools
import random
import re
import sys
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from aligner.arabic import LETTER_FOLD
from aligner.checks import entities as check
from aligner.entities import clear_caches
from aligner.entities import gazetteer as gz
from aligner.entities import normalise as nz
from aligner.entities import translit as tl
from aligner.extract import entities as ex
from aligner.ingest import read_documents
from aligner.model import AlignerError, Bitext, Document, Mention, Segment
from aligner.pipeline import Settings, make_bitext, run
from aligner.segment import segment
from tests.conftest import CORPORA, ROME_AR, ROME_EN, SEED_ROME, TEST_DATA

# --- the bundled text ---------------------------------------------------------------


def _paths() -> list[Path]:
    found = [*CORPORA.rglob("*"), *TEST_DATA.rglob("*")]
    return sorted(p for p in found if p.suffix in (".txt", ".html", ".xml") and p.is_file())


@cache
def _documents() -> tuple[Document, ...]:
    docs = []
    for path in _paths():
        try:
            docs += read_documents(str(path), presplit="presplit" in path.name)
        except AlignerError:  # e.g. the gold alignment file: no document
            continue
    return tuple(d for d in docs if d.lang in ("ar", "en"))


@cache
def _sentences() -> tuple[tuple[str, str], ...]:
    """(lang, sentence) of every bundled document, segmented as the pipeline does."""
    out: dict[tuple[str, str], None] = {}
    for doc in _documents():
        for seg in segment(doc, prefix="s", presplit="presplit" in doc.path):
            out[(doc.lang, seg.text)] = None
    return tuple(out)


def _of(lang: str) -> list[str]:
    return [text for lg, text in _sentences() if lg == lang]


def _texts() -> Iterator[str]:
    """Every sentence and every whole document."""
    yield from (text for _lang, text in _sentences())
    yield from (doc.text for doc in _documents())


#: text the generators draw from: Arabic letters and marks, Latin, digits, the
#: characters the tokeniser treats apart, and characters from beyond U+3000
_ALPHABET = (
    "والتشبكنمرسصضطظعغفقهيءئؤةىآأإٱپڤگکی"
    "\u064e\u0651\u0640\u06dd\u06de\u0670"
    "AbcJSUxyzéÅ019٣۵ .-'’/,:؛،\n\t\u00a0\u202f–‐日本\U0001f600"
)
_text = st.text(alphabet=_ALPHABET, max_size=40)


def test_the_bundled_text_is_all_there() -> None:
    langs = [lang for lang, _ in _sentences()]
    assert langs.count("ar") > 300 and langs.count("en") > 50
    assert any("presplit" in d.path for d in _documents())
    assert any(d.path.endswith(".html") for d in _documents())


# --- reference: the plain normalisation and tokeniser ------------------------------

_REF_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_REF_FOLD = str.maketrans({**LETTER_FOLD, "ک": "ك", "ی": "ي"})
_REF_EN_FOLD = str.maketrans(
    {"’": "'", "‐": "-", "–": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " "}
)
_REF_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:[.](?=\s)|(?:[-'’][\p{L}\p{N}]+)*)")


def ref_normalise_ar(text: str) -> str:
    return _REF_DIACRITICS.sub("", text).translate(_REF_FOLD)


def ref_normalise_en(text: str) -> str:
    return text.translate(_REF_EN_FOLD)


def ref_tokens(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _REF_WORD.finditer(text):
        word, end = m.group(), m.end()
        if word.endswith(".") and len(word) > 2:  # a sentence-final dot, not an initial
            word, end = word[:-1], end - 1
        out.append((word, m.start(), end))
    return out


def _spans(text: str) -> list[tuple[str, int, int]]:
    return list(zip(*nz.word_spans(text), strict=True))


def test_tokeniser_on_every_text() -> None:
    for text in _texts():
        ref = ref_tokens(text)
        assert _spans(text) == ref, text[:80]
        assert [tuple(t) for t in nz.tokens(text)] == ref
        assert nz.words(text) == [w for w, _, _ in ref]


@settings(max_examples=400, deadline=None)
@given(_text)
def test_tokeniser_on_generated_text(text: str) -> None:
    ref = ref_tokens(text)
    assert _spans(text) == ref
    assert nz.words(text) == [w for w, _, _ in ref]
    assert [tuple(t) for t in nz.tokens(text)] == ref


def test_the_re_classes_are_the_regex_classes_below_their_limit() -> None:
    chars = [chr(c) for c in range(ord(nz.RE_BELOW))]
    for prop in (r"[\p{L}\p{M}\p{N}]", r"[\p{L}\p{N}]", r"\s", r"\p{Lu}"):
        fast, full = re.compile(nz.re_class(prop)), regex.compile(prop)
        assert [bool(fast.fullmatch(c)) for c in chars] == [bool(full.fullmatch(c)) for c in chars]
    assert nz.re_knows("Rome روما") and not nz.re_knows("Rome 日本")


def test_unicode_facts_the_fast_paths_lean_on() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    # a letters-only string is one word: no letter is outside the word class
    assert not any(c.isalpha() for c in regex.findall(r"[^\p{L}\p{M}\p{N}]", every))
    # a word starting lower-case is not capitalised: no upper-case letter is lower-case
    assert not any(c.islower() for c in regex.findall(r"\p{Lu}", every))


def test_folds_are_the_translation_tables() -> None:
    for text in _texts():
        assert nz.normalise_ar(text) == ref_normalise_ar(text)
        assert nz.normalise_en(text) == ref_normalise_en(text)


@settings(max_examples=300, deadline=None)
@given(_text)
def test_folds_on_generated_text(text: str) -> None:
    assert nz.normalise_ar(text) == ref_normalise_ar(text)
    assert nz.normalise_en(text) == ref_normalise_en(text)
    words = [w for w, _, _ in ref_tokens(text)]
    assert nz.normalise_ar_words(words) == [ref_normalise_ar(w) for w in words]


def test_normalised_spans_are_the_spans_of_the_normalised_words() -> None:
    texts = [*(t for t in _texts()), "وَزير الخارجيّة ـ ۞ عن", "ab-\u064ecd", "أ۝ب"]
    for text in texts:
        toks = ref_tokens(text)
        want = (
            tuple(ref_normalise_ar(w) for w, _, _ in toks),
            tuple(a for _, a, _ in toks),
            tuple(b for _, _, b in toks),
        )
        assert nz.normalised_spans(text) == want, text[:80]


@settings(max_examples=300, deadline=None)
@given(_text)
def test_normalised_spans_on_generated_text(text: str) -> None:
    toks = ref_tokens(text)
    words = tuple(ref_normalise_ar(w) for w, _, _ in toks)
    assert nz.normalised_spans(text) == (
        words,
        tuple(a for _, a, _ in toks),
        tuple(b for _, _, b in toks),
    )


def test_tokens_are_fresh_lists_and_survive_clearing() -> None:
    text = "Secretary Antony J. Blinken met in Rome. Then al-Baghdadi’s men left."
    first = nz.tokens(text)
    first.append(nz.Token("x", 0, 1))
    assert nz.tokens(text)[-1].text == "left"
    before = nz.tokens(text)
    clear_caches()
    assert nz.tokens(text) == before


# --- Arabic readings -----------------------------------------------------------------


@cache
def _arabic_words() -> tuple[str, ...]:
    """Every Arabic word of the bundled text, and every string of up to five letters
    over the prefix letters and a few others (the readings turn on them)."""
    found = {w for text in _of("ar") for w in nz.words(text)}
    found |= {w for doc in _documents() if doc.lang == "ar" for w in nz.words(doc.text)}
    for n in range(6):
        found |= {"".join(p) for p in itertools.product("وفبلكاتأم", repeat=n)}
    return tuple(sorted(found))


def test_every_reading_is_a_listed_prefix_and_the_rest_of_its_word() -> None:
    prefixes = nz.reading_prefixes()
    for word in _arabic_words():
        norm = ref_normalise_ar(word)
        for prefix, core in nz.ar_readings(word):
            assert prefix in prefixes and norm == prefix + core


def test_tail_cores_are_the_readings_with_no_prefix_or_the_article() -> None:
    for word in _arabic_words():
        want = tuple(gz.ar_cores_last(list(nz.ar_readings(word))))
        assert nz.ar_tail_cores(ref_normalise_ar(word)) == want, word


# --- reference: the plain gazetteer look-ups ---------------------------------------


def ref_form_cores(form: str) -> tuple[str, ...]:
    out = []
    for word, _, _ in ref_tokens(form):
        w = ref_normalise_ar(word)
        if w.startswith("ال") and len(w) - 2 >= 2:
            w = w[2:]
        out.append(w)
    return tuple(out)


def ref_longest_at(gaz: gz.Gazetteer, words: list[str], i: int) -> tuple | None:
    best = None
    for prefix, core in nz.ar_readings(words[i]):
        node = gaz._ar_trie.get(core)
        if node is None:
            continue
        stack = [(node, 1)]
        while stack:
            node, n = stack.pop()
            if node.value is not None and (best is None or n > best[0]):
                best = (n, prefix, node.value)
            if node.children and i + n < len(words):
                tail = gz.ar_cores_last(list(nz.ar_readings(words[i + n])))
                kids = [(node.children[c], n + 1) for c in tail if c in node.children]
                stack.extend(reversed(kids))
    return best


def ref_find_ar(gaz: gz.Gazetteer, text: str, guard: bool) -> list[gz.Match]:
    toks = ref_tokens(text)
    words = [w for w, _, _ in toks]
    out: list[gz.Match] = []
    i = 0
    while i < len(toks):
        hit = ref_longest_at(gaz, words, i)
        if not hit:
            i += 1
            continue
        n, prefix, (key, form) = hit
        start, end = toks[i][1], toks[i + n - 1][2]
        amb = ref_form_cores(form) in gaz.ambiguous
        e = gaz.entries[key]
        out.append(gz.Match(key, e.type, start, end, text[start:end], form, prefix, amb))
        i += n
    if guard:
        out = [m for k, m in enumerate(out) if not m.ambiguous or gz._in_context(text, out, k)]
    return out


@cache
def _flat_en(gaz: gz.Gazetteer) -> regex.Pattern[str]:
    alts = sorted(gaz._en_forms, key=lambda f: (-len(f), f))
    body = "|".join(regex.escape(f) for f in alts)
    return regex.compile(r"(?<![\p{L}\p{N}])(?:" + body + r")(?![\p{L}\p{N}])")


def ref_find_en(gaz: gz.Gazetteer, text: str) -> list[gz.Match]:
    norm = ref_normalise_en(text)
    out = []
    for m in _flat_en(gaz).finditer(norm):
        key = gaz._en_forms[m.group()]
        e = gaz.entries[key]
        out.append(gz.Match(key, e.type, m.start(), m.end(), text[m.start() : m.end()], m.group()))
    return out


def test_arabic_look_up_on_every_sentence() -> None:
    gaz = gz.load()
    found = 0
    for text in _of("ar"):
        for guard in (False, True):
            assert gaz.find(text, "ar", guard=guard) == ref_find_ar(gaz, text, guard), text
        found += len(gaz.find(text, "ar"))
    assert found > 500


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "العراق",
                "والولايات",
                "المتحدة",
                "بالاو",
                "سيتي",
                "ومالي",
                "دولة",
                "مالي",
                "روما",
                "عن",
                "،",
                "و",
                "لبنان",
                "ـ",
                "َ",
            ]
        ),
        max_size=12,
    )
)
def test_arabic_look_up_on_generated_sentences(words: list[str]) -> None:
    gaz = gz.load()
    text = " ".join(words)
    for guard in (False, True):
        assert gaz.find(text, "ar", guard=guard) == ref_find_ar(gaz, text, guard)


@pytest.mark.parametrize(
    "text", ["زار بالاو سيتي أمس", "في الاو سيتي والاو", "بالاو الاو سيتي سيتي", "لاو"]
)
def test_arabic_look_up_in_a_made_up_gazetteer(text: str) -> None:
    gaz = gz.Gazetteer(
        [
            gz.Entry("country:PW", "country", ar=["بالاو"]),
            gz.Entry("city:AW", "city", ar=["او"]),
            gz.Entry("city:AWC", "city", ar=["او سيتي"]),
            gz.Entry("city:LAWC", "city", ar=["الاو سيتي سيتي"]),
        ],
        {("او",): "city"},
    )
    assert gaz.find(text, "ar", guard=False) == ref_find_ar(gaz, text, False)
    assert gaz.find(text, "ar") == ref_find_ar(gaz, text, True)


def test_english_look_up_on_every_sentence() -> None:
    gaz = gz.load()
    found = 0
    for text in [*_of("en"), "Rome and 日本’s Iraq", "the U.S. and U.N. in Côte d’Ivoire"]:
        assert gaz.find(text, "en") == ref_find_en(gaz, text), text
        found += len(gaz.find(text, "en"))
    assert found > 120


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Iraq",
                "Iraq’s",
                "United",
                "States",
                "Kingdom",
                "the",
                "U.S.",
                "Rome",
                "Romer",
                "日",
                "Syria",
                "-",
                "Arab",
            ]
        ),
        max_size=10,
    )
)
def test_english_look_up_on_generated_sentences(words: list[str]) -> None:
    gaz = gz.load()
    text = " ".join(words)
    assert gaz.find(text, "en") == ref_find_en(gaz, text)


def test_look_ups_are_fresh_lists_and_survive_clearing() -> None:
    gaz = gz.load()
    text = next(t for t in _of("ar") if len(gaz.find(t, "ar")) > 1)
    first = gaz.find(text, "ar")
    first.append(first[0])
    assert gaz.find(text, "ar") == ref_find_ar(gaz, text, True)
    clear_caches()
    assert gaz.find(text, "ar") == ref_find_ar(gaz, text, True)


# --- reference: the plain extractor -------------------------------------------------


def ref_english_people(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    toks = ref_tokens(text)
    titles, particles = ex._titles(), ex._particles()

    def initial(word: str) -> bool:
        return (len(word) == 2 and word.endswith(".")) or len(word) == 1

    out = []
    i = 0
    while i < len(toks):
        if not ex._CAP.match(toks[i][0]):
            i += 1
            continue
        j = i + 1
        while j < len(toks):
            gap = text[toks[j - 1][2] : toks[j][1]]
            if not (len(gap) == 1 and gap.isspace()):
                break
            if not (ex._CAP.match(toks[j][0]) or toks[j][0] in particles):
                break
            j += 1
        run = toks[i:j]
        k = 0
        while k < len(run) and (run[k][0].rstrip(".") in titles or run[k][0] in titles):
            k += 1
        name = run[k:]
        while name and (name[-1][0] in particles or initial(name[-1][0])):
            name = name[:-1]
        trig = i > 0 and toks[i - 1][0] in ex.EN_NAME_TRIGGERS
        real = [t for t in name if not initial(t[0]) and t[0] not in particles]
        ok = (
            real
            and (k > 0 or trig)
            and not any(t[0] in titles for t in name)
            and name[0][0] not in particles
            and not any(s < name[-1][2] and name[0][1] < e for s, e in taken)
        )
        if ok:
            start, end = name[0][1], name[-1][2]
            out.append((start, end, text[start:end]))
        i = j
    return out


def ref_skeleton(name: str, lang: str) -> str:
    conv = tl._latin_word if lang == "en" else ref_arabic_word
    return " ".join(s for s in (conv(w) for w, _, _ in ref_tokens(name)) if s)


def ref_person_key(name: str) -> str:
    particles = ex._particles()
    words = [
        w for w, _, _ in ref_tokens(name) if not (len(w) == 1 or (len(w) == 2 and w[1] == "."))
    ]
    words = [w for w in words if w not in particles]
    last = words[-1] if words else name
    w = ref_normalise_en(last)
    w = w[:-2] if w.endswith("'s") else w.rstrip("'")
    folded = unicodedata.normalize("NFKD", w).encode("ascii", "ignore")
    return "person:" + folded.decode().lower().removeprefix("al-")


def ref_extract(text: str, lang: str, side: str, seg_id: str) -> list[Mention]:
    gaz = gz.load()
    mentions: list[Mention] = []

    def add(start: int, end: int, key: str, typ: str, form: str, **attrs: object) -> None:
        attrs = {"type": typ, "form": form, **attrs}
        mentions.append(Mention("entity", side, seg_id, start, end, text[start:end], key, attrs))

    spans = []
    for m in ex.RESOLUTION_PATTERNS["ar" if lang == "ar" else "en"].finditer(text):
        spans.append((m.start(), m.end()))
        add(
            m.start(),
            m.end(),
            f"resolution:{m.group(1)}",
            "resolution",
            m.group(1),
            gazetteer=False,
        )
    raw = ref_find_ar(gaz, text, True) if lang == "ar" else ref_find_en(gaz, text)
    matches = ex._merged(raw, text)
    for g in matches:
        if g.type == "language":
            continue
        if lang == "ar":
            form = ref_normalise_ar(g.text)
        else:
            w = ref_normalise_en(g.text)
            form = w[:-2] if w.endswith("'s") else w.rstrip("'")
        attrs: dict[str, object] = {"gazetteer": True, "prefix": g.prefix}
        if g.ambiguous:
            attrs["ambiguous"] = True
        add(g.start, g.end, g.key, g.type, form, **attrs)
    if lang != "ar":
        taken = [(m.start, m.end) for m in matches] + spans
        for start, end, name in ref_english_people(text, taken):
            add(
                start,
                end,
                ref_person_key(name),
                "person",
                name,
                gazetteer=False,
                skeleton=ref_skeleton(name, "en"),
            )
    mentions.sort(key=lambda m: (m.start, m.end, str(m.value)))
    return mentions


def _mention_rows(ms: list[Mention]) -> list[tuple]:
    return [
        (
            *(
                getattr(m, f)
                for f in ("kind", "side", "segment_id", "start", "end", "text", "value")
            ),
            list(m.attrs.items()),
        )
        for m in ms
    ]


def test_people_on_every_english_sentence() -> None:
    gaz = gz.load()
    named = 0
    for text in _of("en"):
        taken = [(m.start, m.end) for m in gaz.find(text, "en")]
        for spans in ([], taken):
            assert ex.english_people(text, spans) == ref_english_people(text, spans), text
        named += bool(ex.english_people(text, []))
    assert named >= 4


@pytest.mark.parametrize(
    "text",
    [
        "Secretary of State Antony J. Blinken and Minister Luigi Di Maio",
        "U.S. Secretary Blinken",
        "Daesh/ISIS leader al-Baghdadi said",
        "the envoy: Mr. X",
        "President  Biden",
        "President\tBiden",
        "The Ministers tasked the Groups",
        "Foreign Minister de Maizière",
        "Minister-designate Smith",
        "Mr. le Drian",
        "Prime Minister Ōhira of 日本",
        "Minister Émile",
        "His Majesty King Abdullah II",
        "President al-Assad said",
        "Minister el-Sisi",
        "Crown Prince bin Salman",
        "Minister De Mistura",
        "Envoy J. Jeffrey",
        "U.S. Envoy X.",
        "Minister 5 Smith",
        "spokesperson, Ned Price",
        "the minister Ali",
        "Mr.\u00a0Blinken",
    ],
)
def test_people_on_hand_made_sentences(text: str) -> None:
    assert ex.english_people(text, []) == ref_english_people(text, [])


def test_extractor_on_every_sentence() -> None:
    extractor = ex.EntityExtractor()
    total = 0
    for lang, text in _sentences():
        seg = Segment("x-s1", 0, 0, text, 0, len(text))
        got = extractor.extract(seg, lang, "target")
        assert _mention_rows(got) == _mention_rows(ref_extract(text, lang, "target", "x-s1"))
        total += len(got)
        for m in got:  # every mention has its own attributes: changing them changes nothing
            m.attrs["type"] = "changed"
    assert total > 500
    for lang, text in _sentences()[:50]:  # after the changes above
        seg = Segment("x-s1", 0, 0, text, 0, len(text))
        got = extractor.extract(seg, lang, "target")
        assert _mention_rows(got) == _mention_rows(ref_extract(text, lang, "target", "x-s1"))


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "under resolution 2254 and Resolutions No. 2170/2014, Iraq’s and Syria’s"),
        ("en", "UN Security Council resolution 2254 (2015) in Côte d’Ivoire and 日本"),
        ("ar", "وفقا للقرار 2254 وقرارات مجلس الأمن ذات الصلة رقم 2170"),
        ("ar", "قرار رقم 2379 بشأن العراق وسوريا، ومالي وبالاو"),
        ("ar", "دولة مالي وجمهورية تشاد ومدينة روما"),
        ("en", "Minister Luigi Di Maio of Italy and Secretary Blinken of the United States"),
    ],
)
def test_extractor_on_hand_made_sentences(lang: str, text: str) -> None:
    seg = Segment("x-s1", 0, 0, text, 0, len(text))
    got = ex.EntityExtractor().extract(seg, lang, "source")
    assert got
    assert _mention_rows(got) == _mention_rows(ref_extract(text, lang, "source", "x-s1"))


# --- reference: transliteration -----------------------------------------------------


def ref_arabic_word(word: str) -> str:
    t = tl._table()
    w = ref_normalise_ar(word)
    if w.startswith("ال") and len(w) > 4:
        w = w[2:]
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
    collapsed: list[str] = []
    for ch in "".join(out):
        if not collapsed or collapsed[-1] != ch:
            collapsed.append(ch)
    return "".join(collapsed)


def ref_similarity(en_name: str, ar_name: str) -> float:
    a = ref_skeleton(en_name, "en").replace(" ", "")
    b = ref_skeleton(ar_name, "ar").replace(" ", "")
    return float(fuzz.ratio(a, b)) if a and b else 0.0


def ref_is_transliteration(en_name: str, ar_name: str, threshold: float = 80.0) -> bool:
    a = ref_skeleton(en_name, "en").replace(" ", "")
    if len(a) < 2:
        return False
    if len(a) <= 3:
        en_words = [w for w, _, _ in ref_tokens(en_name) if len(w.rstrip(".")) > 1]
        ar_words = [w for w, _, _ in ref_tokens(ar_name) if len(w.rstrip(".")) > 1]
        return len(en_words) == len(ar_words) and ref_similarity(en_name, ar_name) == 100.0
    return ref_similarity(en_name, ar_name) >= threshold


def test_arabic_skeletons_of_every_word() -> None:
    for word in _arabic_words():
        assert tl._arabic_word(word) == ref_arabic_word(word), word


@settings(max_examples=400, deadline=None)
@given(_text)
def test_skeletons_of_generated_names(text: str) -> None:
    assert tl.skeleton(text, "ar") == ref_skeleton(text, "ar")
    assert tl.skeleton(text, "en") == ref_skeleton(text, "en")
    assert tl.flat_skeleton(text, "ar") == ref_skeleton(text, "ar").replace(" ", "")
    assert tl.arabic_reading(text, nz.normalise_ar(text)) == (
        ref_skeleton(text, "ar").replace(" ", ""),
        sum(len(w.rstrip(".")) > 1 for w, _, _ in ref_tokens(text)),
    )


_NAMES = (
    "Antony J. Blinken",
    "Luigi Di Maio",
    "Jean-Yves Le Drian",
    "al-Baghdadi",
    "Di Maio",
    "Blinken",
    "Maio",
    "Mike Pompeo",
    "Faisal bin Farhan",
)


def test_transliteration_tests_on_every_arabic_word() -> None:
    words = sorted({w for text in _of("ar") for w in nz.words(text)})
    for name in _NAMES:
        for word in words:
            assert tl.similarity(name, word) == ref_similarity(name, word)
            assert tl.is_transliteration(name, word) == ref_is_transliteration(name, word)


# --- reference: the person search ---------------------------------------------------


def ref_name_reading(word: str) -> str:
    w = ref_normalise_ar(word)
    for p in check._PREP_ARTICLE:
        if w.startswith(p) and len(w) - len(p) >= 3:
            return "ال" + w[len(p) :]
    return word


def ref_strip_conj(word: str) -> tuple[str, int]:
    for prefix, core in nz.ar_cores(word):
        if prefix in ("و", "ف", "ب", "ل", "وب", "ول") and len(core) > 2:
            return core, len(prefix)
    return word, 0


def ref_find_person(en_name: str, ar_text: str) -> check.PersonHit | None:
    en_words = [w for w, _, _ in ref_tokens(en_name) if len(w.rstrip(".")) > 1]
    if not en_words:
        return None
    words = [t for t in ref_tokens(ar_text) if len(t[0].rstrip(".")) > 1]
    no_name = [ref_normalise_ar(w) in check._NO_NAME for w, _, _ in words]
    en_joined = " ".join(en_words)
    best = None
    m = len(en_words)
    for n in sorted({max(1, m - 1), m, m + 1}):
        for i in range(len(words) - n + 1):
            if any(no_name[i : i + n]):
                continue
            win = words[i : i + n]
            for first, off in dict.fromkeys([(win[0][0], 0), ref_strip_conj(win[0][0])]):
                cand = " ".join(
                    [ref_name_reading(first), *(ref_name_reading(w) for w, _, _ in win[1:])]
                )
                if not ref_is_transliteration(en_joined, cand):
                    continue
                score = ref_similarity(en_joined, cand)
                if best is not None and score <= best.score:
                    continue
                start, end = win[0][1] + off, win[-1][2]
                pairs: tuple = ()
                if n == m:
                    pairs = tuple(
                        (e, w[off if k == 0 else 0 :], s + (off if k == 0 else 0), end_)
                        for k, (e, (w, s, end_)) in enumerate(zip(en_words, win, strict=True))
                    )
                best = check.PersonHit(start, end, ar_text[start:end], score, pairs)
    return best


def test_conjunction_strip_is_the_first_listed_reading() -> None:
    for word in _arabic_words():
        assert check._strip_conj(word) == ref_strip_conj(word), word
        assert check._name_reading(word) == ref_name_reading(word)


def test_person_search_on_every_arabic_sentence() -> None:
    found = 0
    for text in _of("ar"):
        for name in _NAMES:
            hit = check.find_person(name, text)
            assert hit == ref_find_person(name, text), (name, text)
            found += hit is not None
    assert found > 25


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Blinken", "الالتزام بالقانون الدولي وبلكين"),
        ("Luigi Di Maio", "لويجي دي مايو ووزير الخارجية"),
        ("Di Maio", "دعم دي مايو"),
        ("al-Baghdadi", "زعيم داعش البغدادي وأبو بكر البغدادي"),
        ("Antony J. Blinken", "أنتوني ج. بلينكن"),
        ("Jean-Yves Le Drian", "جان إيف لودريان وجان-إيف لو دريان"),
        ("X", "اكس"),
        ("", "بلينكن"),
    ],
)
def test_person_search_on_hand_made_pairs(name: str, text: str) -> None:
    assert check.find_person(name, text) == ref_find_person(name, text)


def test_one_extract_call_scores_as_the_pairwise_ratio() -> None:
    rng = random.Random(7)
    letters = "BCDFGHKLMNRSTW"
    for _ in range(3000):
        a = "".join(rng.choice(letters) for _ in range(rng.randint(2, 10)))
        cands = [
            "".join(rng.choice(letters[: rng.randint(3, 14)]) for _ in range(rng.randint(0, 12)))
            for _ in range(rng.randint(0, 20))
        ] + [a, a[1:], a + "B"]
        want = {k: float(fuzz.ratio(a, c)) for k, c in enumerate(cands)}
        for cut in (80.0, 100.0):
            got = process.extract(a, cands, scorer=fuzz.ratio, score_cutoff=cut, limit=None)
            assert {k: s for _c, s, k in got} == {k: s for k, s in want.items() if s >= cut}


# --- the check's other fast paths ---------------------------------------------------


def ref_text_cores(text: str) -> set[str]:
    return {c for w, _, _ in ref_tokens(text) for _, c in nz.ar_readings(w)}


def test_text_cores_answer_as_the_set_of_every_reading() -> None:
    text = "\n\n".join(d.text for d in _documents() if d.lang == "ar" and "rome" in d.path)
    cores = ref_text_cores(text)
    long_words = [ref_normalise_ar(w) for w in cores if len(w) > 2]
    fast = check._TextCores(nz.normalise_ar_words(nz.words(text)))
    asked = [*sorted(cores)[::7], "بلينكن", "بلنكين", "مايو", "ماريو", "بومبيو", "لودريان", "سس"]
    for last in asked:
        assert fast.has(last) == (last in cores), last
        near = process.extractOne(last, long_words, scorer=fuzz.ratio, score_cutoff=80)
        assert fast.near(last, 80) == (near is not None), last


_PREFIXED = ["", "و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "وبال", "لل", "ولل", "فكال"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_PREFIXED), st.sampled_from(["سيسي", "مايو", "بلينكن", "سا"])),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["سيسي", "سيسا", "مايو", "ماي", "بلينكين", "لينكن", "سا", "الس"]),
)
def test_text_cores_on_generated_text(words: list[tuple[str, str]], last: str) -> None:
    text = " ".join(p + w for p, w in words)
    cores = ref_text_cores(text)
    long_words = [ref_normalise_ar(w) for w in cores if len(w) > 2]
    fast = check._TextCores(nz.normalise_ar_words(nz.words(text)))
    assert fast.has(last) == (last in cores)
    near = process.extractOne(last, long_words, scorer=fuzz.ratio, score_cutoff=80)
    assert fast.near(last, 80) == (near is not None)


def ref_adjective_present(key: str, segs: list[Segment], lang: str) -> bool:
    adjectives = gz.adjective_forms(key, lang)
    for seg in segs:
        if lang == "ar":
            found = {c for w, _, _ in ref_tokens(seg.text) for _, c in nz.ar_readings(w)}
        else:
            found = {w.lower() for w, _, _ in ref_tokens(seg.text)}
        if not adjectives.isdisjoint(found):
            return True
    return False


def ref_word_with_core(segs: list[Segment], lang: str, cores: frozenset[str]) -> str | None:
    for seg in segs:
        for w, _, _ in ref_tokens(seg.text):
            if lang == "ar":
                if any(c in cores for _, c in nz.ar_cores(w)):
                    return w
            elif w.lower() in cores:
                return w
    return None


def _keys_in_text() -> list[str]:
    gaz = gz.load()
    keys = {m.key for lang, text in _sentences() for m in gaz.find(text, lang, guard=False)}
    return sorted(k for k in keys if k.split(":")[0] in ("country", "region"))


def test_adjectives_and_generic_nouns_on_every_sentence() -> None:
    keys = _keys_in_text()
    assert len(keys) > 20
    hits = 0
    for lang, text in _sentences():
        segs = [Segment("x-s1", 0, 0, text, 0, len(text))]
        for key in keys:
            present = check._adjective_present(key, segs, lang)
            assert present == ref_adjective_present(key, segs, lang), (key, text)
            hits += present
            adjectives = gz.adjective_forms(key, lang)
            assert check._adjective_in(key, segs, lang) == (
                ref_word_with_core(segs, lang, adjectives) if adjectives else None
            )
        for typ in ("org", "country", "person"):
            forms = check._generic_forms(typ, lang)
            want = ref_word_with_core(segs, lang, forms) if forms else None
            assert check._generic_reference(typ, segs, lang) == want
    assert hits > 20


def ref_coordinated_lists(mentions: list[Mention], text: str, lang: str) -> list[list[Mention]]:
    seps = check._AR_SEPARATORS if lang == "ar" else check._EN_SEPARATORS
    ms = sorted(
        (m for m in mentions if m.attrs.get("type") not in ("person", "resolution")),
        key=lambda m: m.start,
    )
    runs: list[list[Mention]] = []
    for m in ms:
        if runs and runs[-1][-1].attrs["type"] == m.attrs["type"] and m.start >= runs[-1][-1].end:
            gap = " ".join(text[runs[-1][-1].end : m.start].split())
            gap = ref_normalise_ar(gap) if lang == "ar" else gap
            if gap in seps:
                runs[-1].append(m)
                continue
        runs.append([m])
    return [r for r in runs if len(r) >= 2]


def test_coordinated_lists_on_every_sentence() -> None:
    extractor = ex.EntityExtractor()
    lists = 0
    for lang, text in _sentences():
        ms = extractor.extract(Segment("x-s1", 0, 0, text, 0, len(text)), lang, "source")
        got = check.coordinated_lists(ms, text, lang)
        assert got == ref_coordinated_lists(ms, text, lang)
        lists += len(got)
    assert lists > 10


# --- the comparison of aligned sentences --------------------------------------------


def ref_compare(
    self: check.EntityCheck,
    bitext: Bitext,
    src: list[Segment],
    tgt: list[Segment],
    by_seg: dict[str, list[Mention]],
) -> list:
    """The comparison without its early exits: every first mention of a key is looked
    for on the other side."""
    s_ms = [m for s in src for m in by_seg[s.id] if m.attrs.get("type") != "person"]
    t_ms = [m for s in tgt for m in by_seg[s.id] if m.attrs.get("type") != "person"]
    s_lang, t_lang = bitext.source.lang, bitext.target.lang

    def present(key: str, segs: list[Segment], ms: list[Mention], lang: str) -> bool:
        if any(m.value == key for m in ms):
            return True
        if any(key in {g.key for g in gz.load().find(s.text, lang, guard=False)} for s in segs):
            return True
        return ref_adjective_present(key, segs, lang)

    missing = [
        m
        for m in check._first_per_key(s_ms)
        if not m.attrs.get("ambiguous") and not present(m.value, tgt, t_ms, t_lang)
    ]
    added = [
        m
        for m in check._first_per_key(t_ms)
        if not m.attrs.get("ambiguous") and not present(m.value, src, s_ms, s_lang)
    ]
    # each missing entity with the added one of its type that substitutes it, if any
    out = []
    for m in missing:
        sub = next((a for a in added if a.attrs["type"] == m.attrs["type"]), None)
        if sub is not None:
            added.remove(sub)
        out.append((m.value, None if sub is None else sub.value))
    return out


def _bitexts() -> list[Bitext]:
    from aligner.ingest import load_pair, load_record

    pairs = [load_record(str(SEED_ROME)), load_pair(str(ROME_EN), str(ROME_AR))]
    seeds = sorted((CORPORA / "seeds").glob("*.txt"))
    en = CORPORA / "originals" / "paris2019-roadmap-statedept.en.txt"
    pairs += [load_pair(str(en), str(s)) for s in seeds if s.name.startswith(("000", "003"))]
    return [
        run(
            make_bitext(s, t),
            Settings(embedder="none", word_align="off"),
            steps=("segment", "align", "extract"),
        )
        for s, t in pairs
    ]


def test_comparison_of_every_aligned_pair() -> None:
    entity = check.EntityCheck()
    reported = 0
    for bitext in _bitexts():
        by_seg: dict[str, list[Mention]] = {}
        for m in bitext.mentions:
            if m.kind == "entity":
                by_seg.setdefault(m.segment_id, []).append(m)
        by_seg_d = {
            **{s.id: [] for d in (bitext.source, bitext.target) for s in d.segments},
            **by_seg,
        }
        for al in bitext.alignments:
            src = [bitext.source.segments[i] for i in al.src]
            tgt = [bitext.target.segments[i] for i in al.tgt]
            if not src or not tgt:
                continue
            got = entity._compare(bitext, src, tgt, by_seg_d)
            want = ref_compare(entity, bitext, src, tgt, by_seg_d)
            assert [(f.details["source"], f.details.get("target")) for f in got] == want
            reported += len(got)
    assert reported > 10
