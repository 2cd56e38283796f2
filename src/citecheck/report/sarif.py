"""SARIF 2.1.0 (OASIS), for GitHub code scanning and any other SARIF consumer.

What code scanning needs, and where it comes from here:

- `tool.driver.rules`: the whole catalogue, each rule with its documentation (the text of
  `citecheck rules CODE` as `help`), so an alert explains itself; `ruleId` is the stable
  rule code and `ruleIndex` its place in that list (SARIF §3.27.5–6).
- physical locations with `startLine` and `startColumn`; columns count Unicode code points,
  which `run.columnKind` says (§3.14.17): a brief is full of curly quotes and dashes.
- `partialFingerprints` (§3.27.17) under our own versioned key, computed from the note's
  text rather than its line (citecheck.fingerprint), so an alert survives an edit above
  it. GitHub reserves `primaryLocationLineHash` for a hash it computes itself and warns
  when a tool sends a different one, so that key is left to it.
- `baselineState` (§3.27.24) when a baseline was applied: `unchanged` for a recorded
  finding, `new` otherwise — on every result, as the spec requires once on any.

- `invocations[0]`: `executionSuccessful` false when the network was down, and a
  `toolExecutionNotifications` entry whenever links were not checked (offline, network
  down, excluded), with `properties.linksChecked`: a clean SARIF never claims the links.
- a finding on a paged source carries `properties.page`.

No timestamps or absolute tool paths are written: the same brief gives the same file.
"""

from __future__ import annotations

import json
import os

from citecheck import PROJECT_URL, __version__
from citecheck.fingerprint import VERSION as FINGERPRINT_VERSION
from citecheck.fingerprint import fingerprints
from citecheck.model import Finding, Report, Severity
from citecheck.report import RenderOptions
from citecheck.report.coverage import coverage
from citecheck.report.escape import json_escaped
from citecheck.report.rules_doc import document
from citecheck.rules.catalogue import RULES, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = f"citecheck/{FINGERPRINT_VERSION}"
INFORMATION_URI = PROJECT_URL
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning",
                    Severity.INFO: "recommendation"}


def render(report: Report, options: RenderOptions) -> str:
    return json_escaped(json.dumps(to_dict(report), indent=2, ensure_ascii=False)) + "\n"


def to_dict(report: Report) -> dict[str, Any]:
    rules = list(RULES.values())
    index = {r.code: i for i, r in enumerate(rules)}
    with_baseline = any(f.baseline for f in report.findings)
    results = []
    for d in report.documents:
        for f, fp in zip(d.findings, fingerprints(d), strict=True):
            results.append(_result(f, fp, index, with_baseline))
    cover = coverage(report)
    invocation: dict[str, Any] = {
        "executionSuccessful": not report.network_down,
        "properties": {"linksChecked": cover.complete, "links": cover.total,
                       "linksNotChecked": cover.total - cover.checked,
                       "linksNotCheckedReason": cover.why},
    }
    notes = []
    if cover.sentence():
        notes.append({"level": "error" if report.network_down else "warning",
                      "message": {"text": f"citecheck: {cover.sentence()}"},
                      "descriptor": {"id": "links-not-checked"}})
    if report.notice and not report.network_down:
        notes.append({"level": "warning", "message": {"text": report.notice}})
    notes += [{"level": "warning", "message": {"text": f"citecheck could not read it: {why}"},
               "locations": [{"physicalLocation": {"artifactLocation": {
                   "uri": artifact_uri(path)}}}]} for path, why in report.skipped]
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "citecheck",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(r) for r in rules],
            }},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def _rule(rule: Rule) -> dict[str, Any]:
    summary = rule.summary[:1].upper() + rule.summary[1:]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": rule.why},
        "help": {"text": document(rule), "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"enabled": rule.enabled, "level": LEVEL[rule.severity]},
        "properties": {
            "tags": ["citations", rule.group],
            "problem.severity": PROBLEM_SEVERITY[rule.severity],
        },
    }


def _help_markdown(rule: Rule) -> str:
    fence = "```"
    return "\n".join([
        f"**{rule.code} {rule.name}**: reports when {rule.summary}.",
        "",
        "## Why it matters",
        "",
        rule.why,
        "",
        "## Example (fails)",
        "",
        f"{fence}text\n{rule.bad}\n{fence}",
        "",
        "## Example (passes)",
        "",
        f"{fence}text\n{rule.good}\n{fence}",
        "",
        "## Fix",
        "",
        rule.fix,
    ])


def _result(f: Finding, fp: str, index: dict[str, int], with_baseline: bool) -> dict[str, Any]:
    text = f.message if not f.fix else f"{f.message}\nFix: {f.fix}"
    result: dict[str, Any] = {
        "ruleId": f.code,
        "level": LEVEL[f.severity],
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(f.path)},
                "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
            }
        }],
        "partialFingerprints": {FINGERPRINT_KEY: fp},
    }
    if f.code in index:  # a code from a newer catalogue still gets a result, without index
        result["ruleIndex"] = index[f.code]
    if with_baseline:
        result["baselineState"] = "unchanged" if f.baseline else "new"
    properties = {k: v for k, v in (("note", f.note), ("url", f.url), ("fix", f.fix),
                                    ("page", f.page)) if v is not None}
    if properties:
        result["properties"] = properties
    return result


def artifact_uri(path: str) -> str:
    """A relative URI reference for a relative path (code scanning resolves it against the
    repository root), a file: URI for an absolute one. Spaces and the like are escaped."""
    from urllib.parse import quote

    posix = path.replace(os.sep, "/")
    if os.path.isabs(path):
        from pathlib import Path

        return Path(path).as_uri()
    return quote(posix.removeprefix("./"), safe="/-._~")
