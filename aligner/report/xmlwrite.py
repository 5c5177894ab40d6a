"""A small element tree written as libxml2 writes one, without building an lxml tree.

A TEI report has thousands of elements (every sentence, bead, score and finding);
creating them as lxml elements costs ~1.6 µs each, more than the checks of a short
document. Reports are only ever built and written, never queried, so this module keeps
plain Python nodes and serialises them itself, byte for byte as
``lxml.etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)``
does (libxml2's rules: two-space indentation; no indentation inside an element that has
text; ``<a/>`` for an element with neither children nor text). The equivalence is
pinned by tests/test_xmlwrite.py against lxml itself, and the reports still validate
against the TEI schema.

Names are written as given: element names are local names in the root's default
namespace, attribute names may carry the ``xml:`` prefix.
"""

from __future__ import annotations

_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)
#: libxml2 indents by at most 60 characters (MAX_INDENT), i.e. 30 levels of two spaces
_MAX_INDENT_LEVEL = 30


class Element:
    """One element: ``tag``, attributes in insertion order, ``text``, ``tail``, children.

    ``text`` or ``tail`` set to ``""`` is an empty text node, as in lxml: it is written
    as nothing, but stops the indentation of its parent's children.
    """

    __slots__ = ("attrib", "children", "namespace", "tag", "tail", "text")

    def __init__(
        self, tag: str, attrib: dict[str, str] | None = None, namespace: str | None = None
    ) -> None:
        self.tag = tag
        self.attrib: dict[str, str] = attrib if attrib is not None else {}
        self.text: str | None = None
        self.tail: str | None = None
        self.children: list[Element] = []
        self.namespace = namespace  # declared as the default namespace (xmlns) here

    def set(self, key: str, value: str) -> None:
        self.attrib[key] = value

    def append(self, child: Element) -> None:
        self.children.append(child)


def sub_element(parent: Element, tag: str, attrib: dict[str, str] | None = None) -> Element:
    child = Element(tag, attrib)
    parent.children.append(child)
    return child


def _text(value: str) -> str:
    # substring tests run in C at memchr speed; sentences rarely need escaping
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        return value.translate(_TEXT_ESCAPES)
    return value


def _attr(value: str) -> str:
    if (
        "&" in value
        or "<" in value
        or ">" in value
        or '"' in value
        or "\n" in value
        or "\r" in value
        or "\t" in value
    ):
        return value.translate(_ATTR_ESCAPES)
    return value


_INDENTS = tuple("  " * min(level, _MAX_INDENT_LEVEL) for level in range(256))


def _indent(level: int) -> str:
    return _INDENTS[level] if level < len(_INDENTS) else _INDENTS[-1]


def _write(el: Element, out: list[str], level: int, formatted: bool) -> None:
    # Hot loop (a report has thousands of elements): escaping tests are inlined
    # substring searches, which run in C.
    tag = el.tag
    head = "<" + tag
    if el.namespace is not None:
        head += ' xmlns="' + _attr(el.namespace) + '"'
    for key, value in el.attrib.items():
        if (
            '"' in value
            or "&" in value
            or "<" in value
            or ">" in value
            or "\n" in value
            or "\r" in value
            or "\t" in value
        ):
            value = value.translate(_ATTR_ESCAPES)
        head += " " + key + '="' + value + '"'
    children = el.children
    text = el.text
    if not children:  # most elements: one string each
        if text is None:
            out.append(head + "/>")
        else:
            out.append(head + ">" + _text(text) + "</" + tag + ">")
        return
    if formatted and text is None:
        for child in children:
            if child.tail is not None:
                break  # libxml2 stops indenting inside an element that holds text
        else:
            out.append(head + ">\n")
            indent = _indent(level + 1)
            for child in children:
                out.append(indent)
                _write(child, out, level + 1, True)
                out.append("\n")
            out.append(_indent(level) + "</" + tag + ">")
            return
    out.append(head + ">" + _text(text) if text else head + ">")
    for child in children:
        _write(child, out, level + 1, False)
        if child.tail:
            out.append(_text(child.tail))
    out.append("</" + tag + ">")


def tostring(root: Element) -> bytes:
    """The document as UTF-8 bytes with an XML declaration, pretty-printed like lxml."""
    out = ["<?xml version='1.0' encoding='UTF-8'?>\n"]
    _write(root, out, 0, True)
    out.append("\n")
    return "".join(out).encode("utf-8")
