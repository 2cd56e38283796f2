"""From positioned characters to the lines of a PDF's text, with what the positions tell:
superscript markers, each page's footnote zone, and the running headers and footers.

The PDF reader (pdf.py) hands over, per page, lines of characters with their baseline and
font size, in the order of the page's content (which is the reading order of columns and
side boxes as their author wrote them). This module, which knows nothing of the PDF library:

- renders raised small digits as Unicode superscripts (`map.⁷`), so that a marker is
  recognised by its form and not by the digit-after-punctuation guess;
- drops running headers, footers and page numbers: lines at a page's top or bottom edge
  that repeat across pages (digits aside), or that are a bare page number;
- finds each page's footnote zone: the lines below the short rule that opens it, else the
  run of lines in type smaller than the body's at the foot of the page; a zone line that
  opens with a raised number (or, where notes are numbered in body-size digits, the next
  number) starts a note;
- stops looking for footnotes once a notes heading ("Notes", "Endnotes") has been set in
  the body: what follows is an endnotes section, read by the text parser.

The result is the text and `PageHints` for the text parser's page-footnote logic
(citecheck.parse.pages), so footnotes from a PDF and from extracted text are read by the
same code.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from citecheck.parse.layout import HEADING_RE, may_be_furniture
from citecheck.parse.pages import PageHints

_DIGITS = re.compile(r"\d+")
_LEADERS = re.compile(r"(?:\.[ \t]?){4,}[ \t]*\d+[ \t]*$")
"""Dot leaders to a page number: a line of a table of contents."""
_RAISED_ONE = re.compile(r"(?<![⁰¹²³⁴⁵⁶⁷⁸⁹])¹(?![⁰¹²³⁴⁵⁶⁷⁸⁹])")
_ROMAN = re.compile(r"[ivxlc]{1,7}")
_SUPERSCRIPT_CHARS = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SMALL = 0.92
"""A line set at most this fraction of the body size is in small type (footnotes)."""
_DONE = (".", ")", "]", ">", "”", '"', "’", "!", "?")
_MARK_AFTER = frozenset(".,;:!?)]”’\"'")
_OUTER = 2
"""Running heads and feet are among a page's two highest and two lowest lines."""
_EDGE = 0.14
"""Lines in the top or bottom 14% of a page may be running headers or footers."""
_EDGE_NUMBER = 0.22
"""A bare number among a page's two lowest or highest lines, in its top or bottom 22%: the
page's number."""


@dataclass
class Char:
    ch: str
    x: float
    y: float
    size: float


@dataclass
class Line:
    """One visual line: its characters (spaces carry no position) in reading order."""

    chars: list[Char]
    base: float = 0.0
    size: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    text: str = ""
    lead_sup: str = ""
    """Digits raised at the start of the line (a footnote's number)."""

    def measure(self) -> None:
        sized = [c for c in self.chars if c.size > 0 and not c.ch.isspace()]
        if not sized:
            # No type size known (a font PDFium cannot measure): a line all the same.
            sized = [Char(c.ch, c.x, c.y, 0.01) for c in self.chars if not c.ch.isspace()]
            if not sized:
                return
        # The line's own size is its letters' ("¹⁰⁶Id.": three raised digits, three letters).
        letters = [c for c in sized if not c.ch.isdigit()] or sized
        counts = Counter(round(c.size, 1) for c in letters)
        self.size = counts.most_common(1)[0][0]
        main = sorted(c.y for c in sized if abs(c.size - self.size) < 0.2)
        self.base = main[len(main) // 2] if main else sized[0].y
        self.x0 = min(c.x for c in sized)
        self.x1 = max(c.x for c in sized)


@dataclass
class Page:
    width: float
    height: float
    lines: list[Line]
    rules: list[tuple[float, float, float]] = field(default_factory=list)
    """Short horizontal rules in the lower half (a footnote separator): left, right, height."""
    links: list[tuple[tuple[float, float, float, float], str]] = field(default_factory=list)
    """Link annotations: (left, bottom, right, top) and the URI."""
    label: str = ""
    """The page label the PDF gives the page ("iv", "12"), if any."""


def merge_fragments(raw: list[list[Char]]) -> list[Line]:
    """Join pieces of one visual line that the library split (a raised note number set
    apart from its text): same baseline within half the type size, the second to the right
    of the first."""
    lines: list[Line] = []
    for chars in raw:
        line = Line(chars)
        line.measure()
        if not line.size:
            if lines and chars:
                lines[-1].chars += chars
            continue
        if lines:
            prev = lines[-1]
            near = abs(line.base - prev.base) < 0.6 * max(line.size, prev.size)
            gap = line.x0 - prev.x1
            size = max(line.size, prev.size)
            # A note's number may stand at the margin with its text indented after it.
            if (near and -1.0 <= gap < 1.5 * size) or (
                _label_before(prev, line) and -1.0 <= gap < 3.0 * size
            ):
                prev.chars += [Char(" ", 0, 0, 0), *chars]
                prev.measure()
                continue
        lines.append(line)
    return lines


def _label_before(label: Line, line: Line) -> bool:
    """A footnote's number set as a raised superscript that the library put on a line of
    its own, just before its text (GAO reports set it a full x-height above the note's
    baseline): a short run of small digits whose baseline is above the text's, within
    the text's type size."""
    text = "".join(c.ch for c in label.chars).strip()
    return (
        0 < len(text) <= 4
        and text.isdigit()
        and label.size <= 0.85 * line.size
        and 0 < label.base - line.base < 1.1 * line.size
    )


def render(line: Line) -> None:
    """The line's text, with raised small digits as Unicode superscripts; a raised number
    at the very start is kept apart in `lead_sup` (a footnote's number, if in the zone).
    Digits raised inside a word ("EP06AU20" in an image label set on two baselines) are
    not superscripts: a marker ends its word."""
    chars = line.chars
    raised = [_raised(c, line) for c in chars]
    k = next((i for i, c in enumerate(chars) if not c.ch.isspace()), len(chars))
    while k < len(chars) and raised[k]:
        k += 1  # a raised number opening the line may touch its text ("¹Preliminary")
    while k < len(chars):
        if not raised[k]:
            k += 1
            continue
        j = k
        while j < len(chars) and raised[j]:
            j += 1
        glued = j < len(chars) and chars[j].ch.isalnum() and not _after_punctuation(chars, k)
        if glued or _in_code(chars, raised, k) or _not_a_marker(chars, k, j, line.size):
            for m in range(k, j):
                raised[m] = False
        k = j
    out: list[str] = []
    lead: list[str] = []
    at_start = True
    for c, up in zip(chars, raised, strict=True):
        if at_start and up:
            lead.append(c.ch)
            continue
        if at_start and c.ch.isspace():
            continue
        at_start = False
        out.append(c.ch.translate(SUPERSCRIPT) if up else c.ch)
    if lead and not out:  # a line of raised digits only: not a note number
        out, lead = [ch.translate(SUPERSCRIPT) for ch in lead], []
    line.lead_sup = "".join(lead)
    text = "".join(out).rstrip()
    line.text = " ".join(text.split()) if "  " in text else text


def _not_a_marker(chars: list[Char], k: int, j: int, size: float) -> bool:
    """Raised digits that stand where no marker does: inside a code or address
    ("GAO-⁰⁷-²⁸³", after a hyphen or slash), a year set apart on a cover ("February ²⁰⁰⁶"),
    a number alone on its line (a chart's axis), a page number far to the right of its
    entry (a table of contents)."""
    before = chars[k - 1].ch if k else ""
    if before in "-/_=#&":
        return True
    digits = "".join(c.ch for c in chars[k:j])
    if before == " " and len(digits) == 4 and 1800 <= int(digits) <= 2199:
        return True
    if j == len(chars) and k and all(c.ch.isdigit() or c.ch.isspace() for c in chars[:k]):
        return True  # a number alone on its line, partly raised ("199⁸"): a chart's axis
    prev = next((c for c in reversed(chars[:k]) if not c.ch.isspace()), None)
    return j == len(chars) and prev is not None and chars[k].x - prev.x > 3 * size


def _after_punctuation(chars: list[Char], k: int) -> bool:
    """The raised run at k follows punctuation ("tem.⁷¹Similarly", "system,²²were"): a
    marker whose following space the PDF does not draw, not digits inside a word."""
    return k > 0 and chars[k - 1].ch in _MARK_AFTER


def _in_code(chars: list[Char], raised: list[bool], k: int) -> bool:
    """The word before a raised run has plain digits between letters ("EP06AU²⁰"): a code,
    not a word carrying a note marker ("in 2023.¹⁰", "the 1800s.¹⁶", "section 403A.¹⁵⁸")."""
    i = k - 1
    while i >= 0 and not chars[i].ch.isalnum() and not chars[i].ch.isspace():
        i -= 1  # the punctuation the marker follows
    state = 0  # 1: letters seen (reading backwards), 2: then digits, 3: then letters
    while i >= 0 and chars[i].ch.isalnum():
        ch = chars[i].ch
        if ch.isalpha():
            state = 3 if state == 2 else max(state, 1)
        elif ch.isdigit() and not raised[i] and state == 1:
            state = 2
        if state == 3:
            return True
        i -= 1
    return False


def _raised(c: Char, line: Line) -> bool:
    return (
        c.ch.isdigit()
        and c.size > 0
        and (
            (c.size <= 0.85 * line.size and c.y > line.base + 0.08 * line.size)
            or c.y > line.base + 0.25 * line.size
        )
    )


def _key(line: Line) -> str:
    """A line's identity as a running head: page numbers ("9", "10", "xii") as one '#'."""
    key = " ".join(_DIGITS.sub("#", line.text.lower()).split())
    return "#" if _ROMAN.fullmatch(key) else key


def furniture(pages: list[Page]) -> list[set[int]]:
    """Per page, the indices of lines that are running headers, footers or page numbers."""
    edge_keys: list[dict[int, str]] = []
    seen: Counter[str] = Counter()
    for page in pages:
        keys: dict[int, str] = {}
        order = sorted(range(len(page.lines)), key=lambda k: page.lines[k].base)
        outer = set(order[:_OUTER] + order[-_OUTER:])  # the lowest and highest lines
        for k in outer:
            line = page.lines[k]
            # A bare page number may stand further in (a 6 x 9 in journal page printed on
            # letter paper has wide margins); it is still the page's last or first line.
            edge = _EDGE_NUMBER if _DIGITS.fullmatch(line.text.strip()) else _EDGE
            at_edge = line.base > page.height * (1 - edge) or line.base < page.height * edge
            if at_edge and line.text and len(line.text) <= 160:
                keys[k] = _key(line)
        edge_keys.append(keys)
        seen.update(set(keys.values()))
    # A running head or foot is on most pages (every other one, for facing pages); a
    # note line that happens to end three pages ("results-detail/347414.") is not.
    need = max(2 if len(pages) <= 3 else 3, (3 * len(pages) + 9) // 10)
    out = []
    for keys, page in zip(edge_keys, pages, strict=True):
        drop = set()
        for k, key in keys.items():
            text = page.lines[k].text
            bare = key.strip("#-–— .()|") == "" or key.startswith(("page #", "- #"))
            # A line that ends a sentence ("May 2, 2024).") is text that happens to fall
            # at the edge of two pages; running heads do not end with a full stop.
            sentence = (text.endswith(".") and text[-2:-1].isalnum()) or text.endswith(").")
            repeated = seen[key] >= need and may_be_furniture(key) and not sentence
            if (bare and len(text) <= 12) or (repeated and not page.lines[k].lead_sup):
                drop.add(k)
        out.append(drop)
    return out


def body_size(pages: list[Page]) -> float:
    """The type size of the body: the size of the lines that cite notes (superscripts
    inside them), else the size most characters are set in. The first is what a page full
    of footnotes, or a report full of tables, does not outvote. Citing lines count by
    their characters: a chart's axis labels ("196⁵") raise digits too, in short lines."""
    citing: Counter[float] = Counter()
    counts: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            counts[line.size] += len(line.chars)
            if any(ch in _SUPERSCRIPT_CHARS for ch in line.text):
                citing[line.size] += len(line.chars)
    if citing:
        return citing.most_common(1)[0][0]
    return counts.most_common(1)[0][0] if counts else 0.0


_PAGE_CITING = 40
"""Characters of citing lines from which a page's own body size is trusted."""


def page_size(lines: list[Line], size: float) -> float:
    """The body size of one page: the size its citing lines are set in, when it has enough
    of them, else the document's. A report may set its chapters and its appendices in
    different sizes: on a page whose own size is smaller, the zone below its own size is
    the footnotes."""
    citing: Counter[float] = Counter()
    for line in lines:
        if any(ch in _SUPERSCRIPT_CHARS for ch in line.text):
            citing[line.size] += len(line.chars)
    if citing:
        best, count = citing.most_common(1)[0]
        if count >= _PAGE_CITING:
            return best
    return size


@dataclass
class Layout:
    text: str
    pages: list[int]
    hints: PageHints
    superscripts: int = 0
    footnote_pages: int = 0
    placed: dict[int, int] = field(default_factory=dict)
    """id() of each Line kept -> its 0-based line in `text` (to place link annotations)."""


def lay_out(pages: list[Page]) -> Layout:
    """The document's text (body lines in reading order, then each page's footnote zone top
    to bottom), the line where each page starts, and the footnote zones."""
    for page in pages:
        for line in page.lines:
            render(line)
    drops = furniture(pages)
    size = body_size(pages)
    out: list[str] = []
    zone: list[bool] = []
    starts: dict[int, int] = {}
    page_starts: list[int] = []
    expected = 1
    endnotes = False
    sups = 0
    foot_pages = 0
    numbered_plain: bool | None = None
    note_open = False
    placed: dict[int, int] = {}
    series = 1
    series_at: dict[int, int] = {}
    for page, drop in zip(pages, drops, strict=True):
        page_starts.append(len(out))
        lines = [ln for k, ln in enumerate(page.lines) if k not in drop and ln.text + ln.lead_sup]
        endnotes = endnotes or _notes_heading(lines, size)
        zone_lines = [] if endnotes else _zone(page, lines, size)
        own = page_size(lines, size)
        if not endnotes and own < size * _SMALL:
            # A part set smaller than the rest (an appendix): its own notes, set smaller
            # still, are the zone, when they open a note.
            smaller = _zone(page, lines, own)
            if smaller and any(ln.lead_sup for ln in smaller):
                zone_lines = smaller
        if zone_lines and not note_open and not _opens_note(zone_lines, expected, lines):
            zone_lines = []  # small type at the foot that opens no note: a caption, a source
        foot = {id(ln) for ln in zone_lines}
        body = side_boxes([ln for ln in lines if id(ln) not in foot])
        for ln in body:
            text = (ln.lead_sup.translate(SUPERSCRIPT) + ln.text) if ln.lead_sup else ln.text
            sups += sum(1 for ch in text if ch in "⁰¹²³⁴⁵⁶⁷⁸⁹")
            placed[id(ln)] = len(out)
            out.append(text)
            zone.append(False)
        opened = False
        for k, ln in enumerate(zone_lines):
            n, text = _opener(ln, expected, numbered_plain)
            if n is not None and n > expected and not ln.lead_sup and _misprinted(
                zone_lines, k, n, expected
            ):
                n = expected
            if n is None and _starts_over(ln, expected, numbered_plain, body):
                n, text = 1, f"1 {ln.text}"
                series += 1
            if n is not None:
                starts[len(out)] = n
                if series > 1:
                    series_at[len(out)] = series
                expected = n + 1
                opened = True
                if numbered_plain is None:
                    numbered_plain = not ln.lead_sup
            placed[id(ln)] = len(out)
            out.append(text)
            zone.append(True)
        foot_pages += opened
        if zone_lines:
            note_open = not zone_lines[-1].text.rstrip().endswith(_DONE)
    if not starts:
        zone = [False] * len(out)
    return Layout(
        "\n".join(out), page_starts, PageHints(zone, starts, series_at), sups, foot_pages,
        placed,
    )


def _notes_heading(lines: list[Line], size: float) -> bool:
    """A notes heading ("Notes", "Endnotes") in the body's type or larger, with note 1 on
    the next line: from here on the notes are an endnotes section, not footnote zones (a
    table's "Notes:" in small type, or a heading over prose, is not)."""
    for k, ln in enumerate(lines[:-1]):
        if ln.size >= size * 0.98 and not ln.lead_sup and HEADING_RE.match(ln.text):
            nxt = lines[k + 1]
            first = (nxt.lead_sup or nxt.text.split(" ", 1)[0]).rstrip(".)").lstrip("([")
            if first == "1":
                return True
    return False


def side_boxes(body: list[Line]) -> list[Line]:
    """Reading order for a box set beside the text (a definition box, an author box) that
    the page draws after the text wrapping around it: the box is read where it stands, after
    the last line beside it, not after the whole page."""
    k = 0
    while k < len(body):
        j = k + 1
        while (
            j < len(body)
            and abs(body[j].x0 - body[k].x0) <= 2.0
            and body[j].base < body[j - 1].base
        ):
            j += 1
        box = body[k:j]
        if len(box) >= 2:
            top, bottom = box[0].base, box[-1].base
            beside = [
                i for i in range(k)
                if bottom - 2 * box[0].size <= body[i].base <= top + 2 * box[0].size
            ]
            left, right = min(b.x0 for b in box), max(b.x1 for b in box)
            # Text runs across the box's edge above or below it (a column would have none).
            across = sum(1 for ln in body if ln.x0 < left - 2 < ln.x1)
            if beside and across >= 3 and all(
                body[i].x1 < left - 2 or body[i].x0 > right + 2 for i in beside
            ):
                at = beside[-1] + 1
                if at < k:
                    body = body[:at] + box + body[at:k] + body[j:]
        k = j
    return body


def _opens_note(zone: list[Line], expected: int, page: list[Line]) -> bool:
    """The zone opens a note: with a raised number, or with the next note's number in plain
    digits under a body that cites it (a contents page in small type at the foot, "1 Primer
    on …", cites nothing)."""
    if any(ln.lead_sup for ln in zone):
        return True
    if not any(ln.text.split(" ", 1)[0].rstrip(".)") == str(expected) for ln in zone):
        return False
    inside = {id(ln) for ln in zone}
    return any(
        ch in _SUPERSCRIPT_CHARS or ch.isdigit()
        for ln in page if id(ln) not in inside and not _LEADERS.search(ln.text)
        for ch in ln.text[-60:]
    ) and not all(_LEADERS.search(ln.text) for ln in zone[:3])


def _starts_over(line: Line, expected: int, plain: bool | None, body: list[Line]) -> bool:
    """A zone line opening note 1 when note `expected` was due, under a body that cites a
    raised 1: the numbering starts over (a report's appendices, an agency's letter)."""
    return (
        plain is not True
        and expected > 1
        and line.lead_sup == "1"
        and any(_RAISED_ONE.search(ln.text) for ln in body)
    )


def _opener(line: Line, expected: int, plain: bool | None) -> tuple[int | None, str]:
    """(note number, text) for a zone line that opens a note, else (None, its text)."""
    if line.lead_sup:
        n = int(line.lead_sup)
        if plain is not True and expected <= n <= expected + 3:
            return n, f"{n} {line.text}"
        return None, line.lead_sup.translate(SUPERSCRIPT) + line.text
    word = line.text.split(" ", 1)[0]
    head = word.rstrip(".)")
    if plain is False or not head.isdigit() or " " not in line.text:
        return None, line.text
    n = int(head)
    if n == expected:
        return expected, line.text
    if word.endswith(".") and expected < n <= expected + 3:
        # "92. Id." where note 90 is due: a law review's "N." is a note's number even past
        # a gap (a note lost, or a number misprinted; the notes after it say which).
        return n, line.text
    return None, line.text


def _misprinted(zone: list[Line], k: int, n: int, expected: int) -> bool:
    """The plain number opening zone line k skips ahead of `expected`, and a later line of
    the zone opens with a number between them ("92. Id." then "91. …"): a misprint of the
    expected number, not a gap."""
    for ln in zone[k + 1 :]:
        word = ln.text.split(" ", 1)[0]
        if word.endswith(".") and word[:-1].isdigit() and not ln.lead_sup:
            return expected < int(word[:-1]) < n
    return False


def columns(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped by column, left to right: the page is split at a vertical gutter that
    almost no line crosses (recursively, for three columns). A line that crosses it (a
    title over both columns) goes with the column its left edge is in."""
    if len(lines) < 8:
        return [lines]
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    width = right - left
    if width < 100:
        return [lines]
    best: tuple[int, float] | None = None
    x = left + 0.2 * width
    while x < right - 0.2 * width:
        crossing = sum(1 for ln in lines if ln.x0 < x - 1 and ln.x1 > x + 1)
        if best is None or crossing < best[0]:
            best = (crossing, x)
        x += 3.0
    if best is None or best[0] > max(1, len(lines) // 20):
        return [lines]
    gutter = best[1]
    a = [ln for ln in lines if ln.x0 < gutter]
    b = [ln for ln in lines if ln.x0 >= gutter]
    if len(a) < 4 or len(b) < 4:
        return [lines]
    return columns(a) + columns(b)


def _zone(page: Page, lines: list[Line], size: float) -> list[Line]:
    """The lines of the page's footnote zone in reading order (column by column, top to
    bottom): in each column, the lines below a short rule when all of them are in small
    type, else the run of small-type lines at the column's foot."""
    if not lines or not size:
        return []
    small = size * _SMALL
    zone: list[Line] = []
    for col in columns(lines):
        left = min(ln.x0 for ln in col)
        right = max(ln.x1 for ln in col)
        bottom_up = sorted(col, key=lambda ln: ln.base)
        ruled: list[Line] = []
        # The separator is the lowest rule with only small type under it (a table's rules
        # above it have the table's small type under them too); a rule that underlines a
        # line's words (a link in a note) separates nothing.
        for x0, x1, y in sorted(page.rules, key=lambda r: r[2]):
            if x1 < left - 2 or x0 > right or _underlines(col, x0, x1, y):
                continue
            below = [ln for ln in bottom_up if ln.base < y]
            if below and (all(ln.size < small for ln in below) or _opens_under(below[-1], y)):
                ruled = below
                break
        if ruled:
            zone += ruled
            continue
        for ln in bottom_up:
            if ln.size >= small:
                break
            zone.append(ln)
    if not zone or len(zone) == len(lines):
        return []  # a page all in small type is a notes section or a table, not a zone
    return _reading_order(zone)


def _opens_under(first: Line, y: float) -> bool:
    """The line right under a short rule opens with a raised number: footnotes set in the
    body's own type (a court's typewriter-style opinion), separated by the rule alone."""
    return bool(first.lead_sup) and y - first.base < 3 * first.size


def _underlines(lines: list[Line], x0: float, x1: float, y: float) -> bool:
    """The rule lies at a line's baseline, most of it under the line's words: an underline.
    (A line's `base` is the bottom of its characters' boxes, the descent below the
    baseline.)"""
    return any(
        ln.base - 0.25 * ln.size <= y <= ln.base + 0.35 * ln.size
        and min(x1, ln.x1) - max(x0, ln.x0) >= 0.8 * (x1 - x0)
        for ln in lines
    )


def _reading_order(lines: list[Line]) -> list[Line]:
    return [ln for col in columns(lines) for ln in sorted(col, key=lambda ln: -ln.base)]
