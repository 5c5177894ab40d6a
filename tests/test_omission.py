"""The omission check on hand-built bitexts: substance, headings, runs."""

from __future__ import annotations

from aligner.checks.omission import OmissionCheck
from aligner.model import Alignment, Bitext, Document, Mention, Segment, Severity


def _doc(lang: str, prefix: str, sentences: list[str]) -> Document:
    doc = Document(path=f"{prefix}.txt", lang=lang, paragraphs=sentences)
    doc.segments = [
        Segment(id=f"{prefix}-s{i + 1}", index=i, paragraph=i, text=t, start=0, end=len(t))
        for i, t in enumerate(sentences)
    ]
    return doc


EN = [
    "Begin text:",
    "The Ministers welcomed new members joining the Coalition.",
    "Daesh/ISIS no longer controls territory and nearly eight million people have been freed.",
    "The Coalition operates in Iraq at the request of the Government of Iraq.",
]
AR = [
    "بداية النص:",
    "ورحّب الوزراء بالأعضاء الجدد الذين انضموا إلى التحالف.",
    "ويعمل التحالف في العراق بناء على طلب حكومة العراق.",
]


def test_sentence_of_substance_dropped_is_a_warning() -> None:
    bitext = Bitext(source=_doc("en", "en", EN), target=_doc("ar", "ar", AR))
    bitext.alignments = [
        Alignment((0,), (0,)), Alignment((1,), (1,)), Alignment((2,), ()), Alignment((3,), (2,)),
    ]
    bitext.mentions = [Mention("number", "source", "en-s3", 60, 73, "eight million", 8e6)]
    findings = list(OmissionCheck().run(bitext))
    assert len(findings) == 1
    f = findings[0]
    assert f.category == "segment.omitted"
    assert f.severity == Severity.WARNING
    assert f.source is not None and f.source.segment_id == "en-s3"
    assert f.target is None
    assert "number" in f.message


def test_dropped_heading_is_not_a_finding() -> None:
    bitext = Bitext(source=_doc("en", "en", EN), target=_doc("ar", "ar", AR[1:]))
    bitext.alignments = [
        Alignment((0,), ()), Alignment((1,), (0,)), Alignment((2,), ()), Alignment((3,), (1,)),
    ]
    findings = list(OmissionCheck().run(bitext))
    assert [f.source.segment_id for f in findings if f.source] == ["en-s3"]


def test_long_unaligned_run_is_reported_once() -> None:
    extra = [f"جملة مضافة رقم {i} لا مقابل لها في النص الإنجليزي الجزئي أبدا." for i in range(6)]
    bitext = Bitext(source=_doc("en", "en", EN[:2]), target=_doc("ar", "ar", AR[:2] + extra))
    bitext.alignments = [Alignment((0,), (0,)), Alignment((1,), (1,))] + [
        Alignment((), (j,)) for j in range(2, 8)
    ]
    findings = list(OmissionCheck().run(bitext))
    assert len(findings) == 1
    assert findings[0].category == "segment.unaligned-run"
    assert findings[0].severity == Severity.INFO
    assert findings[0].details["sentences"] == [f"ar-s{j}" for j in range(3, 9)]


def test_run_of_heading_lines_is_info_not_a_missing_passage() -> None:
    """Paris: the English release header has no counterpart in translation B."""
    header = [
        "Joint Statement by the Political Director's of the Global Coalition to Defeat ISIS",
        "Media Note", "Office of the Spokesperson", "June 25, 2019", "Begin Text:",
    ]
    bitext = Bitext(source=_doc("en", "en", header + EN[1:2]), target=_doc("ar", "ar", AR[1:2]))
    bitext.alignments = [Alignment((i,), ()) for i in range(5)] + [Alignment((5,), (0,))]
    bitext.mentions = [Mention("date", "source", "en-s4", 0, 13, "June 25, 2019", "2019-06-25")]
    findings = list(OmissionCheck().run(bitext))
    assert [(f.category, f.severity) for f in findings] == [
        ("segment.unaligned-run", Severity.INFO)
    ]
    assert findings[0].details["headings"] is True
