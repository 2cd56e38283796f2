"""Build findings from the catalogue, so a check names only its code."""

from __future__ import annotations

from citecheck.model import Finding, NoteNumber, Span
from citecheck.rules.catalogue import RULES


def finding(
    code: str,
    message: str,
    path: str,
    span: Span,
    *,
    note: NoteNumber | None = None,
    url: str | None = None,
    fix: str | None = None,
) -> Finding:
    return Finding(
        code=code,
        severity=RULES[code].severity,
        message=message,
        path=path,
        line=span.line,
        column=span.column,
        note=note,
        url=url,
        fix=fix if fix is not None else RULES[code].fix,
    )
