"""Entity extractor: countries, cities, regions, organisations, resolutions, people.

Places and organisations come from the bilingual gazetteer (:mod:`aligner.entities.gazetteer`);
UN resolutions from the tables below; English people from capitalised runs that
follow a title (``Secretary of State Antony J. Blinken``). Arabic has no capitals, so
Arabic people are found by the entity check, by transliterating the English names of
the aligned sentence (:func:`aligner.checks.entities.find_person`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from operator import itemgetter

import regex

from aligner.entities.gazetteer import Match, data_words, load, not_after, trie_pattern
from aligner.entities.normalise import (
    normalise_ar,
    re_class,
    re_knows,
    strip_possessive,
    tokens,
    word_spans,
)
from aligner.entities.translit import skeleton
from aligner.extract.base import Extractor
from aligner.memo import memo
from aligner.model import Mention, Segment

#: UN (Security Council) resolution numbers. Arabic: القرار 2254 / قرار ... رقم 2254.
RESOLUTION_PATTERNS: dict[str, regex.Pattern[str]] = {
    "en": regex.compile(r"\b[Rr]esolutions?\s+(?:No\.?\s*)?(\d{3,5})(?:/\d{4})?\b"),
    "ar": regex.compile(
        r"(?:ال|[وبل]|[وبل]ال|لل)?قرار(?:ات|ي)?\s+(?:(?:رقم\s*)|(?:(?:\S+\s+){1,6}?رقم\s*))?(\d{3,5})\b"
    ),
}
#: a word every match of the pattern contains: a sentence without it is skipped
RESOLUTION_WORDS = {"en": "esolution", "ar": "قرار"}
#: lower-case words that introduce a name without a capitalised title ("leader al-Baghdadi")
EN_NAME_TRIGGERS = frozenset({"leader", "spokesperson", "spokesman", "envoy", "minister"})
_CAP = regex.compile(r"^(?:\p{Lu}[\p{L}'’-]*|\p{Lu}\.|(?:al|el)-\p{Lu}[\p{L}'’-]*)$")
_MERGE_GAPS = ("/", " / ", " (", "(")


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    return data_words("en_titles.tsv")


@lru_cache(maxsize=1)
def _particles() -> frozenset[str]:
    return data_words("en_particles.tsv")


def _name_pattern(word: str, space: str, upper: str) -> str:
    """A search for what every name :func:`english_people` finds stands next to: a
    title followed by one space and a capitalised word (a name runs on from its titles
    and starts with no particle), or a trigger word; every word standing alone (no
    letter, mark or digit next to it, the classes ``word``; ``space``, ``upper`` the
    others). A sentence it does not find names nobody and is not tokenised."""
    titles = trie_pattern(_titles() | {t + "." for t in _titles()})
    triggers = trie_pattern(EN_NAME_TRIGGERS)
    title = f"(?<!{word}){titles}(?!{word}){space}(?:{upper}|al-|el-)"
    return f"{title}|(?<!{word}){triggers}(?!{word})"


@lru_cache(maxsize=1)
def _name_searches() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """:func:`_name_pattern` in ``re``, for the texts :func:`re_knows`, as two searches:
    a title before a name, a trigger word. Each starts with its words' first letters
    (the look-behind after them, :func:`~aligner.entities.gazetteer.not_after`), so
    ``re`` visits only the places where one stands."""
    word, space, upper = map(re_class, (r"[\p{L}\p{M}\p{N}]", r"\s", r"\p{Lu}"))
    titles = trie_pattern(_titles() | {t + "." for t in _titles()}, not_after(word))
    triggers = trie_pattern(EN_NAME_TRIGGERS, not_after(word))
    return (
        re.compile(f"{titles}(?!{word}){space}(?:{upper}|al-|el-)", re.DOTALL),
        re.compile(f"{triggers}(?!{word})", re.DOTALL),
    )


def _may_name(text: str) -> bool:
    """Whether :func:`_name_pattern` finds something in ``text`` (else nobody is named).

    The trigger search runs only when a trigger word is in the text as a substring
    (``str`` finds one far faster than a search of every lower-case letter)."""
    if not re_knows(text):
        return _name_search_full().search(text) is not None
    titles, triggers = _name_searches()
    if titles.search(text) is not None:
        return True
    return any(w in text for w in EN_NAME_TRIGGERS) and triggers.search(text) is not None


@lru_cache(maxsize=1)
def _name_search_full() -> regex.Pattern[str]:
    """:func:`_name_pattern` in ``regex``, for any text."""
    return regex.compile(_name_pattern(r"[\p{L}\p{M}\p{N}]", r"\s", r"\p{Lu}"))


def person_key(name: str) -> str:
    """``Antony J. Blinken`` → ``person:blinken`` (last name, ASCII-folded)."""
    words = [t.text for t in tokens(name) if not _is_initial(t.text) and t.text not in _particles()]
    last = words[-1] if words else name
    folded = unicodedata.normalize("NFKD", strip_possessive(last)).encode("ascii", "ignore")
    return "person:" + folded.decode().lower().removeprefix("al-")


def _is_initial(word: str) -> bool:
    return (len(word) == 2 and word.endswith(".")) or len(word) == 1


def english_people(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Person names in English text: (start, end, name), never inside a ``taken`` span."""
    if not _may_name(text):
        return []
    words, starts, ends = word_spans(text)
    titles, particles, cap = _titles(), _particles(), _CAP.match
    # a word that starts lower-case is no capitalised word unless it is al-/el- (no
    # upper-case letter is lower-case: checked in the tests)
    caps = [
        not (w[0].islower() and not w.startswith(("al-", "el-"))) and cap(w) is not None
        for w in words
    ]
    out = []
    i, n = 0, len(words)
    while i < n:
        if not caps[i]:
            i += 1
            continue
        j = i + 1
        while (
            j < n
            and starts[j] - ends[j - 1] == 1
            and text[ends[j - 1]].isspace()
            and (caps[j] or words[j] in particles)
        ):
            j += 1
        k = i
        while k < j and (words[k].rstrip(".") in titles or words[k] in titles):
            k += 1
        last = j
        while last > k and (words[last - 1] in particles or _is_initial(words[last - 1])):
            last -= 1
        name = words[k:last]
        trig = i > 0 and words[i - 1] in EN_NAME_TRIGGERS
        ok = (
            (k > i or trig)
            and any(not _is_initial(w) and w not in particles for w in name)
            and not any(w in titles for w in name)
            and name[0] not in particles
        )
        if ok:
            start, end = starts[k], ends[last - 1]
            if not any(s < end and start < e for s, e in taken):
                out.append((start, end, text[start:end]))
        i = j
    return out


def _merged(matches: list[Match], text: str) -> list[Match]:
    """``Daesh/ISIS`` is one mention of one organisation, not two."""
    if len(matches) < 2:
        return matches
    out: list[Match] = []
    for m in matches:
        if out and out[-1].key == m.key and text[out[-1].end : m.start] in _MERGE_GAPS:
            prev = out[-1]
            out[-1] = Match(
                prev.key,
                prev.type,
                prev.start,
                m.end,
                text[prev.start : m.end],
                prev.form,
                prev.prefix,
                prev.ambiguous,
            )
        else:
            out.append(m)
    return out


class EntityExtractor(Extractor):
    """Mentions of kind ``entity`` with a canonical key as value (``country:IQ``)."""

    name = "entity"

    def extract(self, segment: Segment, lang: str, side: str) -> list[Mention]:
        text, sid = segment.text, segment.id
        found = _found(text, lang == "ar") if len(text) <= _MEMO_MAX_CHARS else _find(text, lang)
        return [
            Mention("entity", side, sid, start, end, text[start:end], key, attrs.copy())
            for start, end, key, attrs in found
        ]


#: sentences up to this length have their entities memoised
_MEMO_MAX_CHARS = 1000

_Found = tuple[tuple[int, int, str, dict[str, object]], ...]


@memo(maxsize=4096)
def _found(text: str, arabic: bool) -> _Found:
    """Memoised per sentence (a document repeats its sentences, a batch its documents).
    The attribute dicts are never handed out: every mention gets a copy."""
    return _find(text, "ar" if arabic else "en")


_BY_SPAN_AND_KEY = itemgetter(0, 1, 2)


@memo(maxsize=65536)
def _form(surface: str, arabic: bool) -> str:
    """The ``form`` attribute of a gazetteer match (memoised: a document names the same
    entities again and again)."""
    return normalise_ar(surface) if arabic else strip_possessive(surface)


def _find(text: str, lang: str) -> _Found:
    """(start, end, key, attributes) of every entity of a sentence, in text order."""
    lang = "ar" if lang == "ar" else "en"
    out: list[tuple[int, int, str, dict[str, object]]] = []
    res_spans: list[tuple[int, int]] = []
    if RESOLUTION_WORDS[lang] in text:
        for m in RESOLUTION_PATTERNS[lang].finditer(text):
            res_spans.append((m.start(), m.end()))
            attrs = {"type": "resolution", "form": m.group(1), "gazetteer": False}
            out.append((m.start(), m.end(), f"resolution:{m.group(1)}", attrs))
    matches = _merged(load().find(text, lang), text)
    for g in matches:
        if g.type == "language":
            continue
        form = _form(g.text, lang == "ar")
        attrs = {"type": g.type, "form": form, "gazetteer": True, "prefix": g.prefix}
        if g.ambiguous:
            attrs["ambiguous"] = True
        out.append((g.start, g.end, g.key, attrs))
    if lang == "en":
        taken = [(m.start, m.end) for m in matches] + res_spans
        for start, end, name in english_people(text, taken):
            attrs = {
                "type": "person",
                "form": name,
                "gazetteer": False,
                "skeleton": skeleton(name, "en"),
            }
            out.append((start, end, person_key(name), attrs))
    out.sort(key=_BY_SPAN_AND_KEY)
    return tuple(out)
