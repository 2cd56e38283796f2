"""One page being read: its tree with what is never read removed, the source places of
its nodes, the links it cites, and the assembly of one note's text from its nodes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag

from citecheck.model import Document, NoteNumber, Span, UrlRef
from citecheck.parse.assemble import FoundNote, Place, assemble
from citecheck.readers.html.linked import inline, linked
from citecheck.readers.html.source import SourceMap
from citecheck.readers.html.tree import (
    _BLOCKS,
    _DROP,
    _DROP_CLASSES,
    _DROP_ROLES,
    _LABEL,
    _absolute,
    _attr,
    _classes,
    _excluded,
    _fill,
    _in_any,
    _letters,
    _walk,
)
from citecheck.readers.html.typed import typed

_DATE_META = {"article:published_time", "citation_publication_date", "citation_date",
              "dc.date", "dc.date.issued", "dcterms.date", "datepublished", "date",
              "og:published_time"}


def _iso_date(value: str) -> dt.date | None:
    value = value.strip()[:10].replace("/", "-")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


class Page:
    """A page being read; `read` runs the readers of each shape in turn: linked notes and
    notes written in the body first, a typed list only when neither is there."""

    def __init__(self, name: str, text: str, soup: BeautifulSoup, places: SourceMap) -> None:
        self.name, self.text, self.soup, self.places = name, text, soup, places
        self.seen: list[str] = ["read as HTML"]
        self.in_notes: set[int] = set()
        """ids of the elements whose text belongs to a note (kept out of the body)."""
        self.tags: list[Tag] = []
        """Every tag still in the tree, in document order (see _drop_furniture)."""
        self.marks_external: bool | None = None
        """Whether the page marks its external links (see cited); None until asked."""

    def tag_span(self, tag: Tag) -> Span:
        """Where the tag starts in the source, or its nearest placed ancestor (a tag the
        parser invented has no place of its own)."""
        node: Tag | None = tag
        while node is not None:
            span = self.places.tag_span(node)
            if span is not None:
                return span
            node = node.parent
        return Span(1, 1)

    def offset(self, tag: Tag) -> int:
        extent = self.places.tag_extent(tag)
        return extent[0] if extent else 0

    def string_place(self, string: NavigableString) -> Place:
        """Maps offsets in a text node to source places (its element's, if unaligned)."""
        places = self.places
        if places.text_offset(string) is not None:
            return lambda k: places.text_span(string, k) or Span(1, 1)
        parent = string.parent
        fallback = self.tag_span(parent) if isinstance(parent, Tag) else Span(1, 1)
        return lambda _k: fallback

    def read(self) -> Document:
        ids = self._drop_furniture()
        notes, markers = linked(self, ids)
        inline_notes, inline_markers = inline(self, ids, len(notes))
        notes += inline_notes
        markers += inline_markers
        heading = None
        if not notes:
            notes, markers, heading = typed(self)
        else:
            markers.sort(key=lambda m: (m.span.line, m.span.column))
        body_urls = list(self._body_urls())
        if body_urls:
            self.seen.append(f"{len(body_urls)} links in the body")
        return assemble(self.name, "html", self.text, notes, markers, body_urls=body_urls,
                        seen=self.seen, heading=heading, date=self._stated_date())

    def _stated_date(self) -> dt.date | None:
        """The page's own date, as publishing tools state it in <meta> or <time>."""
        for tag in self.soup.find_all("meta"):
            key = (_attr(tag, "property") or _attr(tag, "name") or _attr(tag, "itemprop")).lower()
            if key in _DATE_META:
                found = _iso_date(_attr(tag, "content"))
                if found:
                    return found
        return None

    def _drop_furniture(self) -> dict[str, Tag]:
        """Remove what is never read (script, style, navigation, footer, hidden parts) and
        return the page's ids and anchor names, for following links."""
        every = [node for node in self.soup.descendants if type(node) is Tag]
        doomed = [tag for tag in every if tag.name in _DROP]
        ids: dict[str, Tag] = {}
        for tag in every:
            attrs = tag.attrs
            if not attrs and tag.name != "header":
                continue
            for key in ("id", "name"):
                value = attrs.get(key)
                if isinstance(value, str) and value and value not in ids:
                    ids[value] = tag
            classes = attrs.get("class")
            if (
                attrs.get("role") in _DROP_ROLES
                or (classes and not _DROP_CLASSES.isdisjoint(classes))
                or (tag.name == "header" and tag.find_parent(("article", "main")) is None)
                or ("style" in attrs and "display:none" in _attr(tag, "style").replace(" ", ""))
            ):
                doomed.append(tag)
        removed: set[int] = set()
        for tag in doomed:
            if id(tag) in removed:
                continue  # inside one removed already
            removed.add(id(tag))
            removed.update(id(node) for node in tag.descendants)
            tag.decompose()
        self.tags = [tag for tag in every if id(tag) not in removed]
        return {k: v for k, v in ids.items() if id(v) not in removed}

    def find(self, *names: str) -> list[Tag]:
        """The page's tags with these names (all tags for none), in document order: one
        walk of the tree, filtered here, costs less than Beautiful Soup's find_all."""
        if not names:
            return self.tags
        return [tag for tag in self.tags if tag.name in names]

    def links(self) -> list[Tag]:
        return [tag for tag in self.tags if tag.name == "a" and "href" in tag.attrs]

    def cited(self, a: Tag) -> str | None:
        """The URL a link cites: its absolute http(s) target. A page that marks its external
        links (MediaWiki's class="external") marks every one, so an unmarked link on it is
        the site's own (an ISBN look-up, an article), not a citation."""
        if self.marks_external is None:
            self.marks_external = any(
                "external" in _classes(link) for link in self.links()
                if _absolute(_attr(link, "href")))
        if self.marks_external and "external" not in _classes(a):
            return None
        return _absolute(_attr(a, "href"))

    def href(self, string: NavigableString) -> str | None:
        """The URL cited by the link a piece of text is in, if any."""
        node = string.parent
        while isinstance(node, Tag):
            if node.name == "a" and node.get("href") is not None:
                return self.cited(node)
            node = node.parent
        return None

    def ordinal(self, box: Tag) -> NoteNumber | None:
        """A list item's number as the list displays it."""
        if box.name != "li" or not isinstance(box.parent, Tag) or box.parent.name != "ol":
            return None
        value = _attr(box, "value")
        if value.isdigit():
            return int(value)
        start = _attr(box.parent, "start")
        n = int(start) if start.lstrip("-").isdigit() else 1
        for sibling in box.previous_siblings:
            if isinstance(sibling, Tag) and sibling.name == "li":
                n += 1
        kind = _attr(box.parent, "type")
        style = _attr(box.parent, "style").lower()
        if kind in ("a", "A") or "alpha" in style or "latin" in style:
            return _letters(n, upper=kind == "A" or "upper" in style)
        return n

    def note(self, number: NoteNumber, box: Tag, target: Tag, targets: set[int],
              marker_ids: set[str], style: str) -> FoundNote:
        found = FoundNote(number, self.tag_span(box if box is not target else target),
                          style=style)
        segment = any(id(t) in targets and t is not target for t in box.find_all(True))
        skip_label = None
        if target is not box and (_LABEL.match(target.get_text()) or not target.get_text().strip()):
            skip_label = target  # the note's own number ("[1]" in Word's and Google's HTML)
        pieces: list[tuple[str, Place, str | None, bool]] = []
        started = not segment
        for node, entering in _walk(box):
            if isinstance(node, Tag):
                if node is target:
                    started = True
                elif segment and id(node) in targets and started and entering:
                    break
                if not entering:
                    continue
                if not started:
                    continue
                if node.name == "a" and not node.get_text() and self.cited(node):
                    # An empty external link (MediaWiki's "autonumber" link, whose "[1]"
                    # the style sheet draws) still cites its URL.
                    span = self.tag_span(node)
                    pieces.append((" ", lambda _k, s=span: s, self.cited(node), True))
                    continue
                if node.name in _BLOCKS or node.name == "br":
                    pieces.append(("\n", None, None, False))  # type: ignore[arg-type]
                continue
            if not started or not isinstance(node, NavigableString):
                continue
            if _excluded(node, box, skip_label, marker_ids):
                continue
            href = self.href(node)
            pieces.append((str(node), self.string_place(node), href, True))
        self.in_notes.add(id(box))
        _fill(found, pieces)
        self.cited(box)  # (decides marks_external)
        found.schemeless = not self.marks_external
        return found

    def _body_urls(self) -> Iterator[UrlRef]:
        for a in self.links():
            url = self.cited(a)
            if url is None or _in_any(a, self.in_notes):
                continue
            first = a.find(string=True)
            span = None
            if isinstance(first, NavigableString):
                span = self.places.text_span(first)
            yield UrlRef(url, span or self.tag_span(a))
