"""Any Memento TimeGate (RFC 7089): datetime negotiation with `Accept-Datetime`.

`GET <timegate><original URL>` with `Accept-Datetime: <RFC 1123 date>` (§2.1.1) is answered
by a redirect to the memento closest to that datetime — in either direction, the RFC leaves
"closest" to the archive — (§4.1.1, "302-style"), or by the memento itself with a
`Memento-Datetime` header (§4.1.2, "200-style"), or 404 when the archive holds none. The
`Link` header (§2.2.1) may name more mementos with their `datetime` (rel `memento`, `first
memento`, `prev memento`, `next memento`, `last memento`): with the redirect target they are
the candidates `choose.py` picks from, so a capture before the access date is preferred even
when the archive's "closest" is after it.

A candidate's own status is not in the negotiation; the chosen one is fetched (headers only)
and must end, after in-archive redirects, in a 200 — a memento of a 404 page is not the page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import re
from urllib.parse import urljoin, urlsplit

from citecheck.archive.choose import choose, end_of_day, timestamp_in, without_fragment
from citecheck.archive.http import REDIRECTS, ArchiveHttp, ArchiveUnavailable
from citecheck.archive.types import Capture, SourceAnswer, State

VERIFY = 3
"""Candidates fetched at most per look-up before giving up on this archive's list."""

_LINK = re.compile(r'<([^>]*)>((?:\s*;\s*[A-Za-z*-]+\s*=\s*(?:"[^"]*"|[^;,]*))*)')
_PARAM = re.compile(r'([A-Za-z*-]+)\s*=\s*(?:"([^"]*)"|([^;,\s]*))')


def name_of(timegate: str) -> str:
    """How the archive is named in findings: its host."""
    return urlsplit(timegate).hostname or timegate


def http_date(when: dt.datetime) -> str:
    """RFC 1123 (the form RFC 7089 §2.1.1 requires), always GMT."""
    return email.utils.format_datetime(when.astimezone(dt.UTC), usegmt=True)


def parse_http_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def parse_links(values: list[str]) -> list[tuple[str, set[str], dt.datetime | None]]:
    """(URI, rel values, datetime) for every entry of the Link headers (RFC 8288 syntax; a
    quoted `datetime` contains a comma, so the header is not split on commas)."""
    out = []
    for value in values:
        for m in _LINK.finditer(value):
            params: dict[str, str] = {}
            for p in _PARAM.finditer(m.group(2)):
                params[p.group(1).lower()] = p.group(2) if p.group(2) is not None else p.group(3)
            rels = set(params.get("rel", "").lower().split())
            out.append((m.group(1).strip(), rels, parse_http_date(params.get("datetime"))))
    return out


async def lookup(
    http: ArchiveHttp, timegate: str, url: str, target: dt.date | None
) -> SourceAnswer:
    """The memento of `url` nearest `target` at one TimeGate, or why there is none."""
    name = name_of(timegate)
    gate = timegate + without_fragment(url)
    when = end_of_day(target) if target is not None else dt.datetime.now(dt.UTC)
    try:
        answer = await http.get(gate, headers={"Accept-Datetime": http_date(when)}, limit=0)
    except ArchiveUnavailable as exc:
        return SourceAnswer(name, State.UNAVAILABLE, detail=exc.detail)
    if answer.status in (404, 410):
        return SourceAnswer(name, State.MISSING)
    links = parse_links(answer.headers.get_list("link"))
    dated = {uri: d for uri, rels, d in links if d is not None and "memento" in rels}
    candidates = [
        Capture(d, urljoin(gate, uri), "", None, None, name) for uri, d in dated.items()
    ]
    location = answer.headers.get("location")
    if answer.status in REDIRECTS and location:
        loc = urljoin(gate, location.strip())
        stamp = dated.get(location.strip()) or timestamp_in(loc)
        if stamp is None:
            try:
                checked = await _verify(http, Capture(when, loc, "", None, None, name))
            except ArchiveUnavailable as exc:
                return SourceAnswer(name, State.UNAVAILABLE, detail=exc.detail)
            if checked is not None:
                candidates.append(checked)
        elif not any(c.url == loc for c in candidates):
            candidates.append(Capture(stamp, loc, "", None, None, name))
    elif 200 <= answer.status < 300:
        stamp = parse_http_date(answer.headers.get("memento-datetime"))
        if stamp is None and not candidates:
            return SourceAnswer(name, State.UNAVAILABLE,
                                detail="answer is not a Memento (no Memento-Datetime)")
        if stamp is not None:
            where = urljoin(gate, answer.headers.get("content-location") or gate)
            candidates.append(Capture(stamp, where, "", 200, None, name))
    else:
        detail = f"TimeGate answered HTTP {answer.status}"
        return SourceAnswer(name, State.UNAVAILABLE, detail=detail)
    rejected: set[str] = set()
    for _ in range(VERIFY):
        pick = choose([c for c in candidates if c.url not in rejected], url, target)
        if pick is None:
            return SourceAnswer(name, State.MISSING)
        if pick.status == 200:
            return SourceAnswer(name, State.FOUND, pick)
        try:
            checked = await _verify(http, pick)
        except ArchiveUnavailable as exc:
            return SourceAnswer(name, State.UNAVAILABLE, detail=exc.detail)
        if checked is not None:
            return SourceAnswer(name, State.FOUND, checked)
        rejected.add(pick.url)
    return SourceAnswer(name, State.MISSING)


async def _verify(http: ArchiveHttp, candidate: Capture) -> Capture | None:
    """`candidate` with its status confirmed 200 (and its time from Memento-Datetime), or
    None when the memento is a capture of an error page.

    A memento answering 4xx/5xx *with* a Memento-Datetime is the archive replaying the error
    it captured: not the source. One answering without it is not speaking Memento at all
    (a replay path the archive does not serve, say): the TimeGate's word stands, and the
    capture is kept with its status unknown (None) rather than turned into "no capture"."""
    answer = await http.follow(candidate.url, limit=0)
    stamp = parse_http_date(answer.headers.get("memento-datetime"))
    if answer.status != 200:
        if stamp is not None or answer.status in (301, 302, 303, 307, 308):
            return None
        return dataclasses.replace(candidate, status=None)
    stamp = stamp or timestamp_in(answer.url) or candidate.timestamp
    return dataclasses.replace(candidate, url=answer.url, timestamp=stamp, status=200)
