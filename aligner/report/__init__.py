"""Reports: TEI P5 XML and JSON views of an annotated Bitext, plus shared summaries.

Both formats, the CLI and the CI outputs count findings the same way, through
:func:`summarize`; the value conversions here keep the two reports in step.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from aligner.model import AlignerError, Bitext, Document, Severity

__all__ = ["jsonable", "segment_ids", "summarize"]


def summarize(bitext: Bitext) -> dict[str, Any]:
    """Counts by severity, category and check, beads by type, sentences per side.

    Every severity is present (zero when unused) so that consumers need no defaults;
    ``max_severity`` is ``None`` when there are no findings.
    """
    by_severity = {str(s): 0 for s in Severity}
    by_severity.update(Counter(str(f.severity) for f in bitext.findings))
    worst = max((f.severity for f in bitext.findings), default=None)
    return {
        "findings": len(bitext.findings),
        "by_severity": dict(sorted(by_severity.items())),
        "by_category": dict(sorted(Counter(f.category for f in bitext.findings).items())),
        "by_check": dict(sorted(Counter(f.check for f in bitext.findings).items())),
        "beads": dict(sorted(Counter(a.kind for a in bitext.alignments).items())),
        "sentences": {
            "source": len(bitext.source.segments),
            "target": len(bitext.target.segments),
        },
        "max_severity": str(worst) if worst is not None else None,
    }


def segment_ids(doc: Document, indices: tuple[int, ...]) -> list[str]:
    """Sentence ids of a bead side; a bad index is a pipeline bug reported as bad input."""
    ids = []
    for i in indices:
        if not 0 <= i < len(doc.segments):
            raise AlignerError(
                f"alignment points to sentence {i} but the {doc.lang} side has "
                f"{len(doc.segments)} sentences",
                doc.path,
            )
        ids.append(doc.segments[i].id)
    return ids


def jsonable(value: Any) -> Any:
    """A JSON-safe, deterministic copy: tuples/sets → lists (sets sorted), enums → names,
    non-finite floats → strings (JSON has no NaN), unknown objects → ``str``."""
    if isinstance(value, Severity):
        return str(value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return str(value)
