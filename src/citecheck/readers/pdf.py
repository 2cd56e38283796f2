"""PDF: the text layer, with each character's position and type size, read with pypdfium2.

Why pypdfium2: it is PDFium (the PDF engine of Chromium, BSD/Apache licensed) behind a thin
binding, it gives per-character origin and font size through its raw API at a few
microseconds a character, and it reads damaged files as leniently as a browser does.
pypdf (pure Python) is three times slower for the same facts and pdfplumber/pdfminer.six
eight times (bench/bench_pdf.py measures them); PyMuPDF is AGPL, which an MIT project
cannot take as a hard dependency.

    bytes -> pages of positioned characters (here)
          -> lines, superscripts, footnote zones, furniture dropped (pdflayout)
          -> the text parser with the zones as hints (citecheck.parse)
          -> URLs that the text wraps or hides, completed from the link annotations

pypdfium2 is imported only here, so only a PDF pays for it.
"""

from __future__ import annotations

import ctypes
import dataclasses

from citecheck.errors import InputError
from citecheck.model import Document, Note, Span, UrlRef
from citecheck.readers.pdflayout import Char, Page, lay_out, merge_fragments
from citecheck.readers.text import Source

_MIN_SUPERSCRIPTS = 3
"""Superscript digits in the body from which a PDF is taken to set its markers that way."""
_MIN_CHARS = 20
"""Fewer characters than this in the whole text layer: a scan (images of pages)."""


def read(name: str, data: bytes) -> Document:
    from citecheck.parse import parse

    pages = _pages(name, data)
    layout = lay_out(pages)
    if sum(1 for ch in layout.text if not ch.isspace()) < _MIN_CHARS:
        raise InputError(
            f"{name}: has no text layer (a scanned PDF?); run OCR on it first "
            "(e.g. ocrmypdf) and check the result"
        )
    # Where the PDF sets its markers as superscripts, only superscripts are markers: a
    # plain "…11" after dot leaders or "[401]" in a quoted statute is not.
    forms = frozenset({"sup"}) if layout.superscripts >= _MIN_SUPERSCRIPTS else None
    doc = parse(
        Source(name, "pdf", layout.text),
        hints=layout.hints,
        pages=layout.pages,
        marker_forms=forms,
    )
    doc = _with_links(doc, pages, layout)
    doc = _body_links(doc, pages, layout)
    uris = {uri for p in pages for _, uri in p.links}
    seen = (
        f"read as PDF: {len(pages)} pages",
        f"{layout.superscripts} superscript digits in the body",
        f"footnotes on {layout.footnote_pages} pages" if layout.footnote_pages
        else "no footnote zones",
        f"{sum(len(p.links) for p in pages)} web links ({len(uris)} distinct URLs)",
    )
    return dataclasses.replace(doc, seen=doc.seen + seen)


def pages_of(name: str, data: bytes) -> list[Page]:
    """The pages of a PDF as positioned lines (for readers of a PDF's text other than the
    notes parser: a cited source searched for a quotation). Raises InputError."""
    return _pages(name, data)


def _pages(name: str, data: bytes) -> list[Page]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text or "security" in text:
            raise InputError(f"{name}: is encrypted (it needs a password to be read)") from None
        raise InputError(f"{name}: is not a readable PDF ({exc})") from None
    try:
        return [_page(pdf, k, raw) for k in range(len(pdf))]
    except pdfium.PdfiumError as exc:
        raise InputError(f"{name}: is not a readable PDF ({exc})") from None
    finally:
        pdf.close()


def _page(pdf, k: int, raw) -> Page:  # type: ignore[no-untyped-def]
    page = pdf[k]
    try:
        width, height = page.get_size()
        tp = page.get_textpage()
        try:
            lines = merge_fragments(_raw_lines(tp, raw))
        finally:
            tp.close()
        return Page(
            width, height, lines, _rules(page, raw, height), _links(pdf, page, raw),
            label=pdf.get_page_label(k) or "",
        )
    finally:
        page.close()


def _raw_lines(tp, raw) -> list[list[Char]]:  # type: ignore[no-untyped-def]
    """The page's characters split where PDFium breaks lines; spaces carry no position."""
    n = raw.FPDFText_CountChars(tp)
    if n <= 0:
        return []
    text = tp.get_text_range(0, n)
    if len(text) != n:  # characters outside the BMP: read them one by one
        text = "".join(chr(raw.FPDFText_GetUnicode(tp, i)) for i in range(n))
    loose_box = raw.FPDFText_GetLooseCharBox
    rect = raw.FS_RECTF()
    lines: list[list[Char]] = []
    cur: list[Char] = []
    last_x = -1e9
    for i, ch in enumerate(text):
        if ch in "\r\n":
            if cur:
                lines.append(cur)
                cur = []
            continue
        if ch.isspace():
            if cur and cur[-1].ch != " ":
                cur.append(Char(" ", 0.0, 0.0, 0.0))
            continue
        # The loose box spans the font's ascent to descent: its height is the type size as
        # set (whatever scaling the text matrix applies; FPDFText_GetFontSize reports the
        # unscaled size, 1.0 in many government PDFs), its bottom follows the baseline.
        loose_box(tp, i, rect)
        x, bottom, size = rect.left, rect.bottom, rect.top - rect.bottom
        if cur and x < last_x - 2.0 * size and size > 0:
            lines.append(cur)  # the text went back to the left: a new line (or column)
            cur = []
        last_x = x
        # PDFium reports a hyphen that ends a line as \x02 or U+FFFE (it guesses a soft
        # hyphen): the hyphen is kept, since in a URL it is part of the address.
        cur.append(Char("-" if ch in "\x02\ufffe" else ch, x, bottom, size))
    if cur:
        lines.append(cur)
    return lines


def _rules(page, raw, height: float) -> list[tuple[float, float, float]]:  # type: ignore[no-untyped-def]
    """Heights of short horizontal rules in the lower half of the page: the line that
    separates footnotes from the body."""
    out = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    count = raw.FPDFPage_CountObjects(page)
    for i in range(min(count, 4000)):
        obj = raw.FPDFPage_GetObject(page, i)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
            continue
        if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        w, h = right.value - left.value, top.value - bottom.value
        if 30 <= w <= 300 and h <= 2.5 and top.value < height * 0.55:
            out.append((left.value, right.value, top.value))
    return out


def _links(pdf, page, raw) -> list[tuple[tuple[float, float, float, float], str]]:  # type: ignore[no-untyped-def]
    """URI link annotations: (left, bottom, right, top) and the URI."""
    out = []
    pos = ctypes.c_int(0)
    link = raw.FPDF_LINK()
    rect = raw.FS_RECTF()
    while raw.FPDFLink_Enumerate(page, pos, link):
        action = raw.FPDFLink_GetAction(link)
        if not action or raw.FPDFAction_GetType(action) != raw.PDFACTION_URI:
            continue
        size = raw.FPDFAction_GetURIPath(pdf, action, None, 0)
        if size <= 1 or size > 4096:
            continue
        buf = ctypes.create_string_buffer(size)
        raw.FPDFAction_GetURIPath(pdf, action, buf, size)
        uri = buf.value.decode("latin-1").strip()
        if not uri.lower().startswith(("http://", "https://")):
            continue
        if raw.FPDFLink_GetAnnotRect(link, rect):
            box = (rect.left, min(rect.bottom, rect.top), rect.right, max(rect.bottom, rect.top))
            out.append((box, uri))
    return out


def _with_links(doc: Document, pages: list[Page], layout) -> Document:  # type: ignore[no-untyped-def]
    """Complete a note's URL from the link annotation over it when the text shows only
    part of it (wrapped with a hyphen the layout dropped, or cut short with an ellipsis)."""
    uris = {uri for p in pages for _, uri in p.links}
    if not uris:
        return doc
    notes = []
    changed = False
    for note in doc.notes:
        new = _complete(note, uris)
        changed |= new is not note
        notes.append(new)
    return dataclasses.replace(doc, notes=tuple(notes)) if changed else doc


def _body_links(doc: Document, pages: list[Page], layout) -> Document:  # type: ignore[no-untyped-def]
    """Links set on the body's words (a legal sidebar cites its sources that way): body
    URLs, placed on the line they cover, unless a note cites the same URL."""
    cited = {u.url for n in doc.notes for u in n.urls} | {u.url for u in doc.body_urls}
    zone = layout.hints.zone
    found: list[UrlRef] = []
    for page in pages:
        for (left, bottom, right, top), uri in page.links:
            if uri in cited:
                continue
            line = _line_under(page, layout.placed, left, bottom, right, top)
            if line is None or (line < len(zone) and zone[line]):
                continue
            cited.add(uri)
            found.append(UrlRef(uri, Span(line + 1, 1)))
    if not found:
        return doc
    return dataclasses.replace(doc, body_urls=doc.body_urls + tuple(found))


def _line_under(
    page: Page, placed: dict[int, int], left: float, bottom: float, right: float, top: float
) -> int | None:
    """The text line a link rectangle covers (its baseline inside the rectangle)."""
    best = None
    for ln in page.lines:
        k = placed.get(id(ln))
        if k is None or not (bottom - 2 <= ln.base <= top + 2):
            continue
        if ln.x1 < left or ln.x0 > right:
            continue
        if best is None or k < best:
            best = k
    return best


def _complete(note: Note, uris: set[str]) -> Note:
    citations = []
    changed = False
    for c in note.citations:
        refs = []
        for ref in c.urls:
            full = _longer(ref.url, uris)
            if full is not None:
                refs.append(UrlRef(full, ref.span))
                changed = True
            else:
                refs.append(ref)
        citations.append(dataclasses.replace(c, urls=tuple(refs)) if changed else c)
    return dataclasses.replace(note, citations=tuple(citations)) if changed else note


def _longer(url: str, uris: set[str]) -> str | None:
    """The annotated URI this shown URL is a truncation of, if exactly one."""
    if url in uris:
        return None
    stem = url.rstrip("…").rstrip(".")
    if len(stem) < 12:
        return None
    hits = [u for u in uris if len(u) > len(stem) and u.startswith(stem)]
    return hits[0] if len(hits) == 1 else None
