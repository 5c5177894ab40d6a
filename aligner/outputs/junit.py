"""JUnit XML for CI dashboards: one test case per document.

A document fails when it has a finding at or above ``--fail-on`` that the baseline
does not accept; a document that could not be checked is an ``<error>``. Every
finding (accepted ones marked) is listed in ``<system-out>`` so that the CI page
shows the whole picture. No timestamps or durations: output is deterministic.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from aligner.model import Severity
from aligner.outputs.baseline import fingerprint

SUITE_NAME = "aligner"


def finding_line(finding: dict[str, Any]) -> str:
    """One line per finding: ``error number.scale [ar-s3]: message``."""
    where = [
        (ev.get("sentence_id") or ev.get("field") or "")
        for ev in (finding.get("source"), finding.get("target"))
        if isinstance(ev, dict)
    ]
    at = f" [{' '.join(w for w in where if w)}]" if any(where) else ""
    return f"{finding['severity']} {finding['category']}{at}: {finding['message']}"


def to_junit(
    summary: dict[str, Any],
    reports: dict[str, dict[str, Any]],
    fail_on: str = "error",
    accepted: dict[str, dict[str, Any]] | None = None,
) -> bytes:
    """The JUnit XML document for a batch summary and its JSON reports."""
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    accepted = accepted or {}
    suites = etree.Element("testsuites", name=SUITE_NAME)
    suite = etree.SubElement(suites, "testsuite", name=f"{SUITE_NAME} batch")
    props = etree.SubElement(suite, "properties")
    etree.SubElement(props, "property", name="signature", value=summary.get("signature", ""))
    etree.SubElement(props, "property", name="fail-on", value=fail_on)
    failures = errors = 0
    for doc in summary["documents"]:
        case = etree.SubElement(
            suite, "testcase", classname=f"{SUITE_NAME}.documents", name=doc["id"]
        )
        if doc.get("inputs"):
            case.set("file", doc["inputs"][-1])
        if doc["status"] != "checked":
            errors += 1
            err = etree.SubElement(case, "error", message=doc["error"], type="AlignerError")
            err.text = doc["error"]
            continue
        lines = []
        blocking = []
        for f in reports[doc["id"]]["findings"]:
            is_accepted = fingerprint(doc["id"], f) in accepted
            lines.append(finding_line(f) + (" (accepted in baseline)" if is_accepted else ""))
            if (
                threshold is not None
                and not is_accepted
                and Severity.parse(f["severity"]) >= threshold
            ):
                blocking.append(f)
        if blocking:
            failures += 1
            categories = sorted({f["category"] for f in blocking})
            fail = etree.SubElement(
                case,
                "failure",
                message=f"{len(blocking)} finding(s) at or above {fail_on}",
                type=",".join(categories),
            )
            fail.text = "\n".join(finding_line(f) for f in blocking)
        if lines:
            etree.SubElement(case, "system-out").text = "\n".join(lines)
    count = str(len(summary["documents"]))
    for el in (suites, suite):
        el.set("tests", count)
        el.set("failures", str(failures))
        el.set("errors", str(errors))
    suite.set("skipped", "0")
    return etree.tostring(suites, xml_declaration=True, encoding="UTF-8", pretty_print=True)
