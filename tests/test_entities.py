"""Normalisation, gazetteer, transliteration and the entity extractor on the real documents."""

from __future__ import annotations

import pytest

from aligner.entities.gazetteer import load
from aligner.entities.normalise import ar_cores, normalise_ar
from aligner.entities.translit import MATCH_THRESHOLD, is_transliteration, similarity, skeleton
from aligner.extract import get_extractor
from aligner.extract.entities import EntityExtractor, english_people, person_key
from aligner.model import Segment
from tests.conftest import ROME_AR, ROME_EN, SEED_PARIS_A


def _seg(text: str, sid: str = "x-s0") -> Segment:
    return Segment(sid, 0, 0, text, 0, len(text))


def _keys(text: str, lang: str) -> list[str]:
    return [m.value for m in EntityExtractor().extract(_seg(text), lang, "source")]


def test_normalise_folds_hamza_ta_marbuta_alef_maqsura_diacritics() -> None:
    assert normalise_ar("إفريقيا") == normalise_ar("أفريقيا") == "افريقيا"
    assert normalise_ar("سورية") == "سوريه"
    assert normalise_ar("مصطفى") == "مصطفي"
    assert normalise_ar("السّوريّة") == normalise_ar("السورية")
    assert normalise_ar("مـصر") == "مصر"


def test_prefix_readings_keep_the_literal_one_first() -> None:
    cores = dict((c, p) for p, c in ar_cores("والعراق"))
    assert cores["عراق"] == "وال"
    assert ar_cores("بالاو")[0] == ("", "بالاو")  # Palau is not ب + الاو
    assert "تحالف" in {c for _, c in ar_cores("للتحالف")}


@pytest.mark.parametrize(
    ("en", "ar", "key"),
    [
        ("Syria", "سوريا", "country:SY"),
        ("Syria", "سورية", "country:SY"),
        ("United States", "الولايات المتحدة الأمريكية", "country:US"),
        ("United States", "الولايات المتحدة الأميركية", "country:US"),
        ("Sri Lanka", "سري لانكا", "country:LK"),
        ("Sri Lanka", "سريلانكا", "country:LK"),
        ("NATO", "حلف شمال الأطلسي", "org:NATO"),
        ("NATO", "تحالف الناتو", "org:NATO"),
        ("INTERPOL", "المنظمة الدولية للشرطة الجنائية", "org:INTERPOL"),
        ("UN Security Council", "مجلس الأمن التابع للأمم المتحدة", "org:UNSC"),
        ("EU", "الاتحاد الأوروبي", "org:EU"),
        ("Daesh", "تنظيم الدولة الإسلامية", "org:ISIS"),
        ("Global Counter-Terrorism Forum", "المنتدى العالمي لمكافحة الإرهاب", "org:GCTF"),
        ("Rome", "روما", "city:ROME"),
        ("Paris", "باريس", "city:PARIS"),
        ("Brussels", "بروكسل", "city:BRUSSELS"),
        ("Kuwait City", "مدينة الكويت", "city:KUWAIT_CITY"),
        ("Africa", "إفريقيا", "region:002"),
        ("Levant", "بلاد الشام", "region:LEVANT"),
    ],
)
def test_gazetteer_lookup_both_ways(en: str, ar: str, key: str) -> None:
    gaz = load()
    assert gaz.lookup(en, "en") == key
    assert gaz.lookup(ar, "ar") == key


def test_gazetteer_is_built_from_cldr_and_pycountry() -> None:
    gaz = load()
    assert {"cldr", "pycountry"} <= gaz.get("country:IQ").sources
    assert "cldr-tz" in gaz.get("city:ROME").sources
    assert len([k for k in gaz.entries if k.startswith("country:")]) > 200
    # pycountry's vocalised official name is stored without diacritics
    assert "الجمهورية العربية السورية" in gaz.forms("country:SY", "ar")


def test_prefixed_arabic_forms_are_found_with_their_prefix() -> None:
    found = load().find("في العراق وسوريا وبالعراق وللعراق", "ar")
    assert [(m.key, m.prefix) for m in found] == [
        ("country:IQ", "ال"),
        ("country:SY", "و"),
        ("country:IQ", "وبال"),
        ("country:IQ", "ولل"),
    ]


def test_false_friends_are_not_places() -> None:
    assert _keys("وقدمت الدول دعما ماليا ودعم مالي كبير", "ar") == []  # مالي = financial
    assert _keys("سواء في المدن أو القرى", "ar") == []  # أو "or" is not Palau (بالاو)
    assert _keys("تحدث الوزير في عمان عن الأمن", "ar") == []  # عمان: Oman or Amman
    assert _keys("وزير الأمن الداخلي", "ar") == []  # الأمن alone is no Security Council
    assert _keys("الساحل الشرقي", "ar") == []  # the coast, not the Sahel
    assert _keys("The Ministers met in Chad and us", "en") == ["country:TD"]  # "us" is not US


def test_guarded_forms_count_in_a_list_or_after_a_trigger() -> None:
    assert _keys("سريلانكا ومالي وبوركينا فاسو", "ar") == ["country:LK", "country:ML", "country:BF"]
    assert _keys("زار جمهورية مالي", "ar") == ["country:ML"]
    assert _keys("سلطنة عمان", "ar") == ["country:OM"]


def test_resolutions_in_both_languages() -> None:
    assert _keys("UN Security Council Resolution 2254.", "en") == ["org:UNSC", "resolution:2254"]
    ar = _keys("وفقًا لقرار مجلس الأمن التابع للأمم المتحدة رقم 2254", "ar")
    assert ar == ["resolution:2254", "org:UNSC"]
    assert "resolution:2254" in _keys("بموجب القرار 2254", "ar")
    assert _keys("حملة التعهّد لعام 2021", "ar") == []  # a year is no resolution


@pytest.mark.parametrize(
    ("en", "ar"),
    [
        ("Blinken", "بلينكن"),
        ("Blinken", "بلكين"),
        ("Di Maio", "دي مايو"),
        ("Le Drian", "لودريان"),
        ("Luigi", "لويجي"),
        ("Antony", "أنتوني"),
        ("al-Baghdadi", "البغدادي"),
        ("Mike Pompeo", "مايك بومبيو"),
    ],
)
def test_transliteration_pairs_that_match(en: str, ar: str) -> None:
    assert is_transliteration(en, ar), (skeleton(en, "en"), skeleton(ar, "ar"))


@pytest.mark.parametrize(
    ("en", "ar"),
    [
        ("Blinken", "بلدان"),
        ("Blinken", "لبنان"),
        ("Blinken", "بالكامل"),
        ("Blinken", "ووزير"),
        ("Di Maio", "دعم"),
        ("Di Maio", "دي ميستورا"),
        ("Mali", "مالية"),
        ("Antony", "أنطاليا"),
        ("Luigi Di Maio", "أنتوني بلينكن"),
        ("Blinken", "بومبيو"),
    ],
)
def test_transliteration_pairs_that_must_not_match(en: str, ar: str) -> None:
    assert not is_transliteration(en, ar), similarity(en, ar)


def test_threshold_separates_the_spike_pairs() -> None:
    assert similarity("Blinken", "بلينكن") == 100
    assert MATCH_THRESHOLD <= similarity("Blinken", "بلكين") < 100


def test_english_people_after_titles_only() -> None:
    text = ROME_EN.read_text(encoding="utf-8")
    names = sorted({person_key(n) for _, _, n in english_people(text, [])})
    assert names == ["person:blinken", "person:maio"]
    assert english_people("The Ministers tasked the Coalition Working Groups", []) == []
    assert [n for *_, n in english_people("Daesh/ISIS leader al-Baghdadi said", [])] == [
        "al-Baghdadi"
    ]


def test_extractor_is_registered_and_spans_point_into_the_segment() -> None:
    ex = get_extractor("entity")
    assert isinstance(ex, EntityExtractor)
    for path, lang in ((ROME_EN, "en"), (ROME_AR, "ar")):
        for i, para in enumerate(p for p in path.read_text(encoding="utf-8").splitlines() if p):
            for m in ex.extract(_seg(para, f"{lang}-s{i}"), lang, "source"):
                assert para[m.start : m.end] == m.text
                assert m.kind == "entity" and ":" in m.value
                assert m.attrs["type"] in {
                    "person",
                    "country",
                    "org",
                    "city",
                    "region",
                    "resolution",
                }


def test_rome_texts_share_their_place_and_org_keys() -> None:
    ex = EntityExtractor()
    en = {m.value for m in ex.extract(_seg(ROME_EN.read_text(encoding="utf-8")), "en", "source")}
    ar = {m.value for m in ex.extract(_seg(ROME_AR.read_text(encoding="utf-8")), "ar", "target")}
    en -= {k for k in en if k.startswith("person:")}
    assert en <= ar, en - ar
    assert {"country:CD", "org:EUAM", "org:GCTF", "resolution:2254", "region:SAHEL"} <= en


def test_paris_seed_list_extracted_with_mali() -> None:
    text = SEED_PARIS_A.read_text(encoding="utf-8")
    line = next(p for p in text.splitlines() if "سريلانكا ومالي" in p)
    keys = _keys(line, "ar")
    assert "country:ML" in keys and "country:BF" in keys and "city:PARIS" in keys
