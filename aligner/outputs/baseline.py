"""Baselines: findings a team has accepted, so that CI fails only on new ones.

A finding's identity is a fingerprint of (document id, category, source evidence
text, target evidence text), with whitespace collapsed and Unicode NFC-normalised.
Sentence ids and offsets are left out on purpose: they shift when an unrelated
sentence is added or split, and the accepted finding must still be recognised.
Findings sharing a fingerprint (the same excerpt flagged twice in one document) are
accepted together.

File format (JSON, sorted, diff-friendly)::

    {"format": 1, "findings": [
      {"fingerprint": "…", "document": "rome2021-record", "category": "metadata.date",
       "source": "28 June 2021", "target": "2021/05/28", "message": "…",
       "reason": "archive keeps the catalogue date"}]}

Every entry keeps a ``reason``; ``update`` keeps the reasons already written and
gives new entries ``"reason": ""`` to fill in.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from aligner.model import AlignerError
from aligner.report.io import write_atomic

BASELINE_FORMAT = 1
_SPACE = regex.compile(r"\s+")

#: a finding as the batch sees it: (document id, finding dict from the JSON report)
DocFinding = tuple[str, dict[str, Any]]


def _norm(text: str | None) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def evidence_text(finding: dict[str, Any], side: str) -> str:
    """The normalised evidence excerpt of one side ("" when that side has none)."""
    ev = finding.get(side)
    if not isinstance(ev, dict):
        return ""
    return _norm(ev.get("text") if ev.get("text") is not None else ev.get("sentence"))


def fingerprint(document: str, finding: dict[str, Any]) -> str:
    """Stable identity of a finding across re-runs (see module docstring)."""
    key = [
        document,
        finding.get("category", ""),
        evidence_text(finding, "source"),
        evidence_text(finding, "target"),
    ]
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


@dataclass
class Comparison:
    """Findings of a run against a baseline."""

    accepted: list[DocFinding] = field(default_factory=list)
    new: list[DocFinding] = field(default_factory=list)
    #: baseline entries of checked documents that no finding matches any more
    stale: list[dict[str, Any]] = field(default_factory=list)


def load_baseline(path: str | Path, missing_ok: bool = False) -> dict[str, dict[str, Any]]:
    """Fingerprint → entry. A malformed file is an AlignerError naming it and the entry."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        if missing_ok:
            return {}
        raise AlignerError("baseline file does not exist", str(p)) from None
    except OSError as exc:
        raise AlignerError(f"cannot read baseline: {exc.strerror}", str(p)) from exc
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise AlignerError(f"baseline is not valid JSON: {exc}", str(p)) from exc
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise AlignerError('baseline needs a "findings" list', str(p))
    out: dict[str, dict[str, Any]] = {}
    for n, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise AlignerError(f'findings[{n}] needs a "fingerprint" string', str(p))
        if not isinstance(entry.get("document"), str):
            raise AlignerError(f'findings[{n}] needs a "document" string', str(p))
        if not isinstance(entry.get("reason", ""), str):
            raise AlignerError(f'findings[{n}]: "reason" must be a string', str(p))
        out[entry["fingerprint"]] = entry
    return out


def compare(
    baseline: dict[str, dict[str, Any]],
    findings: Iterable[DocFinding],
    checked: Iterable[str],
) -> Comparison:
    """Split ``findings`` into accepted and new; list stale entries of ``checked`` documents.

    Entries of documents that were not checked in this run (not in the manifest, or
    broken this time) are neither matched nor stale: a broken run must not lose them.
    """
    result = Comparison()
    seen: set[str] = set()
    for document, finding in findings:
        fp = fingerprint(document, finding)
        seen.add(fp)
        (result.accepted if fp in baseline else result.new).append((document, finding))
    checked_docs = set(checked)
    result.stale = [
        entry
        for fp, entry in sorted(baseline.items(), key=lambda kv: _entry_order(kv[1]))
        if fp not in seen and entry.get("document") in checked_docs
    ]
    return result


def _entry_order(entry: dict[str, Any]) -> tuple[str, str, str]:
    return (entry.get("document", ""), entry.get("category", ""), entry.get("fingerprint", ""))


def make_entry(document: str, finding: dict[str, Any], reason: str = "") -> dict[str, Any]:
    """A baseline entry: the fingerprint plus what a reviewer needs to recognise it."""
    return {
        "fingerprint": fingerprint(document, finding),
        "document": document,
        "category": finding.get("category", ""),
        "source": evidence_text(finding, "source"),
        "target": evidence_text(finding, "target"),
        "message": finding.get("message", ""),
        "reason": reason,
    }


def update_baseline(
    baseline: dict[str, dict[str, Any]],
    findings: Iterable[DocFinding],
    checked: Iterable[str],
) -> tuple[list[dict[str, Any]], Comparison]:
    """New baseline entries (existing reasons kept, new ones ``""``, stale ones dropped).

    Returns the entries in file order and the comparison, whose ``stale`` list says
    what was dropped and ``new`` what was added.
    """
    findings = list(findings)
    checked = list(checked)
    result = compare(baseline, findings, checked)
    stale = {e["fingerprint"] for e in result.stale}
    entries: dict[str, dict[str, Any]] = {
        fp: dict(e) for fp, e in baseline.items() if fp not in stale
    }
    for document, finding in findings:
        fresh = make_entry(document, finding)
        old = entries.get(fresh["fingerprint"])
        if old is not None:
            fresh["reason"] = old.get("reason", "")
        entries[fresh["fingerprint"]] = fresh
    return sorted(entries.values(), key=_entry_order), result


def dump_baseline(entries: list[dict[str, Any]]) -> str:
    """The baseline file text (sorted keys, Arabic readable, trailing newline)."""
    payload = {"format": BASELINE_FORMAT, "findings": entries}
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def write_baseline(path: str | Path, entries: list[dict[str, Any]]) -> None:
    write_atomic(path, dump_baseline(entries))
