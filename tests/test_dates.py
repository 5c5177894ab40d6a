"""Date extraction and the date check, on the bundled real documents.

Documents are built by hand (ingest and the segmenter are other stages): paragraphs
are the file's non-empty lines, the archive banner and metadata block are cut off,
sentences are split after . ! ? ؟ and beads align paragraphs that correspond.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from babel.dates import format_date
from conftest import (
    PARIS_EN,
    ROME_AR,
    ROME_EN,
    SEED_FACTSHEET,
    SEED_PARIS_A,
    SEED_PARIS_B,
    SEED_RIYADH,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.checks.dates import DateCheck
from aligner.extract import extract, get_extractor
from aligner.extract.dates import DateExtractor, find_dates, parse_date_value
from aligner.model import (
    AlignerError,
    Alignment,
    Bitext,
    Document,
    Mention,
    RecordMetadata,
    Segment,
    Severity,
)

METADATA_HEADING = "المعلومات الأساسية"
BANNER_START = "الذاكرة السورية هي ملك"

# ----------------------------------------------------------------------------- helpers


def read_paragraphs(path: Path) -> list[str]:
    """Non-empty lines of a file, without the archive banner and the metadata block."""
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    paras = [ln for ln in lines if ln]
    if paras and paras[0].startswith(BANNER_START):
        paras = paras[1:]
    if METADATA_HEADING in paras:
        paras = paras[: paras.index(METADATA_HEADING)]
    return paras


def read_record_metadata(path: Path) -> RecordMetadata:
    """The label → value pairs of the record's block (value = the next non-empty line)."""
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    block = lines[lines.index(METADATA_HEADING) + 1 :]
    value = {block[i]: block[i + 1] for i in range(len(block) - 1)}
    return RecordMetadata(code=value["كود الذاكرة السورية"], release_date=value["تاريخ الصدور"])


_SENT = re.compile(r"[^.!?؟]+(?:[.!?؟]+|$)")


def make_doc(path: Path, lang: str, prefix: str, paragraphs: list[str] | None = None) -> Document:
    paras = paragraphs if paragraphs is not None else read_paragraphs(path)
    doc = Document(path=str(path), lang=lang, paragraphs=paras)
    for p, para in enumerate(paras):
        for m in _SENT.finditer(para):
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            end = m.end() - (len(m.group()) - len(m.group().rstrip()))
            if end > start:
                i = len(doc.segments)
                doc.segments.append(Segment(f"{prefix}-s{i}", i, p, para[start:end], start, end))
    return doc


def sentences_of(doc: Document, paragraph: int) -> tuple[int, ...]:
    return tuple(s.index for s in doc.segments if s.paragraph == paragraph)


def paragraph_bitext(
    src: Document, tgt: Document, pairs: list[tuple[int, int]], names: tuple[str, ...] = ("date",)
) -> Bitext:
    """A Bitext whose beads pair whole paragraphs (src paragraph i ↔ tgt paragraph j)."""
    bt = Bitext(source=src, target=tgt)
    bt.alignments = [Alignment(sentences_of(src, i), sentences_of(tgt, j)) for i, j in pairs]
    bt.mentions = extract(bt, names)
    return bt


def values(text: str, lang: str) -> list[str | None]:
    return [d.value for d in find_dates(text, lang)]


def line_with(path: Path, needle: str) -> str:
    return next(p for p in read_paragraphs(path) if needle in p)


def paris_bitext(ar_paragraphs: list[str] | None = None) -> Bitext:
    """Paris roadmap: English original ↔ Arabic translation A (seed 000), header and 2 body
    paragraphs, aligned by hand: dateline ↔ dateline, body ↔ body."""
    en = make_doc(PARIS_EN, "en", "en")
    ar = make_doc(SEED_PARIS_A, "ar", "ar", ar_paragraphs)
    en_date = next(i for i, p in enumerate(en.paragraphs) if p == "June 25, 2019")
    ar_date = next(i for i, p in enumerate(ar.paragraphs) if "حزيران/يونيو، 2019" in p)
    en_body = next(i for i, p in enumerate(en.paragraphs) if p.startswith("We, the Political"))
    ar_body = next(i for i, p in enumerate(ar.paragraphs) if p.startswith("نحن، المجموعة"))
    pairs = [(en_date, ar_date), (en_body, ar_body), (en_body + 1, ar_body + 1)]
    return paragraph_bitext(en, ar, pairs)


# ----------------------------------------------------------------------------- extraction


def test_seed_riyadh_numeric_date_with_space() -> None:
    first = read_paragraphs(SEED_RIYADH)[0]
    got = find_dates(first, "ar")
    dated = [d for d in got if d.value is not None]
    assert [first[d.start : d.end] for d in dated] == ["8-06- 2023"]
    assert dated[0].value == "2023-06-08"
    assert dated[0].attrs["precision"] == "day"


def test_seed_factsheet_dateline_and_month_year() -> None:
    paras = read_paragraphs(SEED_FACTSHEET)
    dateline = paras[paras.index("بيان وقائع") + 1]
    assert values(dateline, "ar") == ["2019-02-06"]  # "6 شباط/فبراير، 2019"
    resolution = line_with(SEED_FACTSHEET, "2396")
    assert "2017-12" in values(resolution, "ar")  # "كانون الأول/ديسمبر 2017"
    assert "2396" not in values(resolution, "ar")  # a resolution number is no year
    # "بتاريخ 6 شباط/فبراير" without a year: day and month only
    assert "--02-06" in values(line_with(SEED_FACTSHEET, "بتاريخ 6 شباط"), "ar")


def test_english_and_arabic_forms_of_one_date_are_equal() -> None:
    en = line_with(PARIS_EN, "March 23, 2019")
    ar = line_with(SEED_PARIS_A, "23 آذار/مارس، 2019")
    ar_b = line_with(SEED_PARIS_B, "23 آذار/مارس 2019")
    assert values(en, "en") == ["2019-03-23", None]  # and "Today, Daesh/ISIS ..."
    assert values(ar, "ar") == ["2019-03-23"]
    assert values(ar_b, "ar") == ["2019-03-23", None]  # "أمّا اليوم"


def test_datelines_and_paired_months() -> None:
    assert values(read_paragraphs(SEED_PARIS_A)[5], "ar") == ["2019-06-25"]  # with comma
    assert values("28 حزيران/يونيو 2021", "ar") == ["2021-06-28"]
    assert "June 25, 2019" in read_paragraphs(PARIS_EN)
    assert values("June 25, 2019", "en") == ["2019-06-25"]
    body = line_with(SEED_PARIS_A, "شباط/فبراير 2018")
    assert [v for v in values(body, "ar") if v] == ["2018-02", "2019-02"]
    en_body = line_with(PARIS_EN, "February 2018")
    assert [v for v in values(en_body, "en") if v] == ["2018-02", "2019-02"]


def test_rome_closing_sentence_month_and_season() -> None:
    en = read_paragraphs(ROME_EN)[-2]
    ar = read_paragraphs(ROME_AR)[-2]
    assert values(en, "en") == ["2022-06", "2021-fall"]  # "by June 2022", "the fall of 2021"
    assert values(ar, "ar") == ["2022-06", "2021-fall"]  # "حزيران/يونيو 2022", "خريف 2021"


def test_year_forms_and_eastern_digits() -> None:
    assert "2014" in values(line_with(SEED_PARIS_A, "منذ سنة 2014"), "ar")
    assert "2021" in values(line_with(ROME_AR, "لعام 2021"), "ar")
    assert values("عام ٢٠١٤ و٢٨ حزيران/يونيو ٢٠٢١", "ar") == ["2014", "2021-06-28"]
    assert values("Since 2014, and in 2017.", "en") == ["2014", "2017"]
    # quantities and resolution numbers are not years
    assert values(line_with(ROME_EN, "Resolution 2254"), "en") == []
    assert values("more than 110,000 square kilometers in 2254 places", "en") == []


def test_regional_month_names_from_cldr() -> None:
    # Maghrebi (ar_DZ/ar_TN), Moroccan (ar_MA) and Egyptian forms all resolve
    assert values("3 جانفي 2021", "ar") == ["2021-01-03"]
    assert values("في جويلية 2020", "ar") == ["2020-07"]
    assert values("أوت 2019", "ar") == ["2019-08"]
    assert values("غشت 2019", "ar") == ["2019-08"]
    assert values("5 يونيه 2018", "ar") == ["2018-06-05"]
    assert values("كانون الاول 2017", "ar") == ["2017-12"]  # without hamza


def test_numeric_orders_and_ambiguity() -> None:
    assert values("2021/05/28", "ar") == ["2021-05-28"]
    got = find_dates("06/08/2021", "en")[0]
    assert got.value == "2021-06-08" and got.attrs["ambiguous"] and got.attrs["alt"] == "2021-08-06"
    assert values("31/12/2020", "en") == ["2020-12-31"]


def test_today_only_when_it_means_the_document_date() -> None:
    paris_a = line_with(SEED_PARIS_A, "هذا اليوم")
    assert any(d.attrs.get("relative") == "today" for d in find_dates(paris_a, "ar"))
    riyadh = read_paragraphs(SEED_RIYADH)[1]
    today = [d for d in find_dates(riyadh, "ar") if d.value is None]
    assert [riyadh[d.start : d.end] for d in today] == ["اليوم"]
    assert values("لم يتغير شيء حتى اليوم", "ar") == []
    assert values("في اليوم التالي للاجتماع", "ar") == []
    assert values("It has not changed to this day, up to today.", "en") == []
    rome_intro = read_paragraphs(ROME_EN)[0]
    assert values(rome_intro, "en") == [None]  # "today’s meeting"


def test_weekday_is_recorded() -> None:
    got = find_dates("يوم الأحد الموافق 27 حزيران/يونيو 2021", "ar")
    assert got[0].value == "2021-06-27" and got[0].attrs["weekday"] == "sunday"
    got = find_dates("Sunday, June 27, 2021", "en")
    assert got[0].attrs["weekday"] == "sunday"


def test_extractor_is_registered_and_spans_point_into_the_segment() -> None:
    ex = get_extractor("date")
    assert isinstance(ex, DateExtractor)
    seg = Segment("ar-s0", 0, 0, read_paragraphs(SEED_PARIS_A)[5])
    (m,) = ex.extract(seg, "ar", "target")
    assert m.kind == "date" and m.text == seg.text[m.start : m.end] == "25 حزيران/يونيو، 2019"
    assert m.value == "2019-06-25" and m.attrs == {"precision": "day"}


def test_bad_language_raises() -> None:
    with pytest.raises(AlignerError, match="fr"):
        find_dates("le 28 juin 2021", "fr")


def test_value_round_trip() -> None:
    for v in ("2021-06-28", "2021-06", "2021-fall", "2021", "--02-06"):
        assert parse_date_value(v).iso() == v
    with pytest.raises(ValueError):
        parse_date_value("June 2021")


# ----------------------------------------------------------------------------- the check


def test_paris_translation_dates_agree() -> None:
    bt = paris_bitext()
    assert len([m for m in bt.mentions if m.kind == "date" and m.value]) >= 8
    assert list(DateCheck().run(bt)) == []


def test_changed_day_is_a_mismatch_with_correction() -> None:
    paras = read_paragraphs(SEED_PARIS_A)
    i = next(i for i, p in enumerate(paras) if "23 آذار/مارس، 2019" in p)
    paras[i] = paras[i].replace("23 آذار/مارس، 2019", "24 آذار/مارس، 2019")
    findings = list(DateCheck().run(paris_bitext(paras)))
    assert [f.category for f in findings] == ["date.mismatch"]
    f = findings[0]
    assert f.severity == Severity.ERROR
    assert f.source is not None and f.source.excerpt == "March 23, 2019"
    assert f.target is not None and f.target.excerpt == "24 آذار/مارس، 2019"
    assert f.correction is not None and f.correction.corr == "23 آذار/مارس، 2019"
    assert f.details == {"source": "2019-03-23", "target": "2019-03-24"}


def test_dropped_day_is_a_precision_loss() -> None:
    paras = read_paragraphs(SEED_PARIS_A)
    i = next(i for i, p in enumerate(paras) if "23 آذار/مارس، 2019" in p)
    paras[i] = paras[i].replace("23 آذار/مارس، 2019", "آذار/مارس 2019")
    findings = list(DateCheck().run(paris_bitext(paras)))
    assert [f.category for f in findings] == ["date.precision"]
    assert findings[0].severity == Severity.WARNING
    assert findings[0].details["precision"] == ["day", "month"]


def test_dropped_and_added_dates() -> None:
    paras = read_paragraphs(SEED_PARIS_A)
    i = next(i for i, p in enumerate(paras) if "شباط/فبراير 2018" in p)
    paras[i] = paras[i].replace(" في شباط/فبراير 2018", "")
    j = next(i for i, p in enumerate(paras) if "23 آذار/مارس، 2019" in p)
    paras[j] = paras[j] + " وذلك في تموز/يوليو 2019."
    findings = list(DateCheck().run(paris_bitext(paras)))
    cats = sorted(
        (f.category, f.details.get("source") or f.details.get("target")) for f in findings
    )
    assert cats == [("date.added", "2019-07"), ("date.missing", "2018-02")]


def test_weekday_contradicting_the_date() -> None:
    paras = read_paragraphs(SEED_PARIS_A)
    paras[5] = "الأحد " + paras[5]  # 25 June 2019 was a Tuesday
    findings = list(DateCheck().run(paris_bitext(paras)))
    assert [f.category for f in findings] == ["date.weekday"]
    assert findings[0].details == {"value": "2019-06-25", "stated": "sunday", "actual": "tuesday"}
    paras[5] = paras[5].replace("الأحد", "الثلاثاء")
    assert list(DateCheck().run(paris_bitext(paras))) == []


def test_rome_month_season_and_bare_year_are_not_findings() -> None:
    en = make_doc(ROME_EN, "en", "en")
    ar = make_doc(ROME_AR, "ar", "ar")
    offset = len(ar.paragraphs) - len(en.paragraphs)  # the Arabic keeps the header
    bt = paragraph_bitext(en, ar, [(i, i + offset) for i in range(len(en.paragraphs))])
    assert {m.value for m in bt.mentions if m.value} >= {"2022-06", "2021-fall", "2021"}
    assert list(DateCheck().run(bt)) == []


def test_number_mention_matches_a_year() -> None:
    """A year-precision date on one side ↔ a number mention of that year on the other."""
    en = Document("en.txt", "en", ["The 2021 Pledge Drive."])
    ar = Document("ar.txt", "ar", ["حملة التعهّد لعام ألفين وواحد وعشرين."])
    en.segments = [Segment("en-s0", 0, 0, en.paragraphs[0])]
    ar.segments = [Segment("ar-s0", 0, 0, ar.paragraphs[0])]
    bt = Bitext(source=en, target=ar, alignments=[Alignment((0,), (0,))])
    bt.mentions = [Mention("date", "source", "en-s0", 0, 0, "", "2021", {"precision": "year"})]
    assert [f.category for f in DateCheck().run(bt)] == ["date.missing"]
    bt.mentions.append(Mention("number", "target", "ar-s0", 13, 36, "ألفين وواحد وعشرين", 2021.0))
    assert list(DateCheck().run(bt)) == []


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_any_date_written_by_cldr_is_read_back(day: datetime.date) -> None:
    """Dates written with babel's own patterns (en, ar, ar_SY) come back as the same value."""
    want = day.isoformat()
    assert values(format_date(day, "long", locale="en"), "en") == [want]
    assert values(format_date(day, "d MMMM y", locale="ar_SY"), "ar") == [want]
    levant = format_date(day, "MMMM", locale="ar_SY")
    gulf = format_date(day, "MMMM", locale="ar")
    assert values(f"{day.day} {levant}/{gulf}، {day.year}", "ar") == [want]


def test_irregular_month_year_forms_in_the_seeds() -> None:
    assert "2023-03" in values(line_with(SEED_RIYADH, "مارس/ 2023"), "ar")
    assert "2018-10" in values(line_with(SEED_FACTSHEET, "لسنة 2018"), "ar")
    assert "2015-08" in values(line_with(SEED_FACTSHEET, "آب/ أغسطس 2015"), "ar")
