"""XML written as libxml2 writes it, without building an lxml tree.

A TEI report has thousands of elements (every sentence, bead, score and finding);
creating them as lxml elements costs ~1.6 µs each, more than the checks of a short
document. Reports are only ever built and written, never queried, so they are written
as a stream of strings (:class:`Writer`), byte for byte as
``lxml.etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)``
writes the same tree (libxml2's rules: two-space indentation; no indentation inside an
element that has text; ``<a/>`` for an element with neither children nor text).

The same calls can build a plain element tree instead (:class:`TreeWriter`), written by
:func:`tostring`; tests/test_xmlwrite.py pins stream = tree = lxml, and the reports
still validate against the TEI schema.

Names are written as given: element names are local names in the root's default
namespace (an ``xmlns`` attribute), attribute names may carry the ``xml:`` prefix.
"""

from __future__ import annotations

import re
from typing import Protocol

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
_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"


def escape_text(value: str) -> str:
    """Character data as libxml2 escapes it."""
    # substring tests run in C at memchr speed; sentences rarely need escaping
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        return value.translate(_TEXT_ESCAPES)
    return value


def escape_attr(value: str) -> str:
    """An attribute value (between double quotes) as libxml2 escapes it."""
    if (
        '"' in value
        or "&" in value
        or "<" in value
        or ">" in value
        or "\n" in value
        or "\r" in value
        or "\t" in value
    ):
        return value.translate(_ATTR_ESCAPES)
    return value


def attributes(pairs: dict[str, str]) -> str:
    """Rendered attributes (`` name="value"`` each, escaped) for :meth:`Writer.start`."""
    return "".join(f' {key}="{escape_attr(value)}"' for key, value in pairs.items())


_INDENTS = tuple("  " * min(level, _MAX_INDENT_LEVEL) for level in range(256))


def _indent(level: int) -> str:
    return _INDENTS[level] if level < len(_INDENTS) else _INDENTS[-1]


class XmlSink(Protocol):
    """What a report is written to: a :class:`Writer` (bytes) or a :class:`TreeWriter`.

    ``attrs`` is rendered attributes, `` name="value"`` each with values already escaped
    (:func:`escape_attr`), so hot callers format them once with an f-string; text is
    given unescaped. An element opened with ``text=None`` holds elements only (and is
    indented); one opened with text (``""`` included) holds mixed content, added by
    :meth:`text` between its children.
    """

    def start(self, tag: str, attrs: str = "", text: str | None = None) -> None: ...

    def end(self) -> None: ...

    def leaf(self, tag: str, attrs: str = "", text: str | None = None) -> None: ...

    def single(
        self, tag: str, attrs: str, child: str, child_attrs: str = "", text: str | None = None
    ) -> None: ...

    def text(self, text: str) -> None: ...


#: Writer stack entry modes: indented children; text (the outermost element with text);
#: inside an element with text, with text of its own or without (then empty is <a/>)
_FORMATTED, _MIXED, _INLINE, _INLINE_NO_TEXT = 0, 1, 2, 3
#: the indentation one level deeper than a given one (libxml2 stops at 60 characters)
_DEEPER = {
    indent: _indent(level + 1) for level, indent in enumerate(_INDENTS[: _MAX_INDENT_LEVEL + 1])
}


class Writer:
    """Writes the document as a stream of strings: the fast path for reports.

    The indentation decision libxml2 makes per element (indent children only when the
    element has no text) is made when the element is opened, from ``text``: elements
    holding text are declared so, which is why :meth:`text` is refused elsewhere.
    """

    __slots__ = ("_indent", "_inline", "_out", "_stack")

    def __init__(self) -> None:
        self._out: list[str] = [_DECLARATION]
        # (end tag as written, len(out) after the start tag, mode, indentation outside)
        self._stack: list[tuple[str, int, int, str]] = []
        self._indent = ""  # of the next element written (when not inline)
        self._inline = 0  # depth inside an element with text: nothing is indented there

    def start(self, tag: str, attrs: str = "", text: str | None = None) -> None:
        out = self._out
        indent = self._indent
        if self._inline:
            self._inline += 1
            if text is None:
                out.append(f"<{tag}{attrs}>")
                self._stack.append((f"</{tag}>", len(out), _INLINE_NO_TEXT, indent))
            else:
                out.append(f"<{tag}{attrs}>{escape_text(text)}")
                self._stack.append((f"</{tag}>", len(out), _INLINE, indent))
        elif text is None:
            out.append(f"{indent}<{tag}{attrs}>\n")
            self._stack.append((f"{indent}</{tag}>\n", len(out), _FORMATTED, indent))
            self._indent = _DEEPER[indent]
        else:
            self._inline = 1
            out.append(f"{indent}<{tag}{attrs}>{escape_text(text)}")
            self._stack.append((f"</{tag}>\n", len(out), _MIXED, indent))

    def end(self) -> None:
        close, size, mode, indent = self._stack.pop()
        out = self._out
        if mode == _FORMATTED:
            self._indent = indent
            if len(out) == size:  # no children: <a/>
                out[-1] = out[-1][:-2] + "/>\n"
            else:
                out.append(close)
        elif mode == _MIXED:
            self._inline = 0
            out.append(close)
        else:
            self._inline -= 1
            if mode == _INLINE_NO_TEXT and len(out) == size:
                out[-1] = out[-1][:-1] + "/>"
            else:
                out.append(close)

    def leaf(self, tag: str, attrs: str = "", text: str | None = None) -> None:
        """An element without children: ``<tag attrs/>`` or ``<tag attrs>text</tag>``."""
        if self._inline:
            if text is None:
                self._out.append(f"<{tag}{attrs}/>")
            else:
                self._out.append(f"<{tag}{attrs}>{escape_text(text)}</{tag}>")
        elif text is None:
            self._out.append(f"{self._indent}<{tag}{attrs}/>\n")
        else:
            self._out.append(f"{self._indent}<{tag}{attrs}>{escape_text(text)}</{tag}>\n")

    def single(
        self, tag: str, attrs: str, child: str, child_attrs: str = "", text: str | None = None
    ) -> None:
        """An element holding one leaf element (``<f><numeric/></f>``): ``start``, ``leaf``
        and ``end`` in one call, for the many features of a report."""
        if text is None:
            piece = f"<{child}{child_attrs}/>"
        else:
            piece = f"<{child}{child_attrs}>{escape_text(text)}</{child}>"
        if self._inline:
            self._out.append(f"<{tag}{attrs}>{piece}</{tag}>")
        else:
            indent = self._indent
            self._out.append(
                f"{indent}<{tag}{attrs}>\n{_DEEPER[indent]}{piece}\n{indent}</{tag}>\n"
            )

    def text(self, text: str) -> None:
        """Character data after the last child (its tail) inside an element with text."""
        if not self._inline:
            raise ValueError("text outside an element opened with text")
        self._out.append(escape_text(text))

    def getvalue(self) -> bytes:
        """The document as UTF-8 bytes with an XML declaration (all elements closed)."""
        if self._stack:
            raise ValueError(f"element {self._stack[-1][0].strip()} is not written yet")
        return "".join(self._out).encode("utf-8")


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


_RENDERED_ATTR = re.compile(r' ([^\s="]+)="([^"]*)"')
_UNESCAPES = {
    "&amp;": "&",
    "&lt;": "<",
    "&gt;": ">",
    "&quot;": '"',
    "&#10;": "\n",
    "&#13;": "\r",
    "&#9;": "\t",
}
_ENTITY = re.compile("|".join(map(re.escape, _UNESCAPES)))


def parse_attributes(attrs: str) -> dict[str, str]:
    """The attributes a rendered string holds; ValueError if it is not well formed."""
    found = _RENDERED_ATTR.findall(attrs)
    if "".join(f' {k}="{v}"' for k, v in found) != attrs or any(
        "<" in v or ">" in v or "&" in _ENTITY.sub("", v) for _, v in found
    ):
        raise ValueError(f"not rendered attributes: {attrs!r}")
    return {k: _ENTITY.sub(lambda m: _UNESCAPES[m.group(0)], v) for k, v in found}


class TreeWriter:
    """The :class:`XmlSink` calls as an :class:`Element` tree (``root``), for inspection
    and for pinning the stream against a tree (slow: parses the rendered attributes)."""

    def __init__(self) -> None:
        self.root: Element | None = None
        self._stack: list[Element] = []

    def _new(self, tag: str, attrs: str, text: str | None) -> Element:
        attrib = parse_attributes(attrs)
        namespace = attrib.pop("xmlns", None)
        el = Element(tag, attrib, namespace)
        el.text = text
        if self._stack:
            self._stack[-1].children.append(el)
        elif self.root is None:
            self.root = el
        else:
            raise ValueError("a document has one root element")
        return el

    def start(self, tag: str, attrs: str = "", text: str | None = None) -> None:
        self._stack.append(self._new(tag, attrs, text))

    def end(self) -> None:
        self._stack.pop()

    def leaf(self, tag: str, attrs: str = "", text: str | None = None) -> None:
        self._new(tag, attrs, text)

    def single(
        self, tag: str, attrs: str, child: str, child_attrs: str = "", text: str | None = None
    ) -> None:
        self.start(tag, attrs)
        self.leaf(child, child_attrs, text)
        self.end()

    def text(self, text: str) -> None:
        parent = self._stack[-1]
        if parent.text is None:
            raise ValueError("text outside an element opened with text")
        if parent.children:
            last = parent.children[-1]
            last.tail = (last.tail or "") + text
        else:
            parent.text += text


def _write(el: Element, out: list[str], level: int, formatted: bool) -> None:
    tag = el.tag
    head = "<" + tag
    if el.namespace is not None:
        head += ' xmlns="' + escape_attr(el.namespace) + '"'
    for key, value in el.attrib.items():
        head += " " + key + '="' + escape_attr(value) + '"'
    children = el.children
    text = el.text
    if not children:
        if text is None:
            out.append(head + "/>")
        else:
            out.append(head + ">" + escape_text(text) + "</" + tag + ">")
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
    out.append(head + ">" + escape_text(text) if text else head + ">")
    for child in children:
        _write(child, out, level + 1, False)
        if child.tail:
            out.append(escape_text(child.tail))
    out.append("</" + tag + ">")


def tostring(root: Element) -> bytes:
    """The document as UTF-8 bytes with an XML declaration, pretty-printed like lxml."""
    out = [_DECLARATION]
    _write(root, out, 0, True)
    out.append("\n")
    return "".join(out).encode("utf-8")
