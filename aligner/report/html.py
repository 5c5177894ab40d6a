"""The editor's side-by-side HTML view of a TEI report.

The page is made from the TEI (not from the Bitext) by the XSLT 1.0 stylesheet
``xslt/view.xsl`` run with lxml, so that ``aligner view REPORT.xml`` can render an
archived report long after the run. We ship finished HTML rather than an
``<?xml-stylesheet?>`` instruction because browsers are dropping built-in XSLT.
The page is self-contained (inline CSS and a small filter script, no external
resources) and deterministic: the same TEI gives byte-identical HTML.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

from aligner.model import AlignerError

__all__ = ["STYLESHEET", "render_file", "to_html"]

#: the stylesheet, for callers that want to run it with another XSLT 1.0 processor
STYLESHEET = "xslt/view.xsl"

TEI_NS = "http://www.tei-c.org/ns/1.0"


@cache
def _transform() -> etree.XSLT:
    """Compile the stylesheet once per process (it is read from the package data)."""
    source = resources.files("aligner.report").joinpath(STYLESHEET).read_bytes()
    # no network, no file access from inside the stylesheet: it only reads the report
    access = etree.XSLTAccessControl.DENY_ALL
    return etree.XSLT(etree.XML(source), access_control=access)


def _parse(tei: bytes, path: str | None) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(tei, parser)
    except etree.XMLSyntaxError as err:
        raise AlignerError(f"report is not well-formed XML: {err}", path) from None
    if root.tag != f"{{{TEI_NS}}}TEI":
        raise AlignerError(f"not a TEI report (root element is {root.tag!r})", path)
    if root.find(f".//{{{TEI_NS}}}linkGrp[@type='alignment']") is None:
        raise AlignerError("TEI report has no linkGrp[@type='alignment'] to lay out", path)
    return root.getroottree()


def to_html(tei: bytes, *, path: str | None = None) -> bytes:
    """Render an aligner TEI report as one self-contained HTML5 page (UTF-8 bytes).

    ``path`` only names the report in error messages. Raises :class:`AlignerError`
    when the bytes are not an aligner TEI report.
    """
    tree = _parse(tei, path)
    try:
        result = _transform()(tree)
    except etree.XSLTApplyError as err:
        raise AlignerError(f"cannot render the report: {err}", path) from None
    root = result.getroot()
    if root is None:
        raise AlignerError("the stylesheet produced no page", path)
    body = etree.tostring(root, method="html", encoding="unicode")
    return ("<!DOCTYPE html>\n" + body + "\n").encode("utf-8")


def render_file(report: str | Path, output: str | Path | None = None) -> Path:
    """``aligner view REPORT.xml [-o FILE]``: write the page next to the report by default.

    The default output is the report's path with ``.html`` as suffix (``rome.tei.xml``
    → ``rome.tei.html``). The write is atomic. Returns the path written.
    """
    from aligner.report.io import write_atomic

    src = Path(report)
    try:
        data = src.read_bytes()
    except OSError as err:
        raise AlignerError(f"cannot read report: {err.strerror}", str(src)) from None
    out = Path(output) if output is not None else src.with_suffix(".html")
    if out.resolve() == src.resolve():
        raise AlignerError("output would overwrite the report itself", str(out))
    write_atomic(out, to_html(data, path=str(src)))
    return out
