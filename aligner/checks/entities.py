"""Entity check: entities missing, substituted, miscounted or misspelt across a translation.

Between aligned sentences it compares canonical entity keys (``country:IQ`` …): a key
of the source with no counterpart is *missing*, or *substituted* when the translation
has another entity of the same type in its place; a coordinated list whose items lost
their و is a *list-count* error. English people are found on the Arabic side by
transliteration (:mod:`aligner.entities.translit`); one person spelt two ways in the
document is *misspelt*, corrected to the majority/metadata form. Finally the archive
record's related persons and target countries are checked against the text.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from operator import attrgetter

from rapidfuzz import fuzz, process

from aligner.checks.base import Check
from aligner.entities.gazetteer import adjective_forms, data_rows, load
from aligner.entities.normalise import (
    ar_readings,
    normalise_ar,
    normalise_ar_words,
    normalised_spans,
    reading_prefixes,
    word_spans,
)
from aligner.entities.normalise import words as word_texts
from aligner.entities.translit import (
    MATCH_THRESHOLD,
    SHORT_SKELETON,
    arabic_reading,
    flat_skeleton,
    is_transliteration,
    name_word_count,
    similarity,
)
from aligner.extract.entities import EntityExtractor
from aligner.memo import memo
from aligner.model import (
    Bitext,
    Correction,
    Document,
    Evidence,
    Finding,
    Mention,
    Segment,
    Severity,
)

#: Arabic list separators between two coordinated items
_AR_SEPARATORS = {"", "،", ",", "و", "او", "؛"}
_EN_SEPARATORS = {"", ",", "and", "or", ", and", ", or", ",and"}
_NO_NAME = {"في", "من", "على", "الى", "عن", "مع", "وزير", "وزراء", "الخارجيه", "رئيس"}


@dataclass(frozen=True)
class PersonHit:
    """An Arabic spelling of an English name: span in the Arabic text, word pairs, score."""

    start: int
    end: int
    text: str
    score: float
    words: tuple[tuple[str, str, int, int], ...]  # (English word, Arabic word, start, end)


#: preposition/conjunction + article: بالقانون is "by the law", never a name spelling
_PREP_ARTICLE = ("وبال", "ولل", "وال", "بال", "فال", "كال", "لل")


@memo(maxsize=65536)
def _name_reading(word: str) -> str:
    """Drop a preposition before the article (بالقانون → القانون) so that common
    words do not pass for a name (Blinken ~ بالقانون would otherwise score 89)."""
    return _name_reading_of(word, normalise_ar(word))[0]


def _name_reading_of(word: str, norm: str) -> tuple[str, str]:
    """:func:`_name_reading` of ``word`` whose normalised form is ``norm``, with the
    reading's normalised form."""
    if norm.startswith(_PREP_ARTICLE):
        for p in _PREP_ARTICLE:
            if norm.startswith(p) and len(norm) - len(p) >= 3:
                reading = "ال" + norm[len(p) :]
                return reading, reading
    return word, norm


def _name_words(name: str) -> list[str]:
    return [w for w in word_spans(name)[0] if len(w.rstrip(".")) > 1]


#: prefixes :func:`_strip_conj` removes
_CONJ_PREFIXES = ("و", "ف", "ب", "ل", "وب", "ول")


@memo(maxsize=65536)
def _strip_conj(word: str) -> tuple[str, int]:
    """ووزير → وزير with the offset removed; only و/ف conjunctions and ب/ل prepositions
    (the first reading of :func:`ar_cores` with such a prefix and a core of three
    letters or more)."""
    return _strip_conj_of(word, normalise_ar(word))


def _strip_conj_of(word: str, norm: str) -> tuple[str, int]:
    """:func:`_strip_conj` of ``word`` whose normalised form is ``norm``.

    In the order of :func:`ar_readings`, a word of four letters or more that begins
    with one of the one-letter prefixes has that prefix stripped before any other
    listed one (وب and ول come after و), so the answer is that letter off; no other
    word has such a reading (tests/test_fast_entities.py holds the reading loop)."""
    if len(norm) >= 4 and norm.startswith(_CONJ_ONE_LETTER):
        return norm[1:], 1
    return word, 0


_CONJ_ONE_LETTER = tuple(p for p in _CONJ_PREFIXES if len(p) == 1)


@memo(maxsize=65536)
def _person_word(word: str, norm: str) -> tuple[bool, tuple[tuple[str, int, int], ...]]:
    """What :func:`find_person` asks of an Arabic word (normalised: ``norm``), once per
    word: whether it is no name, and its (skeleton, words, offset) as a name's first
    word, literal first, then with a conjunction removed (the literal one is also its
    reading as a later word)."""
    literal = (*arabic_reading(*_name_reading_of(word, norm)), 0)
    core, off = _strip_conj_of(word, norm)
    if not off:
        return norm in _NO_NAME, (literal,)
    # a core is a suffix of the normalised word: normalised already
    return norm in _NO_NAME, (literal, (*arabic_reading(*_name_reading_of(core, core)), off))


def find_person(en_name: str, ar_text: str) -> PersonHit | None:
    """The best Arabic spelling of ``en_name`` in ``ar_text`` (None below the threshold).

    Windows of as many Arabic words as the English name has (±1), initials such as
    ج. skipped, an attached و/ب/ل allowed on the first word. The first window with the
    best :func:`~aligner.entities.translit.similarity` wins, among those that pass
    :func:`~aligner.entities.translit.is_transliteration` (the same tests, on skeletons
    computed once per word: a window's is the concatenation of its words').
    """
    if len(ar_text) > _MEMO_MAX_CHARS:
        return _find_person(en_name, ar_text)
    return _find_person_memo(en_name, ar_text)


#: sentences up to this length have their people memoised
_MEMO_MAX_CHARS = 1000


@memo(maxsize=4096)
def _find_person_memo(en_name: str, ar_text: str) -> PersonHit | None:
    """Memoised per name and sentence (documents and batches repeat their sentences)."""
    return _find_person(en_name, ar_text)


def _reachable_lengths(la: int, cutoff: float) -> tuple[int, int]:
    """The lengths a string can have and still score ``cutoff`` against one of length
    ``la`` (``la`` ≥ 1, 0 < ``cutoff`` ≤ 100). The Indel ratio of lengths la, lb is at most
    100·2·min(la, lb)/(la + lb); the bounds are widened by a hair, so that float
    rounding never rules out a string that scores."""
    lo = math.ceil(cutoff * la / (200 - cutoff) - 1e-9)
    hi = math.floor((200 - cutoff) * la / cutoff + 1e-9)
    return lo, hi


def _find_person(en_name: str, ar_text: str) -> PersonHit | None:
    en_words = _name_words(en_name)
    if not en_words:
        return None
    en_joined = " ".join(en_words)
    a = flat_skeleton(en_joined, "en")
    if len(a) < 2:  # is_transliteration: one consonant matches nothing
        return None
    short = len(a) <= SHORT_SKELETON
    en_count = name_word_count(en_joined)
    texts, starts, ends = word_spans(ar_text)
    norms = normalised_spans(ar_text)[0]  # the same words, normalised
    keep = [k for k, w in enumerate(texts) if len(w.rstrip(".")) > 1]
    info = [_person_word(texts[k], norms[k]) for k in keep]
    # windows holding a word that is no name are skipped: a running count of them
    no_name = list(accumulate((bad for bad, _ in info), initial=0))
    firsts = [r for _, r in info]
    readings = [r[0] for r in firsts]  # (skeleton, words, 0) of each word as it stands
    skels = [r[0] for r in readings]
    counts = list(accumulate((r[1] for r in readings), initial=0))
    lens = list(accumulate(map(len, skels), initial=0))
    m = len(en_words)
    # only the windows whose skeleton's length can reach the cutoff are joined and scored
    # (rapidfuzz would reject the others unscored; the order of the rest is kept, so the
    # first best window is the same)
    cutoff = 100.0 if short else MATCH_THRESHOLD
    lo, hi = _reachable_lengths(len(a), cutoff)
    cands: list[str] = []
    where: list[tuple[int, int, int, int]] = []  # size, first word, offset, words
    for n in sorted({max(1, m - 1), m, m + 1}):
        for i in range(len(keep) - n + 1):
            if no_name[i + n] != no_name[i]:
                continue
            rest_len = lens[i + n] - lens[i + 1]
            rest = None
            for skel, count, off in firsts[i]:
                if not lo <= len(skel) + rest_len <= hi:
                    continue
                if rest is None:
                    rest = "".join(skels[i + 1 : i + n])
                cands.append(skel + rest)
                where.append((n, i, off, count + counts[i + n] - counts[i + 1]))
    # scored at once; a short skeleton must match exactly and word for word
    best: tuple[float, int] | None = None  # the first window of the best score
    for _c, score, k in process.extract(
        a, cands, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
    ):
        if short and where[k][3] != en_count:
            continue
        if best is None or score > best[0] or (score == best[0] and k < best[1]):
            best = (float(score), k)
    if best is None:
        return None
    score = best[0]
    n, i, off, _count = where[best[1]]
    win = keep[i : i + n]
    start, end = starts[win[0]] + off, ends[win[-1]]
    pairs: tuple[tuple[str, str, int, int], ...] = ()
    if n == m:
        pairs = tuple(
            (e, texts[w][off if k == 0 else 0 :], starts[w] + (off if k == 0 else 0), ends[w])
            for k, (e, w) in enumerate(zip(en_words, win, strict=True))
        )
    return PersonHit(start, end, ar_text[start:end], score, pairs)


def coordinated_lists(mentions: list[Mention], text: str, lang: str) -> list[list[Mention]]:
    """Runs of two or more same-type entities separated only by list separators."""
    seps = _AR_SEPARATORS if lang == "ar" else _EN_SEPARATORS
    ms = [m for m in mentions if m.attrs.get("type") not in ("person", "resolution")]
    if len(ms) < 2:
        return []
    ms.sort(key=_START)
    arabic = lang == "ar"
    runs: list[list[Mention]] = []
    for m in ms:
        if runs and runs[-1][-1].attrs["type"] == m.attrs["type"] and m.start >= runs[-1][-1].end:
            chunks = text[runs[-1][-1].end : m.start].split()
            # Arabic: two chunks keep a space through normalise_ar, and no separator
            # has one (checked in the tests), so only a gap of one chunk is normalised
            if arabic:
                sep = len(chunks) < 2 and normalise_ar("".join(chunks)) in seps
            else:
                sep = " ".join(chunks) in seps
            if sep:
                runs[-1].append(m)
                continue
        runs.append([m])
    return [r for r in runs if len(r) >= 2]


_START = attrgetter("start")


def _ar_connected(run: list[Mention], text: str, k: int) -> bool:
    """Whether item ``k`` (k ≥ 1) of an Arabic list is joined to the previous one."""
    gap = normalise_ar(text[run[k - 1].end : run[k].start]).strip()
    return bool(gap) or str(run[k].attrs.get("prefix", "")).startswith(("و", "ف"))


def _ev(side: str, seg: Segment, start: int | None = None, end: int | None = None) -> Evidence:
    span = (start, end) if start is not None and end is not None else None
    return Evidence(side=side, segment_id=seg.id, sentence=seg.text, span=span)


class _Sentences:
    """Per-run memo of what the comparisons ask of each sentence (raw gazetteer keys,
    word forms) and of each document (its normalised words), computed once instead of
    once per missing key."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, str], frozenset[str]] = {}
        self._words: dict[tuple[str, str], frozenset[str]] = {}

    def keys(self, seg: Segment, lang: str) -> frozenset[str]:
        """Keys of every gazetteer form in the sentence, ambiguous ones included."""
        k = (seg.text, lang)
        if k not in self._keys:
            self._keys[k] = frozenset(g.key for g in load().find(seg.text, lang, guard=False))
        return self._keys[k]

    def document_words(self, text: str) -> tuple[str, ...]:
        """The :func:`normalise_ar` of every word of a whole document."""
        return _document_words(text)

    def word_count(self, text: str, word: str) -> int:
        """How many words of a whole document :func:`normalise_ar` to ``word`` (the
        count of :meth:`document_words`, without counting them all). The words are joined by
        two NULs (no word holds one; two, so that neighbouring words do not share
        theirs), and ``str.count`` counts the word with a NUL on each side."""
        if not word or "\x00" in word:  # not a word the joined text can count
            return self.document_words(text).count(word)
        return _document_joined(text).count(f"\x00{word}\x00")

    def words(self, seg: Segment, lang: str) -> frozenset[str]:
        """The normalised Arabic words (whose readings are the words' readings), or the
        lower-cased English words."""
        k = (seg.text, lang)
        if k not in self._words:
            if lang == "ar":
                self._words[k] = frozenset(normalised_spans(seg.text)[0])
            else:
                self._words[k] = frozenset(w.lower() for w in word_spans(seg.text)[0])
        return self._words[k]


#: whole documents whose words are memoised (a document is checked against two
#: translations in a run; a batch moves on)
_DOCUMENTS = 8


@memo(maxsize=_DOCUMENTS)
def _document_words(text: str) -> tuple[str, ...]:
    """:meth:`_Sentences.document_words`, memoised per document."""
    return tuple(normalise_ar_words(word_texts(text)))


@memo(maxsize=_DOCUMENTS)
def _document_joined(text: str) -> str:
    """The words of :func:`_document_words` joined by two NULs, with one NUL at each end
    (the metadata comparison reads the same words)."""
    joined = "\x00\x00".join(_document_words(text))
    return f"\x00{joined}\x00"


class _TextCores:
    """The core readings of every word of a text, asked about one core at a time.

    Reading every word of a document costs more than the question: a core is a suffix
    of its normalised word behind a prefix a reading strips, so only the words that are
    such a prefix + the core (or, for closeness, whose short suffixes are close) are read.
    """

    def __init__(self, normalised: Sequence[str]) -> None:
        self.words = frozenset(normalised)
        self._suffixes: list[str] | None = None

    def has(self, core: str) -> bool:
        """Whether some word of the text has ``core`` among its readings' cores."""
        return any(
            any(c == core for _, c in ar_readings(w))
            for w in self.words.intersection(p + core for p in reading_prefixes())
        )

    def near(self, word: str, cutoff: float) -> bool:
        """Whether a core longer than two letters is within ``cutoff`` (Indel ratio) of
        ``word``: the suffixes that can be cores are screened, the close ones read."""
        if self._suffixes is None:
            cut = max(map(len, reading_prefixes()))
            self._suffixes = list(
                {w[k:] for w in self.words for k in range(cut + 1) if len(w) - k > 2}
            )
        close = process.extract(
            word, self._suffixes, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        )
        return any(self.has(s) for s, _score, _i in close)


@memo(maxsize=4096)
def _with_prefixes(cores: frozenset[str]) -> frozenset[str]:
    """Every normalised Arabic word one of whose readings can be one of ``cores``
    (a word is prefix + core): the words worth reading in full."""
    return frozenset({p + c for c in cores for p in reading_prefixes()})


def _has_core(text: str, cores: frozenset[str]) -> str | None:
    """The first word of the sentence ``text`` with a reading among ``cores``, as
    written, or None. Only the words that :func:`_with_prefixes` admits are read."""
    heads = _with_prefixes(cores)
    norm = normalised_spans(text)[0]
    if heads.isdisjoint(norm):
        return None
    for word, n in zip(word_spans(text)[0], norm, strict=True):
        if n in heads and any(c in cores for _, c in ar_readings(word)):
            return word
    return None


class EntityCheck(Check):
    """Entities across aligned sentences and within one document."""

    name = "entity"

    def run(self, bitext: Bitext) -> Iterable[Finding]:
        mentions = [m for m in bitext.mentions if m.kind == "entity"]
        if not mentions:  # the extract stage did not run: extract here (a check never mutates)
            ex = EntityExtractor()
            for side in ("source", "target"):
                doc = bitext.side(side)
                for seg in doc.segments:
                    mentions.extend(ex.extract(seg, doc.lang, side))
        by_seg: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            by_seg[m.segment_id].append(m)
        findings: list[Finding] = []
        person_forms: dict[tuple[str, str], list[tuple[str, Segment, int, int]]] = defaultdict(list)
        sentences = _Sentences()
        for al in bitext.alignments:
            src = [bitext.source.segments[i] for i in al.src]
            tgt = [bitext.target.segments[i] for i in al.tgt]
            if not src or not tgt:
                continue  # omissions are the omission check's business
            findings.extend(self._compare(bitext, src, tgt, by_seg, sentences))
            findings.extend(self._lists(bitext, src, tgt, by_seg))
            findings.extend(self._people(bitext, src, tgt, by_seg, person_forms))
        findings.extend(self._misspelt(bitext, person_forms, sentences))
        findings.extend(self._metadata(bitext, mentions, sentences))
        return sorted(findings, key=lambda f: f.sort_key())

    def _compare(
        self,
        bitext: Bitext,
        src: list[Segment],
        tgt: list[Segment],
        by_seg: dict[str, list[Mention]],
        sentences: _Sentences | None = None,
    ) -> list[Finding]:
        s_ms = [m for s in src for m in by_seg[s.id] if m.attrs.get("type") != "person"]
        if not s_ms:  # nothing to look for (many beads)
            return []
        t_ms = [m for s in tgt for m in by_seg[s.id] if m.attrs.get("type") != "person"]
        s_keys, t_keys = {m.value for m in s_ms}, {m.value for m in t_ms}
        s_only = s_keys - t_keys
        if not s_only:  # every source entity has a mention in the translation
            return []
        memo = sentences or _Sentences()
        s_lang, t_lang = bitext.source.lang, bitext.target.lang

        def present(key: str, segs: list[Segment], lang: str) -> bool:
            # not among the mentions: the raw look-up tolerates guarded forms (مالي), lists
            if any(key in memo.keys(s, lang) for s in segs):
                return True
            return _adjective_present(key, segs, lang, memo)

        missing = [
            m
            for m in _first_per_key(s_ms)
            if m.value in s_only
            and not m.attrs.get("ambiguous")
            and not present(m.value, tgt, t_lang)
        ]
        if not missing:  # added entities are reported only as substitutes of missing ones
            return []
        t_only = t_keys - s_keys
        added = [
            m
            for m in _first_per_key(t_ms)
            if m.value in t_only
            and not m.attrs.get("ambiguous")
            and not present(m.value, src, s_lang)
        ]
        out = []
        for m in missing:
            seg_s = _seg_of(src, m)
            sub = next((a for a in added if a.attrs["type"] == m.attrs["type"]), None)
            if sub is not None:
                added.remove(sub)
                seg_t = _seg_of(tgt, sub)
                out.append(
                    Finding(
                        category="entity.substituted",
                        severity=Severity.ERROR,
                        confidence=0.75,
                        message=(
                            f"{m.attrs['type']} “{m.text}” ({m.value}) is rendered as "
                            f"“{sub.text}” ({sub.value}), a different {sub.attrs['type']}"
                        ),
                        check=self.name,
                        source=_ev("source", seg_s, m.start, m.end),
                        target=_ev("target", seg_t, sub.start, sub.end),
                        details={"source": m.value, "target": sub.value, "type": m.attrs["type"]},
                    )
                )
            else:
                generic = _generic_reference(m.attrs["type"], tgt, t_lang)
                out.append(
                    Finding(
                        category="entity.missing",
                        severity=Severity.INFO if generic else Severity.WARNING,
                        confidence=0.35 if generic else 0.7,
                        message=(
                            f"{m.attrs['type']} “{m.text}” ({m.value}) has no counterpart "
                            "in the aligned translation"
                            + (f" (perhaps referred to as “{generic}”)" if generic else "")
                        ),
                        check=self.name,
                        source=_ev("source", seg_s, m.start, m.end),
                        target=_ev("target", tgt[0]),
                        details={"source": m.value, "type": m.attrs["type"]},
                    )
                )
        return out

    def _lists(
        self,
        bitext: Bitext,
        src: list[Segment],
        tgt: list[Segment],
        by_seg: dict[str, list[Mention]],
    ) -> list[Finding]:
        if bitext.same_language or bitext.target.lang != "ar":
            return []
        s_runs = [
            (seg, r)
            for seg in src
            for r in coordinated_lists(by_seg[seg.id], seg.text, bitext.source.lang)
        ]
        if not s_runs:  # nothing listed in the source: nothing to count
            return []
        out = []
        t_runs = [
            (seg, r) for seg in tgt for r in coordinated_lists(by_seg[seg.id], seg.text, "ar")
        ]
        for seg, run in s_runs:
            keys = {m.value for m in run}
            best = max(t_runs, key=lambda sr: len(keys & {m.value for m in sr[1]}), default=None)
            if best is None or len(keys & {m.value for m in best[1]}) < 2:
                continue
            tseg, trun = best
            joined = 1 + sum(_ar_connected(trun, tseg.text, k) for k in range(1, len(trun)))
            if joined == len(run):
                continue
            sic = tseg.text[trun[0].start : trun[-1].end]
            items = [trun[0].text] + [
                m.text if _ar_connected(trun, tseg.text, k) else "و" + m.text
                for k, m in enumerate(trun[1:], start=1)
            ]
            corr = " ".join(items) if len(trun) == len(run) else None
            out.append(
                Finding(
                    category="entity.list-count",
                    severity=Severity.WARNING,
                    confidence=0.8,
                    message=(
                        f"the source lists {len(run)} {run[0].attrs['type']} names, the "
                        f"translation coordinates {joined} (“{sic}”)"
                        + (f"; a و is missing: “{corr}”" if corr else "")
                    ),
                    check=self.name,
                    source=_ev("source", seg, run[0].start, run[-1].end),
                    target=_ev("target", tseg, trun[0].start, trun[-1].end),
                    correction=Correction("target", sic, corr) if corr else None,
                    details={
                        "source_items": len(run),
                        "target_items": joined,
                        "keys": [m.value for m in run],
                    },
                )
            )
        return out

    def _people(
        self,
        bitext: Bitext,
        src: list[Segment],
        tgt: list[Segment],
        by_seg: dict[str, list[Mention]],
        forms: dict[tuple[str, str], list[tuple[str, Segment, int, int]]],
    ) -> list[Finding]:
        if {bitext.source.lang, bitext.target.lang} != {"en", "ar"}:
            return []
        en_segs, ar_segs = (src, tgt) if bitext.source.lang == "en" else (tgt, src)
        en_side, ar_side = (
            ("source", "target") if bitext.source.lang == "en" else ("target", "source")
        )
        out = []
        for seg in en_segs:
            for m in by_seg[seg.id]:
                if m.attrs.get("type") != "person":
                    continue
                hits = [(s, find_person(m.text, s.text)) for s in ar_segs]
                found = [(s, h) for s, h in hits if h is not None]
                if not found:
                    out.append(
                        Finding(
                            category="entity.missing",
                            severity=Severity.WARNING,
                            confidence=0.6,
                            message=(
                                f"person “{m.text}” has no transliteration "
                                "in the aligned translation"
                            ),
                            check=self.name,
                            source=_ev(en_side, seg, m.start, m.end)
                            if en_side == "source"
                            else None,
                            target=_ev(ar_side, ar_segs[0]) if ar_side == "target" else None,
                            details={"source": m.value, "type": "person"},
                        )
                    )
                    continue
                s, h = max(found, key=lambda sh: sh[1].score)
                for en_word, ar_word, a, b in h.words:
                    forms[(m.value, en_word)].append((ar_word, s, a, b))
        return out

    def _misspelt(
        self,
        bitext: Bitext,
        forms: dict[tuple[str, str], list[tuple[str, Segment, int, int]]],
        sentences: _Sentences | None = None,
    ) -> list[Finding]:
        memo = sentences or _Sentences()
        ar_doc = bitext.target if bitext.target.lang == "ar" else bitext.source
        ar_side = "target" if ar_doc is bitext.target else "source"
        meta_words = [w for p in _related_persons(bitext) for w in _name_words(p)]
        out = []
        for (key, en_word), occ in sorted(forms.items(), key=lambda kv: kv[0]):
            variants = {normalise_ar(w) for w, *_ in occ}
            meta = [w for w in meta_words if is_transliteration(en_word, w)]
            variants |= {normalise_ar(w) for w in meta}
            if len(variants) < 2:
                continue
            surface = {normalise_ar(w): w for w in meta}
            surface.update({normalise_ar(w): w for w, *_ in occ})

            meta_norm = {normalise_ar(w) for w in meta}

            def rank(v: str, _en: str = en_word, _meta: set[str] = meta_norm) -> tuple:
                in_meta = v in _meta
                used = memo.word_count(ar_doc.text, v)  # in the document
                return (used + in_meta, in_meta, similarity(_en, v), v)

            best = max(sorted(variants), key=rank)
            for word, seg, a, b in occ:
                if normalise_ar(word) == best:
                    continue
                ev = _ev(ar_side, seg, a, b)
                out.append(
                    Finding(
                        category="entity.misspelt",
                        severity=Severity.WARNING,
                        confidence=0.85,
                        message=(
                            f"“{word}” for {en_word} ({key}) is spelt “{surface[best]}` elsewhere "
                            "in the document or its metadata"
                        ).replace("`", "”"),
                        check=self.name,
                        source=ev if ar_side == "source" else None,
                        target=ev if ar_side == "target" else None,
                        correction=Correction(ar_side, word, surface[best]),
                        details={"entity": key, "word": en_word, "variants": sorted(variants)},
                    )
                )
        return out

    def _metadata(
        self, bitext: Bitext, mentions: list[Mention], sentences: _Sentences | None = None
    ) -> list[Finding]:
        memo = sentences or _Sentences()
        out = []
        gaz = load()
        keys = {m.value for m in mentions}
        text_words: _TextCores | None = None  # read when the metadata names a person
        for doc in (bitext.source, bitext.target):
            md = doc.metadata
            if md is None:
                continue
            for person in dict.fromkeys(md.related_persons):
                words = _name_words(person)
                if not words:
                    continue
                if text_words is None:
                    text_words = _TextCores(memo.document_words(_arabic_text(bitext)))
                last = normalise_ar(words[-1])
                if text_words.has(last) or text_words.near(normalise_ar(last), 80):
                    continue
                out.append(
                    Finding(
                        category="entity.metadata",
                        severity=Severity.INFO,
                        confidence=0.6,
                        message=(
                            f"related person “{person}” in the record's metadata "
                            "never appears in the text"
                        ),
                        check=self.name,
                        target=Evidence(
                            side="metadata",
                            segment_id=None,
                            sentence=person,
                            field="related_persons",
                        ),
                        details={"person": person},
                    )
                )
            for country in dict.fromkeys(md.target_countries):
                key = gaz.lookup(country, "ar") or gaz.lookup(country, "en")
                if key is None or key in keys:
                    continue
                out.append(
                    Finding(
                        category="entity.metadata",
                        severity=Severity.INFO,
                        confidence=0.5,
                        message=(
                            f"target country “{country}” ({key}) in the metadata "
                            "is not mentioned in the text"
                        ),
                        check=self.name,
                        target=Evidence(
                            side="metadata",
                            segment_id=None,
                            sentence=country,
                            field="target_countries",
                        ),
                        details={"country": key},
                    )
                )
        return out


@cache
def _generic_forms(entity_type: str, lang: str) -> frozenset[str]:
    return frozenset(
        row[2]
        for row in data_rows("generic_references.tsv")
        if row[0] == entity_type and row[1] == lang
    )


def _generic_reference(entity_type: str, segs: list[Segment], lang: str) -> str | None:
    """A generic noun for the entity's type in ``segs`` (التنظيم for Daesh), as written."""
    forms = _generic_forms(entity_type, lang)
    if not forms:
        return None
    for seg in segs:
        if lang == "ar":
            if (word := _has_core(seg.text, forms)) is not None:
                return word
        else:
            for word in word_spans(seg.text)[0]:
                if word.lower() in forms:
                    return word
    return None


def _adjective_present(
    key: str, segs: list[Segment], lang: str, memo: _Sentences | None = None
) -> bool:
    """The entity rendered as its adjective ("Government of Iraq" → "الحكومة العراقية")."""
    adjectives = adjective_forms(key, lang)
    if not adjectives:
        return False
    memo = memo or _Sentences()
    if lang != "ar":
        return any(not adjectives.isdisjoint(memo.words(seg, lang)) for seg in segs)
    heads = _with_prefixes(adjectives)
    return any(
        not adjectives.isdisjoint(c for _, c in ar_readings(w))
        for seg in segs
        for w in heads.intersection(memo.words(seg, lang))
    )


def _adjective_in(key: str, segs: list[Segment], lang: str) -> str | None:
    """The word of ``segs`` that renders the entity as its adjective, as written."""
    adjectives = adjective_forms(key, lang)
    for seg in segs if adjectives else []:
        if lang == "ar":
            if (word := _has_core(seg.text, adjectives)) is not None:
                return word
        else:
            for word in word_spans(seg.text)[0]:
                if word.lower() in adjectives:
                    return word
    return None


def _related_persons(bitext: Bitext) -> list[str]:
    return [
        p for d in (bitext.source, bitext.target) if d.metadata for p in d.metadata.related_persons
    ]


def _arabic_text(bitext: Bitext) -> str:
    docs: list[Document] = [d for d in (bitext.source, bitext.target) if d.lang == "ar"]
    return "\n\n".join(d.text for d in docs)


def _first_per_key(ms: list[Mention]) -> list[Mention]:
    seen: dict[str, Mention] = {}
    for m in sorted(ms, key=lambda m: (m.segment_id, m.start)):
        seen.setdefault(str(m.value), m)
    return list(seen.values())


def _seg_of(segs: list[Segment], m: Mention) -> Segment:
    return next(s for s in segs if s.id == m.segment_id)


def entity_match_table(bitext: Bitext) -> list[tuple[str, str, str]]:
    """Every entity of the English side with its Arabic counterpart and how it was matched.

    Rows are (English surface, Arabic surface or "", method) where method is
    ``gazetteer:<key>``, ``adjective:<key>`` (العراقية for Iraq), ``transliteration:<score>``
    or ``unmatched:<key>``.
    """
    en_name = "source" if bitext.source.lang == "en" else "target"
    ar_name = "target" if en_name == "source" else "source"
    en_doc, ar_doc = bitext.side(en_name), bitext.side(ar_name)
    ex = EntityExtractor()
    gaz = load()
    rows: list[tuple[str, str, str]] = []
    for al in bitext.alignments:
        en_idx, ar_idx = (al.src, al.tgt) if en_name == "source" else (al.tgt, al.src)
        en_segs = [en_doc.segments[i] for i in en_idx]
        ar_segs = [ar_doc.segments[i] for i in ar_idx]
        ar_ms = [m for s in ar_segs for m in ex.extract(s, "ar", ar_name)]
        seen: set[str] = set()
        for seg in en_segs:
            for m in ex.extract(seg, "en", en_name):
                if m.value in seen:
                    continue
                seen.add(str(m.value))
                if m.attrs["type"] == "person":
                    hits = [h for s in ar_segs if (h := find_person(m.text, s.text))]
                    if hits:
                        h = max(hits, key=lambda x: x.score)
                        rows.append((m.text, h.text, f"transliteration:{h.score:.0f}"))
                    else:
                        rows.append((m.text, "", f"unmatched:{m.value}"))
                    continue
                twin = next((a for a in ar_ms if a.value == m.value), None)
                if twin is None:
                    raw = [
                        g
                        for s in ar_segs
                        for g in gaz.find(s.text, "ar", guard=False)
                        if g.key == m.value
                    ]
                    twin_text = raw[0].text if raw else ""
                else:
                    twin_text = twin.text
                method = f"gazetteer:{m.value}"
                if not twin_text and (adjective := _adjective_in(str(m.value), ar_segs, "ar")):
                    twin_text, method = adjective, f"adjective:{m.value}"
                elif not twin_text:
                    method = f"unmatched:{m.value}"
                rows.append((m.text, twin_text, method))
    return rows


def format_match_table(rows: list[tuple[str, str, str]]) -> str:
    """The match table as tab-separated lines (what ``aligner entities SRC TGT`` prints)."""
    return "\n".join("\t".join(r) for r in rows)


def paragraph_bitext(en_path: str, ar_path: str) -> Bitext:
    """A Bitext of two plain-text files whose non-empty lines correspond 1-1.

    Used by the ``entities`` command, which needs no sentence aligner: the caller
    gives line-aligned files (presplit sentences or paragraphs).
    """
    from aligner.model import AlignerError, Alignment

    docs = []
    for path, lang in ((en_path, "en"), (ar_path, "ar")):
        try:
            with open(path, encoding="utf-8") as fh:
                paras = [line.strip() for line in fh if line.strip()]
        except (OSError, UnicodeDecodeError) as exc:
            raise AlignerError(f"cannot read: {exc}", path) from exc
        if not paras:
            raise AlignerError("no text", path)
        segs = [Segment(f"{lang}-s{i}", i, i, p, 0, len(p)) for i, p in enumerate(paras)]
        docs.append(Document(path=path, lang=lang, paragraphs=paras, segments=segs))
    n = min(len(docs[0].segments), len(docs[1].segments))
    return Bitext(docs[0], docs[1], alignments=[Alignment((i,), (i,)) for i in range(n)])


def entities_command(src: str, tgt: str) -> str:
    """CLI entry (``aligner entities SRC TGT``): the match table of two line-aligned files."""
    return format_match_table(entity_match_table(paragraph_bitext(src, tgt)))
