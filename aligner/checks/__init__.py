"""Registry of checks: name → implementing class (imported lazily, so a check's
heavy dependencies load only when it runs)."""

from __future__ import annotations

import importlib

from aligner.checks.base import Check
from aligner.model import AlignerError

CHECKS: dict[str, str] = {
    "number": "aligner.checks.numbers:NumberCheck",
    "date": "aligner.checks.dates:DateCheck",
    "metadata": "aligner.checks.metadata:MetadataCheck",
    "entity": "aligner.checks.entities:EntityCheck",
    "omission": "aligner.checks.omission:OmissionCheck",
    "words": "aligner.checks.words:WordOmissionCheck",
}

DEFAULT_CHECKS: tuple[str, ...] = ("number", "date", "metadata", "entity", "omission", "words")


def get_check(name: str) -> Check:
    try:
        module_name, class_name = CHECKS[name].split(":")
    except KeyError:
        raise AlignerError(f"unknown check {name!r} (known: {', '.join(sorted(CHECKS))})") from None
    return getattr(importlib.import_module(module_name), class_name)()
