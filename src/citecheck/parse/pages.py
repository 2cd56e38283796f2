"""Footnotes at the foot of each page: the notes of government reports and law reviews.

A page of such a publication is its body text, then a footnote zone: the notes whose
markers stand on that page, numbered in sequence across the whole document, a long note
going on at the foot of the next page. Two inputs reach the zones:

- the PDF reader, which knows each line's type size and place and so hands over the zone
  and the note numbers it saw (`PageHints`, readers/pdflayout.py);
- text extracted from a PDF (pdftotext, with or without -layout), where pages are split by
  form feeds or show only as page numbers and running headers, and the zones are inferred
  from the text itself (footzones.py).

Either way one routine reads them (`read_zones`): a line opening with the next note's
number starts that note, every other zone line continues the note before it, across page
breaks; page furniture in between (running header, page number) is skipped, so a note or
URL broken by the page end is joined again.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from citecheck.lazyre import lazy
from citecheck.parse.notes import SUPERSCRIPTS, RawNote

SUP_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")

FOOT_START_RE = lazy(
    r"^[ \t\f]*(?:"
    r"(?P<sup>[" + SUPERSCRIPTS + r"]{1,4})[ \t]*(?=\S)"
    r"|(?P<num>\d{1,4})(?:[.)][ \t]+|[ \t]+|(?=[A-Z“\"‘(\[]))"
    r"|\[(?P<bracket>\d{1,4})\][ \t]*"
    r")(?P<first>[A-Z“\"‘'(\[§*_]|\d+[ \t]+[A-Z]|(?:id|see|cf|e\.g|accord|but|compare)\b)"
)
"""A line that may open a footnote: `1 Text`, `1. Text`, `1Text` (the superscript glued to
its text), `¹ Text`, `[1] Text`; the text opens like a citation (a capital, a quote, a
bracket, a section sign, a signal such as "see" or "id.", or "42 U.S.C.")."""
BARE_RE = lazy(r"^[ \t\f]*(\d{1,4})[ \t]*$")
CONTINUED_END = lazy(
    r"[ \t]*\(?(?:continued|cont(?:’|'|\.)d)(?:[ \t]+on[ \t]+next[ \t]+page)?"
    r"[ \t]*(?:\.{3}|…)?\)?[ \t]*$",
    re.IGNORECASE,
)
"""'(continued…)' ending a note that goes on at the foot of the next page."""
CONTINUED_START = lazy(
    r"^[ \t\f]*\(?(?:\.{3}|…)?[ \t]*(?:continued|cont(?:’|'|\.)d)"
    r"(?:[ \t]+from[ \t]+(?:previous|prior)[ \t]+page)?[ \t]*\)?[ \t:]*",
    re.IGNORECASE,
)
_CONTINUED_ONLY = lazy(
    r"^[ \t\f]*\(?(?:\.{3}|…)?[ \t]*(?:continued|cont(?:’|'|\.)d)[^\w]*"
    r"(?:(?:on[ \t]+next|from[ \t]+(?:previous|prior))[ \t]+page[^\w]*)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PageHints:
    """What a positioned text layer (a PDF) knows about its lines that plain text does not.

    `zone[i]` says line i is in a page's footnote zone (smaller type below the body);
    `starts[i]` is the note number a zone line opens with, where the reader saw it set as a
    note number (a superscript or a leading number in the zone's type)."""

    zone: list[bool]
    starts: dict[int, int] = field(default_factory=dict)
    series: dict[int, int] = field(default_factory=dict)
    """For a note opener of a numbering that starts over (a GAO report's appendices and
    agency letters each number their footnotes from 1 again): which numbering, from 2."""


def series_label(series: int, number: int) -> str:
    """The label of note `number` in the `series`-th numbering of a document: "2:1" is
    note 1 of the second numbering (the first keeps plain numbers)."""
    return f"{series}:{number}"


def page_starts(lines: list[str]) -> list[int]:
    """0-based line indices where each page begins, from form feeds (pdftotext ends every
    page with one); empty when the text has none."""
    starts = [0]
    for i, line in enumerate(lines):
        if line.startswith("\f") and i and (
            line.strip("\f \t") or any(s.strip() for s in lines[i + 1 : i + 2])
        ):
            starts.append(i)
    return starts if len(starts) > 1 else []


def foot_number(line: str) -> int | None:
    """The note number a line opens with, if it is shaped like a footnote's first line."""
    m = FOOT_START_RE.match(line)
    if m is None:
        return None
    if m.group("sup") is not None:
        return int(m.group("sup").translate(SUP_TO_DIGIT))
    return int(m.group("num") or m.group("bracket"))


def page_edges(lines: list[str], starts: list[int], depth: int = 2) -> set[int]:
    """The first and last `depth` lines of text of each page (pages from `starts`): where
    page numbers, running headers and footers stand."""
    out: set[int] = set()
    bounds = [*starts, len(lines)]
    for a, b in itertools.pairwise(bounds):
        out.update([i for i in range(a, min(b, a + 12)) if lines[i].strip()][:depth])
        out.update([i for i in range(max(a, b - 12), b) if lines[i].strip()][-depth:])
    return out


def read_zones(lines: list[str], debris: list[bool], hints: PageHints) -> list[RawNote]:
    """The notes in the footnote zones, in order: a line opening a note starts it, every
    other zone line continues the note before it (across pages)."""
    notes: list[RawNote] = []
    current: RawNote | None = None
    highest = 0
    series = 1
    for i, line in enumerate(lines):
        n = hints.starts.get(i)
        if n is None and (not hints.zone[i] or debris[i] or not line.strip()):
            continue
        if n is not None and hints.series.get(i, series) != series:
            series, highest = hints.series[i], 0  # the numbering starts over
        if n is not None and n > highest:
            m = FOOT_START_RE.match(line)
            if m is not None:
                col = m.start("first")
            elif BARE_RE.match(line):
                col = len(line)  # the number alone; its text follows on the next line
            else:
                col = len(line) - len(line.lstrip())  # text whose number was set apart
            number: int | str = n if series == 1 else series_label(series, n)
            current = RawNote(number, i, len(line) - len(line.lstrip(" \t\f")) + 1, "foot")
            notes.append(current)
            highest = n
            rest = line[col:]
            if rest.strip():
                current.pieces.append((i, col, _strip_continued(rest)))
            continue
        if current is None:
            continue
        if _CONTINUED_ONLY.match(line):
            continue  # "(continued…)" alone on its line
        text = line
        col = 0
        m = CONTINUED_START.match(text)
        if m and m.end():
            col = m.end()
            text = text[col:]
        text = _strip_continued(text)
        if text.strip():
            current.pieces.append((i, col, text))
    return notes


def _strip_continued(text: str) -> str:
    m = CONTINUED_END.search(text)
    return text[: m.start()] if m else text
