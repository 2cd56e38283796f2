"""Where each URL is cited and which date its snapshot should be nearest: pure.

Each citation is judged against its own access date; without one the brief's own date stands
in (what the authors could have read), and without that the newest snapshot (DESIGN.md §6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from citecheck.model import Document, LinkResult, NoteNumber, Span, Verdict

Key = tuple[str, dt.date | None]


@dataclass(frozen=True, slots=True)
class Cited:
    """One citation of one URL."""

    url: str
    note: NoteNumber
    span: Span
    accessed: dt.date | None
    target: dt.date | None  # `accessed`, else the document's date, else None (the newest snapshot)


def citations_of(document: Document) -> list[Cited]:
    """Every URL citation in `document`, in order."""
    out: list[Cited] = []
    for note in document.notes:
        for citation in note.citations:
            accessed = next((a.date for a in citation.accessed if a.date is not None), None)
            out += [Cited(ref.url, note.number, ref.span, accessed, accessed or document.date)
                    for ref in citation.urls]
    return out


def wanted(
    documents: Sequence[Document], results: Mapping[str, LinkResult], drift: bool
) -> tuple[list[Key], list[Key]]:
    """(look-ups for broken links, look-ups for drift: live links with an access date, when
    `drift`), unique and in citation order. Cheap: online.py asks before loading archive/."""
    broken: dict[Key, None] = {}
    live: dict[Key, None] = {}
    for doc in documents:
        for cited in citations_of(doc):
            result = results.get(cited.url)
            if result is not None and result.verdict.is_broken:
                broken[(cited.url, cited.target)] = None
            elif (drift and result is not None and cited.accessed is not None
                  and result.verdict in (Verdict.OK, Verdict.MOVED)):
                live[(cited.url, cited.accessed)] = None
    return list(broken), [k for k in live if k not in broken]
