"""Defences against hostile and broken input, shared by every reader.

Input files come from outside (archives, web pages, e-mail attachments), so:

* XML/HTML: entity declarations (billion laughs, quadratic blow-up, external
  entities) and external DTDs in XML are refused *before* parsing; after parsing, an
  entity reference left unexpanded or an ``xi:include`` is refused rather than
  silently dropping its text; libxml2's resource limits (depth, amplification) are
  reported as such. Nothing is ever fetched.
* Size: files above :data:`MAX_INPUT_BYTES` are refused before being read.
* Encodings: a file that is not valid UTF-8 is refused with the byte offset, and the
  message names the legacy code page it most likely is (data/encodings.json).
* Invisible characters: format controls (Unicode category Cf: bidi marks and
  embeddings, zero-width space, soft hyphen, word joiner, a BOM inside the text) and
  stray C0 controls are removed at ingest and reported as a Removal, so that
  "7.7\\u200f million" reads as "7.7 million" in every later stage and every span
  stays consistent with the sentence text. ZWJ/ZWNJ between two letters are kept
  (they shape the letters). Tatweel is *kept*: it is a visible glyph an editor may
  quote, and the segmenter and extractors look through it.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from functools import cache
from importlib import resources
from typing import Any

import regex
from lxml import etree

from aligner.model import AlignerError, Removal

#: refuse larger files: official statements are kilobytes; a huge file is a mistake or an attack
MAX_INPUT_BYTES = 20 * 1024 * 1024

XINCLUDE_NS = "http://www.w3.org/2001/XInclude"
_ENTITY_DECL = regex.compile(r"<!ENTITY\b", regex.I)
_DOCTYPE = regex.compile(r"<!DOCTYPE\b(?P<body>[^\[>]*)(?P<subset>\[)?", regex.I)
_EXTERNAL_ID = regex.compile(r"\b(?:SYSTEM|PUBLIC)\b", regex.I)
#: joiners that change letter shaping between two letters; elsewhere they are noise
_JOINERS = frozenset("\u200c\u200d")
#: line-break controls other than LF (Python's str.splitlines set): they end a line
_LINE_BREAKS = str.maketrans(dict.fromkeys("\v\f\x1c\x1d\x1e\x85\u2028\u2029", "\n"))
_KEPT_CONTROLS = frozenset("\t\n")
_WORD = regex.compile(r"[\p{L}\p{M}]+")


def one_line(text: str) -> str:
    """Collapse a message to one line: the CLI promises a one-line error."""
    return " ".join(text.split())


@cache
def _encodings() -> dict[str, Any]:
    ref = resources.files("aligner.ingest") / "data" / "encodings.json"
    return json.loads(ref.read_text(encoding="utf-8"))


def guess_legacy_encoding(data: bytes) -> dict[str, str] | None:
    """The entry of data/encodings.json the bytes most likely are, or None.

    A candidate fits when the bytes decode and at least ``min_script_share`` of the
    non-ASCII letters stand in words written wholly in its script: Windows-1256 Arabic
    decodes to whole Arabic words, while Latin-1 "Café" read as ISO-8859-6 gives a word
    mixing Latin and Arabic. Fewer than ``min_letters`` such letters (random bytes) give
    no guess. Used for the message only, never to decode.
    """
    table = _encodings()
    for cand in table["candidates"]:
        try:
            text = data.decode(cand["codec"])
        except UnicodeDecodeError:
            continue
        script = regex.compile(rf"[\p{{Script={cand['script']}}}\p{{M}}]+")
        total = fitting = 0
        for word in _WORD.findall(text):
            high = sum(1 for c in word if ord(c) > 127 and c.isalpha())
            total += high
            if script.fullmatch(word):
                fitting += high
        if total >= int(table["min_letters"]) and fitting >= float(
            table["min_script_share"]
        ) * total:
            return {k: str(v) for k, v in cand.items()}
    return None


def _invisible(text: str, i: int) -> bool:
    ch = text[i]
    cat = unicodedata.category(ch)
    if cat == "Cc":
        return ch not in _KEPT_CONTROLS and ch != "\r"
    if cat != "Cf":
        return (0xFDD0 <= ord(ch) <= 0xFDEF) or (ord(ch) & 0xFFFE) == 0xFFFE  # noncharacters
    if ch in _JOINERS:
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        return not (before.isalpha() and after.isalpha())
    return True


def strip_invisible(text: str) -> tuple[str, Counter[str]]:
    """``text`` without invisible format/control characters, and what was removed.

    Line-break controls (VT, FF, NEL, U+2028/9) become LF first, so a paragraph break
    written with them is kept as one.
    """
    text = text.translate(_LINE_BREAKS)
    counts: Counter[str] = Counter()
    out: list[str] = []
    for i, ch in enumerate(text):
        if ord(ch) < 0x80 and (ch >= " " or ch in "\t\n"):
            out.append(ch)  # fast path: printable ASCII
        elif _invisible(text, i):
            counts[ch] += 1
        else:
            out.append(ch)
    return ("".join(out) if counts else text), counts


def invisible_removal(counts: Counter[str]) -> Removal | None:
    """A Removal that says which invisible characters went, and how many."""
    if not counts:
        return None
    parts = []
    for ch, n in sorted(counts.items()):
        name = unicodedata.name(ch, "control character")
        parts.append(f"U+{ord(ch):04X} {name} ×{n}")
    return Removal("invisible-characters", "; ".join(parts))


def check_markup(path: str, data: str, *, html: bool) -> None:
    """Refuse entity declarations, and (in XML) an external DTD, before any parsing.

    Entities are refused outright (no legitimate statement needs one, and expanding
    them is how billion-laughs and XXE attacks work); an external DTD may define the
    entities the text uses and would have to be fetched, so XML with one is refused.
    HTML's ``<!DOCTYPE html PUBLIC ...>`` is normal and never loaded, so it is allowed.
    """
    head = data[: 1 << 20]
    m = _DOCTYPE.search(head)
    if m is None:
        return  # entity declarations can only stand in a DOCTYPE
    if m.group("subset"):
        end = head.find("]", m.end())
        subset = head[m.end() : end if end >= 0 else len(head)]
        if _ENTITY_DECL.search(subset):
            raise AlignerError(
                "refused: the document declares XML entities (<!ENTITY>); entity expansion "
                "is never performed (billion-laughs / external-entity attacks)",
                path,
            )
        if not html:
            raise AlignerError(
                "refused: the DOCTYPE has an internal DTD subset; no DTD is read", path
            )
    if not html and _EXTERNAL_ID.search(m.group("body")):
        raise AlignerError(
            "refused: the DOCTYPE points to an external DTD, which is never fetched "
            "(TEI P5 needs no DTD: remove the DOCTYPE line)",
            path,
        )


def check_tree(path: str, root: etree._Element) -> None:
    """Refuse a parsed tree that would lose text: unexpanded entities, XInclude."""
    node = next(root.iter(etree.Entity), None)
    if node is not None:
        raise AlignerError(
            f"refused: entity reference {node.text} at line {node.sourceline} is not "
            "expanded (its text would be lost)",
            path,
        )
    node = next(root.iter(f"{{{XINCLUDE_NS}}}*"), None)
    if node is not None:
        raise AlignerError(
            f"refused: xi:include at line {node.sourceline} is never followed "
            "(the included text would be lost)",
            path,
        )


def check_resource_errors(path: str, log: etree._ListErrorLog, what: str) -> None:
    """Turn libxml2's resource-limit errors (depth, amplification) into a refusal."""
    for err in log:
        if "RESOURCE_LIMIT" in err.type_name or "Excessive depth" in err.message:
            raise AlignerError(
                f"refused: {what} exceeds the parser's safety limits at line {err.line}: "
                f"{one_line(err.message)}",
                path,
            )
