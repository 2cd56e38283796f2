"""The pass/fail gate: one definition for the exit code and for every format that shows
pass/fail (JUnit failures, the Markdown verdict, GitHub annotation order, the text summary).

The order of severities is `Severity.rank` (model.py), the only one in the code base.
"""

from __future__ import annotations

from citecheck.model import Finding, Report, Severity

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_CANNOT_RUN = 0, 1, 2, 3


def fails(finding: Finding, fail_on: str) -> bool:
    """True when `finding` alone makes the exit code 1: at or above `fail_on` ("never"
    passes everything) and not recorded in the baseline."""
    if finding.baseline or fail_on == "never":
        return False
    return finding.severity.rank >= Severity(fail_on).rank


def exit_code(report: Report, fail_on: str) -> int:
    """0 or 1 from the findings; the network being down (3) is decided by the caller."""
    return EXIT_FINDINGS if any(fails(f, fail_on) for f in report.findings) else EXIT_OK
