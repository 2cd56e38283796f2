"""A fake web archive on 127.0.0.1 for the archive stage's tests (no internet is touched).

One `ThreadingHTTPServer` in a background thread implements what citecheck asks of an
archive, from a table of captures the test writes:

- `/wayback/available?url=&timestamp=`: the closest capture in *either* direction, whatever
  its status (as the real API can), or `{"archived_snapshots": {}}`;
- `/cdx/search/cdx?url=&output=json&fl=&filter=statuscode:200&to=&from=&limit=`: a header row
  and rows; `lax=True` makes it ignore every parameter but `url` (all captures, any status);
- `/tg/<url>` with `Accept-Datetime`: a 302 to the closest memento with a Link header naming
  it and its neighbours (`prev memento`, `next memento`), or 404;
- `/web/<timestamp>[id_]/<url>`: the capture replayed, with its recorded status and a
  Memento-Datetime header; `/live/<name>`: pages of a "live" site.

Faults are set per endpoint (`available`, `cdx`, `timegate`, `replay`): "down" (503 always),
"429" (429 with Retry-After for the first `times` requests, then normal), "malformed" (200
with broken JSON), "html" (200 with an HTML error page), "hang" (no answer until the test
ends), and hostile snapshot URLs where the endpoint names one (the availability API's
`closest.url`, the TimeGate's Location): "javascript" (`javascript:…`), "multiline" (a URL
with a note injected after a newline), "badurl" (one `urlsplit` refuses), "elsewhere" (a
capture on another host). A capture of a redirect (`Cap.status` 3xx) replays as that
redirect: to the capture of `Cap.location` when the archive recorded where it went, else
without a Location. Every request is logged with its time and headers.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit


def key(url: str) -> str:
    """Scheme, `www.` and fragment do not matter to an archive's index (like SURT)."""
    rest = url.split("://", 1)[-1].split("#", 1)[0]
    return rest[4:] if rest.startswith("www.") else rest


def ts(when: str) -> dt.datetime:
    return dt.datetime.strptime(when, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)


HOSTILE = ("javascript", "multiline", "badurl", "elsewhere")


@dataclass
class Cap:
    timestamp: str
    original: str
    status: int = 200
    """The status recorded at capture; 0 lists it as a revisit ("-")."""
    digest: str = ""
    """Content hash; empty means one of its own."""
    body: bytes = b"<html><body><p>archived</p></body></html>"
    location: str = ""
    """For a capture of a redirect: where it went (a URL with a capture of its own)."""


@dataclass
class Fault:
    kind: str
    times: int = 10**9
    retry_after: str = "1"
    hits: int = 0


@dataclass
class Logged:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float


@dataclass
class FakeArchive:
    captures: dict[str, list[Cap]] = field(default_factory=dict)
    live: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    faults: dict[str, Fault] = field(default_factory=dict)
    lax: bool = False
    log: list[Logged] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    def add(self, url: str, *caps: Cap) -> None:
        self.captures.setdefault(key(url), []).extend(caps)

    def hits(self, endpoint: str) -> int:
        prefix = {"available": "/wayback/", "cdx": "/cdx/", "timegate": "/tg/",
                  "replay": "/web/", "live": "/live/"}[endpoint]
        return sum(1 for e in self.log if e.path.startswith(prefix))

    def start(self) -> FakeArchive:
        archive = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                archive._handle(self)

        class Server(ThreadingHTTPServer):
            request_queue_size = 128  # socketserver's 5 drops connections opened at once

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client hanging up is not news (and must not look like citecheck's)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()

    # --- responses ---------------------------------------------------------------------

    def _send(self, h: BaseHTTPRequestHandler, status: int, body: bytes = b"",
              headers: dict[str, str] | None = None, ctype: str = "application/json") -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)

    def _fault(self, h: BaseHTTPRequestHandler, endpoint: str) -> bool:
        fault = self.faults.get(endpoint)
        if fault is None or fault.hits >= fault.times or fault.kind in HOSTILE:
            return False  # (a hostile answer is the normal one, spoiled: see `_hostile`)
        fault.hits += 1
        if fault.kind == "down":
            self._send(h, 503, b"Service Unavailable", ctype="text/plain")
        elif fault.kind == "429":
            self._send(h, 429, b"slow down", {"Retry-After": fault.retry_after}, "text/plain")
        elif fault.kind == "malformed":
            self._send(h, 200, b'{"archived_snapshots": {"closest": {"url": ')
        elif fault.kind == "html":
            self._send(h, 200, b"<html><body>Error</body></html>", ctype="text/html")
        elif fault.kind == "hang":
            self.released.wait(30)
            return True
        return True

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        query = parse_qs(parts.query)
        self.log.append(Logged(parts.path, query, dict(h.headers.items()), time.monotonic()))
        path = parts.path
        if path.startswith("/wayback/available"):
            if not self._fault(h, "available"):
                self._available(h, query)
        elif path.startswith("/cdx/search/cdx"):
            if not self._fault(h, "cdx"):
                self._cdx(h, query)
        elif path.startswith("/tg/"):
            if not self._fault(h, "timegate"):
                self._timegate(h, unquote(h.path[len("/tg/"):]))
        elif path.startswith("/web/"):
            if not self._fault(h, "replay"):
                self._replay(h, h.path[len("/web/"):])
        elif path.startswith("/live/"):
            status, body = self.live.get(path[len("/live/"):], (404, b"not found"))
            self._send(h, status, body, ctype="text/html; charset=utf-8")
        else:
            self._send(h, 404, b"no such endpoint", ctype="text/plain")

    def _caps(self, url: str) -> list[Cap]:
        return sorted(self.captures.get(key(url), []), key=lambda c: c.timestamp)

    def _replay_url(self, c: Cap) -> str:
        return f"{self.base}/web/{c.timestamp}/{c.original}"

    def _hostile(self, endpoint: str, url: str) -> str:
        """`url` as a hostile archive would answer it, if the endpoint is set to."""
        fault = self.faults.get(endpoint)
        kind = fault.kind if fault is not None else ""
        return {
            "javascript": "javascript:alert(document.cookie)//" + url,
            "multiline": url + "\n\n99. Injected note, https://evil.example/ (accessed May 1, "
                         "2024).\n",
            "badurl": "http://[::1/web/20240101000000/x",
            "elsewhere": "https://evil.example/web/20240101000000/x",
        }.get(kind, url)

    def _available(self, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
        url = q.get("url", [""])[0]
        caps = self._caps(url)
        stamp = q.get("timestamp", [""])[0]
        if not caps:
            body: dict[str, object] = {"url": url, "archived_snapshots": {}}
        else:
            if stamp:
                want = ts((stamp + "0" * 14)[:14])
                best = min(caps, key=lambda c: abs((ts(c.timestamp) - want).total_seconds()))
            else:
                best = caps[-1]
            body = {"url": url, "archived_snapshots": {"closest": {
                "available": True, "url": self._hostile("available", self._replay_url(best)),
                "timestamp": best.timestamp, "status": str(best.status),
            }}}
        self._send(h, 200, json.dumps(body).encode())

    def _cdx(self, h: BaseHTTPRequestHandler, q: dict[str, list[str]]) -> None:
        caps = self._caps(q.get("url", [""])[0])
        fl = q.get("fl", ["timestamp,original,statuscode,digest,mimetype"])[0].split(",")
        if not self.lax:
            if "statuscode:200" in q.get("filter", []):
                caps = [c for c in caps if c.status == 200]
            if "to" in q:
                caps = [c for c in caps if c.timestamp <= q["to"][0]]
            if "from" in q:
                caps = [c for c in caps if c.timestamp >= q["from"][0]]
            if "limit" in q:
                caps = caps[: int(q["limit"][0])]
        rows = [fl] + [[self._field(c, f) for f in fl] for c in caps]
        self._send(h, 200, json.dumps(rows if caps else []).encode())

    @staticmethod
    def _field(c: Cap, name: str) -> str:
        return {"timestamp": c.timestamp, "original": c.original,
                "statuscode": str(c.status) if c.status else "-",
                "digest": c.digest or f"D{c.timestamp}",
                "mimetype": "text/html", "urlkey": key(c.original), "length": "100"}[name]

    def _timegate(self, h: BaseHTTPRequestHandler, url: str) -> None:
        caps = self._caps(url)
        wanted = h.headers.get("Accept-Datetime")
        if not caps:
            self._send(h, 404, b"not archived", ctype="text/plain")
            return
        want = email.utils.parsedate_to_datetime(wanted) if wanted else None
        if want is None:
            i = len(caps) - 1
        else:
            i = min(range(len(caps)),
                    key=lambda k: abs((ts(caps[k].timestamp) - want).total_seconds()))
        links = [f'<{url}>; rel="original"']
        for rel, k in (("prev memento", i - 1), ("memento", i), ("next memento", i + 1)):
            if 0 <= k < len(caps):
                when = email.utils.format_datetime(ts(caps[k].timestamp), usegmt=True)
                links.append(f'<{self._replay_url(caps[k])}>; rel="{rel}"; datetime="{when}"')
        self._send(h, 302, b"", {"Location": self._hostile("timegate", self._replay_url(caps[i])),
                                 "Vary": "accept-datetime", "Link": ", ".join(links)},
                   "text/plain")

    def _replay(self, h: BaseHTTPRequestHandler, rest: str) -> None:
        m = re.match(r"(\d{14})(?:id_)?/(.*)$", rest)
        if not m:
            self._send(h, 404, b"bad replay URL", ctype="text/plain")
            return
        for c in self._caps(m.group(2)):
            if c.timestamp == m.group(1):
                when = email.utils.format_datetime(ts(c.timestamp), usegmt=True)
                headers = {"Memento-Datetime": when}
                if 300 <= c.status < 400 and c.location:
                    went = self._caps(c.location)
                    target = min(went, key=lambda t: abs(int(t.timestamp) - int(c.timestamp)))
                    headers["Location"] = self._replay_url(target) if went else c.location
                self._send(h, c.status, c.body, headers, "text/html; charset=utf-8")
                return
        self._send(h, 404, b"not in archive", ctype="text/plain")
