"""Read one note's text into citations: split at top-level semicolons, then find in each its
kind (full, Ibid., Id., supra, short), URLs, access dates, author, title, locator, the
source's own date and any "[hereinafter …]" name.

A note may discuss before it cites ("On this point, see …"), and a semicolon may separate
two authors rather than two sources, so a piece counts as a source of its own only when it
has what sources have: a URL, a title, a year, a case name or a back-reference word.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from citecheck.lazyre import lazy
from citecheck.model import AccessDate, Citation, NoteKind, Span, UrlRef
from citecheck.parse.dates import find_access_dates, find_dates
from citecheck.parse.urls import FoundUrl, find_urls

SIGNALS = lazy(
    r"^(?:[*_]{1,2})?(?:see(?:[ \t]+also|[ \t]+generally|,[ \t]+e\.g\.,?)?|cf\.|accord|"
    r"but[ \t]+see|but[ \t]+cf\.|compare|contra|e\.g\.,?|see[ \t]+e\.g\.,?|"
    r"for[ \t]+example,?|quoted[ \t]+in|cited[ \t]+in)(?:[*_]{1,2})?[ \t]+",
    re.IGNORECASE,
)
IBID_RE = lazy(r"^[*_]{0,2}ibid(?:em)?\b\.?[*_]{0,2}", re.IGNORECASE)
ID_RE = lazy(r"^[*_]{0,2}id\.[*_]{0,2}(?=[\s,;:]|$)", re.IGNORECASE)
SUPRA_RE = lazy(r"\bsupra(?:[*_]{0,2})(?:[ \t\n]+notes?[ \t\n]+(?P<n>\d{1,4}))?", re.IGNORECASE)
OSCOLA_RE = lazy(r"\((?:nn?|note)\.?[ \t\n]*(?P<n>\d{1,4})\)")
"""OSCOLA's cross-reference "Carneiro (n 9) at 228": Bluebook's "Carneiro, supra note 9"."""
_CROSS_REF = lazy(r"[ \t\n]*(?:[“\"‘]|(?:Parts?|Sections?|§§?|Subsection|Chapter|Appendix)\b)")
"""What follows "supra" when it points within the document: a quoted heading or a part."""
HEREINAFTER_RE = lazy(
    r"[\[(][ \t]*hereinafter[ \t,:]+[*_“\"‘']*(?P<name>[^\])*_”\"’]{1,80}?)[*_”\"’]*[ \t]*[\])]",
    re.IGNORECASE,
)
TITLE_RE = lazy(
    r"\*{1,2}(?P<a>[^*\n]{2,300}?)\*{1,2}|(?<![\w])_(?P<b>[^_\n]{2,300}?)_(?!\w)"
    r"|“(?P<c>[^”]{2,300}?)”|\"(?P<d>[^\"\n]{2,300}?)\""
)
LOCATOR_RE = lazy(
    r"(?:pp?\.|at|paras?\.?|¶+|§+|chap\.|ch\.)[ \t]*[\dxivlcm]+(?:[ \t]*[-–,][ \t]*\d+)*"
    r"(?:[ \t]+and[ \t]+\d+)?",
    re.IGNORECASE,
)
_CASE_NAME = lazy(r"\b[A-Z][\w.'&-]*[ \t]+v\.[ \t]+[A-Z]")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "on",
        "in",
        "to",
        "at",
        "by",
        "with",
        "from",
        "ed",
        "eds",
    ]
)

_WORD_RE = lazy(r"[a-z0-9]+")

Locate = Callable[[int], Span]


class Piece:
    """One semicolon-separated part of a note's text, as offsets."""

    __slots__ = ("end", "start")

    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


def read_citations(
    text: str, locate: Locate, links: Sequence[FoundUrl] = (), *, schemeless: bool = True
) -> list[Citation]:
    """The citations of one note. `locate` maps an offset in `text` to its place in the file.

    `links` are the targets of hyperlinks a structured reader found in the note (HTML
    `<a href>`, Word hyperlinks), each spanning its link text: a URL written inside a link's
    text gives way to the link's target, which is what a reader following it reaches (the
    text may be a title, or a URL shortened for display). With `schemeless` false, an
    address written without http(s):// is not taken for a URL (on a page that links every
    source it cites, "www.example.com" in plain text is a website's name)."""
    urls = find_urls(text)
    if not schemeless:
        urls = [u for u in urls if text[u.start:u.start + 4].lower() == "http"]
    if links:
        urls = _with_links(urls, links)
    pieces = _split(text, urls)
    if len(pieces) == 1:
        return [_citation(text, pieces[0], urls, locate)]
    return [
        _citation(text, piece, [u for u in urls if piece.start <= u.start < piece.end], locate)
        for piece in pieces
    ]


def _with_links(urls: list[FoundUrl], links: Sequence[FoundUrl]) -> list[FoundUrl]:
    kept = [
        u for u in urls
        if not any(link.start <= u.start < max(link.end, link.start + 1) for link in links)
    ]
    return sorted([*kept, *links], key=lambda u: u.start)


def _split(text: str, urls: list[FoundUrl]) -> list[Piece]:
    """Split at semicolons outside brackets, quotes and URLs; merge pieces that are not
    sources of their own back into the one before."""
    if ";" not in text:
        return [Piece(0, len(text))]
    cuts = []
    depth = 0
    in_quote = False
    url_at = {u.start: u.end for u in urls}
    i = 0
    while i < len(text):
        skip_to = url_at.get(i, i)
        if skip_to > i:
            i = skip_to
            continue
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        elif ch == "“":
            in_quote = True
        elif ch == "”":
            in_quote = False
        elif ch == ";" and depth == 0 and not in_quote:
            cuts.append(i)
        i += 1
    bounds = [0, *[c + 1 for c in cuts], len(text) + 1]
    pieces = [Piece(bounds[k], bounds[k + 1] - 1) for k in range(len(bounds) - 1)]
    merged: list[Piece] = []
    for p in pieces:
        chunk = text[p.start : p.end]
        if not chunk.strip():
            continue
        if merged and not _is_source(chunk, any(p.start <= u.start < p.end for u in urls)):
            merged[-1] = Piece(merged[-1].start, p.end)
        else:
            merged.append(p)
    if len(merged) > 1 and not _is_source(
        text[merged[0].start : merged[0].end],
        any(merged[0].start <= u.start < merged[0].end for u in urls),
    ):
        merged[0:2] = [Piece(merged[0].start, merged[1].end)]
    return merged or [Piece(0, len(text))]


def _is_source(chunk: str, has_url: bool) -> bool:
    body = SIGNALS.sub("", chunk.strip())
    return (
        has_url
        or bool(IBID_RE.match(body) or ID_RE.match(body) or SUPRA_RE.search(body))
        or TITLE_RE.search(body) is not None
        or bool(find_dates(body, years=True))
        or _CASE_NAME.search(body) is not None
    )


def _citation(text: str, piece: Piece, urls: list[FoundUrl], locate: Locate) -> Citation:
    raw = text[piece.start : piece.end]
    lead = len(raw) - len(raw.lstrip())
    body_start = piece.start + lead
    body = raw.strip()
    signal = SIGNALS.match(body)
    if signal:
        body = body[signal.end() :]
        body_start += signal.end()
    span = locate(body_start)
    url_refs = tuple(UrlRef(u.url, locate(u.start)) for u in urls)
    masked = _mask(text, piece, urls)
    found = find_access_dates(masked)
    access = [
        AccessDate(" ".join(d.text.split()), locate(piece.start + d.start), d.date, d.precision,
                   d.problem)
        for d in found
    ]
    if found:
        masked = _blank(masked, [(d.start, d.end) for d in found])
    kind, supra_note, author, locator = _kind(body)
    title_match = TITLE_RE.search(body) if kind in (NoteKind.FULL, NoteKind.SUPRA) else None
    title = _title(title_match)
    if kind is NoteKind.FULL:
        author = _author(body, title_match)
        # A pin cite matters for sources read by page (books, short forms); for a web
        # source with a URL it is left out, which saves a tenth of the parse time.
        locator = None if url_refs else _locator(body)
    if "rchived" in masked:
        masked = _without_archive_dates(masked)
    source_date, precision = _source_date(masked)
    here = HEREINAFTER_RE.search(body) if "ereinafter" in body else None
    return Citation(
        text=" ".join(body.split()),
        span=span,
        kind=kind,
        urls=url_refs,
        accessed=tuple(access),
        author=author,
        title=title,
        locator=locator,
        source_date=source_date,
        source_date_precision=precision,
        supra_note=supra_note,
        hereinafter=" ".join(here.group("name").split()) if here else None,
    )


_ARCHIVED = lazy(r"\barchived\b", re.IGNORECASE)


def _without_archive_dates(masked: str) -> str:
    """Blank the date of "archived (from the original) on 3 March 2016": the day a copy was
    made is not the source's own date (D303 compared access dates with it)."""
    spans = []
    for m in _ARCHIVED.finditer(masked):
        window = masked[m.end():m.end() + 300]
        found = find_dates(window)
        if found:
            d = found[0]
            spans.append((m.end() + d.start, m.end() + d.end))
    return _blank(masked, spans) if spans else masked


def _mask(text: str, piece: Piece, urls: list[FoundUrl]) -> str:
    """The piece with its URLs blanked out, so a date-like run inside a URL is no date."""
    chunk = text[piece.start : piece.end]
    return _blank(chunk, [(u.start - piece.start, u.end - piece.start) for u in urls])


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each (start, end) span replaced by spaces, built in one pass."""
    if not spans:
        return text
    parts, at = [], 0
    for a, b in sorted(spans):
        a, b = max(a, at), min(b, len(text))
        if a >= b:
            continue
        parts += [text[at:a], " " * (b - a)]
        at = b
    parts.append(text[at:])
    return "".join(parts)


def _kind(body: str) -> tuple[NoteKind, int | None, str | None, str | None]:
    m = IBID_RE.match(body)
    if m:
        return NoteKind.IBID, None, None, _rest_locator(body[m.end() :])
    m = ID_RE.match(body)
    if m:
        return NoteKind.ID, None, None, _rest_locator(body[m.end() :])
    m = SUPRA_RE.search(body) if "upra" in body else None
    if m and not m.group("n") and _CROSS_REF.match(body, m.end()):
        m = None  # "See supra “Case Law on …”", "supra Part II": this document, not a source
    if m and not m.group("n") and not body[: m.start()].rstrip(" \t\n*_").endswith(","):
        m = None  # "as discussed supra, the City was not": prose pointing back, not a source
    if m is None and "(n" in body:
        m = OSCOLA_RE.search(body, 0, 200)
    if m and m.start() < 200:
        n = int(m.group("n")) if m.group("n") else None
        author = body[: m.start()].strip().strip(",*_ ").strip()
        return NoteKind.SUPRA, n, author or None, _rest_locator(body[m.end() :])
    return NoteKind.FULL, None, None, None


def _rest_locator(rest: str) -> str | None:
    rest = rest.strip().lstrip(",").strip().rstrip(".").strip()
    return rest or None


def _title(m: re.Match[str] | None) -> str | None:
    if not m:
        return None
    title = next(g for g in m.groups() if g is not None)
    return " ".join(title.strip(" ,.").split()) or None


def _author(body: str, m: re.Match[str] | None) -> str | None:
    """The text before the title, or before the first comma: who wrote or issued it."""
    if m:
        before = body[: m.start()].strip().rstrip(",:").strip()
        return before or None
    head = body.split(",", 1)[0].strip()
    return head if 0 < len(head.split()) <= 12 else None


def find_locator(text: str) -> str | None:
    """The pin cite of a citation's text ("p. 9", "pp. 19 and 20", "at 110"), if any. A full
    citation with a URL is parsed without one (Citation.locator); a quotation check needs it."""
    return _locator(text)


def _locator(body: str) -> str | None:
    """The last pin cite ("p. 9", "pp. 19 and 20", "at 110"), tried only where one of its
    words stands: a case-insensitive pattern scanning the whole note costs 6x more."""
    at = max(
        body.rfind("pp."),
        body.rfind(" at ") + 1,
        body.rfind("para"),
        body.rfind("§"),
        body.rfind("¶"),
        body.rfind("ch."),
        body.rfind("P."),
    )
    single = body.rfind("p.")
    if single > at and not body[single - 1 : single].isalpha():
        at = single
    if at < 0:
        return None
    m = LOCATOR_RE.match(body, at)
    return m.group() if m else None


_AS_OF = lazy(r"\bas[ \t\n]+of[ \t\n]*$", re.IGNORECASE)


def _source_date(masked: str) -> tuple[dt.date | None, str]:
    """The earliest date the citation gives for the source itself. The earliest, because a
    citation may also say "updated …": D303 should fire only when the access date precedes
    every date the source claims. A date after "as of" states when something held, not when
    the source appeared."""
    best: tuple[dt.date, str] | None = None
    titles: list[tuple[int, int]] | None = None
    for d in find_dates(masked, years=True):
        if d.date is None or (best is not None and d.date >= best[0]):
            continue
        if _AS_OF.search(masked, max(0, d.start - 8), d.start):
            continue  # "As of April 14, 2026, the ISA had …": the author's day, not the source's
        if d.precision == "year":
            if titles is None:
                titles = [(t.start(), t.end()) for t in TITLE_RE.finditer(masked)]
            if any(a <= d.start < b for a, b in titles):
                continue  # a year in a title ("Vision 2050") is not the source's date
        best = (d.date, d.precision)
    return (best[0], best[1]) if best else (None, "day")


def words(text: str | None) -> list[str]:
    """Lower-case significant words, for matching authors and titles."""
    if not text:
        return []
    return [w for w in _WORD_RE.findall(text.lower()) if w not in _STOP]
