"""Ingest on the real documents: every format, the archive metadata, boilerplate and decoding."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from conftest import (
    PARIS_EN,
    PARIS_EN_QUOTES,
    ROME_AR,
    ROME_EN,
    SEED_FACTSHEET,
    SEED_PARIS_A,
    SEED_PARIS_B,
    SEED_RIYADH,
    SEED_ROME,
    TEST_DATA,
)

from aligner.ingest import (
    READERS,
    decode_bytes,
    detect_format,
    detect_language,
    document_parts,
    load_pair,
    load_record,
    read_documents,
)
from aligner.ingest.record import country_code, language_code, split_run_together
from aligner.model import AlignerError

DATA = TEST_DATA / "ingest"


def lines_of(path: Path) -> list[str]:
    return [ln for ln in path.read_text(encoding="utf-8").split("\n") if ln.strip()]


# --- plain text -------------------------------------------------------------------------


def test_text_pair_from_originals_one_paragraph_per_line() -> None:
    src, tgt = load_pair(str(ROME_EN), str(ROME_AR))
    assert (src.lang, tgt.lang) == ("en", "ar")
    assert src.fmt == tgt.fmt == "text"
    assert src.paragraphs == lines_of(ROME_EN)
    assert tgt.paragraphs == lines_of(ROME_AR)
    assert "\u202f" in src.paragraphs[2]  # content spaces are kept verbatim
    assert src.removed == [] and tgt.removed == []


def test_partial_original_in_two_parts_is_concatenated() -> None:
    src, tgt = load_pair([str(PARIS_EN), str(PARIS_EN_QUOTES)], str(SEED_PARIS_B))
    first, second = lines_of(PARIS_EN), lines_of(PARIS_EN_QUOTES)
    assert src.path == str(PARIS_EN)
    assert src.paragraphs == first + second
    assert document_parts(src) == [(str(PARIS_EN), 0), (str(PARIS_EN_QUOTES), len(first))]
    # the quotes file breaks off mid-sentence on its last line: nothing to join it with
    assert src.paragraphs[-1] == second[-1]
    assert tgt.lang == "ar"


def test_broken_paragraph_in_seed_003_is_rejoined() -> None:
    raw = lines_of(SEED_PARIS_B)
    cut = next(i for i, ln in enumerate(raw) if ln.endswith("لضرب"))
    (doc,) = read_documents(str(SEED_PARIS_B))
    assert len(doc.paragraphs) == len(raw) - 1
    assert f"{raw[cut]} {raw[cut + 1]}" in doc.paragraphs
    # headings (short, unterminated) are never joined to the next paragraph
    assert doc.paragraphs[0] == raw[0]


def test_presplit_never_joins() -> None:
    (doc,) = read_documents(str(SEED_PARIS_B), presplit=True)
    assert doc.paragraphs == lines_of(SEED_PARIS_B)


def test_plain_arabic_seed_is_one_document() -> None:
    docs = read_documents(str(SEED_RIYADH))
    assert [d.lang for d in docs] == ["ar"]
    assert docs[0].paragraphs == lines_of(SEED_RIYADH)
    assert docs[0].metadata is None


# --- archive records --------------------------------------------------------------------


def test_record_000_metadata_and_removals() -> None:
    assert detect_format(str(SEED_PARIS_A), SEED_PARIS_A.read_text(encoding="utf-8")) == "record"
    (doc,) = read_documents(str(SEED_PARIS_A))
    meta = doc.metadata
    assert meta is not None and doc.fmt == "record" and doc.lang == "ar"
    assert meta.code == "SMI/A200/529804"
    assert meta.release_date == "2019/06/25"
    assert meta.languages == ["العربية"]
    assert meta.document_type == "بيان ختامي"
    assert meta.target_countries == ["الولايات المتحدة الأميركية"]
    assert meta.related_persons == []  # "لايوجد معلومات حالية"
    assert meta.fields["شخصيات مرتبطة"] == ["لايوجد معلومات حالية"]
    assert "صحيحة" in meta.fields["درجة الموثوقية"]  # the reliability list is part of the block
    kinds = [r.kind for r in doc.removed]
    assert kinds == ["archive-banner", "metadata-block"]
    assert doc.removed[1].text.startswith("المعلومات الأساسية")
    raw = lines_of(SEED_PARIS_A)
    block = raw.index("المعلومات الأساسية")
    assert doc.paragraphs == raw[1:block]  # banner and block gone, body untouched
    assert doc.title == raw[1] == doc.paragraphs[0]  # title kept in the paragraphs


def test_record_002_metadata() -> None:
    docs = read_documents(str(SEED_ROME))
    meta = docs[0].metadata
    assert meta is not None and all(d.metadata is meta for d in docs)
    assert meta.code == "SMI/A200/593915"
    assert meta.release_date == "2021/05/28"
    assert meta.languages == ["العربية", "الإنجليزية"]
    assert meta.fields["اللغة"] == ["العربيةالإنجليزية"]
    assert meta.document_type == "بيان صحفي"
    assert meta.target_countries == ["العراق", "سورية", "الولايات المتحدة الأميركية"]
    assert meta.fields["البلد المستهدف"] == ["العراقسوريةالولايات المتحدة الأميركية"]
    assert meta.related_persons == ["أنتوني بلينكن", "لويجي دي مايو"]
    assert [country_code(c) for c in meta.target_countries] == ["IQ", "SY", "US"]
    assert [language_code(lang) for lang in meta.languages] == ["ar", "en"]


def test_record_002_split_by_script_matches_originals() -> None:
    docs = read_documents(str(SEED_ROME))
    assert [d.lang for d in docs] == ["ar", "en"]
    ar, en = docs
    assert len(ar.paragraphs) == len(lines_of(ROME_AR)) == 16
    assert len(en.paragraphs) == len(lines_of(ROME_EN)) == 12
    assert ar.paragraphs == lines_of(ROME_AR)
    assert en.paragraphs == lines_of(ROME_EN)
    assert ar.title == ar.paragraphs[0]
    assert en.title is None  # the English half opens with a sentence, not a heading
    for doc in docs:
        assert [r.kind for r in doc.removed] == ["archive-banner", "metadata-block"]
    src, tgt = load_record(str(SEED_ROME))
    assert (src.lang, tgt.lang) == ("en", "ar")
    assert src.paragraphs == en.paragraphs


def test_load_record_refuses_one_language_file() -> None:
    with pytest.raises(AlignerError, match="both English and Arabic") as err:
        load_record(str(SEED_PARIS_A))
    assert err.value.path == str(SEED_PARIS_A)


def test_load_pair_refuses_bilingual_file() -> None:
    with pytest.raises(AlignerError, match="2 languages") as err:
        load_pair(str(ROME_EN), str(SEED_ROME))
    assert err.value.path == str(SEED_ROME)


def test_run_together_values_split_only_when_fully_known() -> None:
    from aligner.ingest.record import country_names

    names = country_names()
    assert split_run_together("العراقسورية", names) == ["العراق", "سورية"]
    assert split_run_together("العراق، سوريا", names) == ["العراق", "سوريا"]
    # an unknown value is kept whole rather than cut around a known substring
    assert split_run_together("مملكة خيالية", names) == ["مملكة خيالية"]


# --- web page leftovers -----------------------------------------------------------------


def test_web_page_004_navigation_and_trailer_removed() -> None:
    raw = SEED_FACTSHEET.read_text(encoding="utf-8").split("\n")
    (doc,) = read_documents(str(SEED_FACTSHEET))
    assert doc.fmt == "text" and doc.lang == "ar"
    removed = [(r.kind, r.text) for r in doc.removed]
    assert removed[:3] == [
        ("web-navigation", "rss"),
        ("web-navigation", "التحالف الدولي- العمل لدحر داعش"),
        ("web-navigation", "English English"),
    ]
    assert [k for k, _ in removed[3:]] == [
        "source-link",
        "translation-disclaimer",
        "newsletter",
        "newsletter",
    ]
    assert removed[3][1].startswith("عرض المحتوى الأصلي: https://")
    # the institution lines and dateline below the navigation are translated text: kept
    assert doc.paragraphs[:5] == [ln.strip() for ln in raw[6:11]]
    assert doc.paragraphs[4] == "6 شباط/فبراير، 2019"
    assert all(p.strip("\u00a0 ") for p in doc.paragraphs)  # NBSP-only lines dropped
    # bullets keep their text without the bullet
    bullets = [ln.strip()[1:].strip() for ln in raw if ln.strip().startswith("•")]
    assert len(bullets) == 5 and all(b in doc.paragraphs for b in bullets)
    assert doc.paragraphs[-1] == bullets[-1]
    assert not any("state.gov" in p for p in doc.paragraphs)


# --- HTML and TEI -----------------------------------------------------------------------


def test_html_main_content_blocks_and_removals() -> None:
    path = DATA / "rome-ar.html"
    (doc,) = read_documents(str(path))
    ar = lines_of(ROME_AR)
    assert doc.fmt == "html" and doc.lang == "ar"
    assert doc.paragraphs == [*ar[:8], ar[-1]]  # <br>, inline <b>, line breaks handled
    assert doc.title == ar[0]  # first <h1>
    assert not any("ليس نصا" in p or "rss" in p for p in doc.paragraphs)
    kinds = {r.kind: r.text for r in doc.removed}
    assert kinds["web-aside"].startswith("روابط ذات صلة")
    assert kinds["web-navigation"] == "الرئيسية"
    assert "source-link" in kinds and "translation-disclaimer" in kinds


def test_html_detected_by_content_body_fallback_and_script_language(tmp_path: Path) -> None:
    en = lines_of(ROME_EN)
    page = tmp_path / "page.txt"
    page.write_text(
        "<html><body><header>Global Coalition | Menu</header>"
        f"<div>{en[0]}</div><p>{en[1]}</p><footer>Email Updates</footer></body></html>",
        encoding="utf-8",
    )
    (doc,) = read_documents(str(page))
    assert doc.fmt == "html" and doc.lang == "en"
    assert doc.paragraphs == en[:2]
    assert [r.kind for r in doc.removed] == ["web-navigation", "web-footer"]


def test_tei_group_gives_two_documents() -> None:
    path = DATA / "rome-bilingual.tei.xml"
    docs = read_documents(str(path))
    assert [(d.lang, d.fmt) for d in docs] == [("en", "tei"), ("ar", "tei")]
    en, ar = docs
    assert en.paragraphs == lines_of(ROME_EN)  # the <note> is not body text
    assert ar.paragraphs == lines_of(ROME_AR)
    assert en.title == "Rome statement of the Global Coalition, 28 June 2021"
    src, tgt = load_record(str(path))
    assert (src.lang, tgt.lang) == ("en", "ar")


def test_tei_external_entity_is_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    path = tmp_path / "xxe.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text xml:lang="en"><body>'
        "<p>Begin text: &x; End text.</p></body></text></TEI>",
        encoding="utf-8",
    )
    # issue 7: an entity declaration is refused outright (the text of &x; would be lost)
    with pytest.raises(AlignerError, match="declares XML entities") as err:
        read_documents(str(path))
    assert "SECRET" not in str(err.value)
    assert err.value.path == str(path)


def test_malformed_tei_names_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>', encoding="utf-8")
    with pytest.raises(AlignerError, match="not well-formed") as err:
        read_documents(str(path))
    assert err.value.path == str(path)


# --- decoding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
)
@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_boms_and_newlines(tmp_path: Path, encoding: str, bom: bytes, newline: str) -> None:
    text = ROME_AR.read_text(encoding="utf-8")
    path = tmp_path / "rome.txt"
    path.write_bytes(bom + text.replace("\n", newline).encode(encoding))
    (doc,) = read_documents(str(path))
    assert doc.paragraphs == lines_of(ROME_AR)


def test_invalid_utf8_names_file_and_offset(tmp_path: Path) -> None:
    good = "بيان روما".encode()
    path = tmp_path / "bad.txt"
    path.write_bytes(good + b"\xff\xfe-broken")
    with pytest.raises(AlignerError, match=f"byte offset {len(good)}") as err:
        read_documents(str(path))
    assert err.value.path == str(path)
    assert str(path) in str(err.value)


def test_decode_bytes_refuses_utf16_without_bom() -> None:
    with pytest.raises(AlignerError, match="byte offset 1"):
        decode_bytes("Rome".encode("utf-16-le"), "x.txt")
    assert decode_bytes(codecs.BOM_UTF8 + b"a\r\nb\rc", "x.txt") == "a\nb\nc"


def test_missing_file_and_unknown_format() -> None:
    with pytest.raises(AlignerError, match="no such file"):
        read_documents("/nonexistent/statement.txt")
    with pytest.raises(AlignerError, match="unknown format"):
        read_documents(str(ROME_EN), fmt="pdf")
    assert set(READERS) == {"text", "record", "html", "tei"}


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"\n\xc2\xa0\n")
    with pytest.raises(AlignerError, match="no text") as err:
        read_documents(str(path))
    assert err.value.path == str(path)


# --- language -------------------------------------------------------------------------


def test_detect_language_by_script_share() -> None:
    assert detect_language(ROME_AR.read_text(encoding="utf-8")) == "ar"
    assert detect_language(ROME_EN.read_text(encoding="utf-8")) == "en"
    assert detect_language("تسجيل بيانات المسافرين (PNR) في العراق") == "ar"
    assert detect_language("The Global Coalition to Defeat Daesh/ISIS (داعش)") == "en"
    for bad in ("2021/05/28 12:00", "", "Привет, мир, как дела"):
        with pytest.raises(AlignerError):
            detect_language(bad)


def test_declared_language_contradicted_by_script_is_overridden(tmp_path: Path) -> None:
    ar = lines_of(ROME_AR)
    page = tmp_path / "page.html"
    page.write_text(f'<html lang="en"><body><p>{ar[0]}</p></body></html>', encoding="utf-8")
    (doc,) = read_documents(str(page))
    assert doc.lang == "ar"


def test_non_tei_xml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0"?><rss><item>Rome</item></rss>', encoding="utf-8")
    with pytest.raises(AlignerError, match="TEI namespace") as err:
        read_documents(str(path))
    assert err.value.path == str(path)
