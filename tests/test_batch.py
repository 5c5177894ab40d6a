"""Batch mode: manifest parsing (JSON, CSV, folder), broken documents, jobs, cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPORA, ROME_AR, ROME_EN, SEED_ROME

from aligner.batch import folder_entries, load_manifest, run_batch
from aligner.model import AlignerError
from aligner.outputs.cache import CACHE_NAME
from aligner.pipeline import Settings

#: fast settings: lexical alignment, no word aligner, only the checks the Rome record needs
FAST = Settings(embedder="none", checks=("metadata", "date", "number"), word_align="off")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- manifest errors name the file and the entry ------------------------------------


@pytest.mark.parametrize(
    ("documents", "expected"),
    [
        ([{"record": "a.txt"}], r'documents\[0\] needs an "id" string'),
        ([{"id": "a b", "record": "a.txt"}], r"documents\[0\]: id 'a b' is not a file-safe"),
        (
            [{"id": "a", "record": "a.txt"}, {"id": "a", "record": "b.txt"}],
            r"documents\[1\]: id 'a' is used twice",
        ),
        ([{"id": "a", "source": "a.en.txt"}], r'documents\[0\] \(a\) needs "record" or'),
        ([{"id": "a", "source": [], "target": "t"}], r'documents\[0\] \(a\): "source" must'),
        ([{"id": "a", "record": 3}], r'documents\[0\] \(a\): "record" must be a path'),
        (
            [{"id": "a", "record": "r", "source": "s", "target": "t"}],
            r'documents\[0\] \(a\) has "record" and',
        ),
        ([], "lists no documents"),
    ],
)
def test_json_manifest_errors_name_file_and_entry(
    tmp_path: Path, documents: list, expected: str
) -> None:
    manifest = _write(tmp_path / "m.json", json.dumps({"documents": documents}))
    with pytest.raises(AlignerError, match=expected) as info:
        load_manifest(manifest)
    assert info.value.path == str(manifest)


def test_manifest_not_json_or_missing(tmp_path: Path) -> None:
    bad = _write(tmp_path / "m.json", "{documents: [")
    with pytest.raises(AlignerError, match="not valid JSON") as info:
        load_manifest(bad)
    assert info.value.path == str(bad)
    with pytest.raises(AlignerError, match='needs a "documents" list'):
        load_manifest(_write(tmp_path / "n.json", "[]"))
    with pytest.raises(AlignerError, match="cannot read manifest"):
        load_manifest(tmp_path / "absent.json")


def test_csv_manifest(tmp_path: Path) -> None:
    manifest = _write(
        tmp_path / "m.csv",
        "\ufeffid,source,target,record,note\n"
        'paris,"a.en.txt; b.en.txt",t.ar.txt,,"partial, two parts"\n'
        "rome,,,rome.txt,\n",
    )
    entries = load_manifest(manifest)
    assert entries[0] == {
        "id": "paris",
        "source": [str(tmp_path / "a.en.txt"), str(tmp_path / "b.en.txt")],
        "target": str(tmp_path / "t.ar.txt"),
        "note": "partial, two parts",
    }
    assert entries[1] == {"id": "rome", "record": str(tmp_path / "rome.txt")}


def test_csv_manifest_errors_name_line(tmp_path: Path) -> None:
    manifest = _write(tmp_path / "m.csv", "id,record\na,a.txt\na,b.txt\n")
    with pytest.raises(AlignerError, match="line 3: id 'a' is used twice") as info:
        load_manifest(manifest)
    assert info.value.path == str(manifest)
    with pytest.raises(AlignerError, match='header with "id"'):
        load_manifest(_write(tmp_path / "h.csv", "name,file\na,b\n"))
    with pytest.raises(AlignerError, match="line 2: more fields"):
        load_manifest(_write(tmp_path / "x.csv", "id,record\na,b.txt,extra\n"))


def test_bundled_manifest_loads() -> None:
    entries = load_manifest(CORPORA)
    assert [e["id"] for e in entries][:2] == ["rome2021-record", "rome2021-pair"]
    assert all(Path(p).is_file() for e in entries for p in e.get("source", []))


def test_folder_convention(tmp_path: Path) -> None:
    shutil.copy(ROME_EN, tmp_path / "rome.en.txt")
    shutil.copy(ROME_AR, tmp_path / "rome.ar.txt")
    shutil.copy(SEED_ROME, tmp_path / "002 rome record.txt")
    _write(tmp_path / "README.md", "not an input")
    entries = folder_entries(tmp_path)
    assert entries == [
        {"id": "002-rome-record", "record": str(tmp_path / "002 rome record.txt")},
        {
            "id": "rome",
            "source": [str(tmp_path / "rome.en.txt")],
            "target": str(tmp_path / "rome.ar.txt"),
        },
    ]
    assert load_manifest(tmp_path) == entries  # no manifest file → the convention
    (tmp_path / "rome.ar.txt").unlink()
    with pytest.raises(AlignerError, match=r"rome.en.txt has no matching rome.ar.\*"):
        folder_entries(tmp_path)


# --- running a batch ----------------------------------------------------------------


def _manifest(tmp_path: Path) -> Path:
    broken = _write(tmp_path / "broken.txt", "")
    return _write(
        tmp_path / "manifest.json",
        json.dumps(
            {
                "documents": [
                    {"id": "rome-record", "record": str(SEED_ROME)},
                    {"id": "empty", "source": str(ROME_EN), "target": str(broken)},
                    {"id": "missing", "record": "no-such-file.txt"},
                    {"id": "rome-pair", "source": str(ROME_EN), "target": str(ROME_AR)},
                ]
            }
        ),
    )


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_batch_keeps_going_and_lists_broken_documents(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    summary = run_batch(
        _manifest(tmp_path),
        out,
        FAST,
        junit=out / "junit.xml",
        sarif=out / "r.sarif",
        corrections=out / "corrections.csv",
    )
    status = {d["id"]: d["status"] for d in summary["documents"]}
    assert status == {
        "rome-record": "checked",
        "empty": "error",
        "missing": "error",
        "rome-pair": "checked",
    }
    assert [d["id"] for d in summary["documents"]] == [
        "rome-record",
        "empty",
        "missing",
        "rome-pair",
    ]
    errors = {d["id"]: d["error"] for d in summary["documents"] if d["status"] == "error"}
    assert "broken.txt" in errors["empty"]
    assert "no-such-file.txt" in errors["missing"]
    assert summary["exit_code"] == 2
    assert json.loads((out / "summary.json").read_text(encoding="utf-8")) == summary
    record = next(d for d in summary["documents"] if d["id"] == "rome-record")
    assert record["by_category"].get("metadata.date") == 1
    report = json.loads((out / "rome-record.json").read_text(encoding="utf-8"))
    assert report["target"]["metadata"]["code"] == "SMI/A200/593915"
    csv_text = (out / "corrections.csv").read_text(encoding="utf-8-sig")
    assert "SMI/A200/593915" in csv_text and "2021/06/28" in csv_text
    for name in ("junit.xml", "r.sarif", "corrections.tei.xml", CACHE_NAME):
        assert (out / name).is_file()


def test_exit_codes_follow_fail_on(tmp_path: Path) -> None:
    manifest = _write(
        tmp_path / "m.json", json.dumps({"documents": [{"id": "rome", "record": str(SEED_ROME)}]})
    )
    assert run_batch(manifest, tmp_path / "a", FAST, fail_on="error")["exit_code"] == 1
    assert run_batch(manifest, tmp_path / "b", FAST, fail_on="never")["exit_code"] == 0


def test_cache_skips_work_and_gives_identical_outputs(tmp_path: Path) -> None:
    manifest = _write(
        tmp_path / "m.json",
        json.dumps(
            {
                "documents": [
                    {"id": "rome", "source": str(ROME_EN), "target": str(tmp_path / "rome.ar.txt")}
                ]
            }
        ),
    )
    shutil.copy(ROME_AR, tmp_path / "rome.ar.txt")
    out = tmp_path / "out"
    kwargs = {"junit": out / "junit.xml", "sarif": out / "r.sarif", "tmx": True}
    run_batch(manifest, out, FAST, **kwargs)
    first = _outputs(out)
    (out / "rome.json").touch()
    mtime = (out / "rome.json").stat().st_mtime_ns
    run_batch(manifest, out, FAST, **kwargs)
    assert (out / "rome.json").stat().st_mtime_ns == mtime  # not rewritten: cache hit
    assert _outputs(out) == first
    # an edited input invalidates its entry
    with (tmp_path / "rome.ar.txt").open("a", encoding="utf-8") as handle:
        handle.write("\nجملة إضافية في آخر النص.\n")
    run_batch(manifest, out, FAST, **kwargs)
    assert (out / "rome.json").read_bytes() != first["rome.json"]
    # other settings invalidate it too
    cache = json.loads((out / CACHE_NAME).read_text(encoding="utf-8"))
    run_batch(
        manifest, out, Settings(embedder="none", checks=("date",), word_align="off"), **kwargs
    )
    assert json.loads((out / CACHE_NAME).read_text(encoding="utf-8")) != cache


def test_jobs_give_the_same_outputs_in_manifest_order(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path)
    one = run_batch(manifest, tmp_path / "one", FAST, use_cache=False)
    two = run_batch(manifest, tmp_path / "two", FAST, jobs=2, use_cache=False)
    assert one == two
    assert _outputs(tmp_path / "one") == _outputs(tmp_path / "two")


def test_baseline_accepts_known_findings(tmp_path: Path) -> None:
    from aligner.outputs.baseline import update_baseline, write_baseline
    from aligner.outputs.reports import load_reports

    manifest = _write(
        tmp_path / "m.json", json.dumps({"documents": [{"id": "rome", "record": str(SEED_ROME)}]})
    )
    out = tmp_path / "out"
    assert run_batch(manifest, out, FAST)["exit_code"] == 1
    reports = load_reports([out])
    entries, _ = update_baseline(
        {}, [(d, f) for d, _, r in reports for f in r["findings"]], ["rome"]
    )
    write_baseline(tmp_path / "baseline.json", entries)
    summary = run_batch(manifest, out, FAST, baseline=tmp_path / "baseline.json")
    assert summary["exit_code"] == 0
    assert summary["baseline"]["new"] == 0 and summary["baseline"]["accepted"] >= 1
