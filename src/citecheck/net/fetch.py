"""Fetch one URL the way an editor's browser would, at bounded cost, and record what happened.

- HEAD first where HEAD can settle the question: a URL naming a document (.pdf, .docx, …)
  is settled by a HEAD that answers 2xx with a non-HTML type. An HTML page never is — a
  soft-404, a paywall or a bot challenge is only visible in the body — so for those the HEAD
  would always be followed by a GET, and is skipped. A HEAD that is refused, fails or returns
  anything else is followed by a GET from the start (many servers break HEAD: 405, 404, 403).
- Redirects are followed here, not by httpx, so that every hop is recorded, capped
  (Config.max_redirects), checked for loops, and checked against the private-address rule
  before it is requested. Cookies a hop sets are sent on the next (httpx's jar), as a browser
  does: sites that set a cookie and redirect to themselves would otherwise look like loops.
- At most Config.max_body bytes of a body are read, and only of a body worth reading (text,
  not a PDF); gzip/deflate are inflated here with the output capped, so neither a 1 GB file,
  an endless stream nor a compression bomb costs more than that prefix.
- Each request holds a host slot and a global slot (limits.py) only while it runs; waits
  between retries hold neither.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import zlib
from collections.abc import AsyncIterable, Callable, Mapping

import httpx

from citecheck.config import Config
from citecheck.model import Hop
from citecheck.net import page as pages
from citecheck.net import retry
from citecheck.net.facts import REDIRECTS, Fetched
from citecheck.net.failures import Failure, failure_of
from citecheck.net.limits import Limits
from citecheck.net.safety import host_problem
from citecheck.net.transport import AiohttpTransport, Body

# Paths whose type a HEAD can confirm without reading a byte of body.
DOCUMENT_SUFFIXES = (
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf",
    ".csv", ".zip", ".gz", ".tgz", ".7z", ".epub", ".mobi", ".png", ".jpg", ".jpeg", ".gif",
    ".tif", ".tiff", ".svg", ".mp3", ".mp4", ".m4a", ".mov", ".avi", ".wav", ".ps", ".djvu",
)


_DOCUMENT_SUFFIXES = tuple(s.encode() for s in DOCUMENT_SUFFIXES)


def head_first(url: httpx.URL) -> bool:
    return url.raw_path.split(b"?", 1)[0].lower().endswith(_DOCUMENT_SUFFIXES)


@dataclasses.dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    headers: dict[str, str]
    """Lower-case names: httpx.Headers.get decodes and compares every header on every call,
    which the classifier's dozen look-ups per page made measurable."""
    body: bytes
    truncated: bool


class _Inflater:
    """Content-Encoding undone with the output capped (zlib's max_length), so a small
    compressed body cannot expand past the byte budget."""

    def __init__(self, encoding: str) -> None:
        encoding = encoding.strip().lower()
        self.raw = encoding not in ("gzip", "x-gzip", "deflate")
        self.zlib = None if self.raw else zlib.decompressobj(
            16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
        )
        self.deflate = encoding == "deflate"

    def feed(self, data: bytes, room: int) -> bytes:
        if self.zlib is None:
            return data[:room]
        try:
            return self.zlib.decompress(data, room)
        except zlib.error:
            if self.deflate:  # "deflate" sent without its zlib header, as some servers do
                self.deflate = False
                self.zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(data, room)
            self.zlib = None
            return b""


async def read_prefix(
    response: httpx.Response, limit: int, content_encoding: str = ""
) -> tuple[bytes, bool]:
    """Up to `limit` bytes of the decoded body, and whether there was more."""
    if response.is_stream_consumed:
        # A mock transport (respx) hands over a response already read and decoded.
        return response.content[:limit], len(response.content) > limit
    # The transport's byte stream itself, not response.aiter_raw(): that re-chunks and
    # tracks what it has read, work we do not need (measured: 10% of a request's CPU).
    stream = response.stream
    assert isinstance(stream, httpx.AsyncByteStream)
    return await read_stream(stream, limit, content_encoding)


async def read_stream(
    stream: AsyncIterable[bytes], limit: int, content_encoding: str = ""
) -> tuple[bytes, bool]:
    """Up to `limit` bytes of `stream` decoded, and whether there was more."""
    inflater = _Inflater(content_encoding)
    parts: list[bytes] = []
    size = 0
    async for chunk in stream:
        data = inflater.feed(chunk, limit - size)
        if data:
            parts.append(data)
            size += len(data)
        if size >= limit:
            return b"".join(parts), True
    return b"".join(parts), False


class Fetcher:
    """Fetches URLs through one client under one set of limits.

    With our own transport (the real network), a hop goes straight to `AiohttpTransport.open`
    and reads aiohttp's response; with any other transport (respx, a MockTransport in tests),
    through httpx.Request/Response and `handle_async_request`. Same headers, timeouts, cookie
    jar (httpx's, the client's) and answers either way (tests/net/test_checker_run.py holds
    them to it on every fault case); the direct way saves the two httpx objects per hop (see
    AiohttpTransport for the figures).
    """

    def __init__(
        self, client: httpx.AsyncClient, transport: httpx.AsyncBaseTransport, config: Config,
        limits: Limits, rand: Callable[[], float] = random.random,
    ) -> None:
        """`transport` is the client's own (open_client returns both)."""
        self.client = client
        self.transport = transport
        self.config = config
        self.limits = limits
        self.rand = rand
        self.timeouts = httpx.Timeout(config.timeout, connect=config.connect_timeout).as_dict()
        # Each hop runs under asyncio.timeout(config.timeout), entered before the request is
        # sent, so a read timeout of that length or more can never fire first: the direct way
        # leaves it out, which spares aiohttp a timer rescheduled on every read (~3% of CPU).
        self.direct_timeouts = dict(self.timeouts)
        if (self.timeouts.get("read") or float("inf")) >= config.timeout:
            self.direct_timeouts["read"] = None
        self.host_headers: dict[str, httpx.Headers] = {}
        self.host_pairs: dict[str, list[tuple[str, str]]] = {}
        self.direct = transport if isinstance(transport, AiohttpTransport) else None
        self.extra_headers = {h.lower(): v for h, v in config.headers.items()}

    async def fetch(self, url: httpx.URL, cited: str | None = None) -> Fetched:
        """Everything we can learn about `url` (`cited` as written in the brief); failures
        come back as data."""
        start = asyncio.get_running_loop().time()
        if head_first(url):
            head = await self.follow(url, "HEAD", cited, start=start)
            if _settled_by_head(head):
                return head
        return await self.follow(url, "GET", cited, start=start)

    async def follow(
        self, url: httpx.URL, method: str, cited: str | None = None, *,
        start: float | None = None,
    ) -> Fetched:
        """Request `url` and follow its redirects by hand. With `start` (the loop's clock),
        the result's `elapsed` is the time since then."""
        current = url
        text = str(current)  # httpx builds the string afresh on every str(): once per hop
        first = cited or text
        chain: list[Hop] = []
        seen = {(text.split("#", 1)[0], 0)}
        attempts = 0
        while True:
            answer, failure, detail, tries = await self._ask(
                method, current, text, 0 if method == "HEAD" else self.config.retries
            )
            attempts += tries
            elapsed = 0.0 if start is None else asyncio.get_running_loop().time() - start
            if answer is None:
                return Fetched(
                    first, text, None, method, chain=tuple(chain), failure=failure,
                    failure_detail=detail, attempts=attempts, elapsed=elapsed,
                )
            location = answer.headers.get("location") if answer.status in REDIRECTS else None
            if not location:
                return Fetched(
                    first, text, answer.status, method, answer.headers, answer.body,
                    tuple(chain), attempts=attempts, elapsed=elapsed,
                    truncated=answer.truncated,
                )
            chain.append(Hop(text, answer.status))
            stop = self._redirect_problem(current, location, chain, seen)
            if isinstance(stop, Fetched):
                return dataclasses.replace(stop, url=first, attempts=attempts, elapsed=elapsed)
            current = stop
            text = str(current)
            if answer.status == 303 and method != "HEAD":
                method = "GET"

    def _redirect_problem(
        self, current: httpx.URL, location: str, chain: list[Hop],
        seen: set[tuple[str, int]],
    ) -> httpx.URL | Fetched:
        """The next URL of the chain, or the Fetched that ends it."""

        def end(kind: Failure, detail: str, final: str) -> Fetched:
            return Fetched("", final, None, "GET", chain=tuple(chain), failure=kind,
                           failure_detail=detail)

        try:
            target = current.join(location.strip())
        except (httpx.InvalidURL, ValueError):
            return end(Failure.INVALID, "redirect to an invalid URL", str(current))
        if target.scheme not in ("http", "https"):
            return end(Failure.INVALID, "redirect to a non-web address", str(target))
        if not self.config.allow_private:
            problem = host_problem(target.host)
            if problem:
                return end(
                    Failure.FORBIDDEN, f"redirect to a {problem} address: not fetched",
                    str(target),
                )
        if len(chain) > self.config.max_redirects:
            return end(
                Failure.TOO_MANY_REDIRECTS,
                f"more than {self.config.max_redirects} redirects", str(target),
            )
        # A revisit is a loop only if nothing changed meanwhile: a hop that set a cookie
        # may legitimately send the browser back to where it came from.
        key = (str(target).split("#", 1)[0], len(self.client.cookies.jar))
        if key in seen:
            return end(Failure.LOOP, "redirect loop", str(target))
        seen.add(key)
        return target

    async def _ask(
        self, method: str, url: httpx.URL, text: str, retries: int
    ) -> tuple[_Answer | None, Failure | None, str, int]:
        """One hop, retried while the failure is transient (retry.py). A HEAD is not retried:
        whatever goes wrong with it, the GET that follows is."""
        host = url.host
        attempt = 0
        while True:
            answer, failure, detail = await self._once(method, url, text, host)
            wait_hint = None
            if answer is not None:
                status = answer.status
                if status in (429, 503):
                    wait_hint = retry.parse_retry_after(answer.headers.get("retry-after"))
                if status == 429:
                    self.limits.slow_down(host, wait_hint)
                challenged = retry.transient_status(status) and bool(
                    pages.challenge(answer.headers, answer.body)
                )
                again = retry.should_retry(attempt, retries, status=status, challenge=challenged)
            else:
                again = retry.should_retry(attempt, retries, failure=failure)
            if not again:
                return answer, failure, detail, attempt + 1
            await asyncio.sleep(
                retry.delay(attempt, self.config.retry_backoff, wait_hint, self.rand)
            )
            attempt += 1

    def _headers(self, host: str) -> httpx.Headers:
        found = self.host_headers.get(host)
        if found is None:
            extra: Mapping[str, str] = {}
            for domain, values in self.extra_headers.items():
                if host == domain or host.endswith("." + domain):
                    extra = {**extra, **values}
            # A copy of the client's headers, names spelt as given (User-Agent, as a browser
            # sends it: dict(client.headers) would lower-case them), then the host's extras,
            # each replacing a default of the same name whatever its case.
            found = httpx.Headers(self.client.headers)
            for name, value in extra.items():
                found[name] = value
            self.host_headers[host] = found
        return found

    def _pairs(self, host: str) -> list[tuple[str, str]]:
        """`_headers(host)` as the (name, value) pairs aiohttp takes, names spelt as given
        (Headers.items() would lower-case them; a browser sends User-Agent, not user-agent)."""
        found = self.host_pairs.get(host)
        if found is None:
            found = _decoded(self._headers(host).raw)
            self.host_pairs[host] = found
        return found

    async def _once(
        self, method: str, url: httpx.URL, text: str, host: str
    ) -> tuple[_Answer | None, Failure | None, str]:
        """One request of `url` (`text` is str(url)), under the limits and the timeout."""
        await self.limits.acquire(host)
        try:
            async with asyncio.timeout(self.config.timeout):
                if self.direct is not None:
                    answer = await self._direct(self.direct, method, url, text, host)
                else:
                    answer = await self._via_httpx(method, url, host)
            return answer, None, ""
        except TimeoutError:
            return None, Failure.TIMEOUT, f"no answer within {self.config.timeout:g} s"
        except (httpx.HTTPError, OSError) as exc:
            kind, detail = failure_of(exc)
            return None, kind, detail
        finally:
            self.limits.release(host)

    async def _direct(
        self, transport: AiohttpTransport, method: str, url: httpx.URL, text: str, host: str
    ) -> _Answer:
        """One hop straight through our aiohttp transport: no httpx.Request or Response
        is built unless a cookie is involved (see `Fetcher`)."""
        request: httpx.Request | None = None
        pairs: list[tuple[str, str]] = self._pairs(host)
        if self.client.cookies.jar:
            request = httpx.Request(method, url, headers=self._headers(host))
            self.client.cookies.set_cookie_header(request)
            pairs = _decoded(request.headers.raw)
        response = await transport.open(method, text, pairs, self.direct_timeouts)
        try:
            raw = response.raw_headers
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in raw}
            if "set-cookie" in headers:
                self.client.cookies.extract_cookies(httpx.Response(
                    response.status, headers=raw,
                    request=request or httpx.Request(method, url, headers=self._headers(host)),
                ))
            body, truncated = b"", False
            if method != "HEAD" and _worth_reading(response.status, headers):
                body, truncated = await read_stream(
                    Body(response), self.config.max_body, headers.get("content-encoding", "")
                )
        finally:
            response.release()
        return _Answer(response.status, headers, body, truncated)

    async def _via_httpx(self, method: str, url: httpx.URL, host: str) -> _Answer:
        """One hop through any httpx transport (respx, a MockTransport). Built by hand and
        handed to the transport rather than sent with client.send, which merges the client's
        defaults into fresh headers and runs every response through the cookie jar, ~0.15 ms
        per request (profiled). The same headers, timeouts and cookies result: the jar is
        consulted when it holds cookies and fed only by responses that set one."""
        request = httpx.Request(
            method, url, headers=self._headers(host), extensions={"timeout": self.timeouts}
        )
        if self.client.cookies.jar:
            self.client.cookies.set_cookie_header(request)
        response = await self.transport.handle_async_request(request)
        try:
            headers = {
                k.decode("latin-1").lower(): v.decode("latin-1")
                for k, v in response.headers.raw
            }
            if "set-cookie" in headers:
                response.request = request
                self.client.cookies.extract_cookies(response)
            body, truncated = b"", False
            if method != "HEAD" and _worth_reading(response.status_code, headers):
                body, truncated = await read_prefix(
                    response, self.config.max_body, headers.get("content-encoding", "")
                )
        finally:
            await response.aclose()
        return _Answer(response.status_code, headers, body, truncated)


def _decoded(raw: list[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw]


def _worth_reading(status: int, headers: dict[str, str]) -> bool:
    if status in (404, 410) or (status in REDIRECTS and "location" in headers):
        return False
    if headers.get("content-length") == "0":
        return False
    return pages.is_textual(headers.get("content-type", ""))


def _settled_by_head(head: Fetched) -> bool:
    if head.failure is not None:
        # The host itself is gone or not to be fetched (no such host, a private address): a
        # GET would fail the same way. Anything else, a HEAD timing out included (servers that
        # never answer HEAD exist), is for the GET to settle.
        return head.failure in (Failure.NXDOMAIN, Failure.FORBIDDEN)
    status = head.status or 0
    return 200 <= status < 300 and not pages.is_html(head.content_type)
