"""Where each URL is cited and which date its snapshot should be nearest: pure.

A URL cited in two notes may carry two access dates; each citation is judged against its own
("accessed April 5, 2024" in note 3 is about note 3). Without an access date the brief's own
date stands in (what the authors could have read when they published), and without that the
newest snapshot is wanted (DESIGN.md §6).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from citecheck.model import Document, NoteNumber, Span


@dataclass(frozen=True, slots=True)
class Cited:
    """One citation of one URL."""

    url: str
    note: NoteNumber
    span: Span
    accessed: dt.date | None
    target: dt.date | None
    """`accessed`, else the document's date, else None (the newest snapshot)."""


def citations_of(document: Document) -> list[Cited]:
    """Every URL citation in `document`, in order."""
    out: list[Cited] = []
    for note in document.notes:
        for citation in note.citations:
            accessed = next((a.date for a in citation.accessed if a.date is not None), None)
            target = accessed or document.date
            for ref in citation.urls:
                out.append(Cited(ref.url, note.number, ref.span, accessed, target))
    return out
