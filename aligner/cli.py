"""The ``aligner`` command. The only place that prints; the library returns.

Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 bad input or usage
(with a one-line message naming the file and the problem).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from aligner import __version__
from aligner.model import AlignerError, Bitext, Severity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def settings_from_args(args: argparse.Namespace):
    """Settings from the options every checking command shares (also used by ``batch``)."""
    from aligner.pipeline import Settings

    kwargs: dict = {"presplit": args.presplit}
    if getattr(args, "no_embed", False):
        kwargs["embedder"] = "none"
    if getattr(args, "no_words", False):
        kwargs["word_align"] = "off"
    elif getattr(args, "words", False):
        from aligner.wordalign import DEFAULT_MODEL, available

        if not available():
            raise AlignerError("word alignment needs the 'words' extra: "
                               "pip install torch==2.13.0 -e '.[words]'")
        kwargs["word_align"] = DEFAULT_MODEL
    if getattr(args, "checks", None):
        kwargs["checks"] = tuple(c.strip() for c in args.checks.split(",") if c.strip())
        if "words" not in kwargs["checks"] and kwargs.get("word_align") is None:
            kwargs["word_align"] = "off"  # nothing would use the links
    return Settings(**kwargs)


def _load(paths: Sequence[str], presplit: bool) -> Bitext:
    """RECORD, or SOURCE [SOURCE ...] TRANSLATION, read as a batch manifest entry would be."""
    from aligner.batch import load_entry

    if len(paths) == 1:
        return load_entry({"record": paths[0]}, presplit)
    return load_entry({"source": list(paths[:-1]), "target": paths[-1]}, presplit)


def _describe(bitext: Bitext) -> list[str]:
    lines = []
    for label, doc in (("source", bitext.source), ("translation", bitext.target)):
        code = f", archive code {doc.metadata.code}" if doc.metadata and doc.metadata.code else ""
        lines.append(
            f"{label}: {doc.path} [{doc.lang}, {doc.fmt}, {len(doc.paragraphs)} paragraphs, "
            f"{len(doc.segments)} sentences{code}]"
        )
        for removal in doc.removed:
            excerpt = removal.text.replace("\n", " ")[:60]
            lines.append(f"  removed {removal.kind}: {excerpt}")
    lines.extend(f"note: {n}" for n in bitext.notes)
    return lines


def _exit_code(bitext: Bitext, fail_on: str) -> int:
    if fail_on == "never":
        return EXIT_CLEAN
    threshold = Severity.parse(fail_on)
    return EXIT_FINDINGS if any(f.severity >= threshold for f in bitext.findings) else EXIT_CLEAN


def _render(bitext: Bitext, fmt: str) -> bytes:
    if fmt == "json":
        from aligner.report.json import to_json

        return to_json(bitext).encode("utf-8")
    from aligner.report.tei import to_tei

    return to_tei(bitext)


def _format_for(path: str | None, fmt: str | None) -> str:
    if fmt:
        return fmt
    if path and path.lower().endswith(".json"):
        return "json"
    return "tei"


def cmd_check(args: argparse.Namespace) -> int:
    from aligner.pipeline import run
    from aligner.report.io import write_atomic

    bitext = run(_load(args.paths, args.presplit), settings_from_args(args))
    for line in _describe(bitext):
        print(line, file=sys.stderr)
    fmt = _format_for(args.output, args.format)
    data = _render(bitext, fmt)
    if args.output:
        write_atomic(args.output, data)
    else:
        sys.stdout.buffer.write(data)
    if args.json:
        write_atomic(args.json, _render(bitext, "json"))
    if args.html:
        from aligner.report.html import to_html

        tei = data if fmt == "tei" else _render(bitext, "tei")
        write_atomic(args.html, to_html(tei, path=args.output))
    for f in bitext.findings:
        where = (f.target or f.source)
        at = f" [{where.segment_id or where.field}]" if where else ""
        print(f"{f.severity}: {f.category}{at}: {f.message}", file=sys.stderr)
    print(f"{len(bitext.findings)} finding(s)", file=sys.stderr)
    return _exit_code(bitext, args.fail_on)


def cmd_align(args: argparse.Namespace) -> int:
    from aligner.pipeline import run

    steps = ("segment", "align", "words") if args.words else ("segment", "align")
    bitext = run(_load([args.src, args.tgt], args.presplit), settings_from_args(args), steps=steps)
    links = {w.alignment: w for w in bitext.word_alignments}
    for k, bead in enumerate(bitext.alignments):
        print(bead.vecalign())
        if k in links:
            from aligner.wordalign import pharaoh

            w = links[k]
            print("  src: " + " ".join(f"{i}:{t.text}" for i, t in enumerate(w.src)))
            print("  tgt: " + " ".join(f"{j}:{t.text}" for j, t in enumerate(w.tgt)))
            print("  links: " + ("(too long, not aligned)" if w.skipped else pharaoh(w.links)))
    return EXIT_CLEAN


def cmd_validate(args: argparse.Namespace) -> int:
    from aligner.report.validate import validate_tei

    status = EXIT_CLEAN
    for path in args.reports:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise AlignerError(f"cannot read: {exc.strerror}", path) from exc
        errors = validate_tei(data)
        if errors:
            status = EXIT_FINDINGS
            print(f"{path}: invalid TEI ({len(errors)} error(s))")
            for e in errors[:20]:
                print(f"  {e}")
        else:
            print(f"{path}: valid TEI P5 (tei_all)")
    return status


def cmd_view(args: argparse.Namespace) -> int:
    from aligner.report.html import render_file

    print(render_file(args.report, args.output))
    return EXIT_CLEAN


def cmd_entities(args: argparse.Namespace) -> int:
    from aligner.checks.entities import entity_match_table
    from aligner.pipeline import run

    bitext = run(_load(args.paths, args.presplit), settings_from_args(args),
                 steps=("segment", "align", "extract"))
    rows = entity_match_table(bitext)
    print("| English | Arabic | how matched |")
    print("|---|---|---|")
    for en, ar, how in rows:
        print(f"| {en} | {ar} | {how} |")
    return EXIT_CLEAN


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aligner",
        description="Align and check Arabic/English translations of official statements.",
    )
    parser.add_argument("--version", action="version", version=f"aligner {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--presplit", action="store_true",
                       help="input is already one sentence per line; keep it as is")
        p.add_argument("--no-embed", action="store_true",
                       help="align without sentence embeddings (length and anchors only)")
        p.add_argument("--no-words", action="store_true",
                       help="skip word alignment even when the 'words' extra is installed")

    check = sub.add_parser("check", help="check a translation against its source")
    check.add_argument("paths", nargs="+", metavar="PATH",
                       help="RECORD (one file, both languages) or SOURCE [SOURCE ...] TRANSLATION; "
                            "several sources are read as consecutive parts of one original")
    common(check)
    check.add_argument("-o", "--output", help="write the report here (default: standard output)")
    check.add_argument("--format", choices=["tei", "json"],
                       help="report format (default: from -o's extension, else tei)")
    check.add_argument("--json", help="also write the findings as JSON to this file")
    check.add_argument("--html", help="also write the editor's side-by-side HTML view here")
    check.add_argument("--checks", help="comma-separated checks to run (default: all)")
    check.add_argument("--fail-on", default="error",
                       choices=["error", "warning", "info", "never"],
                       help="exit 1 when a finding has this severity or worse (default: error)")
    check.set_defaults(func=cmd_check)

    align = sub.add_parser("align", help="print sentence beads in Vecalign format [i,j]:[k]:score")
    align.add_argument("src")
    align.add_argument("tgt")
    common(align)
    align.add_argument("--words", action="store_true",
                       help="also word-align each bead; print tokens and Pharaoh links (i-j)")
    align.set_defaults(func=cmd_align)

    validate = sub.add_parser("validate", help="validate TEI reports against tei_all.rng")
    validate.add_argument("reports", nargs="+")
    validate.set_defaults(func=cmd_validate)

    view = sub.add_parser("view", help="render a TEI report as the side-by-side HTML view")
    view.add_argument("report")
    view.add_argument("-o", "--output", help="HTML file (default: the report's name with .html)")
    view.set_defaults(func=cmd_view)

    from aligner.outputs.commands import add_commands

    add_commands(sub)  # batch, baseline, corrections, tmx

    entities = sub.add_parser("entities", help="table of entities matched across the two sides")
    entities.add_argument("paths", nargs="+", metavar="PATH")
    common(entities)
    entities.set_defaults(func=cmd_entities)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except AlignerError as exc:
        print(f"aligner: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # a path that cannot be read or written
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"aligner: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug: one line for the user, not a traceback
        print(f"aligner: internal error: {type(exc).__name__}: {exc} "
              "(please report it with the input)", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
