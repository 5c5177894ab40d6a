"""Entity extractor: countries, cities, regions, organisations, resolutions, people.

Places and organisations come from the bilingual gazetteer (:mod:`aligner.entities.gazetteer`);
UN resolutions from the tables below; English people from capitalised runs that
follow a title (``Secretary of State Antony J. Blinken``). Arabic has no capitals, so
Arabic people are found by the entity check, by transliterating the English names of
the aligned sentence (:func:`aligner.checks.entities.find_person`).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

from aligner.entities.gazetteer import Match, data_words, load
from aligner.entities.normalise import normalise_ar, strip_possessive, tokens
from aligner.entities.translit import skeleton
from aligner.extract.base import Extractor
from aligner.model import Mention, Segment

#: UN (Security Council) resolution numbers. Arabic: القرار 2254 / قرار ... رقم 2254.
RESOLUTION_PATTERNS: dict[str, regex.Pattern[str]] = {
    "en": regex.compile(r"\b[Rr]esolutions?\s+(?:No\.?\s*)?(\d{3,5})(?:/\d{4})?\b"),
    "ar": regex.compile(
        r"(?:ال|[وبل]|[وبل]ال|لل)?قرار(?:ات|ي)?\s+(?:(?:رقم\s*)|(?:(?:\S+\s+){1,6}?رقم\s*))?(\d{3,5})\b"
    ),
}
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


def person_key(name: str) -> str:
    """``Antony J. Blinken`` → ``person:blinken`` (last name, ASCII-folded)."""
    words = [t.text for t in tokens(name) if not _is_initial(t.text) and t.text not in _particles()]
    last = words[-1] if words else name
    folded = unicodedata.normalize("NFKD", strip_possessive(last)).encode("ascii", "ignore")
    return "person:" + folded.decode().lower().removeprefix("al-")


def _space(gap: str) -> bool:
    return len(gap) == 1 and gap.isspace()


def _is_initial(word: str) -> bool:
    return (len(word) == 2 and word.endswith(".")) or len(word) == 1


def english_people(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Person names in English text: (start, end, name), never inside a ``taken`` span."""
    toks = tokens(text)
    out = []
    i = 0
    while i < len(toks):
        if not _CAP.match(toks[i].text):
            i += 1
            continue
        j = i + 1
        while (
            j < len(toks)
            and _space(text[toks[j - 1].end : toks[j].start])
            and (_CAP.match(toks[j].text) or toks[j].text in _particles())
        ):
            j += 1
        run = toks[i:j]
        k = 0
        while k < len(run) and (run[k].text.rstrip(".") in _titles() or run[k].text in _titles()):
            k += 1
        name = run[k:]
        while name and (name[-1].text in _particles() or _is_initial(name[-1].text)):
            name = name[:-1]
        trig = i > 0 and toks[i - 1].text in EN_NAME_TRIGGERS
        real = [t for t in name if not _is_initial(t.text) and t.text not in _particles()]
        ok = (
            real
            and (k > 0 or trig)
            and not any(t.text in _titles() for t in name)
            and name[0].text not in _particles()
            and not any(s < name[-1].end and name[0].start < e for s, e in taken)
        )
        if ok:
            start, end = name[0].start, name[-1].end
            out.append((start, end, text[start:end]))
        i = j
    return out


def _merged(matches: list[Match], text: str) -> list[Match]:
    """``Daesh/ISIS`` is one mention of one organisation, not two."""
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
        text = segment.text
        gaz = load()
        mentions: list[Mention] = []

        def add(start: int, end: int, key: str, typ: str, form: str, **attrs: object) -> None:
            mentions.append(
                Mention(
                    kind="entity",
                    side=side,
                    segment_id=segment.id,
                    start=start,
                    end=end,
                    text=text[start:end],
                    value=key,
                    attrs={"type": typ, "form": form, **attrs},
                )
            )

        res_spans: list[tuple[int, int]] = []
        for m in RESOLUTION_PATTERNS["ar" if lang == "ar" else "en"].finditer(text):
            res_spans.append((m.start(), m.end()))
            add(
                m.start(),
                m.end(),
                f"resolution:{m.group(1)}",
                "resolution",
                m.group(1),
                gazetteer=False,
            )
        matches = _merged(gaz.find(text, "ar" if lang == "ar" else "en"), text)
        for g in matches:
            if g.type == "language":
                continue
            form = normalise_ar(g.text) if lang == "ar" else strip_possessive(g.text)
            attrs: dict[str, object] = {"gazetteer": True, "prefix": g.prefix}
            if g.ambiguous:
                attrs["ambiguous"] = True
            add(g.start, g.end, g.key, g.type, form, **attrs)
        if lang != "ar":
            taken = [(m.start, m.end) for m in matches] + res_spans
            for start, end, name in english_people(text, taken):
                add(
                    start,
                    end,
                    person_key(name),
                    "person",
                    name,
                    gazetteer=False,
                    skeleton=skeleton(name, "en"),
                )
        mentions.sort(key=lambda m: (m.start, m.end, str(m.value)))
        return mentions
