"""Loading JSON reports back: one file, a list of files, or a batch's reports folder.

The CI and archive outputs work from the JSON reports so that they can be made again
later (``aligner corrections reports/``) without re-running the pipeline.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from aligner.model import AlignerError

SUMMARY_NAME = "summary.json"


def load_report(path: str | Path) -> dict[str, Any]:
    """One JSON report; anything that is not one is an AlignerError naming the file."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AlignerError(f"cannot read report: {exc.strerror}", str(p)) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise AlignerError(f"report is not valid JSON: {exc}", str(p)) from exc
    if not isinstance(data, dict) or data.get("tool") != "aligner" or "findings" not in data:
        raise AlignerError("not an aligner JSON report (no tool/findings keys)", str(p))
    return data


def load_reports(paths: Iterable[str | Path]) -> list[tuple[str, Path, dict[str, Any]]]:
    """(document id, report path, report) for every report named or found in a folder.

    A folder is read in its summary.json's order when it has one (the batch's manifest
    order), else in sorted file-name order; the document id is the file stem.
    """
    out: list[tuple[str, Path, dict[str, Any]]] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            for report_path in _folder_reports(p):
                out.append((_doc_id(report_path), report_path, load_report(report_path)))
        else:
            out.append((_doc_id(p), p, load_report(p)))
    return out


def _doc_id(path: Path) -> str:
    name = path.name
    return name[: -len(".json")] if name.endswith(".json") else path.stem


def _folder_reports(folder: Path) -> list[Path]:
    summary = folder / SUMMARY_NAME
    if summary.is_file():
        try:
            data = json.loads(summary.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise AlignerError(f"cannot read batch summary: {exc}", str(summary)) from exc
        docs = data.get("documents", []) if isinstance(data, dict) else []
        return [
            folder / d["json"]
            for d in docs
            if isinstance(d, dict) and d.get("status") == "checked" and d.get("json")
        ]
    found = sorted(
        p for p in folder.glob("*.json") if p.name != SUMMARY_NAME and not p.name.startswith(".")
    )
    if not found:
        raise AlignerError("no JSON reports in this folder", str(folder))
    return found
