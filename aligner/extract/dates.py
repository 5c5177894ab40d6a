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
from aligner.extract.base import Extractor, fresh_attrs, trie_pattern
from aligner.memo import memo
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
_MAP_PAIRS = tuple((chr(k), v if isinstance(v, str) else chr(v)) for k, v in _MAP.items())
_FOLD_PAIRS = tuple((raw, mapped) for raw, mapped in _MAP_PAIRS if raw in LETTER_FOLD)
_OTHER_PAIRS = tuple((raw, mapped) for raw, mapped in _MAP_PAIRS if raw not in LETTER_FOLD)
_OTHER_SOURCES = re.compile("[" + "".join(re.escape(raw) for raw, _ in _OTHER_PAIRS) + "]")


def normalise(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters (plus the end), the original offset.

    Only one-to-one replacements and deletions are made, so the map is exact.
    """
    norm, offsets = _normalise(text)
    return norm, list(range(len(text) + 1)) if offsets is None else offsets


def normalised_text(text: str) -> str:
    """``normalise(text)[0]``, without working out the offsets."""
    if text.isascii():
        return text
    return _map_chars(_DROP.sub("", text))


#: what :func:`normalised_text` makes leading whitespace or drops (``\s`` is ``str.isspace``;
#: only whitespace maps to whitespace)
_LEADING = re.compile(rf"(?:\s|{_DROP.pattern})*")


def first_normalised(text: str) -> str:
    """The first character of ``normalised_text(text).lstrip()`` ("" when there is none),
    without normalising the rest (normalisation maps a character to one or none)."""
    at = _LEADING.match(text).end()  # type: ignore[union-attr]
    return normalised_text(text[at]) if at < len(text) else ""


def _normalise(text: str) -> tuple[str, list[int] | None]:
    """:func:`normalise`, with ``None`` for the offsets when no character is dropped."""
    if text.isascii():  # nothing to map or drop
        return text, None
    # _MAP is one character to one character, so the whole string is mapped at once and
    # only the dropped characters (rare: diacritics, bidi marks) change the offsets
    dropped = [m.start() for m in _DROP.finditer(text)]
    if not dropped:
        return _map_chars(text), None
    offsets: list[int] = []
    kept = 0  # first offset not yet listed
    for d in dropped:
        offsets.extend(range(kept, d))
        kept = d + 1
    offsets.extend(range(kept, len(text) + 1))
    return _map_chars(_DROP.sub("", text)), offsets


def _map_chars(text: str) -> str:
    """``text.translate(_MAP)``: one ``replace`` per entry is several times faster than
    the per-character dict look-up of ``translate`` on Arabic text (no entry maps to a
    character another entry maps from, so the order is free). Letters are folded in
    most Arabic sentences; the spaces, hyphens and digits only when one is there."""
    for raw, mapped in _FOLD_PAIRS:
        text = text.replace(raw, mapped)
    if _OTHER_SOURCES.search(text):
        for raw, mapped in _OTHER_PAIRS:
            text = text.replace(raw, mapped)
    return text


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


def _alt(words: list[str] | set[str] | dict[str, Any], caseless: bool = False) -> str:
    """Regex alternation, longest first so that "كانون الاول" wins over a prefix; a space
    stands for any whitespace.

    Written as a trie (:func:`trie_pattern`): the same match as the flat alternation,
    without trying every word at every position. Matched ``caseless`` (inside ``(?i:)``),
    two branches could match one character unless the words are lower-case ASCII; then
    the flat alternation is kept.
    """
    if caseless and not all(w.isascii() and w == w.lower() for w in words):
        return "|".join(
            re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
        )
    return trie_pattern(words, unit=_alt_unit)


def _alt_unit(ch: str) -> str:
    return r"\s+" if ch == " " else re.escape(ch)


_NOT_NUM_BEFORE = r"(?<![0-9])(?<![0-9][.,٫])"
_DIGITS = "0123456789"


def _first(words: Any) -> str:
    """A look-ahead for the first character of any of ``words`` (a part that must start
    with one of them can be preceded by it without changing a match)."""
    return "(?=[" + "".join(sorted({re.escape(w[0]) for w in words})) + "])"


_NOT_NUM_AFTER = r"(?![0-9]|[.,٫][0-9])"


@dataclass(frozen=True)
class _Pattern:
    name: str
    regex: re.Pattern[str]
    #: cues (:data:`_CUE_OF_GROUP`) a match cannot do without
    needs: tuple[str, ...] = ()
    #: the pattern without its optional weekday, for sentences that name no weekday
    plain: re.Pattern[str] | None = None
    #: ("month" or "year", n): a match starts at most n characters, plus the whitespace
    #: just before, ahead of a month name's first word or a year; so the search can
    #: start that far ahead of the first one in the sentence
    anchor: tuple[str, int] | None = None


#: groups that are mandatory wherever they occur in a pattern, and the cue each needs
#: in the normalised sentence (see :func:`_cue_regexes`)
_CUE_OF_GROUP = {"y": "year", "sep": "numeric", "c": "year_word", "m1": "month", "s": "season"}


@cache
def _patterns(lang: str) -> tuple[_Pattern, ...]:
    t = tables()
    c = t.cues
    lo, hi = c["year_range"]
    # _first(...) before a part that must start with one of those characters changes no
    # match, but lets ``re`` reject most positions of a pattern that starts there at once
    year = rf"{_first('12')}{_NOT_NUM_BEFORE}(?P<y>[12][0-9]{{3}}){_NOT_NUM_AFTER}"
    day = rf"{_first(_DIGITS)}{_NOT_NUM_BEFORE}(?P<d>[0-3]?[0-9])"
    month = _alt(t.months[lang])
    weekday = _alt(t.weekdays[lang])
    seasons = _alt(t.seasons[lang], caseless=lang == "en")
    num = r"(?P<a>[0-9]{1,2})\s?(?P<sep>[/.\-])\s?(?P<b>[0-9]{1,2})\s?(?P=sep)\s?"
    numeric_dmy = rf"{_first(_DIGITS)}{_NOT_NUM_BEFORE}{num}(?P<y>[12][0-9]{{3}}){_NOT_NUM_AFTER}"
    numeric_ymd = (
        rf"{_first('12')}{_NOT_NUM_BEFORE}(?P<y>[12][0-9]{{3}})\s?(?P<sep>[/.\-])\s?(?P<a>[0-9]{{1,2}})"
        rf"\s?(?P=sep)\s?(?P<b>[0-9]{{1,2}}){_NOT_NUM_AFTER}"
    )
    del lo, hi  # ranges are applied after matching
    pats: list[tuple[str, str]] = []
    anchors: dict[str, tuple[str, int]] = {}
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
        # "my" holds a month word and whitespace or a clitic before the month name;
        # "year_prep" a clitic, a preposition and whitespace before the year (one word
        # each, else the whitespace inside would not be bounded)
        month_words = [normalise_word(w) for w in c["month_word"]["ar"]]
        prep_words = [normalise_word(w) for w in c["year_prepositions"]["ar"]]
        if not any(" " in w for w in month_words + prep_words):
            anchors["my"] = ("month", max([1, *map(len, month_words)]))
            anchors["year_prep"] = ("year", 1 + max(map(len, prep_words), default=0))
    else:
        preps = _alt(c["year_prepositions"]["en"], caseless=True)
        lead = _alt(c["weekday_lead"]["en"], caseless=True)
        mgroup = rf"{_first(t.months[lang])}(?<![\w-])(?P<m1>{month})\.?(?![\w-])"
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
    out = []
    for name, rx in pats:
        compiled = re.compile(rx)
        needs = tuple(cue for group, cue in _CUE_OF_GROUP.items() if group in compiled.groupindex)
        # without a weekday name the optional weekday group can only match empty
        plain = re.compile(rx.replace(wd, "")) if wd in rx else None
        out.append(_Pattern(name, compiled, needs, plain, anchors.get(name)))
    return tuple(out)


@cache
def _runs(lang: str, present: frozenset[str]) -> tuple[tuple[int, _Pattern, re.Pattern[str]], ...]:
    """(rank, pattern, regex) of the patterns to run in a sentence with just the cues in
    ``present``: every cue a pattern needs is there (or has no search, see
    :func:`_cue_regexes`), and without a weekday name its plain regex."""
    searched = set(_cue_regexes(lang))
    return tuple(
        (
            prio,
            pat,
            pat.plain if pat.plain is not None and "weekday" not in present else pat.regex,
        )
        for prio, pat in enumerate(_patterns(lang))
        if all(need in present or need not in searched for need in pat.needs)
    )


@cache
def _cue_regexes(lang: str) -> dict[str, Any]:
    """Searches of the normalised sentence, one per cue a pattern may need (the year
    cue is always, the month cue sometimes searched in the raw sentence, :func:`_raw_cues`).

    Each finds what its group cannot match without: the first word of a month name
    (``m1``), a digit and a separator (``sep``), a year word (``c``), a season name
    (``s``), the first word of a weekday name (the optional ``wd``).
    """
    t = tables()

    def first_words(names: Any) -> re.Pattern[str]:
        return re.compile(trie_pattern({name.split()[0] for name in names}))

    cues = {
        "year": re.compile("[12][0-9]{3}"),
        "month": first_words(t.months[lang]),
        "numeric": re.compile(r"[0-9]\s?[/.\-]\s?[0-9]"),
        "year_word": first_words(normalise_word(w) for w in t.cues["year_words"][lang]),
        "weekday": first_words(t.weekdays[lang]),
    }
    if lang == "ar":
        cues["season"] = first_words(t.seasons[lang])
    elif all(w.isascii() and w == w.lower() for w in t.seasons[lang]):  # matched case-blind
        cues["season"] = _CaselessWords({name.split()[0] for name in t.seasons[lang]})
    return cues


#: the characters other than ASCII letters that ``re`` matches to an ASCII letter when
#: case is ignored (İ ı to i, Kelvin K to k, long s to s)
_CASE_EXTRAS = re.compile("[\u0130\u0131\u212a\u017f]")


class _CaselessWords:
    """Finds lower-case ASCII words where ``(?i:...)`` would, without ``re.IGNORECASE``
    (a case-blind search is several times slower): in the lower-cased text, unless one
    of :data:`_CASE_EXTRAS` is there (then it answers yes)."""

    def __init__(self, words: set[str], between: str = "") -> None:
        self.regex = re.compile(trie_pattern(words, between=between, unit=re.escape))

    def search(self, text: str) -> bool:
        return _CASE_EXTRAS.search(text) is not None or self.regex.search(text.lower()) is not None


@cache
def _today_regex(lang: str) -> re.Pattern[str]:
    rel = tables().relative
    words = _alt([normalise_word(w) for w in rel["today"][lang]], caseless=lang == "en")
    clitics = "".join(rel["clitics"][lang])
    lead = rf"(?<!\w)(?:[{clitics}](?=\w))?" if clitics else r"(?<![\w'’])"
    flags = re.IGNORECASE if lang == "en" else 0
    return re.compile(rf"{lead}(?P<t>{words})(?![\w'’])", flags)


def _spellings() -> dict[str, str]:
    """Every character that :data:`_MAP` turns into a character, by that character."""
    out: dict[str, str] = {}
    for raw, mapped in _MAP_PAIRS:
        out[mapped] = out.get(mapped, mapped) + raw
    return out


#: a digit that normalises to an ASCII digit: every pattern holds one (see find_dates)
_DIGIT_CUE = re.compile(
    "[" + "".join(re.escape(_spellings().get(str(d), str(d))) for d in range(10)) + "]"
)


@cache
def _raw_cues(lang: str) -> dict[str, re.Pattern[str]]:
    """The year and month cues of :func:`_cue_regexes`, searched in the raw sentence:
    every spelling :func:`normalise` maps to their characters, with the characters it
    drops allowed between them. Without either, no pattern can match."""
    spellings = _spellings()

    def chars(ch: str) -> str:
        return re.escape(spellings.get(ch, ch))

    between = f"{_DROP.pattern}*"
    year = f"[{chars('1')}{chars('2')}]" + f"(?:{between}[{_DIGIT_CUE.pattern[1:-1]}]){{3}}"
    months = {name.split()[0] for name in tables().months[lang]}
    return {
        "year": re.compile(year),
        "month": re.compile(trie_pattern(months, chars, between)),
    }


@cache
def _today_cue(lang: str) -> re.Pattern[str] | _CaselessWords:
    """What a "today" word needs in the raw sentence (see :func:`find_dates`).

    Each word's longest piece, from its first character that only one character
    normalises to (so that ``re`` scans for a literal), spelt with every character
    :func:`normalise` maps to each of the others and the characters it drops allowed
    between them.
    """
    spellings = _spellings()
    pieces = {max(normalise_word(w).split(), key=len) for w in tables().relative["today"][lang]}
    # a piece that holds another ("today's", "today") is found through the other
    pieces = {p for p in pieces if not any(o != p and o in p for o in pieces)}
    between = f"{_DROP.pattern}*"
    if lang == "en" and all(p.isascii() and p == p.lower() and p.isalpha() for p in pieces):
        return _CaselessWords(pieces, between)  # as the today regex: case-blind
    words = []
    for piece in sorted(pieces):
        first = next((k for k, ch in enumerate(piece) if ch not in spellings), 0)
        chars = [
            re.escape(ch) if ch not in spellings else f"[{re.escape(spellings[ch])}]"
            for ch in piece[first:]
        ]
        words.append(between.join(chars))
    return re.compile("|".join(words), re.IGNORECASE if lang == "en" else 0)


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
    return _SPACES.sub(" ", s)


_SPACES = re.compile(r"\s+")
_WORD_AFTER = re.compile(r"\s+(\w+)")


@cache
def _not_after(lang: str) -> tuple[re.Pattern[str], int]:
    """One search for all the words "today" must not follow, and its longest match.

    Anchored at the end, a match starts at most that many characters before it, so the
    search starts there (lookbehinds still see the text before the start).
    """
    words = [normalise_word(w) for w in tables().relative["not_after"][lang]]
    if not words:
        return re.compile("(?!)"), 0
    alt = "|".join(re.escape(w) for w in words)
    if lang == "en":
        return re.compile(rf"(?<!\w)(?:{alt})$", re.IGNORECASE), max(map(len, words))
    return re.compile(rf"(?<!\w)[وف]?(?:{alt})$"), max(map(len, words)) + 1


@cache
def _today_word(lang: str) -> str:
    """The first "today" word, normalised (the bare one, "اليوم")."""
    return normalise_word(tables().relative["today"][lang][0])


def _today_ok(norm: str, m: re.Match[str], lang: str) -> bool:
    """Reject "until today" (so far), "that day", and "اليوم التالي"-style compounds."""
    rel = tables().relative
    before = norm[: m.start()].rstrip()
    possessive = lang == "en" and m.group("t").lower() != "today"
    if not possessive:
        rx, longest = _not_after(lang)
        if rx.search(before, max(0, len(before) - longest)):
            return False
    prefix = rel["not_before_prefix"][lang]
    if prefix and m.group("t") == _today_word(lang):
        after = _WORD_AFTER.match(norm, m.end())
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
    # Most sentences have no digit and no "today" word: nothing to normalise or search.
    # Every pattern holds a day, a year or a numeric date, so it needs a digit that
    # normalises to ASCII, and a year or a month name (first searched in the raw text).
    today = bool(_today_cue(lang).search(text))
    year: re.Match[str] | None = None
    month = False
    if _DIGIT_CUE.search(text) is not None:
        raw = _raw_cues(lang)
        year = raw["year"].search(text)
        # with a year, the month is searched in the (shorter) normalised text below
        month = year is None and raw["month"].search(text) is not None
    if not today and year is None and not month:
        return []
    norm, offsets = _normalise(text)
    # the patterns whose cues are all in the sentence; with a weekday name or without
    present: set[str] = set()
    first: dict[str, int] = {}  # where the first month name or year starts
    if year is not None:
        present.add("year")
        regexes = _cue_regexes(lang)
        present.update(
            name
            for name in ("numeric", "year_word", "season")
            if name in regexes and regexes[name].search(norm)
        )
        # nothing dropped: the raw text maps one to one, the first year is where it was
        hit = regexes["year"].search(norm) if offsets is not None else year
        if hit is not None:
            first["year"] = hit.start()
        hit = regexes["month"].search(norm)
        if hit is not None:
            first["month"] = hit.start()
        month = hit is not None
    if month:
        present.add("month")
        if _cue_regexes(lang)["weekday"].search(norm):
            present.add("weekday")
    # candidates: (start, end, rank, the match and its pattern's name, or None for "today")
    cands: list[tuple[int, int, int, tuple[re.Match[str], str] | None]] = []
    for prio, pat, rx in _runs(lang, frozenset(present)) if present else ():
        pos = 0
        if pat.anchor is not None:
            cue, ahead = pat.anchor
            if cue not in first:
                continue
            pos = first[cue]
            while pos > 0 and norm[pos - 1].isspace():  # what ``\s`` matches
                pos -= 1
            pos = max(0, pos - ahead)
        for m in rx.finditer(norm, pos):
            # a preposition cue ("in 2014", "منذ 2014") is context, not part of the date
            if pat.name == "year_prep":
                start = m.start("y")
            elif "c" in pat.regex.groupindex:
                start = m.start("c")
            else:
                start = m.start()
            cands.append((start, m.end(), prio, (m, pat.name)))
    for m in _today_regex(lang).finditer(norm) if today else ():
        if _today_ok(norm, m, lang):
            cands.append((m.start("t"), m.end("t"), 99, None))
    # longest first; a match's value is read only when it is not covered already (a
    # match without a valid value, e.g. day 35, is no candidate: it covers nothing)
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    chosen: list[DateMatch] = []
    for start, end, _prio, match in cands:
        if any(start < e and s < end for s, e in taken):
            continue
        value: str | None = None
        attrs: dict[str, Any] = {"relative": "today"}
        if match is not None:
            got = _parts_from(match[0], match[1], lang)
            if got is None:
                continue
            parts, attrs = got
            attrs["precision"] = parts.precision
            value = parts.iso()
        # trim trailing spaces/punctuation a pattern may have swallowed
        while end > start and norm[end - 1] in " ،,/":
            end -= 1
        taken.append((start, end))
        if offsets is not None:
            start, end = offsets[start], offsets[end - 1] + 1
        chosen.append(DateMatch(start, end, value, attrs))
    return sorted(chosen, key=lambda d: d.start)


class DateExtractor(Extractor):
    """Registered as "date": one sentence → date mentions (see :func:`find_dates`)."""

    name = "date"

    def extract(self, segment: Segment, lang: str, side: str) -> list[Mention]:
        text, sid = segment.text, segment.id
        found = _sentence_dates(text, lang) if len(text) <= _MEMO_MAX_CHARS else _dates(text, lang)
        return [
            Mention("date", side, sid, start, end, text[start:end], value, fresh_attrs(attrs))
            for start, end, value, attrs in found
        ]


#: sentences up to this length have their dates memoised
_MEMO_MAX_CHARS = 1000

_Found = tuple[tuple[int, int, str | None, dict[str, Any]], ...]


@memo(maxsize=4096)
def _sentence_dates(text: str, lang: str) -> _Found:
    """Memoised per sentence (a document repeats its sentences, a batch its documents).
    The attribute dicts are never handed out: every mention gets a copy
    (:func:`~aligner.extract.base.fresh_attrs`)."""
    return _dates(text, lang)


def _dates(text: str, lang: str) -> _Found:
    """(start, end, value, sorted attributes) of the dates of a sentence."""
    return tuple(
        (d.start, d.end, d.value, dict(sorted(d.attrs.items()))) for d in find_dates(text, lang)
    )
