"""Ingest: one module per input format, one Document model out.

``read_documents`` detects the format, decodes the bytes (``decode_bytes``) and
returns one Document per language found; ``load_pair`` and ``load_record`` build the
(source, target) pair the pipeline needs and refuse files that do not fit.
"""

from __future__ import annotations

from pathlib import Path

import regex

from aligner.ingest.base import Reader, decode_bytes, markers, read_path
from aligner.ingest.html import HtmlReader
from aligner.ingest.record import RecordReader
from aligner.ingest.safety import invisible_removal, strip_invisible
from aligner.ingest.script import detect_language
from aligner.ingest.tei import TEI_NS, TeiReader
from aligner.ingest.text import TextReader
from aligner.model import AlignerError, Document

__all__ = [
    "READERS",
    "Reader",
    "decode_bytes",
    "detect_format",
    "detect_language",
    "document_parts",
    "documents_from_bytes",
    "documents_from_text",
    "load_pair",
    "load_record",
    "read_documents",
]

READERS: dict[str, Reader] = {
    r.name: r for r in (TextReader(), RecordReader(), HtmlReader(), TeiReader())
}

_HTML_START = regex.compile(
    r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html\b)", regex.I | regex.S
)
_XML_START = regex.compile(r"\A\s*<")


def detect_format(path: str, data: str) -> str:
    """Format name by extension and content (see ``read_documents``)."""
    suffix = Path(path).suffix.lower()
    head = data[:4096]
    if suffix in (".html", ".htm", ".xhtml") or _HTML_START.match(head):
        return "html"
    if suffix == ".xml" or head.lstrip().startswith("<?xml"):
        if TEI_NS not in data[:65536]:
            raise AlignerError("XML file without the TEI namespace: only TEI XML is read", path)
        return "tei"
    if _XML_START.match(head) and TEI_NS in head:
        return "tei"
    m = markers()
    lines = {ln.strip().rstrip(":") for ln in data.split("\n")}
    if any(s in lines for s in m["metadata_block_starts"]) or any(
        ln.startswith(tuple(m["archive_banner_prefixes"])) for ln in lines
    ):
        return "record"
    return "text"


def read_documents(path: str, *, fmt: str | None = None, presplit: bool = False) -> list[Document]:
    """Read one file into one Document per language found (a bilingual record → 2).

    ``fmt`` is a READERS name; None detects it: .html/.htm or an <html> root →
    html; XML in the TEI namespace → tei; the archive banner or metadata block →
    record; otherwise text. Invisible format and control characters are removed
    first and reported as a Removal (see :mod:`aligner.ingest.safety`).
    """
    if fmt is not None and fmt not in READERS:
        raise AlignerError(f"unknown format {fmt!r} (known: {', '.join(sorted(READERS))})", path)
    return documents_from_text(path, read_path(path), fmt=fmt, presplit=presplit)


def documents_from_bytes(
    path: str, data: bytes, *, fmt: str | None = None, presplit: bool = False
) -> list[Document]:
    """``read_documents`` on bytes already in memory (``path`` names them in errors)."""
    return documents_from_text(path, decode_bytes(data, path), fmt=fmt, presplit=presplit)


def documents_from_text(
    path: str, decoded: str, *, fmt: str | None = None, presplit: bool = False
) -> list[Document]:
    """``read_documents`` on decoded text: invisible characters out, format, reader."""
    if fmt is not None and fmt not in READERS:
        raise AlignerError(f"unknown format {fmt!r} (known: {', '.join(sorted(READERS))})", path)
    data, invisible = strip_invisible(decoded)
    name = fmt or detect_format(path, data)
    docs = READERS[name].read(path, data, presplit)
    removal = invisible_removal(invisible)
    if removal is not None:
        for doc in docs:
            doc.removed.append(removal)
    return docs


def _single(path: str, presplit: bool) -> Document:
    docs = read_documents(path, presplit=presplit)
    if len(docs) != 1:
        langs = ", ".join(d.lang for d in docs)
        raise AlignerError(
            f"holds {len(docs)} languages ({langs}); give one language per file "
            "or use the record mode for a bilingual file",
            path,
        )
    return docs[0]


def load_pair(
    source: str | list[str], target: str, *, presplit: bool = False
) -> tuple[Document, Document]:
    """(source, target) from separate files; several source files are consecutive parts.

    Parts are concatenated paragraph by paragraph under the first file's path; the
    part paths and the paragraph index where each starts are kept (``document_parts``).
    """
    sources = [source] if isinstance(source, str) else list(source)
    if not sources:
        raise AlignerError("no source file given")
    parts = [_single(p, presplit) for p in sources]
    first = parts[0]
    for part in parts[1:]:
        if part.lang != first.lang:
            raise AlignerError(
                f"source part is in {part.lang!r} but {first.path} is in {first.lang!r}", part.path
            )
    if len(parts) > 1:
        starts: list[tuple[str, int]] = []
        paragraphs: list[str] = []
        removed = []
        for part in parts:
            starts.append((part.path, len(paragraphs)))
            paragraphs.extend(part.paragraphs)
            removed.extend(part.removed)
        first = Document(
            path=first.path,
            lang=first.lang,
            paragraphs=paragraphs,
            title=first.title,
            metadata=first.metadata,
            removed=removed,
            fmt=first.fmt,
            parts=starts,
        )
    return first, _single(target, presplit)


def document_parts(doc: Document) -> list[tuple[str, int]]:
    """(path, first paragraph index) of each file a Document was concatenated from."""
    return list(doc.parts) or [(doc.path, 0)]


def load_record(path: str, *, presplit: bool = False) -> tuple[Document, Document]:
    """(English source, Arabic target) from one file holding both languages."""
    docs = read_documents(path, presplit=presplit)
    by_lang = {d.lang: d for d in docs}
    if len(docs) != 2 or set(by_lang) != {"ar", "en"}:
        langs = ", ".join(d.lang for d in docs) or "none"
        raise AlignerError(
            f"a record must hold both English and Arabic text; found only: {langs}", path
        )
    return by_lang["en"], by_lang["ar"]
