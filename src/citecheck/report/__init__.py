"""Reporters: one module per format, each a pure `render(report, options) -> str`.

Formats are imported lazily by name so that, say, the JSON path never imports rich.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from citecheck.model import Report

FORMATS: dict[str, str] = {
    "text": "citecheck.report.text",
    "concise": "citecheck.report.concise",
    "json": "citecheck.report.json_format",
    "sarif": "citecheck.report.sarif",
    "github": "citecheck.report.github",
    "gitlab": "citecheck.report.gitlab",
    "junit": "citecheck.report.junit",
    "markdown": "citecheck.report.markdown",
}
STATISTICS = ("text", "concise", "json")
"""Formats that --statistics turns into per-rule counts (the others are read by machines
that want every finding)."""


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    quiet: bool = False
    verbose: bool = False
    fail_on: str = "error"
    """The gate's threshold, for formats that show pass/fail (junit, markdown, github)."""
    statistics: bool = False


def render(report: Report, fmt: str, options: RenderOptions | None = None) -> str:
    options = options or RenderOptions()
    if options.statistics and fmt in STATISTICS:
        from citecheck.report import statistics

        return statistics.render(report, options, as_json=fmt == "json")
    module = importlib.import_module(FORMATS[fmt])
    return module.render(report, options)
