"""Note markers in the body text.

Unicode superscripts (¹, ¹⁰), `[1]`, `^1` and Markdown `[^label]` are markers by their
form. Text extracted from a PDF loses the superscript and leaves a plain digit glued to the
preceding punctuation (`capabilities.4 Japan`, `in 2019.1 The`, `”7`); such a digit is a
marker only when it fits the expected sequence of note numbers, which is what tells
`in 2019.1 The` (marker 1) from `3.2 percent`, `Section 4.1` and `1,000`.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from citecheck.lazyre import lazy
from citecheck.model import Marker, Span
from citecheck.parse.notes import SUPERSCRIPTS
from citecheck.parse.pages import series_label

_SUP = str.maketrans(SUPERSCRIPTS, "0123456789")
_MARKER_RE = lazy(
    r"(?P<sup>[" + SUPERSCRIPTS + r"]{1,9})(?![" + SUPERSCRIPTS + r"])"
    r"|\[\^(?P<md>[^\]\s]{1,64})\](?!:)"
    r"|\[(?P<bracket>\d{1,9}(?:[ \t]*[,–-][ \t]*\d{1,9}){0,20})\](?!\()"
    r"|(?<!\[)\^\[?(?P<caret>\d{1,9})\]?"
    r"|(?<=[.,;:!?)\]\"”’'a-z])(?P<digit>\d{1,3})(?=[ \t,;:)\]—–]|$)"
)
_UNIT_BEFORE = lazy(r"(?:^|[^A-Za-z])(?:[kcmdnµ]?m|ft|in|mi|yd|sq|[A-Za-z])$")
_SECTION_WORD = lazy(
    r"(?:section|sec|§|chapter|ch|figure|fig|table|article|art|para|paragraph|rule|part"
    r"|title|appendix|annex|version|v|no|vol|page|pp?|item|clause|step|level|phase|tier"
    r"|grade|class|model|type)\.?$",
    re.IGNORECASE,
)
_ABBREV_BEFORE = lazy(r"(?:^|\W)(?:pp?|no|nos|vol|ch|fig|art|sec|para|ed|eds)\.$",
                            re.IGNORECASE)
_LATER = lazy(r"[ \t]+[A-Z“\"‘'(\[]|[ \t]*$")


def find_markers(
    lines: list[str],
    end: int,
    skip: list[bool],
    note_numbers: Collection[int | str],
    url_spans: dict[int, list[tuple[int, int]]],
    only: frozenset[str] | None = None,
    page_notes: list[tuple[int, int, int] | None] | None = None,
) -> list[Marker]:
    """Markers in lines[:end], in reading order. `skip` flags page furniture; `url_spans`
    gives, per line, the column ranges of URLs, inside which nothing is a marker; `only`
    keeps the markers of those forms (a PDF whose superscripts are known keeps only them:
    its plain digits and bracketed numbers are not markers). `page_notes` gives, per line,
    the numbers of the footnotes set at the foot of its page: a digit glued where a number
    could stand ("section 403.134 The", "in 1960,107 created") is that note's marker when
    it comes next and its footnote is right below. Where the page's notes belong to a
    numbering that starts over (series 2 and on), its markers take their labels."""
    numbered = {n for n in note_numbers if isinstance(n, int)}
    top = max(numbered, default=0)
    markers: list[Marker] = []
    add = markers.append
    finditer = _MARKER_RE.finditer
    highest = 0
    for i in range(min(end, len(lines))):
        if skip[i]:
            continue
        line = lines[i]
        spans = url_spans.get(i) if url_spans else None
        for m in finditer(line):
            if only is not None and m.lastgroup not in only:
                continue
            start = m.start()
            if spans and any(a <= start < b for a, b in spans):
                continue
            page = page_notes[i] if page_notes else None
            if page is not None and page[2] > 1:
                # A numbering that started over: a number of this page's notes cites the
                # note of that numbering ("2:3"); other numbers here are not markers.
                raw = m.group(m.lastgroup or "digit")
                n = int(raw.translate(_SUP)) if raw.translate(_SUP).isdigit() else 0
                if 1 <= n <= page[1] and (m.lastgroup != "digit" or n >= page[0]):
                    label = series_label(page[2], n)
                    add(Marker(label, Span(i + 1, start + 1), m.lastgroup or "digit"))
                continue
            if (
                page_notes is not None
                and m.lastgroup == "digit"
                and int(m.group("digit")) <= highest
            ):
                continue  # a footnote is cited once: "Art. V(A)1" later on is no marker
            for number in _read(m, line, highest, numbered, top, page):
                add(Marker(number, Span(i + 1, start + 1), m.lastgroup or "digit"))
                if isinstance(number, int) and number > highest:
                    highest = number
    return markers


def _read(
    m: re.Match[str],
    line: str,
    highest: int,
    numbered: set[int],
    top: int,
    page: tuple[int, int, int] | None = None,
) -> list[int | str]:
    expected = highest + 1
    kind = m.lastgroup
    if kind == "digit":
        if line[max(0, m.start() - 2) : m.start()] == "..":
            return []  # a table of contents: "Food Products ........ 11"
        if page is not None and _on_page(m, line, expected, page):
            return [int(m.group("digit"))]
        return _read_digit(m, line, expected, numbered, top)
    if kind == "md":
        label = m.group("md")
        return [int(label) if label.isascii() and label.isdigit() else label]
    if kind == "sup":
        n = int(m.group("sup").translate(_SUP))
        start = m.start()
        if start and line[start - 1].isdigit():
            return [n] if n == expected else []  # "10²" is a power, "1960⁵" a marker
        if start and line[start - 1].isalpha() and _UNIT_BEFORE.search(
            line, max(0, start - 4), start
        ):
            # km², m³, x²; but "15 U.S.C. §3722a²¹⁷" cites note 217 (no unit has that power)
            return [n] if n == expected and n > 3 else []
        return [n] if n >= 1 else []
    if kind == "bracket":
        words = line[max(0, m.start() - 24):m.start()].split()
        if words and _SECTION_WORD.fullmatch(words[-1]):
            return []  # "section [401]" (an inserted cross-reference), "Table [2]"
        numbers = _expand(m.group("bracket"))
        # Cited again, or next (give or take a lost one); "[401]" in a quoted statute when
        # note 134 is next is an editor's insertion, not a marker.
        limit = expected + _SLACK
        return [n for n in numbers if 1 <= n <= limit] if numbers else []
    n = int(m.group("caret"))
    return [n] if n >= 1 else []


_SLACK = 5
"""How far past the highest note a bracketed or glued number may go and still be a marker
(an orphan marker is a finding; `[2019]` is a year)."""


def _on_page(m: re.Match[str], line: str, expected: int, page: tuple[int, int, int]) -> bool:
    """The next note (or one after a marker lost to the extraction), whose footnote is at
    the foot of this page; a decimal going on in lower case ("3.2 percent") is not."""
    n = int(m.group("digit"))
    if not (page[0] <= n <= page[1] and expected <= n <= expected + 2):
        return False
    start = m.start()
    if line[start - 1] == "." and line[start - 2 : start - 1].isdigit():
        return _LATER.match(line, m.end()) is not None
    return True


def _read_digit(
    m: re.Match[str], line: str, expected: int, numbered: set[int], top: int
) -> list[int | str]:
    n = int(m.group("digit"))
    start = m.start()
    glue = line[start - 1]
    before = line[max(0, start - 49) : start - 1]  # bounded look-back keeps long lines linear
    if n < 1:
        return []
    if glue.islower():
        if n != expected:
            return []
        return [n] if start - _word_start(line, start) >= 3 else []
    if glue in ".,;:" and before[-1:].isdigit():
        # "2019.1 The" is a marker after a year; "3.2 percent", "1,000", "Section 4.1" are not.
        if glue != "." or n != expected or not _LATER.match(line, m.end()):
            return []
        tail = before[-48:]  # bounded: a megabyte-long line must not make this quadratic
        words = tail.split()
        number = words[-1] if words else ""
        if not number.isdigit():
            return []  # "$3.2", "v1.2"
        if len(number) <= 2 and len(words) == 1 and not line[: start - 1 - len(number)].strip():
            return []  # "2.1 Alternative Dispute Resolution": a section's number
        if len(words) >= 2 and _SECTION_WORD.fullmatch(words[-2]):
            return []
        return [n]
    if glue == "." and _ABBREV_BEFORE.search(line[max(0, start - 8) : start]):
        return []  # "p.3", "No.4"
    if n == expected or (n < expected and n in numbered):
        return [n]
    if expected < n <= max(top, expected) + _SLACK and (n in numbered or not numbered):
        return [n]
    return []


def _word_start(line: str, end: int) -> int:
    i = end
    while i > 0 and end - i < 32 and line[i - 1].isalpha():
        i -= 1
    return i


def _expand(spec: str) -> list[int]:
    """`1`, `1, 3`, `2–4` -> the note numbers they cite."""
    out: list[int] = []
    for part in re.split(r"[ \t]*,[ \t]*", spec):
        bounds = re.split(r"[ \t]*[–-][ \t]*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            a, b = int(bounds[0]), int(bounds[1])
            if a <= b and b - a <= 50:
                out.extend(range(a, b + 1))
            continue
        if part.isdigit():
            out.append(int(part))
    return out
