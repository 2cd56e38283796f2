"""A minimal, fast HTTP/1.1 server for benchmarks, run in its own process.

It answers every request with a small HTML page after an injected latency, on one port of
several loopback addresses (127.0.0.2, 127.0.0.3, … are all routed to `lo` on Linux), so a
benchmark can have many distinct hosts without DNS. It is a bare `asyncio.Protocol` rather
than a framework server because the point is to measure the client: at a few tens of
microseconds per request, the server stays far from being the bottleneck on two cores.

Only what a link checker sends is understood: GET and HEAD without a body, keep-alive.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing as mp
import os
import signal
import socket

PAGE = (
    "<!doctype html><html lang=en><head><meta charset=utf-8>"
    "<title>Report {n}: port traffic in {y}</title></head><body><main><h1>Report {n}</h1>"
    "<p>Paragraph one of report {n}, about port traffic and shipping in {y}.</p>"
    "<p>Paragraph two, with enough words to look like a real page to a classifier.</p>"
    "</main></body></html>"
)


_CHUNK = b"ffff\r\n" + b"<p>" + b"x" * (0xFFFF - 7) + b"</p>" + b"\r\n"


def _page(path: str) -> bytes:
    n = "".join(ch for ch in path if ch.isdigit()) or "0"
    return PAGE.format(n=n, y=2000 + int(n[-2:] or 0)).encode()


class _Http(asyncio.Protocol):
    """One connection: answer each complete request head in order, after `latency` s."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.streaming = False
        self.paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is no subclass

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            line = head.split(b"\r\n", 1)[0].split(b" ")
            method, path = line[0], line[1].decode("latin-1") if len(line) > 1 else "/"
            if path.startswith("/endless"):
                self._endless(path)
                return
            body = _page(path)
            response = (
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
                + (b"" if method == b"HEAD" else body)
            )
            if self.latency > 0:
                asyncio.get_running_loop().call_later(self.latency, self._send, response)
            else:
                self._send(response)

    def _endless(self, path: str) -> None:
        """A body that never ends, written as fast as the client reads it (flow control:
        asyncio calls pause_writing/resume_writing), until the client hangs up."""
        if self.transport is None:
            return
        head = f"<html><head><title>Endless stream {path}</title></head><body>".encode()
        self.transport.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
            + f"{len(head):x}\r\n".encode() + head + b"\r\n"
        )
        self.streaming = True
        self._pump()

    def _pump(self) -> None:
        while self.streaming and not self.paused and self.transport is not None:
            if self.transport.is_closing():
                return
            self.transport.write(_CHUNK)

    def pause_writing(self) -> None:
        self.paused = True

    def resume_writing(self) -> None:
        self.paused = False
        self._pump()

    def _send(self, response: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(response)

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        self.streaming = False


async def _serve(hosts: list[str], port: int, latency: float, ready: mp.Event) -> None:
    loop = asyncio.get_running_loop()
    servers = [
        await loop.create_server(lambda: _Http(latency), h, port, reuse_address=True, backlog=4096)
        for h in hosts
    ]
    ready.set()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    for s in servers:
        s.close()


def _run(hosts: list[str], port: int, latency: float, ready: mp.Event) -> None:
    try:
        import uvloop

        uvloop.run(_serve(hosts, port, latency, ready))
    except ImportError:
        asyncio.run(_serve(hosts, port, latency, ready))


def free_port(host: str = "127.0.0.2") -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class LoopbackServer:
    """`with LoopbackServer(hosts, latency) as port:` serves on every host at `port`."""

    def __init__(self, hosts: list[str], latency: float) -> None:
        self.hosts, self.latency = hosts, latency
        self.port = free_port(hosts[0])
        self.process: mp.Process | None = None

    def __enter__(self) -> int:
        ready = mp.get_context("fork").Event()
        self.process = mp.get_context("fork").Process(
            target=_run, args=(self.hosts, self.port, self.latency, ready), daemon=True
        )
        self.process.start()
        if not ready.wait(10):
            raise RuntimeError("benchmark server did not start")
        return self.port

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.pid is not None:
            os.kill(self.process.pid, signal.SIGTERM)
            self.process.join(5)
            if self.process.is_alive():
                self.process.kill()
