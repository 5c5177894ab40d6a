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
from aligner.report.xmlwrite import Element, TreeWriter, Writer, XmlSink, escape_attr

__all__ = ["TEI_NS", "build_tei", "to_tei"]

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SIDES: tuple[str, str] = ("source", "target")

#: characters XML 1.0 forbids; replaced one-for-one by U+FFFD so spans stay valid
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NCNAME = re.compile(r"^[^\W\d][\w.\-]*$")
_NOT_NAME_CHAR = re.compile(r"[^\w.\-]")
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
    writer = Writer()
    _write_tei(writer, bitext)
    return writer.getvalue()


def build_tei(bitext: Bitext) -> Element:
    """The report as an element tree (see :mod:`aligner.report.xmlwrite`); ``to_tei``
    writes the same document without building it."""
    tree = TreeWriter()
    _write_tei(tree, bitext)
    assert tree.root is not None
    return tree.root


def _write_tei(w: XmlSink, bitext: Bitext) -> None:
    _check_ids(bitext)
    w.start("TEI", f' xmlns="{TEI_NS}" xml:lang="en"')
    _header(w, bitext)
    w.start("text")
    w.start("group")
    for side in SIDES:
        _side_text(w, bitext.side(side), side)
    w.end()
    w.end()
    _stand_off(w, bitext)
    w.end()


# --- building blocks -------------------------------------------------------------


def _clean(text: str) -> str:
    if text.isprintable():  # no control, surrogate or non-character: nothing to replace
        return text
    return _NOT_XML_CHAR.sub("\ufffd", text)


def _value(value: str) -> str:
    """An attribute value from input, cleaned (:func:`_clean`) and escaped."""
    if value.isprintable() and not ('"' in value or "&" in value or "<" in value or ">" in value):
        return value  # the common case: isprintable already rules out tab and newlines
    return escape_attr(_NOT_XML_CHAR.sub("\ufffd", value))


def _attrs(**attrs: Any) -> str:
    """Rendered attributes; one set to None is left out, values pass :func:`_value`."""
    return "".join(
        f' {key}="{_value(value if type(value) is str else str(value))}"'
        for key, value in attrs.items()
        if value is not None
    )


def _token(value: str) -> str:
    """A value usable where TEI wants a token without spaces (@type, @subtype)."""
    if value.isprintable() and " " not in value and value:
        return value  # no space or control character: nothing to strip or replace
    return _TOKEN_SPACE.sub("-", value.strip()) or "unknown"


def _number(value: float | int) -> str:
    """An xsd:double literal (NaN/INF spelled the XML Schema way)."""
    if type(value) is float and value - value == 0:  # finite: the common case
        return repr(value)
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


def _header(w: XmlSink, bitext: Bitext) -> None:
    w.start("teiHeader")
    w.start("fileDesc")
    w.start("titleStmt")
    w.leaf("title", ' type="main"', _clean(_report_title(bitext)))
    w.leaf("title", ' type="sub"', _clean(f"{bitext.target.path} ← {bitext.source.path}"))
    w.end()
    w.start("publicationStmt")
    w.leaf(
        "p",
        "",
        _clean(
            f"Report generated by aligner {__version__}; not a publication. Findings are "
            "machine suggestions for an editor to review."
        ),
    )
    w.end()
    notes = [(side, r) for side in SIDES for r in bitext.side(side).removed]
    if notes or bitext.notes:
        w.start("notesStmt")
        for side, removal in notes:
            attrs = _attrs(
                type="removed",
                subtype=_token(removal.kind),
                target=f"#bibl-{side}",
                **{"xml:lang": bitext.side(side).lang},
            )
            w.leaf("note", attrs, _clean(removal.text))
        for diagnosis in bitext.notes:
            w.leaf("note", ' type="diagnosis"', _clean(diagnosis))
        w.end()
    w.start("sourceDesc")
    w.start("listBibl")
    for side in SIDES:
        _bibl(w, bitext.side(side), side)
    w.end()
    w.end()
    w.end()  # fileDesc
    _encoding_desc(w, bitext)
    w.end()


def _bibl(w: XmlSink, doc: Document, side: str) -> None:
    w.start("bibl", _attrs(type=side, **{"xml:id": f"bibl-{side}"}))
    if doc.title:
        w.leaf("title", _attrs(**{"xml:lang": doc.lang}), _clean(doc.title))
    w.leaf("idno", ' type="path"', _clean(doc.path))
    w.leaf("textLang", _attrs(mainLang=doc.lang), _clean(_language_name(doc.lang)))
    w.leaf("note", ' type="reader"', _clean(doc.fmt))
    if doc.metadata is not None:
        _record_metadata(w, doc.metadata, side)
    w.end()


def metadata_anchor(side: str, field: str) -> str:
    """xml:id of the bibl element showing one RecordMetadata attribute (for evidence)."""
    return f"bibl-{side}-{field.replace('_', '-')}"


def _record_metadata(w: XmlSink, meta: RecordMetadata, side: str) -> None:
    if meta.title:
        attrs = _attrs(type="record", **{"xml:id": metadata_anchor(side, "title")})
        w.leaf("title", attrs, _clean(meta.title))
    if meta.code:
        attrs = _attrs(type="archive", **{"xml:id": metadata_anchor(side, "code")})
        w.leaf("idno", attrs, _clean(meta.code))
    if meta.release_date:
        attrs = _attrs(
            type="release",
            when=_iso_date(meta.release_date),
            **{"xml:id": metadata_anchor(side, "release_date")},
        )
        w.leaf("date", attrs, _clean(meta.release_date))
    for attr, note_type in _METADATA_NOTES:
        value = getattr(meta, attr)
        if not value:
            continue
        attrs = _attrs(type=note_type, **{"xml:id": metadata_anchor(side, attr)})
        if isinstance(value, str):
            w.leaf("note", attrs, _clean(value))
            continue
        w.start("note", attrs)
        w.start("list")
        for v in value:
            if attr == "related_persons":
                w.start("item")
                w.leaf("persName", "", _clean(v))
                w.end()
            elif attr == "target_countries":
                w.start("item")
                w.leaf("placeName", "", _clean(v))
                w.end()
            else:
                w.leaf("item", "", _clean(v))
        w.end()
        w.end()
    if meta.fields:
        w.start("note", _attrs(type="record-fields", **{"xml:id": f"bibl-{side}-fields"}))
        w.start("list", ' type="gloss"')
        for label, values in sorted(meta.fields.items()):
            for v in values or [""]:
                w.leaf("label", "", _clean(label))
                w.leaf("item", "", _clean(v))
        w.end()
        w.end()


def _encoding_desc(w: XmlSink, bitext: Bitext) -> None:
    w.start("encodingDesc")
    w.start("appInfo")
    match = _APP_VERSION.match(__version__)
    w.start("application", _attrs(ident="aligner", version=match.group(0) if match else "0"))
    w.leaf("label", "", _clean(f"aligner {__version__}"))
    signature = bitext.settings.get("signature")
    desc = str(signature) if signature else "no signature recorded"
    w.leaf("desc", ' type="signature"', _clean(desc))
    settings = {k: v for k, v in bitext.settings.items() if k != "signature"}
    if not settings:
        w.leaf("p", "", "No settings recorded.")
    else:
        w.start("p", "", "Settings:")
        w.start("list", ' type="gloss"')
        for key, value in sorted(settings.items()):
            w.leaf("label", "", _clean(key))
            w.leaf("item", "", _clean(_setting_text(value)))
        w.end()
        w.end()
    w.end()
    w.end()
    w.end()


def _setting_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ", ".join(
            ":".join(map(str, v)) if isinstance(v, list | tuple) else str(v) for v in value
        )
    return str(value)


# --- the two texts ---------------------------------------------------------------


def _side_text(w: XmlSink, doc: Document, side: str) -> None:
    w.start("text", _attrs(type=side, **{"xml:id": f"text-{side}", "xml:lang": doc.lang}))
    w.start("body")
    w.start("div", ' type="document"')
    by_paragraph: dict[int, list[Segment]] = {}
    for seg in doc.segments:
        by_paragraph.setdefault(seg.paragraph, []).append(seg)
    count = max([len(doc.paragraphs), *(p + 1 for p in by_paragraph)])
    for index in range(count):
        para = doc.paragraphs[index] if index < len(doc.paragraphs) else None
        segs = by_paragraph.get(index, [])
        if para is None and not segs:
            continue
        _paragraph(w, f' n="{index + 1}"', para, segs)
    if count == 0:
        w.leaf("p")
    w.end()
    w.end()
    w.end()


def _paragraph(w: XmlSink, attrs: str, para: str | None, segs: list[Segment]) -> None:
    """Sentences in their paragraph; text between them kept when the spans are exact."""
    if not segs:
        w.leaf("p", attrs, _clean(para or ""))
        return
    leaf, text = w.leaf, w.text
    if para is None or not _spans_exact(para, segs):
        # text, even empty, keeps the pretty-printer from indenting inside the paragraph
        w.start("p", attrs, "")
        for number, seg in enumerate(segs):
            if number:
                text(" ")
            leaf("s", f' xml:id="{_value(seg.id)}"', _clean(seg.text))
        w.end()
        return
    w.start("p", attrs, _clean(para[: segs[0].start]))
    cursor = -1
    for seg in segs:
        if cursor >= 0 and cursor < seg.start:
            text(_clean(para[cursor : seg.start]))
        leaf("s", f' xml:id="{_value(seg.id)}"', _clean(seg.text))
        cursor = seg.end
    if cursor < len(para):
        text(_clean(para[cursor:]))
    w.end()


def _spans_exact(para: str, segs: list[Segment]) -> bool:
    cursor = 0
    for seg in segs:
        if not cursor <= seg.start < seg.end <= len(para) or para[seg.start : seg.end] != seg.text:
            return False
        cursor = seg.end
    return True


# --- stand-off annotation --------------------------------------------------------


def _stand_off(w: XmlSink, bitext: Bitext) -> None:
    w.start("standOff")
    w.start("interpGrp", ' type="severity"')
    for severity in Severity:
        w.leaf("interp", f' xml:id="severity-{severity}"', str(severity))
    w.end()
    if bitext.alignments:
        _alignment(w, bitext)
        _word_alignment(w, bitext)
    w.start("listAnnotation", ' type="findings"')
    _summary_note(w, bitext)
    for number, finding in enumerate(bitext.findings, start=1):
        _finding(w, bitext, finding, f"finding-{number}")
    w.end()
    w.end()


def _alignment(w: XmlSink, bitext: Bitext) -> None:
    w.start("linkGrp", ' type="alignment"')
    w.leaf("desc", "", BEADS_EXPLAINED)
    leaf = w.leaf
    source, target = bitext.source, bitext.target
    # "#id" by sentence index: a missing index (out of range, negative) is a KeyError,
    # reported by segment_ids as before
    src_refs = {i: "#" + seg.id for i, seg in enumerate(source.segments)}
    tgt_refs = {i: "#" + seg.id for i, seg in enumerate(target.segments)}
    for number, bead in enumerate(bitext.alignments, start=1):
        try:
            refs = [src_refs[i] for i in bead.src] or ["#text-source"]
            refs += [tgt_refs[i] for i in bead.tgt] or ["#text-target"]
        except KeyError:
            segment_ids(source, bead.src)
            segment_ids(target, bead.tgt)
            raise
        if not bead.src and not bead.tgt:
            raise AlignerError(f"alignment bead {number} is empty (0-0)", source.path)
        leaf(
            "link",
            f' type="{bead.kind}" target="{_value(" ".join(refs))}" ana="#bead-{number}-scores"'
            f' xml:id="bead-{number}"',
        )
    w.end()
    w.start("fvLib", ' n="bead-scores"')
    start, end, single = w.start, w.end, w.single
    for number, bead in enumerate(bitext.alignments, start=1):
        start("fs", f' type="bead" xml:id="bead-{number}-scores"')
        single("f", ' name="score"', "numeric", f' value="{_number(round(bead.score, 6))}"')
        if bead.chrf is not None:
            single("f", ' name="chrf"', "numeric", f' value="{_number(round(bead.chrf, 4))}"')
        end()
    w.end()


WORDS_EXPLAINED = (
    "Word alignment, one linkGrp per word-aligned bead (@corresp points to the bead's "
    "link). Each link joins a source word and a target word, each a "
    "string-range(sentence-id, offset, length) pointer into its sentence. Links with "
    "@subtype 'weak' are fillers the matching made between leftover words (neither word's "
    "best match, similarity below the threshold): they do not count as translations when "
    "omissions are judged (see docs/word-alignment.md)."
)


def _word_alignment(w: XmlSink, bitext: Bitext) -> None:
    """``<linkGrp type="word-alignment">`` per word-aligned bead: word links as span pointers.

    Every bead is given (Rome report: 52 KB without, 184 KB with 1,388 word links); beads too long
    to align or without links are left out.
    """
    from aligner.wordalign.omission import strong_links

    first = True
    for wl in bitext.word_alignments:
        if wl.skipped or not wl.links or not 0 <= wl.alignment < len(bitext.alignments):
            continue
        w.start("linkGrp", f' type="word-alignment" corresp="#bead-{wl.alignment + 1}"')
        if first:
            w.leaf("desc", "", WORDS_EXPLAINED)
            first = False
        strong = set(strong_links(wl))
        for i, j in wl.links:
            s, t = wl.src[i], wl.tgt[j]
            target = _value(
                _span_pointer(s.segment_id, (s.start, s.end))
                + " "
                + _span_pointer(t.segment_id, (t.start, t.end))
            )
            weak = "" if (i, j) in strong else ' subtype="weak"'
            w.leaf("link", f' type="word"{weak} target="{target}"')
        w.end()


def _summary_note(w: XmlSink, bitext: Bitext) -> None:
    summary = summarize(bitext)
    w.start("note", ' type="summary"')
    by_severity = summary["by_severity"]
    counts = ", ".join(f"{by_severity[str(s)]} {s}" for s in sorted(Severity, reverse=True))
    total = summary["findings"]
    w.leaf("p", "", _clean(f"{total} finding{'' if total == 1 else 's'} ({counts})."))
    _feature_structure(w, "summary", summary, symbols=frozenset({"max_severity"}))
    w.end()


_FINDING_SYMBOLS = frozenset({"category", "severity", "check"})


def _finding(w: XmlSink, bitext: Bitext, f: Finding, finding_id: str) -> None:
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
    target = f' target="{_value(_ref(*targets))}"' if targets else ""
    w.start(
        "note",
        f' type="finding" subtype="{_value(_token(f.category))}"{target}'
        f' ana="{_value(f"#severity-{f.severity}")}" xml:id="{_value(finding_id)}"',
    )
    w.leaf("p", "", _clean(f.message))
    values = {
        "category": f.category,
        "severity": str(f.severity),
        "confidence": f.confidence,
        "check": f.check,
    }
    _feature_structure(w, "finding", values, symbols=_FINDING_SYMBOLS)
    for slot, ev in evidence:
        _evidence(w, bitext, slot, ev)
    if f.correction is not None:
        lang = _side_lang(bitext, f.correction.side)
        w.start(
            "seg",
            _attrs(type="correction", subtype=_token(f.correction.side), **{"xml:lang": lang}),
        )
        w.start("choice")
        w.leaf("sic", "", _clean(f.correction.sic))
        w.leaf("corr", "", _clean(f.correction.corr))
        w.end()
        w.end()
    if f.details:
        _feature_structure(w, "details", f.details)
    w.end()


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


def _evidence(w: XmlSink, bitext: Bitext, slot: str, ev: Evidence) -> None:
    w.start("cit", f' type="{slot}" subtype="{_value(_token(ev.side))}"')
    if ev.segment_id is not None:
        side = ev.side if ev.side in SIDES else slot
        w.leaf("quote", f' xml:lang="{_value(bitext.side(side).lang)}"', _clean(ev.excerpt))
        if ev.span is not None:
            span = _value(_span_pointer(ev.segment_id, ev.span))
            w.leaf("ptr", f' type="span" target="{span}"')
        w.leaf("ptr", f' type="sentence" target="#{_value(ev.segment_id)}"')
    elif ev.field:
        anchor = _metadata_target(bitext, slot, ev.field) or f"bibl-{slot}"
        w.leaf("quote", f' source="{escape_attr("#" + anchor)}"', _clean(ev.excerpt))
        w.leaf("bibl", ' type="field"', _clean(ev.field))
    else:
        w.leaf("quote", "", _clean(ev.excerpt))
    w.end()


# --- feature structures (machine-readable values) --------------------------------


def _by_key(item: tuple[Any, Any]) -> str:
    return str(item[0])


def _feature_structure(
    w: XmlSink,
    fs_type: str,
    values: dict[str, Any],
    symbols: frozenset[str] = frozenset(),
) -> None:
    """``values`` as ``<fs type>``; keys in ``symbols`` hold names from a closed set."""
    w.start("fs", f' type="{_value(_token(fs_type))}"')
    for key, value in sorted(values.items(), key=_by_key):
        if key in symbols and isinstance(value, str):
            w.single("f", _feature_attrs(str(key)), "symbol", f' value="{_value(value)}"')
        else:
            _feature(w, str(key), value)
    w.end()


def _feature(w: XmlSink, key: str, value: Any) -> None:
    leaf = _scalar(value)
    if leaf is not None:  # most features: one call
        w.single("f", _feature_attrs(key), *leaf)
    else:
        w.start("f", _feature_attrs(key))
        _collection(w, value)
        w.end()


@lru_cache(maxsize=1024)
def _feature_attrs(key: str) -> str:
    """An ``<f>``'s attributes: @name must be an XML Name, so other keys are escaped and
    kept in @n. Cached: the keys are the code's own, and few."""
    if _NCNAME.match(key):
        return f' name="{escape_attr(key)}"'
    name = "_" + _NOT_NAME_CHAR.sub("_", key)
    return f' name="{name}" n="{_value(key)}"'


_NULL = ("symbol", ' value="null"', None)
_TRUE = ("binary", ' value="true"', None)
_FALSE = ("binary", ' value="false"', None)


def _scalar(value: Any) -> tuple[str, str, str | None] | None:
    """A value written as one element: (tag, attributes, text); None for collections."""
    kind = type(value)
    if kind is str:
        return "string", "", _clean(value)
    if kind is float or kind is int:
        return "numeric", f' value="{_number(value)}"', None
    if isinstance(value, Severity):
        return "symbol", f' value="{value}"', None
    if value is None:
        return _NULL
    if isinstance(value, bool):
        return _TRUE if value else _FALSE
    if isinstance(value, int | float):
        return "numeric", f' value="{_number(value)}"', None
    if isinstance(value, dict | list | tuple | set | frozenset):
        return None
    return "string", "", _clean(str(value))


def _feature_value(w: XmlSink, value: Any) -> None:
    leaf = _scalar(value)
    if leaf is not None:
        w.leaf(*leaf)
    else:
        _collection(w, value)


def _collection(w: XmlSink, value: dict[Any, Any] | list[Any] | tuple[Any, ...] | set[Any]) -> None:
    if isinstance(value, dict):
        w.start("fs")
        for key, v in sorted(value.items(), key=_by_key):
            _feature(w, str(key), v)
        w.end()
    else:
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        w.start("vColl", ' org="list"')
        for item in items:
            _feature_value(w, item)
        w.end()
