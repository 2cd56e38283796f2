"""D3xx: access dates are real days, not in the future, and not before the source's date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from citecheck.model import Document, Finding
from citecheck.parse.dates import at_precision
from citecheck.rules.finding import finding


def check(doc: Document, as_of: dt.date) -> Iterator[Finding]:
    path = doc.path
    for note in doc.notes:
        for c in note.citations:
            for a in c.accessed:
                if a.date is None:
                    yield finding("D301", f"access date {a.problem}", path, a.span,
                                  note=note.number)
                    continue
                if a.date > as_of:
                    yield finding("D302", f"accessed {a.date:%B %-d, %Y}, which is after "
                                  f"{as_of:%B %-d, %Y}", path, a.span, note=note.number)
                if c.source_date is not None:
                    precision = _coarser(a.precision, c.source_date_precision)
                    if at_precision(a.date, precision) < at_precision(c.source_date, precision):
                        yield finding("D303", f"accessed {a.text}, before the source's own "
                                      f"date ({_show(c.source_date, c.source_date_precision)})",
                                      path, a.span, note=note.number)
            if c.urls and not c.accessed:
                for u in c.urls:
                    yield finding("D304", f"{u.url} is cited without an access date", path,
                                  u.span, note=note.number, url=u.url)


_ORDER = {"day": 0, "month": 1, "year": 2}


def _coarser(a: str, b: str) -> str:
    return a if _ORDER[a] >= _ORDER[b] else b


def _show(date: dt.date, precision: str) -> str:
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return f"{date:%B %Y}"
    return f"{date:%B %-d, %Y}"
