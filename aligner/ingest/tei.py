"""TEI XML: paragraphs from each <text>'s body (head, p, ab), language from xml:lang.

The parser is locked down (no DTD, no entity resolution, no network, no huge
trees) because input files come from outside. A <group> of <text>s in two
languages gives two Documents. Notes are not body text and are skipped.
"""

from __future__ import annotations

import regex
from lxml import etree

from aligner.ingest.base import Reader
from aligner.ingest.boilerplate import Line, clean_lines
from aligner.ingest.html import block_lines
from aligner.ingest.safety import check_markup, check_resource_errors, check_tree, one_line
from aligner.ingest.text import documents_from_paragraphs
from aligner.model import AlignerError, Document

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_T = f"{{{TEI_NS}}}"
_DECLARATION = regex.compile(r"\A\s*<\?xml[^>]*\?>")
#: TEI elements that hold one paragraph each
TEI_BLOCKS = frozenset({"p", "head", "ab", "body", "div", "item", "list"})
#: TEI elements whose text is not body text
TEI_SKIP = frozenset({"note", "fw", "figDesc"})


def safe_parser() -> etree.XMLParser:
    """An XML parser that reads no DTD, resolves no entity and never uses the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(path: str, data: str) -> etree._Element:
    """Parse decoded XML safely (see :mod:`.safety`); the encoding declaration is moot
    once decoded, so it is dropped."""
    check_markup(path, data, html=False)
    parser = safe_parser()
    try:
        root = etree.fromstring(_DECLARATION.sub("", data, count=1), parser)
    except etree.XMLSyntaxError as exc:
        check_resource_errors(path, parser.error_log, "the XML")
        line, col = exc.position
        raise AlignerError(
            f"not well-formed XML at line {line}, column {col}: {one_line(exc.msg)}", path
        ) from None
    check_tree(path, root)
    return root


def _lang(el: etree._Element) -> str | None:
    for node in (el, *el.iterancestors()):
        value = node.get(XML_LANG)
        if value and value.strip():
            return value.strip().split("-")[0].lower()
    return None


def _text_of(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


class TeiReader(Reader):
    """TEI P5 (``text/body`` or ``text/group/text``), one Document per <text>."""

    name = "tei"

    def read(self, path: str, data: str, presplit: bool = False) -> list[Document]:
        root = parse_xml(path, data)
        if etree.QName(root).namespace != TEI_NS:
            raise AlignerError(f"root element {root.tag!r} is not in the TEI namespace", path)
        texts = [t for t in root.iter(f"{_T}text") if t.find(f".//{_T}text") is None]
        if not texts:
            raise AlignerError("TEI file without a <text>", path)
        header_title = root.find(f".//{_T}teiHeader//{_T}titleStmt/{_T}title")
        docs: list[Document] = []
        for text in texts:
            lines: list[Line] = []
            for body in text.iter(f"{_T}body"):
                lines.extend(block_lines(body, TEI_BLOCKS, TEI_SKIP))
            paragraphs, removed = clean_lines(lines, presplit=True)  # TEI marks paragraphs itself
            title = _text_of(header_title) if header_title is not None else None
            if not title:
                head = text.find(f".//{_T}body//{_T}head")
                title = _text_of(head) if head is not None else None
            docs.extend(
                documents_from_paragraphs(
                    path,
                    paragraphs,
                    fmt=self.name,
                    removed=removed,
                    lang=_lang(text),
                    title=title or None,
                )
            )
        return docs
