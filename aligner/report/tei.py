"""The TEI P5 report: both texts sentence by sentence, the alignment, and the findings.

One self-contained document an editor or archivist can open, validate against
tei_all.rng (TEI 4.3.0) and cite: every sentence is an ``<s xml:id>``, every bead
a ``<link>``, every finding a ``<note type="finding">`` pointing at sentences and
character spans. Layout (see docs/report-format.md)::

    TEI
      teiHeader   title, sources (listBibl), removed boilerplate, diagnoses, signature
      text/group  <text xml:id="text-source"> and <text xml:id="text-target">
      standOff    severities (interpGrp), alignment (linkGrp + fvLib of scores),
                  findings (listAnnotation of notes)

Output is byte-identical for identical input: no timestamps, input order kept,
ids derived from positions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError

from aligner import __version__
from aligner.model import (
    AlignerError,
    Bitext,
    Document,
    Evidence,
    Finding,
    RecordMetadata,
    Segment,
    Severity,
)
from aligner.report import segment_ids, summarize
from aligner.report.xmlwrite import Element, tostring

__all__ = ["TEI_NS", "build_tei", "to_tei"]

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SIDES: tuple[str, str] = ("source", "target")

#: characters XML 1.0 forbids; replaced one-for-one by U+FFFD so spans stay valid
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NCNAME = re.compile(r"^[^\W\d][\w.\-]*$")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_TOKEN_SPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
#: <application @version> accepts only this shape (TEI teidata.versionNumber)
_APP_VERSION = re.compile(r"\d+[a-z]*\d*(\.\d+[a-z]*\d*){0,3}")
#: release dates as archives write them: 2021/05/28, 2021-05-28, 28/05/2021, 28.05.2021
_YMD = re.compile(r"^\s*(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
#: RecordMetadata attributes shown in the bibl, in output order, with their TEI @type
_METADATA_NOTES: tuple[tuple[str, str], ...] = (
    ("document_type", "document-type"),
    ("languages", "languages"),
    ("target_countries", "target-countries"),
    ("related_persons", "related-persons"),
)

BEADS_EXPLAINED = (
    "One link per alignment bead, in document order: the source sentences, then the "
    "target sentences. A 1-0 bead (sentence omitted in the translation) points to its "
    "source sentences and to the target <text>; a 0-1 bead (sentence added) points to "
    "the source <text> and its target sentences. @type is the bead type "
    "(source-count-target-count); @ana points to the bead's scores in the fvLib "
    "'bead-scores' (aligner similarity, and chrF when both sides share a language)."
)


def to_tei(bitext: Bitext) -> bytes:
    """Serialise ``bitext`` as a complete, pretty-printed TEI P5 document (UTF-8)."""
    return tostring(build_tei(bitext))


def build_tei(bitext: Bitext) -> Element:
    """The report's element tree (see :mod:`aligner.report.xmlwrite`)."""
    _check_ids(bitext)
    root = _el(None, "TEI", **{"xml:lang": "en"})
    _header(root, bitext)
    text = _el(root, "text")
    group = _el(text, "group")
    for side in SIDES:
        _side_text(group, bitext.side(side), side)
    _stand_off(root, bitext)
    return root


# --- building blocks -------------------------------------------------------------


def _clean(text: str) -> str:
    if text.isprintable():  # no control, surrogate or non-character: nothing to replace
        return text
    return _NOT_XML_CHAR.sub("\ufffd", text)


def _el(parent: Element | None, tag: str, text: str | None = None, **attrs: Any) -> Element:
    """A TEI element (the root declares the TEI namespace); an attribute set to None is
    left out, values pass :func:`_clean`. Hot: a report has thousands of elements, so the
    keyword dictionary itself becomes the attributes when it needs no change."""
    for value in attrs.values():
        if type(value) is not str or not value.isprintable():
            attrs = {
                key: _clean(value if type(value) is str else str(value))
                for key, value in attrs.items()
                if value is not None
            }
            break
    if parent is None:
        el = Element(tag, attrs, namespace=TEI_NS)
    else:
        el = Element(tag, attrs)
        parent.children.append(el)
    if text is not None:
        el.text = text if text.isprintable() else _clean(text)
    return el


def _token(value: str) -> str:
    """A value usable where TEI wants a token without spaces (@type, @subtype)."""
    return _TOKEN_SPACE.sub("-", value.strip()) or "unknown"


def _number(value: float | int) -> str:
    """An xsd:double literal (NaN/INF spelled the XML Schema way)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return repr(float(value))


def _ref(*ids: str) -> str:
    return " ".join(f"#{i}" for i in ids)


def _span_pointer(segment_id: str, span: tuple[int, int]) -> str:
    """TEI string-range(id, offset, length): offsets in characters of the sentence."""
    start, end = span
    return f"#string-range({segment_id},{start},{max(end - start, 0)})"


def _check_ids(bitext: Bitext) -> None:
    """Sentence ids become xml:ids: they must be NCNames and unique in the document."""
    seen: dict[str, str] = {}
    reserved = {f"text-{s}" for s in SIDES} | {f"bibl-{s}" for s in SIDES}
    for side in SIDES:
        doc = bitext.side(side)
        if not _LANG.match(doc.lang):
            raise AlignerError(f"language code {doc.lang!r} is not a valid xml:lang", doc.path)
        for seg in doc.segments:
            if not _NCNAME.match(seg.id):
                raise AlignerError(f"sentence id {seg.id!r} is not a valid xml:id", doc.path)
            if seg.id in seen or seg.id in reserved:
                raise AlignerError(
                    f"sentence id {seg.id!r} is used twice (also in {seen.get(seg.id, 'report')})",
                    doc.path,
                )
            seen[seg.id] = doc.path


def _language_name(lang: str) -> str:
    """English name of a language from CLDR (babel), e.g. ar → Arabic."""
    try:
        return Locale.parse(lang.replace("-", "_")).english_name or lang
    except (UnknownLocaleError, ValueError):
        return lang


def _iso_date(raw: str) -> str | None:
    """ISO form of an archive release date for @when; None when it is not a real date."""
    digits = "".join(str(int(c)) if c.isdigit() else c for c in raw)
    match = _YMD.match(digits)
    if match:
        y, m, d = (int(g) for g in match.groups())
    else:
        match = _DMY.match(digits)
        if not match:
            return None
        d, m, y = (int(g) for g in match.groups())
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


# --- header ----------------------------------------------------------------------


def _doc_label(doc: Document) -> str:
    return doc.title or (doc.metadata.title if doc.metadata and doc.metadata.title else doc.path)


def _report_title(bitext: Bitext) -> str:
    if bitext.source.path == bitext.target.path:  # one file holding both languages
        return f"Translation check of {_doc_label(bitext.target)} ({bitext.target.path})"
    return f"Translation check of {_doc_label(bitext.target)} against {_doc_label(bitext.source)}"


def _header(root: Element, bitext: Bitext) -> None:
    header = _el(root, "teiHeader")
    file_desc = _el(header, "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    _el(
        title_stmt,
        "title",
        _report_title(bitext),
        type="main",
    )
    _el(title_stmt, "title", f"{bitext.target.path} ← {bitext.source.path}", type="sub")
    pub = _el(file_desc, "publicationStmt")
    _el(
        pub,
        "p",
        f"Report generated by aligner {__version__}; not a publication. Findings are "
        "machine suggestions for an editor to review.",
    )
    notes = [(side, r) for side in SIDES for r in bitext.side(side).removed]
    if notes or bitext.notes:
        notes_stmt = _el(file_desc, "notesStmt")
        for side, removal in notes:
            _el(
                notes_stmt,
                "note",
                removal.text,
                type="removed",
                subtype=_token(removal.kind),
                target=f"#bibl-{side}",
                **{"xml:lang": bitext.side(side).lang},
            )
        for diagnosis in bitext.notes:
            _el(notes_stmt, "note", diagnosis, type="diagnosis")
    source_desc = _el(file_desc, "sourceDesc")
    list_bibl = _el(source_desc, "listBibl")
    for side in SIDES:
        _bibl(list_bibl, bitext.side(side), side)
    _encoding_desc(header, bitext)


def _bibl(parent: Element, doc: Document, side: str) -> None:
    bibl = _el(parent, "bibl", type=side, **{"xml:id": f"bibl-{side}"})
    if doc.title:
        _el(bibl, "title", doc.title, **{"xml:lang": doc.lang})
    _el(bibl, "idno", doc.path, type="path")
    _el(bibl, "textLang", _language_name(doc.lang), mainLang=doc.lang)
    _el(bibl, "note", doc.fmt, type="reader")
    if doc.metadata is not None:
        _record_metadata(bibl, doc.metadata, side)


def metadata_anchor(side: str, field: str) -> str:
    """xml:id of the bibl element showing one RecordMetadata attribute (for evidence)."""
    return f"bibl-{side}-{field.replace('_', '-')}"


def _record_metadata(bibl: Element, meta: RecordMetadata, side: str) -> None:
    if meta.title:
        _el(bibl, "title", meta.title, type="record", **{"xml:id": metadata_anchor(side, "title")})
    if meta.code:
        _el(bibl, "idno", meta.code, type="archive", **{"xml:id": metadata_anchor(side, "code")})
    if meta.release_date:
        _el(
            bibl,
            "date",
            meta.release_date,
            type="release",
            when=_iso_date(meta.release_date),
            **{"xml:id": metadata_anchor(side, "release_date")},
        )
    for attr, note_type in _METADATA_NOTES:
        value = getattr(meta, attr)
        if not value:
            continue
        note = _el(bibl, "note", type=note_type, **{"xml:id": metadata_anchor(side, attr)})
        if isinstance(value, str):
            note.text = _clean(value)
            continue
        items = _el(note, "list")
        for v in value:
            item = _el(items, "item")
            if attr == "related_persons":
                _el(item, "persName", v)
            elif attr == "target_countries":
                _el(item, "placeName", v)
            else:
                item.text = _clean(v)
    if meta.fields:
        note = _el(bibl, "note", type="record-fields", **{"xml:id": f"bibl-{side}-fields"})
        gloss = _el(note, "list", type="gloss")
        for label, values in sorted(meta.fields.items()):
            for v in values or [""]:
                _el(gloss, "label", label)
                _el(gloss, "item", v)


def _encoding_desc(header: Element, bitext: Bitext) -> None:
    encoding = _el(header, "encodingDesc")
    app_info = _el(encoding, "appInfo")
    match = _APP_VERSION.match(__version__)
    app = _el(app_info, "application", ident="aligner", version=match.group(0) if match else "0")
    _el(app, "label", f"aligner {__version__}")
    signature = bitext.settings.get("signature")
    _el(app, "desc", str(signature) if signature else "no signature recorded", type="signature")
    para = _el(app, "p")
    settings = {k: v for k, v in bitext.settings.items() if k != "signature"}
    if not settings:
        para.text = "No settings recorded."
        return
    para.text = "Settings:"
    gloss = _el(para, "list", type="gloss")
    for key, value in sorted(settings.items()):
        _el(gloss, "label", key)
        _el(gloss, "item", _setting_text(value))


def _setting_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ", ".join(
            ":".join(map(str, v)) if isinstance(v, list | tuple) else str(v) for v in value
        )
    return str(value)


# --- the two texts ---------------------------------------------------------------


def _side_text(group: Element, doc: Document, side: str) -> None:
    text = _el(group, "text", type=side, **{"xml:id": f"text-{side}", "xml:lang": doc.lang})
    body = _el(text, "body")
    div = _el(body, "div", type="document")
    by_paragraph: dict[int, list[Segment]] = {}
    for seg in doc.segments:
        by_paragraph.setdefault(seg.paragraph, []).append(seg)
    count = max([len(doc.paragraphs), *(p + 1 for p in by_paragraph)])
    for index in range(count):
        para = doc.paragraphs[index] if index < len(doc.paragraphs) else None
        segs = by_paragraph.get(index, [])
        if para is None and not segs:
            continue
        _paragraph(_el(div, "p", n=index + 1), para, segs)
    if count == 0:
        _el(div, "p")


def _paragraph(p: Element, para: str | None, segs: list[Segment]) -> None:
    """Sentences in their paragraph; text between them kept when the spans are exact."""
    if not segs:
        p.text = _clean(para or "")
        return
    exact = para is not None and _spans_exact(para, segs)
    # an empty text node keeps the pretty-printer from indenting inside the paragraph
    p.text = _clean(para[: segs[0].start]) if exact and para is not None else ""
    previous: Element | None = None
    cursor = 0
    for seg in segs:
        if previous is not None:
            gap = para[cursor : seg.start] if exact and para is not None else " "
            previous.tail = _clean(gap) or None
        previous = _el(p, "s", seg.text, **{"xml:id": seg.id})
        cursor = seg.end
    if exact and para is not None and previous is not None:
        previous.tail = _clean(para[cursor:]) or None


def _spans_exact(para: str, segs: list[Segment]) -> bool:
    cursor = 0
    for seg in segs:
        if not cursor <= seg.start < seg.end <= len(para) or para[seg.start : seg.end] != seg.text:
            return False
        cursor = seg.end
    return True


# --- stand-off annotation --------------------------------------------------------


def _stand_off(root: Element, bitext: Bitext) -> None:
    stand_off = _el(root, "standOff")
    severities = _el(stand_off, "interpGrp", type="severity")
    for severity in Severity:
        _el(severities, "interp", str(severity), **{"xml:id": f"severity-{severity}"})
    if bitext.alignments:
        _alignment(stand_off, bitext)
    for group in _word_alignment(bitext):
        stand_off.append(group)
    findings = _el(stand_off, "listAnnotation", type="findings")
    _summary_note(findings, bitext)
    for number, finding in enumerate(bitext.findings, start=1):
        _finding(findings, bitext, finding, f"finding-{number}")


def _alignment(stand_off: Element, bitext: Bitext) -> None:
    links = _el(stand_off, "linkGrp", type="alignment")
    _el(links, "desc", BEADS_EXPLAINED)
    scores = Element("fvLib", {"n": "bead-scores"})
    for number, bead in enumerate(bitext.alignments, start=1):
        src = segment_ids(bitext.source, bead.src) or ["text-source"]
        tgt = segment_ids(bitext.target, bead.tgt) or ["text-target"]
        if not bead.src and not bead.tgt:
            raise AlignerError(f"alignment bead {number} is empty (0-0)", bitext.source.path)
        bead_id = f"bead-{number}"
        _el(
            links,
            "link",
            type=bead.kind,
            target=_ref(*src, *tgt),
            ana=f"#{bead_id}-scores",
            **{"xml:id": bead_id},
        )
        fs = _el(scores, "fs", type="bead", **{"xml:id": f"{bead_id}-scores"})
        _el(_el(fs, "f", name="score"), "numeric", value=_number(round(bead.score, 6)))
        if bead.chrf is not None:
            _el(_el(fs, "f", name="chrf"), "numeric", value=_number(round(bead.chrf, 4)))
    stand_off.append(scores)


WORDS_EXPLAINED = (
    "Word alignment, one linkGrp per word-aligned bead (@corresp points to the bead's "
    "link). Each link joins a source word and a target word, each a "
    "string-range(sentence-id, offset, length) pointer into its sentence. Links with "
    "@subtype 'weak' are fillers the matching made between leftover words (neither word's "
    "best match, similarity below the threshold): they do not count as translations when "
    "omissions are judged (see docs/word-alignment.md)."
)


def _word_alignment(bitext: Bitext) -> Iterable[Element]:
    """``<linkGrp type="word-alignment">`` per word-aligned bead: word links as span pointers.

    Every bead is given (Rome report: 52 KB without, 184 KB with 1,388 word links); beads too long
    to align or without links are left out.
    """
    from aligner.wordalign.omission import strong_links

    groups: list[Element] = []
    if not bitext.alignments:
        return groups
    for wl in bitext.word_alignments:
        if wl.skipped or not wl.links or not 0 <= wl.alignment < len(bitext.alignments):
            continue
        group = Element(
            "linkGrp", {"type": "word-alignment", "corresp": f"#bead-{wl.alignment + 1}"}
        )
        if not groups:
            _el(group, "desc", WORDS_EXPLAINED)
        strong = set(strong_links(wl))
        for i, j in wl.links:
            s, t = wl.src[i], wl.tgt[j]
            _el(
                group,
                "link",
                type="word",
                subtype=None if (i, j) in strong else "weak",
                target=" ".join(
                    (
                        _span_pointer(s.segment_id, (s.start, s.end)),
                        _span_pointer(t.segment_id, (t.start, t.end)),
                    )
                ),
            )
        groups.append(group)
    return groups


def _summary_note(parent: Element, bitext: Bitext) -> None:
    summary = summarize(bitext)
    note = _el(parent, "note", type="summary")
    by_severity = summary["by_severity"]
    counts = ", ".join(f"{by_severity[str(s)]} {s}" for s in sorted(Severity, reverse=True))
    total = summary["findings"]
    _el(note, "p", f"{total} finding{'' if total == 1 else 's'} ({counts}).")
    _feature_structure(note, "summary", summary, symbols=frozenset({"max_severity"}))


def _finding(parent: Element, bitext: Bitext, f: Finding, finding_id: str) -> None:
    evidence = [(slot, ev) for slot, ev in (("source", f.source), ("target", f.target)) if ev]
    sentence_ids = [ev.segment_id for _, ev in evidence if ev.segment_id]
    missing = [i for i in sentence_ids if not _has_segment(bitext, i)]
    if missing:
        raise AlignerError(
            f"finding {f.category!r} points to unknown sentence {missing[0]!r}",
            bitext.target.path,
        )
    targets = list(dict.fromkeys(sentence_ids))
    for slot, ev in evidence:
        if ev.segment_id is None and ev.field:
            anchor = _metadata_target(bitext, slot, ev.field)
            if anchor:
                targets.append(anchor)
    note = _el(
        parent,
        "note",
        type="finding",
        subtype=_token(f.category),
        target=_ref(*targets) if targets else None,
        ana=f"#severity-{f.severity}",
        **{"xml:id": finding_id},
    )
    _el(note, "p", f.message)
    _feature_structure(
        note,
        "finding",
        {
            "category": f.category,
            "severity": str(f.severity),
            "confidence": f.confidence,
            "check": f.check,
        },
        symbols=frozenset({"category", "severity", "check"}),
    )
    for slot, ev in evidence:
        _evidence(note, bitext, slot, ev)
    if f.correction is not None:
        lang = _side_lang(bitext, f.correction.side)
        seg = _el(
            note, "seg", type="correction", subtype=_token(f.correction.side), **{"xml:lang": lang}
        )
        choice = _el(seg, "choice")
        _el(choice, "sic", f.correction.sic)
        _el(choice, "corr", f.correction.corr)
    if f.details:
        _feature_structure(note, "details", f.details)


def _has_segment(bitext: Bitext, segment_id: str) -> bool:
    try:
        bitext.segment(segment_id)
    except KeyError:
        return False
    return True


def _side_lang(bitext: Bitext, side: str) -> str | None:
    return bitext.side(side).lang if side in SIDES else None


def _metadata_target(bitext: Bitext, slot: str, field: str) -> str | None:
    """Which bibl element shows a metadata field: the slot's document first, then the other."""
    order = (slot, "target" if slot == "source" else "source")
    for side in order:
        meta = bitext.side(side).metadata
        if meta is None:
            continue
        if getattr(meta, field, None):
            return metadata_anchor(side, field)
        if field in meta.fields:
            return f"bibl-{side}-fields"
    for side in order:
        if bitext.side(side).metadata is not None:
            return f"bibl-{side}"
    return None


def _evidence(note: Element, bitext: Bitext, slot: str, ev: Evidence) -> None:
    cit = _el(note, "cit", type=slot, subtype=_token(ev.side))
    if ev.segment_id is not None:
        side = ev.side if ev.side in SIDES else slot
        _el(cit, "quote", ev.excerpt, **{"xml:lang": bitext.side(side).lang})
        if ev.span is not None:
            _el(cit, "ptr", type="span", target=_span_pointer(ev.segment_id, ev.span))
        _el(cit, "ptr", type="sentence", target=f"#{ev.segment_id}")
        return
    quote = _el(cit, "quote", ev.excerpt)
    if ev.field:
        quote.set("source", "#" + (_metadata_target(bitext, slot, ev.field) or f"bibl-{slot}"))
        _el(cit, "bibl", ev.field, type="field")


# --- feature structures (machine-readable values) --------------------------------


def _feature_structure(
    parent: Element,
    fs_type: str,
    values: dict[str, Any],
    symbols: frozenset[str] = frozenset(),
) -> None:
    """``values`` as ``<fs type>``; keys in ``symbols`` hold names from a closed set."""
    fs = _el(parent, "fs", type=_token(fs_type))
    for key, value in sorted(values.items(), key=lambda kv: str(kv[0])):
        f = _feature(fs, str(key))
        if key in symbols and isinstance(value, str):
            _el(f, "symbol", value=value)
        else:
            _feature_value(f, value)


def _feature(fs: Element, key: str) -> Element:
    """An ``<f>``; @name must be an XML Name, so other keys are escaped and kept in @n."""
    name, escaped = _feature_name(key)
    f = Element("f", {"name": name, "n": _clean(key)} if escaped else {"name": name})
    fs.children.append(f)
    return f


@lru_cache(maxsize=1024)
def _feature_name(key: str) -> tuple[str, bool]:
    """(@name, whether it had to be escaped); the keys are the code's own, and few."""
    if _NCNAME.match(key):
        return key, False
    return "_" + re.sub(r"[^\w.\-]", "_", key), True


def _feature_value(parent: Element, value: Any) -> None:
    if isinstance(value, Severity):
        _el(parent, "symbol", value=str(value))
    elif value is None:
        _el(parent, "symbol", value="null")
    elif isinstance(value, bool):
        _el(parent, "binary", value="true" if value else "false")
    elif isinstance(value, int | float):
        parent.children.append(Element("numeric", {"value": _number(value)}))
    elif isinstance(value, dict):
        nested = _el(parent, "fs")
        for key, v in sorted(value.items(), key=lambda kv: str(kv[0])):
            _feature_value(_feature(nested, str(key)), v)
    elif isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        coll = _el(parent, "vColl", org="list")
        for item in items:
            _feature_value(coll, item)
    else:
        _el(parent, "string", str(value))
