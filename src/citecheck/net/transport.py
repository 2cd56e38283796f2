"""The run's one `httpx.AsyncClient`, over a transport whose connections are aiohttp's.

Every request of a run is an httpx.Request handed to the client's transport through httpx's
transport interface (net/http.py says why not through `client.send`), and respx (or any httpx
transport) stands in for the network in tests at exactly this seam. The bytes move through
aiohttp because httpcore's pool, httpx's default transport, is quadratic in pending requests ×
connections and collapses under a link checker's fan-out (bench/bench_transports.py). The
adapter is ours, not httpx-aiohttp's: that one maps every connection error to ConnectTimeout
(turning "refused", dead, into "timeout", not dead) and cannot take our resolver.

The resolver is where the private-address rule (safety.py) meets the real connection: aiohttp
connects to exactly the addresses it returns, so DNS rebinding cannot slip past the check.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import httpx
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from yarl import URL as YarlURL

from citecheck.config import Config
from citecheck.net.safety import ForbiddenTarget, address_problem

# What a browser sends, minus the encodings http.py cannot inflate with a cap (br, zstd).
BASE_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en;q=0.9,*;q=0.5",
    "Accept-Encoding": "gzip, deflate",
}


class SafeResolver(AbstractResolver):
    """`base`'s addresses less those citecheck must not connect to; none left: ForbiddenTarget
    (verdict skipped, L409)."""

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


def _map_error(exc: BaseException) -> httpx.TransportError:
    """The httpx exception for an aiohttp one, saying what happened in its message; the
    original stays the `__cause__`, where failures.py finds the OS-level reason."""
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout("connect timed out")
    if isinstance(exc, TimeoutError):  # aiohttp's ServerTimeoutError derives from it
        return httpx.ReadTimeout("no answer in time")
    if isinstance(exc, aiohttp.ClientConnectorError):
        return httpx.ConnectError(str(exc) or "could not connect")
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return httpx.RemoteProtocolError("server closed the connection without answering")
    if isinstance(exc, aiohttp.ClientResponseError):  # a status line or header aiohttp refused
        return httpx.RemoteProtocolError(f"malformed response: {exc.message}")
    if isinstance(exc, aiohttp.ClientPayloadError):
        return httpx.RemoteProtocolError(f"malformed body: {exc}")
    if isinstance(exc, aiohttp.InvalidURL | aiohttp.NonHttpUrlClientError):
        return httpx.UnsupportedProtocol(str(exc) or "unsupported URL")
    return httpx.ReadError(str(exc) or type(exc).__name__)


class Body(httpx.AsyncByteStream):
    """The response body as aiohttp delivers it, still encoded (http.py inflates it with a
    cap). Closing it before the end closes the connection: the cheap way to abandon a 1 GB
    PDF or an endless stream."""

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
        self.response.release()


class AiohttpTransport(httpx.AsyncBaseTransport):
    """An httpx transport whose connections are aiohttp's (see the module docstring)."""

    def __init__(self, config: Config, resolver: AbstractResolver | None = None) -> None:
        self.config = config
        self.resolver = resolver
        self.session: aiohttp.ClientSession | None = None
        self.timeouts: dict[tuple[object, object], aiohttp.ClientTimeout] = {}

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            # Concurrency is limited in one place, net/limits.py: the connector must not add
            # a queue of its own that the limiter cannot see.
            limit=0,
            limit_per_host=0,
            resolver=SafeResolver(self.resolver or ThreadedResolver(), self.config.allow_private),
            # The system's trust store, which aiohttp loaded on import, as browsers and curl
            # use; certifi's (httpx's choice), loaded anew, only where the system has none.
            ssl=True if ssl.get_default_verify_paths().cafile else httpx.create_ssl_context(),
            ttl_dns_cache=300,
        )
        return aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),  # the httpx client's jar is the one in use
            auto_decompress=False,
            skip_auto_headers=("User-Agent",),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.session is None:
            self.session = self._open()
        spec = request.extensions.get("timeout") or {}
        key = (spec.get("connect"), spec.get("read"))
        timeout = self.timeouts.get(key)
        if timeout is None:
            timeout = self.timeouts[key] = aiohttp.ClientTimeout(
                total=None, sock_connect=key[0], sock_read=key[1])  # type: ignore[arg-type]
        url = request.url
        if url.userinfo:  # httpx has made them an Authorization header already
            url = url.copy_with(userinfo=b"")
        try:
            response = await self.session.request(
                request.method,
                # Normalised and percent-encoded by httpx already: sent as httpx would send it.
                YarlURL(str(url), encoded=True),
                headers=[(k.decode("latin-1"), v.decode("latin-1"))
                         for k, v in request.headers.raw],
                allow_redirects=False,
                timeout=timeout,
            )
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise _map_error(exc) from exc
        except ValueError as exc:  # a request aiohttp will not send (a header it refuses)
            raise httpx.LocalProtocolError(str(exc)) from exc
        return httpx.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=Body(response),
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
    """The run's client and its transport. `transport` (respx, httpx.MockTransport) replaces
    the network in tests; `resolver` replaces DNS only, keeping real sockets."""
    transport = transport or AiohttpTransport(config, resolver)
    client = httpx.AsyncClient(
        transport=transport,
        # Environment proxies would route around the transport (and so around the address
        # check); checking links through a proxy is not supported.
        trust_env=False,
        follow_redirects=False,  # http.py follows them, hop by hop, checking each
        timeout=httpx.Timeout(None, connect=config.connect_timeout),
        headers={"User-Agent": config.user_agent, **BASE_HEADERS},
    )
    async with client:
        yield client, transport
