"""SARIF 2.1.0 so that CI systems (GitHub code scanning, Azure DevOps) show annotations.

One result per finding: ``ruleId`` = category, ``level`` from the severity (info →
note), the message, and a location in the *input file* with the line/column region of
the evidence. The region is found by locating the evidence sentence in the decoded
file (whitespace may differ, since ingest cleans it), then the evidence span inside
it; columns are Unicode code points (``run.columnKind``), because the files are
Arabic. A result whose evidence cannot be found keeps a file-level location.
Findings accepted by a baseline are ``suppressions`` with the recorded reason.
"""

from __future__ import annotations

import json
import urllib.parse
from bisect import bisect_right
from functools import cache
from pathlib import Path
from typing import Any

import regex

from aligner import __version__
from aligner.model import AlignerError
from aligner.outputs.baseline import fingerprint

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/aligner/aligner"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "alignerFinding/v1"


@cache
def _decoded(path: str) -> tuple[str, tuple[int, ...]] | None:
    """The file's text as ingest decodes it, and the offsets where each line starts."""
    from aligner.ingest import decode_bytes

    try:
        text = decode_bytes(Path(path).read_bytes(), path)
    except (OSError, AlignerError):
        return None
    starts = [0]
    starts.extend(m.end() for m in regex.finditer(r"\n", text))
    return text, tuple(starts)


def _line_col(starts: tuple[int, ...], offset: int) -> tuple[int, int]:
    """1-based line and column (code points) of a character offset."""
    line = bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1


def locate(path: str, sentence: str, span: tuple[int, int] | None) -> dict[str, int] | None:
    """SARIF region of ``sentence[span]`` (the whole sentence without a span) in ``path``.

    Exact match first, then the same words with any whitespace between them. The
    span is mapped through the whitespace-tolerant match word by word, so offsets
    stay right when the file breaks a sentence over lines.
    """
    decoded = _decoded(path)
    words = sentence.split()
    if decoded is None or not words:
        return None
    text, starts = decoded
    start = text.find(sentence)
    if start >= 0:
        positions = list(range(start, start + len(sentence) + 1))
    else:
        pattern = r"\s+".join(regex.escape(w) for w in words)
        m = regex.search(pattern, text)
        if m is None:
            return None
        positions = _map_offsets(sentence, m.group(0), m.start())
    lo, hi = span if span is not None else (0, len(sentence))
    lo = max(0, min(lo, len(sentence)))
    hi = max(lo, min(hi, len(sentence)))
    begin, end = positions[lo], positions[hi]
    start_line, start_col = _line_col(starts, begin)
    end_line, end_col = _line_col(starts, end)
    return {
        "startLine": start_line,
        "startColumn": start_col,
        "endLine": end_line,
        "endColumn": end_col,
        "charOffset": begin,
        "charLength": end - begin,
    }


def _map_offsets(sentence: str, found: str, base: int) -> list[int]:
    """File offset of each sentence offset (0..len): the k-th non-space character of the
    sentence is the k-th of the match; a space maps just after the character before it."""
    dense = [n for n, ch in enumerate(found) if not ch.isspace()]
    out: list[int] = []
    k = 0
    after = 0
    for ch in sentence:
        if ch.isspace():
            out.append(base + after)
            continue
        out.append(base + dense[k])
        after = dense[k] + 1
        k += 1
    out.append(base + after)
    return out


def artifact_uri(path: str) -> str:
    """Relative paths stay relative (to the repository root, where CI runs); else file:."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_uri()
    return urllib.parse.quote(p.as_posix())


def _side_files(doc: dict[str, Any], report: dict[str, Any], side: str) -> list[str]:
    """Files that may hold evidence of ``side``: a record holds everything."""
    inputs = list(doc.get("inputs") or [])
    if len(inputs) <= 1:
        return inputs or [report[side if side != "metadata" else "target"]["path"]]
    if side == "source":
        return inputs[:-1]
    if side == "target":
        return inputs[-1:]
    return [inputs[-1], *inputs[:-1]]


def _location(
    doc: dict[str, Any], report: dict[str, Any], evidence: dict[str, Any], slot: str
) -> dict[str, Any]:
    files = _side_files(doc, report, slot if evidence.get("side") != "metadata" else "metadata")
    raw = evidence.get("span")
    span = (int(raw[0]), int(raw[1])) if raw is not None else None
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(files[0])}}
    for path in files:
        region = locate(path, evidence.get("sentence") or "", span)
        if region is not None:
            physical = {"artifactLocation": {"uri": artifact_uri(path)}, "region": region}
            break
    what = evidence.get("field") or evidence.get("sentence_id") or slot
    excerpt = evidence.get("text") or evidence.get("sentence") or ""
    return {"physicalLocation": physical, "message": {"text": f"{slot} ({what}): {excerpt}"}}


def _rules(reports: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    checks: dict[str, str] = {}
    for report in reports.values():
        for f in report["findings"]:
            checks.setdefault(f["category"], f.get("check", ""))
    return [
        {
            "id": category,
            "name": "".join(part.capitalize() for part in regex.split(r"[.\-_]", category)),
            "shortDescription": {"text": f"{category} (check: {check})"},
            "helpUri": f"{INFORMATION_URI}/blob/main/docs/ci.md",
        }
        for category, check in sorted(checks.items())
    ]


def to_sarif(
    summary: dict[str, Any],
    reports: dict[str, dict[str, Any]],
    accepted: dict[str, dict[str, Any]] | None = None,
) -> str:
    """The SARIF 2.1.0 log (JSON text) for a batch summary and its JSON reports."""
    rules = _rules(reports)
    index = {rule["id"]: n for n, rule in enumerate(rules)}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for doc in summary["documents"]:
        if doc["status"] != "checked":
            note: dict[str, Any] = {"level": "error", "message": {"text": doc["error"]}}
            if doc.get("inputs"):
                note["locations"] = [
                    {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(p)}}}
                    for p in doc["inputs"]
                ]
            notifications.append(note)
            continue
        report = reports[doc["id"]]
        for f in report["findings"]:
            evidence = [(slot, f[slot]) for slot in ("target", "source") if f.get(slot)]
            locations = [_location(doc, report, ev, slot) for slot, ev in evidence]
            if not locations:
                path = (doc.get("inputs") or [report["target"]["path"]])[-1]
                uri = artifact_uri(path)
                locations = [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]
            fp = fingerprint(doc["id"], f)
            result: dict[str, Any] = {
                "ruleId": f["category"],
                "ruleIndex": index[f["category"]],
                "level": LEVELS.get(f["severity"], "warning"),
                "message": {"text": f["message"]},
                "locations": locations[:1],
                "partialFingerprints": {FINGERPRINT_KEY: fp},
                "properties": {
                    "document": doc["id"],
                    "severity": f["severity"],
                    "confidence": f.get("confidence"),
                },
            }
            if len(locations) > 1:
                result["relatedLocations"] = [
                    {"id": n, **loc} for n, loc in enumerate(locations[1:])
                ]
            if f.get("correction"):
                result["properties"]["correction"] = f["correction"]
            if accepted is not None:
                entry = accepted.get(fp)
                result["baselineState"] = "unchanged" if entry else "new"
                if entry:
                    result["suppressions"] = [
                        {"kind": "external", "justification": entry.get("reason") or "baseline"}
                    ]
            results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "aligner",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not notifications,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "columnKind": "unicodeCodePoints",
                "properties": {"signature": summary.get("signature", "")},
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
