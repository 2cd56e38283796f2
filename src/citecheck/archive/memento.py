"""Any Memento TimeGate (RFC 7089): datetime negotiation with `Accept-Datetime`.

`GET <timegate><original URL>` with `Accept-Datetime` (§2.1.1) is answered by a redirect to
the memento closest to that datetime, in either direction (§4.1.1), by the memento itself with
a `Memento-Datetime` (§4.1.2), or 404. The `Link` header (§2.2.1) may name more mementos with
their `datetime`: with the redirect target they are the candidates `choose.py` picks from, so
a capture before the access date wins even when the archive's "closest" is after it.

The chosen candidate is replayed (headers only, `confirm`) and must end in a 200. A replay
that redirects to another timestamp of the same page is followed (archives normalise
timestamps so); one to another page is the capture of a redirect, followed only to a page
that is not a login page or the home page; a 3xx without a recorded target is no snapshot.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import re
from collections.abc import Collection

from citecheck.archive.choose import (
    choose,
    end_of_day,
    original_in,
    resource_key,
    timestamp_in,
    without_fragment,
)
from citecheck.archive.http import ArchiveHttp, ArchiveUnavailable, host_of, location, snapshot_url
from citecheck.archive.types import Capture, SourceAnswer, State
from citecheck.net.classify import redirect_problem
from citecheck.net.facts import REDIRECTS

VERIFY = 3  # candidates fetched at most per look-up before giving up on this archive's list

REPLAY_HOPS = 4  # redirects followed at most when replaying a capture

_LINK = re.compile(r'<([^>]*)>((?:\s*;\s*[A-Za-z*-]+\s*=\s*(?:"[^"]*"|[^;,"]*))*)')
_PARAM = re.compile(r'([A-Za-z*-]+)\s*=\s*(?:"([^"]*)"|([^;,\s]*))')


def name_of(timegate: str) -> str:
    """How the archive is named in findings: its host."""
    return host_of(timegate) or timegate


def http_date(when: dt.datetime) -> str:
    """RFC 1123 (the form RFC 7089 §2.1.1 requires), always GMT."""
    return email.utils.format_datetime(when.astimezone(dt.UTC), usegmt=True)


def parse_http_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
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
    name, hosts = name_of(timegate), {host_of(timegate)}
    gate = timegate + without_fragment(url)
    when = end_of_day(target) if target is not None else dt.datetime.now(dt.UTC)
    try:
        answer = await http.get(gate, headers={"Accept-Datetime": http_date(when)}, limit=0)
        if answer.status in (404, 410):
            return SourceAnswer(name, State.MISSING)
        dated = {snapshot_url(uri, gate, hosts): d
                 for uri, rels, d in parse_links([answer.headers.get("link", "")])
                 if d is not None and "memento" in rels}
        candidates = [Capture(d, uri, "", None, None, name) for uri, d in dated.items()]
        loc = location(answer) if answer.status in REDIRECTS else None
        if loc is not None:
            loc = snapshot_url(loc, gate, hosts)
            stamp = dated.get(loc) or timestamp_in(loc)
            if stamp is None:  # when it was taken is learnt by replaying it
                checked = await confirm(http, Capture(when, loc, "", None, None, name), url,
                                        hosts)
                candidates += [checked] if checked is not None else []
            elif loc not in dated:
                candidates.append(Capture(stamp, loc, "", None, None, name))
        elif 200 <= answer.status < 300:
            stamp = parse_http_date(answer.headers.get("memento-datetime"))
            if stamp is None and not candidates:
                return SourceAnswer(name, State.UNAVAILABLE,
                                    detail="answer is not a Memento (no Memento-Datetime)")
            if stamp is not None:
                where = snapshot_url(answer.headers.get("content-location") or gate, gate,
                                     hosts)
                candidates.append(Capture(stamp, where, "", 200, None, name))
        else:
            return SourceAnswer(name, State.UNAVAILABLE,
                                detail=f"TimeGate answered HTTP {answer.status}")
        rejected: set[str] = set()
        for _ in range(VERIFY):
            pick = choose([c for c in candidates if c.url not in rejected], url, target)
            if pick is None:
                break
            checked = pick if pick.status == 200 else await confirm(http, pick, url, hosts)
            if checked is not None:
                return SourceAnswer(name, State.FOUND, checked)
            rejected.add(pick.url)
        return SourceAnswer(name, State.MISSING)
    except ArchiveUnavailable as exc:
        return SourceAnswer(name, State.UNAVAILABLE, detail=exc.detail)


async def confirm(
    http: ArchiveHttp, capture: Capture, cited: str, hosts: Collection[str]
) -> Capture | None:
    """`capture` as it replays (see the module docstring): a capture recorded with status
    200, dated by its Memento-Datetime, or None when it is no usable snapshot. Each replay
    redirect is an answer to judge (the same page, another, a login page), so the hops are
    asked one by one rather than followed."""
    url, page = capture.url, capture.original or cited
    for _ in range(REPLAY_HOPS):
        answer = await http.get(url, limit=0)
        if answer.status == 200:
            stamp = parse_http_date(answer.headers.get("memento-datetime"))
            # Still a capture of the cited page (one that redirected to where it now is).
            return dataclasses.replace(
                capture, url=url, status=200,
                timestamp=stamp or timestamp_in(url) or capture.timestamp,
            )
        target = location(answer) if answer.status in REDIRECTS else None
        if target is None:
            return None  # a captured error page, or a redirect recorded without its target
        url = snapshot_url(target, url, hosts)
        went = original_in(url)
        if went is not None and resource_key(went) != resource_key(page):
            if redirect_problem(page, went):
                return None  # it went to a login page or the home page: not the cited page
            page = went
    return None
