"""The report writer (aligner.report.xmlwrite) writes exactly what lxml would.

Reports used to be lxml trees serialised by ``etree.tostring(..., pretty_print=True)``;
the plain-Python writer must give the same bytes, so every tree here is also rebuilt as
an lxml tree and serialised by lxml itself. Reports are now streamed
(``xmlwrite.Writer``); tests/test_fast_tei.py pins the stream against these trees.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from aligner.batch import load_entry, load_manifest
from aligner.pipeline import Settings, run
from aligner.report.tei import TEI_NS, build_tei, to_tei
from aligner.report.xmlwrite import Element, sub_element, tostring

XML_NS = "http://www.w3.org/XML/1998/namespace"
MANIFEST = Path(__file__).resolve().parent.parent / "corpora" / "manifest.json"


def to_lxml(el: Element, namespace: str | None = None) -> etree._Element:
    """The same tree as lxml elements (names in Clark notation)."""
    namespace = el.namespace or namespace

    def name(local: str) -> str:
        return f"{{{namespace}}}{local}" if namespace else local

    def attr(key: str) -> str:
        return f"{{{XML_NS}}}{key[4:]}" if key.startswith("xml:") else key

    attrib = {attr(k): v for k, v in el.attrib.items()}
    nsmap = {None: el.namespace} if el.namespace else None
    out = etree.Element(name(el.tag), attrib, nsmap=nsmap)
    out.text = el.text
    for child in el.children:
        c = to_lxml(child, namespace)
        c.tail = child.tail
        out.append(c)
    return out


def lxml_bytes(root: Element) -> bytes:
    return etree.tostring(to_lxml(root), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def test_reports_of_the_bundled_pairs_are_written_as_lxml_writes_them() -> None:
    lexical = Settings(embedder="none", word_align="off")
    for entry in load_manifest(MANIFEST):
        bitext = run(load_entry(entry), lexical)
        root = build_tei(bitext)
        assert tostring(root) == lxml_bytes(root)
        assert to_tei(bitext) == tostring(root)
        assert etree.fromstring(tostring(root)).tag == f"{{{TEI_NS}}}TEI"


def test_indentation_stops_inside_an_element_with_text() -> None:
    root = Element("TEI", namespace=TEI_NS)
    p = sub_element(root, "p")
    p.text = ""
    s = sub_element(p, "s", {"xml:id": "s1"})
    s.text = "one & <two>"
    s.tail = " "
    sub_element(p, "s").text = "three\r"
    sub_element(sub_element(root, "list"), "item", {"n": 'a"b\tc\nd'})
    sub_element(root, "empty").text = ""
    written = tostring(root)
    assert written == lxml_bytes(root)
    assert b'<p><s xml:id="s1">one &amp; &lt;two&gt;</s> <s>three&#13;</s></p>' in written
    assert b'<item n="a&quot;b&#9;c&#10;d"/>' in written
    assert b"<empty></empty>" in written
    assert written.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<TEI xmlns=")


def test_deep_trees_indent_like_libxml2() -> None:
    root = Element("a", namespace=TEI_NS)
    el = root
    for _ in range(40):  # libxml2 caps indentation at 60 characters
        el = sub_element(el, "a", {"n": "x"})
    assert tostring(root) == lxml_bytes(root)


_xml_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(chr(c) for c in range(32) if c not in (9, 10, 13))
        + "\ufffe\uffff",
    ),
    max_size=12,
)
_names = st.sampled_from(["p", "s", "fs", "f", "note", "xml:id", "type", "n"])


@st.composite
def trees(draw: st.DrawFn, depth: int = 0) -> Element:
    tag = draw(st.sampled_from(["p", "s", "fs", "f", "note"]))
    keys = draw(st.lists(st.sampled_from(["xml:id", "type", "n", "target"]), unique=True))
    el = Element(tag, {k: draw(_xml_text) for k in keys}, namespace=TEI_NS if depth == 0 else None)
    el.text = draw(st.one_of(st.none(), st.just(""), _xml_text))
    if depth < 4:
        for child in draw(st.lists(trees(depth + 1), max_size=3)):
            child.tail = draw(st.one_of(st.none(), st.just(""), _xml_text))
            el.append(child)
    return el


@settings(max_examples=300, deadline=None)
@given(trees())
def test_random_trees_are_written_as_lxml_writes_them(root: Element) -> None:
    assert tostring(root) == lxml_bytes(root)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=20))
def test_printable_text_needs_no_cleaning(text: str) -> None:
    from aligner.report.tei import _NOT_XML_CHAR, _clean

    assert _clean(text) == _NOT_XML_CHAR.sub("\ufffd", text)
