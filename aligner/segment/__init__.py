"""Segment stage: paragraphs → sentences, for Arabic and English.

Rule-based on purpose: the aligner and every check compare sentences, so a split
inside "7.7 million", "U.S." or "أنتوني ج. بلينكن" would invent omissions, and a
missed split would hide them. Language facts (terminators, abbreviations, words that
open a sentence) live in ``data/sentence_rules.json``; month and weekday
abbreviations come from babel's CLDR data.

Spans are always into the original paragraph string: zero-width and bidi controls
(Unicode category Cf) and tatweel are looked through when deciding, never removed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from aligner.memo import memo
from aligner.model import AlignerError, Document, Segment

__all__ = ["segment", "split_sentences"]

TATWEEL = "\u0640"
# A footnote call glued to the end of a sentence ("... العالم.[1]") belongs to it.
_FOOTNOTE = re.compile(r"\[\d{1,3}\]")
# Valid start of an xml:id (NCName): a letter or underscore, then word chars, "." or "-".
_NCNAME = re.compile(r"[^\W\d][\w.\-]*")
_ROMAN = re.compile(r"[IVXLCDM]+|[ivxlcdm]+")
# What may open a sentence besides letters and digits: opening quotes/brackets, bullets, dashes.
_OPENERS = frozenset("\"'•‣◦▪*-–—#…")
_OPENER_CATEGORIES = frozenset({"Ps", "Pi", "Sc", "So"})
#: code points whose combining marks :func:`_word_back` lists (the scripts of Arabic and
#: English statements); a mark outside them is found by the character loop after it
_MARK_RANGES = ((0x0000, 0x07FF), (0x2000, 0x206F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_SPACES = re.compile(r"\s*")  # ``re``'s ``\s`` is ``str.isspace``
#: whitespace other than a newline, or a bullet: what may stand before a line's enumerator
_LINE_LEAD = re.compile(r"(?:[^\S\n]|[•‣◦▪*\-–—(])*")


@dataclass(frozen=True)
class _Rules:
    """Sentence rules of one language, compiled from the data file."""

    terminators: frozenset[str]
    closers: frozenset[str]
    latin_prefix: frozenset[str]
    latin_before_number: frozenset[str]
    latin_general: frozenset[str]
    starters: frozenset[str]
    arabic_abbrev: frozenset[str]
    arabic_after_number: frozenset[str]
    heading_max_words: int


def _is_ignorable(ch: str) -> bool:
    """Zero-width, bidi and other format controls: invisible, so transparent to the rules."""
    return unicodedata.category(ch) == "Cf"


def _is_arabic_letter(ch: str) -> bool:
    if ch == TATWEEL:
        return False
    return "\u0620" <= ch <= "\u064a" or "\u066e" <= ch <= "\u06d3" or "\u06fa" <= ch <= "\u06ff"


def _is_latin_letter(ch: str) -> bool:
    return (ch.isalpha() and ch.isascii()) or "\u00c0" <= ch <= "\u024f"


def _babel_abbreviations() -> set[str]:
    """English month and weekday abbreviations ("Jan.", "Tue.") from CLDR, not a hand table."""
    from babel.dates import get_day_names, get_month_names

    out: set[str] = set()
    for abbr, wide in (
        *zip(
            get_month_names("abbreviated", locale="en").values(),
            get_month_names("wide", locale="en").values(),
            strict=True,
        ),
        *zip(
            get_day_names("abbreviated", locale="en").values(),
            get_day_names("wide", locale="en").values(),
            strict=True,
        ),
    ):
        if abbr != wide:  # "May" is a word, not an abbreviation
            out.add(f"{abbr}.")
    return out


@cache
def _load_data() -> dict:
    path = resources.files("aligner.segment").joinpath("data/sentence_rules.json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # a broken install, not a user error
        raise AlignerError(f"cannot read sentence rules: {exc}", str(path)) from exc


def _norm_abbrev(text: str) -> str:
    """Abbreviation key: no trailing dot, no tatweel or format controls."""
    return "".join(c for c in text if c != TATWEEL and not _is_ignorable(c)).rstrip(".")


@cache
def _rules(lang: str) -> _Rules:
    data = _load_data()
    terms = data["terminators"].get(lang, data["terminators"]["default"])
    latin, arabic = data["latin"], data["arabic"]
    return _Rules(
        terminators=frozenset(terms),
        closers=frozenset(data["closers"]),
        latin_prefix=frozenset(_norm_abbrev(a) for a in latin["prefix"]),
        latin_before_number=frozenset(
            _norm_abbrev(a) for a in (*latin["before_number"], *_babel_abbreviations())
        ),
        latin_general=frozenset(_norm_abbrev(a) for a in latin["general"]),
        starters=frozenset(latin["sentence_starters"]),
        arabic_abbrev=frozenset(_norm_abbrev(a) for a in arabic["abbreviations"]),
        arabic_after_number=frozenset(_norm_abbrev(a) for a in arabic["after_number"]),
        heading_max_words=int(data["heading_max_words"]),
    )


def _lang_key(lang: str) -> str:
    if not isinstance(lang, str) or not lang.strip():
        raise AlignerError(f"no language given for sentence splitting (got {lang!r})")
    return re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]


def _in(token: str, table: frozenset[str]) -> bool:
    """Match an abbreviation: exactly, or ignoring case when it has two letters or more."""
    if token in table:
        return True
    if token.lower() not in _lowered(table):
        return False
    return sum(c.isalpha() for c in token) >= 2


@cache
def _lowered(table: frozenset[str]) -> frozenset[str]:
    return frozenset(t.lower() for t in table)


@cache
def _stop_chars(terminators: frozenset[str]) -> tuple[str, ...]:
    """Where the splitter has something to decide: a newline or a terminator."""
    return ("\n", *sorted(terminators))


def _stop_positions(text: str, terminators: frozenset[str]) -> list[int]:
    """Offsets of every newline and terminator (:func:`_stop_chars`), ascending.

    One ``str.find`` per occurrence of each character: a search for a class of several
    characters visits every character in ``re``, several times slower.
    """
    found: list[int] = []
    for ch in _stop_chars(terminators):
        k = text.find(ch)
        while k >= 0:
            found.append(k)
            k = text.find(ch, k + 1)
    found.sort()
    return found


@cache
def _word_back() -> re.Pattern[str]:
    """The word before a stop, read in the reversed paragraph: letters and digits
    (``\\w`` is ``str.isalnum`` and "_"), dots, tatweel and the combining marks of
    :data:`_MARK_RANGES` (``unicodedata`` decides each)."""
    marks: list[int] = []
    for low, high in _MARK_RANGES:
        marks.extend(c for c in range(low, high + 1) if _is_mark(chr(c)))
    ranges: list[list[int]] = []
    for code in marks:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    body = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(rf"[\w.{TATWEEL}{body}]*")


@cache
def _runs(terminators: frozenset[str], closers: frozenset[str]) -> tuple[re.Pattern[str], ...]:
    """On a plain paragraph: the run of terminators at a stop, and what stays with the
    sentence after it (closing quotes and brackets, tatweel, footnote calls), matched
    as the loops of :meth:`_Splitter.cuts` take them, first alternative first."""
    stop = "".join(re.escape(t) for t in sorted(terminators))
    close = "".join(re.escape(c) for c in sorted(closers))
    return (
        re.compile(f"[{stop}]*"),
        re.compile(f"(?:[{close}{TATWEEL}]|{_FOOTNOTE.pattern})*"),
    )


class _Splitter:
    """One paragraph: finds the character offsets where sentences end."""

    def __init__(self, text: str, rules: _Rules) -> None:
        self.p = text
        self.n = len(text)
        self.r = rules
        #: no format control (none is printable), so regex searches can stand in for the
        #: loops that look through them; backwards ones read the reversed paragraph
        self.plain = text.isprintable()
        self.rev = text[::-1] if self.plain else ""

    # --- looking around -------------------------------------------------------------
    def _skip_space(self, k: int) -> tuple[int, bool]:
        """First visible position from ``k``; and whether real whitespace was crossed."""
        if self.plain:
            end = _SPACES.match(self.p, k).end()  # type: ignore[union-attr]
            return end, end > k
        saw = False
        while k < self.n and (self.p[k].isspace() or _is_ignorable(self.p[k])):
            saw = saw or self.p[k].isspace()
            k += 1
        return k, saw

    def _token_before(self, i: int) -> tuple[str, int]:
        """The word (letters, digits, inner dots) ending just before position ``i``."""
        k = i
        if self.plain:  # most of the word in one match, the loop below goes on from there
            back = self.n - i
            end = _word_back().match(self.rev, back).end()  # type: ignore[union-attr]
            under = self.rev.find("_", back, end)  # ``\w`` has it, ``isalnum`` not
            k = i - ((under if under >= 0 else end) - back)
        while k > 0:
            c = self.p[k - 1]
            if c.isspace():  # no space is a letter, digit, dot, tatweel, control or mark
                break
            if c.isalnum() or c == "." or c == TATWEEL or _is_ignorable(c) or _is_mark(c):
                k -= 1
            else:
                break
        raw = self.p[k:i]
        if TATWEEL not in raw and raw.replace(".", "").isalnum():
            token = raw  # letters, digits and dots only: nothing invisible to drop
        else:
            token = "".join(
                c for c in raw if c != TATWEEL and not _is_ignorable(c) and not _is_mark(c)
            )
        return token.strip("."), k

    def _word_after(self, k: int) -> str:
        j = k
        while j < self.n and (self.p[j].isalpha() or self.p[j] in "'’"):
            j += 1
        return self.p[k:j]

    def _line_start_before(self, k: int) -> bool:
        """Only whitespace, format controls or a bullet between line start and ``k``."""
        if self.plain:
            back = self.n - k
            j = k - (_LINE_LEAD.match(self.rev, back).end() - back)  # type: ignore[union-attr]
            return j == 0 or self.p[j - 1] == "\n"
        j = k
        while j > 0 and self.p[j - 1] != "\n":
            c = self.p[j - 1]
            if not (c.isspace() or _is_ignorable(c) or c in "•‣◦▪*-–—("):
                return False
            j -= 1
        return True

    def _number_before(self, k: int) -> bool:
        """Whether the visible word before position ``k`` is a number (2019 م.)."""
        j = k
        while j > 0 and (self.p[j - 1].isspace() or _is_ignorable(self.p[j - 1])):
            j -= 1
        return j > 0 and self.p[j - 1].isdigit()

    # --- decisions ------------------------------------------------------------------
    def _may_open(self, ch: str) -> bool:
        """Can ``ch`` be the first character of a sentence? (never a lower-case letter)."""
        cat = unicodedata.category(ch)
        if cat == "Ll":
            return False
        if cat[0] in "LN":
            return True
        return cat in _OPENER_CATEGORIES or ch in _OPENERS

    def _dot_ends_sentence(self, i: int, k: int) -> bool:
        """A single full stop at ``i`` followed (after space) by position ``k``."""
        token, tstart = self._token_before(i)
        if not token:
            return True
        nxt = self.p[k]
        # Enumerators at the start of a line: "1. ", "b. ", "IV. ".
        if (
            (token.isdigit() and len(token) <= 3) or len(token) == 1 or _ROMAN.fullmatch(token)
        ) and self._line_start_before(tstart):
            return False
        if token.isdigit():
            return True
        if _is_arabic_letter(token[-1]):
            return self._arabic_dot_ends(token, tstart)
        if tstart > 0 and self.p[tstart - 1] in "-/‐":
            return True  # the tail of "ISIS-K." or "East Africa/X." is no abbreviation
        if _is_latin_letter(token[-1]):
            return self._latin_dot_ends(token, k, nxt)
        return True

    def _arabic_dot_ends(self, token: str, tstart: int) -> bool:
        if _in(token, self.r.arabic_after_number) and self._number_before(tstart):
            return True  # "عام 2019 م." — an era marker may close the sentence
        if len(token) == 1 or ("." in token and all(len(p) == 1 for p in token.split("."))):
            return False  # initial "ج." or a dotted group "أ.د."
        return not _in(token, self.r.arabic_abbrev)

    def _latin_dot_ends(self, token: str, k: int, nxt: str) -> bool:
        r = self.r
        if _in(token, r.latin_prefix):
            return False
        general = _in(token, r.latin_general)
        if _in(token, r.latin_before_number):
            if nxt.isdigit():
                return False
            general = True
        pieces = token.split(".")
        initials = all(len(piece) == 1 and piece.isalpha() for piece in pieces) and (
            len(pieces) > 1 or token.isupper()
        )
        if general or initials:
            return self._word_after(k) in r.starters
        return True

    def _arabic_glued(self, i: int, k: int) -> bool:
        """ "فيه.نهاية النص": a stop glued to the next Arabic word (a missing space)."""
        if k >= self.n or not _is_arabic_letter(self.p[k]):
            return False
        token, _ = self._token_before(i)
        if len(token) < 2 or "." in token or not _is_arabic_letter(token[-1]):
            return False
        j = k
        while j < self.n and (_is_arabic_letter(self.p[j]) or _is_mark(self.p[j])):
            j += 1
        return j - k >= 2

    def _heading_line_ends(self, nl: int) -> bool:
        """A newline closes a short heading-like line (office name, date line)."""
        start = self.p.rfind("\n", 0, nl) + 1
        line = "".join(c for c in self.p[start:nl] if not _is_ignorable(c)).strip()
        if not line or line[-1] in self.r.terminators or line[-1] in ":،,;؛":
            return False
        k, _ = self._skip_space(nl)
        return k < self.n and len(line.split()) <= self.r.heading_max_words

    # --- main loop ------------------------------------------------------------------
    def cuts(self, positions: list[int] | None = None) -> list[int]:
        """Offsets where a sentence ends (exclusive), not counting the paragraph end;
        ``positions``: :func:`_stop_positions` of the paragraph, when the caller has them."""
        p, n, r = self.p, self.n, self.r
        cuts: list[int] = []
        plain = self.plain
        stop_run, closer_run = _runs(r.terminators, r.closers)
        if positions is None:
            positions = _stop_positions(p, r.terminators)
        at = 0  # next of ``positions`` to look at
        i = 0
        while i < n:
            while at < len(positions) and positions[at] < i:
                at += 1
            if at == len(positions):
                break
            i = positions[at]
            if p[i] == "\n":
                if self._heading_line_ends(i):
                    cuts.append(i)
                i += 1
                continue
            if plain:
                j = stop_run.match(p, i).end()  # type: ignore[union-attr]
                run = p[i:j]
                j = closer_run.match(p, j).end()  # type: ignore[union-attr]
            else:
                j = i
                while j < n and (p[j] in r.terminators or _is_ignorable(p[j])):
                    j += 1
                run = "".join(c for c in p[i:j] if not _is_ignorable(c))
                while j < n:  # closing quotes, brackets, footnote calls stay with the sentence
                    if p[j] in r.closers or p[j] == TATWEEL or _is_ignorable(p[j]):
                        j += 1
                    elif m := _FOOTNOTE.match(p, j):
                        j = m.end()
                    else:
                        break
            k, saw_space = self._skip_space(j)
            # A free-standing "…" marks an elision opening the next stretch, not an end.
            standalone = i > 0 and self.p[i - 1].isspace() and run != "." and set(run) <= {"…", "."}
            if k < n and not standalone:
                if saw_space:
                    ends = self._may_open(p[k]) and (run != "." or self._dot_ends_sentence(i, k))
                else:
                    ends = self._arabic_glued(i, k)
                if ends:
                    cuts.append(j)
            i = j
        return cuts


def _is_mark(ch: str) -> bool:
    """Combining marks (Arabic harakat): part of the letter they sit on."""
    return unicodedata.category(ch) in ("Mn", "Me")


def _visible(ch: str) -> bool:
    return not ch.isspace() and not _is_ignorable(ch)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) to its visible content, keeping format controls glued to it."""
    a = start
    while a < end and not _visible(text[a]):
        a += 1
    if a == end:
        return a, a
    while a > start and _is_ignorable(text[a - 1]):
        a -= 1
    b = end
    while b > a and not _visible(text[b - 1]):
        b -= 1
    while b < end and _is_ignorable(text[b]):
        b += 1
    return a, b


def split_sentences(paragraph: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of one paragraph; ``paragraph[start:end]`` is the sentence.

    Spans are trimmed of surrounding whitespace; stretches with nothing visible are dropped.
    ``lang`` is an ISO 639-1 code ("ar", "en"; region subtags are ignored); it chooses the
    terminators, other languages get all of them. Abbreviation rules follow the script of
    the word before the stop, so English quoted in an Arabic record splits like English.
    """
    if not isinstance(paragraph, str):
        raise AlignerError(f"paragraph must be a string, not {type(paragraph).__name__}")
    return _split(paragraph, _rules(_lang_key(lang)))


#: paragraphs up to this length have their sentence spans memoised (with the memo's
#: size, at most ~8 MB of paragraphs kept, as the extractors' sentence memos)
_MEMO_MAX_CHARS = 2000


@memo(maxsize=2048)
def _paragraph_spans(paragraph: str, lang: str) -> tuple[tuple[int, int], ...]:
    """:func:`split_sentences` of a paragraph, memoised: a batch splits a document once
    for every translation it is checked against (a language key, :func:`_lang_key`)."""
    return tuple(_split(paragraph, _rules(lang)))


def _split(paragraph: str, rules: _Rules) -> list[tuple[int, int]]:
    """:func:`split_sentences` with the rules looked up (once per document)."""
    positions = _stop_positions(paragraph, rules.terminators)
    if positions:
        splitter = _Splitter(paragraph, rules)
        cuts = splitter.cuts(positions)
        plain = splitter.plain
    else:  # nothing to decide: one sentence
        cuts = []
        plain = paragraph.isprintable()
    cuts.append(len(paragraph))
    spans: list[tuple[int, int]] = []
    prev = 0
    if plain:  # no format control: trimming is stripping whitespace
        for cut in cuts:
            piece = paragraph[prev:cut]
            body = piece.strip()
            if body:
                a = cut - len(piece.lstrip())
                spans.append((a, a + len(body)))
            prev = cut
        return spans
    for cut in cuts:
        a, b = _trim(paragraph, prev, cut)
        if a < b:
            spans.append((a, b))
        prev = cut
    return spans


def segment(doc: Document, *, prefix: str, presplit: bool = False) -> list[Segment]:
    """Split every paragraph of ``doc`` into sentences, numbered ``{prefix}-s1`` onwards.

    With ``presplit`` the input already has one sentence per paragraph (line) and is
    taken as-is (only trimmed), so a user's own segmentation is never second-guessed.
    Paragraphs with no visible text give no segment.
    """
    if not isinstance(prefix, str) or not _NCNAME.fullmatch(prefix):
        raise AlignerError(
            f"segment id prefix {prefix!r} is not valid in an xml:id "
            "(start with a letter, then letters, digits, '.', '-' or '_')",
            doc.path,
        )
    if not isinstance(doc.paragraphs, list) or not all(isinstance(p, str) for p in doc.paragraphs):
        raise AlignerError("paragraphs must be a list of strings", doc.path)
    try:
        lang = _lang_key(doc.lang)
    except AlignerError as exc:
        raise AlignerError(str(exc), doc.path) from None
    rules = _rules(lang)
    segments: list[Segment] = []
    for pno, para in enumerate(doc.paragraphs):
        spans: list[tuple[int, int]] | tuple[tuple[int, int], ...]
        if presplit:
            a, b = _trim(para, 0, len(para))
            spans = [(a, b)] if a < b else []
        elif len(para) <= _MEMO_MAX_CHARS:
            spans = _paragraph_spans(para, lang)
        else:
            spans = _split(para, rules)
        for a, b in spans:
            n = len(segments)
            # id, index, paragraph, text, start, end
            segments.append(Segment(f"{prefix}-s{n + 1}", n, pno, para[a:b], a, b))
    return segments
