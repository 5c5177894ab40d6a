"""Correction lists for archivists: every finding that proposes a fix, keyed by archive code.

One row per correction: which archive record (its code, e.g. ``SMI/A200/593915``, from
the report's source/target ``metadata.code``; the input path when there is none),
which field or sentence, the current text, the proposed text, the evidence that
supports it and the checker's confidence. Two views of the same rows:

* CSV for spreadsheets: UTF-8 **with a BOM** by default, because Excel opens a
  BOM-less UTF-8 file as the local code page and garbles the Arabic; CRLF line ends
  and minimal quoting (RFC 4180), so Arabic text holding commas, quotes or line
  breaks round-trips through any CSV reader (Python: ``encoding="utf-8-sig"``).
* TEI P5 ``revisionDesc/listChange`` (one nested list per archive code, one
  ``<change>`` per correction holding ``<choice><sic/><corr/></choice>``) that
  validates against tei_all.rng; ``change/@target`` points at the sentence or
  metadata element in the document's TEI report.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from aligner import __version__

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
COLUMNS = (
    "key",
    "key_type",
    "document",
    "category",
    "severity",
    "confidence",
    "side",
    "location",
    "current",
    "proposed",
    "context",
    "evidence",
    "message",
    "report",
    "pointer",
)


def archive_key(report: dict[str, Any], side: str) -> tuple[str, str]:
    """(key, "archive") from the record's code (target first, then source), else
    (input path of the corrected side, "path")."""
    for name in ("target", "source"):
        meta = report.get(name, {}).get("metadata") or {}
        if meta.get("code"):
            return str(meta["code"]), "archive"
    doc = report.get("target" if side == "metadata" else side) or report["target"]
    return str(doc.get("path", "")), "path"


def _metadata_owner(report: dict[str, Any]) -> str:
    return "target" if (report.get("target") or {}).get("metadata") else "source"


def correction_rows(
    reports: Iterable[tuple[str, Path, dict[str, Any]]],
) -> list[dict[str, str]]:
    """Rows for every finding with a correction, sorted by key then document order.

    ``reports`` holds (document id, JSON report path, report) as ``load_reports`` gives.
    """
    rows: list[tuple[str, int, dict[str, str]]] = []
    for doc_id, json_path, report in reports:
        tei_path = _tei_report(json_path)
        for f in report["findings"]:
            corr = f.get("correction")
            if not corr:
                continue
            side = corr["side"]
            here, other = _evidence_for(f, side)
            if side == "metadata":
                field = (here or {}).get("field") or ""
                location = field
                xml_id = f"bibl-{_metadata_owner(report)}-{field.replace('_', '-')}"
            else:
                location = (here or {}).get("sentence_id") or ""
                xml_id = location
            key, key_type = archive_key(report, side)
            rows.append(
                (
                    key,
                    len(rows),
                    {
                        "key": key,
                        "key_type": key_type,
                        "document": doc_id,
                        "category": f["category"],
                        "severity": f["severity"],
                        "confidence": _number(f.get("confidence")),
                        "side": side,
                        "location": location,
                        "current": corr["sic"],
                        "proposed": corr["corr"],
                        "context": (here or {}).get("sentence") or "",
                        "evidence": (other or {}).get("sentence") or "",
                        "message": f["message"],
                        "report": str(tei_path),
                        "pointer": xml_id,
                    },
                )
            )
    return [row for _, _, row in sorted(rows, key=lambda r: (r[0], r[1]))]


def _tei_report(json_path: Path) -> Path:
    name = json_path.name
    stem = name[: -len(".json")] if name.endswith(".json") else json_path.stem
    return json_path.with_name(f"{stem}.tei.xml")


def _evidence_for(
    finding: dict[str, Any], side: str
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(evidence on the corrected side, evidence on the other side)."""
    slots = [finding.get("source"), finding.get("target")]
    evs = [e for e in slots if isinstance(e, dict)]
    here = next((e for e in evs if e.get("side") == side), None)
    if here is None and side in ("source", "target"):
        here = finding.get(side) if isinstance(finding.get(side), dict) else None
    other = next((e for e in evs if e is not here), None)
    return here, other


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    return "" if value is None else str(value)


def to_csv(rows: list[dict[str, str]], bom: bool = True) -> str:
    """The correction list as CSV text (header row first; see module docstring)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" if bom else "") + buffer.getvalue()


def _el(parent: Any, tag: str, text: str | None = None, **attrs: str | None) -> Any:
    el = etree.SubElement(parent, f"{{{TEI_NS}}}{tag}")
    for key, value in attrs.items():
        if value is None:
            continue
        name = f"{{{XML_NS}}}{key[4:]}" if key.startswith("xml_") else key.rstrip("_")
        el.set(name, value)
    if text is not None:
        el.text = text
    return el


def to_tei_changes(rows: list[dict[str, str]], base: str | Path | None = None) -> bytes:
    """The correction list as a TEI document; pointers are relative to ``base`` (a folder)."""
    root = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    root.set(f"{{{XML_NS}}}lang", "en")
    header = _el(root, "teiHeader")
    file_desc = _el(header, "fileDesc")
    _el(_el(file_desc, "titleStmt"), "title", "Proposed corrections to archive records")
    _el(
        _el(file_desc, "publicationStmt"),
        "p",
        f"Generated by aligner {__version__} from its JSON reports; each change is a "
        "proposal for an archivist to review.",
    )
    bibls = _el(_el(file_desc, "sourceDesc"), "listBibl")
    keys = list(dict.fromkeys(row["key"] for row in rows))
    key_types = {row["key"]: row["key_type"] for row in rows}
    for n, key in enumerate(keys, 1):
        bibl = _el(bibls, "bibl", xml_id=f"record-{n}")
        _el(bibl, "idno", key, type=key_types[key])
    if not keys:
        _el(bibls, "bibl", "No corrections were proposed.")
    revision = _el(header, "revisionDesc", status="proposed")
    outer = _el(revision, "listChange")
    _el(outer, "desc", f"{len(rows)} proposed correction(s) in {len(keys)} record(s).")
    count = 0
    for n, key in enumerate(keys, 1):
        group = _el(outer, "listChange", corresp=f"#record-{n}")
        _el(group, "desc", key)
        for row in (r for r in rows if r["key"] == key):
            count += 1
            report = row["report"]
            if base is not None:
                report = os.path.relpath(report, base)
            target = f"{Path(report).as_posix()}#{row['pointer']}" if row["pointer"] else None
            change = _el(
                group,
                "change",
                xml_id=f"change-{count}",
                n=row["category"],
                status="proposed",
                target=target,
            )
            label = _el(change, "label", row["location"] or row["side"])
            label.set("type", row["side"])
            lang = "ar" if _has_arabic(row["current"] + row["proposed"]) else None
            choice = _el(change, "choice", xml_lang=lang)
            _el(choice, "sic", row["current"])
            _el(choice, "corr", row["proposed"], cert=row["confidence"] or None)
            _el(change, "note", row["message"], type="message")
            if row["evidence"]:
                note = _el(change, "note", type="evidence")
                _el(
                    note,
                    "quote",
                    row["evidence"],
                    xml_lang="ar" if _has_arabic(row["evidence"]) else "en",
                )
    if count == 0:
        _el(outer, "change", "No corrections.")
    body = _el(_el(root, "text"), "body")
    _el(body, "p", f"Correction list: {count} change(s); see the revision description.")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _has_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in text)
