"""Resume an interrupted batch: skip documents already checked from the same input.

``aligner.batch.run_batch`` keeps a content-hash cache (``aligner.outputs.cache``) but
writes it, and the reports, only when the whole batch ends; a batch killed after 90 of
100 documents therefore starts again from zero. The rule here is per document and
durable as soon as the document is done:

1. write the document's reports atomically (``write_atomic``: old file or new file,
   never half of one);
2. then write its stamp ``<out>/.<id>.done.json`` atomically, holding the cache key
   (input bytes + manifest roles + settings signature + version) and its summary record.

A stamp therefore implies complete reports. On the next run :func:`is_done` is true
only when the stamp's key equals the current key *and* every report file exists, so a
changed input, a changed setting or a deleted report means the document is checked again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aligner.outputs.cache import cache_key
from aligner.report.io import write_atomic

#: the report files every checked document has (see aligner.batch)
REPORT_SUFFIXES: tuple[str, ...] = (".tei.xml", ".json")


def stamp_path(out_dir: str | Path, doc_id: str) -> Path:
    """Where the resume stamp of one document lives: ``<out>/.<id>.done.json``."""
    return Path(out_dir) / f".{doc_id}.done.json"


def _read_stamp(out_dir: str | Path, doc_id: str) -> dict[str, Any] | None:
    try:
        data = json.loads(stamp_path(out_dir, doc_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_done(entry: dict[str, Any], out_dir: str | Path, signature: str,
            suffixes: tuple[str, ...] = REPORT_SUFFIXES) -> bool:
    """True if a resumed batch may skip ``entry`` (same key, every report present)."""
    stamp = _read_stamp(out_dir, entry["id"])
    if stamp is None or stamp.get("key") != cache_key(entry, signature):
        return False
    return all((Path(out_dir) / f"{entry['id']}{sfx}").is_file() for sfx in suffixes)


def mark_done(entry: dict[str, Any], out_dir: str | Path, signature: str,
              record: dict[str, Any] | None = None) -> None:
    """Stamp ``entry`` as done; call only after its reports were written (atomically)."""
    payload = {"key": cache_key(entry, signature), "record": record}
    write_atomic(stamp_path(out_dir, entry["id"]),
                 json.dumps(payload, ensure_ascii=False, sort_keys=True) + "\n")


def done_record(entry: dict[str, Any], out_dir: str | Path) -> dict[str, Any] | None:
    """The summary record stored by :func:`mark_done`, to rebuild summary.json on resume."""
    stamp = _read_stamp(out_dir, entry["id"])
    record = stamp.get("record") if stamp else None
    return record if isinstance(record, dict) else None


def pending(entries: list[dict[str, Any]], out_dir: str | Path,
            signature: str) -> list[dict[str, Any]]:
    """The entries a resumed batch still has to check, in manifest order."""
    return [e for e in entries if not is_done(e, out_dir, signature)]
