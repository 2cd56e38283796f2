"""A document's body as the quotation finder reads it: its lines without the notes, and, for
an HTML page, without its markup.

Notes are left out wherever they stand — in a section at the end or at the foot of each page
(a PDF, extracted text) — and the body lines on either side of a page's footnotes are read
as one text, so a quotation that runs over a page break is one quotation. HTML source lines
keep their length (tags and character references blanked, script and style emptied), and so
do Markdown lines (a link's destination blanked, its text kept), so a quotation's line and
column are the source file's.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from citecheck.model import Document, Span
from citecheck.quotes.find import Quotation, find_quotations

_TAG = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)
# A Markdown link or image, inline ("[text](url "title")") or by reference ("[text][ref]"):
# only its text is quoted words. "[^1]" (a footnote marker) is no link.
_MD_LINK = re.compile(r"!?\[(?!\^)([^\]\n]*)\](?:\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*"
                      r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?\)|\[[^\]\n]*\])")
_REFERENCE = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.I)
_NOT_NEWLINE = re.compile(r"[^\n]")


def quotations(doc: Document) -> list[Quotation]:
    """The quotations of `doc`'s body, each attributed to a note, at their places in it."""
    if not doc.markers or not doc.notes:
        return []
    text = _plain(doc.text) if doc.format == "html" else (
        _plain(_MD_LINK.sub(_link_text, doc.text)) if doc.format == "markdown" else doc.text)
    lines = text.split("\n")
    in_notes = [False] * len(lines)
    for note in doc.notes:
        first, last = note.span.line - 1, min(max(note.end_line, note.span.line), len(lines))
        in_notes[first] = True
        # A note continued on the next page leaves that page's body between its pieces:
        # only the lines holding its text are the note's.
        pieces = [p.strip() for p in note.text.split("\n") if p.strip()]
        for i in range(first + 1, last):
            in_notes[i] = in_notes[i] or any(p in lines[i] for p in pieces)
    if doc.notes_heading is not None:
        for i in range(doc.notes_heading.line - 1, len(lines)):
            in_notes[i] = True
    kept = [i for i in range(len(lines)) if not in_notes[i]]
    at = {line: k for k, line in enumerate(kept)}
    markers = [
        replace(m, span=Span(at[m.span.line - 1] + 1, m.span.column))
        for m in doc.markers
        if m.span.line - 1 in at
    ]
    found = find_quotations([lines[i] for i in kept], markers)
    return [replace(q, span=Span(kept[q.span.line - 1] + 1, q.span.column)) for q in found]


def _plain(source: str) -> str:
    """HTML with its markup blanked, line for line and column for column."""
    def blank(m: re.Match[str]) -> str:
        markup = m.group()
        # Most tags sit on one line: spaces of their width, without a pattern per tag.
        return _NOT_NEWLINE.sub(" ", markup) if "\n" in markup else " " * len(markup)

    def char(m: re.Match[str]) -> str:
        text = html.unescape(m.group())
        return text + " " * (len(m.group()) - len(text)) if len(text) == 1 else m.group()

    return _REFERENCE.sub(char, _TAG.sub(blank, source))


def _link_text(m: re.Match[str]) -> str:
    """A Markdown link as its text, the brackets and destination blanked in place."""
    start = m.start(1) - m.start()
    return " " * start + m.group(1) + " " * (len(m.group()) - start - len(m.group(1)))
