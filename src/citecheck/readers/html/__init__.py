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

Lines and columns are those of the source file (see source.py). Script, style, nav,
footer and the site's header are never read.
"""

from __future__ import annotations

import gc
import re
import warnings

from bs4 import BeautifulSoup

from citecheck.errors import InputError
from citecheck.model import Document
from citecheck.readers.html.page import Page
from citecheck.readers.html.source import SourceMap

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
    return Page(name, text, soup, places).read()


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
