"""Paragraphs from lines, and the removal of text that is not part of the translation.

Rules (markers in data/markers.json; every removal is reported as a Removal):

* Paragraphs are non-empty lines; lines holding only spaces, NBSP or zero-width
  characters are dropped; a leading bullet ("  • text") is stripped, the text kept.
* Archive banner: a paragraph starting with a banner marker ("الذاكرة السورية هي ملك ...").
* Web navigation (top zone): if one of the first ``top_zone_max_paragraphs``
  paragraphs consists only of navigation words ("rss", "English English"), it and
  every paragraph above it are site chrome, provided all of them are short
  (≤ ``top_zone_max_chars``) and none ends like a sentence. The site title line
  between "rss" and the language switcher goes with them; a dateline or
  institution line *below* the last navigation line is kept.
* Web trailer: from the first paragraph starting with a trailer marker ("عرض المحتوى
  الأصلي", the translation disclaimer, "تحديثات بالبريد الإلكتروني") to the end,
  provided every paragraph after it is a marker too or short; each becomes a
  Removal of the marker's kind.
* Broken paragraphs: a paragraph of at least ``join_min_chars`` characters that
  does not end with terminal punctuation (closing quotes and a footnote mark like
  "[1]" ignored) is joined with the next one when that one is not a bullet and is
  in the same script — a heading is short, so only a line cut mid-sentence is long
  and unterminated. Never with ``presplit`` (then a line is exactly one unit).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from aligner.ingest.base import markers
from aligner.ingest.script import script_language
from aligner.model import Removal

_WORD = regex.compile(r"[\p{L}\p{N}]+")


@dataclass
class Line:
    """A candidate paragraph: its text (bullet stripped) and whether it had a bullet."""

    text: str
    bullet: bool = False


def _junk() -> str:
    return str(markers()["junk_characters"])


def strip_line(line: str) -> str:
    """Strip ordinary and invisible whitespace (NBSP, zero-width) from both ends."""
    return line.strip().strip(_junk()).strip()


def strip_bullet(text: str) -> tuple[str, bool]:
    """("text", True) for "• text"; a bullet must be followed by a space to count."""
    bullets = str(markers()["bullets"])
    if len(text) >= 2 and text[0] in bullets and text[1].isspace():
        return strip_line(text[1:]), True
    return text, False


def split_lines(text: str) -> list[Line]:
    """Non-empty lines of ``text`` as Lines, junk-only lines dropped, bullets stripped."""
    out: list[Line] = []
    for raw in text.split("\n"):
        line = strip_line(raw)
        if not line:
            continue
        body, bullet = strip_bullet(line)
        if body:
            out.append(Line(body, bullet))
    return out


def ends_sentence(text: str) -> bool:
    """True if ``text`` ends with terminal punctuation (closing marks and footnotes ignored)."""
    m = markers()
    text = regex.sub(m["footnote_mark_pattern"], "", text.rstrip()).rstrip()
    text = text.rstrip(m["closing_marks"] + " ")
    return bool(text) and text[-1] in m["terminal_punctuation"]


def is_heading_like(text: str) -> bool:
    """Short and unterminated: a title or section heading rather than body text."""
    return len(text) <= int(markers()["heading_max_chars"]) and not ends_sentence(text)


def _starts_with(text: str, prefixes: list[str]) -> str | None:
    folded = text.casefold()
    for prefix in prefixes:
        if folded.startswith(prefix.casefold()):
            return prefix
    return None


def is_archive_banner(text: str) -> bool:
    return _starts_with(text, markers()["archive_banner_prefixes"]) is not None


def is_navigation(text: str) -> bool:
    """A line made only of navigation words ("rss", "English English", "بحث")."""
    words = _WORD.findall(text.casefold())
    vocab = {w.casefold() for w in markers()["navigation_words"]}
    return bool(words) and all(w in vocab for w in words)


def remove_archive_banner(lines: list[Line]) -> tuple[list[Line], list[Removal]]:
    kept = [ln for ln in lines if not is_archive_banner(ln.text)]
    removed = [Removal("archive-banner", ln.text) for ln in lines if is_archive_banner(ln.text)]
    return kept, removed


def remove_navigation(lines: list[Line]) -> tuple[list[Line], list[Removal]]:
    """Drop the top navigation zone (see the module docstring for the rule)."""
    m = markers()
    zone = lines[: int(m["top_zone_max_paragraphs"])]
    last = -1
    for i, ln in enumerate(zone):
        if len(ln.text) > int(m["top_zone_max_chars"]) or ends_sentence(ln.text):
            break
        if is_navigation(ln.text):
            last = i
    if last < 0:
        return lines, []
    return lines[last + 1 :], [Removal("web-navigation", ln.text) for ln in lines[: last + 1]]


def _trailer_kind(text: str) -> str | None:
    for entry in markers()["trailer_markers"]:
        if _starts_with(text, [entry["prefix"]]):
            return str(entry["kind"])
    return None


def remove_trailer(lines: list[Line]) -> tuple[list[Line], list[Removal]]:
    """Drop the web page's closing block (source link, disclaimer, newsletter)."""
    limit = int(markers()["trailer_max_following_chars"])
    for start, ln in enumerate(lines):
        if _trailer_kind(ln.text) is None:
            continue
        tail = lines[start:]
        if all(_trailer_kind(t.text) or len(t.text) <= limit for t in tail):
            removed = [Removal(_trailer_kind(t.text) or "web-footer", t.text) for t in tail]
            return lines[:start], removed
    return lines, []


def join_broken(lines: list[Line]) -> list[Line]:
    """Rejoin paragraphs cut mid-sentence (see the module docstring for the rule)."""
    min_chars = int(markers()["join_min_chars"])
    out: list[Line] = []
    for ln in lines:
        if out:
            prev = out[-1]
            if (
                not ln.bullet
                and len(prev.text) >= min_chars
                and not ends_sentence(prev.text)
                and script_language(prev.text) == script_language(ln.text)
            ):
                out[-1] = Line(f"{prev.text} {ln.text}", prev.bullet)
                continue
        out.append(ln)
    return out


def clean_lines(lines: list[Line], presplit: bool = False) -> tuple[list[str], list[Removal]]:
    """Apply the banner, navigation and trailer rules, then rejoin broken paragraphs."""
    lines, banner = remove_archive_banner(lines)
    lines, nav = remove_navigation(lines)
    lines, trailer = remove_trailer(lines)
    if not presplit:
        lines = join_broken(lines)
    return [ln.text for ln in lines], banner + nav + trailer
