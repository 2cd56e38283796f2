"""The one `httpx.AsyncClient` the checker uses, over a lean aiohttp transport.

Why this stack (measured on two cores, loopback, 2,000 GETs over 20 hosts, 10 per host; see
bench/bench_transports.py):

| stack (asyncio loop; uvloop ~5% cheaper)      | requests/s | client CPU per request |
| ---------------------------------------------- | ---------- | ---------------------- |
| httpx.AsyncClient, default transport (httpcore) |        150 | 6.1 ms (ReadErrors)    |
| httpx.AsyncClient + httpx-aiohttp              |      3,100 | 0.34 ms                |
| httpx.AsyncClient + this transport             |      3,150 | 0.33 ms                |
| raw aiohttp                                    |      7,800 | 0.13 ms                |

The checker itself does not go through client.send (fetch.py says why) and reaches ~3,000
URLs/s end to end, classification included (bench/bench_links.py).

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
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import httpx
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

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


class _Body(httpx.AsyncByteStream):
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


class AiohttpTransport(httpx.AsyncBaseTransport):
    """An httpx transport whose connections are aiohttp's."""

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
            ssl=httpx.create_ssl_context(),
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

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.session is None:
            self.session = self._open()
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
        try:
            response = await self.session.request(
                request.method,
                str(request.url),
                headers=headers,
                allow_redirects=False,
                timeout=self._timeout(request.extensions.get("timeout") or {}),
            )
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise _map_error(exc) from exc
        return httpx.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=_Body(response),
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


def loop_runner() -> Callable[..., Any]:
    """`uvloop.run` where uvloop is installed, else `asyncio.run`: same semantics, and
    uvloop's event loop is a little cheaper per request (bench/bench_transports.py)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run
    return uvloop.run
