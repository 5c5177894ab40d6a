"""The record's release date against the document's own date, on the real archive records."""

from __future__ import annotations

from conftest import PARIS_EN, ROME_AR, ROME_EN, SEED_PARIS_A, SEED_RIYADH, SEED_ROME
from test_dates import make_doc, paragraph_bitext, read_paragraphs, read_record_metadata

from aligner.checks import get_check
from aligner.checks.dates import DateCheck
from aligner.checks.metadata import MetadataCheck, document_date, parse_record_date
from aligner.extract.dates import DateParts
from aligner.model import Bitext, Severity


def rome_bitext() -> Bitext:
    """Seed 002: one record holding both languages, so both sides share one RecordMetadata."""
    md = read_record_metadata(SEED_ROME)
    en = make_doc(ROME_EN, "en", "en")
    ar = make_doc(ROME_AR, "ar", "ar")
    en.metadata = ar.metadata = md
    offset = len(ar.paragraphs) - len(en.paragraphs)
    return paragraph_bitext(en, ar, [(i, i + offset) for i in range(len(en.paragraphs))])


def test_rome_record_has_exactly_one_date_finding() -> None:
    bt = rome_bitext()
    assert bt.source.metadata is not None and bt.source.metadata.release_date == "2021/05/28"
    findings = [*DateCheck().run(bt), *MetadataCheck().run(bt)]
    assert [f.category for f in findings] == ["metadata.date"]
    f = findings[0]
    assert f.severity == Severity.ERROR
    assert f.source is not None and f.source.side == "metadata"
    assert f.source.field == "release_date" and f.source.sentence == "2021/05/28"
    assert f.source.segment_id is None
    assert f.target is not None and f.target.side == "target"
    assert f.target.excerpt == "28 حزيران/يونيو 2021"
    assert f.correction is not None
    assert (f.correction.side, f.correction.sic, f.correction.corr) == (
        "metadata",
        "2021/05/28",
        "2021/06/28",
    )
    assert "2021/05/28" in f.message and "28 حزيران/يونيو 2021" in f.message


def test_record_seed_paris_a_agrees_with_its_dateline() -> None:
    md = read_record_metadata(SEED_PARIS_A)
    assert md.release_date == "2019/06/25"
    ar = make_doc(SEED_PARIS_A, "ar", "ar")
    ar.metadata = md
    bt = paragraph_bitext(make_doc(PARIS_EN, "en", "en"), ar, [])
    found = document_date(bt, "target")
    assert found is not None and found.mention.text == "25 حزيران/يونيو، 2019"
    assert found.how == "dateline"
    assert list(MetadataCheck().run(bt)) == []


def test_wrong_release_date_on_seed_paris_a() -> None:
    ar = make_doc(SEED_PARIS_A, "ar", "ar")
    ar.metadata = read_record_metadata(SEED_PARIS_A)
    ar.metadata.release_date = "2019/05/25"
    bt = paragraph_bitext(make_doc(PARIS_EN, "en", "en"), ar, [])
    (f,) = MetadataCheck().run(bt)
    assert f.correction is not None and f.correction.corr == "2019/06/25"


def test_riyadh_opening_sentence_is_the_document_date() -> None:
    ar = make_doc(SEED_RIYADH, "ar", "ar")
    bt = paragraph_bitext(ar, make_doc(SEED_RIYADH, "ar", "ar2"), [])
    found = document_date(bt, "source")
    assert found is not None and found.parts == DateParts(2023, 6, 8)


def test_separate_records_are_checked_separately() -> None:
    bt = rome_bitext()
    bt.target.metadata = read_record_metadata(SEED_ROME)  # an equal but distinct record
    findings = list(MetadataCheck().run(bt))
    # the English side states no full date of its own, so only the Arabic record is wrong
    assert [f.details["sides"] for f in findings] == [["target"]]


def test_record_date_formats_are_kept_in_corrections() -> None:
    june28 = DateParts(2021, 6, 28)
    for raw, want in [
        ("2021/05/28", "2021/06/28"),
        ("28-05-2021", "28-06-2021"),
        ("2021.5.28", "2021.6.28"),
        ("٢٠٢١/٠٥/٢٨", "٢٠٢١/٠٦/٢٨"),
    ]:
        rec = parse_record_date(raw)
        assert rec is not None and rec.format(june28) == want
    assert parse_record_date("قريبا") is None


def test_unreadable_release_date_is_a_warning() -> None:
    bt = rome_bitext()
    assert bt.source.metadata is not None
    bt.source.metadata.release_date = "غير محدد"
    (f,) = MetadataCheck().run(bt)
    assert f.category == "metadata.date" and f.severity == Severity.WARNING


def test_today_pinned_to_another_date() -> None:
    md = read_record_metadata(SEED_ROME)
    paras = read_paragraphs(ROME_AR)
    i = next(i for i, p in enumerate(paras) if "في روما اليوم" in p)
    paras[i] = paras[i].replace("في روما اليوم", "في روما اليوم، 27 حزيران/يونيو 2021")
    ar = make_doc(ROME_AR, "ar", "ar", paras)
    ar.metadata = md
    bt = paragraph_bitext(make_doc(ROME_EN, "en", "en"), ar, [])
    cats = sorted(f.category for f in MetadataCheck().run(bt))
    assert cats == ["date.today", "metadata.date"]


def test_registered() -> None:
    assert isinstance(get_check("metadata"), MetadataCheck)
    assert isinstance(get_check("date"), DateCheck)
