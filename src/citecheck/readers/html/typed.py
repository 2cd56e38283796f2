"""Notes typed as a list: a "Notes"/"Endnotes" heading over an `<ol>` or over paragraphs
that start with their number, a footnotes section nothing links to, and `<sup>N</sup>`
markers without links (a CMS page, a document pasted into a web editor)."""

from __future__ import annotations

from itertools import pairwise

from bs4 import NavigableString, Tag

from citecheck.model import Marker, NoteNumber, Span
from citecheck.parse.assemble import FoundNote, Place
from citecheck.parse.notes import SUPERSCRIPTS
from citecheck.readers.html.tree import (
    _BLOCKS,
    _BRACKET_MARKER,
    _HEADING_TEXT,
    _HEADINGS,
    _LIST_CLASSES,
    _NOTE_ID,
    _NOTE_ROLES,
    _NUMBER_LIST,
    _SUP_DIGITS,
    _SUP_RUN,
    _UNIT_BEFORE,
    _attr,
    _classes,
    _excluded,
    _expand,
    _fill,
    _first_element,
    _in_any,
    _inside,
    _leading_number,
    _text_before,
    _walk,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from citecheck.readers.html.page import Page


def typed(page: Page) -> tuple[list[FoundNote], list[Marker], Span | None]:
    heading = _notes_heading(page)
    blocks = _listed(page) or _note_blocks(page, heading)
    notes: list[FoundNote] = []
    current: tuple[NoteNumber, Tag, list[Tag]] | None = None
    groups: list[tuple[NoteNumber, Tag, list[Tag]]] = []
    expected = 1
    for block in blocks:
        number = page.ordinal(block) if block.name == "li" else None
        if number is None:
            number = _leading_number(block)
            if isinstance(number, int) and not (expected <= number <= expected + 5
                                                 or (not groups and number <= 5)):
                number = None
        if number is not None:
            current = (number, block, [block])
            groups.append(current)
            if isinstance(number, int):
                expected = number + 1
        elif current is not None:
            current[2].append(block)
    for number, first, members in groups:
        found = FoundNote(number, page.tag_span(first), style="html")
        pieces: list[tuple[str, Place, str | None, bool]] = []
        for member in members:
            if pieces:
                pieces.append(("\n", None, None, False))  # type: ignore[arg-type]
            for node, entering in _walk(member):
                if isinstance(node, Tag):
                    if entering and node.name in _BLOCKS:
                        pieces.append(("\n", None, None, False))  # type: ignore[arg-type]
                    continue
                if isinstance(node, NavigableString) and not _excluded(node, member, None,
                                                                       set()):
                    pieces.append((str(node), page.string_place(node),
                                   page.href(node), True))
            page.in_notes.add(id(member))
        _fill(found, pieces)
        found.schemeless = not page.marks_external
        notes.append(found)
    markers = _typed_markers(page, notes)
    where = f" under '{heading.get_text(' ', strip=True)[:40]}'" if heading else ""
    if notes:
        page.seen.append(f"{len(notes)} notes typed as a list{where}")
    elif heading is not None:
        page.seen.append(f"a notes heading '{heading.get_text(' ', strip=True)[:40]}' "
                         "with no numbered notes after it")
    else:
        page.seen.append("no notes list found")
    return notes, markers, page.tag_span(heading) if heading is not None else None

def _listed(page: Page) -> list[Tag]:
    """Items of a notes list that nothing links to: a footnotes section, a reference
    list, list items with note ids."""
    boxes = [
        t for t in page.tags
        if (_attr(t, "role") in _NOTE_ROLES and t.name != "li")
        or _LIST_CLASSES.intersection(_classes(t))
    ]
    items = []
    for box in boxes:
        found = box.find_all("li") or [
            t for t in box.find_all(("p", "div", "aside"))
            if not t.find(("p", "div", "aside", "li"))
        ]
        items += found
    items += [li for li in page.find("li") if _NOTE_ID.match(_attr(li, "id"))]
    seen: set[int] = set()
    out = []
    for li in items:
        if id(li) in seen or li.find_parent("li") is not None:
            continue
        seen.add(id(li))
        out.append(li)
    out.sort(key=page.offset)
    return out

def _notes_heading(page: Page) -> Tag | None:
    found = None
    for tag in page.find(*_HEADINGS, "p", "div", "strong", "b", "dt", "span"):
        if tag.name in ("p", "div", "span") and tag.find(_BLOCKS - {"br"}):
            continue
        text = tag.get_text(" ", strip=True)
        if len(text) <= 40 and _HEADING_TEXT.match(text):
            found = tag
    return found

def _note_blocks(page: Page, heading: Tag | None) -> list[Tag]:
    """The leaf blocks after the heading (or, with none, from the first block whose text
    starts with a <sup>1</sup>)."""
    leaves = [
        t for t in page.find("p", "li", "div", "dd", "aside", "blockquote")
        if not t.find(("p", "li", "div", "dd", "aside", "blockquote", "ol", "ul"))
    ]
    if heading is not None:
        begin = page.places.tag_extent(heading)
        if begin is None:
            return []
        stop_rank = heading.name if heading.name in _HEADINGS else None
        after = []
        for t in leaves:
            extent = page.places.tag_extent(t)
            if extent is None or extent[0] <= begin[0] or _inside(t, heading):
                continue
            after.append(t)
        if stop_rank is not None:
            later = [h for h in page.find(*_HEADINGS)
                     if h.name <= stop_rank and (page.places.tag_extent(h) or (0, 0))[0]
                     > begin[0]]
            if later:
                end = (page.places.tag_extent(later[0]) or (0, 0))[0]
                after = [t for t in after if (page.places.tag_extent(t) or (0, 0))[0] < end]
        first_list = next((t for t in page.find("ol") if page.offset(t) > begin[0]), None)
        if first_list is not None and after and (
            _inside(after[0], first_list) or page.offset(first_list) < page.offset(after[0])
        ):
            # The notes are that list: its items, each one note, and nothing after it
            # (an author's biography below the list is not the last note going on).
            return first_list.find_all("li", recursive=False)
        return after
    for k, t in enumerate(leaves):
        first = _first_element(t)
        if first is not None and first.name == "sup" and first.get_text(strip=True) in (
            "1", "1."
        ):
            return leaves[k:]
    return []

def _typed_markers(page: Page, notes: list[FoundNote]) -> list[Marker]:
    markers: list[Marker] = []
    numbers = {n.number for n in notes}
    highest = 0
    for sup in page.find("sup"):
        if _in_any(sup, page.in_notes):
            continue
        m = _NUMBER_LIST.match(sup.get_text())
        if not m:
            continue
        values = _expand(m.group(1))
        before = _text_before(sup)
        if before[-1:].isdigit() and values != [highest + 1]:
            continue  # 10<sup>6</sup>: a power
        if before[-1:].isalpha() and _UNIT_BEFORE.search(before[-4:]):
            continue  # km<sup>2</sup>
        for n in values:
            markers.append(Marker(n, page.tag_span(sup), "superscript"))
            highest = max(highest, n)
    if markers:
        page.seen.append(f"{len(markers)} <sup> markers")
    bracketed: list[Marker] = []
    for string in page.soup.find_all(string=True):
        if not isinstance(string, NavigableString) or _in_any(string, page.in_notes):
            continue
        text = str(string)
        if any(ch in text for ch in SUPERSCRIPTS):
            for m in _SUP_RUN.finditer(text):
                if m.start() and text[m.start() - 1].isalpha() and _UNIT_BEFORE.search(
                        text[max(0, m.start() - 4):m.start()]):
                    continue
                n = int(m.group().translate(_SUP_DIGITS))
                place = page.string_place(string)(m.start())
                markers.append(Marker(n, place, "superscript"))
        if "[" in text:
            for m in _BRACKET_MARKER.finditer(text):
                n = int(m.group(1))
                if n in numbers or not notes:
                    bracketed.append(Marker(n, page.string_place(string)(m.start()), "bracket"))
    if not notes:
        # Without notes, "[n]" is a marker only in a run that counts up from [1]: then the
        # page cites notes that were not found, which must not pass in silence (N107).
        run = [m.number for m in bracketed]
        if len(run) < 2 or run[0] != 1 or any(b < a for a, b in pairwise(run)):
            bracketed = []
    markers += bracketed
    if bracketed:
        page.seen.append(f"{len(bracketed)} [n] markers")
    markers.sort(key=lambda m: (m.span.line, m.span.column))
    return markers
