"""CI and archive outputs on a hand-built Bitext: baseline, JUnit, SARIF, CSV/TEI, TMX."""

from __future__ import annotations

import argparse
import copy
import csv
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import TEST_DATA
from junitparser import Error, Failure, JUnitXml
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
    Segment,
    Severity,
)
from aligner.outputs import baseline as bl
from aligner.outputs.commands import add_commands
from aligner.outputs.corrections import COLUMNS, correction_rows, to_csv, to_tei_changes
from aligner.outputs.junit import to_junit
from aligner.outputs.sarif import to_sarif
from aligner.outputs.tmx import to_tmx
from aligner.report.json import to_json
from aligner.report.validate import validate_tei

EN = [
    "Nearly eight million people have been freed.",
    "The ministers met in Rome on 28 June 2021.",
    "They thanked Italy.",
]
AR = [
    "تحرّر ما يقرب من ثمانية شخص.",
    "اجتمع الوزراء في روما في 28 حزيران/يونيو 2021.",
]


def _segments(prefix: str, sentences: list[str]) -> list[Segment]:
    return [
        Segment(id=f"{prefix}-s{i + 1}", index=i, paragraph=i, text=t, start=0, end=len(t))
        for i, t in enumerate(sentences)
    ]


def _bitext(folder: Path) -> Bitext:
    src_path = folder / "rome.en.txt"
    tgt_path = folder / "rome.ar.txt"
    src_path.write_text("Title line\n" + "\n".join(EN) + "\n", encoding="utf-8")
    # the file breaks the second sentence over two lines: located anyway
    tgt_path.write_text(AR[0] + "\n" + AR[1].replace(" روما ", "\nروما ") + "\n", encoding="utf-8")
    meta = RecordMetadata(code="SMI/A200/593915", release_date="2021/05/28")
    source = Document(path=str(src_path), lang="en", paragraphs=EN, segments=_segments("en", EN))
    target = Document(
        path=str(tgt_path), lang="ar", paragraphs=AR, metadata=meta, segments=_segments("ar", AR)
    )
    scale = Finding(
        category="number.scale",
        severity=Severity.ERROR,
        confidence=0.9,
        check="number",
        message="'eight million' lost its scale word",
        source=Evidence("source", "en-s1", EN[0], (7, 20)),
        target=Evidence("target", "ar-s1", AR[0], (17, 27)),
        correction=Correction("target", "ثمانية شخص", "ثمانية ملايين شخص"),
    )
    date = Finding(
        category="metadata.date",
        severity=Severity.ERROR,
        confidence=0.9,
        check="metadata",
        message="release date 2021/05/28 disagrees with the dateline",
        source=Evidence("metadata", None, "2021/05/28", None, field="release_date"),
        target=Evidence("target", "ar-s2", AR[1], (25, 45)),
        correction=Correction("metadata", "2021/05/28", "2021/06/28"),
    )
    omitted = Finding(
        category="segment.omitted",
        severity=Severity.WARNING,
        confidence=0.7,
        check="omission",
        message="sentence not translated",
        source=Evidence("source", "en-s3", EN[2], None),
    )
    bitext = Bitext(
        source=source,
        target=target,
        alignments=[
            Alignment((0,), (0,), 0.8),
            Alignment((1,), (1,), 0.9),
            Alignment((2,), (), 0.0),
        ],
        findings=[scale, date, omitted],
    )
    bitext.settings = {"signature": "test"}
    return bitext


@pytest.fixture
def report(tmp_path: Path) -> dict[str, Any]:
    return json.loads(to_json(_bitext(tmp_path)))


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    return {
        "signature": "test",
        "documents": [
            {
                "id": "rome",
                "status": "checked",
                "inputs": [report["source"]["path"], report["target"]["path"]],
            },
            {
                "id": "broken",
                "status": "error",
                "inputs": ["broken.txt"],
                "error": "broken.txt: no text left after ingest",
            },
        ],
    }


# --- baseline -----------------------------------------------------------------------


def test_fingerprint_ignores_ids_offsets_and_spacing(report: dict[str, Any]) -> None:
    f = report["findings"][0]
    moved = copy.deepcopy(f)
    moved["target"].update(sentence_id="ar-s9", span=[30, 40], text=" ثمانية  شخص")
    moved["source"]["sentence_id"] = "en-s7"
    assert bl.fingerprint("rome", moved) == bl.fingerprint("rome", f)
    assert bl.fingerprint("other", f) != bl.fingerprint("rome", f)
    changed = copy.deepcopy(f)
    changed["target"]["text"] = "سبعة شخص"
    assert bl.fingerprint("rome", changed) != bl.fingerprint("rome", f)


def test_baseline_accepted_new_stale_and_update(report: dict[str, Any]) -> None:
    scale, date, omitted = report["findings"]
    kept = bl.make_entry("rome", scale, reason="known, archive copy is final")
    stale = {**bl.make_entry("rome", omitted), "fingerprint": "gone", "reason": "was fixed"}
    elsewhere = {**bl.make_entry("paris", scale), "reason": "other document"}
    baseline = {e["fingerprint"]: e for e in (kept, stale, elsewhere)}
    findings = [("rome", f) for f in report["findings"]]

    result = bl.compare(baseline, findings, checked=["rome"])
    assert result.accepted == [("rome", scale)]
    assert result.new == [("rome", date), ("rome", omitted)]
    assert result.stale == [stale]  # the paris entry was not checked: not stale

    entries, update = bl.update_baseline(baseline, findings, checked=["rome"])
    by_fp = {e["fingerprint"]: e for e in entries}
    assert by_fp[kept["fingerprint"]]["reason"] == "known, archive copy is final"
    assert by_fp[bl.fingerprint("rome", date)]["reason"] == ""
    assert "gone" not in by_fp and update.stale == [stale]
    assert by_fp[elsewhere["fingerprint"]]["reason"] == "other document"
    text = bl.dump_baseline(entries)
    assert json.loads(text)["findings"] == entries and "ثمانية شخص" in text


def test_baseline_file_errors(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text('{"findings": [{"fingerprint": "x"}]}', encoding="utf-8")
    with pytest.raises(AlignerError, match=r'findings\[0\] needs a "document"') as info:
        bl.load_baseline(path)
    assert info.value.path == str(path)
    with pytest.raises(AlignerError, match="does not exist"):
        bl.load_baseline(tmp_path / "absent.json")
    assert bl.load_baseline(tmp_path / "absent.json", missing_ok=True) == {}


# --- JUnit --------------------------------------------------------------------------


def test_junit_parsed_by_junitparser(tmp_path: Path, report: dict[str, Any]) -> None:
    path = tmp_path / "junit.xml"
    accepted = {bl.fingerprint("rome", report["findings"][1]): {"reason": "ok"}}
    path.write_bytes(to_junit(_summary(report), {"rome": report}, "error", accepted))
    xml = JUnitXml.fromfile(str(path))
    suite = next(iter(xml))
    cases = {c.name: c for c in suite}
    assert suite.tests == 2 and suite.failures == 1 and suite.errors == 1
    failure = cases["rome"].result[0]
    assert isinstance(failure, Failure)
    assert failure.message == "1 finding(s) at or above error"  # the date one is accepted
    assert failure.type == "number.scale"
    assert "(accepted in baseline)" in cases["rome"].system_out
    assert isinstance(cases["broken"].result[0], Error)
    never = to_junit(_summary(report), {"rome": report}, "never")
    assert next(iter(JUnitXml.fromstring(never))).failures == 0


# --- SARIF --------------------------------------------------------------------------


def test_sarif_validates_and_locates_evidence(report: dict[str, Any]) -> None:
    schema = json.loads((TEST_DATA / "sarif" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    log = json.loads(to_sarif(_summary(report), {"rome": report}))
    jsonschema.Draft202012Validator(schema).validate(log)
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [
        "metadata.date",
        "number.scale",
        "segment.omitted",
    ]
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("number.scale", "error"),
        ("metadata.date", "error"),
        ("segment.omitted", "warning"),
    ]
    assert run["invocations"][0]["executionSuccessful"] is False
    lines = {
        p: Path(p).read_text(encoding="utf-8").split("\n")
        for p in (report["source"]["path"], report["target"]["path"])
    }

    def excerpt(location: dict[str, Any]) -> str:
        physical = location["physicalLocation"]
        region = physical["region"]
        path = next(p for p in lines if p.endswith(Path(physical["artifactLocation"]["uri"]).name))
        assert region["startLine"] == region["endLine"]
        row = lines[path][region["startLine"] - 1]
        return row[region["startColumn"] - 1 : region["endColumn"] - 1]

    assert excerpt(results[0]["locations"][0]) == "ثمانية شخص"
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert excerpt(results[0]["relatedLocations"][0]) == "eight million"
    assert results[0]["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 2
    # the dateline sentence is broken over two lines in the file: still found
    region = results[1]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["endLine"]) == (3, 3)
    assert excerpt(results[1]["locations"][0]) == "28 حزيران/يونيو 2021"
    assert excerpt(results[2]["locations"][0]) == EN[2]


def test_sarif_marks_baseline_suppressions(report: dict[str, Any]) -> None:
    fp = bl.fingerprint("rome", report["findings"][0])
    log = json.loads(to_sarif(_summary(report), {"rome": report}, {fp: {"reason": "known"}}))
    first, second, _ = log["runs"][0]["results"]
    assert first["baselineState"] == "unchanged"
    assert first["suppressions"] == [{"justification": "known", "kind": "external"}]
    assert second["baselineState"] == "new" and "suppressions" not in second


# --- corrections --------------------------------------------------------------------


def test_correction_rows_keyed_by_archive_code(tmp_path: Path, report: dict[str, Any]) -> None:
    rows = correction_rows([("rome", tmp_path / "rome.json", report)])
    assert [(r["key"], r["location"], r["current"], r["proposed"]) for r in rows] == [
        ("SMI/A200/593915", "ar-s1", "ثمانية شخص", "ثمانية ملايين شخص"),
        ("SMI/A200/593915", "release_date", "2021/05/28", "2021/06/28"),
    ]
    assert rows[1]["evidence"] == AR[1] and rows[1]["pointer"] == "bibl-target-release-date"
    no_code = copy.deepcopy(report)
    no_code["target"]["metadata"] = None
    assert (
        correction_rows([("rome", tmp_path / "rome.json", no_code)])[0]["key"]
        == (report["target"]["path"])
    )


def test_csv_round_trips_arabic_with_commas_and_quotes(
    tmp_path: Path, report: dict[str, Any]
) -> None:
    tricky = copy.deepcopy(report)
    tricky["findings"][0]["correction"]["sic"] = 'قال: "ثمانية، شخص", ثم\nسطر'
    tricky["findings"][0]["message"] = 'a "quoted", message'
    rows = correction_rows([("rome", tmp_path / "rome.json", tricky)])
    text = to_csv(rows)
    assert text.startswith("\ufeff") and not to_csv(rows, bom=False).startswith("\ufeff")
    path = tmp_path / "c.csv"
    path.write_bytes(text.encode("utf-8"))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        read = list(csv.DictReader(handle))
    assert read == rows
    assert list(read[0]) == list(COLUMNS)


def test_corrections_tei_validates(tmp_path: Path, report: dict[str, Any]) -> None:
    rows = correction_rows([("rome", tmp_path / "rome.json", report)])
    data = to_tei_changes(rows, base=tmp_path)
    assert validate_tei(data) == []
    tree = etree.fromstring(data)
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    changes = tree.findall(".//t:revisionDesc/t:listChange/t:listChange/t:change", ns)
    assert [c.get("target") for c in changes] == [
        "rome.tei.xml#ar-s1",
        "rome.tei.xml#bibl-target-release-date",
    ]
    assert changes[1].findtext("t:choice/t:sic", namespaces=ns) == "2021/05/28"
    assert changes[1].findtext("t:choice/t:corr", namespaces=ns) == "2021/06/28"
    assert validate_tei(to_tei_changes([])) == []


# --- TMX ----------------------------------------------------------------------------


def test_tmx_structure(report: dict[str, Any]) -> None:
    data = to_tmx(report)
    assert data == to_tmx(report)  # deterministic
    tree = etree.fromstring(data)
    assert tree.tag == "tmx" and tree.get("version") == "1.4"
    header = tree.find("header")
    for attr in ("creationtool", "creationtoolversion", "datatype", "o-tmf", "adminlang"):
        assert header.get(attr)
    assert header.get("segtype") == "sentence" and header.get("srclang") == "en"
    assert header.get("creationdate") is None
    tus = tree.findall("body/tu")
    assert len(tus) == 2  # the 1-0 bead is not a translation unit
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for tu, (en, ar) in zip(tus, zip(EN, AR, strict=False), strict=True):
        tuvs = tu.findall("tuv")
        assert [t.get(lang) for t in tuvs] == ["en", "ar"]
        assert [t.findtext("seg") for t in tuvs] == [en, ar]
    assert b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">' in data
    from datetime import UTC, datetime

    stamped = etree.fromstring(to_tmx(report, creationdate=datetime(2021, 6, 28, tzinfo=UTC)))
    assert stamped.find("header").get("creationdate") == "20210628T000000Z"


def test_tmx_joins_n_m_beads_and_refuses_one_language(report: dict[str, Any]) -> None:
    joined = copy.deepcopy(report)
    joined["alignment"] = [{"src": ["en-s1", "en-s2"], "tgt": ["ar-s1"], "type": "2-1"}]
    seg = etree.fromstring(to_tmx(joined)).find("body/tu/tuv/seg")
    assert seg.text == f"{EN[0]} {EN[1]}"
    same = copy.deepcopy(report)
    same["target"]["lang"] = "en"
    with pytest.raises(AlignerError, match="TMX pairs two languages"):
        to_tmx(same)


# --- commands -----------------------------------------------------------------------


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="aligner")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_commands_on_a_reports_folder(tmp_path: Path, report: dict[str, Any]) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "rome.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "c.csv"
    assert _cli(["corrections", str(reports), "-o", str(out)]) == 0
    assert "2021/06/28" in out.read_text(encoding="utf-8-sig")
    assert _cli(["corrections", str(reports), "-o", str(tmp_path / "c.xml")]) == 0
    assert validate_tei((tmp_path / "c.xml").read_bytes()) == []
    assert _cli(["tmx", str(reports / "rome.json"), "-o", str(tmp_path / "r.tmx")]) == 0
    assert etree.parse(str(tmp_path / "r.tmx")).getroot().tag == "tmx"
    base = tmp_path / "baseline.json"
    assert _cli(["baseline", "update", str(reports), "-b", str(base)]) == 0
    assert {e["reason"] for e in json.loads(base.read_text(encoding="utf-8"))["findings"]} == {""}
    assert _cli(["baseline", "check", str(reports), "-b", str(base)]) == 0
    with pytest.raises(AlignerError, match="not an aligner JSON report"):
        _cli(["tmx", str(base)])
