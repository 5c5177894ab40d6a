"""The whole pipeline through the CLI, on the real documents in corpora/.

What the end-to-end issue must show: the Rome record checks clean of number findings and
its TEI validates; seed 000 against the Paris English reports 7.7 vs 7.7 million in JSON
and TEI; exit codes; every report written validates against tei_all.rng.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from aligner.cli import main
from aligner.report.validate import validate_tei
from tests.conftest import CORPORA, PARIS_EN, SEED_PARIS_A, SEED_PARIS_B, SEED_ROME

TEI_NS = {"tei": "http://www.tei-c.org/ns/1.0"}


@pytest.fixture(scope="module")
def rome(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("rome")
    tei, js = out / "rome.tei.xml", out / "rome.json"
    code = main(["check", str(SEED_ROME), "-o", str(tei), "--json", str(js)])
    return {"code": code, "tei": tei.read_bytes(), "json": json.loads(js.read_text("utf-8"))}


@pytest.fixture(scope="module")
def paris(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("paris")
    tei, js = out / "paris.tei.xml", out / "paris.json"
    code = main(["check", str(PARIS_EN), str(SEED_PARIS_A), "-o", str(tei), "--json", str(js)])
    return {"code": code, "tei": tei.read_bytes(), "json": json.loads(js.read_text("utf-8"))}


def test_rome_record_report_is_valid_tei(rome: dict) -> None:
    assert validate_tei(rome["tei"]) == []


def test_rome_record_is_split_into_both_languages_and_aligned(rome: dict) -> None:
    report = rome["json"]
    assert report["source"]["lang"] == "en"
    assert report["target"]["lang"] == "ar"
    beads = report["alignment"]
    assert len(beads) >= 20
    matched = [b for b in beads if b["src"] and b["tgt"]]
    assert len(matched) / len(beads) > 0.8  # a faithful translation aligns almost entirely


def test_rome_record_has_no_number_finding(rome: dict) -> None:
    numbers = [f for f in rome["json"]["findings"] if f["category"].startswith("number.")]
    assert numbers == []


def test_rome_record_metadata_is_kept_and_code_in_tei(rome: dict) -> None:
    root = etree.fromstring(rome["tei"])
    idnos = root.xpath("//tei:listBibl//tei:idno/text()", namespaces=TEI_NS)
    assert "SMI/A200/593915" in idnos
    ids = root.xpath("//tei:s/@xml:id", namespaces=TEI_NS)
    assert len(ids) == len(set(ids)) > 40


def test_paris_scale_word_dropped_is_reported_in_json_and_tei(paris: dict) -> None:
    hits = [
        f for f in paris["json"]["findings"]
        if f["category"].startswith("number.") and "7.7" in (f["target"] or {}).get("text", "")
    ]
    assert len(hits) == 1
    finding = hits[0]
    assert finding["category"] == "number.scale"
    assert finding["severity"] == "error"
    assert "7.7 million" in finding["source"]["sentence"]
    assert finding["details"]["source_value"] == pytest.approx(7_700_000)
    assert finding["details"]["target_value"] == pytest.approx(7.7)
    assert paris["code"] == 1  # an error-level finding fails the default --fail-on
    tei = paris["tei"].decode("utf-8")
    assert "number.scale" in tei
    assert validate_tei(paris["tei"]) == []


def test_two_arabic_translations_carry_chrf(tmp_path: Path) -> None:
    js = tmp_path / "ab.json"
    main(["check", str(SEED_PARIS_A), str(SEED_PARIS_B), "--format", "json", "-o", str(js),
          "--fail-on", "never"])
    report = json.loads(js.read_text("utf-8"))
    assert report["source"]["lang"] == report["target"]["lang"] == "ar"
    pairs = [b for b in report["alignment"] if b["src"] and b["tgt"]]
    assert pairs and all(b["chrf"] is not None for b in pairs)


def test_output_is_byte_identical_across_runs(tmp_path: Path, rome: dict) -> None:
    again = tmp_path / "again.tei.xml"
    main(["check", str(SEED_ROME), "-o", str(again)])
    assert again.read_bytes() == rome["tei"]


def test_missing_file_exits_2_with_the_path(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    missing = tmp_path / "nope.txt"
    assert main(["check", str(missing), str(SEED_ROME)]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and err.count("\n") == 1


def test_empty_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["check", str(PARIS_EN), str(empty)]) == 2
    assert str(empty) in capsys.readouterr().err


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    assert exc.value.code == 2


def test_fail_on_never_exits_0(paris: dict, tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    assert main(["check", str(PARIS_EN), str(SEED_PARIS_A), "-o", str(out),
                 "--fail-on", "never"]) == 0


def test_batch_on_corpora_writes_valid_reports(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    code = main(["batch", str(CORPORA), "-o", str(out)])
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["totals"]["errors"] == 0
    assert code == summary["exit_code"] in (0, 1)
    for doc in summary["documents"]:
        data = (out / doc["report"]).read_bytes()
        assert validate_tei(data) == [], doc["id"]
