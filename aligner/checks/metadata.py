"""An archive record's release date against the date the text itself states.

Archive records (Syrian Memory) carry a metadata block whose release date was typed
by hand; the statement's own dateline ("28 حزيران/يونيو 2021", "June 25, 2019")
is the authority. The dateline is the first complete date in the header, i.e. the
paragraphs before the "Begin text" marker (or the first few paragraphs when there is
none). A disagreement is an error with a correction written in the record's own
format ("2021/05/28" → "2021/06/28").

Evidence layout: the metadata field goes in ``Finding.source`` and the dateline
sentence in ``Finding.target`` whatever side it came from; each ``Evidence.side``
still says where it really is ("metadata", "source" or "target").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from aligner.checks.base import Check
from aligner.extract.dates import (
    DateExtractor,
    DateParts,
    first_normalised,
    normalise,
    normalised_text,
    parse_date_value,
    tables,
)
from aligner.model import (
    Bitext,
    Correction,
    Document,
    Evidence,
    Finding,
    Mention,
    RecordMetadata,
    Segment,
    Severity,
)

_RECORD_DATE = re.compile(
    r"^\s*(?:(?P<y1>[0-9]{4})(?P<s1>[/.\-])(?P<m1>[0-9]{1,2})(?:(?P=s1)(?P<d1>[0-9]{1,2}))?"
    r"|(?P<d2>[0-9]{1,2})(?P<s2>[/.\-])(?P<m2>[0-9]{1,2})(?P=s2)(?P<y2>[0-9]{4})"
    r"|(?P<y3>[0-9]{4}))\s*$"
)


@dataclass(frozen=True)
class RecordDate:
    """A record date as found, taken apart so that a correction keeps its format."""

    raw: str
    parts: DateParts
    order: str  # "ymd", "dmy" or "y"
    sep: str
    widths: tuple[int, ...]  # digits per field, in written order
    eastern: bool

    def format(self, parts: DateParts) -> str:
        """``parts`` written the way this record writes dates (order, separator, padding)."""
        fields = {"y": parts.year, "m": parts.month, "d": parts.day}
        keys = [k for k in self.order if fields[k] is not None][: len(self.widths)]
        text = self.sep.join(f"{fields[k]:0{w}d}" for k, w in zip(keys, self.widths, strict=False))
        if self.eastern:
            text = "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in text)
        return text


def parse_record_date(raw: str) -> RecordDate | None:
    """Parse "2021/05/28", "28-05-2021", "2021/05", "2021" (Western or Eastern digits)."""
    norm, _ = normalise(raw)
    m = _RECORD_DATE.match(norm)
    if not m:
        return None
    g = m.groupdict()
    eastern = any("\u0660" <= c <= "\u0669" or "\u06f0" <= c <= "\u06f9" for c in raw)
    if g["y1"]:
        y, mo, d = int(g["y1"]), int(g["m1"]), int(g["d1"]) if g["d1"] else None
        widths = tuple(len(x) for x in (g["y1"], g["m1"], g["d1"]) if x)
        order, sep = "ymd", g["s1"]
    elif g["y2"]:
        y, mo, d = int(g["y2"]), int(g["m2"]), int(g["d2"])
        widths = (len(g["d2"]), len(g["m2"]), len(g["y2"]))
        order, sep = "dmy", g["s2"]
    else:
        y, mo, d, widths, order, sep = int(g["y3"]), None, None, (4,), "y", ""
    if (mo is not None and not 1 <= mo <= 12) or (d is not None and not 1 <= d <= 31):
        return None
    return RecordDate(raw, DateParts(year=y, month=mo, day=d), order, sep, widths, eastern)


@dataclass(frozen=True)
class TextDate:
    """The date a document states for itself, and where."""

    mention: Mention
    segment: Segment
    parts: DateParts
    how: str  # "dateline" (header before the body marker) or "opening" (first paragraphs)


def _date_mentions(bitext: Bitext, side: str) -> list[Mention]:
    """Date mentions of one side: the extract stage's, or extracted here if it did not run."""
    return _dates_by_side(bitext)[side]


def _dates_by_side(bitext: Bitext) -> dict[str, list[Mention]]:
    """:func:`_date_mentions` of both sides, from one pass over the mentions (a check
    asks for each side several times)."""
    out: dict[str, list[Mention]] = {"source": [], "target": []}
    extracted = False
    for m in bitext.mentions:
        if m.kind == "date":
            extracted = True
            if m.side in out:
                out[m.side].append(m)
    if not extracted:
        ex = DateExtractor()
        for side, found in out.items():
            doc = bitext.side(side)
            found.extend(m for seg in doc.segments for m in ex.extract(seg, doc.lang, side))
    return out


@cache
def _body_markers(lang: str) -> tuple[str, ...]:
    """The body markers of ``lang`` as a header paragraph is compared with them."""
    return tuple(normalise(m)[0].lower().rstrip(":") for m in tables().cues["body_markers"][lang])


def _header_paragraphs(doc: Document) -> tuple[int, str]:
    """How many leading paragraphs form the header, and whether a body marker bounded it."""
    limit = int(tables().cues["header_paragraphs"])
    markers = _body_markers(doc.lang)
    firsts = {mk[:1] for mk in markers}
    for i, para in enumerate(doc.paragraphs[:limit]):
        # most paragraphs start with no marker's first letter: no need to normalise them
        # (only a capital sigma lower-cases by what follows it)
        first = first_normalised(para)
        if "" not in firsts and first != "\u03a3" and first.lower()[:1] not in firsts:
            continue
        norm = normalised_text(para).strip().lower().rstrip(":：.")
        if norm.startswith(markers):
            return i, "dateline"
    return min(limit, 3), "opening"


def document_date(
    bitext: Bitext, side: str, mentions: list[Mention] | None = None
) -> TextDate | None:
    """The first complete date (day, month, year) in the header of one side, if any
    (``mentions``: the side's date mentions, when the caller has them)."""
    doc = bitext.side(side)
    n_head, how = _header_paragraphs(doc)
    by_seg: dict[str, list[Mention]] = {}
    for m in _date_mentions(bitext, side) if mentions is None else mentions:
        by_seg.setdefault(m.segment_id, []).append(m)
    for seg in doc.segments:
        if seg.paragraph >= n_head:
            break
        for m in sorted(by_seg.get(seg.id, []), key=lambda x: x.start):
            if m.value is None:
                continue
            parts = parse_date_value(m.value)
            if parts.precision == "day" and parts.year is not None:
                return TextDate(m, seg, parts, how)
    return None


def _agrees(record: DateParts, text: DateParts) -> bool:
    return all(
        r is None or t is None or r == t
        for r, t in ((record.year, text.year), (record.month, text.month), (record.day, text.day))
    )


def _today_pinned(
    bitext: Bitext, side: str, mentions: list[Mention] | None = None
) -> list[tuple[Mention, Mention, Segment]]:
    """(today, date, sentence) where a sentence pins "today" to an explicit full date.

    Only adjacency counts ("اليوم، 28 حزيران"، "today, June 28, 2021"): a date further
    away in the sentence may be any other event.
    """
    doc = bitext.side(side)
    by_seg: dict[str, list[Mention]] = {}
    for m in _date_mentions(bitext, side) if mentions is None else mentions:
        by_seg.setdefault(m.segment_id, []).append(m)
    out = []
    for seg in doc.segments:
        found = by_seg.get(seg.id)
        if found is None or len(found) < 2:
            continue  # no two dates to be adjacent (most sentences)
        ms = sorted(found, key=lambda x: x.start)
        for a, b in itertools.pairwise(ms):
            if a.value is None and b.value is not None:
                gap = seg.text[a.end : b.start]
                if len(gap) <= 3 and not re.search(r"\w", gap):
                    if parse_date_value(b.value).precision == "day":
                        out.append((a, b, seg))
    return out


class MetadataCheck(Check):
    """Registered as "metadata": metadata.date (record vs text) and date.today."""

    name = "metadata"

    def run(self, bitext: Bitext) -> Iterable[Finding]:
        findings: list[Finding] = []
        seen: list[RecordMetadata] = []
        mentions = _dates_by_side(bitext)
        # each side's own date, worked out once (the record and the "today" rule ask)
        own = {side: document_date(bitext, side, mentions[side]) for side in mentions}
        for side in ("source", "target"):
            md = bitext.side(side).metadata
            if md is None or any(md is s for s in seen):
                continue
            seen.append(md)
            # the sides this record describes: both when one file held both languages
            sides = [s for s in ("source", "target") if bitext.side(s).metadata is md]
            dates = [d for s in sides if (d := own[s]) is not None]
            findings.extend(self._release_date(md, sides, dates))
        findings.extend(self._today(bitext, mentions, own))
        return findings

    def _release_date(
        self, md: RecordMetadata, sides: list[str], dates: list[TextDate]
    ) -> list[Finding]:
        if md.release_date is None or not dates:
            return []
        record = parse_record_date(md.release_date)
        meta_ev = Evidence(
            side="metadata", segment_id=None, sentence=md.release_date, field="release_date"
        )
        if record is None:
            return [
                Finding(
                    category="metadata.date",
                    severity=Severity.WARNING,
                    confidence=0.5,
                    message=f"record release date “{md.release_date}” is not a readable date",
                    check=self.name,
                    source=meta_ev,
                    details={"release_date": md.release_date, "record": md.code},
                )
            ]
        if any(_agrees(record.parts, d.parts) for d in dates):
            return []
        text = dates[0]
        corr = record.format(text.parts)
        m = text.mention
        return [
            Finding(
                category="metadata.date",
                severity=Severity.ERROR,
                confidence=(0.9 if text.how == "dateline" else 0.75)
                - (0.15 if m.attrs.get("ambiguous") else 0.0),
                message=(
                    f"record release date {md.release_date} disagrees with the document's "
                    f"{text.how} “{m.text}” ({m.value}); should be {corr}"
                ),
                check=self.name,
                source=meta_ev,
                target=Evidence(
                    side=m.side,
                    segment_id=text.segment.id,
                    sentence=text.segment.text,
                    span=(m.start, m.end),
                ),
                correction=Correction(side="metadata", sic=md.release_date, corr=corr),
                details={
                    "record": md.code,
                    "release_date": record.parts.iso(),
                    "text_date": m.value,
                    "sides": sides,
                },
            )
        ]

    def _today(
        self,
        bitext: Bitext,
        mentions: dict[str, list[Mention]],
        own: dict[str, TextDate | None],
    ) -> list[Finding]:
        out: list[Finding] = []
        for side in ("source", "target"):
            doc_date = own[side]
            if doc_date is None:
                continue
            for today, date, seg in _today_pinned(bitext, side, mentions[side]):
                if date is doc_date.mention or _agrees(
                    doc_date.parts, parse_date_value(date.value)
                ):
                    continue
                out.append(
                    Finding(
                        category="date.today",
                        severity=Severity.WARNING,
                        confidence=0.7,
                        message=(
                            f"“{today.text}” is “{date.text}” ({date.value}) but the document "
                            f"is dated “{doc_date.mention.text}” ({doc_date.mention.value})"
                        ),
                        check=self.name,
                        source=Evidence(
                            side=side,
                            segment_id=doc_date.segment.id,
                            sentence=doc_date.segment.text,
                            span=(doc_date.mention.start, doc_date.mention.end),
                        ),
                        target=Evidence(
                            side=side,
                            segment_id=seg.id,
                            sentence=seg.text,
                            span=(today.start, date.end),
                        ),
                        details={"today": date.value, "document": doc_date.mention.value},
                    )
                )
        return out
