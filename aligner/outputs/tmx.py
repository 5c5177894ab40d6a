"""TMX 1.4 export of the sentence alignment, for translators' translation memories.

One ``<tu>`` per bead with text on both sides (1-1, and n-m beads with their
sentences joined by a space); omissions and additions (1-0, 0-1) are not translation
units and are left out. The header says what TMX 1.4 requires (creationtool,
creationtoolversion, segtype="sentence", o-tmf, adminlang, srclang, datatype); no
creationdate unless asked, so the export is byte-identical for identical reports.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from lxml import etree

from aligner import __version__
from aligner.model import AlignerError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TMX_DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
O_TMF = "aligner-json"


def tmx_date(moment: datetime) -> str:
    """TMX's date form: ISO 8601 basic format in UTC, ``YYYYMMDDThhmmssZ``."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def to_tmx(
    report: dict[str, Any],
    *,
    adminlang: str = "en",
    creationdate: datetime | None = None,
    path: str | None = None,
) -> bytes:
    """The TMX 1.4 document for one JSON report (``path`` names it in errors)."""
    try:
        source, target = report["source"], report["target"]
        texts = {
            "source": {s["id"]: s["text"] for s in source["segments"]},
            "target": {s["id"]: s["text"] for s in target["segments"]},
        }
        beads = report["alignment"]
    except (KeyError, TypeError) as exc:
        raise AlignerError(f"report lacks the alignment or segments ({exc})", path) from exc
    if source["lang"] == target["lang"]:
        raise AlignerError(
            f"both sides are {source['lang']!r}: TMX pairs two languages", path or source["path"]
        )
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root,
        "header",
        creationtool="aligner",
        creationtoolversion=__version__,
        segtype="sentence",
        datatype="plaintext",
        adminlang=adminlang,
        srclang=source["lang"],
    )
    header.set("o-tmf", O_TMF)
    if creationdate is not None:
        header.set("creationdate", tmx_date(creationdate))
    for side in ("source", "target"):
        doc = report[side]
        prop = etree.SubElement(header, "prop", type=f"x-{side}-path")
        prop.text = str(doc["path"])
    body = etree.SubElement(root, "body")
    for n, bead in enumerate(beads, 1):
        if not bead["src"] or not bead["tgt"]:
            continue
        try:
            src = " ".join(texts["source"][i] for i in bead["src"])
            tgt = " ".join(texts["target"][i] for i in bead["tgt"])
        except KeyError as exc:
            raise AlignerError(f"alignment bead {n} names unknown sentence {exc}", path) from exc
        tu = etree.SubElement(body, "tu", tuid=f"bead-{n}")
        etree.SubElement(tu, "prop", type="x-bead").text = bead["type"]
        etree.SubElement(tu, "prop", type="x-sentences").text = " ".join(
            [*bead["src"], *bead["tgt"]]
        )
        for lang, text in ((source["lang"], src), (target["lang"], tgt)):
            tuv = etree.SubElement(tu, "tuv")
            tuv.set(XML_LANG, lang)
            etree.SubElement(tuv, "seg").text = text
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=TMX_DOCTYPE
    )
