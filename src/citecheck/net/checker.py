"""Check a set of unique URLs: the one concurrent part of citecheck.

    URL -> pre-check (syntax, scheme, excluded, private literal) -> cache -> fetch (fetch.py)
        -> [probe a random path if the page looks generic] -> classify (classify.py)
        -> LinkResult
    all results -> network down? (netcheck.py) -> failure history -> cache

URLs are pre-checked while the first requests are already out, and handed to per-host
workers: at most `host_concurrency` per host, each taking its host's URLs in turn and waiting
for more while the feed goes on (FEED_STARTS says how the feed shares the loop with them).

Why workers rather than one task per URL, as before (bench/bench_links.py, 2,000 URLs over 20
hosts, 10 per host, 200 in flight, 50 ms latency: 0.60 s → 0.57 s for this part, the floor
being 0.50 s): 1,800 of the 2,000 tasks sat in semaphore queues, each costing a task, a wait
and a wake-up, and all 2,000 first steps ran before the first connection was taken up; and the
pre-check (~10 µs a URL, mostly httpx's URL parser, 20 ms in all) came before any request. The
first round of requests is on the critical path: no chain of ten requests per slot can finish
before its first request has gone out.

limits.py still decides how many requests run at once and where (probes and redirects to
another host go through it too), and when (per-host interval, 429 slow-down). Nothing raises
out of a worker: a link that could not be checked is a LinkResult with a verdict.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
import secrets
from collections import deque
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
from citecheck.patterns import Pattern, PatternError, compile_pattern

_HOST = re.compile(rb"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?")
"""A host name after IDNA encoding (underscores occur in real names, if not in RFC 1123)."""

OnResult = Callable[[str, LinkResult], None]

FEED_STARTS = 8
FEED_CHUNK = 256
"""The feed yields to the event loop after starting FEED_STARTS workers or pre-checking
FEED_CHUNK URLs, whichever comes first. Starting a worker is the dear part (its first request
opens a connection, ~0.2 ms), and the first round of requests is on the critical path of the
whole run: in small batches, the connections the first workers opened are taken up and their
requests sent while later workers are still starting. Pre-checking a URL for a host whose
workers are all started costs ~10 µs, and yielding too often costs throughput at 0 ms latency.
Measured at 200 in flight (bench_links.py, median of 5): every 8 URLs → 0.57 s at 50 ms but
-12% URLs/s at 0 ms; every 64 → 0.59 s; everything before the first request → 0.61 s."""


@dataclass(frozen=True)
class CheckOutcome:
    results: dict[str, LinkResult]
    network_down: bool = False
    notice: str | None = None
    requests: int = 0
    """URLs fetched over the network in this run (not from the cache, not skipped)."""


def precheck(
    url: str, config: Config, exclude: Sequence[Pattern]
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
    """One run's shared state: the fetcher, the per-host queues and their workers, the
    results so far, and the soft-404 probes already made per site."""

    def __init__(
        self, fetcher: Fetcher, config: Config, on_result: OnResult | None, now: dt.datetime
    ) -> None:
        self.fetcher = fetcher
        self.config = config
        self.on_result = on_result
        self.probes: dict[str, asyncio.Task[Fetched]] = {}
        self.now = now
        self.per_host = fetcher.limits.host_concurrency
        self.queues: dict[str, deque[tuple[str, httpx.URL]]] = {}
        self.active: dict[str, int] = {}
        self.workers: list[asyncio.Future[None]] = []
        self.idle: dict[str, deque[asyncio.Future[None]]] = {}
        self.fed = False
        """True once every URL has been submitted: a worker with nothing queued may end."""
        self.results: dict[str, LinkResult] = {}

    def submit(self, url: str, parsed: httpx.URL) -> bool:
        """Queue `url` on its host: wake a worker of the host that waits for work, else start
        one if the host has fewer than its share. True when a worker was started."""
        host = parsed.host
        queue = self.queues.get(host)
        if queue is None:
            queue = self.queues[host] = deque()
        queue.append((url, parsed))
        idle = self.idle.get(host)
        while idle:
            waiter = idle.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return False
        active = self.active.get(host, 0)
        if active >= self.per_host:
            return False
        self.active[host] = active + 1
        self.workers.append(asyncio.ensure_future(self._work(host, queue)))
        return True

    async def _work(self, host: str, queue: deque[tuple[str, httpx.URL]]) -> None:
        """Check the host's URLs in turn. A worker whose queue runs dry while URLs are still
        being fed waits for more rather than ending: ending and starting anew per URL made
        2,000 workers instead of 200 on the 0 ms benchmark, ~12% of its CPU."""
        try:
            while True:
                if queue:
                    url, parsed = queue.popleft()
                    self.results[url] = await self.check(url, parsed)
                elif self.fed:
                    return
                else:
                    waiter = asyncio.get_running_loop().create_future()
                    self.idle.setdefault(host, deque()).append(waiter)
                    await waiter
        finally:
            self.active[host] -= 1

    async def finish(self) -> None:
        """Every URL has been submitted: let idle workers end, wait for all of them, then
        drop the probes nobody waits for any more."""
        self.fed = True
        for waiters in self.idle.values():
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)
        self.idle.clear()
        try:
            await asyncio.gather(*self.workers)
        finally:
            self.cancel()

    def cancel(self) -> None:
        for task in (*self.workers, *self.probes.values()):
            task.cancel()

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
    try:  # RE2, linear time: a URL from the document cannot stall the run through a pattern
        exclude = [compile_pattern(p) for p in config.exclude]
    except PatternError as exc:
        raise InputError(f"exclude: {exc}") from None
    results: dict[str, LinkResult] = {}
    cache = LinkCache.open(config) if config.cache else None
    # Every URL's row, before the pre-check has said which are fetched: one query per 500
    # URLs either way, and a URL that the pre-check skips simply leaves its row unused.
    stored = cache.load(urls) if cache is not None else {}
    now = dt.datetime.now(dt.UTC)
    remaining: list[str] = []

    down = False
    async with contextlib.AsyncExitStack() as stack:
        run: _Run | None = None
        started, fed = 0, 0  # workers started and URL index since the feed last yielded
        try:
            for i, url in enumerate(urls):
                if run is not None and (started >= FEED_STARTS or i - fed >= FEED_CHUNK):
                    await asyncio.sleep(0)  # let the requests already queued go out
                    started, fed = 0, i
                admitted = precheck(url, config, exclude)
                if isinstance(admitted, LinkResult):
                    results[url] = admitted
                    continue
                previous, same_settings = stored.get(url, (None, False))
                if (previous is not None and same_settings
                        and fresh(previous, now, config.cache_ttl)):
                    results[url] = previous
                    if on_result is not None:
                        on_result(url, previous)
                    continue
                if run is None:  # the client is opened only when something is fetched
                    opened = await stack.enter_async_context(
                        open_client(config, transport=transport, resolver=resolver)
                    )
                    limits = Limits(config.max_concurrency, config.host_concurrency,
                                    config.host_interval / 1000)
                    run = _Run(Fetcher(*opened, config, limits), config, on_result, now)
                remaining.append(url)
                started += run.submit(url, admitted)
            if run is not None:
                await run.finish()
        except BaseException:
            if run is not None:
                run.cancel()
            raise

    if remaining:
        assert run is not None
        fetched_now = {url: run.results[url] for url in remaining}
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
