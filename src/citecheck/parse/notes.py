"""Find the notes section and split it into numbered notes.

A note starts with its number (`1.`, `1 `, `[1]`, `(1)`, `1)`, `¹`, or Markdown `[^label]:`);
the lines after it, up to the next note, continue it. Which lines start a note is decided
with the expected sequence: in a section numbered 1, 2, 3 a line beginning "2022, p. 7" or
"10 to 20 percent" continues the previous note rather than starting note 2022 or 10.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from citecheck.lazyre import lazy
from citecheck.parse.layout import BARE_NUMBER_RE, HEADING_RE, PAGE_NUMBER_RE

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")

START_RE = lazy(
    r"^[ \t]*(?:\*\*|__)?(?:"
    r"(?P<dot>\d{1,9})\.(?:\*\*|__)?(?=[ \t]|$)"
    r"|\[(?P<bracket>\d{1,9})\](?:\*\*|__)?(?!\()"
    r"|\((?P<paren>\d{1,9})\)(?=[ \t])"
    r"|(?P<rparen>\d{1,9})\)(?=[ \t])"
    r"|(?P<sup>[" + SUPERSCRIPTS + r"]{1,9})(?![" + SUPERSCRIPTS + r"])"
    r"|\[\^(?P<md>[^\]\s]{1,64})\]:"
    r"|(?P<space>\d{1,9})(?=[ \t]+[A-Z“\"‘'*_\[(])"
    r")[ \t]*"
)
_WEAK_STYLES = {"space", "sup"}
_MD_DEFINITION = lazy(r"\[\^[^\]\s]{1,64}\]:")
_MAX_GAP = 5
"""How far a note number may jump ahead (a missing note is a finding, not a parse error)."""
_FIRST_MAX = 1000
"""A notes section may start past 1 (a chapter's notes), but not at a year."""
_ENDS_DONE = lazy(r"[.)\]>”\"’]\s*$")
_HEADING_LIKE = lazy(r"^[A-Z][\w’'&,:-]*(?:[ \t]+[\w’'&,:-]+){0,6}$")


@dataclass
class RawNote:
    """A note as found: its number and the (line index, column, text) pieces it spans."""

    number: int | str
    line: int
    column: int
    style: str
    pieces: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class NotesSection:
    heading: int | None
    """Line index of the heading, or None for a trailing run of numbered lines."""
    start: int
    """Line index where notes may begin (after the heading)."""
    end: int


def find_section(lines: list[str]) -> NotesSection | None:
    """The last notes heading followed by a numbered note, else a trailing run of numbered
    lines starting at 1, else a bare heading (a section with no readable notes)."""
    last_bare: int | None = None
    for i in range(len(lines) - 1, -1, -1):
        if HEADING_RE.match(lines[i]):
            if _numbered_note_follows(lines, i + 1):
                return NotesSection(i, i + 1, len(lines))
            if last_bare is None:
                last_bare = i
    run = _trailing_run(lines)
    if run is not None:
        return NotesSection(None, run, len(lines))
    definitions = _markdown_definitions(lines)
    if definitions is not None:
        return NotesSection(None, definitions, len(lines))
    if last_bare is not None:
        return NotesSection(last_bare, last_bare + 1, len(lines))
    return None


def _numbered_note_follows(lines: list[str], start: int) -> bool:
    seen = 0
    for line in lines[start : start + 400]:
        if not line.strip():
            continue
        m = START_RE.match(line)
        if m and _style(m) != "space":
            return True
        if m and _number(m) in (1, "1"):
            return True
        bare = BARE_NUMBER_RE.match(line)
        if bare and int(bare.group(1)) == 1:
            return True
        seen += 1
        if seen > 60:
            return False
    return False


def _markdown_definitions(lines: list[str]) -> int | None:
    """Markdown footnotes need no heading: their definitions (`[^label]: …`) are the notes,
    and the first one starts the section."""
    for i, line in enumerate(lines):
        if line.startswith("[^") and _MD_DEFINITION.match(line):
            return i
    return None


def _trailing_run(lines: list[str]) -> int | None:
    """Start of a run of notes numbered from 1 that continues to the end of the text."""
    expected_last: int | None = None
    found_one = None
    count = 0
    tail_text = tail_paragraph = False
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        m = START_RE.match(line)
        if not m or _style(m) in ("md", "sup"):
            if expected_last is None and line.strip() and not PAGE_NUMBER_RE.match(line):
                tail_text = True
            elif expected_last is None and tail_text and not line.strip():
                tail_paragraph = True  # a paragraph after the last numbered line
            continue
        if expected_last is None and tail_paragraph:
            return None  # a numbered list followed by prose is a list, not the notes
        n = _number(m)
        if not isinstance(n, int):
            continue
        if expected_last is None or n == expected_last - 1:
            expected_last = n
            count += 1
            if n == 1:
                found_one = i
                break
        elif expected_last is not None:
            return None
    if found_one is not None and count >= 2:
        return found_one
    return None


def split_notes(lines: list[str], section: NotesSection, debris: list[bool]) -> list[RawNote]:
    notes: list[RawNote] = []
    current: RawNote | None = None
    dominant: str | None = None
    highest = 0
    gap = False  # a blank or furniture line since the last text line
    stopped = False
    i = section.start
    while i < section.end:
        line = lines[i]
        if debris[i] or not line.strip():
            gap = True
            i += 1
            continue
        m = START_RE.match(line)
        if m and _accept(m, dominant, highest, notes):
            style = _style(m)
            number = _number(m)
            dominant = dominant or style
            current = RawNote(number, i, len(line) - len(line.lstrip()) + 1, style)
            notes.append(current)
            if isinstance(number, int):
                highest = max(highest, number)
            rest = line[m.end() :]
            if rest.strip():
                current.pieces.append((i, m.end(), rest))
            gap = False
            stopped = False
            i += 1
            continue
        bare = BARE_NUMBER_RE.match(line)
        if bare and current is not None and not stopped and _year_continues(line, current):
            bare = None  # "…(Washington: Harbor Press,\n2020." is the note going on
        if bare:
            n = int(bare.group(1))
            nxt = _next_text_line(lines, i + 1, section.end, debris)
            if (
                dominant in (None, "bare")
                and n == highest + 1
                and nxt is not None
                and not START_RE.match(lines[nxt])
            ):
                current = RawNote(n, i, line.index(bare.group(1)) + 1, "bare")
                notes.append(current)
                highest = n
                dominant = dominant or "bare"
                gap = False
                stopped = False
            else:
                gap = True  # a page number
            i += 1
            continue
        if current is None or stopped:
            i += 1
            continue
        if gap and _ends_section(line, current):
            stopped = True
            i += 1
            continue
        current.pieces.append((i, 0, line))
        gap = False
        i += 1
    return notes


def _year_continues(line: str, current: RawNote) -> bool:
    """A year alone on a line continues an unfinished note; a page number does not."""
    last = current.pieces[-1][2] if current.pieces else ""
    digits = line.strip().rstrip(".")
    year_like = len(digits) == 4 and 1500 <= int(digits) <= 2199
    return year_like and bool(last) and not _ENDS_DONE.search(last)


def _accept(m: re.Match[str], dominant: str | None, highest: int, notes: list[RawNote]) -> bool:
    style = _style(m)
    number = _number(m)
    if style == "md":
        return True
    if not isinstance(number, int):
        return False
    if not notes:
        # A reference list's "2014. [Online]. Available: …" is a year, not note 2014.
        return (style not in _WEAK_STYLES or number <= _MAX_GAP) and number < _FIRST_MAX
    if dominant is not None and style != dominant:
        # One section, one numbering style: "(1)" inside a "1."-numbered note is a list item.
        return False
    if number > highest + _MAX_GAP:
        return False
    if number <= highest and style in _WEAK_STYLES:
        # A weak style repeating an earlier number is more likely a wrapped line.
        return number == highest
    return number >= 1


def _ends_section(line: str, current: RawNote) -> bool:
    """After a gap, a short title-like line ("About the Author") ends the notes, unless the
    current note is visibly unfinished (a wrapped URL, a sentence without its end)."""
    last = current.pieces[-1][2] if current.pieces else ""
    if last and not _ENDS_DONE.search(last):
        return False
    stripped = line.strip()
    return bool(_HEADING_LIKE.match(stripped)) and not stripped.endswith((".", ")"))


def _next_text_line(lines: list[str], start: int, end: int, debris: list[bool]) -> int | None:
    for j in range(start, min(end, start + 6)):
        if lines[j].strip() and not debris[j]:
            return j
    return None


def _style(m: re.Match[str]) -> str:
    for name in ("dot", "bracket", "paren", "rparen", "sup", "md", "space"):
        if m.group(name) is not None:
            return name
    return ""


def _number(m: re.Match[str]) -> int | str:
    style = _style(m)
    raw = m.group(style)
    if style == "md":
        return int(raw) if raw.isascii() and raw.isdigit() else raw
    if style == "sup":
        return int(raw.translate(_SUP_TO_DIGIT))
    return int(raw)
