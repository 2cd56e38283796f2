"""The door to the archives: every archive request goes through `ArchiveHttp.get`.

Behind it is the run's one request path (net/http.py), with the archives' own timeouts and
retries (`ArchiveConfig`). What is the archives' own:

- they are a shared resource run on donations: each archive host gets limits of its own
  (`ArchiveConfig.concurrency` requests at once, spaced by `ArchiveConfig.interval`);
- a service (host and first path segment: `/wayback`, `/cdx`, `/web`) that hangs, fails
  after retries, or asks us to wait longer than we wait, is switched off for the run (a
  breaker): one hung archive costs one timeout per slot, not one per dead link; a host that
  cannot be reached at all (refused, unreachable, not resolved) is switched off whole. A
  service that has answered well this run, or that asks us to wait longer than we wait, is
  switched off only once BREAKER_FAILURES different requests in a row have failed: one
  look-up it cannot answer (a 500, a timeout, a long Retry-After for one URL) is that
  look-up's A504, not every later one's;
- every failure is `ArchiveUnavailable`: `unavailable` (A504), never "no snapshot";
- an answer is input, not truth: `snapshot_url` admits only an http(s) URL on the archive's
  replay host, free of whitespace and control characters; anything else is A504, and never
  reaches a fix file.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

import httpx

from citecheck.config import Config
from citecheck.net.facts import Fetched
from citecheck.net.failures import Failure
from citecheck.net.http import Http, Policy
from citecheck.net.retry import transient_status
from citecheck.net.safety import host_problem

BREAKER_FAILURES = 3  # different requests failing in a row that switch a service off


class ArchiveUnavailable(Exception):
    """An archive could not be consulted: down, hung, rate-limited, or answered garbage."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def snapshot_url(value: object, base: str, hosts: Collection[str]) -> str:
    """`value`, an archive's word for where a snapshot is (absolute, or relative to `base`),
    as a URL fit to cite; ArchiveUnavailable when it is not one on `hosts`."""
    if not isinstance(value, str) or not value or len(value) > 4000:
        raise ArchiveUnavailable("answered a snapshot without a usable URL")
    if any(c.isspace() or ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
        raise ArchiveUnavailable("answered a snapshot URL with whitespace or control characters")
    try:
        url = urljoin(base, value)
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port that is not one)
    except ValueError:
        raise ArchiveUnavailable("answered a malformed snapshot URL") from None
    if parts.scheme not in ("http", "https") or (parts.hostname or "").lower() not in hosts:
        raise ArchiveUnavailable(
            f"answered a snapshot URL outside its replay host ({parts.scheme}:…)"
        )
    return url


class ArchiveHttp:
    """Archive requests through the run's Http, with limits of their own and a breaker."""

    def __init__(self, http: Http, config: Config, hosts: Collection[str]) -> None:
        """`hosts`: the archives' hosts, given their own limits."""
        self.http = http
        self.config = config
        self.policy = Policy.for_archives(config)
        for host in hosts:
            http.limits.configure(host, config.archive.concurrency, config.archive.interval)
        self.down: dict[str, str] = {}  # services switched off for the run, and why
        self.strikes: dict[str, int] = {}  # machines: failed attempts in a row
        self.failing: dict[str, set[str]] = {}  # services: requests failing in a row
        self.answered: set[str] = set()  # services that have answered well this run
        self.requests = 0  # requests sent (a figure for tests and reports)

    @staticmethod
    def service(url: httpx.URL) -> str:
        """What the breaker switches off: one service of an archive host, so a hung
        availability API does not silence a working CDX API beside it."""
        first = url.path.lstrip("/").split("/", 1)[0]
        return f"{url.host}:{url.port or ''}/{first}"

    def _trip(self, service: str, reason: str) -> ArchiveUnavailable:
        self.down.setdefault(service, f"{reason} (not asked again this run)")
        return ArchiveUnavailable(reason)

    def _attempted(
        self, service: str, machine: str, request: str, status: int | None,
        failure: Failure | None,
    ) -> None:
        """Each attempt, as it ends. Failures to reach the archive at all (refused,
        unreachable, not resolved) count against the machine, which all its services share,
        by attempts, so that retries queued behind other look-ups do not keep a dead archive
        asked for minutes. Other failures count against the service by request: one look-up
        failing for its own reasons, retries included, is one."""
        if failure is not None and failure.network_level:
            self._strike(machine, failure.value)
        elif failure is not None or (status is not None and transient_status(status)):
            failing = self.failing.setdefault(service, set())
            failing.add(request)
            if len(failing) >= BREAKER_FAILURES:
                self._trip(service, failure.value if failure else f"HTTP {status}")
        else:
            self.strikes[machine] = 0
            self.failing.pop(service, None)
            self.answered.add(service)

    def _given_up(self, service: str, reason: str) -> ArchiveUnavailable:
        """A look-up that failed in a way asking again would only repeat (hung, closed, reset
        after every retry): the service is switched off, unless it has answered well this
        run — then it is this look-up's failure, counted by `_attempted`."""
        if service in self.answered:
            return ArchiveUnavailable(reason)
        return self._trip(service, reason)

    def _strike(self, service: str, reason: str) -> None:
        self.strikes[service] = self.strikes.get(service, 0) + 1
        if self.strikes[service] >= BREAKER_FAILURES:
            self._trip(service, reason)

    def _off(self, service: str, machine: str) -> str | None:
        """Why `service` is switched off for the run (or its whole machine), if it is."""
        return self.down.get(service) or self.down.get(machine)

    async def get(
        self, url: str, *, params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None, limit: int | None = None,
        follow: bool = False,
    ) -> Fetched:
        """GET `url`, retrying transient failures; redirects are followed only with `follow`
        (a TimeGate's redirect is its answer). Any definite answer comes back, 4xx included;
        ArchiveUnavailable when none came."""
        try:
            target = httpx.URL(url, params=params) if params else httpx.URL(url)
        except (httpx.InvalidURL, ValueError, TypeError):
            raise ArchiveUnavailable(f"not a URL: {url[:100]!r}") from None
        service = self.service(target)
        machine = service.split("/", 1)[0]  # the archive's host and port: all its services
        if off := self._off(service, machine):
            raise ArchiveUnavailable(off)
        if target.scheme not in ("http", "https") or not target.host:
            raise ArchiveUnavailable(f"not a web address: {url[:100]}")
        problem = None if self.config.allow_private else host_problem(target.host)
        if problem:
            raise ArchiveUnavailable(f"{target.host} is a {problem} address: not fetched")
        policy = self.policy if limit is None else replace(self.policy, max_body=limit)
        got = await self.http.fetch(
            target, policy, follow=follow, headers=headers,
            wanted=lambda: self._off(service, machine),
            told=lambda status, failure: self._attempted(service, machine, str(target), status,
                                                         failure))
        if not got.attempts and (off := self._off(service, machine)):  # off while it waited
            raise ArchiveUnavailable(off)
        self.requests += got.attempts
        if got.failure is not None:
            detail = got.failure_detail or got.failure.value
            if got.failure.network_level:
                # Refusing or unreachable after every retry: asking again only waits.
                raise self._trip(machine, detail)
            if got.failure.transient:
                raise self._given_up(service, detail)
            raise ArchiveUnavailable(detail)  # a strike was counted for it (_attempted)
        status = got.status or 0
        if got.retry_after is not None:
            # Not waited for, and counted by `_attempted`: an archive limiting every request
            # is switched off after BREAKER_FAILURES of them, one refusing a single look-up
            # is not (answering costs it nothing; a hang, by contrast, costs a timeout).
            raise ArchiveUnavailable(f"HTTP {status}, asked to retry after "
                                     f"{got.retry_after:.0f} s")
        if transient_status(status):  # a strike was counted for it (_attempted)
            raise ArchiveUnavailable(f"HTTP {status}" + (" (rate-limited)" * (status == 429)))
        return got


def location(answer: Fetched) -> str | None:
    """Where a redirect answer points, absolute."""
    target = answer.headers.get("location")
    return urljoin(answer.final_url, target.strip()) if target else None
