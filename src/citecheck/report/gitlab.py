"""GitLab Code Quality: the JSON array GitLab shows in a merge request's widget and diff
(`artifacts: reports: codequality:`), the shape ruff's `gitlab` format writes.

Each finding is an issue with `check_name` (the rule code), `description`, a `severity` GitLab
knows (error -> major, warning -> minor, info -> info), a `fingerprint` built from
citecheck.fingerprint (content, not line: an issue keeps its identity when text above it
moves, so GitLab does not call it new) and its `location`. Paths are made relative to
`$CI_PROJECT_DIR` when absolute. The format has no place for a run's notes, so when links
were not checked the array carries one `info` issue saying so, at the first document.
"""

from __future__ import annotations

import hashlib
import json
import os

from citecheck.fingerprint import fingerprints
from citecheck.model import Report, Severity
from citecheck.report import RenderOptions
from citecheck.report.coverage import coverage
from citecheck.report.escape import json_escaped
from citecheck.report.github import repo_path
from citecheck.rules.catalogue import RULES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(report: Report, options: RenderOptions) -> str:
    root = os.environ.get("CI_PROJECT_DIR")
    issues: list[dict[str, Any]] = []
    for d in report.documents:
        path = repo_path(d.document.path, root)
        for f, fp in zip(d.findings, fingerprints(d), strict=True):
            rule = RULES.get(f.code)
            text = " ".join(f.message.split())
            issues.append({
                "type": "issue",
                "check_name": f.code,
                "description": f"{f.code} {rule.name}: {text}" if rule else f"{f.code}: {text}",
                "categories": ["Bug Risk"],
                "severity": SEVERITY[f.severity],
                "fingerprint": _digest(path, f.code, fp),
                "location": {"path": path, "lines": {"begin": max(f.line, 1)}},
            })
    sentence = coverage(report).sentence()
    if sentence and report.documents:
        path = repo_path(report.documents[0].document.path, root)
        issues.append({
            "type": "issue",
            "check_name": "citecheck/links-not-checked",
            "description": f"citecheck: {sentence}; link rules (L, B, A) were not applied",
            "categories": ["Bug Risk"],
            "severity": "info",
            "fingerprint": _digest(path, "links-not-checked", ""),
            "location": {"path": path, "lines": {"begin": 1}},
        })
    return json_escaped(json.dumps(issues, indent=2, ensure_ascii=False)) + "\n"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
