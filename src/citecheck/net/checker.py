"""Check a set of unique URLs: the one concurrent part of citecheck.

    URL -> pre-check (syntax, scheme, excluded, private literal) -> cache -> fetch (fetch.py)
        -> [probe a random path if the page looks generic] -> classify (classify.py)
        -> LinkResult
    all results -> network down? (netcheck.py) -> failure history -> cache

Every URL is one task; limits.py decides how many run at once and where. Nothing raises out
of a task: a link that could not be checked is a LinkResult with a verdict.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx
from aiohttp.abc import AbstractResolver

from citecheck.config import Config
from citecheck.errors import InputError
from citecheck.model import LinkResult, Verdict
from citecheck.net import netcheck
from citecheck.net.cache import LinkCache, fresh, with_history
from citecheck.net.classify import Classified, classify, wants_probe
from citecheck.net.facts import Fetched, clean
from citecheck.net.fetch import Fetcher
from citecheck.net.limits import Limits
from citecheck.net.page import Page
from citecheck.net.safety import host_problem
from citecheck.net.transport import open_client

_HOST = re.compile(rb"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?")
"""A host name after IDNA encoding (underscores occur in real names, if not in RFC 1123)."""

OnResult = Callable[[str, LinkResult], None]


@dataclass(frozen=True)
class CheckOutcome:
    results: dict[str, LinkResult]
    network_down: bool = False
    notice: str | None = None
    requests: int = 0
    """URLs fetched over the network in this run (not from the cache, not skipped)."""


def precheck(
    url: str, config: Config, exclude: Sequence[re.Pattern[str]]
) -> LinkResult | httpx.URL:
    """The URL parsed for fetching, or the result for a URL that must not or cannot be
    fetched, decided without the network."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        return LinkResult(url, Verdict.SKIPPED, detail=clean(f"invalid URL: {exc}"),
                          reason="invalid-url")
    if parsed.scheme not in ("http", "https"):
        return LinkResult(url, Verdict.SKIPPED, detail=f"unsupported scheme {parsed.scheme}:",
                          reason="unsupported-scheme")
    if not parsed.host:
        return LinkResult(url, Verdict.SKIPPED, detail="URL has no host", reason="invalid-url")
    if not _HOST.fullmatch(parsed.raw_host) and ":" not in parsed.host:
        return LinkResult(url, Verdict.SKIPPED, detail=clean(f"invalid host {parsed.host!r}"),
                          reason="invalid-url")
    if any(p.search(url) for p in exclude):
        return LinkResult(url, Verdict.SKIPPED, detail="excluded by configuration",
                          reason="excluded")
    if not config.allow_private:
        problem = host_problem(parsed.host)
        if problem:
            return LinkResult(
                url, Verdict.SKIPPED, detail=f"{problem} address: not fetched",
                reason="private-address",
            )
    return parsed


def _result(fetched: Fetched, verdict: Classified, now: dt.datetime) -> LinkResult:
    return LinkResult(
        fetched.url, verdict.verdict, fetched.status, fetched.final_url, fetched.chain,
        round(fetched.elapsed, 4), verdict.detail, checked_at=now, reason=verdict.reason,
    )


class _Run:
    """One run's shared state: the fetcher, and the soft-404 probes already made per site."""

    def __init__(
        self, fetcher: Fetcher, config: Config, on_result: OnResult | None, now: dt.datetime
    ) -> None:
        self.fetcher = fetcher
        self.config = config
        self.on_result = on_result
        self.probes: dict[str, asyncio.Task[Fetched]] = {}
        self.now = now

    async def check(self, url: str, parsed: httpx.URL) -> LinkResult:
        try:
            result = await self._check(url, parsed)
        except Exception as exc:  # a bug must cost one link, not the run
            result = LinkResult(url, Verdict.ERROR, detail=clean(f"internal error: {exc!r}"),
                                reason="internal-error", checked_at=self.now)
        if self.on_result is not None:
            self.on_result(url, result)
        return result

    async def _check(self, url: str, parsed: httpx.URL) -> LinkResult:
        fetched = await self.fetcher.fetch(parsed, url)
        page = Page(fetched.body, fetched.content_type)
        verdict = classify(fetched, self.config, page=page)
        if wants_probe(fetched, verdict, page):
            probe = await self._probe(httpx.URL(fetched.final_url))
            verdict = classify(fetched, self.config, probe, page)
        return _result(fetched, verdict, self.now)

    def _probe(self, final: httpx.URL) -> asyncio.Task[Fetched]:
        """A random path beside the page, fetched once per directory (Bar-Yossef et al.)."""
        directory = final.path.rsplit("/", 1)[0]
        key = f"{final.scheme}://{final.netloc.decode('ascii', 'replace')}{directory}"
        task = self.probes.get(key)
        if task is None:
            junk = final.copy_with(
                path=f"{directory}/citecheck-{secrets.token_hex(8)}", query=None, fragment=None
            )
            task = asyncio.ensure_future(self.fetcher.follow(junk, "GET"))
            self.probes[key] = task
        return task


async def check_urls(
    urls: Sequence[str],
    config: Config,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: AbstractResolver | None = None,
    on_result: OnResult | None = None,
) -> CheckOutcome:
    """Check every URL in `urls` (unique) and return one LinkResult per URL.

    `transport` replaces the network (respx in tests); `resolver` replaces DNS only, and is
    also what the network-down probe uses. With a `transport` injected there is no real
    network to judge, so "network down" is never decided (and no probe leaves the machine).
    """
    urls = list(dict.fromkeys(urls))
    try:
        exclude = [re.compile(p) for p in config.exclude]
    except re.error as exc:
        raise InputError(f"invalid exclude pattern: {exc}") from None
    results: dict[str, LinkResult] = {}
    parsed: dict[str, httpx.URL] = {}
    for url in urls:
        admitted = precheck(url, config, exclude)
        if isinstance(admitted, LinkResult):
            results[url] = admitted
        else:
            parsed[url] = admitted
    todo = list(parsed)

    cache = LinkCache.open(config) if config.cache else None
    stored = cache.load(todo) if cache is not None else {}
    now = dt.datetime.now(dt.UTC)
    remaining = []
    for url in todo:
        previous, same_settings = stored.get(url, (None, False))
        if previous is not None and same_settings and fresh(previous, now, config.cache_ttl):
            results[url] = previous
            if on_result is not None:
                on_result(url, previous)
        else:
            remaining.append(url)

    down = False
    if remaining:
        limits = Limits(config.max_concurrency, config.host_concurrency,
                        config.host_interval / 1000)
        async with open_client(config, transport=transport, resolver=resolver) as opened:
            run = _Run(Fetcher(*opened, config, limits), config, on_result, now)
            checked = await asyncio.gather(*(run.check(u, parsed[u]) for u in remaining))
            for task in run.probes.values():
                task.cancel()
        fetched_now = dict(zip(remaining, checked, strict=True))
        if transport is None and netcheck.suspect_down(fetched_now.values()):
            down = not await _probe_network(config, resolver)
        if down:
            fetched_now = {
                url: _not_checked(r) if r.reason in netcheck.NETWORK_REASONS else r
                for url, r in fetched_now.items()
            }
        else:
            fetched_now = {
                url: with_history(r, stored.get(url, (None, False))[0], now)
                for url, r in fetched_now.items()
            }
            if cache is not None:
                cache.store(fetched_now.values())
        results.update(fetched_now)
    if cache is not None:
        cache.close()

    ordered = {url: results[url] for url in urls}
    notice = None
    if down:
        probes = ", ".join(t.rsplit(":", 1)[0] for t in config.network_probe)
        notice = netcheck.NOTICE.format(probes=probes)
    return CheckOutcome(ordered, network_down=down, notice=notice, requests=len(remaining))


def _not_checked(r: LinkResult) -> LinkResult:
    return LinkResult(r.url, Verdict.SKIPPED, detail="not checked: network unreachable",
                      reason="network-down")


async def _probe_network(config: Config, resolver: AbstractResolver | None) -> bool:
    from aiohttp.resolver import ThreadedResolver

    base = resolver or ThreadedResolver()
    try:
        return await netcheck.reachable(
            config.network_probe, base, min(config.connect_timeout, 5.0)
        )
    finally:
        if resolver is None:
            await base.close()
