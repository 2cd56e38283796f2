"""Check a set of unique URLs: the links half of the online stage.

    URL -> pre-check (syntax, scheme, excluded, private) -> cache -> a DOI (doi.py), or fetch
        (http.py; HEAD first for documents) -> [probe a random path] -> classify -> LinkResult
    all results -> network down? (netcheck.py) -> failure history -> cache

One task per URL; how many requests run at once is decided by limits.py alone. Time is bounded
twice: each link by its deadline (http.py), the run by `Config.max_time`, after which the links
still out are `timeout` ("not checked"), never dead. Nothing raises out of a link's task; a
cancelled run (Ctrl-C) stores nothing in the cache.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import secrets
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, TypeVar

import httpx
from aiohttp.abc import AbstractResolver

from citecheck.config import Config
from citecheck.errors import InputError
from citecheck.model import LinkResult, Verdict
from citecheck.net import doi, netcheck
from citecheck.net.cache import LinkCache, fresh, with_history
from citecheck.net.classify import classify, wants_probe
from citecheck.net.facts import Fetched, clean
from citecheck.net.failures import Failure
from citecheck.net.http import Http, Policy, opened
from citecheck.net.page import Page, is_html
from citecheck.net.safety import host_problem
from citecheck.patterns import Pattern, PatternError, compile_pattern

# A host name after IDNA encoding (underscores occur in real names, if not in RFC 1123).
_HOST = re.compile(rb"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?")

OnResult = Callable[[str, LinkResult], None]
K = TypeVar("K")
T = TypeVar("T")

_DOCUMENT = re.compile(rb"\.(?:pdf|docx?|xlsx?|pptx?|od[tsp]|rtf|csv|zip|t?gz|7z|epub|mobi|png|"
                       rb"jpe?g|gif|tiff?|svg|mp[34]|m4a|mov|avi|wav|ps|djvu)$", re.I)
"""Paths whose type a HEAD can confirm without reading a byte of body."""
PROBE_MIN_TIME = 1.0  # seconds of a link's deadline that must be left for a soft-404 probe


@dataclass(frozen=True)
class CheckOutcome:
    """The results in order; `requests`: URLs fetched (not from the cache, not skipped)."""

    results: dict[str, LinkResult]
    network_down: bool = False
    notice: str | None = None
    requests: int = 0


def precheck(
    url: str, config: Config, exclude: Sequence[Pattern]
) -> LinkResult | httpx.URL | str:
    """The URL parsed for fetching, the DOI it names (a str), or the result for a URL that
    must not or cannot be fetched, decided without the network."""

    def skip(reason: str, detail: str) -> LinkResult:
        return LinkResult(url, Verdict.SKIPPED, detail=clean(detail), reason=reason)

    if any(p.search(url) for p in exclude):
        return skip("excluded", "excluded by configuration")
    named = doi.doi_of(url) if config.doi_resolver else None
    if named is not None:
        return named
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        return skip("invalid-url", f"invalid URL: {exc}")
    if parsed.scheme not in ("http", "https"):
        return skip("unsupported-scheme", f"unsupported scheme {parsed.scheme}:")
    if not parsed.host or (not _HOST.fullmatch(parsed.raw_host) and ":" not in parsed.host):
        return skip("invalid-url", f"invalid host {parsed.host!r}")
    problem = None if config.allow_private else host_problem(parsed.host)
    return skip("private-address", f"{problem} address: not fetched") if problem else parsed


def _head_first(url: httpx.URL) -> bool:
    """A document (.pdf, .docx, …) is settled by a HEAD answering 2xx with a non-HTML type; a
    page never is (a soft-404, a paywall, a challenge show in the body): no HEAD for it."""
    return _DOCUMENT.search(url.raw_path.split(b"?", 1)[0]) is not None


def _settled_by_head(head: Fetched) -> bool:
    # A gone or forbidden host fails a GET the same way; any other failure is for the GET.
    if head.failure is not None:
        return head.failure in (Failure.NXDOMAIN, Failure.FORBIDDEN)
    return 200 <= (head.status or 0) < 300 and not is_html(head.content_type)


class LinkChecker:
    """Checks one link at a time, any number at once, through the run's Http; remembers
    the soft-404 probes already made per directory."""

    def __init__(self, http: Http, config: Config, now: dt.datetime) -> None:
        self.http = http
        self.config = config
        self.now = now
        self.policy = Policy.for_links(config)
        self.head_policy = replace(self.policy, retries=0)  # a failed HEAD is followed by GET
        self.probes: dict[str, asyncio.Task[Fetched]] = {}

    def result(self, url: str, verdict: Verdict, reason: str, detail: str,
               status: int | None = None) -> LinkResult:
        return LinkResult(url, verdict, status, detail=detail, reason=reason,
                          checked_at=self.now)

    async def check_cited(self, url: str, target: httpx.URL | str) -> LinkResult:
        """The result for a cited URL (`target`: its parsed form, or the DOI it names).
        A bug costs one link, never the run."""
        try:
            if isinstance(target, str):
                return await doi.check(self, url, target)
            return await self.check(target, cited=url)
        except Exception as exc:
            return self.result(url, Verdict.ERROR, "internal-error",
                               clean(f"internal error: {exc!r}"))

    async def check(self, url: httpx.URL | str, cited: str) -> LinkResult:
        """Fetch `url` and judge what came back."""
        loop = asyncio.get_running_loop()
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
        if _head_first(parsed):
            fetched = await self.http.fetch(parsed, self.head_policy, method="HEAD",
                                            cited=cited)
            if not _settled_by_head(fetched):
                until = loop.time() - fetched.elapsed + self.policy.deadline
                fetched = await self.http.fetch(parsed, self.policy, cited=cited, until=until)
        else:
            fetched = await self.http.fetch(parsed, self.policy, cited=cited)
        page = Page(fetched.body, fetched.content_type)
        verdict = classify(fetched, self.config, page=page)
        left = self.policy.deadline - fetched.elapsed
        if left >= PROBE_MIN_TIME and wants_probe(fetched, verdict, page):
            probe = await self._probe(httpx.URL(fetched.final_url), loop.time() + left)
            verdict = classify(fetched, self.config, probe, page)
        return LinkResult(
            fetched.url, verdict.verdict, fetched.status, fetched.final_url, fetched.chain,
            round(fetched.elapsed, 4), verdict.detail, checked_at=self.now, reason=verdict.reason,
        )

    def _probe(self, final: httpx.URL, until: float) -> asyncio.Task[Fetched]:
        """A random path beside the page, fetched once per directory (Bar-Yossef et al.)."""
        directory = final.path.rsplit("/", 1)[0]
        key = f"{final.scheme}://{final.netloc.decode('ascii', 'replace')}{directory}"
        task = self.probes.get(key)
        if task is None:
            junk = final.copy_with(
                path=f"{directory}/citecheck-{secrets.token_hex(8)}", query=None, fragment=None
            )
            task = asyncio.ensure_future(self.http.fetch(junk, self.policy, until=until))
            self.probes[key] = task
        return task

    def cancel(self) -> None:
        for task in self.probes.values():
            task.cancel()


def not_checked(url: str, config: Config) -> LinkResult:
    """A link still out when the run's time budget ran out."""
    return LinkResult(url, Verdict.TIMEOUT, reason="max-time",
                      detail=f"not checked: the run's time budget (--max-time "
                             f"{config.max_time:g} s) ran out first")


async def within(
    jobs: Mapping[K, Callable[[], Coroutine[Any, Any, T]]], until: float,
    late: Callable[[K], T], done: Callable[[K, T], None] | None = None,
) -> dict[K, T]:
    """Every job run at once (limits.py decides how many requests really run) until `until`
    (loop time); `late(key)` stands for each job not done by then or that failed. `done` is
    told of each as it ends. Cancelled, it cancels every job it started."""
    tasks: dict[K, asyncio.Future[T]] = {}
    try:
        for key, job in jobs.items():
            task = tasks[key] = asyncio.ensure_future(job())
            if done is not None:
                task.add_done_callback(lambda t, key=key: None if t.cancelled() or t.exception()
                                       else done(key, t.result()))
            if len(tasks) % 16 == 0:
                # Let the jobs begun go out before starting more: the first round of requests
                # is the critical path, and 2,000 first steps would all run before any
                # connection is taken up.
                await asyncio.sleep(0)
        if tasks:
            await asyncio.wait(tasks.values(),
                               timeout=max(0.0, until - asyncio.get_running_loop().time()))
    finally:
        for task in tasks.values():
            task.cancel()
        await asyncio.gather(*tasks.values(), return_exceptions=True)
    out = {}
    for key, task in tasks.items():
        out[key] = task.result() if not task.cancelled() and not task.exception() else late(key)
        if task.cancelled() and done is not None:
            done(key, out[key])
    return out


async def check_urls(
    urls: Sequence[str],
    config: Config,
    *,
    http: Http | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: AbstractResolver | None = None,
    on_result: OnResult | None = None,
    until: float | None = None,
) -> CheckOutcome:
    """One LinkResult per URL of `urls`, in order. `http` is the run's (online.py); without
    it a client of its own is opened, over `transport` (respx in tests; then "network down"
    is never decided) or the network with `resolver` for DNS. `until`: the loop time the run's
    budget ends (default: Config.max_time from now)."""
    urls = list(dict.fromkeys(urls))
    try:  # RE2, linear time: a URL from the document cannot stall the run through a pattern
        exclude = [compile_pattern(p) for p in config.exclude]
    except PatternError as exc:
        raise InputError(f"exclude: {exc}") from None
    if until is None:
        until = asyncio.get_running_loop().time() + config.max_time
    now = dt.datetime.now(dt.UTC)
    cache = LinkCache.open(config) if config.cache else None
    todo: set[str] = set()
    try:
        stored = cache.load(urls) if cache is not None else {}
        async with opened(config, http, transport=transport, resolver=resolver) as http:
            checker = LinkChecker(http, config, now)

            async def one(url: str) -> LinkResult:
                # Pre-checked as its turn comes, not all first: the first requests go out
                # while later URLs are still being read (the first round is the critical path).
                admitted = precheck(url, config, exclude)
                previous, same_settings = stored.get(url, (None, False))
                if isinstance(admitted, LinkResult):
                    return admitted
                if previous and same_settings and fresh(previous, now, config.cache_ttl):
                    return previous
                todo.add(url)
                return await checker.check_cited(url, admitted)

            try:
                results = await within({url: partial(one, url) for url in urls}, until,
                                       lambda url: not_checked(url, config), on_result)
            finally:
                checker.cancel()
        fetched = {url: r for url, r in results.items() if url in todo or r.reason == "max-time"}
        down = False
        if fetched and transport is None and netcheck.suspect_down(fetched.values()):
            down = not await _probe_network(config, resolver)
        if down:
            gone = LinkResult("", Verdict.SKIPPED, detail="not checked: network unreachable",
                              reason="network-down")
            fetched = {url: replace(gone, url=url) if r.reason in netcheck.NETWORK_REASONS
                       else r for url, r in fetched.items()}
        else:
            fetched = {url: with_history(r, stored.get(url, (None, False))[0], now)
                       for url, r in fetched.items()}
            if cache is not None:
                cache.store(r for r in fetched.values() if r.reason != "max-time")
        results.update(fetched)
    finally:
        if cache is not None:
            cache.close()
    probes = ", ".join(t.rsplit(":", 1)[0] for t in config.network_probe)
    return CheckOutcome({url: results[url] for url in urls}, network_down=down,
                        notice=netcheck.NOTICE.format(probes=probes) if down else None,
                        requests=len(todo))


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
