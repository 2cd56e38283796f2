"""Every request of a run goes through `Http.fetch`: link checks, soft-404 probes, DOI
look-ups, archive look-ups and drift comparisons alike.

- One client (transport.py): its transport, its headers, its cookie jar. Requests go to the
  transport through httpx's transport interface, where respx stands in tests, rather than
  through `client.send`, whose auth, redirect and cookie-jar machinery (httpx builds urllib
  objects for every response) cost ~100 µs a request — 0.2 s of a 2,000-link run, a fifth of
  the whole command (bench/bench_links.py) — for nothing we use: redirects are followed
  here, and the jar is asked only when it holds cookies or a response sets one.
- One set of limits (limits.py): a request holds its slots only while it runs.
- One retry policy (retry.py); a Retry-After longer than the caller waits for ends the fetch
  at once (`Fetched.retry_after`) rather than being slept through.
- One redirect follower: every hop recorded, capped, checked for loops and, before it is
  requested, against the private-address rule; cookies a hop sets go with the next (a site
  that sets a cookie and redirects to itself is no loop); `Location` decoded as browsers do
  (UTF-8 where the bytes are UTF-8).
- One deadline per fetch (`Policy.deadline`) over every hop, attempt and wait, counted from
  its first slot; each attempt is bounded by `Policy.timeout` as well.
- At most `Policy.max_body` bytes of a body worth reading (text, not a PDF), gzip/deflate
  inflated here with the output capped: a 1 GB file, an endless stream or a compression bomb
  costs that prefix. A body cut short once the answer has begun is judged by what arrived.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager

import httpx

from citecheck.config import Config
from citecheck.model import Hop
from citecheck.net import page as pages
from citecheck.net import retry
from citecheck.net.facts import REDIRECTS, Fetched, without_credentials
from citecheck.net.failures import Failure, failure_of
from citecheck.net.limits import RATE_LIMITED, RATE_LIMITED_AFTER, Limits
from citecheck.net.safety import host_problem
from citecheck.net.transport import open_client

DEADLINE_FACTOR = 2  # a link's deadline in --timeouts: one timeout and a retry's worth
_NO_BODY = httpx.ByteStream(b"")
_TIMEOUTS = (Failure.TIMEOUT, Failure.READ_TIMEOUT, Failure.CONNECT_TIMEOUT)


@dataclasses.dataclass(frozen=True, slots=True)
class Policy:
    """How long and how hard one fetch may try."""

    timeout: float  # seconds for one attempt, from its slot to the last byte read
    deadline: float  # seconds for the whole fetch: every hop, attempt and wait
    retries: int
    max_retry_after: float  # the longest Retry-After waited for; a longer one ends the fetch
    max_body: int
    retry_timeouts: bool = True  # whether an attempt out of time is tried again (archives: no)
    any_body: bool = False  # read bodies of every type (PDFs: a quotation's source), not text only

    @classmethod
    def for_links(cls, config: Config) -> Policy:
        return cls(config.timeout, DEADLINE_FACTOR * config.timeout, config.retries,
                   config.timeout, config.max_body)

    @classmethod
    def for_archives(cls, config: Config) -> Policy:
        a = config.archive
        return cls(a.timeout, a.timeout + a.max_retry_after, a.retries, a.max_retry_after,
                   a.max_answer, retry_timeouts=False)


@dataclasses.dataclass(slots=True)
class _Answer:
    status: int
    headers: dict[str, str]
    body: bytes = b""
    truncated: bool = False
    retry_after: float | None = None


@dataclasses.dataclass(slots=True)
class _Trip:
    """One fetch under way. `start` is when its first request got a slot (the wait for one
    is not its time), None before."""

    cited: str
    chain: list[Hop]
    seen: set[tuple[str, int]]
    attempts: int = 0
    start: float | None = None
    deadline: float = float("inf")
    wanted: Callable[[], str | None] | None = None
    told: Callable[[int | None, Failure | None], None] | None = None
    unsent: bool = False  # `wanted` gave a reason: the request ended before it was sent


class _Inflater:
    """Content-Encoding undone with the output capped (zlib's max_length), so a small
    compressed body cannot expand past the byte budget."""

    def __init__(self, encoding: str) -> None:
        encoding = encoding.strip().lower()
        known = encoding in ("gzip", "x-gzip", "deflate")
        self.zlib = zlib.decompressobj(32 + zlib.MAX_WBITS) if known else None  # gzip or zlib
        self.raw = encoding == "deflate"  # "deflate" sent without its header, as some do

    def feed(self, data: bytes, room: int) -> bytes:
        if self.zlib is None:
            return data[:room]
        try:
            return self.zlib.decompress(data, room)
        except zlib.error:
            self.zlib = zlib.decompressobj(-zlib.MAX_WBITS) if self.raw else None
            self.raw = False
            return self.feed(data, room) if self.zlib is not None else b""


def _headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Lower-case names to values, repeated headers joined; a value decoded as a browser
    does, UTF-8 where the bytes are UTF-8 (CMSes send raw UTF-8 slugs in Location). A
    Location that is not UTF-8 (`/caf\xe9`, Latin-1) has those bytes percent-encoded as they
    are, as browsers request it: decoded as Latin-1 it was re-encoded as UTF-8, another URL."""
    out: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").lower()
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            if key == "location":
                text = "".join(chr(b) if b < 0x80 else f"%{b:02X}" for b in value)
            else:
                text = value.decode("latin-1")
        out[key] = f"{out[key]}, {text}" if key in out else text
    return out


def _worth_reading(status: int, headers: Mapping[str, str], any_type: bool = False) -> bool:
    if status in (404, 410) or (status in REDIRECTS and "location" in headers):
        return False
    if headers.get("content-length") == "0":
        return False
    return any_type or pages.is_textual(headers.get("content-type", ""))


@asynccontextmanager
async def opened(
    config: Config, http: Http | None = None, **client: object
) -> AsyncIterator[Http]:
    """`http`, the run's (online.py), else one of its own over a new client (`transport`,
    `resolver`: see transport.open_client)."""
    if http is not None:
        yield http
        return
    async with open_client(config, **client) as (new, transport):  # type: ignore[arg-type]
        yield Http(new, transport, config, Limits(config.max_concurrency,
                                                  config.host_concurrency,
                                                  config.host_interval / 1000))


class Http:
    """Fetches URLs through the run's client under the run's limits."""

    def __init__(
        self, client: httpx.AsyncClient, transport: httpx.AsyncBaseTransport, config: Config,
        limits: Limits,
        rand: Callable[[], float] = random.random,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """`rand`, `sleep`: the jitter and the wait between attempts (tests record waits)."""
        self.client = client
        self.transport = transport
        self.config = config
        self.limits = limits
        self.rand = rand
        self.sleep = sleep
        self.extensions = {"timeout": {"connect": config.connect_timeout, "read": None,
                                       "write": None, "pool": None}}
        self.extra = {d.lower().strip("."): v for d, v in config.headers.items()}
        self.host_headers: dict[bytes, httpx.Headers] = {}

    async def fetch(
        self, url: httpx.URL | str, policy: Policy, *, method: str = "GET",
        follow: bool = True, cited: str | None = None,
        headers: Mapping[str, str] | None = None, until: float | None = None,
        wanted: Callable[[], str | None] | None = None,
        told: Callable[[int | None, Failure | None], None] | None = None,
    ) -> Fetched:
        """Everything we can learn about `url` (`cited`: as written in the brief) within
        `policy`; failures come back as data. Without `follow`, a redirect is the answer.
        `until` (loop time) ends the fetch earlier than its deadline would. `wanted` is
        asked once a request has its slot: a reason it gives ends the fetch unsent (an
        archive switched off while the request waited). `told` hears how each attempt
        ended (its status, or its failure): a breaker decides by attempts, not fetches."""
        current = url if isinstance(url, httpx.URL) else httpx.URL(url)
        text = str(current)
        trip = _Trip(cited or text, [], {(text.split("#", 1)[0], 0)}, wanted=wanted, told=told)
        if until is not None:
            trip.start, trip.deadline = asyncio.get_running_loop().time(), until
        loop = asyncio.get_running_loop()
        while True:
            answer, failure, detail = await self._ask(trip, method, current, policy, headers)
            elapsed = 0.0 if trip.start is None else loop.time() - trip.start
            final = without_credentials(text)
            if answer is None:
                return Fetched(trip.cited, final, None, method, chain=tuple(trip.chain),
                               failure=failure, failure_detail=detail, attempts=trip.attempts,
                               elapsed=elapsed)
            location = answer.headers.get("location") if answer.status in REDIRECTS else None
            if not (follow and location):
                return Fetched(trip.cited, final, answer.status, method, answer.headers,
                               answer.body, tuple(trip.chain), attempts=trip.attempts,
                               elapsed=elapsed, truncated=answer.truncated,
                               retry_after=answer.retry_after)
            trip.chain.append(Hop(final, answer.status))
            step = self._next_hop(trip, current, location)
            if isinstance(step, Fetched):
                return dataclasses.replace(step, attempts=trip.attempts, elapsed=elapsed)
            current, text = step, str(step)
            if answer.status == 303 and method != "HEAD":
                method = "GET"

    def _next_hop(self, trip: _Trip, current: httpx.URL, location: str) -> httpx.URL | Fetched:
        """The next URL of the chain, or the Fetched that ends it."""

        def end(kind: Failure, detail: str, final: str) -> Fetched:
            return Fetched(trip.cited, without_credentials(final), None, "GET",
                           chain=tuple(trip.chain), failure=kind, failure_detail=detail)

        # As a browser does (WHATWG URL): tabs and newlines removed, edges stripped.
        location = location.replace("\t", "").replace("\n", "").replace("\r", "").strip()
        try:
            target = current.join(location)
        except (httpx.InvalidURL, ValueError, TypeError):
            return end(Failure.INVALID, "redirect to an invalid URL", str(current))
        if target.scheme not in ("http", "https") or not target.host:
            return end(Failure.INVALID, "redirect to a non-web address", str(target))
        if not self.config.allow_private:
            problem = host_problem(target.host)
            if problem:
                return end(Failure.FORBIDDEN, f"redirect to a {problem} address: not fetched",
                           str(target))
        if len(trip.chain) > self.config.max_redirects:
            return end(Failure.TOO_MANY_REDIRECTS,
                       f"more than {self.config.max_redirects} redirects", str(target))
        # A revisit is a loop only if nothing changed meanwhile: a hop that set a cookie
        # may legitimately send the browser back to where it came from.
        key = (str(target).split("#", 1)[0], len(self.client.cookies.jar))
        if key in trip.seen:
            return end(Failure.LOOP, "redirect loop", str(target))
        trip.seen.add(key)
        return target

    async def _ask(
        self, trip: _Trip, method: str, url: httpx.URL, policy: Policy,
        extra: Mapping[str, str] | None,
    ) -> tuple[_Answer | None, Failure | None, str]:
        """One hop, retried while the failure is transient and time remains."""
        loop = asyncio.get_running_loop()
        host = url.host
        attempt = 0
        previous: _Answer | None = None
        while True:
            answer, failure, detail = await self._once(trip, method, url, host, policy, extra)
            if trip.unsent:
                return answer, failure, detail
            previous = answer or previous
            trip.attempts += 1
            if trip.told is not None:
                trip.told(answer.status if answer is not None else None, failure)
            wait: float | None = None
            if answer is not None:
                status = answer.status
                if status in (429, 503):
                    asked = retry.parse_retry_after(answer.headers.get("retry-after"))
                    if asked is not None and asked > min(policy.max_retry_after,
                                                         trip.deadline - loop.time()):
                        self.limits.answered(host, status, None, str(url))
                        answer.retry_after = asked
                        return answer, None, ""  # not waited for: reported as it stands
                    wait = asked
                self.limits.answered(host, status, wait, str(url))
                challenged = retry.transient_status(status) and bool(
                    pages.challenge(answer.headers, answer.body)
                )
                again = retry.should_retry(attempt, policy.retries, status=status,
                                           challenge=challenged) and not (
                    status == 429 and self.limits.rate_limited(host))
            else:
                again = retry.should_retry(attempt, policy.retries, failure=failure) and (
                    policy.retry_timeouts or failure not in _TIMEOUTS)
            if wait is None:
                wait = retry.delay(attempt, self.config.retry_backoff, self.rand)
            if not again or loop.time() + wait >= trip.deadline:
                if answer is None and previous is not None and failure in _TIMEOUTS:
                    # Out of time on a retry (or waiting for its turn at a slowed-down host):
                    # the answer had (429, 503) stands; "timeout" says none ever came.
                    return previous, None, ""
                return answer, failure, detail
            await self.sleep(wait)
            attempt += 1

    def _request(self, method: str, url: httpx.URL, host: str,
                 extra: Mapping[str, str] | None) -> httpx.Request:
        netloc = url.netloc
        headers = self.host_headers.get(netloc)
        if headers is None:
            # Host, then the client's headers, names spelt as given (User-Agent, as a browser
            # sends it), then the configured extras for the host, each replacing a default of
            # its name. Made once per host: a request then only copies them.
            headers = httpx.Headers({"Host": netloc.decode("ascii")})
            headers.update(self.client.headers)
            for domain, values in self.extra.items():
                if host == domain or host.endswith("." + domain):
                    for name, value in values.items():
                        headers[name] = value
            self.host_headers[netloc] = headers
        # With its headers complete and no body, the request is given its (empty) stream:
        # httpx then adds nothing, which spares it re-encoding every header per request.
        request = httpx.Request(method, url, headers={**headers, **extra} if extra else headers,
                                stream=_NO_BODY, extensions=self.extensions)
        if self.client.cookies.jar:
            self.client.cookies.set_cookie_header(request)
        return request

    async def _once(
        self, trip: _Trip, method: str, url: httpx.URL, host: str, policy: Policy,
        extra: Mapping[str, str] | None,
    ) -> tuple[_Answer | None, Failure | None, str]:
        """One request under the limits, the attempt's timeout and the fetch's deadline."""
        loop = asyncio.get_running_loop()
        if trip.start is None:  # waiting for the first slot is not the link's time
            unwanted = await self.limits.acquire(host, trip.wanted)
            trip.start = loop.time()
            trip.deadline = trip.start + policy.deadline
        else:
            try:
                async with asyncio.timeout_at(trip.deadline):
                    unwanted = await self.limits.acquire(host, trip.wanted)
            except TimeoutError:
                return None, Failure.TIMEOUT, f"no answer within {policy.deadline:g} s in all"
        if unwanted:  # unsent: the limits hold nothing for it
            trip.unsent = True
            if unwanted == RATE_LIMITED:
                return None, Failure.RATE_LIMITED, (
                    f"not asked: {host} answered 429 Too Many Requests to this run's last "
                    f"{RATE_LIMITED_AFTER} URLs asked")
            return None, Failure.OTHER, unwanted
        # Asked again: the service may have been switched off while this one waited.
        unwanted = trip.wanted() if trip.wanted is not None else None
        if unwanted:
            self.limits.release(host)
            trip.unsent = True
            return None, Failure.OTHER, unwanted
        answer: _Answer | None = None
        parts: list[bytes] = []
        limited_by_deadline = loop.time() + policy.timeout > trip.deadline
        try:
            async with asyncio.timeout_at(min(loop.time() + policy.timeout, trip.deadline)):
                request = self._request(method, url, host, extra)
                response = await self.transport.handle_async_request(request)
                try:
                    headers = _headers(response.headers.raw)
                    if "set-cookie" in headers:  # kept for the next hop, as a browser does
                        response.request = request
                        self.client.cookies.extract_cookies(response)
                    answer = _Answer(response.status_code, headers)
                    if (method != "HEAD" and policy.max_body > 0
                            and _worth_reading(response.status_code, headers,
                                               policy.any_body)):
                        answer.truncated = await _read(
                            response, parts, policy.max_body,
                            headers.get("content-encoding", ""),
                        )
                finally:
                    await response.aclose()
        except TimeoutError:
            if answer is None:
                detail = (f"no answer within {policy.deadline:g} s in all"
                          if limited_by_deadline else
                          f"no answer within {policy.timeout:g} s")
                return None, Failure.TIMEOUT, detail
            answer.truncated = True  # the answer had begun: judged by what arrived
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            if answer is None:
                kind, detail = failure_of(exc)
                return None, kind, detail
            answer.truncated = True  # the body broke off: judged by what arrived
        finally:
            self.limits.release(host)
        answer.body = b"".join(parts)
        return answer, None, ""


async def _read(response: httpx.Response, parts: list[bytes], limit: int, encoding: str) -> bool:
    """Up to `limit` bytes of the decoded body into `parts`; whether there was more."""
    if response.is_stream_consumed:  # a test's httpx.Response(content=…), already decoded
        parts.append(response.content[:limit])
        return len(response.content) > limit
    inflater = _Inflater(encoding)
    size = 0
    assert isinstance(response.stream, httpx.AsyncByteStream)
    async for chunk in response.stream:  # the transport's bytes (aiter_raw re-chunks them)
        data = inflater.feed(chunk, limit - size)
        if data:
            parts.append(data)
            size += len(data)
        if size >= limit:
            return True
    return False
