"""Reporters: one module per format, each a pure `render(report, options) -> str`.

Formats are imported lazily by name so that, say, the JSON path never imports rich.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from citecheck.model import Report

FORMATS: dict[str, str] = {
    "text": "citecheck.report.text",
    "json": "citecheck.report.json_format",
    "sarif": "citecheck.report.sarif",
    "github": "citecheck.report.github",
    "junit": "citecheck.report.junit",
    "markdown": "citecheck.report.markdown",
}


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    quiet: bool = False
    verbose: bool = False
    fail_on: str = "error"
    """The gate's threshold, for formats that show pass/fail (junit, markdown, github)."""


def render(
    report: Report, fmt: str, *, color: bool = False, quiet: bool = False, verbose: bool = False,
    fail_on: str = "error",
) -> str:
    module = importlib.import_module(FORMATS[fmt])
    return module.render(
        report, RenderOptions(color=color, quiet=quiet, verbose=verbose, fail_on=fail_on)
    )
