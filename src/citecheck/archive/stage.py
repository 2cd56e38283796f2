"""The archive stage: after the links are checked, find the snapshots and judge drift.

For each citation of a dead, soft-404, paywalled or blocked link, the snapshot nearest its
target date (the access date, else the brief's date, else the newest) is looked up: Wayback
first; then, unless Wayback found a capture on or before the date, each configured Memento
TimeGate. The best capture over all archives wins (`choose.py`): `found`, else `missing` only
when every archive answered, else `unavailable`. Live links cited with an access date are
compared with the snapshot nearest that date (drift.py, A503) when `ArchiveConfig.drift` is
on. All in the online stage's loop and client (online.py), within what is left of the run's
time budget: look-ups not done by then are `unavailable`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial

import httpx
from aiohttp.abc import AbstractResolver

from citecheck.archive import memento, store, wayback
from citecheck.archive.choose import choose
from citecheck.archive.cited import Key, wanted
from citecheck.archive.drift import compare
from citecheck.archive.http import ArchiveHttp, ArchiveUnavailable, host_of
from citecheck.archive.store import ArchiveStore
from citecheck.archive.types import Drift, Lookup, SourceAnswer, State
from citecheck.config import Config
from citecheck.model import Document, Finding, LinkResult
from citecheck.net import page as pages
from citecheck.net.checker import within
from citecheck.net.http import Http, Policy, opened
from citecheck.rules import archives as rules

_REPLAY_STAMP = re.compile(r"(/\d{14})(/)")


@dataclass(frozen=True)
class ArchiveOutcome:
    """Every result given (`archive` filled where a snapshot was found), A-findings per
    document, the look-ups, the drift comparisons, requests sent to archives, and why
    archives could not be consulted for some links (the A504's words), if so."""

    results: dict[str, LinkResult]
    findings: list[list[Finding]]
    lookups: dict[Key, Lookup] = dataclasses.field(default_factory=dict)
    drifts: dict[Key, Drift] = dataclasses.field(default_factory=dict)
    requests: int = 0
    problem: str | None = None


def raw_replay(url: str) -> str:
    """The capture as it was served, without the archive's toolbar and rewritten links:
    Wayback's `id_` flag after the timestamp. Unchanged for URLs without a timestamp."""
    return _REPLAY_STAMP.sub(r"\1id_\2", url, count=1)


def _configured(config: Config) -> bool:
    a = config.archive
    return a.enabled and bool(a.wayback_available or a.wayback_cdx or a.timegates)


class _Stage:
    def __init__(self, http: Http, config: Config, cache: ArchiveStore | None) -> None:
        a = config.archive
        self.config = config
        self.hosts = wayback.hosts_of(a) | {host_of(g) for g in a.timegates}
        self.archives = ArchiveHttp(http, config, self.hosts)
        self.http = http
        self.cache = cache

    async def _source(
        self, endpoint: str, url: str, target: dt.date | None,
        ask: Callable[[], Awaitable[SourceAnswer]],
    ) -> SourceAnswer:
        k = store.key(endpoint, url, target)
        if self.cache is not None:
            kept = self.cache.get(k, self.hosts)
            if kept is not None:
                return kept
        answer = await ask()
        if self.cache is not None:
            self.cache.put(k, answer, newest=target is None)
        return answer

    async def lookup(self, url: str, target: dt.date | None) -> Lookup:
        a = self.config.archive
        answers: list[SourceAnswer] = []

        def settled() -> bool:
            return any(
                x.state is State.FOUND and x.capture is not None and target is not None
                and x.capture.timestamp.date() <= target for x in answers
            )

        if a.wayback_available or a.wayback_cdx:
            answers.append(await self._source(
                f"wayback {a.wayback_available} {a.wayback_cdx}", url, target,
                lambda: wayback.lookup(self.archives, a, url, target),
            ))
        for gate in a.timegates:
            if settled():
                break
            answers.append(await self._source(
                f"timegate {gate}", url, target,
                lambda gate=gate: memento.lookup(self.archives, gate, url, target),
            ))
        found = [x.capture for x in answers if x.state is State.FOUND and x.capture]
        best = choose(found, url, target)
        if best is not None:
            return Lookup(url, target, State.FOUND, best.snapshot(), tuple(answers))
        if any(x.state is State.UNAVAILABLE for x in answers):
            return Lookup(url, target, State.UNAVAILABLE, None, tuple(answers))
        return Lookup(url, target, State.MISSING, None, tuple(answers))

    async def drift(self, url: str, accessed: dt.date, lookup: Lookup) -> Drift | None:
        snap = lookup.snapshot
        window = self.config.archive.drift_window
        if snap is None or (window and abs((snap.timestamp.date() - accessed).days) > window):
            return None
        policy = replace(Policy.for_links(self.config), max_body=self.config.archive.max_answer)
        live = await self.http.fetch(url, policy)
        if (live.failure is not None or live.status != 200 or not live.body
                or not pages.is_textual(live.content_type)
                or pages.challenge(live.headers, live.body)):
            return None
        try:
            old = await self._replayed(raw_replay(snap.url))
            if old is None and raw_replay(snap.url) != snap.url:
                old = await self._replayed(snap.url)
        except ArchiveUnavailable:
            return None
        if not old:
            return None
        result = compare(old, live.body)
        verdict = result.drifted(self.config.archive.drift_threshold)
        if verdict is None:
            return None
        return Drift(url, snap, result.retained, verdict, result.words)

    async def _replayed(self, url: str) -> bytes | None:
        """The body of a snapshot, through the archive's own redirects (to the exact
        timestamp), or None when it does not replay as a 200 on the archive."""
        answer = await self.archives.get(url, follow=True)
        ok = answer.status == 200 and host_of(answer.final_url) in self.hosts
        return answer.body if ok else None


def _late(key: Key) -> Lookup:
    why = SourceAnswer("archives", State.UNAVAILABLE,
                       detail="the run's time budget (--max-time) ran out first")
    return Lookup(key[0], key[1], State.UNAVAILABLE, answers=(why,))


async def check_archives(
    documents: Sequence[Document],
    results: Mapping[str, LinkResult],
    config: Config,
    *,
    http: Http | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: AbstractResolver | None = None,
    until: float | None = None,
    keys: tuple[list[Key], list[Key]] | None = None,
) -> ArchiveOutcome:
    """Snapshots and drift for `documents` given their link `results`, through the run's
    `http` (online.py), else a client of its own over `transport` (respx in tests) or the
    network with `resolver` for DNS. `until`: the budget's end; `keys`: `wanted`'s, if asked."""
    out = dict(results)
    if not _configured(config):
        return ArchiveOutcome(out, [[] for _ in documents])
    broken, live = keys if keys is not None else wanted(documents, results, config.archive.drift)
    if not broken and not live:
        return ArchiveOutcome(out, [[] for _ in documents])
    if until is None:
        until = asyncio.get_running_loop().time() + config.max_time
    cache = ArchiveStore.open(config) if config.cache else None
    try:
        async with opened(config, http, transport=transport, resolver=resolver) as http:
            stage = _Stage(http, config, cache)
            keys = broken + live
            lookups = await within({k: partial(stage.lookup, *k) for k in keys}, until, _late)
            checked = await within(
                {k: partial(stage.drift, k[0], k[1], lookups[k]) for k in live if k[1]},
                until, lambda k: None,
            )
            drifts = {k: d for k, d in checked.items() if d is not None}
            requests = stage.archives.requests
    finally:
        if cache is not None:
            cache.close()
    # The snapshot found for a broken link, else the one a live link has drifted from.
    offered = [(u, x.snapshot, True) for (u, _), x in lookups.items() if x.snapshot]
    offered += [(u, d.snapshot, False) for (u, _), d in drifts.items() if d.drifted]
    for url, snapshot, for_broken in offered:
        result = out.get(url)
        if result is not None and result.archive is None and (
                result.verdict.is_broken or not for_broken):
            out[url] = replace(result, archive=snapshot)
    findings = [rules.check(doc, out, lookups, drifts) for doc in documents]
    unavailable = rules.unavailable(documents, out, lookups)
    if unavailable is not None:
        findings[unavailable[0]].append(unavailable[1])
    return ArchiveOutcome(out, findings, lookups, drifts, requests,
                          problem=unavailable[1].message if unavailable else None)
