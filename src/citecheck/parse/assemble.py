"""Build a Document from what a structured reader found: notes, markers and links.

An HTML page or a Word file says in its structure what is a note and what is a marker, so
its reader needs no section finder or sequence guessing; it still needs everything the
text parser does once a note's text is known (citations, URLs, access dates, Ibid./Id./supra
resolved). This module is that shared second half, so every format gets the same Notes:

    reader -> FoundNote (text pieces with their source places, hyperlink targets)
           -> read_citations -> resolve -> Document

A note's text is assembled from pieces found at different places in the source (the text
nodes of an HTML list item, the paragraphs of a Word footnote); `PlacedText` keeps, for
every piece, the function that maps an offset inside it back to its line and column.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from citecheck.model import Document, Marker, Note, NoteKind, NoteNumber, Span, UrlRef
from citecheck.parse.backrefs import resolve
from citecheck.parse.citations import read_citations
from citecheck.parse.urls import FoundUrl

Place = Callable[[int], Span]
"""Maps an offset inside one piece of text to its place in the source."""


def at(line: int, column: int) -> Place:
    """The place of a piece written on one line from `column` on."""
    return lambda offset: Span(line, column + offset)


class PlacedText:
    """Text assembled from pieces, each remembering where it came from."""

    __slots__ = ("_parts", "_places", "_starts", "length")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._starts: list[int] = []
        self._places: list[Place] = []
        self.length = 0

    def add(self, text: str, place: Place | None = None) -> None:
        """Append `text`; without a place (a separator the reader inserts) its offsets map
        to the end of the piece before it."""
        if not text:
            return
        if place is not None:
            self._starts.append(self.length)
            self._places.append(place)
        elif self._places:
            last_start, last = self._starts[-1], self._places[-1]
            end = self.length - last_start
            self._starts.append(self.length)
            self._places.append(lambda _offset, last=last, end=end: last(max(0, end - 1)))
        self._parts.append(text)
        self.length += len(text)

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def locate(self, offset: int) -> Span:
        if not self._starts:
            return Span(1, 1)
        k = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return self._places[k](offset - self._starts[k])

    def last_line(self) -> int:
        return self.locate(max(0, self.length - 1)).line if self.length else 0


@dataclass
class FoundNote:
    """A note as a structured reader found it."""

    number: NoteNumber
    span: Span
    """Where the note starts: its number, or the element holding it."""
    body: PlacedText = field(default_factory=PlacedText)
    links: list[FoundUrl] = field(default_factory=list)
    """Hyperlink targets, each spanning its link text in `body`."""
    style: str = ""
    schemeless: bool = True
    """Whether "www.example.org" in the text counts as a URL (see read_citations)."""

    def link(self, url: str, start: int, end: int) -> None:
        self.links.append(FoundUrl(url, start, end))


def build_note(found: FoundNote) -> Note:
    text = found.body.text
    citations = (
        tuple(read_citations(text, found.body.locate, found.links,
                             schemeless=found.schemeless))
        if text.strip() else ()
    )
    kind = citations[0].kind if citations else NoteKind.FULL
    # The text as a reader sees it: a source's indentation and line breaks inside one
    # paragraph (HTML) say nothing; the citations keep their exact places regardless.
    shown = "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())
    return Note(
        number=found.number,
        span=found.span,
        text=shown,
        citations=citations,
        kind=kind,
        end_line=max(found.span.line, found.body.last_line()),
        style=found.style,
    )


def assemble(
    path: str,
    fmt: str,
    text: str,
    notes: Iterable[FoundNote],
    markers: Iterable[Marker],
    *,
    body_urls: Iterable[UrlRef] = (),
    seen: Iterable[str] = (),
    unit: str = "line",
    heading: Span | None = None,
    date: dt.date | None = None,
) -> Document:
    """The Document for a structured reading. Notes and markers keep the order given
    (the reader's document order); back-references are resolved here, as for text."""
    return Document(
        path=path,
        format=fmt,
        text=text,
        notes=tuple(resolve([build_note(n) for n in notes])),
        markers=tuple(markers),
        notes_heading=heading,
        body_urls=tuple(body_urls),
        seen=tuple(seen),
        unit=unit,
        date=date,
    )
