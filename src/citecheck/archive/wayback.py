"""The Wayback Machine: the availability API first, then the CDX API (status 200 only).

The availability API answers the capture closest to the timestamp in either direction, with
the status Wayback recorded: that settles the look-up only when it is a 200 taken on or before
the target day. Otherwise the CDX API lists captures with `filter=statuscode:200`, first up to
the target date (`to=`), then the first few after it (`from=`, `limit=`). `choose.py`
re-applies every rule to what comes back, so an archive that ignores a parameter, lists
non-200 captures or other query strings cannot mislead the choice.

Answers are distrusted: anything that is not the documented JSON, and any snapshot URL that
is not an http(s) URL on Wayback's own hosts, is ArchiveUnavailable (A504), never "no
capture". When every capture found recorded a redirect (a 3xx), the nearest is replayed and
followed where Wayback recorded it went (memento.confirm); only a 200 at its end is usable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Collection
from typing import Any
from urllib.parse import urlsplit

from citecheck.archive.choose import (
    choose,
    format_timestamp,
    is_before,
    original_in,
    parse_timestamp,
    timestamp_in,
    without_fragment,
)
from citecheck.archive.http import ArchiveHttp, ArchiveUnavailable, host_of, snapshot_url
from citecheck.archive.memento import confirm
from citecheck.archive.types import Capture, SourceAnswer, State
from citecheck.config import ArchiveConfig
from citecheck.net.facts import REDIRECTS, Fetched

NAME = "wayback"
CDX_FIELDS = ("timestamp", "original", "statuscode", "digest", "mimetype")
FULL_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
"""A CDX line's fields when `fl` is not honoured."""
AFTER_LIMIT = 10  # captures asked for after the target date: the first usable one is all we need


def hosts_of(config: ArchiveConfig) -> set[str]:
    """Where Wayback's snapshots may be: its replay host (and the API hosts beside it)."""
    urls = (replay_base(config), config.wayback_cdx, config.wayback_available)
    return {host_of(u) for u in urls if u} - {""}


def replay_base(config: ArchiveConfig) -> str:
    """Where a CDX capture is replayed: configured, else `/web/` on the CDX host."""
    if config.wayback_replay:
        return config.wayback_replay if config.wayback_replay.endswith("/") else (
            config.wayback_replay + "/")
    parts = urlsplit(config.wayback_cdx)
    return f"{parts.scheme}://{parts.netloc}/web/"


def _json(answer: Fetched, what: str) -> Any:
    if answer.status != 200:
        raise ArchiveUnavailable(f"{what} answered HTTP {answer.status}")
    if answer.truncated:
        raise ArchiveUnavailable(f"{what} answer too large")
    try:
        return json.loads(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ArchiveUnavailable(f"{what} answered malformed JSON") from None


def parse_available(answer: Fetched, hosts: Collection[str]) -> Capture | None:
    """The capture an availability answer names, or None when it names none."""
    data = _json(answer, "availability API")
    snapshots = data.get("archived_snapshots") if isinstance(data, dict) else None
    if not isinstance(snapshots, dict):
        raise ArchiveUnavailable("availability API answered JSON without archived_snapshots")
    closest = snapshots.get("closest")
    if closest is None or closest == {}:
        return None
    if not isinstance(closest, dict):
        raise ArchiveUnavailable("availability API answered a malformed capture")
    if closest.get("available") is False:
        return None
    url = snapshot_url(closest.get("url"), answer.final_url, hosts)
    when = parse_timestamp(str(closest.get("timestamp", ""))) or timestamp_in(url)
    if when is None:
        raise ArchiveUnavailable("availability API answered a capture without a time")
    # A capture without a recorded status is not known to be a 200: not usable as it stands.
    return Capture(when, _https(url), original_in(url) or "", _status(closest.get("status")) or 0,
                   None, NAME)


def _https(url: str) -> str:
    # The availability API answers http:// replay URLs for an https-only site.
    return "https://" + url[len("http://"):] if url.startswith("http://web.archive.org/") else url


def _status(value: object) -> int | None:
    text = str(value).strip()[:3] if value is not None else ""
    return int(text) if text.isascii() and text.isdigit() else (None if not text else 0)


def parse_cdx(answer: Fetched, replay: str, hosts: Collection[str] = ()) -> list[Capture]:
    """Captures from a CDX answer: `output=json` (a header row, then rows), or the plain
    space-separated lines a server sends when it ignores `output`."""
    if answer.status != 200:
        raise ArchiveUnavailable(f"CDX API answered HTTP {answer.status}")
    if answer.truncated:
        raise ArchiveUnavailable("CDX API answer too large")
    text = answer.body.decode("utf-8", "replace").strip()
    if not text:
        return []
    rows: list[list[str]]
    if text[0] in "[{":
        data = _json(answer, "CDX API")
        if not isinstance(data, list) or not all(
            isinstance(r, list) and all(isinstance(v, str | int | None) for v in r)
            for r in data
        ):
            raise ArchiveUnavailable("CDX API answered JSON that is not a list of rows")
        rows = [["" if v is None else str(v) for v in r] for r in data]
    else:
        rows = [line.split() for line in text.splitlines() if line.strip()]
        if any(len(r) not in (len(CDX_FIELDS), 7) for r in rows):
            raise ArchiveUnavailable("CDX API answered neither JSON nor CDX lines")
        rows = [_full_line(r) if len(r) == 7 else r for r in rows]
    if not rows:
        return []
    fields = list(CDX_FIELDS)
    if "timestamp" in rows[0] and parse_timestamp(rows[0][0]) is None:
        fields, rows = rows[0], rows[1:]
    elif rows and len(rows[0]) == len(FULL_FIELDS):
        fields = list(FULL_FIELDS)  # rows without a header, in the CDX server's own order
    index = {name: i for i, name in enumerate(fields)}
    if "timestamp" not in index or "original" not in index:
        raise ArchiveUnavailable("CDX API answered rows without timestamp or original")
    out: list[Capture] = []
    for row in rows:
        if len(row) != len(fields):
            raise ArchiveUnavailable("CDX API answered a row of the wrong length")
        when = parse_timestamp(row[index["timestamp"]])
        original = row[index["original"]]
        if when is None or not original:
            raise ArchiveUnavailable("CDX API answered a row without a readable timestamp")
        status = _status(row[index["statuscode"]]) if "statuscode" in index else 200
        digest = row[index["digest"]] or None if "digest" in index else None
        url = f"{replay}{row[index['timestamp']]}/{original}"
        if hosts:
            url = snapshot_url(url, replay, hosts)
        out.append(Capture(when, url, original, status, digest, NAME))
    return out


def _full_line(row: list[str]) -> list[str]:
    """A default CDX line (urlkey timestamp original mimetype statuscode digest length) in
    our field order."""
    _key, ts, original, mime, status, digest, _length = row
    return [ts, original, status, digest, mime]


async def lookup(
    http: ArchiveHttp, config: ArchiveConfig, url: str, target: dt.date | None
) -> SourceAnswer:
    """Wayback's best capture of `url` for `target`, or why there is none. "No capture"
    (MISSING) only when every answer was clean; a usable capture wins whatever else failed."""
    asked = without_fragment(url)
    hosts = hosts_of(config)
    known: list[Capture] = []
    problems: list[str] = []
    if config.wayback_available:
        params = {"url": asked}
        if target is not None:
            params["timestamp"] = format_timestamp(target)
        try:
            first = parse_available(await http.get(config.wayback_available, params=params),
                                    hosts)
            known += [first] if first is not None else []
        except ArchiveUnavailable as exc:
            problems.append(exc.detail)
    settled = choose(known, url, target)
    if settled is not None and (target is None or is_before(settled, target)):
        return SourceAnswer(NAME, State.FOUND, settled)
    if config.wayback_cdx:
        try:
            known += await _cdx(http, config, asked, url, target, hosts)
        except ArchiveUnavailable as exc:
            problems.append(exc.detail)
    try:
        chosen = choose(known, url, target) or await _redirected(http, known, url, target, hosts)
    except ArchiveUnavailable as exc:
        chosen, problems = None, [*problems, exc.detail]
    if chosen is not None:
        return SourceAnswer(NAME, State.FOUND, chosen)
    if problems:
        return SourceAnswer(NAME, State.UNAVAILABLE, detail="; ".join(problems))
    return SourceAnswer(NAME, State.MISSING)


async def _redirected(
    http: ArchiveHttp, captures: list[Capture], url: str, target: dt.date | None,
    hosts: Collection[str],
) -> Capture | None:
    """With no 200 capture: the nearest capture of a redirect, replayed and followed where
    Wayback recorded it went (memento.confirm), if that ends in a usable capture."""
    redirects = [dataclasses.replace(c, status=None) for c in captures if c.status in REDIRECTS]
    pick = choose(redirects, url, target)
    return None if pick is None else await confirm(http, pick, url, hosts)


async def _cdx(
    http: ArchiveHttp, config: ArchiveConfig, asked: str, url: str, target: dt.date | None,
    hosts: Collection[str],
) -> list[Capture]:
    replay = replay_base(config)
    params = {
        "url": asked, "output": "json", "fl": ",".join(CDX_FIELDS),
        "filter": "statuscode:200",
    }
    if target is None:
        return parse_cdx(await http.get(config.wayback_cdx, params=params), replay, hosts)
    upto = parse_cdx(
        await http.get(config.wayback_cdx, params={**params, "to": format_timestamp(target)}),
        replay, hosts,
    )
    chosen = choose(upto, url, target)
    if chosen is not None and is_before(chosen, target):
        return upto
    if any(not is_before(c, target) for c in upto):
        return upto  # the server ignored `to=` and listed everything: nothing more to ask
    after = parse_cdx(
        await http.get(config.wayback_cdx, params={
            **params, "from": format_timestamp(target), "limit": str(AFTER_LIMIT),
        }),
        replay, hosts,
    )
    return [*upto, *after]
