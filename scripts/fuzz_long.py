"""Long fuzz of ingest + segment + extract (issue 7): at least 100,000 generated inputs.

A seeded generator (deterministic: the same --seed gives the same inputs) makes
plain text, HTML, TEI and raw bytes from random mixes of Arabic and English words,
digits in three scripts, separators, scale words, months, invisible characters and
random Unicode, then corrupts some of them (byte flips, BOMs, CR line ends, cut-offs).
Each input goes through ``documents_from_bytes`` → ``segment`` → the number, date and
entity extractors. Any exception other than AlignerError, a span that does not
round-trip, or a non-deterministic result is a failure: the input is saved under
--out for replay. Run it niced: ``nice -n 19 python scripts/fuzz_long.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aligner.extract import get_extractor  # noqa: E402
from aligner.ingest import documents_from_bytes  # noqa: E402
from aligner.model import AlignerError, Document  # noqa: E402
from aligner.segment import segment  # noqa: E402

WORDS = (
    "The Coalition met in Rome on June July people refugees million billion thousand hundred "
    "about nearly over more than per cent percent dollars U.S. Mr. Dr. Blinken Secretary "
    "Daesh ISIS Iraq Syria 2019 2021 fall spring tens of thousands"
).split() + (
    "التحالف اجتمع في روما يونيو حزيران تموز شخص لاجئ مليون ملايين مليار ألف آلاف مئة "
    "نحو حوالي أكثر من بالمئة دولار السيد الوزير بلينكن بلكين داعش العراق سوريا عشرات "
    "الخريف ربيع مليـــون ثلاثة ثمانية عشرة هـ م"
).split()
NUMBERS = ["7.7", "7,7", "1,000,000", "٧٫٧", "١٬٠٠٠", "۷.۷", "28/06/2021", "2019-06-25",
           "0", "00", "1.", ".5", "3-4", "[1]", "12,5", "1.234,56", "١٩", "٢٠٢١", "10%"]
PUNCT = [*".،؛؟!?:«»\"()…-–/", "\n", "\n\n", "\t", "  "]
INVISIBLE = list("\u200f\u200e\u200b\u200c\u200d\u202a\u202b\u202c\u202e\u2066\u2067\u2069"
                 "\u0640\u00a0\u00ad\ufeff\u2028\x07\x0b\x0c\x1b")
BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]
EXTRACTORS = [get_extractor(n) for n in ("number", "date", "entity")]


def random_unicode(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        block = rng.random()
        if block < 0.5:
            out.append(chr(rng.randint(0x20, 0x7E)))
        elif block < 0.8:
            out.append(chr(rng.randint(0x0600, 0x06FF)))
        else:
            cp = rng.randint(0x80, 0x10FFFF)
            out.append(chr(cp) if not 0xD800 <= cp <= 0xDFFF else "?")
    return "".join(out)


def token_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 60)):
        r = rng.random()
        if r < 0.55:
            parts.append(rng.choice(WORDS))
        elif r < 0.75:
            parts.append(rng.choice(NUMBERS))
        elif r < 0.9:
            parts.append(rng.choice(PUNCT))
        else:
            parts.append(rng.choice(INVISIBLE))
        parts.append(" " if rng.random() < 0.8 else "")
    return "".join(parts)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def make_input(rng: random.Random) -> tuple[str, bytes]:
    """(file suffix, bytes) of one generated input."""
    kind = rng.random()
    if kind < 0.08:
        return ".txt", bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 200)))
    text = token_text(rng) if kind < 0.75 else random_unicode(rng, rng.randint(0, 150))
    suffix = ".txt"
    shape = rng.random()
    if shape < 0.12:
        paras = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n"))
        lang = rng.choice(["ar", "en", ""])
        text = f'<html lang="{lang}"><body><nav>Home</nav>{paras}</body></html>'
        suffix = ".html"
    elif shape < 0.22:
        paras = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n"))
        text = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text xml:lang="en"><body>'
                f"{paras}</body></text></TEI>")
        suffix = ".xml"
    elif shape < 0.27:
        text = "المعلومات الأساسية\nتاريخ الصدور:\n" + text
    data = text.encode("utf-8")
    corrupt = rng.random()
    if corrupt < 0.05:
        data = rng.choice(BOMS) + data
    elif corrupt < 0.1 and data:
        pos = rng.randrange(len(data))
        data = data[:pos] + bytes([rng.getrandbits(8)]) + data[pos + 1 :]
    elif corrupt < 0.15:
        data = data.replace(b"\n", rng.choice([b"\r\n", b"\r"]))
    elif corrupt < 0.18 and data:
        data = data[: rng.randrange(len(data))]
    elif corrupt < 0.2:
        data = "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")
    return suffix, data


def check_one(path: str, data: bytes) -> object:
    """Run the stages; return a comparable summary, raise AssertionError on a bad span."""
    try:
        docs: list[Document] = documents_from_bytes(path, data)
    except AlignerError as exc:
        assert "\n" not in str(exc), "multi-line error message"
        return ("refused", str(exc))
    out = []
    for doc in docs:
        segs = segment(doc, prefix=doc.lang)
        for seg in segs:
            assert doc.paragraphs[seg.paragraph][seg.start : seg.end] == seg.text, "segment span"
            for ex in EXTRACTORS:
                try:
                    mentions = ex.extract(seg, doc.lang, "source")
                except AlignerError as exc:
                    out.append(("extract-refused", str(exc)))
                    continue
                for m in mentions:
                    assert seg.text[m.start : m.end] == m.text, f"{m.kind} span"
                    out.append((m.kind, m.start, m.end, repr(m.value)))
        out.append((doc.lang, doc.paragraphs, [s.text for s in segs]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default="fuzz-failures", help="folder for failing inputs")
    parser.add_argument("--recheck", type=int, default=50,
                        help="re-run every Nth input to check determinism")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    out = Path(args.out)
    failures: list[dict[str, str]] = []
    refused = 0
    kinds: dict[str, int] = {}
    reasons: dict[str, int] = {}
    start = time.perf_counter()
    for i in range(args.inputs):
        suffix, data = make_input(rng)
        path = f"fuzz-{i}{suffix}"
        try:
            first = check_one(path, data)
            if isinstance(first, tuple) and first[0] == "refused":
                refused += 1
                reason = " ".join(str(first[1]).split(": ", 1)[-1].split()[:4])
                reasons[reason] = reasons.get(reason, 0) + 1
            if args.recheck and i % args.recheck == 0:
                assert check_one(path, data) == first, "non-deterministic"
        except Exception as exc:
            out.mkdir(parents=True, exist_ok=True)
            (out / path).write_bytes(data)
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.name}"
            kinds[where] = kinds.get(where, 0) + 1
            failures.append({"input": path, "kind": where, "error": f"{exc}"[:200]})
        if (i + 1) % 10_000 == 0:
            rate = (i + 1) / (time.perf_counter() - start)
            sys.stderr.write(f"{i + 1} inputs, {len(failures)} failures, {rate:.0f}/s\n")
    result = {
        "inputs": args.inputs,
        "seed": args.seed,
        "refused_with_aligner_error": refused,
        "refusal_reasons": dict(sorted(reasons.items(), key=lambda kv: -kv[1])[:12]),
        "failures": len(failures),
        "failure_kinds": kinds,
        "seconds": round(time.perf_counter() - start, 1),
        "first_failures": [next(f for f in failures if f["kind"] == k) for k in sorted(kinds)],
    }
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
