"""Check many document pairs listed in a manifest; keep going past a bad one.

Manifest (JSON), paths relative to the manifest's folder::

    {"documents": [
        {"id": "rome2021", "record": "seeds/002_5dfe77aed312dc70.txt"},
        {"id": "paris2019-a", "source": ["originals/a.en.txt", "originals/b.en.txt"],
         "target": "seeds/000_ca4e939972419dd5.txt"}
    ]}

A ``record`` is one file holding both languages; ``source`` may list several files,
read as consecutive parts of one (partial) original. Each document gets
``<id>.tei.xml`` and ``<id>.json`` in the output folder, and the run a ``summary.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import regex

from aligner.model import AlignerError, Bitext, Severity
from aligner.pipeline import Settings, make_bitext, run
from aligner.report.io import write_atomic

_SAFE_ID = regex.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def load_manifest(path: str | Path) -> list[dict[str, Any]]:
    """Read and validate a manifest; paths come back absolute. Errors name the entry."""
    manifest = Path(path)
    if manifest.is_dir():
        manifest = manifest / "manifest.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AlignerError(f"cannot read manifest: {exc.strerror}", str(manifest)) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise AlignerError(f"manifest is not valid JSON: {exc}", str(manifest)) from exc
    entries = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise AlignerError('manifest needs a "documents" list', str(manifest))
    base = manifest.parent
    seen: set[str] = set()
    out = []
    for n, entry in enumerate(entries):
        where = f"documents[{n}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise AlignerError(f'{where} needs an "id" string', str(manifest))
        doc_id = entry["id"]
        if not _SAFE_ID.match(doc_id) or doc_id in seen:
            raise AlignerError(f"{where}: id {doc_id!r} is not a unique file-safe name",
                               str(manifest))
        seen.add(doc_id)
        if "record" in entry:
            out.append({"id": doc_id, "record": str(base / entry["record"])})
        elif "source" in entry and "target" in entry:
            sources = entry["source"] if isinstance(entry["source"], list) else [entry["source"]]
            out.append({
                "id": doc_id,
                "source": [str(base / s) for s in sources],
                "target": str(base / entry["target"]),
            })
        else:
            raise AlignerError(f'{where} ({doc_id}) needs "record" or "source" and "target"',
                               str(manifest))
        for key in ("note", "original"):
            if key in entry:
                out[-1][key] = entry[key]
    return out


def load_entry(entry: dict[str, Any], presplit: bool = False) -> Bitext:
    from aligner.ingest import load_pair, load_record

    if "record" in entry:
        source, target = load_record(entry["record"], presplit=presplit)
    else:
        sources = entry["source"]
        source, target = load_pair(sources if len(sources) > 1 else sources[0], entry["target"],
                                   presplit=presplit)
    return make_bitext(source, target)


def run_batch(
    manifest: str | Path, output: str | Path, settings: Settings, fail_on: str = "error"
) -> dict[str, Any]:
    """Check every entry; write reports and summary.json; return the summary."""
    from aligner.report.json import to_json
    from aligner.report.tei import to_tei

    out_dir = Path(output)
    out_dir.mkdir(parents=True, exist_ok=True)
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    documents: list[dict[str, Any]] = []
    failed = blocking = False
    for entry in load_manifest(manifest):
        record: dict[str, Any] = {"id": entry["id"]}
        try:
            bitext = run(load_entry(entry, settings.presplit), settings)
        except AlignerError as exc:
            failed = True
            record.update(status="error", error=str(exc))
            documents.append(record)
            continue
        except Exception as exc:  # a bug must not lose the rest of the batch
            failed = True
            record.update(status="error", error=f"internal error: {type(exc).__name__}: {exc}")
            documents.append(record)
            continue
        write_atomic(out_dir / f"{entry['id']}.tei.xml", to_tei(bitext))
        write_atomic(out_dir / f"{entry['id']}.json", to_json(bitext))
        by_severity: dict[str, int] = {}
        by_category: dict[str, int] = {}
        for f in bitext.findings:
            by_severity[str(f.severity)] = by_severity.get(str(f.severity), 0) + 1
            by_category[f.category] = by_category.get(f.category, 0) + 1
        if threshold is not None and any(f.severity >= threshold for f in bitext.findings):
            blocking = True
        record.update(
            status="checked",
            findings=len(bitext.findings),
            by_severity=by_severity,
            by_category=by_category,
            report=f"{entry['id']}.tei.xml",
        )
        documents.append(record)
    totals = {
        "documents": len(documents),
        "checked": sum(d["status"] == "checked" for d in documents),
        "errors": sum(d["status"] == "error" for d in documents),
        "findings": sum(d.get("findings", 0) for d in documents),
    }
    exit_code = 2 if failed else (1 if blocking else 0)
    summary = {"documents": documents, "totals": totals, "exit_code": exit_code,
               "signature": settings.signature()}
    write_atomic(out_dir / "summary.json",
                 json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return summary
