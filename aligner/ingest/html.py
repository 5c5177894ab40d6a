"""HTML pages through lxml.html: main content only, one paragraph per block element.

Parsing never touches the network and resolves no external entity (lxml's HTML
parser loads no DTD). Content is <main>, [role=main] or the <article>s; failing
those <body> minus its header/footer. nav/aside/form/script/style are dropped
everywhere; the text of nav/header/footer/aside/form is reported as a Removal.
The boilerplate rules of plain text (navigation, trailer) then apply as well.
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from aligner.ingest.base import Reader
from aligner.ingest.boilerplate import Line, clean_lines, strip_bullet, strip_line
from aligner.ingest.safety import check_markup, check_resource_errors, one_line
from aligner.ingest.text import documents_from_paragraphs
from aligner.model import AlignerError, Document, Removal

#: elements whose start and end break a paragraph
BLOCK_TAGS = frozenset(
    "p li h1 h2 h3 h4 h5 h6 blockquote div section article main ul ol dl dt dd table tr td th "
    "pre figure figcaption address caption body header footer hr".split()
)
#: never content
DROP_TAGS = frozenset(
    "script style noscript template iframe object embed svg button select".split()
)
#: chrome, dropped but reported; header/footer only when falling back to <body>
CHROME_KINDS = {
    "nav": "web-navigation",
    "aside": "web-aside",
    "form": "web-form",
    "header": "web-navigation",
    "footer": "web-footer",
}
_HTML_SPACE = " \t\n\r\f"


def collapse(text: str) -> str:
    """Collapse HTML whitespace runs to one space; NBSP and other content spaces are kept."""
    return " ".join(part for part in _split_html_space(text) if part)


def _split_html_space(text: str) -> list[str]:
    out: list[str] = []
    word: list[str] = []
    for ch in text:
        if ch in _HTML_SPACE:
            out.append("".join(word))
            word = []
        else:
            word.append(ch)
    out.append("".join(word))
    return out


def local_name(tag: str) -> str:
    """Lower-case local name of a tag, ``{ns}p`` → ``p``.

    Not ``etree.QName``: the HTML parser keeps tag names QName refuses (``<ht\\l>``),
    and a broken tag must not crash ingest.
    """
    return tag.rsplit("}", 1)[-1].lower()


def block_lines(root: etree._Element, blocks: frozenset[str], skip: frozenset[str]) -> list[Line]:
    """Paragraph lines of ``root``: text between block boundaries, ``<br>`` breaking too."""
    lines: list[Line] = []
    buf: list[str] = []
    bullet = [False]

    def flush() -> None:
        text = strip_line(collapse("".join(buf)))
        buf.clear()
        if text:
            body, had_bullet = strip_bullet(text)
            lines.append(Line(body, had_bullet or bullet[0]))

    def walk(el: etree._Element, in_li: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        local = local_name(tag)
        if local in skip:
            return
        is_block = local in blocks
        if is_block:
            flush()
        bullet[0] = in_li or local == "li"
        if tag and el.text:
            buf.append(el.text)
        for child in el:
            if isinstance(child.tag, str) and local_name(child.tag) == "br":
                flush()
            else:
                walk(child, in_li or local == "li")
            bullet[0] = in_li or local == "li"
            if child.tail:
                buf.append(child.tail)
        if is_block:
            flush()

    walk(root, False)
    flush()
    return lines


def _primary_lang(value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    return value.strip().split("-")[0].split("_")[0].lower()


class HtmlReader(Reader):
    """A web page: main content, block-level paragraphs, ``<html lang>``."""

    name = "html"

    def read(self, path: str, data: str, presplit: bool = False) -> list[Document]:
        parser = lxml_html.HTMLParser(
            no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
        )
        check_markup(path, data, html=True)
        try:
            root = lxml_html.document_fromstring(data, parser=parser)
        except (etree.ParserError, ValueError) as exc:
            check_resource_errors(path, parser.error_log, "the HTML")
            raise AlignerError(f"cannot parse HTML: {one_line(str(exc))}", path) from None
        check_resource_errors(path, parser.error_log, "the HTML")
        removed: list[Removal] = []
        content = self._content(root, path)
        fallback = content.tag == "body"
        for el in self._chrome(content, fallback):
            if el.tag in CHROME_KINDS:
                text = strip_line(collapse(el.text_content()))
                if text:
                    removed.append(Removal(CHROME_KINDS[el.tag], text))
            el.drop_tree()  # keeps the element's tail text in place
        lines = block_lines(content, BLOCK_TAGS, DROP_TAGS)
        paragraphs, cleaned = clean_lines(lines, presplit=presplit)
        title = self._title(root, content)
        return documents_from_paragraphs(
            path,
            paragraphs,
            fmt=self.name,
            removed=removed + cleaned,
            lang=_primary_lang(
                root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
            ),
            title=title,
        )

    @staticmethod
    def _chrome(content: etree._Element, fallback: bool) -> list[lxml_html.HtmlElement]:
        """Outermost elements to drop (an element inside a dropped one is not listed again)."""

        def droppable(el: etree._Element) -> bool:
            if not isinstance(el.tag, str):
                return False
            if el.tag in DROP_TAGS:
                return True
            return el.tag in CHROME_KINDS and (fallback or el.tag not in ("header", "footer"))

        found: list[lxml_html.HtmlElement] = []
        for el in content.iterdescendants():
            if droppable(el) and not any(droppable(a) for a in el.iterancestors()):
                found.append(el)
        return found

    @staticmethod
    def _content(root: etree._Element, path: str) -> etree._Element:
        """<main>, else [role=main], else a single <article>, else <body>."""
        for xpath in ("//main", "//*[@role='main']"):
            found = root.xpath(xpath)
            if found:
                return found[0]
        articles = root.xpath("//article[not(ancestor::article)]")
        if len(articles) == 1:
            return articles[0]
        body = root.find("body")
        if body is None:
            raise AlignerError("HTML without a body", path)
        return body

    @staticmethod
    def _title(root: etree._Element, content: etree._Element) -> str | None:
        for el in (*content.iter("h1"), *root.iter("title")):
            text = strip_line(collapse(el.text_content()))
            if text:
                return text
        return None
