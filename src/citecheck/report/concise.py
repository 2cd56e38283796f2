"""One line per finding, `path:line:col: CODE message`, for grep and editors' quickfix lists
(ruff's `concise`, the compiler-error shape vim, Emacs and VS Code problem matchers read).

A finding on a paged source ends with `[page N]`, after the message, so the leading
`path:line:col:` stays what tools parse. A last line counts the findings and says when links
were not checked, as ruff closes with "Found N errors."; -q leaves it out.
"""

from __future__ import annotations

from citecheck.model import Finding, Report
from citecheck.report import RenderOptions
from citecheck.report.coverage import coverage
from citecheck.report.escape import sanitize


def line(f: Finding) -> str:
    page = f" [page {f.page}]" if f.page is not None else ""
    mark = " (baseline)" if f.baseline else ""
    message = " ".join(f.message.split())
    return sanitize(f"{f.path}:{f.line}:{f.column}: {f.code} {message}{mark}{page}")


def render(report: Report, options: RenderOptions) -> str:
    out = [line(f) for f in report.findings]
    if not options.quiet:
        n = len(report.findings)
        closing = f"Found {n} finding{'' if n == 1 else 's'}." if n else "No problems found."
        sentence = coverage(report).sentence()
        out.append(f"{closing} {sentence[:1].upper()}{sentence[1:]}." if sentence else closing)
    return "".join(f"{text}\n" for text in out)
