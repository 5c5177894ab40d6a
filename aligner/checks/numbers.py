"""The number check: quantities that differ between a sentence and its translation.

For every aligned bead the number mentions of both sides are paired (equal values first,
then a dropped or added scale word, then the closest remaining value) and each pair or
leftover is explained: ``number.scale``, ``number.mismatch``, ``number.hedge``,
``number.missing`` and ``number.added``. Equivalent renderings ("7,7 ملايين" and
"7.7 million", "ألفان" and "2,000", overlapping vague ranges) are not findings.
Numbers that belong to dates are left to the date check.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

from aligner.checks.base import Check
from aligner.extract.numbers import magnitude, scale_word, values_of
from aligner.model import (
    Bitext,
    Correction,
    Evidence,
    Finding,
    Mention,
    Severity,
    WordLinks,
)

_REL_TOL = 1e-6
_SCALES = (1e3, 1e6, 1e9)
_MAX_PAIR_COST = 2.5  # log10 distance + position distance above which values are unrelated
_FLOOD = 3  # more leftovers than this in one bead: likely misalignment, report once
_NEAR = 6  # beads apart within which a leftover may be explained by a misaligned sentence

Pair = tuple[Mention | None, Mention | None]


def _eq(a: float | tuple[float, float], b: float | tuple[float, float]) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return a[0] <= b[1] and b[0] <= a[1]
    if isinstance(a, tuple):
        return a[0] <= float(b) <= a[1]  # type: ignore[arg-type]
    if isinstance(b, tuple):
        return b[0] <= a <= b[1]
    return math.isclose(a, b, rel_tol=_REL_TOL, abs_tol=1e-9)


def same_value(a: Mention, b: Mention) -> bool:
    """True when any reading of ``a`` equals (or falls in the range of) any reading of ``b``."""
    return any(_eq(x, y) for x in values_of(a) for y in values_of(b))


def scale_ratio(a: Mention, b: Mention) -> float | None:
    """The power of 1000 separating two point values (7.7 vs 7,700,000 → 1e6), if any."""
    for x in values_of(a):
        for y in values_of(b):
            if isinstance(x, tuple) or isinstance(y, tuple) or x == 0 or y == 0:
                continue
            big, small = max(abs(x), abs(y)), min(abs(x), abs(y))
            for s in _SCALES:
                if math.isclose(big, small * s, rel_tol=_REL_TOL):
                    return s if abs(x) > abs(y) else 1 / s
    return None


def _kind(m: Mention) -> str:
    """Pairing class: ordinals, years and quantities only pair within their class."""
    if m.attrs.get("ordinal"):
        return "ordinal"
    if m.attrs.get("year_like"):
        return "year"
    return "quantity"


def _cost(a: Mention, b: Mention, pa: float, pb: float) -> float:
    la = math.log10(abs(magnitude(a)) + 1)
    lb = math.log10(abs(magnitude(b)) + 1)
    cost = abs(la - lb) + abs(pa - pb)
    ua, ub = a.attrs.get("unit"), b.attrs.get("unit")
    if ua and ub and ua != ub:
        cost += 1.0
    return cost


def pair_quantities(src: Sequence[Mention], tgt: Sequence[Mention]) -> list[Pair]:
    """Pair the quantities of two aligned sentences (lists in text order).

    Equal values first (same unit preferred), then values one scale word apart, then the
    closest remaining values of the same class; the rest stay unpaired (``None`` on the
    other side). Returned in source order, unpaired target mentions last.

    Each mention's readings, class and place, and whether two values are equal, are
    worked out once: both equal-value passes ask for every pair.
    """
    if not src or not tgt:
        return [(a, None) for a in src] + [(None, b) for b in tgt]
    s_used: dict[int, int] = {}
    t_used: set[int] = set()
    s_vals = [values_of(a) for a in src]
    t_vals = [values_of(b) for b in tgt]
    equal = [[any(_eq(x, y) for x in xs for y in ys) for ys in t_vals] for xs in s_vals]
    s_kind = [_kind(a) for a in src]
    t_kind = [_kind(b) for b in tgt]
    s_pos = [i / max(len(src) - 1, 1) for i in range(len(src))]
    t_pos = [j / max(len(tgt) - 1, 1) for j in range(len(tgt))]

    def greedy(match: Callable[[int, int], bool], prefer_unit: bool) -> None:
        for i, a in enumerate(src):
            if i in s_used:
                continue
            best = None
            for j, b in enumerate(tgt):
                if j in t_used or not match(i, j):
                    continue
                if prefer_unit and a.attrs.get("unit") != b.attrs.get("unit"):
                    continue
                d = abs(s_pos[i] - t_pos[j])
                if best is None or d < best[0]:
                    best = (d, j)
            if best is not None:
                s_used[i] = best[1]
                t_used.add(best[1])

    def same(i: int, j: int) -> bool:
        return equal[i][j]

    greedy(same, prefer_unit=True)
    greedy(same, prefer_unit=False)
    greedy(lambda i, j: s_kind[i] == t_kind[j] and scale_ratio(src[i], tgt[j]) is not None, False)
    cands = []
    for i, a in enumerate(src):
        if i in s_used:
            continue
        for j, b in enumerate(tgt):
            if j in t_used or s_kind[i] != t_kind[j]:
                continue
            c = _cost(a, b, s_pos[i], t_pos[j])
            if c <= _MAX_PAIR_COST:
                cands.append((c, i, j))
    for _, i, j in sorted(cands):
        if i in s_used or j in t_used:
            continue
        s_used[i] = j
        t_used.add(j)
    out: list[Pair] = []
    for i, a in enumerate(src):
        out.append((a, tgt[s_used[i]] if i in s_used else None))
    out.extend((None, b) for j, b in enumerate(tgt) if j not in t_used)
    return out


def pair_by_words(
    src: Sequence[Mention], tgt: Sequence[Mention], links: WordLinks | None
) -> list[Pair]:
    """Pair quantities by the word alignment where it links them, the rest by value.

    A linked pair of different values is kept unless both of its mentions have an
    equal-valued partner on the other side still free: then the link, not the
    translation, is wrong (a number linked to its neighbour).
    """
    if links is None:
        return pair_quantities(src, tgt)
    from aligner.wordalign.pairing import pair_by_links

    linked: list[tuple[Mention, Mention]] = []
    for a, b in pair_by_links(links, list(src), list(tgt)):
        if not same_value(a, b):
            taken = {id(x) for pair in linked for x in pair}
            a_alt = any(same_value(a, t) for t in tgt if t is not b and id(t) not in taken)
            b_alt = any(same_value(s, b) for s in src if s is not a and id(s) not in taken)
            if a_alt and b_alt:
                continue
        linked.append((a, b))
    used = {id(x) for pair in linked for x in pair}
    rest = pair_quantities(
        [m for m in src if id(m) not in used], [m for m in tgt if id(m) not in used]
    )
    pairs: list[Pair] = [*linked, *rest]
    order = {id(m): i for i, m in enumerate(src)}
    return sorted(pairs, key=lambda p: order[id(p[0])] if p[0] is not None else len(src))


def _fmt(value: object) -> str:
    if isinstance(value, tuple | list):
        return f"{_fmt(value[0])}–{_fmt(value[1])}"
    v = float(value)  # type: ignore[arg-type]
    if v.is_integer():
        return f"{v:,.0f}"
    return f"{v:,.6f}".rstrip("0").rstrip(".")


def _show(m: Mention) -> str:
    """The mention as written, with its value when the text does not show it plainly."""
    if m.attrs.get("identifier") or m.attrs.get("year_like"):
        return m.text
    value = _fmt(m.value)
    return m.text if m.text == value else f"{m.text} ({value})"


def _json_value(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _specific(m: Mention) -> bool:
    """A value too particular to recur by chance: digits with a fraction, or 1,000 and up."""
    if not m.attrs.get("form", "").startswith("digits") or _kind(m) != "quantity":
        return False
    base = float(m.attrs.get("base", m.value))
    return not base.is_integer() or abs(float(m.value)) >= 1000 or bool(m.attrs.get("identifier"))


def _substantive(m: Mention) -> bool:
    """Worth a missing/added finding: not an ordinal, a year or part of a date."""
    return not (m.attrs.get("ordinal") or m.attrs.get("year_like") or m.attrs.get("date_part"))


class NumberCheck(Check):
    """Registered as "number": compares the quantities of every aligned sentence pair."""

    name = "number"

    def run(self, bitext: Bitext) -> Iterable[Finding]:
        findings: list[Finding] = []
        has_dates = any(m.kind == "date" for m in bitext.mentions)
        text = {seg.id: seg.text for doc in (bitext.source, bitext.target) for seg in doc.segments}
        loose: list[tuple[int, Mention, bool]] = []  # (bead, mention, reportable)
        counts: dict[int, tuple[int, int]] = {}
        word_links = {wl.alignment: wl for wl in bitext.word_alignments if not wl.skipped}
        by_segment = self._numbers_by_segment(bitext)
        # the quantities of every sentence by index (None: none), for one look-up per index
        src_nums = [by_segment.get(seg.id) for seg in bitext.source.segments]
        tgt_nums = [by_segment.get(seg.id) for seg in bitext.target.segments]
        n_src, n_tgt = len(src_nums), len(tgt_nums)
        src_counted = {i for i, ms in enumerate(src_nums) if ms}
        tgt_counted = {j for j, ms in enumerate(tgt_nums) if ms}
        for k, al in enumerate(bitext.alignments):
            if src_counted.isdisjoint(al.src) and tgt_counted.isdisjoint(al.tgt):
                continue  # no quantity on either side (most beads)
            # indices out of range are left out
            src = [m for i in al.src if 0 <= i < n_src and src_nums[i] for m in src_nums[i]]
            tgt = [m for j in al.tgt if 0 <= j < n_tgt and tgt_nums[j] for m in tgt_nums[j]]
            if not src and not tgt:
                continue
            if not al.src or not al.tgt:
                # an omitted/added sentence is the omission check's finding; its quantities
                # only serve to explain leftovers of neighbouring beads (misalignment)
                loose.extend((k, m, False) for m in (*src, *tgt) if _substantive(m))
                continue
            counts[k] = (len(src), len(tgt))
            for a, b in pair_by_words(src, tgt, word_links.get(k)):
                if a is not None and b is not None:
                    f = self._compare(bitext, a, b, text, has_dates)
                    if f is not None:
                        findings.append(f)
                    continue
                m = a if a is not None else b
                assert m is not None
                if _substantive(m):
                    loose.append((k, m, True))
        loose = self._across_beads(bitext, loose, findings, text, has_dates)
        by_bead: dict[int, dict[str, list[Mention]]] = {}
        for k, m, reportable in loose:
            if reportable:
                by_bead.setdefault(k, {"source": [], "target": []})[m.side].append(m)
        for k, left in sorted(by_bead.items()):
            n_left = len(left["source"]) + len(left["target"])
            for ms in left.values():
                if not ms:
                    continue
                if n_left > _FLOOD:
                    findings.append(self._flood(ms[0].side, ms, text))
                else:
                    findings.extend(self._unpaired(m, text, *counts[k]) for m in ms)
        return findings

    def _across_beads(
        self,
        bitext: Bitext,
        loose: list[tuple[int, Mention, bool]],
        findings: list[Finding],
        text: dict[str, str],
        has_dates: bool,
    ) -> list[tuple[int, Mention, bool]]:
        """Explain leftovers by a quantity in another bead (a sentence misaligned).

        Candidates are the leftovers of beads at most ``_NEAR`` apart, or anywhere when
        both values are specific (110,000; 7.7): such values rarely recur by chance.
        An equal value is no translation error; a value one scale word apart still is
        (7.7 million vs 7.7), reported with lower confidence.
        """
        gone: set[int] = set()
        # what the pair tests read of each leftover, worked out once, not once per pair
        specific = [_specific(m) for _, m, _ in loose]
        kinds = [_kind(m) for _, m, _ in loose]
        readings = [values_of(m) for _, m, _ in loose]
        sources = [x for x, (_, m, _) in enumerate(loose) if m.side == "source"]
        targets = [y for y, (_, m, _) in enumerate(loose) if m.side == "target"]
        for relation in ("equal", "scale"):
            for x in sources:
                if x in gone:
                    continue
                ka, a, ra = loose[x]
                best = None
                for y in targets:
                    kb, b, rb = loose[y]
                    if y in gone or kb == ka:
                        continue
                    if abs(kb - ka) > _NEAR and not (specific[x] and specific[y]):
                        continue
                    if not (ra or rb) or kinds[x] != kinds[y]:
                        continue
                    ok = (
                        any(_eq(p, q) for p in readings[x] for q in readings[y])  # same_value
                        if relation == "equal"
                        else scale_ratio(a, b)
                    )
                    if ok and (best is None or abs(kb - ka) < best[0]):
                        best = (abs(kb - ka), y, b)
                if best is None:
                    continue
                gone.update((x, best[1]))
                if relation == "scale":
                    f = self._compare(bitext, a, best[2], text, has_dates)
                    if f is not None:
                        f.confidence = 0.6
                        f.details["cross_bead"] = True
                        f.message += (
                            " (in sentences the alignment did not pair: check the alignment)"
                        )
                        findings.append(f)
        return [item for i, item in enumerate(loose) if i not in gone]

    # -- gathering ---------------------------------------------------------------
    @staticmethod
    def _numbers_by_segment(bitext: Bitext) -> dict[str, list[Mention]]:
        """The comparable quantities of every sentence, in extraction order: numbers
        that are neither part of a date nor inside a date mention's span."""
        out: dict[str, list[Mention]] = {}
        for doc in (bitext.source, bitext.target):
            for seg in doc.segments:
                numbers = bitext.mentions_in(seg.id, "number")
                if not numbers:
                    continue
                dates = bitext.mentions_in(seg.id, "date")
                out[seg.id] = [
                    m
                    for m in numbers
                    if not m.attrs.get("date_part")
                    and not any(d.start <= m.start and m.end <= d.end for d in dates)
                ]
        return out

    @staticmethod
    def _evidence(m: Mention, text: dict[str, str]) -> Evidence:
        return Evidence(
            side=m.side, segment_id=m.segment_id, sentence=text[m.segment_id], span=(m.start, m.end)
        )

    def _compare(
        self, bitext: Bitext, a: Mention, b: Mention, text: dict[str, str], has_dates: bool
    ) -> Finding | None:
        details = {
            "source_value": _json_value(a.value),
            "target_value": _json_value(b.value),
            "source_text": a.text,
            "target_text": b.text,
        }
        ev = {"source": self._evidence(a, text), "target": self._evidence(b, text)}
        if same_value(a, b):
            ha, hb = a.attrs.get("hedge"), b.attrs.get("hedge")
            if ha == hb or _kind(a) != "quantity" or a.attrs.get("identifier"):
                return None  # "حتى 2019" is "until 2019", not "up to": hedges qualify amounts
            details.update(source_hedge=ha, target_hedge=hb)
            if ha and hb:
                what = (
                    f"hedge changed: {a.attrs.get('hedge_text')} {a.text} ({ha}) became "
                    f"{b.attrs.get('hedge_text')} {b.text} ({hb})"
                )
                conf = 0.75
            elif ha:
                what = f"hedge dropped: {a.attrs.get('hedge_text')} {a.text} ({ha}) became {b.text}"
                conf = 0.6
            else:
                what = f"hedge added: {a.text} became {b.attrs.get('hedge_text')} {b.text} ({hb})"
                conf = 0.6
            return Finding(
                "number.hedge",
                Severity.WARNING,
                conf,
                what,
                self.name,
                ev["source"],
                ev["target"],
                None,
                details,
            )
        if _kind(a) == "year" and has_dates:
            return None  # years are the date check's business when dates were extracted
        ratio = scale_ratio(a, b)
        if ratio is not None:
            return self._scale(bitext, a, b, ratio, ev, details)
        weak = any(
            m.attrs.get("form", "").startswith("words")
            or m.attrs.get("ambiguous")
            or m.attrs.get("vague")
            for m in (a, b)
        )
        details["source_unit"] = a.attrs.get("unit")
        details["target_unit"] = b.attrs.get("unit")
        msg = f"number differs: {_show(a)} in the source became {_show(b)} in the target"
        vague = a.attrs.get("vague") or b.attrs.get("vague")
        return Finding(
            "number.mismatch",
            Severity.ERROR,
            0.4 if vague else 0.6 if weak else 0.8,
            msg,
            self.name,
            ev["source"],
            ev["target"],
            None,
            details,
        )

    def _scale(
        self,
        bitext: Bitext,
        a: Mention,
        b: Mention,
        ratio: float,
        ev: dict[str, Evidence],
        details: dict[str, object],
    ) -> Finding:
        big, small = (a, b) if ratio > 1 else (b, a)
        factor = ratio if ratio > 1 else 1 / ratio
        dropped_on = small.side
        details.update(scale_factor=factor, dropped_on=dropped_on)
        if small.attrs.get("scale") and big.attrs.get("scale"):
            how = "scale word changed"
        elif dropped_on == "target":
            how = "scale word dropped"
        else:
            how = "scale word added"
        if bitext.same_language and how != "scale word changed":
            how = f"scale word missing in the {dropped_on}"
        msg = f"{how}: {_show(a)} became {_show(b)}"
        correction = None
        # suggest restoring the scale word on the side that lacks it, when that side is a
        # translation (the target, or either side of two translations)
        if dropped_on == "target" or bitext.same_language:
            lang = bitext.side(dropped_on).lang
            base = float(small.attrs.get("base", small.value))
            base_text = small.text
            if small.attrs.get("scale"):
                base_text = small.text[: small.text.rfind(small.attrs["scale"])].rstrip()
                need = float(big.value) / base
            else:
                need = factor
            word = scale_word(need, base, lang)
            if word is not None:
                correction = Correction(side=dropped_on, sic=small.text, corr=f"{base_text} {word}")
        return Finding(
            "number.scale",
            Severity.ERROR,
            0.9,
            msg,
            self.name,
            ev["source"],
            ev["target"],
            correction,
            details,
        )

    def _unpaired(self, m: Mention, text: dict[str, str], n_src: int, n_tgt: int) -> Finding:
        missing = m.side == "source"
        cat = "number.missing" if missing else "number.added"
        form = m.attrs.get("form", "")
        conf = 0.6 if form.startswith("digits") else 0.45
        if m.attrs.get("vague"):
            conf = 0.35
        if form == "words" and magnitude(m) <= 2:
            conf = 0.3  # "two"/"both" often lives in Arabic dual morphology, not a number word
        if (n_tgt if missing else n_src) < (n_src if missing else n_tgt) - 1:
            conf = min(conf, 0.4)
        where = "the target" if missing else "the source"
        msg = f"no counterpart in {where} for {_show(m)}"
        details = {
            ("source_value" if missing else "target_value"): _json_value(m.value),
            ("source_text" if missing else "target_text"): m.text,
        }
        ev = self._evidence(m, text)
        return Finding(
            cat,
            Severity.WARNING,
            conf,
            msg,
            self.name,
            ev if missing else None,
            None if missing else ev,
            None,
            details,
        )

    def _flood(self, side: str, ms: list[Mention], text: dict[str, str]) -> Finding:
        missing = side == "source"
        cat = "number.missing" if missing else "number.added"
        listed = ", ".join(m.text for m in ms)
        msg = (
            f"{len(ms)} quantities without counterpart on the other side ({listed}); "
            "the sentence alignment may be wrong"
        )
        ev = self._evidence(ms[0], text)
        details = {"values": [_json_value(m.value) for m in ms], "texts": [m.text for m in ms]}
        return Finding(
            cat,
            Severity.WARNING,
            0.25,
            msg,
            self.name,
            ev if missing else None,
            None if missing else ev,
            None,
            details,
        )
