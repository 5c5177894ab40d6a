"""The bilingual gazetteer: canonical entity keys with their English and Arabic forms.

Built at first use from maintained data — CLDR (via babel) territory and exemplar-city
names, pycountry's Arabic country names (iso-codes gettext catalogue) — plus
``data/curated.tsv`` for what no library has (organisations, accepted spelling
variants, regions). Keys look like ``country:IQ``, ``org:NATO``, ``city:ROM``.
"""

from __future__ import annotations

import csv
import gettext
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from itertools import compress
from typing import NamedTuple

import regex

from aligner.entities.normalise import (
    ar_form_cores,
    ar_readings,
    ar_tail_cores,
    normalise_ar,
    normalise_en,
    normalised_spans,
    re_class,
    re_knows,
    reading_prefixes,
    strip_diacritics,
    tokens,
)
from aligner.memo import memo
from aligner.model import AlignerError

#: CLDR regions worth naming in statements (continents and sub-regions); "001" (world),
#: "EZ", "QO", "ZZ" ... are left out: they are common words or no places at all.
CLDR_REGIONS = ("002", "009", "011", "014", "015", "017", "018", "019", "142", "145", "150", "202")
#: CLDR pseudo-territories that are organisations
CLDR_ORGS = {"EU": "org:EU", "UN": "org:UN"}
_SKIP_TERRITORIES = {"EZ", "QO", "ZZ", "XA", "XB", "001", "EU", "UN"}


@dataclass
class Entry:
    """One entity: its canonical key, its type and every known surface form per language."""

    key: str
    type: str
    en: list[str] = field(default_factory=list)
    ar: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return self.en[0] if self.en else self.key


class Match(NamedTuple):
    """A gazetteer form found in a text: span, key and the prefix attached to its first word
    (a named tuple: made for every entity of every sentence, it must be cheap)."""

    key: str
    type: str
    start: int
    end: int
    text: str
    form: str
    prefix: str = ""
    ambiguous: bool = False


def _data_rows(name: str) -> Iterator[list[str]]:
    path = resources.files("aligner.entities") / "data" / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AlignerError(f"cannot read entity data: {exc}", str(path)) from exc
    for row in csv.reader(text.splitlines(), delimiter="\t"):
        if row and not row[0].startswith("#") and any(c.strip() for c in row):
            yield [c.strip() for c in row]


@cache
def data_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Every row of a tab-separated data file (comments and blank lines skipped)."""
    return tuple(tuple(r) for r in _data_rows(name))


def data_words(name: str) -> frozenset[str]:
    """The first column of a one-word-per-line data file."""
    return frozenset(r[0] for r in _data_rows(name))


def _clean(name: str) -> str | None:
    """CLDR/pycountry names with a comma or brackets are catalogue forms, not text forms."""
    if not name or any(c in name for c in ",،()") or " - " in name or "&" in name:
        return None
    return name


class Gazetteer:
    """Look entities up in either language (longest match, Arabic prefixes tolerated)."""

    def __init__(self, entries: list[Entry], ambiguous: dict[tuple[str, ...], str]) -> None:
        self.entries = {e.key: e for e in entries}
        self.ambiguous = ambiguous
        self._ar_index: dict[tuple[str, ...], tuple[str, str]] = {}
        en_forms: dict[str, str] = {}
        for e in sorted(entries, key=lambda x: x.key):
            for form in e.ar:
                self._ar_index.setdefault(ar_form_cores(form), (e.key, form))
            for form in e.en:
                en_forms.setdefault(normalise_en(form), e.key)
        self._en_forms = en_forms
        self._max_ar = max((len(k) for k in self._ar_index), default=1)
        self._ar_trie: dict[str, _TrieNode] = {}
        for cores, value in self._ar_index.items():
            level = self._ar_trie
            node = None
            for core in cores:
                node = level.setdefault(core, _TrieNode())
                level = node.children
            if node is not None:
                node.value = value
        # Every normalised word that can start an Arabic form is a first core behind a
        # prefix a reading strips (a word is prefix + core): its readings that start a
        # form, in reading order, are listed once here, so that the text's other words
        # cost one dict look-up (the readings of a normalised word are those of any
        # spelling of it: ar_readings normalises first)
        readings = ar_readings.__wrapped__  # type: ignore[attr-defined]  # built once, no memo
        first: dict[str, tuple[tuple[str, _TrieNode], ...]] = {}
        for head in {p + c for c in self._ar_trie for p in reading_prefixes()}:
            found = tuple((p, n) for p, c in readings(head) if (n := self._ar_trie.get(c)))
            if found:
                first[head] = found
        self._ar_first = first
        # the same words as a set: a set holds each word's hash next to it, so the many
        # words that start no form are ruled out without reading the word or an entry
        self._ar_heads = frozenset(first)
        #: forms listed as ambiguous, by the form's cores
        self._ar_amb = {form: cores in ambiguous for cores, (_k, form) in self._ar_index.items()}
        self._en_alternation = trie_pattern(en_forms)
        letter = re_class(r"[\p{L}\p{N}]")  # `re` (twice as fast) for the texts it knows
        self._en_fast = re.compile(
            f"{trie_pattern(en_forms, not_after(letter))}(?!{letter})", re.DOTALL
        )

    @cached_property
    def _en_re(self) -> regex.Pattern[str]:
        """The English forms in ``regex``, for texts with characters :func:`re_knows`
        does not (compiled when first needed: it takes ``regex`` a while)."""
        letter = r"[\p{L}\p{N}]"
        return regex.compile(f"(?<!{letter}){self._en_alternation}(?!{letter})")

    def get(self, key: str) -> Entry:
        try:
            return self.entries[key]
        except KeyError:
            raise AlignerError(f"unknown entity key {key!r}") from None

    def lookup(self, name: str, lang: str) -> str | None:
        """The key of an exact name (whole string) in ``lang``, or None."""
        if lang == "en":
            return self._en_forms.get(normalise_en(name).strip())
        found = self.find(name, "ar", guard=False)
        if len(found) == 1 and found[0].start == 0 and found[0].end == len(name.strip()):
            return found[0].key
        return None

    def forms(self, key: str, lang: str) -> list[str]:
        e = self.get(key)
        return list(e.en if lang == "en" else e.ar)

    def find(self, text: str, lang: str, guard: bool = True) -> list[Match]:
        """Every gazetteer entity in ``text``, longest match first, non-overlapping."""
        found = _found(self, text, lang) if len(text) <= _MEMO_MAX_CHARS else self._find(text, lang)
        if guard and lang != "en" and any(m.ambiguous for m in found):
            return [
                m for k, m in enumerate(found) if not m.ambiguous or _in_context(text, found, k)
            ]
        return list(found)

    def _find(self, text: str, lang: str) -> tuple[Match, ...]:
        """The unguarded matches (ambiguous forms kept and flagged)."""
        return self._find_en(text) if lang == "en" else self._find_ar(text)

    def _find_en(self, text: str) -> tuple[Match, ...]:
        norm = normalise_en(text)  # same length as text: replacements are 1:1
        out = []
        for m in (self._en_fast if re_knows(norm) else self._en_re).finditer(norm):
            key = self._en_forms[m.group()]
            e = self.entries[key]
            out.append(Match(key, e.type, m.start(), m.end(), text[m.start() : m.end()], m.group()))
        return tuple(out)

    def _find_ar(self, text: str) -> tuple[Match, ...]:
        norm, starts, ends = normalised_spans(text)
        first = self._ar_first
        # the words that can start a form (one set look-up each)
        heads_at = list(compress(range(len(norm)), map(self._ar_heads.__contains__, norm)))
        if not heads_at:
            return ()
        out: list[Match] = []
        free = 0  # the first word not inside a match
        for i in heads_at:
            if i < free:
                continue
            heads = first[norm[i]]
            prefix, node = heads[0]
            if len(heads) == 1 and (  # one reading, and no form goes on to the next word
                not node.children
                or i + 1 == len(norm)
                or node.children.keys().isdisjoint(ar_tail_cores(norm[i + 1]))
            ):
                hit = (1, prefix, node.value) if node.value is not None else None
            else:
                hit = self._longest_at(norm, heads, i)
            if hit is None:
                continue
            n, prefix, (key, form) = hit
            start, end = starts[i], ends[i + n - 1]
            e = self.entries[key]
            out.append(
                Match(key, e.type, start, end, text[start:end], form, prefix, self._ar_amb[form])
            )
            free = i + n
        return tuple(out)

    def _longest_at(
        self, norm: tuple[str, ...], heads: tuple[tuple[str, _TrieNode], ...], i: int
    ) -> tuple[int, str, tuple[str, str]] | None:
        """The longest form starting at word ``i``: (words, prefix, (key, form)) or None.

        ``norm`` are the normalised words, ``heads`` the readings of word ``i`` that
        start a form, with their trie nodes. Walks the trie of form cores, extending only
        while a form continues. Ties in length go to the first reading of word ``i`` (most
        literal), then to the first readings of the following words, in order.
        """
        best: tuple[int, str, tuple[str, str]] | None = None
        for prefix, node in heads:
            # depth-first in reading order: the first form of each length found is the
            # first one in the product of the words' readings
            stack: list[tuple[_TrieNode, int]] = [(node, 1)]
            while stack:
                node, n = stack.pop()
                if node.value is not None and (best is None or n > best[0]):
                    best = (n, prefix, node.value)
                if node.children and i + n < len(norm):
                    kids = [
                        (child, n + 1)
                        for c in ar_tail_cores(norm[i + n])
                        if (child := node.children.get(c)) is not None
                    ]
                    stack.extend(reversed(kids))
        return best


#: texts up to this length (sentences, names) have their matches memoised
_MEMO_MAX_CHARS = 1000


@memo(maxsize=4096)
def _found(gazetteer: Gazetteer, text: str, lang: str) -> tuple[Match, ...]:
    """Memoised per sentence: the extractor and the entity check look up the same
    sentences (the check asks for the unguarded matches)."""
    return gazetteer._find(text, lang)


def trie_pattern(forms: Iterable[str], after_first: str = "") -> str:
    """One regex alternation of ``forms`` factored into a character trie.

    At each character only one branch can go on, so matching costs the length of the
    text, not the number of forms. Longer forms are tried before the form ending at a
    node (the optional group is greedy), the same longest-first rule as a flat
    alternation sorted by length.

    ``after_first`` goes after the first character of every form: a look-behind there
    (:func:`not_after`) tests the character before the form as one in front of
    it would, but the pattern still starts with a character, so ``re`` skips at once to
    the places where a form can start instead of trying every position.
    """
    root: dict[str, dict] = {}
    for form in forms:
        node = root
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict[str, dict], after: str = "") -> str:
        kids = [re.escape(ch) + after + pattern(sub) for ch, sub in sorted(node.items()) if ch]
        if not kids:
            return ""
        body = "(?:" + "|".join(kids) + ")"
        return body + "?" if "" in node else body

    return pattern(root, after_first)


def not_after(chars: str) -> str:
    """For ``after_first`` of :func:`trie_pattern`: the character before the form's first
    one is none of the class ``chars`` (or there is none). Compile with ``re.DOTALL``."""
    return f"(?<!{chars}.)"


class _TrieNode:
    """A node of the trie of Arabic form cores: the form ending here, if any."""

    __slots__ = ("children", "value")

    def __init__(self) -> None:
        self.children: dict[str, _TrieNode] = {}
        self.value: tuple[str, str] | None = None


def ar_cores_last(readings: list[tuple[str, str]]) -> list[str]:
    """Non-first words of a form take only the article (الولايات المتحدة), not و/ب/ل."""
    return [c for p, c in readings if p in ("", "ال")]


def list_gap(gap: str) -> bool:
    """True when the text between two entities is a list separator (comma, و, or)."""
    g = normalise_ar(gap).strip()
    return g in ("", ",", "،", "و", "او", "and", "or", ", and", ", or") or g.rstrip(",، ") == ""


@cache
def _trigger_cores() -> frozenset[str]:
    """First-word cores of the trigger words (data/triggers.tsv), built once."""
    triggers = frozenset(normalise_ar(w) for w in data_words("triggers.tsv"))
    return frozenset(ar_form_cores(t)[0] for t in triggers)


def _in_context(text: str, matches: Sequence[Match], k: int) -> bool:
    """An ambiguous Arabic form is a place in a list of places or after a trigger word."""
    m = matches[k]
    for j in (k - 1, k + 1):
        if 0 <= j < len(matches) and not matches[j].ambiguous and matches[j].type == m.type:
            a, b = (matches[j], m) if j < k else (m, matches[j])
            if len(text[a.end : b.start]) <= 4 and list_gap(text[a.end : b.start]):
                return True
    before = tokens(text[: m.start])
    if m.prefix == "" and before:
        return ar_form_cores(before[-1].text)[0] in _trigger_cores()
    return False


def _babel_entries() -> dict[str, Entry]:
    from babel import Locale
    from babel.dates import get_timezone_location

    ar, en = Locale("ar"), Locale("en")
    entries: dict[str, Entry] = {}

    def add(key: str, typ: str, en_name: str | None, ar_name: str | None, src: str) -> None:
        e = entries.setdefault(key, Entry(key, typ))
        e.sources.add(src)
        if en_name and en_name not in e.en:
            e.en.append(en_name)
        if ar_name and ar_name not in e.ar:
            e.ar.append(ar_name)

    for code, en_name in sorted(en.territories.items()):
        if code in _SKIP_TERRITORIES and code not in CLDR_ORGS:
            continue
        if code.isdigit() and code not in CLDR_REGIONS:
            continue
        key = CLDR_ORGS.get(code) or (f"region:{code}" if code.isdigit() else f"country:{code}")
        typ = key.split(":")[0]
        add(key, typ, _clean(en_name), _clean(ar.territories.get(code, "")), "cldr")
    for zone in sorted(ar.time_zones):
        if "/" not in zone or zone.startswith("Etc/"):
            continue
        ar_city = ar.time_zones[zone].get("city")
        en_city = get_timezone_location(zone, locale="en", return_city=True)
        country = None
        if not ar_city or not en_city:
            continue
        for code, name in ar.territories.items():
            if name == ar_city and len(code) == 2:
                country = code
        if country:  # the city is named like its country (الكويت): the country wins
            continue
        add(
            f"city:{zone.split('/')[-1].upper()[:12]}",
            "city",
            _clean(en_city),
            _clean(ar_city),
            "cldr-tz",
        )
    return entries


def _pycountry_names(entries: dict[str, Entry]) -> None:
    import pycountry

    try:
        cat = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    except OSError:  # catalogue not shipped: CLDR names suffice
        return
    for c in pycountry.countries:
        key = f"country:{c.alpha_2}"
        if key not in entries:
            continue
        for attr in ("name", "official_name", "common_name"):
            en_name = getattr(c, attr, None)
            if not en_name:
                continue
            ar_name = cat.gettext(en_name)
            e = entries[key]
            if _clean(en_name) and en_name not in e.en:
                e.en.append(en_name)
            if ar_name != en_name and _clean(ar_name):
                plain = strip_diacritics(ar_name)  # iso-codes vocalises: السّوريّة
                if all(normalise_ar(f) != plain for f in e.ar):
                    e.ar.append(plain)
            e.sources.add("pycountry")


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The gazetteer (built once per process; deterministic)."""
    entries = _babel_entries()
    _pycountry_names(entries)
    for key, typ, lang, form, *_why in _data_rows("curated.tsv"):
        if lang not in ("en", "ar") or typ not in ENTITY_TYPES:
            raise AlignerError(
                f"bad curated row {key!r}: lang {lang!r} type {typ!r}", "curated.tsv"
            )
        e = entries.setdefault(key, Entry(key, typ))
        e.sources.add("curated")
        forms = e.en if lang == "en" else e.ar
        if form not in forms:
            forms.append(form)
    ambiguous = {ar_form_cores(r[0]): r[1] for r in _data_rows("ambiguous.tsv")}
    for key, e in sorted(entries.items()):
        if not e.en and not e.ar:
            del entries[key]
    return Gazetteer(sorted(entries.values(), key=lambda e: e.key), ambiguous)


ENTITY_TYPES = ("person", "country", "org", "city", "region", "resolution", "language")


#: endings of the Arabic relative adjective (nisba): عراقي، عراقية، عراقيون، عراقيين، عراقيات
_AR_NISBA_ENDINGS = ("ي", "يه", "يون", "يين", "يات")
#: endings a country name drops before taking the nisba: سوريا → سوري، إيطاليا → إيطالي
_AR_NAME_FINALS = ("يا", "يه", "ا", "ه")
#: English demonym endings on the name or on the name less its final vowel (Iraq → Iraqi,
#: Syria → Syrian, Italy → Italian, Yemen → Yemeni)
_EN_DEMONYM_ENDINGS = ("i", "n", "an", "ian", "ese")


@memo(maxsize=4096)
def adjective_forms(key: str, lang: str) -> frozenset[str]:
    """Normalised relative adjectives of a country or region name ("Government of Iraq" is
    often translated "الحكومة العراقية"): the regular nisba in Arabic, demonym endings in
    English. Only one-word names; the adjective of a multi-word name is not regular."""
    gazetteer = load()
    if key not in gazetteer.entries:  # e.g. "resolution:2254", made from the text itself
        return frozenset()
    entry = gazetteer.get(key)
    if entry.type not in ("country", "region"):
        return frozenset()
    out: set[str] = set()
    if lang == "ar":
        for form in entry.ar:
            core = normalise_ar(form).strip()
            if " " in core:
                continue
            core = core.removeprefix("ال")
            stems = {core} | {core[: -len(f)] for f in _AR_NAME_FINALS if core.endswith(f)}
            out |= {s + e for s in stems if len(s) >= 3 for e in _AR_NISBA_ENDINGS}
    else:
        for form in entry.en:
            if " " in form:
                continue
            low = form.lower()
            stems = {low, low[:-1]} if low[-1] in "aeiouy" else {low}
            out |= {s + e for s in stems if len(s) >= 3 for e in _EN_DEMONYM_ENDINGS}
    return frozenset(out)
