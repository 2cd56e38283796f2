"""Footnote zones in plain text extracted from a PDF, where no type size tells them apart.

What tells a footnote zone from a numbered list or a heading is the defining property of a
footnote: its marker stands in the body text above it, after the previous zone. Each
inferred zone must open with the next note (or one after a note the extraction lost), and
that note's marker must be in the body since the last zone; a line opening with a number
inside the zone starts the next note only when that number comes next and its marker was
seen (or the note before is complete). Ordinals ("117th"), statutes ("Pub. L. No. 117-58",
"42 U.S.C. § 1983") and page numbers fail these tests by their shape or their place.

Pages come from form feeds, or else from runs of page furniture (a page number, a running
header). A note continued on the next page is found above that page's zone: after
"(continued…)", when the note ended inside a URL, or in lines longer than the body's (the
zone's type is smaller).
"""

from __future__ import annotations

import bisect

from citecheck.lazyre import lazy
from citecheck.parse.notes import SUPERSCRIPTS
from citecheck.parse.pages import (
    BARE_RE,
    CONTINUED_END,
    CONTINUED_START,
    SUP_TO_DIGIT,
    PageHints,
    foot_number,
    page_edges,
)

_MARKER_RE = lazy(
    r"(?P<sup>[" + SUPERSCRIPTS + r"]{1,4})"
    r"|(?<=[.,;:!?)\]\"”’'a-z])(?P<digit>\d{1,3})(?=[ \t,;:.)\]—–]|$)"
    r"|\[(?P<bracket>\d{1,3})\]"
)
_DONE_RE = lazy(r"[.)\]>”\"’!?][ \t]*$")
_IN_URL = lazy(r"(?:https?://|www\.)\S*[-/_.=&?]$")
"""A line ending inside a URL (at a separator the layout broke it after)."""
_URL_TAIL = lazy(r"[a-z0-9][\w\-.~%/?#=&+]*[-/_.][\w\-.~%/?#=&+]*(?:[.,;)]|\s|$)")
"""The rest of a URL opening a line: path text with a separator in it."""
_MAX_GAP = 3
"""How far a footnote number may jump ahead of the last one (a note lost to extraction)."""
_ZONE_LINES = 120
"""A footnote zone is at most a page long: no scan looks further, so the parse stays linear."""


class _MarkerIndex:
    """Lines where each number stands in marker position (superscript, glued digit, [n])."""

    def __init__(self, lines: list[str]) -> None:
        self.at: dict[int, list[int]] = {}
        finditer = _MARKER_RE.finditer
        for i, line in enumerate(lines):
            for m in finditer(line):
                raw = m.group("sup")
                n = int(raw.translate(SUP_TO_DIGIT)) if raw else int(m.group(m.lastgroup or ""))
                self.at.setdefault(n, []).append(i)

    def between(self, n: int, start: int, end: int) -> bool:
        places = self.at.get(n)
        if not places:
            return False
        k = bisect.bisect_left(places, start)
        return k < len(places) and places[k] < end


def _pages(lines: list[str], debris: list[bool], starts: list[int]) -> list[tuple[int, int]]:
    """Page ranges: from form feeds, else split where a run of page furniture begins (a
    number alone on its line between two lines of text is a note's number, not furniture)."""
    if starts:
        bounds = [*starts, len(lines)]
        return [(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1)]
    pages = []
    begin = 0
    prev_text = False
    scan = _Scan(lines, debris, None)
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        furniture = debris[i] and (not BARE_RE.match(line) or scan.opens(i, len(lines)) is None)
        if furniture and prev_text:
            pages.append((begin, i))
            begin = i
        prev_text = not furniture
    pages.append((begin, len(lines)))
    return pages


def infer_zones(
    lines: list[str], debris: list[bool], starts: list[int], end: int
) -> PageHints | None:
    """Footnote zones in plain text, or None when the text has none (an endnotes brief)."""
    starts = [s for s in starts if s < end]
    pages = _pages(lines[:end], debris, starts)
    if len(pages) < 2:
        return None  # no page breaks: a numbered list at the end is a notes section or a list
    scan = _Scan(lines, debris, page_edges(lines, starts) if starts else None)
    zone = [False] * len(lines)
    opened: dict[int, int] = {}
    series_at: dict[int, int] = {}
    series = 1
    expected = 1
    segment = 0  # where the body text since the last zone begins
    open_note: bool | str = False
    found_pages = 0
    for a, b in pages:
        z, numbers = scan.zone_on_page(a, b, expected, segment)
        if z is None and expected > 1 and found_pages >= 2 and not open_note:
            # The numbering may start over (a report's appendices, an agency's letter):
            # note 1 again, its marker in the body above.
            z, numbers = scan.zone_on_page(a, b, 1, segment)
            if z is not None and numbers and min(numbers.values()) == 1:
                series += 1
                series_at.update(dict.fromkeys(numbers, series))
        elif series > 1 and numbers:
            series_at.update(dict.fromkeys(numbers, series))
        cont = _continuation(lines, debris, a, b if z is None else z, open_note)
        if z is None and cont is None:
            open_note = False
            continue
        first = cont if cont is not None else z
        for i in range(first, b):  # type: ignore[arg-type]
            if (not debris[i] or i in numbers) and lines[i].strip():
                zone[i] = True
        if z is not None and numbers:
            opened.update(numbers)
            expected = max(numbers.values()) + 1
            found_pages += 1
        last = _last_text(lines, debris, first, b)  # type: ignore[arg-type]
        open_note = last is not None and _open(lines[last])
        if last is not None and _says_continued(lines, last, b):
            open_note = "continued"
        elif open_note and last is not None and _IN_URL.search(lines[last]):
            open_note = "url"
        segment = b
    if not opened or (found_pages < 2 and (len(opened) < 2 or min(opened.values()) != 1)):
        return None  # one page's numbered lines, not starting at 1: a list, not footnotes
    return PageHints(zone, opened, series_at)


class _Scan:
    """The text, its furniture, where numbers stand in marker position, and (when form
    feeds mark the pages) the page edges: what deciding on a zone needs to look at."""

    def __init__(self, lines: list[str], debris: list[bool], edges: set[int] | None) -> None:
        self.lines, self.debris, self.edges = lines, debris, edges
        self._index: _MarkerIndex | None = None

    @property
    def index(self) -> _MarkerIndex:
        if self._index is None:
            self._index = _MarkerIndex(self.lines)
        return self._index

    def zone_on_page(
        self, a: int, b: int, expected: int, segment: int
    ) -> tuple[int | None, dict[int, int]]:
        """Where this page's footnote zone begins and the lines that open its notes."""
        lines, debris = self.lines, self.debris
        lo = max(a, b - _ZONE_LINES)
        # The zone is at the foot: the last line opening note `expected` is where it begins
        # (a numbered heading above it, "1. How the Money Moves", opens nothing).
        best: tuple[int, int, dict[int, int]] | None = None
        for i in range(b - 1, lo - 1, -1):
            if debris[i] and not BARE_RE.match(lines[i]):
                continue
            n = self.opens(i, b)
            if n is None or not expected <= n <= expected + _MAX_GAP:
                continue  # (a note lost to the extraction is a gap, not the end of notes)
            if (best is not None and n >= best[1]) or not self.index.between(n, segment, i):
                continue
            numbers = self.numbers_in_zone(i, b, n, segment)
            if numbers is not None:
                best = (i, n, numbers)
                if n == expected:
                    break
        if best is not None and best[1] > expected:
            start = self.stray_start(a, best[0], b, expected)
            if start is not None:
                return start, {start: expected, **best[2]}
        return (best[0], best[2]) if best else (None, {})

    def stray_start(self, a: int, opener: int, b: int, n: int) -> int | None:
        """pdftotext (raw) sometimes sets a page's first footnote number after the page's
        last footnote, its text left without a number right under the body. When `n`
        stands alone after the zone, its note is the lines just above the next note's
        opener, back to the body (a line citing notes in marker position)."""
        lines = self.lines
        if not any(
            (m := BARE_RE.match(lines[j])) and int(m.group(1)) == n for j in range(opener, b)
        ):
            return None
        first = None
        j = opener - 1
        while j >= a and opener - j <= 8:
            line = lines[j]
            if not line.strip() or (self.debris[j] and not BARE_RE.match(line)):
                break
            if _glued(line, 1, n + 50) or (_MARKER_RE.search(line) and any(
                ch in SUPERSCRIPTS for ch in line
            )):
                break
            first = j
            j -= 1
        return first

    def opens(self, i: int, b: int) -> int | None:
        """The note number line i opens with: `1 Text`, or a number alone on its line with
        the note's text on the next (pdftotext sets a raised note number on a line of its
        own), unless it stands where page numbers do."""
        lines = self.lines
        line = lines[i]
        head = line.lstrip(" \t\f")[:1]
        if not head or not (head.isdigit() or head == "[" or head in SUPERSCRIPTS):
            return None  # most lines: no regular expression needed
        n = foot_number(line)
        if n is not None:
            return n
        bare = BARE_RE.match(line)
        if bare is None or line.startswith("\f"):
            return None
        j = _adjacent(lines, i, 1, b)
        k = _adjacent(lines, i, -1, b)
        if j is None or k is None or lines[j].startswith("\f"):
            return None  # at the page's edge
        if self.edges is not None:
            if i in self.edges or self.debris[j]:
                return None  # at the page's edge, or followed by furniture, not by its text
        elif self.debris[j] or self.debris[k]:
            return None  # next to the page's running header
        if BARE_RE.match(lines[j]) or BARE_RE.match(lines[k]):
            return None  # one of a column of numbers (a table)
        return int(bare.group(1))

    def numbers_in_zone(
        self, start: int, b: int, first: int, segment: int
    ) -> dict[int, int] | None:
        """The lines of the zone [start, b) that open notes; None when the zone reads as
        body text (it cites the next notes in marker position)."""
        lines, debris = self.lines, self.debris
        numbers = {start: first}
        current = first
        last_text = lines[start]
        for i in range(start + 1, b):
            line = lines[i]
            if not line.strip() or (debris[i] and not BARE_RE.match(line)):
                continue
            n = self.opens(i, b)
            if n is not None and current < n <= current + _MAX_GAP and (
                self.index.between(n, segment, start) or not _open(last_text)
            ):
                numbers[i] = n
                current = n
            elif _glued(line, current + 1, current + 10):
                return None  # prose citing notes: body text, not a footnote
            last_text = line
        return numbers


def _glued(line: str, low: int, high: int) -> bool:
    """A number in [low, high] glued after punctuation, as prose sets its markers
    ('capacity.12 Next'); a name or code ending in digits ('FY2017', 'Author12') or a
    section number ('§105.9') is not."""
    for m in _MARKER_RE.finditer(line):
        digit = m.group("digit")
        if not digit or not low <= int(digit) <= high:
            continue
        start = m.start()
        glue = line[start - 1]
        if glue.isalnum() or (glue in ".,:" and line[start - 2 : start - 1].isdigit()):
            continue  # "Author12", "§105.9", "1,000", "2:02 PM"
        if digit.startswith("0"):
            continue  # "2:02", "v.05": no note is numbered with a leading zero
        return True
    return False


def _continuation(
    lines: list[str], debris: list[bool], a: int, end: int, open_note: bool | str
) -> int | None:
    """First line of the rest of an unfinished note, set above this page's zone (or at the
    page end when the page opens no note): the lines just before `end` that read as a
    note's tail — an explicit "(continued)", a URL or citation fragment, or lines set in
    the zone's smaller, longer lines."""
    if not open_note:
        return None
    last = _prev_text(lines, debris, end - 1, a)
    if last is None:
        return None
    first = last
    i = last - 1
    typical = _typical_length(lines, max(a, end - _ZONE_LINES), end)
    while i >= max(a, last - _ZONE_LINES) and lines[i].strip() and not debris[i]:
        # A URL broken over two lines ("…/CORRECTION-OF-" then "MILITARY-….PDF;") keeps
        # both lines with the note, however short they are.
        if not (
            _zone_like(lines[i], typical)
            or _IN_URL.search(lines[i])
            or (i > a and _IN_URL.search(lines[i - 1]))
        ):
            break
        first = i
        i -= 1
    if CONTINUED_START.match(lines[first]) or first < last or _fragment(lines[first]):
        return first
    if open_note == "url" and _URL_TAIL.match(lines[first].strip()):
        return first  # "challenge-process-overview-….pdf (accessed …)": the URL goes on
    if open_note == "continued":
        # Said so: the note goes on in the paragraph above the zone (back to a blank line
        # or a line citing notes).
        i = last - 1
        while i >= max(a, last - 8) and lines[i].strip() and not debris[i]:
            if _glued(lines[i], 1, 100_000) or any(ch in SUPERSCRIPTS for ch in lines[i]):
                break
            first = i
            i -= 1
        return first
    return None


def _typical_length(lines: list[str], a: int, end: int) -> int:
    """The length of a full body line on the page (the upper quartile)."""
    body = sorted(len(s.strip()) for s in lines[a:end] if s.strip())
    return body[len(body) * 3 // 4] if body else 0


def _zone_like(line: str, typical: int) -> bool:
    """A line longer than the page's body lines (footnotes are set smaller, so their full
    lines hold more characters)."""
    return (bool(typical) and len(line.strip()) > typical * 1.08) or _fragment(line)


def _fragment(line: str) -> bool:
    s = line.strip()
    return (s[:1].islower() and "/" in s.split(" ", 1)[0]) or s.startswith(("http", "www."))


def _says_continued(lines: list[str], last: int, b: int) -> bool:
    """'(continued…)' ends the zone's last line or stands after it (where it may have
    been taken for furniture)."""
    return any(
        CONTINUED_END.search(lines[j]) for j in range(last, min(b, last + 4))
    )


def _open(line: str) -> bool:
    """A note whose last line ends without closing punctuation (or says "continued") goes
    on at the foot of the next page."""
    if CONTINUED_END.search(line):
        return True
    return _DONE_RE.search(line) is None


def _adjacent(lines: list[str], i: int, step: int, end: int) -> int | None:
    """The nearest non-blank line before (step -1) or after (step 1) line i, within 6."""
    j = i + step
    while 0 <= j < min(end, len(lines)) and abs(j - i) <= 6:
        if lines[j].strip():
            return j
        j += step
    return None


def _next_text(lines: list[str], debris: list[bool], start: int, end: int) -> int | None:
    for j in range(start, min(end, start + 4)):
        if lines[j].strip() and not debris[j]:
            return j
    return None


def _prev_text(lines: list[str], debris: list[bool], start: int, stop: int = 0) -> int | None:
    for j in range(start, max(stop, start - 4) - 1, -1):
        if lines[j].strip() and not debris[j]:
            return j
    return None


def _last_text(lines: list[str], debris: list[bool], a: int, b: int) -> int | None:
    for j in range(b - 1, a - 1, -1):
        if lines[j].strip() and not debris[j]:
            return j
    return None
