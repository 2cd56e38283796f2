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
}


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    quiet: bool = False
    verbose: bool = False


def render(
    report: Report, fmt: str, *, color: bool = False, quiet: bool = False, verbose: bool = False
) -> str:
    module = importlib.import_module(FORMATS[fmt])
    return module.render(report, RenderOptions(color=color, quiet=quiet, verbose=verbose))
