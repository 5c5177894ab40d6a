"""EntityCheck on hand-built bitexts of the real documents (1-1 paragraph pairs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.checks import get_check
from aligner.checks.entities import (
    EntityCheck,
    entities_command,
    entity_match_table,
    find_person,
)
from aligner.entities.gazetteer import adjective_forms
from aligner.model import Alignment, Bitext, Document, RecordMetadata, Segment
from tests.conftest import ROME_AR, ROME_EN, SEED_PARIS_A, SEED_ROME

#: the Arabic body starts with four header lines (title, ministry, office, date) that the
#: English original has no paragraph for; after them the paragraphs correspond 1-1.
ROME_AR_HEADER = 4


def _doc(lang: str, paras: list[str], md: RecordMetadata | None = None) -> Document:
    segs = [Segment(f"{lang}-s{i}", i, i, p, 0, len(p)) for i, p in enumerate(paras)]
    return Document(path=f"{lang}.txt", lang=lang, paragraphs=paras, metadata=md, segments=segs)


def _paras(path: Path) -> list[str]:
    return [p.strip() for p in path.read_text(encoding="utf-8").splitlines() if p.strip()]


def _seed_rome_metadata() -> RecordMetadata:
    """Related persons and target countries as they stand in seed 002's metadata block."""
    lines = [x.strip() for x in SEED_ROME.read_text(encoding="utf-8").splitlines() if x.strip()]
    i = lines.index("شخصيات مرتبطة")
    persons = lines[i + 1 : lines.index("يوميات مرتبطة")]
    assert "أنتوني بلينكن" in persons and "لويجي دي مايو" in persons
    return RecordMetadata(related_persons=persons, target_countries=["العراق", "سورية"])


@pytest.fixture(scope="module")
def rome() -> Bitext:
    en = _paras(ROME_EN)
    ar = _paras(ROME_AR)[ROME_AR_HEADER:]
    n = min(len(en), len(ar))
    return Bitext(
        _doc("en", en),
        _doc("ar", ar, _seed_rome_metadata()),
        alignments=[Alignment((i,), (i,)) for i in range(n)],
    )


def test_check_is_registered() -> None:
    assert isinstance(get_check("entity"), EntityCheck)


def test_rome_misspelt_blinken_corrected_from_document_and_metadata(rome: Bitext) -> None:
    findings = list(EntityCheck().run(rome))
    misspelt = [f for f in findings if f.category == "entity.misspelt"]
    assert len(misspelt) == 1
    f = misspelt[0]
    assert f.correction is not None
    assert (f.correction.side, f.correction.sic, f.correction.corr) == ("target", "بلكين", "بلينكن")
    assert f.target is not None and f.target.excerpt == "بلكين"
    others = [x for x in findings if x is not f]
    assert len(others) <= 1, [x.message for x in others]
    assert not [x for x in findings if x.category == "entity.metadata"]


def test_rome_every_english_entity_has_an_arabic_counterpart(rome: Bitext) -> None:
    rows = entity_match_table(rome)
    unmatched = [r for r in rows if r[2].startswith("unmatched")]
    assert len(unmatched) <= 1, unmatched
    table = {(en, ar) for en, ar, _ in rows}
    assert ("Luigi Di Maio", "لويجي دي مايو") in table
    assert ("NATO", "الناتو") in table
    assert ("EUAM Iraq Mission", "بعثة الاتحاد الأوروبي في العراق") in table
    assert ("Brussels", "بروكسل") in table
    assert any(r[0] == "Resolution 2254" and "2254" in r[1] for r in rows)
    how = {r[2].split(":")[0] for r in rows}
    assert {"gazetteer", "transliteration"} <= how
    assert how <= {"gazetteer", "transliteration", "adjective", "unmatched"}


def test_paris_list_count_reports_the_missing_waw() -> None:
    en = (
        "By inviting Sri Lanka, Mali, and Burkina Faso to participate as observers in a "
        "Coalition meeting, the Paris event has"
    )
    text = SEED_PARIS_A.read_text(encoding="utf-8")
    line = next(p for p in text.splitlines() if "سريلانكا ومالي" in p)
    ar = next(s for s in line.split(". ") if "سريلانكا ومالي" in s)
    assert ar.startswith("وإن حدث باريس ومن خلال دعوة سريلانكا ومالي بوركينا فاسو")
    bt = Bitext(_doc("en", [en]), _doc("ar", [ar]), alignments=[Alignment((0,), (0,))])
    findings = list(EntityCheck().run(bt))
    lc = [f for f in findings if f.category == "entity.list-count"]
    assert len(lc) == 1
    assert lc[0].details["source_items"] == 3 and lc[0].details["target_items"] == 2
    assert lc[0].correction is not None
    assert lc[0].correction.corr == "سريلانكا ومالي وبوركينا فاسو"
    assert not [f for f in findings if f.category == "entity.missing"]


def test_faithful_list_is_not_reported(rome: Bitext) -> None:
    findings = EntityCheck().run(rome)
    assert not [f for f in findings if f.category == "entity.list-count"]  # CF, CD, MR, YE


def test_substituted_and_missing_entities() -> None:
    en = "The Ministers met in Rome with the EU and NATO."
    ar = "التقى الوزراء في باريس مع الاتحاد الأوروبي."
    bt = Bitext(_doc("en", [en]), _doc("ar", [ar]), alignments=[Alignment((0,), (0,))])
    found = {
        (f.category, f.details.get("source"), f.details.get("target"))
        for f in EntityCheck().run(bt)
    }
    assert found == {
        ("entity.substituted", "city:ROME", "city:PARIS"),
        ("entity.missing", "org:NATO", None),
    }


def test_missing_person_and_unrelated_name() -> None:
    en = "U.S. Secretary of State Antony J. Blinken met the Ministers."
    ar = "التقى وزير الخارجية الأمريكي مايك بومبيو الوزراء."
    bt = Bitext(_doc("en", [en]), _doc("ar", [ar]), alignments=[Alignment((0,), (0,))])
    cats = [f.category for f in EntityCheck().run(bt)]
    assert cats == ["entity.missing"]
    assert find_person("Antony J. Blinken", ar) is None


def test_metadata_person_absent_from_text() -> None:
    md = RecordMetadata(related_persons=["مايك بومبيو"], target_countries=["العراق", "ليبيا"])
    en, ar = "The Coalition operates in Iraq.", "ويعمل التحالف في العراق."
    bt = Bitext(_doc("en", [en]), _doc("ar", [ar], md), alignments=[Alignment((0,), (0,))])
    meta = [f for f in EntityCheck().run(bt) if f.category == "entity.metadata"]
    assert sorted(f.target.field for f in meta if f.target) == [
        "related_persons",
        "target_countries",
    ]
    assert {f.details.get("country") for f in meta} == {None, "country:LY"}


def test_cli_function_prints_the_table(tmp_path: Path) -> None:
    en, ar = tmp_path / "en.txt", tmp_path / "ar.txt"
    en.write_text("Meeting in Rome with NATO.\n", encoding="utf-8")
    ar.write_text("اجتماع في روما مع الناتو.\n", encoding="utf-8")
    out = entities_command(str(en), str(ar)).splitlines()
    assert out == ["Rome\tروما\tgazetteer:city:ROME", "NATO\tالناتو\tgazetteer:org:NATO"]


def test_common_words_do_not_pass_for_a_misspelt_name() -> None:
    # Blinken ~ بالقانون scores like the real misspelling بلكين on the bare skeleton
    assert find_person("Blinken", "الالتزام بالقانون الدولي") is None
    hit = find_person("Blinken", "الالتزام بالقانون الدولي وبلكين")
    assert hit is not None and hit.text == "بلكين"


def test_country_rendered_as_its_adjective_is_not_missing() -> None:
    """Rome: "the Government of Iraq" is translated "الحكومة العراقية" (the nisba adjective)."""
    en = (
        "The Ministers firmly condemned the continuing attacks against Coalition personnel, "
        "emphasizing the importance of the Government of Iraq protecting Coalition assets."
    )
    ar = (
        "وأدان الوزراء بشدة الهجمات المستمرّة ضد أفراد التحالف، مؤكدّين على أهمية قيام "
        "الحكومة العراقية بحماية ممتلكات التحالف."
    )
    bt = Bitext(_doc("en", [en]), _doc("ar", [ar]), alignments=[Alignment((0,), (0,))])
    assert [f for f in EntityCheck().run(bt) if f.category == "entity.missing"] == []
    # the adjective of another country is still no counterpart
    ar_other = ar.replace("العراقية", "السورية")
    bt = Bitext(_doc("en", [en]), _doc("ar", [ar_other]), alignments=[Alignment((0,), (0,))])
    flagged = [
        (f.category, f.details["source"]) for f in EntityCheck().run(bt)
        if f.category in ("entity.missing", "entity.substituted")
    ]
    assert flagged == [("entity.substituted", "country:IQ")]
    assert adjective_forms("country:SY", "en") >= {"syrian"}
    bt = Bitext(_doc("en", [en]), _doc("ar", [ar]), alignments=[Alignment((0,), (0,))])
    assert ("Iraq", "العراقية", "adjective:country:IQ") in entity_match_table(bt)


def test_entity_referred_to_by_a_generic_noun_is_only_info() -> None:
    """Paris B: "Daesh/ISIS has also proved its resilience" → "فالتنظيم ... أثبت" (the group)."""
    en = (
        "While it continues to inspire terrorist attacks, "
        "Daesh/ISIS has also proved its resilience."
    )
    ar = "فالتنظيم ما يزال يدفع إلى تنفيذ هجمات إرهابية، وأثبت أيضًا قدرته على الصمود."
    bt = Bitext(_doc("en", [en]), _doc("ar", [ar]), alignments=[Alignment((0,), (0,))])
    missing = [f for f in EntityCheck().run(bt) if f.category == "entity.missing"]
    assert [(f.details["source"], str(f.severity)) for f in missing] == [("org:ISIS", "info")]
    assert "فالتنظيم" in missing[0].message
    # without the generic noun it stays a warning
    bt = Bitext(_doc("en", [en]), _doc("ar", [ar.replace("فالتنظيم", "فهو")]),
                alignments=[Alignment((0,), (0,))])
    missing = [f for f in EntityCheck().run(bt) if f.category == "entity.missing"]
    assert [str(f.severity) for f in missing] == ["warning"]
