"""How a run is carried out, as opposed to what it concludes: the per-host workers keep the
limits, the direct way through our transport answers exactly as the httpx way does, and the
event-loop runner gives back the GC as it found it.

These pin down the speed work of bench/bench_links.py (see net/checker.py, net/fetch.py and
net/transport.py for the figures): none of it may change a verdict.
"""

from __future__ import annotations

import asyncio
import gc
import uuid
from collections import Counter
from urllib.parse import urlsplit

import httpx
import pytest
from faultserver import FaultServer
from nethelp import FakeResolver, fast_config, run
from test_verdicts import EXPECTED, _urls

from citecheck.model import LinkResult, Verdict
from citecheck.net.checker import FEED_CHUNK, _Run, check_urls
from citecheck.net.fetch import Fetcher
from citecheck.net.limits import Limits
from citecheck.net.page import Page
from citecheck.net.transport import AiohttpTransport, loop_runner, open_client


class _Counting(httpx.AsyncBaseTransport):
    """Answers 200 after `delay` s and records how many requests were in flight, per host
    and in all, and how often each URL was asked for."""

    def __init__(self, delay: float = 0.005) -> None:
        self.delay = delay
        self.now: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.total = 0
        self.peak_total = 0
        self.asked: Counter[str] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        self.asked[str(request.url)] += 1
        self.now[host] += 1
        self.total += 1
        self.peak[host] = max(self.peak[host], self.now[host])
        self.peak_total = max(self.peak_total, self.total)
        try:
            await asyncio.sleep(self.delay)
        finally:
            self.now[host] -= 1
            self.total -= 1
        # A title that names its path, so that no soft-404 probe is made.
        return httpx.Response(
            200, headers={"content-type": "text/html"},
            content=f"<title>Annual figures {request.url.path[-4:]}</title>".encode(),
        )


@pytest.mark.parametrize(("per_host", "in_all"), [(3, 100), (3, 8)])
def test_workers_keep_host_and_global_limits_and_fetch_each_url_once(
    per_host: int, in_all: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # More URLs than one feeding chunk, so that hosts get URLs after their workers started.
    hosts = [f"h{i}.example.org" for i in range(5)]
    urls = [f"https://{hosts[i % 5]}/annual-figures-{i:04d}" for i in range(3 * FEED_CHUNK)]
    counting = _Counting()
    config = fast_config(host_concurrency=per_host, max_concurrency=in_all)
    workers: list[int] = []
    finish = _Run.finish

    async def counted(run: _Run) -> None:
        workers.append(len(run.workers))
        await finish(run)

    monkeypatch.setattr(_Run, "finish", counted)
    outcome = asyncio.run(check_urls(urls, config, transport=counting))

    assert workers[0] <= per_host * len(hosts)  # workers wait for more URLs, not end and restart

    assert list(outcome.results) == urls
    assert all(r.verdict is Verdict.OK for r in outcome.results.values())
    assert outcome.requests == len(urls)
    assert sorted(counting.asked) == sorted(urls) and set(counting.asked.values()) == {1}
    assert max(counting.peak.values()) <= per_host
    assert counting.peak_total == min(in_all, per_host * len(hosts))  # reached, never passed


def test_a_host_whose_queue_ran_dry_gets_workers_again() -> None:
    # The first chunk has a single URL for h1; more for it arrive in later chunks, after its
    # first worker may have finished: they must still be fetched.
    urls = ["https://h1.example.org/annual-figures-0000"] + [
        f"https://{'h1' if i % 50 == 0 else 'h2'}.example.org/annual-figures-{i:04d}"
        for i in range(1, 4 * FEED_CHUNK)
    ]
    counting = _Counting(delay=0.0)
    outcome = asyncio.run(check_urls(urls, fast_config(host_concurrency=2), transport=counting))
    assert sorted(counting.asked) == sorted(urls)
    assert all(r.verdict is Verdict.OK for r in outcome.results.values())


def test_cancelling_a_run_cancels_its_workers() -> None:
    counting = _Counting(delay=10.0)
    urls = [f"https://h{i % 3}.example.org/report/{i}" for i in range(2 * FEED_CHUNK)]

    async def main() -> None:
        task = asyncio.ensure_future(check_urls(urls, fast_config(), transport=counting))
        await asyncio.sleep(0.05)
        assert counting.total > 0
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(0)
        others = asyncio.all_tasks() - {asyncio.current_task()}
        assert all(t.done() for t in others)

    asyncio.run(main())


class _Wrapped(httpx.AsyncBaseTransport):
    """Our aiohttp transport behind a plain httpx transport: the fetcher cannot tell it is
    ours, so every hop goes through httpx.Request/Response, as with respx."""

    def __init__(self, inner: AiohttpTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def test_direct_way_is_taken_for_our_transport_only() -> None:
    async def main() -> tuple[bool, bool]:
        config = fast_config()
        limits = Limits(1, 1, 0)
        async with open_client(config) as (client, transport):
            ours = Fetcher(client, transport, config, limits).direct is not None
        wrapped = _Wrapped(AiohttpTransport(config))
        async with open_client(config, transport=wrapped) as (client, transport):
            other = Fetcher(client, transport, config, limits).direct is not None
        return ours, other

    assert asyncio.run(main()) == (True, False)


def test_direct_and_httpx_ways_reach_the_same_results(server: FaultServer) -> None:
    """Every fault case, once straight through the transport and once through httpx's
    objects: the same verdict, reason, status, final URL, chain and detail."""
    config = fast_config()
    direct_urls = _urls(server, uuid.uuid4().hex)
    direct = run(list(direct_urls.values()), config)
    via_urls = _urls(server, uuid.uuid4().hex)
    via = run(list(via_urls.values()), config,
              transport=_Wrapped(AiohttpTransport(config, FakeResolver())))

    def facts(
        urls: dict[str, str], results: dict[str, LinkResult], name: str
    ) -> tuple[object, ...]:
        r = results[urls[name]]
        if name == "redirect loop":
            # Where a loop is caught depends on whether another URL of the run (the cookie
            # bounce) set a cookie meanwhile: the run shares one jar. Timing, not the way.
            return r.verdict, r.reason, r.status
        token_free = urlsplit(r.final_url or "").path  # ports and tokens differ
        return (r.verdict, r.reason, r.status, token_free, len(r.chain),
                r.detail.split("?", 1)[0])

    for name in EXPECTED:
        assert facts(direct_urls, direct.results, name) == facts(via_urls, via.results, name), name


def test_loop_runner_returns_the_value_and_restores_the_gc() -> None:
    threshold = gc.get_threshold()

    async def work() -> list[int]:
        assert gc.get_freeze_count() > 0  # what existed before the run is set aside
        await asyncio.sleep(0)
        return [1, 2, 3]

    assert loop_runner()(work()) == [1, 2, 3]
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0

    async def fail() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        loop_runner(use_uvloop=False)(fail())
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0


def test_page_facts_are_computed_once() -> None:
    page = Page(b"<html><title>A &amp; B</title><h1>Heading</h1></html>")
    assert page.title == "A & B"
    assert page.__dict__["title"] == "A & B"
    assert page.heading == "Heading"


def test_both_ways_send_the_same_request_head() -> None:
    """Header names spelt as a browser spells them, the configured user agent and per-domain
    headers, the same Host: byte for byte what each way puts on the wire."""
    heads: list[list[str]] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        heads.append(head.decode("latin-1").split("\r\n")[1:-2])
        body = b"<title>Annual figures 2024</title>"
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                     + str(len(body)).encode() + b"\r\n\r\n" + body)
        await writer.drain()
        writer.close()

    async def main() -> None:
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        url = f"http://capture.test:{port}/annual-figures-2024"
        config = fast_config(user_agent="citecheck-test/1.0",
                             headers={"capture.test": {"X-Token": "abc"}})
        resolver = FakeResolver()
        await check_urls([url], config, resolver=resolver)
        await check_urls([url], config,
                         transport=_Wrapped(AiohttpTransport(config, FakeResolver())))
        server.close()

    asyncio.run(main())
    direct, via = heads
    assert sorted(direct) == sorted(via)
    assert "User-Agent: citecheck-test/1.0" in direct
    assert "X-Token: abc" in direct
    assert any(h.startswith("Host: capture.test:") for h in direct)
