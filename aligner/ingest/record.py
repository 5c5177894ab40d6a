"""Archive records (Syrian Memory): body text + a metadata block ("المعلومات الأساسية").

The block runs from its heading to the end of the file as alternating label and
value paragraphs. Multi-valued fields lose their separators in the archive's
export ("العراقسوريةالولايات المتحدة الأميركية"), so they are re-split against
known names: CLDR (babel) and pycountry's Arabic country/language names plus a
small alias table for the archive's own spellings. A value is split only when
known names cover it entirely; otherwise it is kept whole, never guessed at.
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
import regex
from babel import Locale

from aligner.ingest.base import Reader, data_table, markers
from aligner.ingest.boilerplate import Line, clean_lines, split_lines, strip_line
from aligner.ingest.text import documents_from_paragraphs
from aligner.model import Document, RecordMetadata, Removal

_TASHKEEL = regex.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_SEPARATORS = regex.compile(r"\s*[،,;؛/|\n]\s*")


def normalise_name(name: str) -> str:
    """Strip Arabic diacritics and tatweel and squeeze spaces, for matching names only."""
    return " ".join(_TASHKEEL.sub("", name).split())


def _gettext_names(domain: str, entries: list[tuple[str, list[str]]]) -> dict[str, str]:
    try:
        tr = gettext.translation(domain, pycountry.LOCALES_DIR, languages=["ar"])
    except OSError:
        return {}
    out: dict[str, str] = {}
    for code, names in entries:
        for name in names:
            local = tr.gettext(name)
            if local != name:
                out.setdefault(normalise_name(local), code)
    return out


@cache
def country_names() -> dict[str, str]:
    """Normalised Arabic country name → ISO 3166-1 alpha-2 (CLDR, pycountry, aliases)."""
    names: dict[str, str] = {}
    for code, name in Locale("ar").territories.items():
        if len(code) == 2 and code.isalpha():
            names.setdefault(normalise_name(name), code)
    entries = [
        (
            c.alpha_2,
            [getattr(c, a) for a in ("name", "official_name", "common_name") if hasattr(c, a)],
        )
        for c in pycountry.countries
    ]
    for name, code in _gettext_names("iso3166-1", entries).items():
        names.setdefault(name, code)
    for name, code in data_table("country_aliases.tsv"):
        names[normalise_name(name)] = code
    return names


@cache
def language_names() -> dict[str, str]:
    """Normalised Arabic language name → ISO 639-1 (CLDR, pycountry, aliases)."""
    names: dict[str, str] = {}
    for code, name in Locale("ar").languages.items():
        if len(code) == 2:
            names.setdefault(normalise_name(name), code)
    entries = [
        (lang.alpha_2, [lang.name]) for lang in pycountry.languages if hasattr(lang, "alpha_2")
    ]
    for name, code in _gettext_names("iso639-3", entries).items():
        names.setdefault(name, code)
    for name, code in data_table("language_aliases.tsv"):
        names[normalise_name(name)] = code
    return names


def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 code of an Arabic country name, or None if unknown."""
    return country_names().get(normalise_name(name))


def language_code(name: str) -> str | None:
    """ISO 639-1 code of an Arabic language name, or None if unknown."""
    return language_names().get(normalise_name(name))


def split_run_together(value: str, names: dict[str, str]) -> list[str]:
    """Split a value whose items lost their separators, against the known ``names``.

    A chunk is split only when known names cover it completely (fewest pieces,
    longest names win ties); otherwise it is returned whole.
    """
    out: list[str] = []
    for chunk in _SEPARATORS.split(value):
        chunk = normalise_name(chunk)
        if not chunk:
            continue
        pieces = _cover(chunk, names)
        out.extend(pieces if pieces else [chunk])
    return out


def _cover(text: str, names: dict[str, str]) -> list[str] | None:
    """Fewest known names that exactly cover ``text`` (spaces between allowed), or None."""
    n = len(text)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        current = best[i]
        if current is None:
            continue
        if text[i] == " ":
            if best[i + 1] is None or len(best[i + 1] or []) > len(current):
                best[i + 1] = current
            continue
        for name in names:
            if text.startswith(name, i):
                j = i + len(name)
                candidate = [*current, name]
                if best[j] is None or len(candidate) < len(best[j] or []):
                    best[j] = candidate
    return best[n]


def _dedupe(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for v in values:
        key = normalise_name(v)
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def _label(text: str) -> str | None:
    candidate = strip_line(text).rstrip(":：").strip()
    return candidate if candidate in markers()["metadata_labels"] else None


def find_metadata_block(lines: list[Line]) -> int | None:
    """Index of the line that opens the metadata block, or None."""
    starts = {s.strip() for s in markers()["metadata_block_starts"]}
    for i, ln in enumerate(lines):
        if ln.text.rstrip(":：").strip() in starts:
            return i
    return None


def parse_metadata(block: list[str]) -> RecordMetadata:
    """Parse the block's paragraphs (after its heading) into a RecordMetadata."""
    m = markers()
    fields: dict[str, list[str]] = {}
    current: str | None = None
    for text in block:
        label = _label(text)
        if label is not None:
            current = label
            fields.setdefault(label, [])
        elif current is not None:
            fields[current].append(text)
    none_values = {normalise_name(v) for v in m["metadata_none_values"]}
    meta = RecordMetadata(fields=fields)
    for label, values in fields.items():
        attr = m["metadata_labels"][label]
        real = [v for v in values if normalise_name(v) not in none_values]
        if not attr or not real:
            continue
        if attr == "languages":
            meta.languages = _dedupe(
                [p for v in real for p in split_run_together(v, language_names())]
            )
        elif attr == "target_countries":
            meta.target_countries = _dedupe(
                [p for v in real for p in split_run_together(v, country_names())]
            )
        elif attr == "related_persons":
            meta.related_persons = _dedupe(real)
        else:
            setattr(meta, attr, real[0])
    if meta.code is None:
        found = regex.search(m["archive_code_pattern"], "\n".join(block))
        meta.code = found.group(0) if found else None
    return meta


class RecordReader(Reader):
    """An archive record: banner + body (one or two languages) + metadata block."""

    name = "record"

    def read(self, path: str, data: str, presplit: bool = False) -> list[Document]:
        lines = split_lines(data)
        start = find_metadata_block(lines)
        removed: list[Removal] = []
        meta = RecordMetadata()
        if start is not None:
            block = lines[start:]
            block_text = "\n".join(("• " if ln.bullet else "") + ln.text for ln in block)
            meta = parse_metadata([ln.text for ln in block[1:]])
            lines = lines[:start]
            removed.append(Removal("metadata-block", block_text))
        paragraphs, cleaned = clean_lines(lines, presplit=presplit)
        docs = documents_from_paragraphs(
            path,
            paragraphs,
            fmt=self.name,
            removed=cleaned + removed,
            metadata=meta,
            heading_title=True,
        )
        if meta.title is None:
            meta.title = docs[0].title
        return docs
