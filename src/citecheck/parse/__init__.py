"""Parse a brief's text into a Document: notes, markers, citations, back-references.

    lines -> notes section + page debris (layout, notes)
          -> notes -> citations (citations: urls, dates)
          -> back-references resolved (backrefs)
          -> markers in the body (markers)

Everything here is linear in the size of the text: briefs are parsed in a pre-commit hook,
and adversarial input (a megabyte without a newline) must not hang it.
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Callable

from citecheck.errors import InputError
from citecheck.model import Document, Finding, Note, NoteKind, Severity, Span, UrlRef
from citecheck.parse.backrefs import resolve
from citecheck.parse.citations import read_citations
from citecheck.parse.footzones import infer_zones
from citecheck.parse.layout import document_date, find_debris
from citecheck.parse.markers import find_markers
from citecheck.parse.notes import NotesSection, RawNote, find_section, split_notes
from citecheck.parse.pages import PageHints, page_edges, page_starts, read_zones
from citecheck.parse.urls import find_urls
from citecheck.readers.text import Source


def parse(
    source: Source,
    path: str | None = None,
    *,
    hints: PageHints | None = None,
    pages: list[int] | None = None,
    marker_forms: frozenset[str] | None = None,
) -> Document:
    """Parse `source`. A reader that knows the page layout (the PDF reader) passes `pages`
    (0-based line where each page starts) and `hints` (its footnote zones); for plain text
    both are worked out here, pages from form feeds and zones from the text itself.
    `marker_forms` limits markers to those forms ("sup", "digit", "bracket", "caret", "md").

    Parse with the cyclic garbage collector paused: parsing builds many small objects
    and no cycles, and the collector's passes over them cost a sixth of the parse time on
    a 20,000-note brief."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse(source, path, hints, pages, marker_forms)
    finally:
        if enabled:
            gc.enable()


def _parse(
    source: Source,
    path: str | None,
    hints: PageHints | None,
    pages: list[int] | None,
    marker_forms: frozenset[str] | None,
) -> Document:
    path = path if path is not None and path != "-" else source.path
    lines = [line.rstrip("\r") for line in source.text.split("\n")]
    starts = page_starts(lines) if pages is None else pages
    section = find_section(lines)
    body_end = section.heading if section and section.heading is not None else (
        section.start if section else len(lines)
    )
    # A reader that knows the layout (a PDF) has dropped running heads by their place on
    # the page: a line repeated in two notes there is text, wherever it falls.
    edges = set() if hints is not None else page_edges(lines, starts, 3) if starts else None
    debris = find_debris(lines, body_end, edges)
    raw_notes = split_notes(lines, section, debris) if section else []
    skip = debris
    page_debris = debris
    if section is not None and section.heading is None:
        # A trailing run of numbered lines may be the last page's footnotes: read as pages,
        # the page numbers inside it are furniture again.
        page_debris = find_debris(lines, len(lines), edges)
    footnotes = _footnotes(lines, page_debris, starts, hints, section, len(raw_notes))
    zone: list[bool] = []
    hints_used: PageHints | None = None
    if footnotes is not None:
        raw_notes, hints_used = footnotes
        zone = hints_used.zone
        debris = page_debris
        skip = [d or z for d, z in zip(debris, zone, strict=True)]
        if section is not None and section.heading is None:
            body_end = len(lines)  # the trailing run was the last page's footnotes
            section = None
    notes = resolve([_note(r) for r in raw_notes])
    url_spans, body_urls = _body_urls(lines, body_end, skip)
    page_notes = _page_notes(zone, hints_used, lines) if footnotes is not None else None
    markers = find_markers(
        lines, body_end, skip, [n.number for n in notes], url_spans, marker_forms, page_notes
    )
    problems: tuple[Finding, ...] = ()
    heading = None
    if section is not None and section.heading is not None and footnotes is None:
        heading = Span(section.heading + 1, 1)
        if not notes:
            _refuse_garbage(path, lines, section.heading)
            problems = (_unreadable_section(path, lines, section.heading),)
    return Document(
        path=path,
        format=source.format,
        text=source.text,
        notes=tuple(notes),
        markers=tuple(markers),
        date=document_date(lines),
        notes_heading=heading,
        problems=problems,
        body_urls=body_urls,
        pages=tuple(s + 1 for s in starts),
    )


def _page_notes(
    zone: list[bool], hints: PageHints | None, lines: list[str]
) -> list[tuple[int, int, int] | None]:
    """Per line, the first and last note opened in the footnote zone below it, and the
    numbering they belong to (1, or 2 and on where the numbering starts over): the notes
    whose markers that stretch of body text holds. Blank lines inside a zone (pdftotext
    -layout leaves one under a note's first line) do not end it."""
    out: list[tuple[int, int, int] | None] = [None] * len(zone)
    if hints is None:
        return out
    i = 0
    n = len(zone)
    while i < n:
        j = i
        while j < n and not zone[j]:
            j += 1
        k = j
        while k < n and (zone[k] or not lines[k].strip()):
            k += 1
        opened = [hints.starts[x] for x in range(j, k) if x in hints.starts]
        if opened:
            series = max((hints.series.get(x, 1) for x in range(j, k)), default=1)
            span = (min(opened), max(opened), series)
            for x in range(i, j):
                out[x] = span
        i = k if k > i else i + 1
    return out


def _footnotes(
    lines: list[str],
    debris: list[bool],
    starts: list[int],
    hints: PageHints | None,
    section: NotesSection | None,
    section_notes: int,
) -> tuple[list[RawNote], PageHints] | None:
    """Notes at the foot of the pages, with the zone lines, when they are the document's
    notes: more of them than a notes section holds (a report may have both footnotes and a
    numbered reference list; the footnotes are what its markers cite)."""
    end = section.heading if section and section.heading is not None else len(lines)
    if hints is not None and len(hints.zone) != len(lines):
        hints = None  # hints for another text (never expected): infer from this one
    if hints is not None and section is not None and section.heading is None:
        # The layout saw footnotes set as footnotes; a numbered list without a heading at
        # the end (a declaration's numbered paragraphs) is text, whatever its length.
        section_notes = 0
    if hints is None:
        hints = infer_zones(lines, debris, starts, end)
        if hints is None:
            return None
    notes = read_zones(lines, debris, hints)
    if not notes or len(notes) < section_notes:
        return None
    return notes, hints


class _TextMap:
    """Offsets in a note's joined text -> (line, column) in the file."""

    def __init__(self, pieces: list[tuple[int, int, str]]) -> None:
        self.starts: list[int] = []
        self.places: list[tuple[int, int]] = []
        offset = 0
        for line_index, col, text in pieces:
            self.starts.append(offset)
            self.places.append((line_index, col))
            offset += len(text) + 1

    def __call__(self, offset: int) -> Span:
        if not self.starts:
            return Span(1, 1)
        k = max(0, bisect.bisect_right(self.starts, offset) - 1)
        line_index, col = self.places[k]
        return Span(line_index + 1, col + (offset - self.starts[k]) + 1)


def _note(raw: RawNote) -> Note:
    text = "\n".join(p[2] for p in raw.pieces)
    if len(raw.pieces) == 1:  # most notes are one line: no need for a map
        line_no, col = raw.pieces[0][0] + 1, raw.pieces[0][1] + 1
        locate: Callable[[int], Span] = lambda offset: Span(line_no, col + offset)  # noqa: E731
    elif raw.pieces:
        locate = _TextMap(raw.pieces)
    else:
        locate = lambda _offset: Span(raw.line + 1, raw.column)  # noqa: E731
    citations = tuple(read_citations(text, locate)) if text.strip() else ()
    end = raw.pieces[-1][0] + 1 if raw.pieces else raw.line + 1
    kind = citations[0].kind if citations else NoteKind.FULL
    return Note(
        number=raw.number,
        span=Span(raw.line + 1, raw.column),
        text=text,
        citations=citations,
        kind=kind,
        end_line=end,
        style=raw.style,
    )


def _body_urls(
    lines: list[str], end: int, debris: list[bool]
) -> tuple[dict[int, list[tuple[int, int]]], tuple[UrlRef, ...]]:
    """The URLs of the body (outside the notes): per line where they stand (digits inside a
    URL are never markers), and each as a UrlRef, checked like a cited one."""
    spans: dict[int, list[tuple[int, int]]] = {}
    refs: list[UrlRef] = []
    for i in range(min(end, len(lines))):
        line = lines[i]
        if debris[i] or ("http" not in line and "www." not in line):
            continue
        found = find_urls(line)
        spans[i] = [(u.start, u.end) for u in found]
        refs.extend(UrlRef(u.url, Span(i + 1, u.start + 1)) for u in found)
    return spans, tuple(refs)


def _refuse_garbage(path: str, lines: list[str], heading: int) -> None:
    """A notes heading over symbol soup (a corrupt extraction, binary pasted as text) is bad
    input, not a brief without notes: say so and stop (exit 2) rather than report nothing."""
    body = [line for line in lines[heading + 1 : heading + 400] if line.strip()]
    text = "".join(body)
    if len(body) < 2 or len(text) < 40:
        return
    wordlike = sum(1 for ch in text if ch.isalnum() or ch.isspace())
    if wordlike < 0.6 * len(text):
        raise InputError(
            f"{path}: the notes section at line {heading + 1} is not readable text "
            "(is the extraction corrupt?)"
        )


def _unreadable_section(path: str, lines: list[str], heading: int) -> Finding:
    return Finding(
        code="N106",
        severity=Severity.INFO,
        message=(
            f"the notes section headed '{lines[heading].strip()[:40]}' holds no numbered "
            "notes citecheck can read"
        ),
        path=path,
        line=heading + 1,
        fix="number the notes 1., 2., … (or [1], (1)) at the start of their lines",
    )
