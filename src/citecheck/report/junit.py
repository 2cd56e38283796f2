"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure, CircleCI).

One test suite per document and one test case per check a reader would name:

- `notes` cases: one per note ("note 6"), failing when the note has a finding that fails
  the gate (`--fail-on`, baseline excluded); its other findings go to `system-out`;
- `links` cases: one per unique URL, failing on a link or archive finding (L, A) that fails
  the gate, skipped when links were not checked (`--offline`) or the URL was excluded;
- a `document` case for what belongs to no note (a missing notes section, a marker citing
  a note that does not exist).

Times are the run's wall time (`testsuites`), shared among the documents' suites by their
links; a link case's time is its own request's (zero when answered from the cache), so no
total adds up concurrent requests into more time than the run took.

The layout follows the de-facto schema Jenkins and GitLab read (testsuites > testsuite >
testcase > failure|skipped, system-out); `classname` is `<file>.notes` or `<file>.links` so
the CI groups cases per brief. Control characters, which XML 1.0 forbids, are escaped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from citecheck.fingerprint import note_index
from citecheck.model import DocumentReport, Finding, Report, Verdict
from citecheck.report import RenderOptions
from citecheck.report.coverage import not_checked, why_none
from citecheck.report.escape import sanitize
from citecheck.report.gate import fails
from citecheck.rules.catalogue import RULES

_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")


def render(report: Report, options: RenderOptions) -> str:
    root = ET.Element("testsuites", name="citecheck")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    weights = [len(d.links) + 1 for d in report.documents]
    unchecked = not_checked(why_none(report))
    for d, weight in zip(report.documents, weights, strict=True):
        suite = _suite(d, options, unchecked)
        suite.set("time", f"{report.elapsed * weight / sum(weights):.3f}")
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key in ("tests", "failures", "skipped"):
        root.set(key, str(totals[key]))
    root.set("errors", "0")
    root.set("time", f"{report.elapsed:.3f}")
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _suite(d: DocumentReport, options: RenderOptions, unchecked_reason: str) -> ET.Element:
    path = d.document.path
    suite = ET.Element("testsuite", name=_x(path))
    by_note: dict[int, list[Finding]] = defaultdict(list)
    by_url: dict[str, list[Finding]] = defaultdict(list)
    loose: list[Finding] = []
    for f in d.findings:
        index = note_index(d.document, f)
        if f.code[:1] in "LAB" and f.url is not None:
            by_url[f.url].append(f)
        elif index is not None:
            by_note[index].append(f)
        else:
            loose.append(f)
    cases = [_case(f"{path}.document", "document", path, 1, loose, options)]
    for i, note in enumerate(d.document.notes):
        cases.append(_case(f"{path}.notes", f"note {note.number}", path, note.span.line,
                           by_note.get(i, []), options))
    for link in d.links:
        result = d.results.get(link.url)
        case = _case(f"{path}.links", link.url, path, link.spans[0].line if link.spans else 1,
                     by_url.get(link.url, []), options)
        if result is not None and not result.from_cache:
            case.set("time", f"{result.elapsed:.3f}")
        unchecked = (result is None or result.verdict is Verdict.SKIPPED  # a cached one counts
                     or result.reason == "max-time")
        if unchecked and case.find("failure") is None:
            reason = (result.detail if d.links_checked and result is not None and result.detail
                      else unchecked_reason)
            ET.SubElement(case, "skipped", message=_x(reason))
        elif result is not None:
            status = f" {result.status}" if result.status is not None else ""
            out = case.find("system-out")
            line = f"{result.verdict.value}{status}"
            if out is None:
                ET.SubElement(case, "system-out").text = line
            else:
                out.text = f"{line}\n{out.text}"
        cases.append(case)
    for case in cases:
        suite.append(case)
    failures = sum(1 for c in cases if c.find("failure") is not None)
    skipped = sum(1 for c in cases if c.find("skipped") is not None)
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    return suite


def _case(
    classname: str, name: str, path: str, line: int, findings: list[Finding],
    options: RenderOptions,
) -> ET.Element:
    case = ET.Element("testcase", classname=_x(classname), name=_x(name), file=_x(path),
                      line=str(line), time="0.000")
    failing = [f for f in findings if fails(f, options.fail_on)]
    if failing:
        first = failing[0]
        failure = ET.SubElement(case, "failure", message=_x(first.message), type=first.code)
        failure.text = "\n".join(_describe(f) for f in failing)
    rest = [f for f in findings if f not in failing]
    if rest:
        ET.SubElement(case, "system-out").text = "\n".join(_describe(f) for f in rest)
    return case


def _describe(f: Finding) -> str:
    rule = RULES.get(f.code)
    name = f" {rule.name}" if rule else ""
    mark = " (baseline)" if f.baseline else ""
    text = f"{f.path}:{f.line}:{f.column}: {f.severity.value} {f.code}{name}{mark}: {f.message}"
    if f.fix:
        text += f"\n    fix: {f.fix}"
    return _x(text)


def _x(text: str) -> str:
    """XML 1.0 allows no C0 control but tab, LF and CR: escape them visibly instead."""
    return _NOT_XML.sub("\ufffd", sanitize(text))

