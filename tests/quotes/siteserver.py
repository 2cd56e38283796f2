"""A small site on 127.0.0.1 serving the quotation fixtures' sources, as a publisher would:
HTML pages, a PDF (with HEAD answered, as link checkers send it), a paywalled article and a
page that is gone. Every request is logged, so tests can count what a run fetched."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SOURCES = Path(__file__).resolve().parents[2] / "fixtures" / "quotes" / "sources"
PAYWALLED = (
    b"<!DOCTYPE html><html><head><title>Quota talks went to the wire | Harbour Letter</title>"
    b"</head><body><article><h1>Quota talks went to the wire</h1><p>The talks nearly</p>"
    b'<div class="paywall-overlay" data-paywall="true"><p>Subscribe to continue reading.</p>'
    b"</div></article></body></html>"
)
TYPES = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf"}


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # socketserver's 5 drops connections a checker opens at once
    daemon_threads = True


class Site:
    def __init__(self) -> None:
        self.log: list[tuple[str, str]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_HEAD(self) -> None:
                self._answer(with_body=False)

            def do_GET(self) -> None:
                self._answer(with_body=True)

            def _answer(self, with_body: bool) -> None:
                site.log.append((self.command, self.path))
                status, kind, body = site.page(self.path)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if with_body:
                    self.wfile.write(body)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def page(self, path: str) -> tuple[int, str, bytes]:
        path = path.split("?", 1)[0]
        if path.startswith("/paywalled/"):
            return 200, TYPES[".html"], PAYWALLED
        file = SOURCES / path.lstrip("/")
        if path.startswith("/gone/") or not file.is_file() or file.parent != SOURCES:
            return 404, TYPES[".html"], b"<html><title>Page not found</title></html>"
        return 200, TYPES.get(file.suffix, "text/plain"), file.read_bytes()

    def fetched(self, method: str = "GET") -> list[str]:
        return [p for m, p in self.log if m == method]

    def start(self) -> Site:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
