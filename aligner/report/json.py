"""The JSON report: the same content as the TEI report, for CI jobs and scripts.

Deterministic (sorted keys, no timestamps) so that two runs can be diffed and a
CI cache keyed on it; ``ensure_ascii=False`` keeps the Arabic readable.
"""

from __future__ import annotations

import json
from typing import Any

from aligner import __version__
from aligner.model import (
    Bitext,
    Document,
    Evidence,
    Finding,
    RecordMetadata,
    WordLinks,
    WordToken,
)
from aligner.report import jsonable, segment_ids, summarize


def to_json(bitext: Bitext) -> str:
    """Serialise ``bitext`` as the JSON report (see docs/report-format.md)."""
    return (
        json.dumps(
            report_dict(bitext), sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False
        )
        + "\n"
    )


def report_dict(bitext: Bitext) -> dict[str, Any]:
    """The report as plain data, for callers that embed it (CI summaries, tests)."""
    settings = {k: v for k, v in bitext.settings.items() if k != "signature"}
    return {
        "tool": "aligner",
        "version": __version__,
        "signature": bitext.settings.get("signature"),
        "settings": jsonable(settings),
        "same_language": bitext.same_language,
        "source": _document(bitext.source),
        "target": _document(bitext.target),
        "alignment": [
            {
                "src": segment_ids(bitext.source, a.src),
                "tgt": segment_ids(bitext.target, a.tgt),
                "type": a.kind,
                "score": jsonable(round(a.score, 6)),
                "chrf": jsonable(round(a.chrf, 4)) if a.chrf is not None else None,
            }
            for a in bitext.alignments
        ],
        "word_alignment": [_word_links(w) for w in bitext.word_alignments],
        "findings": [_finding(f) for f in bitext.findings],
        "summary": summarize(bitext),
        "notes": list(bitext.notes),
    }


def _word_links(wl: WordLinks) -> dict[str, Any]:
    """One word-aligned bead: tokens with their spans, Pharaoh links, and the weak ones."""
    from aligner.wordalign import pharaoh
    from aligner.wordalign.omission import strong_links

    strong = set(strong_links(wl))

    def tokens(side: list[WordToken]) -> list[dict[str, Any]]:
        return [
            {"text": t.text, "sentence_id": t.segment_id, "span": [t.start, t.end]} for t in side
        ]

    return {
        "bead": wl.alignment,
        "src": tokens(wl.src),
        "tgt": tokens(wl.tgt),
        "links": pharaoh(wl.links),
        "weak": pharaoh([link for link in wl.links if link not in strong]),
        "skipped": wl.skipped,
    }


def _document(doc: Document) -> dict[str, Any]:
    return {
        "path": doc.path,
        "lang": doc.lang,
        "format": doc.fmt,
        "title": doc.title,
        "metadata": _metadata(doc.metadata) if doc.metadata is not None else None,
        "removed": [{"kind": r.kind, "text": r.text} for r in doc.removed],
        "paragraphs": len(doc.paragraphs),
        "segments": [
            {
                "id": s.id,
                "index": s.index,
                "paragraph": s.paragraph,
                "text": s.text,
                "span": [s.start, s.end],
            }
            for s in doc.segments
        ],
    }


def _metadata(meta: RecordMetadata) -> dict[str, Any]:
    return {
        "code": meta.code,
        "release_date": meta.release_date,
        "languages": list(meta.languages),
        "document_type": meta.document_type,
        "target_countries": list(meta.target_countries),
        "related_persons": list(meta.related_persons),
        "title": meta.title,
        "fields": {k: list(v) for k, v in sorted(meta.fields.items())},
    }


def _evidence(ev: Evidence | None) -> dict[str, Any] | None:
    if ev is None:
        return None
    return {
        "side": ev.side,
        "sentence_id": ev.segment_id,
        "sentence": ev.sentence,
        "span": list(ev.span) if ev.span is not None else None,
        "text": ev.excerpt,
        "field": ev.field,
    }


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "category": f.category,
        "severity": str(f.severity),
        "confidence": jsonable(f.confidence),
        "message": f.message,
        "check": f.check,
        "source": _evidence(f.source),
        "target": _evidence(f.target),
        "correction": (
            {"side": f.correction.side, "sic": f.correction.sic, "corr": f.correction.corr}
            if f.correction is not None
            else None
        ),
        "details": jsonable(f.details),
    }
