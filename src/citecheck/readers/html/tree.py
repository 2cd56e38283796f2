"""What the HTML reader knows about markup: the names, classes and roles publishing tools
give notes and markers, and small helpers over Beautiful Soup's tree."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import NavigableString, Tag

from citecheck.model import NoteNumber
from citecheck.parse.assemble import FoundNote, Place, PlacedText
from citecheck.parse.notes import SUPERSCRIPTS

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
    r"|\[\s*(?P<group>[A-Za-z][A-Za-z-]{0,15}[ \u00a0]\d{1,4})\s*\])\s*\.?\s*$"
)
"""A marker's text: "1", "[12]", "(3)", "a", "iv", "*", or a Wikipedia group label "[n 1]",
"[lower-alpha 1]" (Parsoid's HTML names the group where the reader's CSS shows "a"), in
brackets only: "Bain 2006" is a short citation, not a marker."""
_NUMBER_LIST = re.compile(r"^\s*\[?\s*(\d{1,4}(?:\s*[,–-]\s*\d{1,4}){0,20})\s*\]?\s*$")
_LEADING_LABEL = re.compile(r"^[\s^↑]*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}\.?(?=\s|$)|[" +
                            SUPERSCRIPTS + r"]{1,4})\s*")
_HEADING_TEXT = re.compile(
    r"^\s*(?:end\s*-?notes|notes(?:\s+and\s+(?:references|sources))?|foot\s*-?notes|references"
    r"|sources|works\s+cited|citations|notes\s*&\s*references)\s*:?\s*$",
    re.I,
)
_LABEL_TAIL = re.compile(r"^\s*[.)]\s+")
"""What a note's number leaves when it is an element of its own: "21" + ". See …"."""
_SUP_RUN = re.compile("[" + SUPERSCRIPTS + "]{1,4}")
_SUP_DIGITS = str.maketrans(SUPERSCRIPTS, "0123456789")
_BRACKET_MARKER = re.compile(r"\[(\d{1,4})\]")
_EXTERNAL = re.compile(r"^(?:https?:)?//", re.I)
_UNIT_BEFORE = re.compile(r"(?:^|[^A-Za-z])(?:[kcmdnµ]?m|ft|in|mi|sq|[A-Za-z])$")


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


def _fill(found: FoundNote, pieces: list[tuple[str, Place, str | None, bool]]) -> None:
    """Add the pieces to the note's text without its leading label ("1.", "[1]", "^") and
    with block breaks collapsed; hyperlinks become links spanning their text."""
    body: PlacedText = found.body
    while pieces and (not pieces[0][3] or (not pieces[0][0].strip() and pieces[0][2] is None)):
        pieces.pop(0)
    if pieces:
        text, place, href, real = pieces[0]
        m = _LEADING_LABEL.match(text)
        label = m.group().strip(" \t\n^↑[]().").translate(_SUP_DIGITS) if m else ""
        if m and (not label or label == str(found.number)):
            cut = m.end()
            pieces[0] = (text[cut:], lambda k, p=place, c=cut: p(k + c), href, real)
        elif _LABEL_TAIL.match(text):
            # "<a>21</a>. See, e.g., …": the number was its own element, its dot is not.
            cut = _LABEL_TAIL.match(text).end()  # type: ignore[union-attr]
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
    sidenote, an EPUB footnote span, a WordPress footnote tooltip."""
    if _attr(tag, "data-type") == "footnote":
        # HTMLBook's source has the note in the body; its rendered pages gather the notes
        # in a <div data-type="footnotes"> and link to them, like any footnotes section.
        return tag.find_parent(attrs={"data-type": "footnotes"}) is None
    classes = _classes(tag)
    return (
        "sidenote" in classes
        or (_attr(tag, "epub:type") == "footnote" and tag.name == "span")
        # WordPress's Modern Footnotes: <span class="modern-footnotes-footnote__note"
        # role="tooltip"> right after its <sup> marker (law reviews publish this way).
        or any(c.endswith("footnote__note") for c in classes)
    )


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


def _ids_around(a: Tag) -> set[str]:
    """The ids a back-link may point at for a marker `a`: its own and its two nearest
    ancestors' (`<sup id="cite_ref-3"><a href="#cite_note-3">`)."""
    ids = set()
    node: Tag | None = a
    for _ in range(3):
        if node is None:
            break
        if node.get("id"):
            ids.add(str(node.get("id")))
        node = node.parent if isinstance(node.parent, Tag) else None
    return ids


def _links_back(target: Tag, a: Tag) -> bool:
    wanted = _ids_around(a)
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
