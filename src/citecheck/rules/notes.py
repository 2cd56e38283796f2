"""N1xx: the notes and the markers that cite them agree (numbering, order, coverage)."""

from __future__ import annotations

from collections.abc import Iterator

from citecheck.model import Document, Finding, Span
from citecheck.rules.finding import finding


def check(doc: Document) -> Iterator[Finding]:
    path = doc.path
    if not doc.notes:
        if doc.notes_heading is None:
            yield finding("N106", "no notes section found: citations were not checked", path,
                          Span(1, 1))
        return
    # Markdown footnote labels ([^1], [^smith]) are names, not a sequence: the renderer
    # numbers them, so gaps (N101) and order (N105) say nothing about them.
    numbers = [n.number for n in doc.notes if isinstance(n.number, int) and n.style != "md"]
    present = set(numbers)
    by_number = {}
    for note in doc.notes:
        if note.number in by_number:
            first = by_number[note.number]
            yield finding("N102", f"note {note.number} is numbered like the note on line "
                          f"{first.span.line}", path, note.span, note=note.number)
        else:
            by_number[note.number] = note
    if numbers:
        ordered = sorted(present)
        for before, after in zip([0, *ordered], ordered, strict=False):
            for missing in range(before + 1, after):
                yield finding("N101", f"note {missing} is missing: the notes skip from "
                              f"{before or 'the start'} to {after}", path,
                              by_number[after].span, note=missing)
    cited = {m.number for m in doc.markers}
    for m in doc.markers:
        if m.number not in present and m.number not in by_number:
            yield finding("N103", f"marker {m.number} cites note {m.number}, which does not "
                          "exist", path, m.span, note=m.number)
    if doc.markers:
        for note in by_number.values():
            if note.number not in cited:
                yield finding("N104", f"note {note.number} is never cited in the text", path,
                              note.span, note=note.number)
    first_at = {}
    for m in doc.markers:
        if m.style != "md":
            first_at.setdefault(m.number, m)
    for n in sorted(x for x in first_at if isinstance(x, int)):
        nxt = first_at.get(n + 1)
        if nxt is not None and _before_marker(nxt.span, first_at[n].span):
            yield finding("N105", f"note {n + 1} is first cited here, before note {n} "
                          f"(first cited at {first_at[n].span.line}:{first_at[n].span.column})",
                          path, nxt.span, note=n + 1)


def _before_marker(a: Span, b: Span) -> bool:
    return (a.line, a.column) < (b.line, b.column)
