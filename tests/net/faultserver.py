"""A fault-injection HTTP server on loopback for the link checker's tests.

One asyncio server in a background thread, listening on 127.0.0.1 and 127.0.0.2 at one port,
serving one case per path: every behaviour issue 3 lists (redirect chains and loops, 404/410,
persisting and clearing 5xx, 429 with Retry-After, a reset connection, slow and hanging
answers, bot challenges, paywalls, soft-404s, an endless body), every failure issue 9 names
(Retry-After: 3600 on every attempt, a metered overlay, a login redirect from a /premium/
path, a raw UTF-8 Location, a slow redirect chain, a hostile title, DOIs through a handle
API), and more of the ways real sites fail link checkers (a HEAD answered 500, a server that
closes without answering, a malformed status line, a body that drips). Cases that
change over time ("503 then 200") count per path *and query*, so each test run uses its own
query token and repeated runs are independent.

It speaks just enough HTTP/1.1: request line and headers, keep-alive, Content-Length or
chunked bodies, HEAD.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import socket
import struct
import threading
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

Handler = Callable[["Request", asyncio.StreamWriter], Awaitable[bool]]
"""Writes a response; returns False when the connection must not be reused."""


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str]

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


def page(title: str, body: str = "", head: str = "") -> bytes:
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title>{head}</head>"
        f"<body><h1>{title}</h1><p>{body or 'Text of the page about ' + title + '.'}</p>"
        "</body></html>"
    ).encode()


ARTICLE = page("Port traffic in 2023", "Container volumes rose by four percent in 2023.")
BOMB = gzip.compress(page("Port traffic in 2023") + b" " * 20_000_000, compresslevel=9)
"""20 MB of HTML in ~20 KB: must be inflated only up to the body limit."""
GENERIC = page("Example News", "Welcome to Example News. Latest stories, opinion and sport.")
JSON = "application/json"


async def respond(
    w: asyncio.StreamWriter, req: Request, status: int, body: bytes = b"",
    headers: dict[str, str] | None = None, ctype: str = "text/html; charset=utf-8",
) -> bool:
    head = {"Content-Type": ctype, "Content-Length": str(len(body)), **(headers or {})}
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in head.items()]
    w.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    if req.method != "HEAD":
        w.write(body)
    await w.drain()
    return True


def redirect(status: int, location: str) -> Handler:
    async def handle(req: Request, w: asyncio.StreamWriter) -> bool:
        return await respond(w, req, status, b"", {"Location": location})

    return handle


def fixed(
    status: int, body: bytes = b"", headers: dict[str, str] | None = None,
    ctype: str = "text/html; charset=utf-8",
) -> Handler:
    async def handle(req: Request, w: asyncio.StreamWriter) -> bool:
        return await respond(w, req, status, body, headers, ctype)

    return handle


def raw(answer: bytes) -> Handler:
    """These bytes as the answer, whatever they are (header values that are not UTF-8)."""
    async def handle(req: Request, w: asyncio.StreamWriter) -> bool:
        w.write(answer)
        await w.drain()
        return True

    return handle


@dataclass
class FaultServer:
    hosts: tuple[str, ...] = ("127.0.0.1", "127.0.0.2")
    port: int = 0
    hits: Counter[str] = field(default_factory=Counter)
    """Requests per path+query (every method), for "how many requests were made"."""
    loop: asyncio.AbstractEventLoop | None = None
    servers: list[asyncio.Server] = field(default_factory=list)
    _routes: dict[str, Handler] = field(default_factory=dict)

    # --- cases -------------------------------------------------------------------------

    def routes(self) -> dict[str, Handler]:
        """Path -> behaviour. Built once the port is known, for absolute redirects."""
        port = self.port
        pdf = b"%PDF-1.7\n" + b"0" * 1000
        paywall_ld = (
            '<script type="application/ld+json">{"@context": "https://schema.org", '
            '"@type": "NewsArticle", "headline": "Port traffic in 2023", '
            '"isAccessibleForFree": false, "hasPart": {"@type": "WebPageElement", '
            '"isAccessibleForFree": false, "cssSelector": ".paywall"}}</script>'
        )
        free_ld = '<script type="application/ld+json">{"isAccessibleForFree": true}</script>'
        piano = '<script src="https://cdn.tinypass.com/api/tinypass.min.js"></script>'
        challenge = page("Just a moment...", "Checking your browser before accessing.")
        return {
            "/article": fixed(200, ARTICLE),
            "/report.pdf": fixed(200, pdf, ctype="application/pdf"),
            "/download": fixed(200, pdf, ctype="application/pdf"),
            "/head405.pdf": self.head_refused(405),
            "/head404.pdf": self.head_refused(404),
            "/head405": self.head_refused(405),
            "/r301": redirect(301, "/article"),
            "/r302": redirect(302, "/article"),
            "/r307": redirect(307, "/article"),
            "/r308": redirect(308, f"http://site.test:{port}/article"),
            "/chain": redirect(301, "/chain-2"),
            "/chain-2": redirect(302, "/chain-3"),
            "/chain-3": redirect(308, "/article"),
            "/chain-dead": redirect(301, "/gone-404"),
            "/loop-a": redirect(302, "/loop-b"),
            "/loop-b": redirect(302, "/loop-a"),
            "/cookie-bounce": self.cookie_bounce,
            "/gone-404": fixed(404, page("Not Found")),
            "/gone-410": fixed(410, page("Gone")),
            "/error-500": fixed(500, page("Internal error")),
            "/flaky-503": self.fails_first(503, {}),
            "/throttled-429": self.fails_first(429, {"Retry-After": "1"}),
            "/always-429": fixed(429, page("Too many requests"), {"Retry-After": "1"}),
            "/reset-once": self.reset_once,
            "/slow": self.slow(0.3),
            "/hang": self.hang,
            "/auth-401": fixed(401, page("Login required"), {"WWW-Authenticate": "Basic"}),
            "/challenge-403": fixed(403, challenge, {"cf-mitigated": "challenge",
                                                     "Server": "cloudflare"}),
            "/challenge-503": fixed(503, challenge, {"Server": "cloudflare"}),
            "/challenge-200": fixed(200, page("Just a moment...", "<div id=cf-x>"
                                              "/cdn-cgi/challenge-platform/h/b</div>")),
            "/linkedin-999": fixed(999, b"", ctype="text/html"),
            "/pay-402": fixed(402, page("Subscribe")),
            "/jsonld-paywall": fixed(200, page("Port traffic in 2023", head=paywall_ld)),
            "/jsonld-free-piano": fixed(200, page("Port traffic in 2023",
                                                  head=free_ld + piano)),
            "/piano-paywall": fixed(200, page("Port traffic in 2023", head=piano)),
            "/premium-story": redirect(302, "/login?next=/premium-story"),
            "/login": fixed(200, page("Sign in to continue")),
            "/soft-404": fixed(200, page("Page not found", "Sorry, we could not find it.")),
            "/soft-404-gzip": fixed(
                200, gzip.compress(page("Page Not Found")),
                {"Content-Encoding": "gzip"},
            ),
            "/blog/http-404-errors-explained": fixed(
                200, page("HTTP 404 errors explained", "What a 404 means.")
            ),
            "/2019/05/deep/story": redirect(301, "/"),
            "/section/a/b/c/story": redirect(302, "/section/"),
            "/old-page": redirect(302, "/errors/404.html"),
            "/errors/404.html": fixed(200, page("Sorry")),
            "/": fixed(200, GENERIC),
            "/news/kishida-visit": fixed(200, GENERIC),
            "/section/": fixed(200, page("Section front")),
            "/gzip-bomb": fixed(200, BOMB, {"Content-Encoding": "gzip"}),
            "/head-hangs.pdf": self.head_hangs,
            "/meta-refresh-home": fixed(200, page(
                "Redirecting", head='<meta http-equiv="refresh" content="0; url=/">')),
            "/old-report": redirect(302, "/search?q=old-report"),
            "/search": fixed(200, page("Search results")),
            "/endless": self.endless,
            "/endless.pdf": self.endless,
            "/secret": fixed(200, page("Secret")),
            "/to-private-literal": redirect(302, f"http://127.0.0.2:{port}/secret"),
            "/to-private-name": redirect(302, f"http://internal.test:{port}/secret"),
            "/to-metadata": redirect(302, "http://169.254.169.254/latest/meta-data/"),
            "/to-ftp": redirect(302, "ftp://site.test/file"),
            "/to-nxdomain": redirect(301, "http://nosuch.invalid/x"),
            # --- issue 9 ---
            "/retry-after-3600": fixed(429, page("Too many requests"), {"Retry-After": "3600"}),
            "/retry-after-huge": fixed(429, page("Too many requests"), {"Retry-After": "9" * 400}),
            "/unavailable-3600": fixed(503, page("Maintenance"), {"Retry-After": "3600"}),
            "/throttled-2s": self.fails_first(429, {"Retry-After": "2"}),
            "/429-then-hangs": self.limited_then_hangs,
            "/metered-overlay": fixed(200, page(
                "Port traffic in 2023", "Container volumes rose by four percent.<div "
                'class="tp-backdrop tp-active"></div><div class="tp-modal">Subscribe to '
                "continue reading</div>")),
            "/data-paywall": fixed(200, page(
                "Port traffic in 2023", '<section data-paywall="hard">Volumes rose.</section>')),
            "/paywall-class": fixed(200, page(
                "Port traffic in 2023", '<div class="article-body paywall-gate">Volumes</div>')),
            "/meter-text": fixed(200, page(
                "Port traffic in 2023", "Volumes rose. You have reached your limit of free "
                "articles this month.")),
            "/newsletter-box": fixed(200, page(
                "Port traffic in 2023", "Volumes rose by four percent. Subscribe to our "
                "newsletter for weekly updates on shipping.")),
            "/premium/port-story": redirect(302, "/login?next=/premium/port-story"),
            "/premium/moved-story": redirect(301, "/premium/port-story-2024"),
            "/premium/port-story-2024": fixed(200, page("Port story 2024")),
            "/utf8-location": redirect(301, "/exact/café"),
            "/exact/caf%C3%A9": fixed(200, page("Café culture in ports")),
            "/latin1-location": raw(b"HTTP/1.1 301 X\r\nLocation: /exact/caf\xe9\r\n"
                                    b"Content-Length: 0\r\n\r\n"),
            "/exact/caf%E9": fixed(200, page("Café culture, Latin-1")),
            "/hostile-title": fixed(200, b"<html><head><title>" + b"<" * 250_000),
            "/hostile-scripts": fixed(200, b"<html><title>Scripts</title>" + b"<script " * 32_000),
            "/hostile-refresh": fixed(200, b"<html><title>Meta</title>" + b"<meta " * 40_000
                                      + b"http-equiv=refresh"),
            "/to-credentials": redirect(302, f"http://user:secret@site.test:{port}/article"),
            "/head500.pdf": self.head_refused(500),
            "/closes": self.closes,
            "/bad-status": self.raw(b"HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n"),
            "/bad-header": self.raw(b"HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n"),
            "/drip": self.drip,
            "/too-many-redirects": redirect(302, "/too-many-redirects-1"),
            "/403-always": fixed(403, page("Forbidden")),
            "/api/handles/10.1234/registered": self.handle(f"http://127.0.0.1:{port}/article"),
            "/api/handles/10.1234/blocked": self.handle(f"http://127.0.0.1:{port}/403-always"),
            "/api/handles/10.1234/gone-page": self.handle(f"http://127.0.0.1:{port}/gone-404"),
            "/api/handles/10.1234/missing": fixed(404, b'{"responseCode":100,"handle":'
                                                  b'"10.1234/missing"}', ctype=JSON),
            "/api/handles/10.1234/garbage": fixed(200, b"<html>oops</html>"),
            **{f"/too-many-redirects-{i}": redirect(302, f"/too-many-redirects-{i + 1}")
               for i in range(1, 30)},
            **{f"/slow-chain/{i}": self.slow_redirect(0.4, f"/slow-chain/{i + 1}")
               for i in range(11)},
            "/slow-chain/11": fixed(200, ARTICLE),
        }

    def handle(self, landing: str) -> Handler:
        """The DOI handle API's answer for a registered DOI whose landing page is `landing`."""
        body = ('{"responseCode":1,"handle":"10.1234/x","values":[{"index":1,"type":"URL",'
                f'"data":{{"format":"string","value":"{landing}"}}}}]}}').encode()
        return fixed(200, body, ctype=JSON)

    def slow_redirect(self, seconds: float, location: str) -> Handler:
        async def handle(req: Request, w: asyncio.StreamWriter) -> bool:
            await asyncio.sleep(seconds)
            return await respond(w, req, 302, b"", {"Location": location})

        return handle

    def raw(self, data: bytes) -> Handler:
        async def handle(req: Request, w: asyncio.StreamWriter) -> bool:
            w.write(data)
            await w.drain()
            return False

        return handle

    async def closes(self, req: Request, w: asyncio.StreamWriter) -> bool:
        """Reads the request, then closes the connection without a word."""
        return False

    async def drip(self, req: Request, w: asyncio.StreamWriter) -> bool:
        """A page whose body comes a few bytes a second and never ends."""
        w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked"
                b"\r\n\r\n")
        head = b"<html><head><title>Slow port report</title></head><body>"
        w.write(f"{len(head):x}\r\n".encode() + head + b"\r\n")
        await w.drain()
        for _ in range(3600):
            await asyncio.sleep(0.2)
            w.write(b"5\r\nword \r\n")
            await w.drain()
        return False

    def head_refused(self, status: int) -> Handler:
        async def handle(req: Request, w: asyncio.StreamWriter) -> bool:
            if req.method == "HEAD":
                return await respond(w, req, status)
            if req.path.endswith(".pdf"):
                return await respond(w, req, 200, b"%PDF-1.5\n", ctype="application/pdf")
            return await respond(w, req, 200, ARTICLE)

        return handle

    async def head_hangs(self, req: Request, w: asyncio.StreamWriter) -> bool:
        if req.method == "HEAD":
            return await self.hang(req, w)
        return await respond(w, req, 200, b"%PDF-1.5\n", ctype="application/pdf")

    def fails_first(self, status: int, headers: dict[str, str]) -> Handler:
        async def handle(req: Request, w: asyncio.StreamWriter) -> bool:
            if self.hits[req.target] == 1:
                return await respond(w, req, status, page("Try later"), headers)
            return await respond(w, req, 200, ARTICLE)

        return handle

    async def limited_then_hangs(self, req: Request, w: asyncio.StreamWriter) -> bool:
        if self.hits[req.target] == 1:
            return await respond(w, req, 429, page("Try later"), {"Retry-After": "0"})
        return await self.hang(req, w)

    async def reset_once(self, req: Request, w: asyncio.StreamWriter) -> bool:
        if self.hits[req.target] == 1:
            sock = w.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            w.transport.abort()  # RST: "connection reset by peer"
            return False
        return await respond(w, req, 200, ARTICLE)

    def slow(self, seconds: float) -> Handler:
        async def handle(req: Request, w: asyncio.StreamWriter) -> bool:
            await asyncio.sleep(seconds)
            return await respond(w, req, 200, ARTICLE)

        return handle

    async def hang(self, req: Request, w: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(3600)
        return False

    async def endless(self, req: Request, w: asyncio.StreamWriter) -> bool:
        ctype = "application/pdf" if req.path.endswith(".pdf") else "text/html"
        w.write(f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n"
                "Transfer-Encoding: chunked\r\n\r\n".encode())
        chunk = b"<p>" + b"x" * 65530 + b"</p>"
        frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        if req.method == "HEAD":
            await w.drain()
            return True
        for _ in range(1_000_000):  # ~64 GB: "endless" for any test
            w.write(frame)
            await w.drain()
        return False

    async def cookie_bounce(self, req: Request, w: asyncio.StreamWriter) -> bool:
        """Sets a cookie and redirects to itself; answers 200 once the cookie comes back."""
        if "seen=1" in req.headers.get("cookie", ""):
            return await respond(w, req, 200, page("Cookie bounce article"))
        return await respond(
            w, req, 302, b"", {"Location": req.target, "Set-Cookie": "seen=1; Path=/"}
        )

    # --- plumbing ------------------------------------------------------------------------

    async def _serve_one(self, reader: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        routes = self._routes
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                method, target, _ = line.decode("latin-1").split(" ", 2)
                headers = {}
                while True:
                    h = await reader.readline()
                    if h in (b"\r\n", b"\n", b""):
                        break
                    k, _, v = h.decode("latin-1").partition(":")
                    headers[k.strip().lower()] = v.strip()
                req = Request(method, target, headers)
                self.hits[req.target] += 1
                handler = routes.get(req.path) or fixed(404, page("Not Found"))
                if req.headers.get("host", "").startswith("soft.") and req.path != "/":
                    # A site that answers every path, real or not, with its front page.
                    handler = fixed(200, GENERIC)
                if not await handler(req, w):
                    return
        except (ConnectionError, ValueError, asyncio.IncompleteReadError):
            return
        finally:
            with contextlib.suppress(Exception):
                w.close()

    def start(self) -> FaultServer:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

        async def boot() -> None:
            first = await asyncio.start_server(self._serve_one, self.hosts[0], self.port)
            self.port = first.sockets[0].getsockname()[1]
            self.servers = [first] + [
                await asyncio.start_server(self._serve_one, h, self.port) for h in self.hosts[1:]
            ]

        asyncio.run_coroutine_threadsafe(boot(), self.loop).result(10)
        self._routes = self.routes()
        return self

    def stop(self) -> None:
        if self.loop is None:
            return

        async def down() -> None:
            for s in self.servers:
                s.close()
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in others:
                t.cancel()
            await asyncio.gather(*others, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(down(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)


def free_port() -> int:
    """A port nothing listens on: "connection refused"."""
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
