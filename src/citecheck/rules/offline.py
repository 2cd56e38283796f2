"""All offline rules (N, R, D) over one parsed document: pure, no I/O."""

from __future__ import annotations

import datetime as dt

from citecheck.model import Document, Finding
from citecheck.rules import dates, notes, refs


def check(doc: Document, as_of: dt.date) -> list[Finding]:
    return [*notes.check(doc), *refs.check(doc), *dates.check(doc, as_of)]
