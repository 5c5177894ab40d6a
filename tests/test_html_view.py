"""The editor's HTML view: structure and escaping from the TEI, then a real headless browser.

The TEI comes from ``to_tei`` on a hand-built Bitext of real Rome 2021 sentences
(English original vs the Arabic translation), so the page is checked against what
the report writer really emits. The browser part runs Debian's chromium on the page
(skipped, with the reason, only when chromium is not installed).
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from conftest import ROME_AR, ROME_EN, SEED_ROME
from lxml import etree, html

from aligner.model import (
    AlignerError,
    Alignment,
    Bitext,
    Correction,
    Document,
    Evidence,
    Finding,
    RecordMetadata,
    Segment,
    Severity,
)
from aligner.report.html import render_file, to_html
from aligner.report.tei import to_tei

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
SENTENCE_END = re.compile(r"(?<=[.!?؟:])\s+")
HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _segment(doc: Document, prefix: str) -> None:
    """A plain sentence split with exact spans, standing in for the segment stage."""
    for p_index, para in enumerate(doc.paragraphs):
        start = 0
        for piece in SENTENCE_END.split(para):
            begin = para.index(piece, start)
            doc.segments.append(
                Segment(
                    f"{prefix}-s{len(doc.segments) + 1}",
                    len(doc.segments),
                    p_index,
                    piece,
                    begin,
                    begin + len(piece),
                )
            )
            start = begin + len(piece)


def _evidence(side: str, seg: Segment, needle: str | None) -> Evidence:
    if needle is None:
        return Evidence(side, seg.id, seg.text)
    start = seg.text.index(needle)
    return Evidence(side, seg.id, seg.text, (start, start + len(needle)))


def build_bitext() -> Bitext:
    """Rome 2021: five English paragraphs vs their Arabic, with the dateline added (0-1)
    and one English paragraph left untranslated (1-0)."""
    en, ar = _lines(ROME_EN), _lines(ROME_AR)
    source = Document(str(ROME_EN), "en", en[3:9], title="Joint Statement")
    target = Document(
        str(SEED_ROME),
        "ar",
        ar[3:4] + ar[7:12],
        fmt="record",
        metadata=RecordMetadata(code="SMI/A200/593915", release_date="2021/05/28"),
    )
    _segment(source, "en")
    _segment(target, "ar")
    alignments: list[Alignment] = []
    by_para = lambda doc, p: [s.index for s in doc.segments if s.paragraph == p]  # noqa: E731
    alignments += [Alignment((), (j,), 0.0) for j in by_para(target, 0)]  # dateline: 0-1
    for p in range(5):
        src, tgt = by_para(source, p), by_para(target, p + 1)
        n = min(len(src), len(tgt))
        alignments += [Alignment((src[k],), (tgt[k],), 0.8) for k in range(n - 1)]
        alignments.append(Alignment(tuple(src[n - 1 :]), tuple(tgt[n - 1 :]), 0.7))
    alignments += [Alignment((i,), (), 0.0) for i in by_para(source, 5)]  # untranslated: 1-0
    s_million = next(s for s in source.segments if "eight million people" in s.text)
    t_million = next(s for s in target.segments if "ثمانية ملايين شخص" in s.text)
    t_iraq = next(s for s in target.segments if "العراق" in s.text)
    omitted = source.segments[by_para(source, 5)[0]]
    findings = [
        Finding(
            "number.scale",
            Severity.ERROR,
            0.9,
            "'eight million people' lost its scale word",
            "number",
            _evidence("source", s_million, "eight million people"),
            _evidence("target", t_million, "ثمانية ملايين شخص"),
            Correction("target", "ثمانية شخص", "ثمانية ملايين شخص"),
        ),
        # overlaps the first finding on both sides
        Finding(
            "hedge.dropped",
            Severity.INFO,
            0.5,
            "'nearly' has no hedge in the translation",
            "number",
            _evidence("source", s_million, "nearly\u202feight"),
            _evidence("target", t_million, "ما يقرب من ثمانية"),
        ),
        Finding(
            "entity.misspelt",
            Severity.WARNING,
            0.85,
            HOSTILE,
            "entity",
            None,
            _evidence("target", t_iraq, "العراق"),
            Correction("target", "العراق", "العراق"),
        ),
        Finding(
            "segment.omitted",
            Severity.INFO,
            0.6,
            "sentence has no counterpart",
            "omission",
            _evidence("source", omitted, None),
        ),
        Finding(
            "metadata.date",
            Severity.WARNING,
            0.8,
            "release date differs from the dateline",
            "metadata",
            None,
            Evidence("metadata", None, "2021/05/28", field="release_date"),
            Correction("metadata", "2021/05/28", "2021/06/28"),
        ),
    ]
    return Bitext(source, target, alignments, findings=findings)


@pytest.fixture(scope="module")
def tei() -> bytes:
    return to_tei(build_bitext())


@pytest.fixture(scope="module")
def page(tei: bytes) -> bytes:
    return to_html(tei)


@pytest.fixture(scope="module")
def doc(page: bytes) -> html.HtmlElement:
    return html.document_fromstring(page)


_SIMPLE = re.compile(r"([a-z0-9]*)((?:\.[\w-]+)*)((?:\[[\w-]+=[^\]]+\])*)")


def css(el: html.HtmlElement, selector: str) -> list[html.HtmlElement]:
    """Descendant selectors of tags, classes and [attr=value], as XPath (no cssselect needed)."""
    path = "."
    for part in selector.split():
        tag, classes, attrs = _SIMPLE.fullmatch(part).groups()
        tests = [
            f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')"
            for c in classes.split(".")
            if c
        ]
        tests += [
            f"@{k}='{v.strip(chr(39))}'" for k, v in re.findall(r"\[([\w-]+)=([^\]]+)\]", attrs)
        ]
        path += "//" + (tag or "*") + "".join(f"[{t}]" for t in tests)
    return el.xpath(path)


def _tei_root(tei: bytes) -> etree._Element:
    return etree.fromstring(tei)


# --- structure (no browser) ---------------------------------------------------


def test_page_is_deterministic_html5(tei: bytes, page: bytes) -> None:
    assert page.startswith(b'<!DOCTYPE html>\n<html lang="en">')
    assert to_html(tei) == page
    assert to_html(to_tei(build_bitext())) == page


def test_one_row_per_bead_with_its_sentences(tei: bytes, doc: html.HtmlElement) -> None:
    root = _tei_root(tei)
    links = root.findall(f".//{TEI}linkGrp[@type='alignment']/{TEI}link")
    rows = css(doc, "tbody tr.bead")
    assert [r.get("id") for r in rows] == [f"row-{lk.get(XML_ID)}" for lk in links]
    sentences = {s.get(XML_ID): "".join(s.itertext()) for s in root.iter(f"{TEI}s")}
    seen = 0
    for link, row in zip(links, rows, strict=True):
        ids = [t[1:] for t in link.get("target").split()]
        src_cell, tgt_cell = css(row, "td.side")
        for cell, prefix in ((src_cell, "en-"), (tgt_cell, "ar-")):
            want = [i for i in ids if i.startswith(prefix)]
            got = [s.get("data-sid") for s in css(cell, "span.s")]
            assert got == want
            # the sentence text is intact, marks and back-links aside
            for span in css(cell, "span.s"):
                text = "".join(t for t in span.xpath(".//text()[not(ancestor::a)]"))
                assert text == sentences[span.get("data-sid")]
                seen += 1
            if not want:
                assert "empty" in cell.get("class")
                assert cell.text_content().strip() == "no counterpart"
        assert row.get("data-bead") == link.get("type")
    assert seen == len(sentences)
    kinds = {r.get("data-bead") for r in rows}
    assert {"0-1", "1-0", "1-1"} <= kinds


def test_arabic_cells_are_rtl_and_english_ltr(doc: html.HtmlElement) -> None:
    ar = css(doc, "td.side.target")
    en = css(doc, "td.side.source")
    assert ar and all(c.get("dir") == "rtl" and c.get("lang") == "ar" for c in ar)
    assert en and all(c.get("dir") == "ltr" and c.get("lang") == "en" for c in en)


def test_span_marks_cover_exactly_the_quoted_evidence(tei: bytes, doc: html.HtmlElement) -> None:
    root = _tei_root(tei)
    for note in root.iter(f"{TEI}note"):
        if note.get("type") != "finding":
            continue
        fid = note.get(XML_ID)
        sev = note.get("ana").removeprefix("#severity-")
        for cit in note.findall(f"{TEI}cit"):
            sent = cit.find(f"{TEI}ptr[@type='sentence']")
            if sent is None:
                continue
            span = doc.get_element_by_id(f"s-{sent.get('target')[1:]}")
            marks = [m for m in css(span, "mark") if fid in m.get("data-findings").split()]
            assert marks, f"{fid} is not highlighted"
            assert "".join(m.text_content() for m in marks) == cit.find(f"{TEI}quote").text
            # the worst severity covering a piece gives its class
            assert all(m.get("class").split()[0] in ("sev-error", f"sev-{sev}") for m in marks)
            if cit.find(f"{TEI}ptr[@type='span']") is None:
                assert all("whole" in m.get("class").split() for m in marks)
    # overlapping findings: the shared piece names both
    shared = [m for m in css(doc, "mark") if len(m.get("data-findings").split()) == 2]
    assert {m.text_content() for m in shared} == {"eight", "ثمانية"}
    assert all(m.get("class") == "sev-error" for m in shared)


def test_findings_panel_links_both_ways(tei: bytes, doc: html.HtmlElement) -> None:
    root = _tei_root(tei)
    fids = [n.get(XML_ID) for n in root.iter(f"{TEI}note") if n.get("type") == "finding"]
    items = css(doc, "aside li.finding")
    assert [li.get("id") for li in items] == fids
    ids = {el.get("id") for el in doc.iter() if el.get("id")}
    hrefs = [a.get("href") for a in doc.iter("a")]
    assert hrefs and all(h.startswith("#") and h[1:] in ids for h in hrefs)
    for li in items:
        goto = css(li, "a.goto")[0].get("href")[1:]
        target = doc.get_element_by_id(goto)
        # the row (or record field) it jumps to highlights this finding and links back
        assert li.get("id") in " ".join(m.get("data-findings") for m in css(target, "mark"))
        assert css(target, f"a[href='#{li.get('id')}']")
    # every category and severity has a filter checkbox
    cats = {li.get("data-category") for li in items}
    assert {i.get("value") for i in css(doc, "input[data-filter=category]")} == cats
    assert {i.get("value") for i in css(doc, "input[data-filter=severity]")} == {
        "error",
        "warning",
        "info",
    }


def test_corrections_and_metadata_shown(doc: html.HtmlElement) -> None:
    item = doc.get_element_by_id("finding-1")
    assert css(item, ".corr del")[0].text == "ثمانية شخص"
    assert css(item, ".corr ins")[0].text == "ثمانية ملايين شخص"
    assert css(item, ".corr ins")[0].get("dir") == "rtl"
    field = doc.get_element_by_id("meta-bibl-target-release-date")
    assert css(field, "mark.sev-warning")[0].text_content() == "2021/05/28"


def test_everything_is_escaped_and_self_contained(page: bytes, doc: html.HtmlElement) -> None:
    assert len(css(doc, "script")) == 1  # only the filter script
    assert not css(doc, "b")
    assert HOSTILE in doc.get_element_by_id("finding-3").text_content()
    assert b"&lt;script&gt;" in page
    # no external resources of any kind
    for el in doc.iter():
        for attr in ("src", "href", "action", "srcset", "poster", "data"):
            value = el.get(attr)
            assert value is None or value.startswith("#"), (el.tag, attr, value)
    style = css(doc, "style")[0].text
    assert "url(" not in style and "@import" not in style
    assert not css(doc, "link")


def test_readable_without_js(tei: bytes, doc: html.HtmlElement) -> None:
    # the filter form is hidden until JS shows it; findings and rows are plain content
    assert doc.get_element_by_id("filters").get("hidden") is not None
    assert not css(doc, ".hidden")
    in_sentences = {
        n.get(XML_ID)
        for n in _tei_root(tei).iter(f"{TEI}note")
        if n.find(f"{TEI}cit/{TEI}ptr[@type='sentence']") is not None
    }
    assert len(in_sentences) == 4
    # each such finding is spelt out (message, severity) in the row of its sentences
    notes = css(doc, "td.notes .finding-note")
    assert {n.get("data-findings") for n in notes} == in_sentences
    for note in notes:
        item = doc.get_element_by_id(note.get("data-findings"))
        assert css(note, "p.msg")[0].text_content() == css(item, "p.msg")[0].text_content()
        assert css(note, "span.sev")[0].text == item.get("data-severity")


def test_bad_input_raises_naming_the_file(tmp_path: Path, tei: bytes) -> None:
    with pytest.raises(AlignerError, match=r"r\.xml: report is not well-formed XML"):
        to_html(b"<TEI", path="r.xml")
    with pytest.raises(AlignerError, match="not a TEI report"):
        to_html(b"<html/>", path="r.xml")
    no_links = re.sub(rb'<linkGrp type="alignment">.*?</linkGrp>', b"", tei, flags=re.S)
    with pytest.raises(AlignerError, match="linkGrp"):
        to_html(no_links)
    report = tmp_path / "rome.tei.xml"
    report.write_bytes(tei)
    out = render_file(report)
    assert out == tmp_path / "rome.tei.html"
    assert out.read_bytes() == to_html(tei)
    with pytest.raises(AlignerError, match=r"missing\.xml"):
        render_file(tmp_path / "missing.xml")


# --- real browser ---------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
WIDTH, HEIGHT = 1400, 1000
ERROR_RGB = (0xFF, 0xB3, 0xB3)  # --error in view.xsl

# Injected only into the test copy: reports computed styles and geometry, and
# exercises the severity filter, leaving the page as it was for the screenshot.
PROBE = """<script>
(function () {
  function rect(el) { var r = el.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom]; }
  function cells(sel) { return Array.prototype.map.call(document.querySelectorAll(sel),
    function (td) { var cs = getComputedStyle(td); return { dir: cs.direction,
      rect: rect(td), pad: [parseFloat(cs.paddingLeft), parseFloat(cs.paddingRight)],
      empty: td.classList.contains("empty") }; }); }
  var res = { ar: cells("td.side.target"), en: cells("td.side.source"),
    filters: !document.getElementById("filters").hidden,
    marks: Array.prototype.map.call(document.querySelectorAll("td mark.sev-error"),
      function (m) { return { bg: getComputedStyle(m).backgroundColor, rect: rect(m),
        findings: m.dataset.findings.split(" ") }; }) };
  var box = document.querySelector("input[data-filter=severity][value=error]");
  box.checked = false; box.dispatchEvent(new Event("change", { bubbles: true }));
  res.hiddenAfterFilter = Array.prototype.map.call(
    document.querySelectorAll("li.finding"), function (li) {
      return [li.dataset.severity, getComputedStyle(li).display === "none"]; });
  res.marksFiltered = Array.prototype.map.call(document.querySelectorAll("td mark:not(.whole)"),
    function (m) { return [m.dataset.findings.split(" ").map(function (id) {
      return document.getElementById(id).dataset.severity; }),
      getComputedStyle(m).backgroundColor]; });
  box.checked = true; box.dispatchEvent(new Event("change", { bubbles: true }));
  document.body.setAttribute("data-probe", JSON.stringify(res));
}());
</script>"""


def _chromium(url: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                CHROMIUM or "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                f"--window-size={WIDTH},{HEIGHT}",
                *args,
                url,
            ],
            capture_output=True,
            timeout=60,
            check=True,
        )


def decode_png(data: bytes) -> np.ndarray:
    """8-bit RGB/RGBA non-interlaced PNG → HxWx3 uint8 (enough for chromium screenshots)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos : pos + 4]), data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    assert header is not None
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    bpp = 3 if color == 2 else 4
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8)
    raw = raw.reshape(height, 1 + width * bpp)
    out = np.zeros((height, width * bpp), dtype=np.int32)
    prev = np.zeros(width * bpp, dtype=np.int32)
    for y in range(height):
        ftype, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        if ftype == 0:
            cur = line
        elif ftype == 2:
            cur = (line + prev) & 0xFF
        else:  # Sub, Average, Paeth depend on the left neighbour: do them byte by byte
            cur = np.zeros_like(line)
            for x in range(line.size):
                a = cur[x - bpp] if x >= bpp else 0
                b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
                if ftype == 1:
                    pred = a
                elif ftype == 3:
                    pred = (a + b) >> 1
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[x] = (line[x] + pred) & 0xFF
        out[y], prev = cur, cur
    return out.reshape(height, width, bpp)[:, :, :3].astype(np.uint8)


@pytest.fixture(scope="module")
def browser(page: bytes, tmp_path_factory: pytest.TempPathFactory) -> dict:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium); CI installs it")
    folder = tmp_path_factory.mktemp("view")
    probe_page = folder / "rome.html"
    probe_page.write_bytes(page.replace(b"</body>", PROBE.encode() + b"</body>"))
    url = probe_page.as_uri()
    dom = _chromium(url, "--dump-dom").stdout
    probe = json.loads(html.document_fromstring(dom).body.get("data-probe"))
    shot = folder / "rome.png"
    _chromium(url, f"--screenshot={shot}")
    return {"probe": probe, "pixels": decode_png(shot.read_bytes())}


def test_browser_computes_rtl_for_arabic_and_runs_the_filters(browser: dict) -> None:
    probe = browser["probe"]
    assert probe["ar"] and {c["dir"] for c in probe["ar"]} == {"rtl"}
    assert probe["en"] and {c["dir"] for c in probe["en"]} == {"ltr"}
    assert probe["filters"], "the filter form stays hidden: the script did not run"
    assert probe["marks"] and all(m["bg"] == "rgb(255, 179, 179)" for m in probe["marks"])
    hidden = probe["hiddenAfterFilter"]
    assert {sev for sev, gone in hidden if gone} == {"error"}
    assert any(not gone for _, gone in hidden)
    # a mark loses its highlight only when all of its findings are filtered out,
    # and otherwise takes the colour of the worst finding still shown
    colours = {"warning": "rgb(255, 224, 138)", "info": "rgb(191, 227, 255)"}
    for severities, background in probe["marksFiltered"]:
        left = [s for s in ("warning", "info") if s in severities]
        assert background == (colours[left[0]] if left else "rgba(0, 0, 0, 0)"), severities
    assert any(set(sev) == {"error"} for sev, _ in probe["marksFiltered"])


def _ink_gaps(pixels: np.ndarray, cell: dict) -> tuple[int, int] | None:
    """Gaps (left, right) between the cell's content box and its dark pixels (text ink)."""
    left, top, right, bottom = (round(v) for v in cell["rect"])
    left, right = left + round(cell["pad"][0]), right - round(cell["pad"][1])
    if top < 0 or bottom > pixels.shape[0] or right - left < 50:
        return None
    box = pixels[top + 2 : bottom - 2, left:right]
    cols = np.nonzero((box.min(axis=2) < 110).any(axis=0))[0]
    if cols.size == 0:
        return None
    return int(cols[0]), int(box.shape[1] - 1 - cols[-1])


def test_screenshot_arabic_hugs_the_right_edge_and_finding_is_visible(browser: dict) -> None:
    pixels, probe = browser["pixels"], browser["probe"]
    assert pixels.shape == (HEIGHT, WIDTH, 3)
    ar = [g for c in probe["ar"] if not c["empty"] and (g := _ink_gaps(pixels, c))]
    en = [g for c in probe["en"] if not c["empty"] and (g := _ink_gaps(pixels, c))]
    assert len(ar) >= 3 and len(en) >= 3
    # RTL: every Arabic cell's ink starts at the right edge, and the ragged side is the left
    assert all(right <= 4 for _, right in ar), ar
    assert sum(left for left, _ in ar) > 5 * sum(right for _, right in ar) + 50
    # and the English cells are the mirror image
    assert all(left <= 4 for left, _ in en), en
    assert sum(right for _, right in en) > 5 * sum(left for left, _ in en) + 50
    # the error highlight is painted where the browser laid out the mark
    visible = [m for m in probe["marks"] if m["rect"][1] >= 0 and m["rect"][3] <= HEIGHT]
    assert visible, "no error finding in the first screen"
    for mark in visible:
        left, top, right, bottom = (round(v) for v in mark["rect"])
        region = pixels[top:bottom, left:right].reshape(-1, 3)
        share = (region == np.array(ERROR_RGB, dtype=np.uint8)).all(axis=1).mean()
        assert share > 0.3, share
