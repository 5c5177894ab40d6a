"""Date mentions in Arabic and English sentences, normalised to ISO-like values.

Values are comparable across languages and translations: ``"2021-06-28"`` (day),
``"2021-06"`` (month), ``"2021-fall"`` (season), ``"2021"`` (year) and ``"--02-06"``
for a day and month without a year ("بتاريخ 6 شباط/فبراير"). Month and weekday
names come from CLDR through babel (Levantine, Egyptian/Gulf and Maghrebi Arabic
locales plus English), so every regional spelling CLDR knows is covered; the few
cues CLDR has no table for live in ``data/dates_*.json``.

Arabic is matched on a normalised copy of the sentence (hamza forms, ta marbuta,
alef maqsura, diacritics, tatweel, Eastern digits) that keeps a map back to the
original offsets, so spans always point into ``segment.text``.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale

from aligner.arabic import LETTER_FOLD
from aligner.extract.base import Extractor
from aligner.model import AlignerError, Mention, Segment

DATA = Path(__file__).resolve().parent / "data"
LANGS = ("ar", "en")

# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class DateParts:
    """A date value taken apart; ``None`` means "not stated"."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    season: str | None = None

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        if self.season is not None:
            return "season"
        return "year"

    def iso(self) -> str:
        """The ISO-like string used as ``Mention.value``."""
        y = f"{self.year:04d}" if self.year is not None else "-"
        if self.day is not None:
            return f"{y}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{y}-{self.month:02d}"
        if self.season is not None:
            return f"{y}-{self.season}"
        return y

    def weekday(self) -> int | None:
        """Monday = 0 … Sunday = 6 when the date is complete and valid, else ``None``."""
        if self.year is None or self.month is None or self.day is None:
            return None
        try:
            return datetime.date(self.year, self.month, self.day).weekday()
        except ValueError:
            return None


_VALUE_RE = re.compile(
    r"^(?P<y>\d{4}|-)(?:-(?:(?P<m>\d{2})(?:-(?P<d>\d{2}))?|(?P<s>spring|summer|fall|winter)))?$"
)


def parse_date_value(value: str) -> DateParts:
    """Inverse of :meth:`DateParts.iso`; raises ``ValueError`` on anything else."""
    match = _VALUE_RE.match(value)
    if not match:
        raise ValueError(f"not a date value: {value!r}")
    y, m, d, s = match.group("y", "m", "d", "s")
    return DateParts(
        year=None if y == "-" else int(y),
        month=int(m) if m else None,
        day=int(d) if d else None,
        season=s,
    )


# --------------------------------------------------------------------------- normalisation

_DROP = re.compile(
    r"[\u0610-\u061a\u061c\u064b-\u065f\u0670\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)
_ASCII_DIGIT = re.compile("[0-9]")
_MAP = str.maketrans(
    {
        **LETTER_FOLD,
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2010": "-",
        "\u2011": "-",
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)


def normalise(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters (plus the end), the original offset.

    Only one-to-one replacements and deletions are made, so the map is exact.
    """
    # _MAP is one character to one character, so the whole string is mapped at once and
    # only the dropped characters (rare: diacritics, bidi marks) change the offsets
    dropped = {m.start() for m in _DROP.finditer(text)}
    if not dropped:
        return text.translate(_MAP), list(range(len(text) + 1))
    offsets = [i for i in range(len(text)) if i not in dropped]
    offsets.append(len(text))
    return _DROP.sub("", text).translate(_MAP), offsets


def normalise_word(word: str) -> str:
    return normalise(word)[0]


# --------------------------------------------------------------------------- tables


def _load(name: str) -> dict[str, Any]:
    with open(DATA / name, encoding="utf-8") as fh:
        return json.load(fh)


@dataclass(frozen=True)
class _Tables:
    months: dict[str, dict[str, int]]  # lang → normalised name → month number
    weekdays: dict[str, dict[str, int]]  # lang → normalised name → Monday=0
    weekday_names_en: dict[int, str]
    seasons: dict[str, dict[str, str]]
    season_months: dict[str, list[int]]
    cues: dict[str, Any]
    seasons_data: dict[str, Any]
    relative: dict[str, Any]


@cache
def tables() -> _Tables:
    """Month/weekday names from CLDR (babel) plus the JSON cue files; built once."""
    cues = _load("dates_cues.json")
    seasons = _load("dates_seasons.json")
    relative = _load("dates_relative.json")
    months: dict[str, dict[str, int]] = {}
    weekdays: dict[str, dict[str, int]] = {}
    for lang in LANGS:
        names: dict[str, int] = {}
        days: dict[str, int] = {}
        for loc_name in cues["month_locales"][lang]:
            loc = Locale.parse(loc_name)
            for context in ("format", "stand-alone"):
                widths = ("wide", "abbreviated") if lang == "en" else ("wide",)
                for width in widths:
                    for num, name in loc.months[context][width].items():
                        names.setdefault(normalise_word(name), int(num))
                    if width == "wide":
                        for num, name in loc.days[context][width].items():
                            days.setdefault(normalise_word(name), int(num))
        for name, num in cues["month_variants"][lang].items():
            names.setdefault(normalise_word(name), int(num))
        months[lang] = names
        weekdays[lang] = days
    en_days = Locale("en").days["format"]["wide"]
    return _Tables(
        months=months,
        weekdays=weekdays,
        weekday_names_en={int(k): str(v).lower() for k, v in en_days.items()},
        seasons={
            lang: {normalise_word(k): v for k, v in seasons["names"][lang].items()}
            for lang in LANGS
        },
        season_months=seasons["months"],
        cues=cues,
        seasons_data=seasons,
        relative=relative,
    )


def season_months(season: str) -> list[int]:
    return list(tables().season_months[season])


def weekday_name(num: int) -> str:
    """English lower-case weekday name (Monday = 0), the canonical form in ``attrs``."""
    return tables().weekday_names_en[num]


# --------------------------------------------------------------------------- patterns


def _alt(words: list[str] | set[str] | dict[str, Any]) -> str:
    """Regex alternation, longest first so that "كانون الاول" wins over a prefix."""
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


_NOT_NUM_BEFORE = r"(?<![0-9])(?<![0-9][.,٫])"
_NOT_NUM_AFTER = r"(?![0-9]|[.,٫][0-9])"


@dataclass(frozen=True)
class _Pattern:
    name: str
    regex: re.Pattern[str]


@cache
def _patterns(lang: str) -> tuple[_Pattern, ...]:
    t = tables()
    c = t.cues
    lo, hi = c["year_range"]
    year = rf"{_NOT_NUM_BEFORE}(?P<y>[12][0-9]{{3}}){_NOT_NUM_AFTER}"
    day = rf"{_NOT_NUM_BEFORE}(?P<d>[0-3]?[0-9])"
    month = _alt(t.months[lang])
    weekday = _alt(t.weekdays[lang])
    seasons = _alt(t.seasons[lang])
    num = r"(?P<a>[0-9]{1,2})\s?(?P<sep>[/.\-])\s?(?P<b>[0-9]{1,2})\s?(?P=sep)\s?"
    numeric_dmy = rf"{_NOT_NUM_BEFORE}{num}(?P<y>[12][0-9]{{3}}){_NOT_NUM_AFTER}"
    numeric_ymd = (
        rf"{_NOT_NUM_BEFORE}(?P<y>[12][0-9]{{3}})\s?(?P<sep>[/.\-])\s?(?P<a>[0-9]{{1,2}})"
        rf"\s?(?P=sep)\s?(?P<b>[0-9]{{1,2}}){_NOT_NUM_AFTER}"
    )
    del lo, hi  # ranges are applied after matching
    pats: list[tuple[str, str]] = []
    if lang == "ar":
        year_word = _alt([normalise_word(w) for w in c["year_words"]["ar"]])
        month_word = _alt([normalise_word(w) for w in c["month_word"]["ar"]])
        preps = _alt([normalise_word(w) for w in c["year_prepositions"]["ar"]])
        season_word = _alt([normalise_word(w) for w in t.seasons_data["season_word"]["ar"]])
        lead = _alt([normalise_word(w) for w in c["weekday_lead"]["ar"]])
        link = _alt([normalise_word(w) for w in c["weekday_link"]["ar"]])
        # "حزيران/يونيو", "يونيو (حزيران)", "مارس/ " (a pair with its second half left empty)
        mgroup = (
            rf"(?<!\w)(?P<m1>{month})(?!\w)"
            rf"(?:\s*(?:/|\()\s*(?P<m2>{month})(?!\w)\s*\)?)?"
        )
        mgroup_clitic = (
            rf"(?:(?<!\w)(?:{month_word})\s+|(?<!\w)[وفب](?=\w)|(?<!\w))(?P<m1>{month})(?!\w)"
            rf"(?:\s*(?:/|\()\s*(?P<m2>{month})(?!\w)\s*\)?)?"
        )
        # between month and year: comma, stray slash, "من عام", "لسنة", "للعام" ...
        yconn = rf"\s*[،,/]?\s*(?:(?:من\s+|في\s+|ل)?(?:ال|ل)?(?:{year_word})\s+)?"
        wd = (
            rf"(?:(?:(?<!\w)(?:{lead})\s+)?(?<!\w)(?P<wd>{weekday})(?!\w)"
            rf"\s*[،,]?\s*(?:(?:{link})\s+)?)?"
        )
        pats += [
            ("dmy", rf"{wd}{day}\s*{mgroup}{yconn}{year}"),
            ("my", rf"{mgroup_clitic}{yconn}{year}"),
            ("dm", rf"{wd}{day}\s*{mgroup}"),
            (
                "season",
                rf"(?<!\w)(?:[وفب]?(?:{season_word})\s+)?(?:[وفب]?(?:ال)?)(?P<s>{seasons})(?!\w)"
                rf"\s*(?:(?:من\s+|في\s+|ل)?(?:ال|ل)?(?:{year_word})\s+)?{year}",
            ),
            (
                "year",
                rf"(?<!\w)[وف]?(?:من\s+|في\s+|منذ\s+|حتي\s+)?(?P<c>[بل]?(?:ال|ل)?(?:{year_word}))\s+{year}",
            ),
            ("year_prep", rf"(?<!\w)[وف]?(?:{preps})\s+{year}"),
        ]
    else:
        preps = _alt(c["year_prepositions"]["en"])
        lead = _alt(c["weekday_lead"]["en"])
        mgroup = rf"(?<![\w-])(?P<m1>{month})\.?(?![\w-])"
        ord_ = r"(?:st|nd|rd|th)?"
        wd = rf"(?:(?:(?i:{lead})\s+)?(?P<wd>{weekday}),?\s+(?:(?i:the)\s+)?)?"
        pats += [
            ("dmy", rf"{wd}{day}{ord_}\s+(?:(?i:of)\s+)?{mgroup},?\s+{year}"),
            ("mdy", rf"{wd}{mgroup}\s+{day}{ord_},?\s+{year}"),
            ("my", rf"{mgroup},?\s+(?:(?i:of)\s+)?{year}"),
            ("dm", rf"{wd}{day}{ord_}\s+(?:(?i:of)\s+)?{mgroup}"),
            ("md", rf"{wd}{mgroup}\s+{day}{ord_}(?![\w,]|,\s*[0-9])"),
            (
                "season",
                rf"(?<!\w)(?i:(?:the\s+)?(?:(?:early|late|mid-?)\s*)?(?P<s>{seasons})\s+(?:of\s+)?){year}",
            ),
            ("year_prep", rf"(?<!\w)(?i:(?:{preps}))\s+{year}(?!\s*%|\s+percent)"),
        ]
    pats += [("numeric_dmy", numeric_dmy), ("numeric_ymd", numeric_ymd)]
    return tuple(_Pattern(name, re.compile(rx)) for name, rx in pats)


@cache
def _today_regex(lang: str) -> re.Pattern[str]:
    rel = tables().relative
    words = _alt([normalise_word(w) for w in rel["today"][lang]])
    clitics = "".join(rel["clitics"][lang])
    lead = rf"(?<!\w)(?:[{clitics}](?=\w))?" if clitics else r"(?<![\w'’])"
    flags = re.IGNORECASE if lang == "en" else 0
    return re.compile(rf"{lead}(?P<t>{words})(?![\w'’])", flags)


# --------------------------------------------------------------------------- extraction


@dataclass(frozen=True)
class DateMatch:
    """One date (or "today") found in a text: span into the original text, value, attrs."""

    start: int
    end: int
    value: str | None
    attrs: dict[str, Any]


def _in_range(y: int, bare: bool = False) -> bool:
    lo, hi = tables().cues["bare_year_range" if bare else "year_range"]
    return lo <= y <= hi


def _numeric(a: int, b: int, lang: str, ymd: bool) -> tuple[int, int, dict[str, Any]] | None:
    """(month, day, extra attrs) from two numeric fields; ``None`` if no reading is valid."""
    if ymd:
        return (a, b, {}) if 1 <= a <= 12 and 1 <= b <= 31 else None
    dmy_ok = 1 <= b <= 12 and 1 <= a <= 31
    mdy_ok = 1 <= a <= 12 and 1 <= b <= 31
    if dmy_ok and mdy_ok and a != b:
        order = tables().cues["numeric_order"][lang]
        m, d = (b, a) if order == "dmy" else (a, b)
        return m, d, {"ambiguous": True, "order": order}
    if dmy_ok:
        return b, a, {}
    if mdy_ok:
        return a, b, {}
    return None


def _parts_from(
    match: re.Match[str], name: str, lang: str
) -> tuple[DateParts, dict[str, Any]] | None:
    t = tables()
    g = match.groupdict()
    attrs: dict[str, Any] = {}
    year = int(g["y"]) if g.get("y") else None
    bare = name == "year_prep"
    if year is not None and not _in_range(year, bare=bare):
        return None
    if name.startswith("numeric"):
        got = _numeric(int(g["a"]), int(g["b"]), lang, ymd=name == "numeric_ymd")
        if got is None:
            return None
        month, day, extra = got
        attrs.update(extra)
        parts = DateParts(year=year, month=month, day=day)
        if extra.get("ambiguous"):
            attrs["alt"] = DateParts(year=year, month=day, day=month).iso()
    elif name == "season":
        parts = DateParts(year=year, season=t.seasons[lang][_norm_key(g["s"], lang).lower()])
    elif name in ("year", "year_prep"):
        parts = DateParts(year=year)
    else:
        m1 = t.months[lang][_norm_key(g["m1"], lang)]
        if g.get("m2"):
            m2 = t.months[lang][_norm_key(g["m2"], lang)]
            if m2 != m1:
                attrs["month_conflict"] = sorted({m1, m2})
        day = int(g["d"]) if g.get("d") else None
        if day is not None and not 1 <= day <= 31:
            return None
        parts = DateParts(year=year, month=m1, day=day)
        if year is None:
            attrs["no_year"] = True
    if parts.day is not None and parts.year is not None and parts.weekday() is None:
        attrs["invalid"] = True
    if g.get("wd"):
        attrs["weekday"] = weekday_name(t.weekdays[lang][_norm_key(g["wd"], lang)])
    return parts, attrs


def _norm_key(s: str, lang: str) -> str:
    return re.sub(r"\s+", " ", s)


def _today_ok(norm: str, m: re.Match[str], lang: str) -> bool:
    """Reject "until today" (so far), "that day", and "اليوم التالي"-style compounds."""
    rel = tables().relative
    before = norm[: m.start()].rstrip()
    possessive = lang == "en" and m.group("t").lower() != "today"
    for w in [] if possessive else rel["not_after"][lang]:
        w = normalise_word(w)
        if lang == "en":
            if re.search(rf"(?<!\w){re.escape(w)}$", before, re.IGNORECASE):
                return False
        elif re.search(rf"(?<!\w)[وف]?{re.escape(w)}$", before):
            return False
    prefix = rel["not_before_prefix"][lang]
    if prefix and m.group("t") == normalise_word(rel["today"][lang][0]):
        after = re.match(r"\s+(\w+)", norm[m.end() :])
        if after and after.group(1).startswith(prefix):
            return after.group(1) in tables().weekdays[lang]
    return True


def find_dates(text: str, lang: str) -> list[DateMatch]:
    """All date and "today" mentions in ``text``, non-overlapping, in text order.

    Overlapping candidates are resolved longest first ("25 حزيران/يونيو، 2019"
    beats "25 حزيران/يونيو"), so the most precise reading of a span wins.
    """
    if lang not in LANGS:
        raise AlignerError(f"date extraction supports {', '.join(LANGS)}, not {lang!r}")
    norm, offsets = normalise(text)
    cands: list[tuple[int, int, int, str | None, dict[str, Any]]] = []
    # every pattern holds a day, a year or a numeric date: without an ASCII digit (native
    # digits are folded to ASCII above) only "today" can match
    patterns = _patterns(lang) if _ASCII_DIGIT.search(norm) else ()
    for prio, pat in enumerate(patterns):
        for m in pat.regex.finditer(norm):
            got = _parts_from(m, pat.name, lang)
            if got is None:
                continue
            parts, attrs = got
            attrs["precision"] = parts.precision
            # a preposition cue ("in 2014", "منذ 2014") is context, not part of the date
            if pat.name == "year_prep":
                start = m.start("y")
            elif "c" in pat.regex.groupindex:
                start = m.start("c")
            else:
                start = m.start()
            cands.append((start, m.end(), prio, parts.iso(), attrs))
    for m in _today_regex(lang).finditer(norm):
        if _today_ok(norm, m, lang):
            cands.append((m.start("t"), m.end("t"), 99, None, {"relative": "today"}))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    chosen: list[DateMatch] = []
    for start, end, _prio, value, attrs in cands:
        if any(start < e and s < end for s, e in taken):
            continue
        # trim trailing spaces/punctuation a pattern may have swallowed
        while end > start and norm[end - 1] in " ،,/":
            end -= 1
        taken.append((start, end))
        chosen.append(DateMatch(offsets[start], offsets[end - 1] + 1, value, attrs))
    return sorted(chosen, key=lambda d: d.start)


class DateExtractor(Extractor):
    """Registered as "date": one sentence → date mentions (see :func:`find_dates`)."""

    name = "date"

    def extract(self, segment: Segment, lang: str, side: str) -> list[Mention]:
        return [
            Mention(
                kind="date",
                side=side,
                segment_id=segment.id,
                start=d.start,
                end=d.end,
                text=segment.text[d.start : d.end],
                value=d.value,
                attrs=dict(sorted(d.attrs.items())),
            )
            for d in find_dates(segment.text, lang)
        ]
