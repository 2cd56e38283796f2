"""One line per finding, `path:line:col: CODE message`, for grep and editors' quickfix lists
(ruff's `concise`, the compiler-error shape vim, Emacs and VS Code problem matchers read).

A finding on a paged source ends with `[page N]`, after the message, so the leading
`path:line:col:` stays what tools parse. A last line counts the findings and says whether
the links were checked, as ruff closes with "Found N errors."; -q leaves it out.
"""

from __future__ import annotations

from citecheck.model import Finding, Report
from citecheck.report import RenderOptions
from citecheck.report.coverage import closing
from citecheck.report.escape import sanitize


def line(f: Finding) -> str:
    page = f" [page {f.page}]" if f.page is not None else ""
    mark = " (baseline)" if f.baseline else ""
    message = " ".join(f.message.split())
    return sanitize(f"{f.path}:{f.line}:{f.column}: {f.code} {message}{mark}{page}")


def render(report: Report, options: RenderOptions) -> str:
    out = [line(f) for f in report.findings]
    if not options.quiet:
        out.append(closing(report))
    return "".join(f"{text}\n" for text in out)
