"""HTML: the notes and markers of a web page, read from its structure with Beautiful Soup.

Publishing tools write notes in a handful of shapes, and most of them link each marker to
its note; the reader follows those links rather than guessing from the text:

- a marker is an `<a href="#id">` (often in a `<sup>`, with role="doc-noteref") whose target
  is a note: a list item (`<li id="fn1">`, `<li id="cite_note-…">` in a Wikipedia reference
  list), an `<aside>`, a paragraph, or the block around an anchor (`<a name="_ftn1">` in
  Word's HTML, `<a id="ftnt1">` in Google Docs'). One note cited three times has three
  markers (Wikipedia's "^ a b c" back-links).
- HTMLBook (`data-type="footnote"`) and Tufte sidenotes put the note itself in the body,
  where its marker is.
- A page without links is read as a typed list: a "Notes"/"Endnotes" heading followed by
  an `<ol>` or by paragraphs starting with a number, and `<sup>N</sup>` markers.

Lines and columns are those of the source file (see htmlsource.py). Script, style, nav,
footer and the site's header are never read.
"""

from __future__ import annotations

import gc
import re
import warnings
from collections.abc import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag

from citecheck.errors import InputError
from citecheck.model import Document, Marker, NoteNumber, Span, UrlRef
from citecheck.parse.assemble import FoundNote, Place, PlacedText, assemble
from citecheck.parse.notes import SUPERSCRIPTS
from citecheck.readers.htmlsource import SourceMap

_DROP = ("script", "style", "noscript", "template", "nav", "footer", "head", "svg", "button",
         "select", "form")
_DROP_ROLES = {"navigation", "contentinfo", "banner", "search"}
_DROP_CLASSES = {"mw-editsection", "printfooter", "catlinks", "mw-jump-link",
                 "noprint", "cs1-maint", "cs1-hidden-error", "mw-cite-backlink", "reflist-toggle"}
_BACKLINK_CLASSES = ("backlink", "footnote-back", "reversefootnote", "footnote-backref",
                     "fn-back", "footnote-return")
_BLOCKS = {"p", "div", "li", "aside", "section", "dd", "dt", "td", "th", "blockquote",
           "article", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
           "table", "tr", "ol", "ul", "dl", "header", "main", "body", "html", "hr", "br"}
_CONTAINERS = {"body", "html", "main", "article", "ol", "ul", "dl", "table", "tbody", "tr"}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_NOTE_WORDS = re.compile(
    r"foot-?notes?|end-?notes?|fn\d|fn[:_-]|cite[_-]?note|ftn|_edn|\bnotes?\b|note[_-]|"
    r"references|reflist|sidenote|rearnote|edn\d",
    re.I,
)
_LIST_CLASSES = {"footnotes", "endnotes", "references", "reflist", "wp-block-footnotes",
                 "footnote-list", "notes"}
_NOTE_ID = re.compile(r"^(?:fn|cite_note|footnote|endnote|note|ftn|edn)[-_:]?\w*\d", re.I)
_NOTE_ROLES = {"doc-footnote", "doc-endnote", "doc-endnotes", "doc-footnotes"}
_LABEL = re.compile(
    r"^\s*(?:[\[(]?\s*(?P<label>\d{1,4}|[a-z]{1,2}|[ivxlc]{1,7}|[*†‡§¶]{1,3})\s*[\])]?"
    r"|\[\s*(?P<group>[A-Za-z]{1,10}[ \u00a0]\d{1,4})\s*\])\s*\.?\s*$"
)
"""A marker's text: "1", "[12]", "(3)", "a", "iv", "*", or a Wikipedia group label "[n 1]"
(in brackets only: "Bain 2006" is a short citation, not a marker)."""
_NUMBER_LIST = re.compile(r"^\s*\[?\s*(\d{1,4}(?:\s*[,–-]\s*\d{1,4}){0,20})\s*\]?\s*$")
_LEADING_LABEL = re.compile(r"^[\s^↑]*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}\.?(?=\s|$)|[" +
                            SUPERSCRIPTS + r"]{1,4})\s*")
_HEADING_TEXT = re.compile(
    r"^\s*(?:end\s*-?notes|notes(?:\s+and\s+(?:references|sources))?|foot\s*-?notes|references"
    r"|sources|works\s+cited|citations|notes\s*&\s*references)\s*:?\s*$",
    re.I,
)
_SUP_RUN = re.compile("[" + SUPERSCRIPTS + "]{1,4}")
_SUP_DIGITS = str.maketrans(SUPERSCRIPTS, "0123456789")
_BRACKET_MARKER = re.compile(r"\[(\d{1,4})\]")
_EXTERNAL = re.compile(r"^(?:https?:)?//", re.I)
_UNIT_BEFORE = re.compile(r"(?:^|[^A-Za-z])(?:[kcmdnµ]?m|ft|in|mi|sq|[A-Za-z])$")


_SELF_CLOSED = re.compile(
    r"<(?!(?:area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)\b)"
    r"([A-Za-z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)\s*/>"
)
_XHTML = re.compile(r"^\s*<\?xml|<html[^>]*xmlns=[\"']http://www\.w3\.org/1999/xhtml", re.I)


def read(name: str, data: bytes) -> Document:
    """Read with the cyclic garbage collector paused, as the text parser does: a page's tree
    is hundreds of thousands of objects with parent links, and the collector's passes over
    them made reading a 2 MB page take 2.5 times as long as a 1 MB one."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read(name, data)
    finally:
        if enabled:
            gc.enable()


def _read(name: str, data: bytes) -> Document:
    text = decode(name, data)
    markup = text
    if _XHTML.search(text[:2048]):
        # XHTML (HTMLBook, EPUB) closes empty elements with "/>", which an HTML parser
        # takes as an opening tag: `<a data-type="footnoteref" href="#n1"/>` would swallow
        # the rest of its paragraph. The end tags added here are invisible to the source
        # map, which aligns start tags and text only.
        markup = _SELF_CLOSED.sub(r"<\1\2></\1>", text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bs4's XMLParsedAsHTMLWarning: HTML is meant
        soup = BeautifulSoup(markup, "lxml")
    places = SourceMap(text, soup)
    return _Page(name, text, soup, places).read()


def decode(name: str, data: bytes) -> str:
    """The page's text: its byte-order mark or <meta charset> first, else UTF-8, else
    windows-1252 (what browsers assume for an undeclared legacy page). Line ends are
    normalised so that line numbers are those an editor shows."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        declared = re.search(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?([A-Za-z0-9_-]{2,40})",
                             data[:8192], re.I)
        encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252", errors="replace")
    if "\x00" in text[:65536]:
        raise InputError(f"{name}: is a binary file, not HTML")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _classes(tag: Tag) -> list[str]:
    value = tag.get("class") or []
    return value.split() if isinstance(value, str) else list(value)


def _attr(tag: Tag, name: str) -> str:
    value = tag.get(name)
    if value is None:
        return ""
    return " ".join(value) if isinstance(value, list) else str(value)


def _label(m: re.Match[str]) -> str:
    return m.group("label") or m.group("group")


def _label_number(label: str) -> NoteNumber:
    label = " ".join(label.split())
    return int(label) if label.isdigit() else label


class _Page:
    def __init__(self, name: str, text: str, soup: BeautifulSoup, places: SourceMap) -> None:
        self.name, self.text, self.soup, self.places = name, text, soup, places
        self.seen: list[str] = ["read as HTML"]
        self.in_notes: set[int] = set()
        self.tags: list[Tag] = []
        self.marks_external: bool | None = None
        """ids of the elements whose text belongs to a note (kept out of the body)."""

    # -- places ------------------------------------------------------------------------

    def tag_span(self, tag: Tag) -> Span:
        node: Tag | None = tag
        while node is not None:
            span = self.places.tag_span(node)
            if span is not None:
                return span
            node = node.parent
        return Span(1, 1)

    def _offset(self, tag: Tag) -> int:
        extent = self.places.tag_extent(tag)
        return extent[0] if extent else 0

    def string_place(self, string: NavigableString) -> Place:
        places = self.places
        if places.text_offset(string) is not None:
            return lambda k: places.text_span(string, k) or Span(1, 1)
        parent = string.parent
        fallback = self.tag_span(parent) if isinstance(parent, Tag) else Span(1, 1)
        return lambda _k: fallback

    # -- the reading ---------------------------------------------------------------------

    def read(self) -> Document:
        ids = self._drop_furniture()
        notes, markers = self._linked(ids)
        inline_notes, inline_markers = self._inline_notes(ids, len(notes))
        notes += inline_notes
        markers += inline_markers
        heading = None
        if not notes:
            notes, markers, heading = self._typed()
        else:
            markers.sort(key=lambda m: (m.span.line, m.span.column))
        body_urls = list(self._body_urls())
        if body_urls:
            self.seen.append(f"{len(body_urls)} links in the body")
        return assemble(self.name, "html", self.text, notes, markers, body_urls=body_urls,
                        seen=self.seen, heading=heading)

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

    # -- linked notes ------------------------------------------------------------------

    def _linked(self, ids: dict[str, Tag]) -> tuple[list[FoundNote], list[Marker]]:
        """Markers that link to their note, and the notes they link to."""
        pairs: list[tuple[Tag, Tag]] = []
        texts: dict[int, str] = {}
        for a in self.links():
            target = ids.get(_fragment(_attr(a, "href")))
            if target is None or target is a or _inside(a, target) or _is_inline_note(target):
                continue  # (a note written in the body is read with its marker, below)
            texts[id(a)] = text = a.get_text()
            if self._noteref(a, text, target):
                pairs.append((a, target))
        refs = {id(a) for a, _t in pairs}
        # A link back to a note link (a marker) is the note's back-link ("↩", "^ a b"), not a
        # marker: of two links that point at each other, the later one (the note's own
        # "[1]" in Google's and Substack's HTML) is the back-link.
        pairs = [
            (a, t) for a, t in pairs
            if not (
                (id(t) in refs or any(id(x) in refs for x in t.find_all("a")))
                and self._offset(t) < self._offset(a)
            )
        ]
        if not pairs:
            return [], []
        targets = {id(t) for _, t in pairs}
        marker_ids = set()
        for a, _t in pairs:
            node: Tag | None = a
            for _ in range(3):
                if node is None:
                    break
                if node.get("id"):
                    marker_ids.add(str(node.get("id")))
                node = node.parent if isinstance(node.parent, Tag) else None
        order: list[Tag] = []
        listed: set[int] = set()
        for _a, t in pairs:
            if id(t) not in listed:
                listed.add(id(t))
                order.append(t)
        order.sort(key=lambda t: self.places.tag_extent(t) or (0, 0))
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
            number = (_label_number(label) if label else self._ordinal(box)) or position
            number_of[id(target)] = number
            notes.append(self._note(number, box, target, targets, marker_ids, "html"))
        markers = []
        for a, t in pairs:
            m = _LABEL.match(texts[id(a)])
            shown = _label_number(_label(m)) if m else None
            number = shown if isinstance(shown, int) else number_of[id(t)]
            # A note citing another note (Wikipedia's explanatory notes cite references)
            # says nothing about the order in which the body first cites notes (N105).
            style = "in-note" if _in_any(a, self.in_notes) else "superscript"
            markers.append(Marker(number, self.tag_span(_wrapper(a)), style))
        kinds = sorted({t.name for t in order})
        self.seen.append(f"{len(markers)} note links to {len(notes)} notes "
                         f"(<{'>, <'.join(kinds)}>)")
        return notes, markers

    def _noteref(self, a: Tag, text: str, target: Tag) -> bool:
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
            or any(_NOTE_WORDS.search(c) or "fnref" in c for c in _classes(a))
        )
        if declared or (label and in_sup):
            return True
        if not label:
            return False
        return self._note_like(target) or _links_back(target, a)

    def _note_like(self, target: Tag) -> bool:
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

    def _ordinal(self, box: Tag) -> NoteNumber | None:
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

    def _note(self, number: NoteNumber, box: Tag, target: Tag, targets: set[int],
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

    # -- notes written where their marker is (HTMLBook, sidenotes) --------------------

    def _inline_notes(self, ids: dict[str, Tag], first: int
                      ) -> tuple[list[FoundNote], list[Marker]]:
        inline = [t for t in self.tags if _is_inline_note(t)]
        chosen = {id(t) for t in inline}
        inline = [t for t in inline if not any(id(p) in chosen for p in t.parents)]
        if not inline:
            return [], []
        notes, markers = [], []
        number_of: dict[str, int] = {}
        for k, tag in enumerate(inline, start=first + 1):
            span = self.tag_span(tag)
            notes.append(self._note(k, tag, tag, {id(tag)}, set(), "inline"))
            markers.append(Marker(k, span, "superscript"))
            if tag.get("id"):
                number_of[str(tag.get("id"))] = k
        for a in self.links():
            if _attr(a, "data-type") == "footnoteref":
                n = number_of.get(_fragment(_attr(a, "href")))
                if n is not None:
                    markers.append(Marker(n, self.tag_span(a), "superscript"))
        kind = "data-type=\"footnote\"" if _attr(inline[0], "data-type") else "sidenote"
        self.seen.append(f"{len(inline)} notes written in the body ({kind})")
        return notes, markers

    # -- typed notes: a heading and a list, <sup> markers -------------------------------

    def _typed(self) -> tuple[list[FoundNote], list[Marker], Span | None]:
        heading = self._notes_heading()
        blocks = self._listed() or self._note_blocks(heading)
        notes: list[FoundNote] = []
        current: tuple[NoteNumber, Tag, list[Tag]] | None = None
        groups: list[tuple[NoteNumber, Tag, list[Tag]]] = []
        expected = 1
        for block in blocks:
            number = self._ordinal(block) if block.name == "li" else None
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
            found = FoundNote(number, self.tag_span(first), style="html")
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
                        pieces.append((str(node), self.string_place(node),
                                       self.href(node), True))
                self.in_notes.add(id(member))
            _fill(found, pieces)
            found.schemeless = not self.marks_external
            notes.append(found)
        markers = self._typed_markers(notes)
        where = f" under '{heading.get_text(' ', strip=True)[:40]}'" if heading else ""
        if notes:
            self.seen.append(f"{len(notes)} notes typed as a list{where}")
        elif heading is not None:
            self.seen.append(f"a notes heading '{heading.get_text(' ', strip=True)[:40]}' "
                             "with no numbered notes after it")
        else:
            self.seen.append("no notes list found")
        return notes, markers, self.tag_span(heading) if heading is not None else None

    def _listed(self) -> list[Tag]:
        """Items of a notes list that nothing links to: a footnotes section, a reference
        list, list items with note ids."""
        boxes = [
            t for t in self.tags
            if (_attr(t, "role") in _NOTE_ROLES and t.name != "li")
            or _LIST_CLASSES.intersection(_classes(t))
        ]
        items = [li for box in boxes for li in box.find_all("li")]
        items += [li for li in self.find("li") if _NOTE_ID.match(_attr(li, "id"))]
        seen: set[int] = set()
        out = []
        for li in items:
            if id(li) in seen or li.find_parent("li") is not None:
                continue
            seen.add(id(li))
            out.append(li)
        out.sort(key=self._offset)
        return out

    def _notes_heading(self) -> Tag | None:
        found = None
        for tag in self.find(*_HEADINGS, "p", "div", "strong", "b", "dt", "span"):
            if tag.name in ("p", "div", "span") and tag.find(_BLOCKS - {"br"}):
                continue
            text = tag.get_text(" ", strip=True)
            if len(text) <= 40 and _HEADING_TEXT.match(text):
                found = tag
        return found

    def _note_blocks(self, heading: Tag | None) -> list[Tag]:
        """The leaf blocks after the heading (or, with none, from the first block whose text
        starts with a <sup>1</sup>)."""
        leaves = [
            t for t in self.find("p", "li", "div", "dd", "aside", "blockquote")
            if not t.find(("p", "li", "div", "dd", "aside", "blockquote", "ol", "ul"))
        ]
        if heading is not None:
            begin = self.places.tag_extent(heading)
            if begin is None:
                return []
            stop_rank = heading.name if heading.name in _HEADINGS else None
            after = []
            for t in leaves:
                extent = self.places.tag_extent(t)
                if extent is None or extent[0] <= begin[0] or _inside(t, heading):
                    continue
                after.append(t)
            if stop_rank is not None:
                later = [h for h in self.find(*_HEADINGS)
                         if h.name <= stop_rank and (self.places.tag_extent(h) or (0, 0))[0]
                         > begin[0]]
                if later:
                    end = (self.places.tag_extent(later[0]) or (0, 0))[0]
                    after = [t for t in after if (self.places.tag_extent(t) or (0, 0))[0] < end]
            return after
        for k, t in enumerate(leaves):
            first = _first_element(t)
            if first is not None and first.name == "sup" and first.get_text(strip=True) in (
                "1", "1."
            ):
                return leaves[k:]
        return []

    def _typed_markers(self, notes: list[FoundNote]) -> list[Marker]:
        markers: list[Marker] = []
        numbers = {n.number for n in notes}
        highest = 0
        for sup in self.find("sup"):
            if _in_any(sup, self.in_notes):
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
                markers.append(Marker(n, self.tag_span(sup), "superscript"))
                highest = max(highest, n)
        if markers:
            self.seen.append(f"{len(markers)} <sup> markers")
        for string in self.soup.find_all(string=True):
            if not isinstance(string, NavigableString) or _in_any(string, self.in_notes):
                continue
            text = str(string)
            if any(ch in text for ch in SUPERSCRIPTS):
                for m in _SUP_RUN.finditer(text):
                    if m.start() and text[m.start() - 1].isalpha() and _UNIT_BEFORE.search(
                            text[max(0, m.start() - 4):m.start()]):
                        continue
                    n = int(m.group().translate(_SUP_DIGITS))
                    place = self.string_place(string)(m.start())
                    markers.append(Marker(n, place, "superscript"))
            if notes and "[" in text:
                for m in _BRACKET_MARKER.finditer(text):
                    n = int(m.group(1))
                    if n in numbers:
                        markers.append(Marker(n, self.string_place(string)(m.start()), "bracket"))
        markers.sort(key=lambda m: (m.span.line, m.span.column))
        return markers

    # -- links in the body ---------------------------------------------------------------

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


# -- helpers ----------------------------------------------------------------------------


def _fill(found: FoundNote, pieces: list[tuple[str, Place, str | None, bool]]) -> None:
    """Add the pieces to the note's text without its leading label ("1.", "[1]", "^") and
    with block breaks collapsed; hyperlinks become links spanning their text."""
    body: PlacedText = found.body
    while pieces and (not pieces[0][3] or not pieces[0][0].strip()):
        pieces.pop(0)
    if pieces:
        text, place, href, real = pieces[0]
        m = _LEADING_LABEL.match(text)
        label = m.group().strip(" \t\n^↑[]().").translate(_SUP_DIGITS) if m else ""
        if m and (not label or label == str(found.number)):
            cut = m.end()
            pieces[0] = (text[cut:], lambda k, p=place, c=cut: p(k + c), href, real)
        text, place = pieces[0][0], pieces[0][1]
        found.span = place(len(text) - len(text.lstrip()))  # where the note's text begins
    link_start: dict[str, int] = {}
    last_href: str | None = None
    for text, place, href, real in pieces:
        if not real:
            if body.length and not body.text.endswith(("\n", " ")):
                body.add("\n")
            continue
        if href != last_href:
            if last_href is not None:
                found.link(last_href, link_start[last_href], body.length)
            if href is not None:
                link_start[href] = body.length
            last_href = href
        body.add(text, place)
    if last_href is not None:
        found.link(last_href, link_start[last_href], body.length)


def _is_inline_note(tag: Tag) -> bool:
    """A note written where its marker stands: HTMLBook's data-type="footnote", a Tufte
    sidenote, an EPUB footnote span."""
    if _attr(tag, "data-type") == "footnote":
        # HTMLBook's source has the note in the body; its rendered pages gather the notes
        # in a <div data-type="footnotes"> and link to them, like any footnotes section.
        return tag.find_parent(attrs={"data-type": "footnotes"}) is None
    return "sidenote" in _classes(tag) or (
        _attr(tag, "epub:type") == "footnote" and tag.name == "span")


def _walk(root: Tag) -> Iterator[tuple[object, bool]]:
    """Every node under `root` in document order; tags twice (entering, leaving)."""
    stack: list[tuple[object, bool]] = [(root, True)]
    while stack:
        node, entering = stack.pop()
        yield node, entering
        if isinstance(node, Tag) and entering:
            stack.append((node, False))
            stack.extend((child, True) for child in reversed(node.contents))


def _fragment(href: str) -> str:
    """The id an in-page link points at. A full URL with a fragment counts only when the
    fragment names a note ("…/Page#cite_note-3": a saved page linking to itself)."""
    if "#" not in href:
        return ""
    before, _, fragment = href.partition("#")
    from urllib.parse import unquote

    fragment = unquote(fragment.strip())
    if _EXTERNAL.match(before) and not _NOTE_WORDS.search(fragment):
        return ""
    return fragment


def _inside(node: Tag, ancestor: Tag) -> bool:
    return any(p is ancestor for p in node.parents)


def _in_any(node: object, ids: set[int]) -> bool:
    if not ids:
        return False
    parent = getattr(node, "parent", None)
    if id(node) in ids:
        return True
    while parent is not None:
        if id(parent) in ids:
            return True
        parent = parent.parent
    return False


def _links_back(target: Tag, a: Tag) -> bool:
    wanted = set()
    node: Tag | None = a
    for _ in range(3):
        if node is None:
            break
        if node.get("id"):
            wanted.add(str(node.get("id")))
        node = node.parent if isinstance(node.parent, Tag) else None
    if not wanted:
        return False
    return any(_fragment(_attr(b, "href")) in wanted for b in target.find_all("a", href=True))


def _wrapper(a: Tag) -> Tag:
    """The <sup> around a marker link when the link is all it holds."""
    parent = a.parent
    if isinstance(parent, Tag) and parent.name == "sup" and all(
        child is a or (isinstance(child, NavigableString) and not child.strip())
        for child in parent.contents
    ):
        return parent
    return a


def _container(target: Tag, targets: set[int]) -> Tag:
    """The element holding the whole note whose anchor is `target`."""
    box: Tag = target
    if target.name not in _BLOCKS or not _has_words(target):
        parent = target.parent
        while isinstance(parent, Tag) and parent.name not in _BLOCKS:
            parent = parent.parent
        if not isinstance(parent, Tag) or parent.name in _CONTAINERS:
            return target
        box = parent
    while True:
        parent = box.parent
        if (
            not isinstance(parent, Tag)
            or parent.name in _CONTAINERS
            or parent.name in _HEADINGS
            or any(id(t) in targets and t is not target for t in parent.find_all(True))
            or parent.get_text(" ", strip=True)[:20] != box.get_text(" ", strip=True)[:20]
        ):
            return box
        box = parent


def _has_words(tag: Tag) -> bool:
    text = tag.get_text(" ", strip=True)
    return len(text) > 6 and not _LABEL.match(text)


def _excluded(string: NavigableString, box: Tag, label: Tag | None,
              marker_ids: set[str]) -> bool:
    node = string.parent
    while isinstance(node, Tag) and node is not box:
        if node is label:
            return True
        if node.name == "a":
            if marker_ids and _fragment(_attr(node, "href")) in marker_ids:
                return True  # a back-link to the marker ("↩", "^ a b")
            if _attr(node, "role") == "doc-backlink":
                return True
        if any(b in c for c in _classes(node) for b in _BACKLINK_CLASSES):
            return True
        node = node.parent
    return False




def _absolute(href: str) -> str | None:
    href = "".join(href.split())
    if href.startswith("//"):
        return "https:" + href
    if href[:7].lower() == "http://" or href[:8].lower() == "https://":
        return href
    return None


def _first_element(tag: Tag) -> Tag | None:
    for child in tag.children:
        if isinstance(child, Tag):
            return child
        if isinstance(child, NavigableString) and child.strip():
            return None
    return None


def _leading_number(block: Tag) -> NoteNumber | None:
    first = _first_element(block)
    if first is not None and first.name in ("sup", "a", "span", "b", "strong"):
        m = _LABEL.match(first.get_text())
        if m and _label(m).isdigit():
            return int(_label(m))
    text = block.get_text()
    m = re.match(r"^\s*(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,4})[.)]?(?=\s)|([" + SUPERSCRIPTS
                 + r"]{1,4}))", text)
    if not m:
        return None
    if m.group(4):
        return int(m.group(4).translate(_SUP_DIGITS))
    return int(next(g for g in m.groups() if g))


def _text_before(tag: Tag) -> str:
    prev = tag.previous_sibling
    while prev is not None:
        text = prev.get_text() if isinstance(prev, Tag) else str(prev)
        if text:
            return text
        prev = prev.previous_sibling
    return ""


def _expand(spec: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"\s*,\s*", spec.strip()):
        bounds = re.split(r"\s*[–-]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            a, b = int(bounds[0]), int(bounds[1])
            if a <= b <= a + 50:
                out.extend(range(a, b + 1))
        elif part.isdigit():
            out.append(int(part))
    return [n for n in out if n >= 1]


def _letters(n: int, *, upper: bool) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out.upper() if upper else out
