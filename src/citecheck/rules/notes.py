"""N1xx: the notes and the markers that cite them agree (numbering, order, coverage)."""

from __future__ import annotations

from collections.abc import Iterator

from citecheck.model import Document, Finding, Span
from citecheck.rules.finding import finding


def check(doc: Document) -> Iterator[Finding]:
    path = doc.path
    unread = _notes_not_found(doc)
    if unread is not None:
        yield unread
    if not doc.notes:
        said = unread is not None or any(p.code == "N107" for p in doc.problems)
        if doc.notes_heading is None and not said:
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
        # A web page or Word file whose notes link to their markers and start past 1 is a
        # chapter of a longer work numbered throughout (notes 22-25 of a book's chapter 6):
        # only gaps between its notes are missing notes. A text brief starts at 1.
        first = ordered[0] - 1 if doc.format in ("html", "docx") else 0
        for before, after in zip([first, *ordered], ordered, strict=False):
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
        if m.style not in ("md", "in-note"):  # labels, and notes citing notes (HTML)
            first_at.setdefault(m.number, m)
    for n in sorted(x for x in first_at if isinstance(x, int)):
        nxt = first_at.get(n + 1)
        if nxt is not None and _before_marker(nxt.span, first_at[n].span):
            yield finding("N105", f"note {n + 1} is first cited here, before note {n} "
                          f"(first cited at {first_at[n].span.line}:{first_at[n].span.column})",
                          path, nxt.span, note=n + 1)


def _before_marker(a: Span, b: Span) -> bool:
    return (a.line, a.column) < (b.line, b.column)


_FORMAT_NAMES = {"text": "text", "markdown": "Markdown", "html": "HTML", "docx": "Word (.docx)",
                 "pdf": "PDF"}
_TYPED = frozenset(("dot", "bracket", "paren", "rparen", "space", "bare", "sup"))
"""How the text parser says a note's number was typed (parse/notes.py); structured readers
(Word footnotes, HTML note lists) give their own styles."""
_STYLE_NAMES = {"superscript": "superscript", "sup": "superscript", "bracket": "[n]",
                "caret": "^n", "md": "[^label]", "digit": "digit-after-punctuation"}


def _notes_not_found(doc: Document) -> Finding | None:
    """N107: the body cites notes that were not found, or notes were found that nothing
    cites. A reader that saw note-like structure it could not read reports N107 itself
    (Document.problems); this check does not say it twice."""
    if any(p.code == "N107" for p in doc.problems) or bool(doc.notes) == bool(doc.markers):
        return None
    if not doc.notes:
        strong = [m for m in doc.markers if m.style != "digit"]
        if not strong and len(doc.markers) < 3:
            return None  # one or two digits after punctuation: too weak to call markers
        return finding(
            "N107", f"{_what_was_seen(doc)}: the body cites notes that were not found, so "
            "no citation was checked", doc.path, doc.markers[0].span,
            note=doc.markers[0].number)
    if doc.notes_heading is None and all(n.style in _TYPED for n in doc.notes):
        # A trailing numbered list without a heading, typed in a text or Word file, may be
        # a list, not notes: without markers nothing says it is either.
        return None
    return finding(
        "N107", f"{_what_was_seen(doc)}: no marker in the body cites the {len(doc.notes)} "
        "notes, so the markers were not checked", doc.path,
        doc.notes_heading or doc.notes[0].span)


def _what_was_seen(doc: Document) -> str:
    """"read as HTML: 79 <sup> markers, no notes list found", from what the reader saw."""
    if doc.seen:
        head, *rest = doc.seen
    else:
        head, rest = f"read as {_FORMAT_NAMES.get(doc.format, doc.format)}", []
    if not rest:
        styles: dict[str, int] = {}
        for m in doc.markers:
            name = _STYLE_NAMES.get(m.style, m.style)
            styles[name] = styles.get(name, 0) + 1
        rest = [f"{len(doc.notes)} notes"] + [f"{n} {s} markers" for s, n in styles.items()]
    return f"{head}: {', '.join(rest)}"
