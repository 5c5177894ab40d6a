"""Dates that a translation changed, blurred, dropped or added, sentence bead by bead.

Dates are compared as values (``aligner.extract.dates``), so "آذار/مارس" and
"March" are the same month and "25 حزيران/يونيو، 2019" equals "June 25, 2019".
Two dates agree when every component both state is equal; if they agree but one
states less ("June 2021" for "28 June 2021"), the translation lost precision.
A year left bare on one side ("the 2021 Pledge Drive" ↔ "حملة التعهّد لعام 2021")
is matched by the same number on the other side, from the number extractor's
mentions or, when that extractor did not run, from the sentence text itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from aligner.checks.base import Check
from aligner.extract.dates import (
    DateParts,
    normalise,
    parse_date_value,
    season_months,
    weekday_name,
)
from aligner.model import Bitext, Correction, Evidence, Finding, Mention, Segment, Severity

_RANK = {"year": 0, "season": 1, "month": 2, "day": 3}


def _parts(m: Mention) -> list[DateParts]:
    """The readings of a date mention (two for an ambiguous numeric date such as 06/08/2021)."""
    out = [parse_date_value(m.value)]
    alt = m.attrs.get("alt")
    if isinstance(alt, str):
        out.append(parse_date_value(alt))
    return out


def _agree(a: DateParts, b: DateParts) -> bool:
    """True when every component stated on both sides is equal (a season covers its months)."""
    if a.year is not None and b.year is not None and a.year != b.year:
        return False
    if a.month is not None and b.month is not None and a.month != b.month:
        return False
    if a.day is not None and b.day is not None and a.day != b.day:
        return False
    if a.season and b.season and a.season != b.season:
        return False
    for s, other in ((a.season, b), (b.season, a)):
        if s and other.month is not None and other.month not in season_months(s):
            return False
    return True


def _similarity(a: Mention, b: Mention) -> int:
    """How many stated components two dates share; used to pair leftover mismatches."""
    best = 0
    for pa in _parts(a):
        for pb in _parts(b):
            score = sum(
                1
                for x, y in ((pa.year, pb.year), (pa.month, pb.month), (pa.day, pb.day))
                if x is not None and x == y
            )
            best = max(best, score)
    return best


def _rank(p: DateParts) -> int:
    return _RANK[p.precision]


def compare(a: Mention, b: Mention) -> str:
    """Verdict: "same", "precision" (agree but one side states less) or "mismatch"."""
    for pa in _parts(a):
        for pb in _parts(b):
            if _agree(pa, pb):
                # a year left out ("بتاريخ 6 شباط/فبراير") is implied by context, not lost
                return "same" if _rank(pa) == _rank(pb) else "precision"
    return "mismatch"


def pair_dates(
    src: list[Mention], tgt: list[Mention]
) -> tuple[list[tuple[Mention, Mention]], list[Mention], list[Mention]]:
    """Pair the dates of one bead: identical first, then agreeing, then most similar.

    Returns (pairs, unpaired source, unpaired target), each in text order.
    """
    pairs: list[tuple[Mention, Mention]] = []
    left_s, left_t = list(src), list(tgt)
    for wanted in ("same", "precision"):
        for a in list(left_s):
            for b in left_t:
                if compare(a, b) == wanted:
                    pairs.append((a, b))
                    left_s.remove(a)
                    left_t.remove(b)
                    break
    # leftovers: pair the most similar ones; with one date on each side that is a mismatch
    while left_s and left_t:
        scored = [
            (_similarity(a, b), -i - j, a, b)
            for i, a in enumerate(left_s)
            for j, b in enumerate(left_t)
        ]
        score, _, a, b = max(scored, key=lambda x: (x[0], x[1]))
        if score == 0 and (len(left_s) > 1 or len(left_t) > 1):
            break
        pairs.append((a, b))
        left_s.remove(a)
        left_t.remove(b)
    return pairs, left_s, left_t


_DIGITS_RE = re.compile(r"(?<![0-9])([0-9]+)(?![0-9])")


def _year_written(year: int, sentences: list[str], numbers: list[Mention]) -> bool:
    """Does the other side state ``year`` as a plain number (a number mention or digits)?"""
    for n in numbers:
        if isinstance(n.value, int | float) and not isinstance(n.value, bool) and n.value == year:
            return True
    for text in sentences:
        norm, _ = normalise(text)
        if any(int(d) == year for d in _DIGITS_RE.findall(norm)):
            return True
    return False


def _ev(m: Mention, seg: Segment) -> Evidence:
    return Evidence(side=m.side, segment_id=seg.id, sentence=seg.text, span=(m.start, m.end))


def _digits_like(sample: str, value: int, width: int) -> str:
    text = f"{value:0{width}d}"
    if any("\u0660" <= ch <= "\u0669" for ch in sample):
        return "".join(chr(0x0660 + int(ch)) for ch in text)
    return text


def _correction(src: Mention, tgt: Mention) -> Correction | None:
    """Replace the differing number (day or year) in the target's own date text.

    Only when a single numeric component differs: month names are left to the editor.
    """
    ps, pt = parse_date_value(src.value), parse_date_value(tgt.value)
    if tgt.attrs.get("ambiguous") or src.attrs.get("ambiguous"):
        return None
    diffs = [
        (name, a, b)
        for name, a, b in (
            ("year", ps.year, pt.year),
            ("month", ps.month, pt.month),
            ("day", ps.day, pt.day),
        )
        if a is not None and b is not None and a != b
    ]
    if len(diffs) != 1 or diffs[0][0] == "month":
        return None
    _, want, got = diffs[0]
    norm, offsets = normalise(tgt.text)
    hits = [m for m in _DIGITS_RE.finditer(norm) if int(m.group(1)) == got]
    if len(hits) != 1:
        return None
    h = hits[0]
    start, end = offsets[h.start()], offsets[h.end() - 1] + 1
    new = _digits_like(tgt.text[start:end], want, len(h.group(1)))
    return Correction(side="target", sic=tgt.text, corr=tgt.text[:start] + new + tgt.text[end:])


class DateCheck(Check):
    """Registered as "date": date.mismatch, .precision, .missing, .added and .weekday."""

    name = "date"

    def run(self, bitext: Bitext) -> Iterable[Finding]:
        segs = {s.id: s for doc in (bitext.source, bitext.target) for s in doc.segments}
        dates: dict[str, list[Mention]] = defaultdict(list)
        numbers: dict[str, list[Mention]] = defaultdict(list)
        weekdays: list[Mention] = []  # dates that name a weekday, in mention order
        for m in bitext.mentions:
            if m.kind == "date" and m.value is not None:
                dates[m.segment_id].append(m)
                if m.attrs.get("weekday"):
                    weekdays.append(m)
            elif m.kind == "number":
                numbers[m.segment_id].append(m)
        # the sentences (by index) that hold a date: most beads hold none on either side
        src_segs, tgt_segs = bitext.source.segments, bitext.target.segments
        src_dated = {i for i, seg in enumerate(src_segs) if seg.id in dates}
        tgt_dated = {i for i, seg in enumerate(tgt_segs) if seg.id in dates}
        findings: list[Finding] = []
        for al in bitext.alignments:
            if not al.src or not al.tgt:
                continue
            if src_dated.isdisjoint(al.src) and tgt_dated.isdisjoint(al.tgt):
                continue
            s_ids = [src_segs[i].id for i in al.src]
            t_ids = [tgt_segs[i].id for i in al.tgt]
            s_dates = [m for i in s_ids for m in dates[i]]
            t_dates = [m for i in t_ids for m in dates[i]]
            if not s_dates and not t_dates:
                continue
            pairs, left_s, left_t = pair_dates(s_dates, t_dates)
            for a, b in pairs:
                f = self._compare(a, b, segs)
                if f is not None:
                    findings.append(f)
            for missing, other_ids, cat in (
                (left_s, t_ids, "date.missing"),
                (left_t, s_ids, "date.added"),
            ):
                other_text = [segs[i].text for i in other_ids]
                other_nums = [n for i in other_ids for n in numbers[i]]
                for m in missing:
                    p = parse_date_value(m.value)
                    if p.precision == "year" and p.year is not None:
                        if _year_written(p.year, other_text, other_nums):
                            continue
                    findings.append(self._unpaired(m, segs, cat, other_ids))
        for m in weekdays:
            f = self._weekday(m, segs)
            if f is not None:
                findings.append(f)
        return findings

    def _compare(self, a: Mention, b: Mention, segs: dict[str, Segment]) -> Finding | None:
        verdict = compare(a, b)
        if verdict == "same":
            return None
        details = {"source": a.value, "target": b.value}
        if verdict == "precision":
            pa, pb = parse_date_value(a.value), parse_date_value(b.value)
            lost = _rank(pb) < _rank(pa)
            return Finding(
                category="date.precision",
                severity=Severity.WARNING if lost else Severity.INFO,
                confidence=0.7,
                message=(
                    f"date precision differs: source “{a.text}” ({a.value}, {pa.precision}) vs "
                    f"target “{b.text}” ({b.value}, {pb.precision})"
                    + ("; the target states less" if lost else "; the target states more")
                ),
                check=self.name,
                source=_ev(a, segs[a.segment_id]),
                target=_ev(b, segs[b.segment_id]),
                details={**details, "precision": [pa.precision, pb.precision]},
            )
        ambiguous = bool(a.attrs.get("ambiguous") or b.attrs.get("ambiguous"))
        return Finding(
            category="date.mismatch",
            severity=Severity.ERROR,
            confidence=0.6 if ambiguous else 0.9,
            message=f"date differs: source “{a.text}” ({a.value}) vs target “{b.text}” ({b.value})",
            check=self.name,
            source=_ev(a, segs[a.segment_id]),
            target=_ev(b, segs[b.segment_id]),
            correction=_correction(a, b),
            details=details,
        )

    def _unpaired(
        self, m: Mention, segs: dict[str, Segment], cat: str, other_ids: list[str]
    ) -> Finding:
        where = "source" if m.side == "source" else "target"
        other = segs[other_ids[0]]
        other_ev = Evidence(
            side="target" if where == "source" else "source",
            segment_id=other.id,
            sentence=other.text,
        )
        ev = _ev(m, segs[m.segment_id])
        verb = (
            "has no counterpart in the translation"
            if cat == "date.missing"
            else "is not in the source"
        )
        return Finding(
            category=cat,
            severity=Severity.WARNING,
            confidence=0.6,
            message=f"date “{m.text}” ({m.value}) {verb}",
            check=self.name,
            source=ev if where == "source" else other_ev,
            target=other_ev if where == "source" else ev,
            details={where: m.value},
        )

    def _weekday(self, m: Mention, segs: dict[str, Segment]) -> Finding | None:
        p = parse_date_value(m.value)
        actual = p.weekday()
        if actual is None or weekday_name(actual) == m.attrs["weekday"]:
            return None
        ev = _ev(m, segs[m.segment_id])
        return Finding(
            category="date.weekday",
            severity=Severity.ERROR,
            confidence=0.8,
            message=(
                f"“{m.text}” says {m.attrs['weekday']} but {m.value} was a {weekday_name(actual)}"
            ),
            check=self.name,
            source=ev if m.side == "source" else None,
            target=ev if m.side == "target" else None,
            details={
                "value": m.value,
                "stated": m.attrs["weekday"],
                "actual": weekday_name(actual),
            },
        )
