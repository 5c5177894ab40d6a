"""The one data model that flows through the pipeline.

Ingest makes a :class:`Document` per language side; pairing two of them makes a
:class:`Bitext`, which every later stage reads and annotates in place
(segment → align → extract → check → report), as spaCy's ``Doc`` does.
Every stage can therefore be tested alone on a hand-built Bitext.

Offsets: a :class:`Segment` knows its paragraph and its character span in that
paragraph; a :class:`Mention` and an :class:`Evidence` span are character offsets
*into the segment's text*, which is what an editor sees and what the JSON report
carries.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    """Ordered so that ``--fail-on`` can compare: info < warning < error."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> Severity:
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {name!r} (use error, warning or info)") from None

    def __str__(self) -> str:
        return self.name.lower()


class AlignerError(Exception):
    """Bad input or usage: the CLI turns it into exit code 2 and a one-line message.

    The message must name the file (when there is one) and the problem.
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


@dataclass
class Removal:
    """Text that ingest took out of a document (boilerplate, navigation, metadata block).

    Kept so that the report can say what was removed instead of dropping it silently.
    """

    kind: str  # e.g. "archive-banner", "metadata-block", "web-navigation", "newsletter"
    text: str


@dataclass
class RecordMetadata:
    """The metadata block of an archive record (Syrian Memory: "المعلومات الأساسية").

    ``fields`` keeps every label → value(s) as found (labels in Arabic, values verbatim),
    the typed attributes below are the ones the checks use.
    """

    code: str | None = None  # archive code, e.g. "SMI/A200/593915"
    release_date: str | None = None  # as found, e.g. "2021/05/28"
    languages: list[str] = field(default_factory=list)
    document_type: str | None = None
    target_countries: list[str] = field(default_factory=list)
    related_persons: list[str] = field(default_factory=list)
    title: str | None = None
    fields: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Segment:
    """One sentence of one side. ``id`` is unique in the Bitext and valid as an xml:id."""

    id: str  # e.g. "en-s12" / "ar-s3"; for two Arabic sides "ar1-s3" / "ar2-s3"
    index: int  # 0-based position among the side's segments
    paragraph: int  # 0-based paragraph index
    text: str
    start: int = 0  # character span of the sentence inside its paragraph
    end: int = 0


@dataclass
class Document:
    """One language side of a document, as ingested from one file (or one part of it)."""

    path: str  # the file it came from (as given by the user)
    lang: str  # ISO 639-1: "ar" or "en"
    paragraphs: list[str]  # cleaned body text, one string per paragraph
    title: str | None = None
    metadata: RecordMetadata | None = None
    removed: list[Removal] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)  # filled by the segment stage
    fmt: str = "text"  # reader that produced it: text, record, html, tei
    #: files a Document was concatenated from (path, index of its first paragraph);
    #: empty for a Document read from one file
    parts: list[tuple[str, int]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class Alignment:
    """One monotone bead: source sentence indices ↔ target sentence indices.

    ``()`` on one side is an omission (1-0) or addition (0-1). ``score`` is the
    aligner's similarity for the bead (higher is better, roughly 0..1);
    ``chrf`` is sacrebleu's sentence chrF, set when both sides share a language.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0
    chrf: float | None = None

    @property
    def kind(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    def vecalign(self) -> str:
        """Vecalign's bead format ``[i,j]:[k]:score``."""
        s = ",".join(map(str, self.src))
        t = ",".join(map(str, self.tgt))
        return f"[{s}]:[{t}]:{self.score:.6f}"


@dataclass
class Mention:
    """A normalised thing found in a sentence: a quantity, a date, a hedge, an entity.

    ``value`` is comparable across languages: a float for a point quantity, a
    ``(low, high)`` tuple for a vague range, an ISO-like string for a date
    ("2021-06-28", "2021-06", "2021-fall", "2021"), a canonical key for an entity.
    ``attrs`` holds what a check needs beyond the value (unit, scale word, hedge
    class, precision, ambiguity ...), JSON-serialisable and sorted on output.
    """

    kind: str  # "number", "date", "hedge", "entity", ...
    side: str  # "source" or "target"
    segment_id: str
    start: int  # span in the segment text
    end: int
    text: str
    value: Any = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Evidence:
    """Where a finding's evidence stands on one side.

    Either a sentence (``segment_id`` with ``sentence`` text and a ``span`` into it)
    or an archive metadata field (``field`` with the field's text as ``sentence``).
    """

    side: str  # "source", "target" or "metadata"
    segment_id: str | None
    sentence: str
    span: tuple[int, int] | None = None
    field: str | None = None

    @property
    def excerpt(self) -> str:
        if self.span is None:
            return self.sentence
        return self.sentence[self.span[0] : self.span[1]]


@dataclass
class Correction:
    """A suggested correction: replace ``sic`` by ``corr`` on ``side`` (TEI choice/sic/corr)."""

    side: str  # "target", "source" or "metadata"
    sic: str
    corr: str


@dataclass
class Finding:
    """One explained problem. ``category`` is dotted: ``number.scale``, ``segment.omitted`` ..."""

    category: str
    severity: Severity
    confidence: float  # 0..1
    message: str  # human-readable, says why
    check: str  # name of the check that raised it
    source: Evidence | None = None
    target: Evidence | None = None
    correction: Correction | None = None
    details: dict[str, Any] = field(default_factory=dict)  # machine-readable values compared

    def sort_key(self) -> tuple:
        def pos(e: Evidence | None) -> tuple:
            if e is None:
                return ("", 0)
            return (e.segment_id or e.field or "", e.span[0] if e.span else 0)

        return (pos(self.source), pos(self.target), self.category, self.message)


@dataclass
class WordToken:
    """A word of one side, where it stands: character span in its segment's text."""

    text: str
    segment_id: str
    start: int
    end: int


@dataclass
class WordLinks:
    """Word alignment of one sentence bead (``Bitext.alignments[alignment]``).

    ``links`` are 0-based (source word, target word) pairs. ``src_best`` holds, per
    source word, its best similarity to any target word (simalign's (cos+1)/2, 0..1) — how sure the
    aligner could be — and ``skipped`` is true when the bead was too long to align.
    """

    alignment: int
    src: list[WordToken]
    tgt: list[WordToken]
    links: list[tuple[int, int]]
    src_best: list[float] = field(default_factory=list)
    skipped: bool = False


@dataclass
class Bitext:
    """Source and translation of one text, and everything the pipeline learnt about them.

    ``target`` may be a second translation in the same language as ``source``
    (two Arabic translations of one original): then ``same_language`` is true.
    """

    source: Document
    target: Document
    alignments: list[Alignment] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    word_alignments: list[WordLinks] = field(default_factory=list)  # when word alignment ran
    notes: list[str] = field(default_factory=list)  # diagnoses shown to the user
    settings: dict[str, Any] = field(default_factory=dict)  # what produced it (signature)
    _mention_index: dict[str | None, dict[str, list[Mention]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _mention_index_key: tuple[int, int] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _segment_index: dict[str, Segment] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _segment_index_key: tuple[int, ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def same_language(self) -> bool:
        return self.source.lang == self.target.lang

    def side(self, name: str) -> Document:
        if name == "source":
            return self.source
        if name == "target":
            return self.target
        raise ValueError(f"no side {name!r}")

    def segment(self, segment_id: str) -> Segment:
        """The sentence with this id (indexed: reports and checks ask per finding)."""
        src, tgt = self.source.segments, self.target.segments
        key = (id(src), len(src), id(tgt), len(tgt))
        if self._segment_index_key != key:
            index: dict[str, Segment] = {}
            for seg in (*src, *tgt):
                index.setdefault(seg.id, seg)  # the first one wins, as in a scan
            self._segment_index, self._segment_index_key = index, key
        return self._segment_index[segment_id]

    def mentions_in(self, segment_id: str, kind: str | None = None) -> list[Mention]:
        """Mentions of one sentence, in extraction order (indexed per kind on first ask:
        checks ask per sentence, and each check for its own kind only)."""
        key = (id(self.mentions), len(self.mentions))
        if self._mention_index_key != key:
            self._mention_index, self._mention_index_key = {}, key
        by_segment = self._mention_index.get(kind)
        if by_segment is None:
            by_segment = {}
            for m in self.mentions:
                if kind is None or m.kind == kind:
                    by_segment.setdefault(m.segment_id, []).append(m)
            self._mention_index[kind] = by_segment
        return list(by_segment.get(segment_id, ()))
