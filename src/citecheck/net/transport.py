"""The one `httpx.AsyncClient` the checker uses, over a lean aiohttp transport.

Why this stack (measured on two cores, loopback, 2,000 GETs over 20 hosts, 10 per host; see
bench/bench_transports.py):

| stack (asyncio loop; uvloop ~5% cheaper)      | requests/s | client CPU per request |
| ---------------------------------------------- | ---------- | ---------------------- |
| httpx.AsyncClient, default transport (httpcore) |        150 | 6.1 ms (ReadErrors)    |
| httpx.AsyncClient + httpx-aiohttp              |      3,100 | 0.34 ms                |
| httpx.AsyncClient + this transport             |      3,150 | 0.33 ms                |
| raw aiohttp                                    |      7,800 | 0.13 ms                |

The checker itself goes neither through client.send nor through httpx's request and response
objects, but straight to `AiohttpTransport.open` (fetch.py and the class say why). End to end,
classification included (bench/bench_links.py, 2,000 URLs over 20 hosts, 10 per host, medians
of 5 runs): ~4,500-5,000 URLs/s at 0 ms latency, ~0.2 ms of CPU per URL; at 200 in flight and
50 ms it finishes in 0.58 s against a 0.50 s floor, as fast as raw aiohttp does the same
GETs (bench_transports.py --latency 50: 0.59 s). What is left is the first round of requests:
200 new connections and their first requests cost ~50 ms of CPU before the last of them is out.

httpcore's pool is quadratic in pending requests × connections (`_assign_requests_to_
connections`) and collapses under a link checker's fan-out. aiohttp's connector does not.
httpx stays the API — its request/response types, its cookie jar across a redirect chain, and
the transport seam that lets respx stand in for the network in tests — while the bytes move
through aiohttp. The adapter is written here rather than taken from httpx-aiohttp because that
package maps every `ClientConnectionError` (refused, reset, DNS) to `ConnectTimeout`, which
would turn "connection refused" (dead) into "timeout" (not dead), and it gives no way to put a
resolver of our own under the connector. Speed is the same.

The resolver is where the private-address rule (safety.py) meets the real connection: aiohttp
connects to exactly the addresses the resolver returns, so filtering them here leaves no window
between the check and the connect.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import socket
import ssl
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, TypeVar

import aiohttp
import httpx
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from yarl import URL as YarlURL

from citecheck.config import Config
from citecheck.net.safety import ForbiddenTarget, address_problem

# What a browser sends, minus the encodings we cannot bound while decoding (br, zstd): the
# body reader (fetch.py) inflates gzip/deflate itself with a cap on the output.
BASE_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en;q=0.9,*;q=0.5",
    "Accept-Encoding": "gzip, deflate",
}


class SafeResolver(AbstractResolver):
    """Resolve with `base`, then drop every address citecheck must not connect to.

    When nothing is left the name is refused with ForbiddenTarget, which the fetcher reports
    as verdict `skipped` (rule L409) rather than as a network failure.
    """

    def __init__(self, base: AbstractResolver, allow_private: bool) -> None:
        self.base = base
        self.allow_private = allow_private

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await self.base.resolve(host, port, family)
        if self.allow_private:
            return found
        allowed = [r for r in found if address_problem(r["host"]) is None]
        if not allowed:
            reason = address_problem(found[0]["host"]) if found else "private"
            raise ForbiddenTarget(host, reason or "private")
        return allowed

    async def close(self) -> None:
        await self.base.close()


def _timeout_error(exc: BaseException) -> type[httpx.TimeoutException]:
    return httpx.ConnectTimeout if isinstance(exc, aiohttp.ConnectionTimeoutError) else (
        httpx.ReadTimeout
    )


def _map_error(exc: BaseException) -> httpx.TransportError:
    """The httpx exception for an aiohttp one; the original stays the `__cause__`, which
    net/failures.py reads to tell NXDOMAIN from refused from reset."""
    kind: type[httpx.TransportError]
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        kind = httpx.ConnectTimeout
    elif isinstance(exc, TimeoutError):  # aiohttp's ServerTimeoutError derives from it
        kind = _timeout_error(exc)
    elif isinstance(exc, aiohttp.ClientConnectorError):
        kind = httpx.ConnectError
    elif isinstance(exc, aiohttp.ClientResponseError):  # malformed status line or headers
        kind = httpx.RemoteProtocolError
    elif isinstance(exc, aiohttp.InvalidURL | aiohttp.NonHttpUrlClientError):
        kind = httpx.UnsupportedProtocol
    elif isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        kind = httpx.RemoteProtocolError
    else:
        kind = httpx.ReadError
    return kind(str(exc) or type(exc).__name__)


class Body(httpx.AsyncByteStream):
    """The response body as aiohttp delivers it (still encoded: we decode it ourselves)."""

    __slots__ = ("response",)

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self.response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.response.content.iter_any():
                yield chunk
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise _map_error(exc) from exc

    async def aclose(self) -> None:
        # Returns the connection to the pool when the body was read to its end, and closes it
        # otherwise — the cheap way to abandon a 1 GB PDF or an endless stream.
        self.response.release()


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """httpx's default context (certifi's roots), made once per process: loading the roots
    takes ~20 ms, which every run paid before its first request when it was made per run."""
    return httpx.create_ssl_context()


Timeouts = dict[str, Any]
"""httpx's timeout extension: {"connect": s, "read": s, …} (httpx.Timeout.as_dict())."""


class AiohttpTransport(httpx.AsyncBaseTransport):
    """An httpx transport whose connections are aiohttp's.

    Two ways in. `handle_async_request` is the httpx seam (client.send, and what respx or a
    MockTransport replaces in tests). `open` is the same request without the httpx objects
    around it: the fetcher (fetch.py) calls it directly when this is the client's transport,
    because building an httpx.Request (headers copied and re-encoded, Host computed) and an
    httpx.Response per hop, and yarl parsing again the URL httpx had already normalised, cost
    ~45 µs of the ~0.27 ms a URL then cost in all (bench/bench_links.py, 0 ms run) — at 200
    requests in flight the checker's CPU, not the network, set the pace. Both ways raise the
    same httpx exceptions, with the aiohttp one as `__cause__`.
    """

    def __init__(self, config: Config, resolver: AbstractResolver | None = None) -> None:
        self.config = config
        self.resolver = resolver
        self.session: aiohttp.ClientSession | None = None
        self._timeouts: dict[tuple[Any, Any], aiohttp.ClientTimeout] = {}

    def _open(self) -> aiohttp.ClientSession:
        base = self.resolver or ThreadedResolver()
        connector = aiohttp.TCPConnector(
            # Concurrency is limited in one place, net/limits.py; the connector must not add
            # a second queue that the limiter cannot see.
            limit=0,
            limit_per_host=0,
            resolver=SafeResolver(base, self.config.allow_private),
            ssl=_ssl_context(),
            ttl_dns_cache=300,
            enable_cleanup_closed=False,
        )
        return aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),  # httpx's jar is the one in use
            auto_decompress=False,
            skip_auto_headers=("User-Agent",),
        )

    async def __aenter__(self) -> AiohttpTransport:
        if self.session is None:
            self.session = self._open()
        return self

    def _timeout(self, spec: dict[str, Any]) -> aiohttp.ClientTimeout:
        key = (spec.get("connect"), spec.get("read"))
        found = self._timeouts.get(key)
        if found is None:
            found = aiohttp.ClientTimeout(total=None, sock_connect=key[0], sock_read=key[1])
            self._timeouts[key] = found
        return found

    async def open(
        self, method: str, url: str, headers: Iterable[tuple[str, str]] | Any,
        timeouts: Timeouts,
    ) -> aiohttp.ClientResponse:
        """Send one request and return aiohttp's response, its body not yet read: read it with
        `body_chunks` and end with `response.release()` (which closes a connection whose body
        was not read to the end). `headers` are sent as given (a list of pairs or a
        multidict); aiohttp adds Host if they do not have it. `url` is an httpx.URL as text."""
        if self.session is None:
            self.session = self._open()
        try:
            return await self.session.request(
                method,
                # Already normalised and percent-encoded by httpx: `encoded` sends it as httpx
                # would, and spares yarl a second parse-and-requote (~10 µs).
                YarlURL(url, encoded=True),
                headers=headers,
                allow_redirects=False,
                timeout=self._timeout(timeouts),
            )
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise _map_error(exc) from exc

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
        response = await self.open(
            request.method, str(request.url), headers,
            request.extensions.get("timeout") or {},
        )
        return httpx.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=Body(response),
            request=request,
            extensions={"http_version": b"HTTP/1.1"},
        )

    async def aclose(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None


@asynccontextmanager
async def open_client(
    config: Config,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: AbstractResolver | None = None,
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncBaseTransport]]:
    """The checker's client and its transport. Pass `transport` (e.g. `httpx.MockTransport`
    over a respx router) to replace the network in tests, or `resolver` to replace DNS while
    keeping real sockets."""
    transport = transport or AiohttpTransport(config, resolver)
    client = httpx.AsyncClient(
        transport=transport,
        # Environment proxies would route around the transport (and so around the address
        # check); checking links through a proxy is not supported.
        trust_env=False,
        follow_redirects=False,
        timeout=httpx.Timeout(config.timeout, connect=config.connect_timeout),
        headers={"User-Agent": config.user_agent, **BASE_HEADERS},
    )
    async with client:
        yield client, transport


T = TypeVar("T")


GC_YOUNG_THRESHOLD = 20_000
"""Allocations between two young collections during a run (Python's default is 700)."""


@contextmanager
def _young_gc_only() -> Iterator[None]:
    """Everything alive before the run (modules, the parsed briefs) set aside from the
    cyclic GC while it runs, and young collections made rarer. A 2,000-URL run triggered one
    full collection that scanned every object of the process (~19 ms) and ~100 young ones that
    kept finding the same in-flight requests alive (~13 ms); now ~10 young ones, ~5 ms, on the
    50 ms benchmark whose whole budget is 0.65 s. Cycles the run makes are still collected,
    every GC_YOUNG_THRESHOLD allocations. Nothing is set aside if someone else already froze
    objects (we could not restore that)."""
    if gc.get_freeze_count():
        yield
        return
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


class _Box:
    """A task result whose repr costs nothing. On Python 3.11, asyncio.Runner.run ends by
    restoring the SIGINT handler; signal.signal then tries to turn the previous handler (a
    partial holding the main task) into an enum member, and the failed attempt formats
    `repr(task)`, result included: the repr of every LinkResult of the run, ~13 ms per 2,000
    URLs, once for the links and again for the archive stage."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<result>"


async def _boxed(coro: Coroutine[Any, Any, T]) -> _Box:
    return _Box(await coro)


def loop_runner(use_uvloop: bool = True) -> Callable[[Coroutine[Any, Any, T]], T]:
    """A function that runs a coroutine to completion on a new event loop: `uvloop.run`
    where uvloop is installed (and `use_uvloop`), else `asyncio.run`. Same semantics, and
    uvloop's event loop is a little cheaper per request (bench/bench_transports.py)."""
    run: Callable[[Coroutine[Any, Any, _Box]], _Box] = asyncio.run
    if use_uvloop:
        try:
            import uvloop
        except ImportError:
            pass
        else:
            run = uvloop.run

    def runner(coro: Coroutine[Any, Any, T]) -> T:
        with _young_gc_only():
            value: T = run(_boxed(coro)).value  # type: ignore[assignment]
        return value

    return runner
