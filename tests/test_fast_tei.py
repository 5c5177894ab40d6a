"""The TEI report's fast paths write what the plain ones wrote.

The report is streamed (:class:`~aligner.report.xmlwrite.Writer`) instead of being built
as an element tree and serialised. The stream is pinned against the tree
(:class:`~aligner.report.xmlwrite.TreeWriter` + ``tostring``) and against lxml's own
pretty-printer, on generated documents and on the reports of the bundled real pairs; the
builder's shortcuts (tokens, numbers, attribute values, scalar features, the finding's
feature structure, bead pointers) are pinned against the plain code they replace.
"""

from __future__ import annotations

import math
import random
import re
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.batch import load_entry, load_manifest
from aligner.model import AlignerError, Alignment, Bitext, Severity
from aligner.pipeline import Settings, run
from aligner.report import tei
from aligner.report.xmlwrite import (
    Element,
    TreeWriter,
    Writer,
    XmlSink,
    attributes,
    escape_attr,
    parse_attributes,
    sub_element,
    tostring,
)
from aligner.wordalign.align import ScoredWordLinks, segment_words
from tests.test_report import build_full_bitext
from tests.test_xmlwrite import MANIFEST, _xml_text, lxml_bytes

FAST = settings(max_examples=300, deadline=None)

# --- the stream against the tree and lxml ----------------------------------------

#: a document as data: (tag, attributes, text, children as (child, tail), as single)
Node = tuple[str, dict[str, str], str | None, list[tuple[Any, str | None]], bool]

_tags = st.sampled_from(["p", "s", "fs", "f", "note", "list"])
_attrib = st.dictionaries(st.sampled_from(["xml:id", "type", "n", "target"]), _xml_text)
_maybe_text = st.one_of(st.none(), st.just(""), _xml_text)


@st.composite
def _nodes(draw: st.DrawFn, depth: int = 0) -> Node:
    tag, attrib, text = draw(_tags), draw(_attrib), draw(_maybe_text)
    if depth >= 4 or draw(st.integers(0, 3)) == 0:
        return (tag, attrib, text, [], False)
    if draw(st.booleans()) and text is None:  # Writer.single: one leaf child
        child = (draw(_tags), draw(_attrib), draw(_maybe_text), [], False)
        return (tag, attrib, None, [(child, None)], True)
    children = []
    for child in draw(st.lists(_nodes(depth + 1), max_size=3)):
        # tails only in an element with text: the Writer decides indentation at start
        tail = draw(_maybe_text) if text is not None else None
        children.append((child, tail))
    return (tag, attrib, text, children, False)


def _drive(sink: XmlSink, node: Node, root_attrs: str = "") -> None:
    tag, attrib, text, children, single = node
    attrs = root_attrs + attributes(attrib)
    if single:
        (child_tag, child_attrib, child_text, _, _), _ = children[0]
        sink.single(tag, attrs, child_tag, attributes(child_attrib), child_text)
    elif not children and not root_attrs:
        sink.leaf(tag, attrs, text)
    else:
        sink.start(tag, attrs, text)
        for child, tail in children:
            _drive(sink, child)
            if tail is not None:
                sink.text(tail)
        sink.end()


def _three_ways(node: Node) -> tuple[bytes, bytes, bytes]:
    root_attrs = f' xmlns="{tei.TEI_NS}"'
    stream, tree = Writer(), TreeWriter()
    _drive(stream, node, root_attrs)
    _drive(tree, node, root_attrs)
    assert tree.root is not None
    return stream.getvalue(), tostring(tree.root), lxml_bytes(tree.root)


@FAST
@given(_nodes())
def test_the_stream_is_the_tree_and_what_lxml_writes(node: Node) -> None:
    stream, tree, lxml = _three_ways(node)
    assert stream == tree == lxml


def test_empty_elements_and_mixed_content_are_written_as_lxml_writes_them() -> None:
    empty: Node = ("fs", {}, None, [], False)
    text: Node = ("s", {"xml:id": "s1"}, "one & <two>\r", [], False)
    p: Node = ("p", {"n": "1"}, "", [(text, " "), (empty, None), (text, "")], False)
    nested: Node = ("list", {}, None, [(empty, None)], False)
    for node in (
        ("TEI", {}, None, [(p, None), (empty, None), (nested, None)], False),
        ("TEI", {}, None, [(("p", {}, "lead", [(nested, "tail")], False), None)], False),
        ("TEI", {}, None, [], False),
        ("TEI", {}, "", [], False),
    ):
        stream, tree, lxml = _three_ways(node)  # type: ignore[arg-type]
        assert stream == tree == lxml


def test_deep_streams_indent_like_libxml2() -> None:
    node: Node = ("a", {"n": "x"}, None, [], False)
    for _ in range(40):  # libxml2 caps indentation at 60 characters
        node = ("a", {"n": "x"}, None, [(node, None)], False)
    stream, tree, lxml = _three_ways(node)
    assert stream == tree == lxml


def test_the_stream_refuses_what_it_cannot_indent_as_libxml2_would() -> None:
    writer = Writer()
    writer.start("TEI")
    writer.leaf("p")
    with pytest.raises(ValueError, match="text outside"):
        writer.text("tail after an element in element-only content")
    with pytest.raises(ValueError, match="not written yet"):
        writer.getvalue()
    with pytest.raises(ValueError, match="not rendered attributes"):
        TreeWriter().start("p", ' n="a"b"')


@FAST
@given(st.dictionaries(st.sampled_from(["xml:id", "type", "n", "xmlns"]), _xml_text))
def test_rendered_attributes_parse_back(attrib: dict[str, str]) -> None:
    assert parse_attributes(attributes(attrib)) == attrib


def _with_word_links(bitext: Bitext, seed: int) -> Bitext:
    """Word links on every bead of a real bitext (some skipped, some weak), so that the
    word-alignment groups are written from real sentences without the model."""
    rng = random.Random(seed)
    for k, bead in enumerate(bitext.alignments):
        src = segment_words([bitext.source.segments[i] for i in bead.src])
        tgt = segment_words([bitext.target.segments[i] for i in bead.tgt])
        if not src or not tgt:
            continue
        pairs = {(rng.randrange(len(src)), rng.randrange(len(tgt))) for _ in range(4)}
        links = sorted(pairs)
        argmax = [rng.random() < 0.7 for _ in links]
        bitext.word_alignments.append(
            ScoredWordLinks(
                k,
                src,
                tgt,
                links,
                [0.9] * len(src),
                link_scores=[0.9 if a else 0.1 for a in argmax],
                argmax=argmax,
                skipped=rng.random() < 0.1,
            )
        )
    return bitext


@cache
def _bundled() -> tuple[Bitext, ...]:
    lexical = Settings(embedder="none", word_align="off")
    pairs = [run(load_entry(entry), lexical) for entry in load_manifest(MANIFEST)]
    linked = [_with_word_links(run(load_entry(e), lexical), 7) for e in load_manifest(MANIFEST)]
    return (build_full_bitext(), _with_word_links(build_full_bitext(), 3), *pairs, *linked)


def test_reports_of_the_bundled_pairs_stream_as_their_trees_write() -> None:
    for bitext in _bundled():
        root = tei.build_tei(bitext)
        assert tei.to_tei(bitext) == tostring(root) == lxml_bytes(root)


# --- the builder's shortcuts against the plain code ------------------------------

_ANY_TEXT = st.text(max_size=16)
_TOKENISH = st.text(alphabet=st.sampled_from(list("ab. -\t\n\x00\x85\xa0\u2028é1")), max_size=8)


def _bundled_strings() -> list[str]:
    out = []
    for bitext in _bundled():
        for doc in (bitext.source, bitext.target):
            out += [seg.text for seg in doc.segments] + [seg.id for seg in doc.segments]
        out += [f.category for f in bitext.findings] + [f.message for f in bitext.findings]
    return out


def _plain_token(value: str) -> str:
    return re.sub(r"[\s\x00-\x1f\x7f-\x9f]+", "-", value.strip()) or "unknown"


def _plain_value(value: str) -> str:
    return escape_attr(tei._NOT_XML_CHAR.sub("\ufffd", value))


def test_tokens_and_attribute_values_on_bundled_text() -> None:
    for text in _bundled_strings():
        assert tei._token(text) == _plain_token(text)
        assert tei._value(text) == _plain_value(text)


@FAST
@given(st.one_of(_ANY_TEXT, _TOKENISH))
def test_tokens_and_attribute_values_on_generated_text(text: str) -> None:
    assert tei._token(text) == _plain_token(text)
    assert tei._value(text) == _plain_value(text)


def _plain_number(value: float | int) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return repr(float(value))


@FAST
@given(st.one_of(st.floats(), st.integers(), st.booleans()))
def test_numbers(value: float | int) -> None:
    assert tei._number(value) == _plain_number(value)


def _plain_feature_value(parent: Element, value: Any) -> None:
    """How features were built before the stream: an element per value."""
    if isinstance(value, Severity):
        sub_element(parent, "symbol", {"value": str(value)})
    elif value is None:
        sub_element(parent, "symbol", {"value": "null"})
    elif isinstance(value, bool):
        sub_element(parent, "binary", {"value": "true" if value else "false"})
    elif isinstance(value, int | float):
        sub_element(parent, "numeric", {"value": _plain_number(value)})
    elif isinstance(value, dict):
        nested = sub_element(parent, "fs")
        for key, v in sorted(value.items(), key=lambda kv: str(kv[0])):
            _plain_feature_value(_plain_feature(nested, str(key)), v)
    elif isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        coll = sub_element(parent, "vColl", {"org": "list"})
        for item in items:
            _plain_feature_value(coll, item)
    else:
        sub_element(parent, "string").text = tei._clean(str(value))


def _plain_feature(fs: Element, key: str) -> Element:
    if re.match(r"^[^\W\d][\w.\-]*$", key):
        return sub_element(fs, "f", {"name": key})
    name = "_" + re.sub(r"[^\w.\-]", "_", key)
    return sub_element(fs, "f", {"name": name, "n": tei._clean(key)})


class _Str:
    """Not a str, written by its str()."""

    def __str__(self) -> str:
        return "other <value>"


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.sampled_from(list(Severity)),
    _ANY_TEXT,
    st.just(_Str()),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.frozensets(st.one_of(st.integers(), _ANY_TEXT), max_size=3),
        st.dictionaries(st.one_of(_ANY_TEXT, st.sampled_from(["a", "x y", "1k"])), inner),
    ),
    max_leaves=12,
)


def _streamed(write: Any) -> bytes:
    writer = Writer()
    writer.start("TEI", f' xmlns="{tei.TEI_NS}"')
    write(writer)
    writer.end()
    return writer.getvalue()


@FAST
@given(_values)
def test_feature_values_are_written_as_the_plain_elements(value: Any) -> None:
    root = Element("TEI", namespace=tei.TEI_NS)
    _plain_feature_value(root, value)
    assert _streamed(lambda w: tei._feature_value(w, value)) == tostring(root)
    root.children = []
    fs = sub_element(root, "fs", {"type": "details"})
    _plain_feature_value(_plain_feature(fs, "key"), value)
    written = _streamed(lambda w: tei._feature_structure(w, "details", {"key": value}))
    assert written == tostring(root)


@pytest.mark.parametrize(
    ("src", "tgt", "message"),
    [
        ((-1,), (0,), "points to sentence -1"),
        ((0,), (10**6,), "points to sentence 1000000"),
        ((), (), "empty"),
    ],
)
def test_beads_pointing_nowhere_are_refused_as_before(
    src: tuple[int, ...], tgt: tuple[int, ...], message: str
) -> None:
    bitext = build_full_bitext()
    bitext.alignments = [*bitext.alignments, Alignment(src, tgt, 0.5)]
    with pytest.raises(AlignerError, match=message):
        tei.to_tei(bitext)
