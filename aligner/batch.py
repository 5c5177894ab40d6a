"""Check many document pairs; keep going past a bad one; write CI and archive outputs.

Input is a manifest (JSON or CSV) or a folder. JSON manifest, paths relative to the
manifest's folder::

    {"documents": [
        {"id": "rome2021", "record": "seeds/002_5dfe77aed312dc70.txt"},
        {"id": "paris2019-a", "source": ["originals/a.en.txt", "originals/b.en.txt"],
         "target": "seeds/000_ca4e939972419dd5.txt"}
    ]}

CSV manifest: a header row with ``id`` and either ``record`` or ``source`` + ``target``
columns (``note`` optional); several source files are separated by ``;``. A folder
without ``manifest.json``/``manifest.csv`` follows the folder convention:
``NAME.en.EXT`` + ``NAME.ar.EXT`` make the pair ``NAME``; any other file is one record
holding both languages (see docs/ci.md).

A ``record`` is one file holding both languages; ``source`` may list several files,
read as consecutive parts of one (partial) original. Each document gets
``<id>.tei.xml`` and ``<id>.json`` in the output folder, and the run a ``summary.json``.
Documents run in worker processes with ``jobs > 1``; results are written in manifest
order, so the outputs do not depend on ``jobs``.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import regex

from aligner.model import AlignerError, Bitext, Severity
from aligner.pipeline import Settings, make_bitext, run
from aligner.report.io import write_atomic
from aligner.runtime import settle_memory

_SAFE_ID = regex.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_UNSAFE_CHARS = regex.compile(r"[^A-Za-z0-9._-]+")
#: NAME.en.txt / NAME.ar.html: one side of a pair in the folder convention
_SIDE_FILE = regex.compile(r"^(?P<name>.+)\.(?P<lang>[a-z]{2})\.(?P<ext>[A-Za-z0-9]+)$")
#: files the folder convention reads (others, e.g. SOURCES.md, are documentation)
INPUT_SUFFIXES = (".txt", ".html", ".htm", ".xhtml", ".xml")
MANIFEST_NAMES = ("manifest.json", "manifest.csv")
#: called after each document: (documents done, documents in the run, document id)
Progress = Callable[[int, int, str], None]


# --- manifests --------------------------------------------------------------------


def load_manifest(path: str | Path) -> list[dict[str, Any]]:
    """Read and validate a manifest (JSON, CSV) or folder; errors name the file and entry.

    Paths come back joined to the manifest's folder, as given (relative stays relative).
    """
    manifest = Path(path)
    if manifest.is_dir():
        for name in MANIFEST_NAMES:
            if (manifest / name).is_file():
                return load_manifest(manifest / name)
        return folder_entries(manifest)
    try:
        text = manifest.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise AlignerError(f"cannot read manifest: {exc.strerror}", str(manifest)) from exc
    except UnicodeDecodeError as exc:
        raise AlignerError(f"manifest is not UTF-8: {exc}", str(manifest)) from exc
    if manifest.suffix.lower() == ".csv":
        raw, where = _csv_entries(text, manifest)
    else:
        raw, where = _json_entries(text, manifest)
    return _validate(raw, where, manifest)


def _json_entries(text: str, manifest: Path) -> tuple[list[Any], list[str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AlignerError(f"manifest is not valid JSON: {exc}", str(manifest)) from exc
    entries = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise AlignerError('manifest needs a "documents" list', str(manifest))
    return entries, [f"documents[{n}]" for n in range(len(entries))]


def _csv_entries(text: str, manifest: Path) -> tuple[list[Any], list[str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = set(reader.fieldnames or ())
    if "id" not in columns or not ({"record"} <= columns or {"source", "target"} <= columns):
        raise AlignerError(
            'manifest CSV needs a header with "id" and "record" or "source" and "target" '
            f"columns (found: {', '.join(reader.fieldnames or ()) or 'none'})",
            str(manifest),
        )
    entries: list[Any] = []
    where: list[str] = []
    for row in reader:
        line = reader.line_num
        if None in row:
            raise AlignerError(f"line {line}: more fields than header columns", str(manifest))
        entry = {k: v.strip() for k, v in row.items() if isinstance(v, str) and v.strip()}
        if not entry:
            continue
        if "source" in entry:
            entry["source"] = [s.strip() for s in entry["source"].split(";") if s.strip()]
        entries.append(entry)
        where.append(f"line {line}")
    return entries, where


def _is_path(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _validate(entries: list[Any], where: list[str], manifest: Path) -> list[dict[str, Any]]:
    base = manifest.parent
    seen: set[str] = set()
    out = []
    for entry, at in zip(entries, where, strict=True):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise AlignerError(f'{at} needs an "id" string', str(manifest))
        doc_id = entry["id"]
        if not _SAFE_ID.match(doc_id):
            raise AlignerError(
                f"{at}: id {doc_id!r} is not a file-safe name (letters, digits, . _ -)",
                str(manifest),
            )
        if doc_id in seen:
            raise AlignerError(f"{at}: id {doc_id!r} is used twice", str(manifest))
        seen.add(doc_id)
        has_pair = "source" in entry or "target" in entry
        if "record" in entry and has_pair:
            raise AlignerError(
                f'{at} ({doc_id}) has "record" and "source"/"target": give one or the other',
                str(manifest),
            )
        if "record" in entry:
            if not _is_path(entry["record"]):
                raise AlignerError(f'{at} ({doc_id}): "record" must be a path', str(manifest))
            item: dict[str, Any] = {"id": doc_id, "record": str(base / entry["record"])}
        elif "source" in entry and "target" in entry:
            sources = entry["source"] if isinstance(entry["source"], list) else [entry["source"]]
            if not sources or not all(_is_path(s) for s in sources):
                raise AlignerError(
                    f'{at} ({doc_id}): "source" must be a path or a non-empty list of paths',
                    str(manifest),
                )
            if not _is_path(entry["target"]):
                raise AlignerError(f'{at} ({doc_id}): "target" must be a path', str(manifest))
            item = {
                "id": doc_id,
                "source": [str(base / s) for s in sources],
                "target": str(base / entry["target"]),
            }
        else:
            raise AlignerError(
                f'{at} ({doc_id}) needs "record" or "source" and "target"', str(manifest)
            )
        for key in ("note", "original"):
            if key in entry:
                item[key] = entry[key]
        out.append(item)
    if not out:
        raise AlignerError("manifest lists no documents", str(manifest))
    return out


def folder_entries(folder: str | Path) -> list[dict[str, Any]]:
    """Entries by the folder convention: NAME.en.EXT + NAME.ar.EXT pairs, other files records.

    Only files ending in one of INPUT_SUFFIXES are read, hidden files are skipped, in
    sorted name order. A NAME.xx.EXT without its other side is an error naming it.
    """
    root = Path(folder)
    files = sorted(
        p
        for p in root.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in INPUT_SUFFIXES
    )
    sides: dict[str, dict[str, Path]] = {}
    records: list[Path] = []
    for p in files:
        m = _SIDE_FILE.match(p.name)
        if m and m["lang"] in ("en", "ar"):
            sides.setdefault(m["name"], {})[m["lang"]] = p
        else:
            records.append(p)
    entries: list[dict[str, Any]] = []
    for name, pair in sorted(sides.items()):
        if set(pair) != {"en", "ar"}:
            have = next(iter(pair.values()))
            missing = "ar" if "en" in pair else "en"
            raise AlignerError(
                f"{have.name} has no matching {name}.{missing}.* file "
                "(folder convention: NAME.en.EXT + NAME.ar.EXT)",
                str(root),
            )
        entries.append(
            {"id": _safe_id(name), "source": [str(pair["en"])], "target": str(pair["ar"])}
        )
    entries.extend({"id": _safe_id(p.stem), "record": str(p)} for p in records)
    ids = [e["id"] for e in entries]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise AlignerError(f"two inputs give the same document id: {', '.join(dupes)}", str(root))
    if not entries:
        raise AlignerError(
            f"no manifest and no input files ({', '.join(INPUT_SUFFIXES)}) in this folder",
            str(root),
        )
    return sorted(entries, key=lambda e: e["id"])


def _safe_id(name: str) -> str:
    return _UNSAFE_CHARS.sub("-", name).strip("-.") or "document"


# --- one document -----------------------------------------------------------------


def load_entry(entry: dict[str, Any], presplit: bool = False) -> Bitext:
    from aligner.ingest import load_pair, load_record

    if "record" in entry:
        source, target = load_record(entry["record"], presplit=presplit)
    else:
        source, target = load_pair(entry["source"], entry["target"], presplit=presplit)
    return make_bitext(source, target)


def check_entry(entry: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Run one manifest entry; never raises (a worker must not lose the rest of the batch).

    Returns ``{"status": "checked", "json": str, "tei": bytes}`` or
    ``{"status": "error", "error": message}``. The sentence encoder is cached per
    process (``get_embedder``), so a worker loads it once for all its documents.
    """
    from aligner.report.json import to_json
    from aligner.report.tei import to_tei

    try:
        bitext = run(load_entry(entry, settings.presplit), settings)
        result = {"status": "checked", "json": to_json(bitext), "tei": to_tei(bitext)}
        settle_memory()  # once per process: the tables are loaded now
        return result
    except AlignerError as exc:
        return {"status": "error", "error": str(exc)}
    except Exception as exc:  # a bug must not lose the rest of the batch
        return {"status": "error", "error": f"internal error: {type(exc).__name__}: {exc}"}


def _run_entries(
    todo: list[dict[str, Any]], settings: Settings, jobs: int, tick: Callable[[str], None]
) -> dict[str, dict[str, Any]]:
    """Results by document id; in worker processes when ``jobs > 1`` and there is work."""
    results: dict[str, dict[str, Any]] = {}
    if jobs <= 1 or len(todo) <= 1:
        for entry in todo:
            results[entry["id"]] = check_entry(entry, settings)
            tick(entry["id"])
        return results
    # spawn, not fork: the parent may hold threads (progress bar) and model state
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=context) as pool:
        futures = {pool.submit(check_entry, entry, settings): entry["id"] for entry in todo}
        for future in as_completed(futures):
            doc_id = futures[future]
            try:
                results[doc_id] = future.result()
            except Exception as exc:  # a worker that died (e.g. out of memory)
                results[doc_id] = {
                    "status": "error",
                    "error": f"worker failed: {type(exc).__name__}: {exc}",
                }
            tick(doc_id)
    return results


# --- the batch ----------------------------------------------------------------------


def run_batch(
    manifest: str | Path,
    output: str | Path,
    settings: Settings,
    fail_on: str = "error",
    *,
    jobs: int = 1,
    baseline: str | Path | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    junit: str | Path | None = None,
    sarif: str | Path | None = None,
    corrections: str | Path | None = None,
    tmx: bool = False,
) -> dict[str, Any]:
    """Check every entry; write reports, summary.json and the requested CI outputs.

    Returns the summary (also written as ``summary.json``). ``exit_code`` is 2 when a
    document could not be checked, else 1 when a finding at or above ``fail_on`` is not
    accepted by the baseline, else 0. ``corrections`` names a CSV file; the TEI list is
    written beside it with the suffix ``.tei.xml``.
    """
    from aligner.outputs import baseline as bl
    from aligner.outputs.cache import cache_key, entry_files, load_cache, save_cache

    out_dir = Path(output)
    out_dir.mkdir(parents=True, exist_ok=True)
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    accepted = bl.load_baseline(baseline) if baseline is not None else None
    entries = load_manifest(manifest)
    signature = settings.signature()

    cache = load_cache(out_dir) if use_cache else {}
    keys = {e["id"]: cache_key(e, signature) for e in entries}
    cached: set[str] = set()
    for entry in entries:
        hit = cache.get(entry["id"])
        if (
            isinstance(hit, dict)
            and hit.get("key") == keys[entry["id"]]
            and (out_dir / f"{entry['id']}.json").is_file()
            and (out_dir / f"{entry['id']}.tei.xml").is_file()
        ):
            cached.add(entry["id"])

    done = 0

    def tick(doc_id: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, len(entries), doc_id)

    for doc_id in (e["id"] for e in entries if e["id"] in cached):
        tick(doc_id)
    todo = [e for e in entries if e["id"] not in cached]
    results = _run_entries(todo, settings, jobs, tick)

    documents: list[dict[str, Any]] = []
    reports: dict[str, dict[str, Any]] = {}
    new_cache: dict[str, Any] = {}
    for entry in entries:
        doc_id = entry["id"]
        record: dict[str, Any] = {"id": doc_id, "inputs": entry_files(entry)}
        json_name, tei_name = f"{doc_id}.json", f"{doc_id}.tei.xml"
        if doc_id in cached:
            from aligner.outputs.reports import load_report

            report = load_report(out_dir / json_name)
        else:
            result = results[doc_id]
            if result["status"] != "checked":
                record.update(status="error", error=result["error"])
                documents.append(record)
                continue
            write_atomic(out_dir / tei_name, result["tei"])
            write_atomic(out_dir / json_name, result["json"])
            report = json.loads(result["json"])
        new_cache[doc_id] = {"key": keys[doc_id], "json": json_name, "tei": tei_name}
        reports[doc_id] = report
        summary = report.get("summary", {})
        record.update(
            status="checked",
            findings=len(report["findings"]),
            by_severity=summary.get("by_severity", {}),
            by_category=summary.get("by_category", {}),
            max_severity=summary.get("max_severity"),
            report=tei_name,
            json=json_name,
        )
        blocking = [
            f
            for f in report["findings"]
            if threshold is not None and Severity.parse(f["severity"]) >= threshold
        ]
        if accepted is not None:
            comparison = bl.compare(accepted, [(doc_id, f) for f in report["findings"]], [doc_id])
            record.update(accepted=len(comparison.accepted), new=len(comparison.new))
            new_ids = {id(f) for _, f in comparison.new}
            blocking = [f for f in blocking if id(f) in new_ids]
        record["blocking"] = len(blocking)
        documents.append(record)

    if use_cache:
        save_cache(out_dir, new_cache)
    failed = any(d["status"] == "error" for d in documents)
    totals = {
        "documents": len(documents),
        "checked": sum(d["status"] == "checked" for d in documents),
        "errors": sum(d["status"] == "error" for d in documents),
        "findings": sum(d.get("findings", 0) for d in documents),
        "blocking": sum(d.get("blocking", 0) for d in documents),
    }
    exit_code = 2 if failed else (1 if totals["blocking"] else 0)
    summary_out: dict[str, Any] = {
        "documents": documents,
        "totals": totals,
        "exit_code": exit_code,
        "fail_on": fail_on,
        "signature": signature,
    }
    if accepted is not None:
        comparison = bl.compare(
            accepted,
            [(d, f) for d, r in reports.items() for f in r["findings"]],
            list(reports),
        )
        summary_out["baseline"] = {
            "file": str(baseline),
            "accepted": len(comparison.accepted),
            "new": len(comparison.new),
            "stale": comparison.stale,
        }
    write_atomic(
        out_dir / "summary.json",
        json.dumps(summary_out, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
    )
    _write_outputs(summary_out, reports, out_dir, fail_on, accepted, junit, sarif, corrections, tmx)
    return summary_out


def _write_outputs(
    summary: dict[str, Any],
    reports: dict[str, dict[str, Any]],
    out_dir: Path,
    fail_on: str,
    accepted: dict[str, dict[str, Any]] | None,
    junit: str | Path | None,
    sarif: str | Path | None,
    corrections: str | Path | None,
    tmx: bool,
) -> None:
    if junit is not None:
        from aligner.outputs.junit import to_junit

        write_atomic(junit, to_junit(summary, reports, fail_on, accepted))
    if sarif is not None:
        from aligner.outputs.sarif import to_sarif

        write_atomic(sarif, to_sarif(summary, reports, accepted))
    if corrections is not None:
        from aligner.outputs.corrections import correction_rows, to_csv, to_tei_changes

        ordered = [
            (d["id"], out_dir / d["json"], reports[d["id"]])
            for d in summary["documents"]
            if d["status"] == "checked"
        ]
        rows = correction_rows(ordered)
        write_atomic(corrections, to_csv(rows))
        write_atomic(tei_sibling(corrections), to_tei_changes(rows, base=Path(corrections).parent))
    if tmx:
        from aligner.outputs.tmx import to_tmx

        for doc_id, report in reports.items():
            if not report.get("same_language"):
                write_atomic(out_dir / f"{doc_id}.tmx", to_tmx(report))


def tei_sibling(path: str | Path) -> Path:
    """``corrections.csv`` → ``corrections.tei.xml`` (the TEI list written beside the CSV)."""
    p = Path(path)
    return p.with_name(p.stem + ".tei.xml") if p.suffix else p.with_name(p.name + ".tei.xml")
