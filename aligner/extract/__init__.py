"""Registry of extractors and the extract stage: every sentence of both sides → mentions."""

from __future__ import annotations

import importlib

from aligner.extract.base import Extractor
from aligner.model import AlignerError, Bitext, Mention

EXTRACTORS: dict[str, str] = {
    "number": "aligner.extract.numbers:NumberExtractor",
    "date": "aligner.extract.dates:DateExtractor",
    "entity": "aligner.extract.entities:EntityExtractor",
}

DEFAULT_EXTRACTORS: tuple[str, ...] = ("number", "date", "entity")


def get_extractor(name: str) -> Extractor:
    try:
        module_name, class_name = EXTRACTORS[name].split(":")
    except KeyError:
        known = ", ".join(sorted(EXTRACTORS))
        raise AlignerError(f"unknown extractor {name!r} (known: {known})") from None
    return getattr(importlib.import_module(module_name), class_name)()


def extract(bitext: Bitext, names: tuple[str, ...] = DEFAULT_EXTRACTORS) -> list[Mention]:
    """Run the named extractors over every segment of both sides, in document order."""
    extractors = [get_extractor(n) for n in names]
    mentions: list[Mention] = []
    for side in ("source", "target"):
        doc = bitext.side(side)
        for seg in doc.segments:
            for ex in extractors:
                mentions.extend(ex.extract(seg, doc.lang, side))
    return mentions
