"""Which capture is "the page as the author read it": pure functions, no I/O.

Archives answer the capture closest to a date in *either* direction (DESIGN.md §6), and a
CDX listing holds every capture, good and bad. We enforce, as InternetArchiveBot does for
Wikipedia's `access-date`:

1. only captures of the cited resource (the same URL up to scheme, `www.`, default port,
   fragment and query-parameter order; a different query string is a different page);
2. only captures whose own recorded status is 200 (a capture of a 404 page is not the
   source); a revisit record with the digest of a 200 capture is that capture again;
3. the nearest capture on or before the access day, else the nearest after it;
4. without any date, the newest capture.

A capture later on the access day counts as "before": the date has day precision.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import unquote, urlsplit

from citecheck.archive.types import Capture

_TIMESTAMP = re.compile(r"(?<!\d)(\d{14})(?!\d)")
_REPLAYED = re.compile(r"/\d{14}(?:[a-z]{2}_)?/(.+)$")


def end_of_day(day: dt.date) -> dt.datetime:
    """The last second of `day`, UTC: a capture at or before it is "before the access date"."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.UTC)


def parse_timestamp(value: str) -> dt.datetime | None:
    """A Wayback timestamp (`YYYYMMDDhhmmss`, or a shorter prefix of one) as aware UTC."""
    digits = value.strip()
    if not digits.isdigit() or len(digits) < 4 or len(digits) > 14 or len(digits) % 2:
        return None
    digits = digits + "0101000000"[len(digits) - 4:] if len(digits) < 14 else digits
    try:
        return dt.datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def format_timestamp(when: dt.datetime | dt.date) -> str:
    """`YYYYMMDDhhmmss` for the Wayback APIs (a date means its last second)."""
    if not isinstance(when, dt.datetime):
        when = end_of_day(when)
    return when.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S")


def timestamp_in(url: str) -> dt.datetime | None:
    """The 14-digit capture time inside a replay URL (`/web/20240404123456/…`), if any."""
    found = _TIMESTAMP.search(urlsplit(url).path)
    return parse_timestamp(found.group(1)) if found else None


def original_in(url: str) -> str | None:
    """The captured URL inside a Wayback-style replay URL (`/web/20240404123456/<url>`)."""
    found = _REPLAYED.search(url)
    return found.group(1) if found else None


def resource_key(url: str) -> str:
    """A key equal for two spellings of one resource as archives index it (close to
    Wayback's SURT canonicalisation): no scheme, lower-case host without `www.`, no default
    port, no fragment, no trailing slash, %-escapes decoded, query parameters sorted."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
    except ValueError:  # an archive's answer we cannot read is no spelling of the cited URL
        return text
    host = (parts.hostname or "").lower().rstrip(".")
    host = host[4:] if host.startswith("www.") else host
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = unquote(parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = "&".join(sorted(q for q in unquote(parts.query).split("&") if q))
    return f"{netloc}{path}" + (f"?{query}" if query else "")


def without_fragment(url: str) -> str:
    """What to ask an archive for: archives never store the `#fragment`, which names a place
    in the page, not a page."""
    return url.split("#", 1)[0]


def usable(captures: Iterable[Capture], url: str) -> list[Capture]:
    """Captures of `url` whose recorded status is 200 (or not yet known), each copy once.

    Wayback lists a capture whose content did not change as a revisit (`statuscode` "-",
    read as status 0; mimetype `warc/revisit`) carrying the digest of the original capture:
    with that digest belonging to a 200 capture it is a 200 capture. Two listings of one
    moment with one digest (the http and https spellings, say) are one copy.
    """
    key = resource_key(url)
    same = [c for c in captures if not c.original or resource_key(c.original) == key]
    exact = without_fragment(url)
    # Of two listings of one capture, keep the cited spelling, then the https one.
    same.sort(key=lambda c: (c.original != exact, not c.original.startswith("https:")))
    good_digests = {c.digest for c in same if c.status == 200 and c.digest}
    seen: set[tuple[dt.datetime, str]] = set()
    kept: list[Capture] = []
    for c in same:
        revisit = c.status == 0 and c.digest is not None and c.digest in good_digests
        if c.status not in (200, None) and not revisit:
            continue
        ident = (c.timestamp, c.digest or c.url)
        if ident in seen:
            continue
        seen.add(ident)
        kept.append(replace(c, status=200) if revisit else c)
    return kept


def choose(captures: Iterable[Capture], url: str, target: dt.date | None) -> Capture | None:
    """The capture to cite for `url` read on `target`: nearest on or before, else nearest
    after; the newest when there is no target. None when no capture is usable."""
    candidates = usable(captures, url)
    if not candidates:
        return None
    exact = without_fragment(url)

    def spelling(c: Capture) -> tuple[bool, bool]:
        # Among captures of one moment, prefer the cited spelling, then https.
        return (c.original == exact, c.original.startswith("https:"))

    if target is None:
        return max(candidates, key=lambda c: (c.timestamp, spelling(c)))
    limit = end_of_day(target)
    before = [c for c in candidates if c.timestamp <= limit]
    if before:
        return max(before, key=lambda c: (c.timestamp, spelling(c)))
    return min(candidates, key=lambda c: (c.timestamp, tuple(not s for s in spelling(c))))


def is_before(capture: Capture, target: dt.date | None) -> bool:
    """Whether `capture` settles the search: on or before the target day (or any capture
    when there is no target — the caller then wants the newest, see `choose`)."""
    return target is not None and capture.timestamp <= end_of_day(target)
