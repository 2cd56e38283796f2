"""The page structure of extracted text: where the notes section starts, and which lines are
page-break debris (running headers, footers, page numbers, boilerplate) rather than text.

Text extracted from a PDF interleaves each page's header and footer with the prose, often in
the middle of a sentence or of a note. Such lines are recognised by shape (a bare page
number, "Page 3 of 9", "Title | Publisher") or by repetition (the same short line on several
pages, page numbers aside), and are skipped, so they break neither sentences, notes nor URLs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from citecheck.lazyre import lazy
from citecheck.parse.dates import find_dates

HEADING_RE = lazy(
    r"^[ \t\f]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*"
    r"(?P<name>end[ \t-]?notes|notes(?:[ \t]+and[ \t]+(?:references|sources))?|foot[ \t-]?notes"
    r"|references|sources|works[ \t]+cited|citations|bibliography)"
    r"[ \t]*(?:\*\*|__)?[ \t]*:?[ \t]*$",
    re.IGNORECASE,
)
PAGE_NUMBER_RE = lazy(
    r"^[ \t\f]*(?:page[ \t]+)?(?:[-–—][ \t]*)?\d{1,5}(?:[ \t]*[-–—])?(?:[ \t]+of[ \t]+\d{1,5})?"
    r"[ \t\f]*$",
    re.IGNORECASE,
)
BARE_NUMBER_RE = lazy(r"^[ \t\f]*(\d{1,5})\.?[ \t\f]*$")
_PIPE_FOOTER = lazy(r"^[^|]{2,}(?:[ \t]\|[ \t][^|]+){1,}$")
_NOTE_LIKE = lazy(r"^[ \t]*(?:\d{1,5}[.)]|\[\d{1,5}\]|\(\d{1,5}\)|\[\^[^\]]+\]:)[ \t]")
_CITES = lazy(r"\[\d{1,4}\]$|[.,;:!?”\"’)][⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4}$")
_BACKREF_WORDS = lazy(
    r"\b(?:ibid|id\.|supra|op\.? cit|accessed|visited|retrieved|viewed)|https?:|www\.",
    re.IGNORECASE,
)
"""Words of a citation: a line repeated with them ('(accessed April 5, 2024).') is part of
two notes, not a running header."""
_EDGE_CHARS = "0123456789 \t\f|-–—·•.,:;()[]/\\#*_\"'“”‘’"
"""Page numbers and the punctuation around them, stripped from both ends of a running
header (str.strip: a regular expression here cost a tenth of the parse time)."""
_FOOTNOTE_CITE = lazy(r"\d{1,4}[ \t]*(?:[A-Z“\"‘(]|\d{1,3}[ \t]+[A-Z])[^|]*[a-z.]")
"""A footnote as extracted text shows it: its number, then a citation in mixed case
("14 UNCLOS Article 156."); a running header with a page number is in capitals or has a
bar ("12 | Policy Brief")."""
_LAW_REVIEW_HEAD = lazy(
    r"\d{1,4}[ \t]+[A-Z][A-Z .,&'’:-]+\[Vol\.[ \t]*\d+(?::\d+)?\]?$"
    r"|(?:19|20)\d\d\][ \t]+[A-Z][A-Z .,&'’:;-]+[ \t]\d{1,4}$"
)
"""A law review's running heads, even when they appear once: "410 STATE LAW REVIEW [Vol.
58:409" on the left-hand page, "2024] DRONES OVER THE FENCE 411" on the right."""
_GLUE = frozenset(".,;:!?)”\"’'")
_DATE_LINE = lazy(r"^[ \t]*(?:(?:published|date|dated|updated|issued)[ \t]*:?[ \t]*)?",
                        re.IGNORECASE)


def is_heading(line: str) -> bool:
    return HEADING_RE.match(line) is not None


def find_debris(
    lines: list[str], notes_start: int, edges: set[int] | None = None
) -> list[bool]:
    """Flag each line that is page furniture rather than text.

    Bare numbers inside the notes section are left to the notes splitter, which knows
    whether a number alone on a line is the next note's number or a page number. When the
    page breaks are known (`edges`: the first and last lines of each page), a line is a
    running header or footer by repetition only there: a footnote repeated on two pages
    ("14 UNCLOS Article 156.") is text.
    """
    keys = [_repeat_key(line) for line in lines]
    counts = Counter(k for k in keys if k)
    in_body = {k for k in keys[:notes_start] if k and counts[k] >= 2}
    if edges:
        # A running head stands at the edge of most pages; a note repeated on two pages
        # ("Pub. L. No. 98-502.") that happens to end them both is text.
        at_edges = Counter(keys[i] for i in edges if i < len(keys) and keys[i])
        need = 2 if len(edges) < 24 else 3  # (up to 3 edge lines at each end of a page)
        in_body = {k for k in in_body if at_edges[k] >= need}
    furniture = {k for k in in_body if may_be_furniture(k)}
    flags = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            flags.append(False)
            continue
        if PAGE_NUMBER_RE.match(line) and not (i >= notes_start and BARE_NUMBER_RE.match(line)):
            flags.append(True)
            continue
        key = keys[i]
        # A running header appears on body pages too; a line repeated only among the notes
        # ("(accessed 5 April 2024).") is part of them.
        # A line that cites a note ("…fell.[3]", "…fell.³") is text, however alike its words
        # are to other lines': running heads cite nothing.
        repeated = key in furniture and (edges is None or i in edges) and not (
            _CITES.search(stripped[-12:]) if stripped[-1:] in "]⁰¹²³⁴⁵⁶⁷⁸⁹" else False)
        footer = (
            " | " in stripped
            and _PIPE_FOOTER.match(stripped) is not None
            and not stripped.startswith("|")
            and len(stripped) <= 200
            and "http" not in stripped
        )
        copyright_line = stripped.startswith(("©", "Copyright ©", "(c) ")) and len(stripped) < 200
        running_head = (
            stripped[:1].isdigit() or stripped.endswith(tuple("0123456789"))
        ) and _LAW_REVIEW_HEAD.match(stripped) is not None
        flags.append(repeated or footer or copyright_line or running_head)
    return flags


def _repeat_key(line: str) -> str:
    """A line's identity as a running header: page numbers at either end ignored. Its
    length is its words' (pdftotext -layout pads a footer's page number far right)."""
    stripped = " ".join(line.split())
    if len(stripped) < 4 or len(stripped) > 120 or _NOTE_LIKE.match(line):
        return ""
    if stripped[0].isdigit() and _FOOTNOTE_CITE.match(stripped):
        return ""  # "16 Carpenter, 585 U.S. at 310.": a footnote, however often repeated
    if stripped[-1].isdigit() and (stripped.rstrip("0123456789")[-1:] in _GLUE):
        return ""  # "broadband.96": a paragraph's last word and its note marker
    lowered = stripped.lower()
    if "page" in lowered:
        lowered = _PAGE_WORD.sub("", lowered)  # "Page 7   GAO-06-1046 Grants …"
    key = " ".join(lowered.strip(_EDGE_CHARS).split())
    return key if len(key) >= 4 else ""


_PAGE_WORD = re.compile(r"^page\s+(?:\d{1,4}|[ivxlc]{1,7})\b(?:\s+of\s+\d{1,4})?|"
                        r"\bpage\s+(?:\d{1,4}|[ivxlc]{1,7})(?:\s+of\s+\d{1,4})?$")
"""A page's number spelled with the word ("Page 7", "Page iii", "page 2 of 40")."""


def may_be_furniture(key: str) -> bool:
    """Headings and back-references repeat legitimately (two notes may read 'Ibid.')."""
    return not is_heading(key) and _BACKREF_WORDS.search(key) is None


def document_date(lines: list[str]) -> dt.date | None:
    """The brief's own date, when its first lines state one on a line of its own
    ("April 8, 2024", "Published: 2024-04-08")."""
    for line in lines[:40]:
        stripped = line.strip()
        if not stripped or len(stripped.split()) > 8:
            continue
        rest = stripped[_DATE_LINE.match(stripped).end():]  # type: ignore[union-attr]
        dates = find_dates(rest)
        if dates and dates[0].precision == "day" and dates[0].start == 0:
            return dates[0].date
    return None
