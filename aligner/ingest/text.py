"""Plain text: one paragraph per non-empty line, boilerplate removed, split by script."""

from __future__ import annotations

from collections import Counter

from aligner.ingest.base import Reader
from aligner.ingest.boilerplate import clean_lines, is_heading_like, split_lines, strip_line
from aligner.ingest.safety import invisible_removal, strip_invisible
from aligner.ingest.script import declared_language, split_by_script
from aligner.model import AlignerError, Document, RecordMetadata, Removal


def documents_from_paragraphs(
    path: str,
    paragraphs: list[str],
    *,
    fmt: str,
    removed: list[Removal],
    metadata: RecordMetadata | None = None,
    lang: str | None = None,
    title: str | None = None,
    heading_title: bool = False,
) -> list[Document]:
    """One Document per language found in ``paragraphs`` (see ``split_by_script``).

    ``lang`` is a declared language (html lang, TEI xml:lang); Arabic vs Latin letters
    override a declared "ar"/"en" that they contradict.
    With ``heading_title`` the first paragraph of each side becomes its title when it
    looks like a heading; it stays in the paragraphs, since it is translated text.
    """
    # character references (&#x200F;) survive the raw-text pass of read_documents
    paragraphs, invisible = _strip_all(paragraphs)
    removal = invisible_removal(invisible)
    removed = [*removed, removal] if removal is not None else list(removed)
    if title is not None:
        title = strip_invisible(title)[0].strip() or None
    lang = declared_language(lang)
    groups = split_by_script(paragraphs)
    if not groups:
        if any(p.strip() for p in paragraphs):
            raise AlignerError("cannot tell the language: no Arabic or Latin letters", path)
        what = "no text left after removing boilerplate" if removed else "no text"
        raise AlignerError(what, path)
    if len(groups) == 1 and lang and lang not in ("ar", "en"):
        # a declared language the scripts cannot check (e.g. "fr") is kept; a declared
        # "ar"/"en" contradicted by the letters is not: CMSs leave lang="en" on translations
        groups = [(lang, groups[0][1])]
    docs: list[Document] = []
    for group_lang, indices in groups:
        paras = [paragraphs[i] for i in indices]
        doc_title = title
        if doc_title is None and heading_title and paras and is_heading_like(paras[0]):
            doc_title = paras[0]
        docs.append(
            Document(
                path=path,
                lang=group_lang,
                paragraphs=paras,
                title=doc_title,
                metadata=metadata,
                removed=list(removed),
                fmt=fmt,
            )
        )
    return docs


def _strip_all(paragraphs: list[str]) -> tuple[list[str], Counter[str]]:
    total: Counter[str] = Counter()
    out: list[str] = []
    for para in paragraphs:
        text, counts = strip_invisible(para)
        total.update(counts)
        text = strip_line(text)
        if text:
            out.append(text)
    return out, total


class TextReader(Reader):
    """Plain UTF-8 text, blank-line separated or one paragraph per line."""

    name = "text"

    def read(self, path: str, data: str, presplit: bool = False) -> list[Document]:
        paragraphs, removed = clean_lines(split_lines(data), presplit=presplit)
        return documents_from_paragraphs(path, paragraphs, fmt=self.name, removed=removed)
