"""CLI subcommands for CI and archive work: ``batch``, ``baseline``, ``corrections``, ``tmx``.

``aligner.cli`` calls :func:`add_commands` with its subparsers. Each command function
returns the exit code (0 clean, 1 findings at or above ``--fail-on`` / stale or new
baseline entries where said, 2 bad input) and is the only place here that prints.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from aligner.model import AlignerError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
FAIL_ON = ("error", "warning", "info", "never")


def _settings(args: argparse.Namespace) -> Any:
    from aligner.cli import settings_from_args  # one reading of the shared options

    return settings_from_args(args)


class _Bar:
    """A tqdm progress bar on stderr, created on the first document (total known then)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None

    def __call__(self, done: int, total: int, doc_id: str) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=sys.stderr, unit="doc", desc="aligner", disable=False)
        self.bar.set_postfix_str(doc_id, refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_batch(args: argparse.Namespace) -> int:
    from aligner.batch import run_batch, tei_sibling

    if args.jobs < 1:
        raise AlignerError(f"--jobs must be at least 1 (got {args.jobs})")
    out = Path(args.output)
    bar = _Bar(enabled=not args.quiet and sys.stderr.isatty())
    try:
        summary = run_batch(
            args.manifest,
            out,
            _settings(args),
            fail_on=args.fail_on,
            jobs=args.jobs,
            baseline=args.baseline,
            use_cache=not args.no_cache,
            progress=bar,
            junit=args.junit or out / "junit.xml",
            sarif=args.sarif or out / "results.sarif",
            corrections=args.corrections or out / "corrections.csv",
            tmx=args.tmx,
        )
    finally:
        bar.close()
    for doc in summary["documents"]:
        if doc["status"] == "error":
            print(f"{doc['id']}: ERROR {doc['error']}", file=sys.stderr)
        elif not args.quiet:
            counts = ", ".join(f"{k} {v}" for k, v in sorted(doc["by_severity"].items()) if v)
            extra = f", {doc['new']} new" if "new" in doc else ""
            print(
                f"{doc['id']}: {doc['findings']} finding(s) ({counts or 'none'}{extra})",
                file=sys.stderr,
            )
    for entry in summary.get("baseline", {}).get("stale", []):
        print(
            f"stale baseline entry {entry['fingerprint']} ({entry['document']}, "
            f"{entry.get('category', '')}): no longer found",
            file=sys.stderr,
        )
    totals = summary["totals"]
    corrections = args.corrections or out / "corrections.csv"
    print(
        f"{totals['documents']} document(s): {totals['checked']} checked, "
        f"{totals['errors']} broken, {totals['findings']} finding(s), "
        f"{totals['blocking']} at or above {args.fail_on}"
        + (" and not in the baseline" if args.baseline else ""),
        file=sys.stderr,
    )
    if not args.quiet:
        print(
            f"reports in {out}/; JUnit {args.junit or out / 'junit.xml'}; "
            f"SARIF {args.sarif or out / 'results.sarif'}; corrections {corrections} "
            f"and {tei_sibling(corrections)}",
            file=sys.stderr,
        )
    return int(summary["exit_code"])


def _batch_findings(reports: list[tuple[str, Path, dict[str, Any]]]) -> list[tuple[str, dict]]:
    return [(doc_id, f) for doc_id, _, report in reports for f in report["findings"]]


def cmd_baseline_update(args: argparse.Namespace) -> int:
    from aligner.outputs.baseline import load_baseline, update_baseline, write_baseline
    from aligner.outputs.reports import load_reports

    reports = load_reports(args.reports)
    existing = load_baseline(args.baseline, missing_ok=True)
    entries, result = update_baseline(
        existing, _batch_findings(reports), [doc_id for doc_id, _, _ in reports]
    )
    write_baseline(args.baseline, entries)
    for entry in result.stale:
        reason = f" (reason was: {entry['reason']})" if entry.get("reason") else ""
        print(
            f"dropped stale entry {entry['fingerprint']} ({entry['document']}, "
            f"{entry.get('category', '')}){reason}",
            file=sys.stderr,
        )
    print(
        f"{args.baseline}: {len(entries)} accepted finding(s): {len(result.new)} new "
        f'(fill in their "reason"), {len(result.stale)} stale dropped',
        file=sys.stderr,
    )
    return EXIT_CLEAN


def cmd_baseline_check(args: argparse.Namespace) -> int:
    from aligner.outputs.baseline import compare, load_baseline
    from aligner.outputs.junit import finding_line
    from aligner.outputs.reports import load_reports

    reports = load_reports(args.reports)
    result = compare(
        load_baseline(args.baseline), _batch_findings(reports), [doc_id for doc_id, _, _ in reports]
    )
    for doc_id, f in result.new:
        print(f"new: {doc_id}: {finding_line(f)}")
    for entry in result.stale:
        print(f"stale: {entry['document']}: {entry.get('category', '')} {entry['fingerprint']}")
    print(
        f"{len(result.accepted)} accepted, {len(result.new)} new, {len(result.stale)} stale",
        file=sys.stderr,
    )
    return EXIT_FINDINGS if result.new else EXIT_CLEAN


def cmd_corrections(args: argparse.Namespace) -> int:
    from aligner.outputs.corrections import correction_rows, to_csv, to_tei_changes
    from aligner.outputs.reports import load_reports
    from aligner.report.io import write_atomic

    rows = correction_rows(load_reports(args.reports))
    fmt = args.format or ("tei" if args.output and args.output.endswith(".xml") else "csv")
    if fmt == "tei":
        base = Path(args.output).parent if args.output else Path.cwd()
        data: bytes = to_tei_changes(rows, base=base)
    else:
        data = to_csv(rows, bom=not args.no_bom).encode("utf-8")
    if args.output:
        write_atomic(args.output, data)
        print(f"{args.output}: {len(rows)} correction(s)", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return EXIT_CLEAN


def cmd_tmx(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from aligner.outputs.reports import load_report
    from aligner.outputs.tmx import to_tmx
    from aligner.report.io import write_atomic

    report = load_report(args.report)
    when = datetime.now(UTC) if args.creationdate else None
    data = to_tmx(report, adminlang=args.adminlang, creationdate=when, path=args.report)
    if args.output:
        write_atomic(args.output, data)
    else:
        sys.stdout.buffer.write(data)
    return EXIT_CLEAN


def add_commands(subparsers: Any) -> None:
    """Register ``batch``, ``baseline``, ``corrections`` and ``tmx`` on the CLI's subparsers."""
    batch = subparsers.add_parser(
        "batch",
        help="check many document pairs (manifest JSON/CSV or folder) for CI",
        description="Check every document of a manifest or folder; write one TEI and JSON "
        "report per document, summary.json, JUnit XML, SARIF and a correction list.",
    )
    batch.add_argument(
        "manifest",
        metavar="DIR_OR_MANIFEST",
        help="manifest .json/.csv, or a folder (its manifest.json/.csv, else "
        "NAME.en.txt + NAME.ar.txt pairs and single record files)",
    )
    batch.add_argument("-o", "--output", default="reports", help="folder for the reports")
    batch.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        help="worker processes (each loads the sentence encoder once)",
    )
    batch.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no per-document lines"
    )
    batch.add_argument(
        "--presplit",
        action="store_true",
        help="input is already one sentence per line; keep it as is",
    )
    batch.add_argument(
        "--no-embed",
        action="store_true",
        help="align without sentence embeddings (length and anchors only)",
    )
    batch.add_argument(
        "--no-words",
        action="store_true",
        help="skip word alignment even when the 'words' extra is installed",
    )
    batch.add_argument("--checks", help="comma-separated checks to run (default: all)")
    batch.add_argument(
        "--fail-on",
        default="error",
        choices=FAIL_ON,
        help="exit 1 when a (new) finding has this severity or worse",
    )
    batch.add_argument(
        "--baseline",
        metavar="FILE",
        help="accepted findings (JSON): only findings not in it fail the run",
    )
    batch.add_argument("--junit", metavar="FILE", help="JUnit XML (default: OUTPUT/junit.xml)")
    batch.add_argument(
        "--sarif", metavar="FILE", help="SARIF 2.1.0 (default: OUTPUT/results.sarif)"
    )
    batch.add_argument(
        "--corrections",
        metavar="FILE",
        help="correction list CSV, TEI beside it as .tei.xml (default: OUTPUT/corrections.csv)",
    )
    batch.add_argument(
        "--tmx", action="store_true", help="also export each bilingual alignment as OUTPUT/<id>.tmx"
    )
    batch.add_argument(
        "--no-cache",
        action="store_true",
        help="check every document even if its inputs are unchanged",
    )
    batch.set_defaults(func=cmd_batch)

    baseline = subparsers.add_parser("baseline", help="manage the baseline of accepted findings")
    sub = baseline.add_subparsers(dest="baseline_command", required=True)
    for name, func, text in (
        (
            "update",
            cmd_baseline_update,
            "write/update FILE from reports: keep reasons, add new findings with an empty "
            "reason, drop stale ones",
        ),
        ("check", cmd_baseline_check, "list new and stale findings; exit 1 when any is new"),
    ):
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument(
            "reports", nargs="+", metavar="REPORT", help="JSON reports or a batch's reports folder"
        )
        p.add_argument(
            "-b", "--baseline", required=True, metavar="FILE", help="the baseline JSON file"
        )
        p.set_defaults(func=func)

    corrections = subparsers.add_parser(
        "corrections", help="correction list for archivists (CSV or TEI) from JSON reports"
    )
    corrections.add_argument(
        "reports", nargs="+", metavar="REPORT", help="JSON reports or a batch's reports folder"
    )
    corrections.add_argument("-o", "--output", help="output file (default: standard output)")
    corrections.add_argument(
        "--format", choices=["csv", "tei"], help="default: tei for a .xml output, else csv"
    )
    corrections.add_argument(
        "--no-bom", action="store_true", help="CSV without the UTF-8 BOM that Excel needs"
    )
    corrections.set_defaults(func=cmd_corrections)

    tmx = subparsers.add_parser("tmx", help="export a report's sentence alignment as TMX 1.4")
    tmx.add_argument("report", metavar="REPORT.json")
    tmx.add_argument("-o", "--output", help="output .tmx file (default: standard output)")
    tmx.add_argument("--adminlang", default="en", help="TMX header adminlang (default: en)")
    tmx.add_argument(
        "--creationdate",
        action="store_true",
        help="stamp the header with the current time (not deterministic)",
    )
    tmx.set_defaults(func=cmd_tmx)
