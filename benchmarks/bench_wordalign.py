"""Word-alignment benchmark: model load time, pairs/s, and anchor recall per layer/method.

Run: ``PYTHONPATH=. python benchmarks/bench_wordalign.py [--sweep]``. The anchors are
hand-checked translation pairs in the Rome statement (corpora/originals); the sweep is
how the default layer and matching method were chosen (docs/word-alignment.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from aligner.wordalign import WordAligner, tokenize_words

ORIG = Path(__file__).resolve().parent.parent / "corpora" / "originals"

# (English start, end) ↔ (Arabic start, end), and word pairs a correct alignment must link
ANCHORS = [
    (("Daesh/ISIS no longer", "remains."), ("لم يعد", "بعد."),
     [("eight", "ثمانية"), ("million", "ملايين"), ("Iraq", "العراق"), ("freed", "تحرّر"),
      ("territory", "الأراضي"), ("threat", "التهديد"), ("people", "شخص")]),
    (("The following", "meeting."), ("صدر البيان", "اليوم:"),
     [("Blinken", "بلينكن"), ("Antony", "أنتوني"), ("statement", "البيان"),
      ("today", "اليوم"), ("meeting", "اجتماع")]),
    (("In Syria", "2254."), ("وفي سوريا", "2254."),
     [("2254", "2254"), ("Syrian", "السوري"), ("political", "سياسية"),
      ("settlement", "تسوية"), ("Council", "مجلس")]),
    (("In this regard", "resurgence."), ("وأشار الوزراء في هذا", "الأخيرة."),
     [("2021", "2021"), ("Ministers", "الوزراء"), ("important", "مهمة"),
      ("means", "وسيلة"), ("recovery", "استعادة")]),
]  # fmt: skip


def _sent(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i) + len(end)]


def pairs() -> list[tuple[list[str], list[str], list[tuple[str, str]]]]:
    en = (ORIG / "rome2021-statement.en.txt").read_text(encoding="utf-8")
    ar = (ORIG / "rome2021-statement.ar.txt").read_text(encoding="utf-8")
    out = []
    for e, a, gold in ANCHORS:
        s = [w for w, _, _ in tokenize_words(_sent(en, *e))]
        t = [w for w, _, _ in tokenize_words(_sent(ar, *a))]
        out.append((s, t, gold))
    return out


def evaluate(wa: WordAligner, data, repeat: int = 3) -> tuple[float, float, float]:
    """(anchor recall, links per source word, pairs/s)."""
    hit = total = nlinks = nsrc = 0
    t0 = time.perf_counter()
    for _ in range(repeat):
        for s, t, _gold in data:
            wa.align(s, t)
    rate = repeat * len(data) / (time.perf_counter() - t0)
    for s, t, gold in data:
        links = {(s[i], t[j]) for i, j in wa.align(s, t)}
        hit += sum(g in links for g in gold)
        total += len(gold)
        nlinks += len(links)
        nsrc += len(s)
    return hit / total, nlinks / nsrc, rate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sweep", action="store_true", help="compare layers 6-10 and methods a/i/m")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    wa = WordAligner()
    load = time.perf_counter() - t0
    data = pairs()
    recall, density, rate = evaluate(wa, data)
    out = sys.stdout
    out.write(f"model load (cached conversion): {load:.2f} s\n")
    out.write(f"default layer={wa.layer} method={wa.method}: anchor recall {recall:.2f}, ")
    out.write(f"links/src word {density:.2f}, {rate:.1f} pairs/s\n")
    if args.sweep:
        for layer in (6, 7, 8, 9, 10):
            # the aligner keeps only the encoder layers up to the one it reads
            wa = WordAligner(layer=layer)
            for method in ("a", "i", "m"):
                wa.method = method
                recall, density, rate = evaluate(wa, data, repeat=1)
                out.write(f"layer {layer} {method}: recall {recall:.2f} ")
                out.write(f"links/word {density:.2f} {rate:.1f} pairs/s\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
