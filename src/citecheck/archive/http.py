"""The one door to the archives: every request to an archive goes through `ArchiveHttp.get`.

The archives are a shared public resource run on donations, and they say so by rate-limiting.
So, on top of the link checker's pieces (the same client and transport with its private-address
resolver, `net.limits.Limits` for spacing, `net.retry` for Retry-After and backoff,
`net.failures` for naming what broke, `net.fetch.read_prefix` for bounded bodies):

- requests to one archive host are spaced by `ArchiveConfig.interval` seconds and at most
  `ArchiveConfig.concurrency` run at once;
- a 429 or 503 is retried after its Retry-After when that is at most
  `ArchiveConfig.max_retry_after` seconds; a longer one is obeyed by not asking again this
  run (the look-ups it covers become A504, not a half-hour stall);
- a host that hangs (one full timeout: it is not retried, a hung archive rarely recovers in
  the next seconds), refuses connections after retries, or asks us to go away for longer than
  we wait, is switched off for the rest of the run (a circuit breaker): one hung archive costs
  one timeout per concurrent slot, not one per dead link;
- every failure is raised as `ArchiveUnavailable`, which the callers turn into the
  `unavailable` state (A504) — never into "no snapshot".

Redirects are not followed by `get` (a TimeGate's 302 *is* the answer); `follow` follows them
for replay URLs, checking every hop against the private-address rule.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Mapping

import httpx

from citecheck.config import Config
from citecheck.net import retry
from citecheck.net.failures import Failure, failure_of
from citecheck.net.fetch import read_prefix
from citecheck.net.limits import Limits
from citecheck.net.safety import host_problem

REDIRECTS = (301, 302, 303, 307, 308)
BREAKER_FAILURES = 3
"""Consecutive unanswered requests (of any kind) that switch an archive service off."""


class ArchiveUnavailable(Exception):
    """An archive could not be consulted: down, hung, rate-limited, or answered garbage."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclasses.dataclass(frozen=True, slots=True)
class Answer:
    url: str
    status: int
    headers: httpx.Headers
    body: bytes = b""
    truncated: bool = False


class ArchiveHttp:
    """Rate-limited, retrying, breaker-guarded GETs to archive hosts over one httpx client."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        config: Config,
        *,
        limits: Limits | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.client = client
        self.config = config
        self.archive = config.archive
        self.limits = limits or Limits(
            config.max_concurrency, self.archive.concurrency, self.archive.interval
        )
        self.sleep = sleep
        self.down: dict[str, str] = {}
        """Services switched off for this run, with the reason given to every later look-up."""
        self.strikes: dict[str, int] = {}
        self.requests = 0
        """Requests actually sent (a figure for tests and reports)."""

    @staticmethod
    def service(url: httpx.URL) -> str:
        """What the breaker switches off: one service of an archive host (its first path
        segment: `/wayback`, `/cdx`, `/web`), so a hung availability API does not silence a
        working CDX API beside it. Rate limits stay per host (net.limits)."""
        first = url.path.lstrip("/").split("/", 1)[0]
        return f"{url.host}:{url.port or ''}/{first}"

    def _check_open(self, service: str) -> None:
        reason = self.down.get(service)
        if reason is not None:
            raise ArchiveUnavailable(reason)

    def trip(self, service: str, reason: str) -> ArchiveUnavailable:
        """Switch `service` off for the rest of the run; the error to raise now."""
        self.down.setdefault(service, f"{reason} (not asked again this run)")
        return ArchiveUnavailable(reason)

    def _strike(self, service: str, reason: str) -> ArchiveUnavailable:
        self.strikes[service] = self.strikes.get(service, 0) + 1
        if self.strikes[service] >= BREAKER_FAILURES:
            return self.trip(service, reason)
        return ArchiveUnavailable(reason)

    async def get(
        self,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        limit: int | None = None,
    ) -> Answer:
        """GET `url` once (retrying transient failures), without following redirects.

        Returns any definite answer, 4xx included: what a status means is the caller's
        business. Raises ArchiveUnavailable when no definite answer came."""
        target = httpx.URL(url, params=params) if params else httpx.URL(url)
        host = target.host
        service = self.service(target)
        self._check_open(service)
        if target.scheme not in ("http", "https"):
            raise ArchiveUnavailable(f"not a web address: {target}")
        if not self.config.allow_private:
            problem = host_problem(host)
            if problem:
                raise ArchiveUnavailable(f"{host} is a {problem} address: not fetched")
        cap = self.archive.max_answer if limit is None else limit
        attempt = 0
        while True:
            answer, detail, transient, hung = await self._once(target, host, service, headers, cap)
            if hung:
                # A read that ran out the whole timeout: another attempt (and every other
                # look-up) would wait as long again. Switched off at once.
                raise self.trip(service, detail)
            wait: float | None = None
            if answer is not None:
                status = answer.status
                if status in (429, 503):
                    wait = retry.parse_retry_after(answer.headers.get("retry-after"))
                    too_long = wait is not None and wait > self.archive.max_retry_after
                    if status == 429:
                        # A pause longer than we wait is obeyed by the breaker, not by
                        # parking every request to this host in the limiter for an hour.
                        self.limits.slow_down(host, None if too_long else wait)
                    if too_long:
                        detail = f"HTTP {status}, asked to retry after {wait:.0f} s"
                        raise self.trip(service, detail)
                if not retry.transient_status(status):
                    self.strikes[service] = 0
                    return answer
                detail = f"HTTP {status}" + (" (rate-limited)" if status == 429 else "")
                transient = True
            if not transient or attempt >= self.archive.retries:
                if answer is None and transient:
                    # Hung or refusing after every retry: asking again this run only waits.
                    raise self.trip(service, detail)
                raise self._strike(service, detail)
            await self.sleep(retry.delay(attempt, self.config.retry_backoff, wait))
            self._check_open(service)
            attempt += 1

    async def _once(
        self, url: httpx.URL, host: str, service: str, headers: Mapping[str, str] | None,
        cap: int,
    ) -> tuple[Answer | None, str, bool, bool]:
        """One request: (answer, "", False, False), or (None, what failed, whether it is
        transient, whether the archive hung: connected or not, it said nothing in time)."""
        await self.limits.acquire(host)
        try:
            self._check_open(service)
            self.requests += 1
            timeout = self.archive.timeout
            request = self.client.build_request(
                "GET", url, headers=headers,
                timeout=httpx.Timeout(timeout, connect=min(timeout, self.config.connect_timeout)),
            )
            async with asyncio.timeout(timeout):
                response = await self.client.send(request, stream=True)
                try:
                    body, truncated = b"", False
                    if cap > 0 and response.status_code not in REDIRECTS:
                        body, truncated = await read_prefix(response, cap)
                finally:
                    await response.aclose()
            answer = Answer(str(url), response.status_code, response.headers, body, truncated)
            return answer, "", False, False
        except TimeoutError:
            return None, f"no answer within {self.archive.timeout:g} s", True, True
        except (httpx.HTTPError, OSError) as exc:
            kind, detail = failure_of(exc)
            hung = kind in (Failure.READ_TIMEOUT, Failure.CONNECT_TIMEOUT, Failure.TIMEOUT)
            return None, detail, kind.transient, hung
        finally:
            self.limits.release(host)

    async def follow(
        self, url: str, *, headers: Mapping[str, str] | None = None, limit: int | None = None,
        hops: int = 5,
    ) -> Answer:
        """GET `url` following redirects (a replay URL often redirects to the capture's exact
        timestamp). The last answer is returned whatever its status."""
        current = url
        for _ in range(hops + 1):
            answer = await self.get(current, headers=headers, limit=limit)
            location = answer.headers.get("location")
            if answer.status not in REDIRECTS or not location:
                return answer
            current = str(httpx.URL(current).join(location.strip()))
        raise ArchiveUnavailable(f"more than {hops} redirects from {url}")
