"""Notes that their markers link to (`<a href="#fn1">`), and notes written where their
marker stands (HTMLBook's data-type="footnote", sidenotes)."""

from __future__ import annotations

import re

from bs4 import Tag

from citecheck.model import Marker, NoteNumber
from citecheck.parse.assemble import FoundNote
from citecheck.readers.html.tree import (
    _BACKLINK_CLASSES,
    _HEADINGS,
    _LABEL,
    _NOTE_ROLES,
    _NOTE_WORDS,
    _attr,
    _classes,
    _container,
    _fragment,
    _ids_around,
    _in_any,
    _inside,
    _is_inline_note,
    _label,
    _label_number,
    _links_back,
    _wrapper,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from citecheck.readers.html.page import Page


def linked(page: Page, ids: dict[str, Tag]) -> tuple[list[FoundNote], list[Marker]]:
    """Markers that link to their note, and the notes they link to."""
    pairs: list[tuple[Tag, Tag]] = []
    texts: dict[int, str] = {}
    for a in page.links():
        target = ids.get(_fragment(_attr(a, "href")))
        if target is None or target is a or _inside(a, target) or _is_inline_note(target):
            continue  # (a note written in the body is read with its marker, below)
        texts[id(a)] = text = a.get_text()
        if _noteref(page, a, text, target):
            pairs.append((a, target))
    refs = {id(a) for a, _t in pairs}
    # A link back to a note link (a marker) is the note's back-link ("↩", "^ a b"), not a
    # marker: of two links that point at each other, the later one (the note's own
    # "[1]" in Google's and Substack's HTML) is the back-link.
    pairs = [
        (a, t) for a, t in pairs
        if not (
            (id(t) in refs or any(id(x) in refs for x in t.find_all("a")))
            and page.offset(t) < page.offset(a)
        )
    ]
    if not pairs:
        return [], []
    targets = {id(t) for _, t in pairs}
    marker_ids = set().union(*(_ids_around(a) for a, _t in pairs))
    order: list[Tag] = []
    listed: set[int] = set()
    for _a, t in pairs:
        if id(t) not in listed:
            listed.add(id(t))
            order.append(t)
    order.sort(key=lambda t: page.places.tag_extent(t) or (0, 0))
    labels: dict[int, str] = {}
    for a, t in pairs:
        m = _LABEL.match(texts[id(a)])
        if m and id(t) not in labels:
            labels[id(t)] = _label(m)
    notes: list[FoundNote] = []
    number_of: dict[int, NoteNumber] = {}
    for position, target in enumerate(order, start=1):
        box = _container(target, targets)
        label = labels.get(id(target))
        number = (_label_number(label) if label else page.ordinal(box)) or position
        number_of[id(target)] = number
        notes.append(page.note(number, box, target, targets, marker_ids, "html"))
    markers = []
    for a, t in pairs:
        m = _LABEL.match(texts[id(a)])
        shown = _label_number(_label(m)) if m else None
        number = shown if isinstance(shown, int) else number_of[id(t)]
        # A note citing another note (Wikipedia's explanatory notes cite references)
        # says nothing about the order in which the body first cites notes (N105).
        style = "in-note" if _in_any(a, page.in_notes) else "superscript"
        markers.append(Marker(number, page.tag_span(_wrapper(a)), style))
    kinds = sorted({t.name for t in order})
    page.seen.append(f"{len(markers)} note links to {len(notes)} notes "
                     f"(<{'>, <'.join(kinds)}>)")
    return notes, markers

def _noteref(page: Page, a: Tag, text: str, target: Tag) -> bool:
    if target.name in _HEADINGS or target.name in ("html", "body", "main", "article"):
        return False
    if _attr(a, "role") == "doc-backlink" or any(
        b in c for c in _classes(a) for b in _BACKLINK_CLASSES
    ):
        return False
    label = _LABEL.match(text) is not None
    in_sup = a.find_parent("sup") is not None or a.find("sup") is not None
    declared = (
        _attr(a, "role") == "doc-noteref"
        or "noteref" in _attr(a, "epub:type")
        or _attr(a, "data-type") in ("footnoteref", "noteref")
    )
    # A class naming notes marks a marker when the link reads like one: a "See Footnotes"
    # button (class "js-see-footnotes-cta") opens the notes, it cites none of them.
    classed = any(_NOTE_WORDS.search(c) or "fnref" in c for c in _classes(a))
    if declared or (label and (in_sup or classed)):
        return True
    if not label:
        return False
    return _note_like(target) or _links_back(target, a)

def _note_like(target: Tag) -> bool:
    node: Tag | None = target
    for _ in range(5):
        if node is None or node.name in ("body", "html"):
            return False
        if (
            _attr(node, "role") in _NOTE_ROLES
            or re.search(r"footnote|endnote|rearnote", _attr(node, "epub:type"))
            or _NOTE_WORDS.search(_attr(node, "id"))
            or any(_NOTE_WORDS.search(c) for c in _classes(node))
        ):
            return True
        node = node.parent if isinstance(node.parent, Tag) else None
    return False

def inline(page: Page, ids: dict[str, Tag], first: int
                  ) -> tuple[list[FoundNote], list[Marker]]:
    inline = [t for t in page.tags if _is_inline_note(t)]
    chosen = {id(t) for t in inline}
    inline = [t for t in inline if not any(id(p) in chosen for p in t.parents)]
    if not inline:
        return [], []
    notes, markers = [], []
    number_of: dict[str, int] = {}
    for k, tag in enumerate(inline, start=first + 1):
        span = page.tag_span(tag)
        notes.append(page.note(k, tag, tag, {id(tag)}, set(), "inline"))
        markers.append(Marker(k, span, "superscript"))
        if tag.get("id"):
            number_of[str(tag.get("id"))] = k
    for a in page.links():
        if _attr(a, "data-type") == "footnoteref":
            n = number_of.get(_fragment(_attr(a, "href")))
            if n is not None:
                markers.append(Marker(n, page.tag_span(a), "superscript"))
    kind = "data-type=\"footnote\"" if _attr(inline[0], "data-type") else "sidenote"
    page.seen.append(f"{len(inline)} notes written in the body ({kind})")
    return notes, markers
