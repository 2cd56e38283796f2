"""The text of a cited source, as a quotation is searched in it: an HTML page's main text, a
PDF's text page by page, or plain text.

What is searched is what a reader reads: an HTML page without its navigation, header, footer,
scripts and forms, its inline elements joined into the sentences they split and its blocks
kept apart; a PDF's body text in reading order with running heads and page numbers dropped,
then its footnotes, each line remembering its page (so a quotation can be checked against
the page a note cites). A source that cannot be read this way raises Unreadable, with the
reason the report gives for not checking its quotations.
"""

from __future__ import annotations

import re

from citecheck.quotes.pages import Paged

_HIDDEN = ("script", "style", "noscript", "template", "nav", "header", "footer", "form",
           "svg", "iframe", "button", "select", "aside")
_BLOCKS = frozenset((
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "section", "article", "main", "table", "tr", "td", "th", "pre", "br", "hr",
    "figure", "figcaption", "caption", "address",
))
_BARE_NUMBER = re.compile(r"^\s*(?:page\s+)?[-–—]?\s*(\d{1,4})\s*[-–—]?\s*$", re.IGNORECASE)
_NOTE_MARK = re.compile(r"\[?\s*(?:\d{1,4}|[a-z]{1,2}|[*†‡§]|note\s*\d{1,4})\s*\]?", re.I)
_MIN_TEXT = 40
"""Fewer word characters than this: a page with no text to search (a scan, a shell page)."""


class Unreadable(Exception):
    """The source's text cannot be searched; the message says why, for the report."""


def source_text(data: bytes, content_type: str, url: str = "") -> Paged:
    """The searchable text of a fetched source, by what it is (PDF by its signature too)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if data[:1024].lstrip().startswith(b"%PDF-") or kind == "application/pdf":
        return pdf_text(data, url)
    if kind in ("text/plain", "text/markdown"):
        text = data.decode(_charset(content_type) or "utf-8", errors="replace")
        return _checked(Paged(text))
    if kind in ("", "text/html", "application/xhtml+xml", "application/xml", "text/xml"):
        return html_text(data, content_type)
    raise Unreadable(f"a {kind} file, not a page or a PDF")


def html_text(data: bytes, content_type: str = "") -> Paged:
    """The main text of an HTML page: <main> or <article> where the page marks one."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml", from_encoding=_html_charset(data, content_type))
    # The page's title and headings stay searchable: a brief often quotes a source's title,
    # and a site's <header> holds the article's own heading as often as its navigation.
    heads = [t.get_text(" ") for t in soup.find_all(("title", "h1"))]
    for tag in soup.find_all(_HIDDEN):
        if tag.decomposed or _holds_the_article(tag):
            continue
        tag.decompose()
    for tag in soup.find_all("sup"):
        if _is_note_marker(tag):
            tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    parts: list[str] = [f"{h}\n" for h in heads]
    for node in root.descendants:
        if isinstance(node, str):
            if type(node).__name__ in ("Comment", "Doctype", "Declaration", "CData",
                                      "ProcessingInstruction"):
                continue
            parts.append(str(node))
        elif node.name in _BLOCKS:
            parts.append("\n")
    text = re.sub(r"[ \t\r\f\v]*\n[\s]*", "\n", "".join(parts))
    return _checked(Paged(text))


def _holds_the_article(tag) -> bool:  # type: ignore[no-untyped-def]
    """A <header> or <footer> inside the article is the article's own (its headline and
    standfirst, its byline), and a <form> around the whole page (ASP.NET, SharePoint) holds
    the page, not a search box: neither is left out."""
    if tag.name in ("header", "footer"):
        return tag.find_parent(("article", "main")) is not None
    if tag.name == "form":
        return tag.find(("main", "article", "h1")) is not None
    return False


def _is_note_marker(sup) -> bool:  # type: ignore[no-untyped-def]
    """A page's own note or reference marker (`<sup><a href="#cite-1">[1]</a></sup>`): a
    quotation leaves it out, so it is not searched. A superscript that is no link (`10<sup>3
    </sup>`, `1<sup>st</sup>`) is the text's own."""
    text = sup.get_text().strip()
    if not _NOTE_MARK.fullmatch(text):
        return False
    return bool(text.startswith("[") or sup.find("a") or sup.find_parent("a"))


def pdf_text(data: bytes, url: str = "") -> Paged:
    """A PDF's body text then its footnotes, with where each page begins and the numbers
    printed on it (the PDF's page labels and the page numbers dropped as furniture)."""
    from citecheck.errors import InputError
    from citecheck.readers.pdf import pages_of
    from citecheck.readers.pdflayout import furniture, lay_out

    try:
        pages = pages_of(url or "the source", data)
    except InputError as exc:
        raise Unreadable(str(exc).split(": ", 1)[-1]) from None
    layout = lay_out(pages)  # renders each line's text, which furniture() reads
    drops = furniture(pages)
    lines = layout.text.split("\n")
    zone = layout.hints.zone if len(layout.hints.zone) == len(lines) else [False] * len(lines)
    bounds = [*layout.pages, len(lines)]
    body: list[tuple[int, str]] = []
    notes: list[tuple[int, str]] = []
    for k in range(len(pages)):
        for i in range(bounds[k], bounds[k + 1]):
            (notes if zone[i] else body).append((k, lines[i]))
    # Pages as runs of offsets: body text of pages 1..n, then footnotes of pages 1..n.
    text_parts: list[str] = []
    run_starts: list[int] = []
    run_pages: list[int] = []
    pos = 0
    for k, line in body + notes:
        if not run_pages or run_pages[-1] != k:
            run_starts.append(pos)
            run_pages.append(k)
        text_parts.append(line)
        pos += len(line) + 1
    labels = tuple(_labels(page, drop) for page, drop in zip(pages, drops, strict=True))
    return _checked(Paged("\n".join(text_parts), tuple(run_starts), labels, tuple(run_pages)))


def _labels(page, drop: set[int]) -> frozenset[str]:  # type: ignore[no-untyped-def]
    found = set()
    if page.label and page.label.strip().isdigit():
        found.add(page.label.strip())
    for k in drop:
        m = _BARE_NUMBER.match(page.lines[k].text)
        if m:
            found.add(str(int(m.group(1))))
    return frozenset(found)


def _checked(paged: Paged) -> Paged:
    if sum(1 for ch in paged.text[:100_000] if ch.isalnum()) < _MIN_TEXT:
        raise Unreadable("no text to search (a scanned PDF or an empty page?)")
    return paged


def _html_charset(data: bytes, content_type: str) -> str | None:
    """The page's encoding: the server's, else what the page declares (left to the parser),
    else UTF-8 when the bytes are UTF-8 — a guess by byte statistics reads a short UTF-8
    page with curly quotes as Shift JIS or Windows-1252, and then no quotation is found."""
    declared = _charset(content_type)
    if declared or _META_CHARSET.search(data[:4096]):
        return declared
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "utf-8"


_META_CHARSET = re.compile(rb"<meta[^>]+charset", re.IGNORECASE)


def _charset(content_type: str) -> str | None:
    """The server's charset when Python knows it; an unknown name is no charset (decoding a
    plain-text source with it raised LookupError)."""
    import codecs

    m = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    if m is None:
        return None
    try:
        return codecs.lookup(m.group(1)).name
    except LookupError:
        return None
