"""Content-hash cache for batch runs: unchanged inputs are not checked again.

The key of a document is a SHA-256 over the bytes of its input files, the manifest
entry (which files, in which roles), the settings signature and the aligner version,
and a digest of aligner's own code and data files (a development checkout keeps one
version number while its rules change), so that any change that could change a
finding invalidates the entry. The cache file
(``.cache.json``) lives next to the reports it describes and is written atomically.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from aligner import __version__
from aligner.report.io import write_atomic

CACHE_NAME = ".cache.json"
CACHE_FORMAT = 1


def entry_files(entry: dict[str, Any]) -> list[str]:
    """Input files of a manifest entry, in role order (record, or sources then target)."""
    if "record" in entry:
        return [entry["record"]]
    return [*entry["source"], entry["target"]]


#: package files whose content can change findings
CODE_SUFFIXES = (".py", ".json", ".tsv", ".txt", ".xsl")


@cache
def code_digest() -> str:
    """SHA-256 over aligner's own code and data files, computed once per process."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.suffix in CODE_SUFFIXES):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cache_key(entry: dict[str, Any], signature: str) -> str:
    """SHA-256 of the entry's roles and file bytes, the settings signature and the version.

    Unreadable files give a key that never matches, so the document is re-run and the
    read error reported by ingest as usual.
    """
    digest = hashlib.sha256()
    digest.update(f"aligner {__version__} {code_digest()}\n{signature}\n".encode())
    roles = {k: entry[k] for k in ("record", "source", "target") if k in entry}
    digest.update(json.dumps({k: _names(v) for k, v in sorted(roles.items())}).encode())
    for path in entry_files(entry):
        try:
            data = Path(path).read_bytes()
        except OSError:
            return "unreadable"
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _names(value: str | list[str]) -> str | list[str]:
    """File names only: moving the whole corpus keeps the cache valid."""
    if isinstance(value, list):
        return [Path(v).name for v in value]
    return Path(value).name


def load_cache(directory: str | Path) -> dict[str, Any]:
    """The cache entries of ``directory`` (document id → entry); empty when absent or stale."""
    path = Path(directory) / CACHE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        return {}
    entries = data.get("documents")
    return entries if isinstance(entries, dict) else {}


def save_cache(directory: str | Path, entries: dict[str, Any]) -> None:
    """Write the cache atomically (sorted keys, so a re-run leaves it byte-identical)."""
    payload = {"format": CACHE_FORMAT, "documents": entries}
    write_atomic(
        Path(directory) / CACHE_NAME,
        json.dumps(payload, sort_keys=True, indent=2, ensure_ascii=False) + "\n",
    )
