"""Which findings fail the gate: one definition for the exit code and for the formats that
show pass/fail (JUnit failures, the Markdown verdict, GitHub annotation levels)."""

from __future__ import annotations

from citecheck.model import Finding

LEVELS = ("info", "warning", "error")


def fails(finding: Finding, fail_on: str) -> bool:
    """True when `finding` alone makes the exit code 1: at or above `fail_on` ("never"
    passes everything) and not recorded in the baseline."""
    if finding.baseline or fail_on not in LEVELS:
        return False
    return LEVELS.index(finding.severity.value) >= LEVELS.index(fail_on)
