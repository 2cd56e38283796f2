"""How a run is carried out, as opposed to what it concludes: the limits hold for every
request of the run, each URL is fetched once, a cancelled run leaves nothing running, the
library leaves the process's GC alone, and links and archives share one loop and one client.
"""

from __future__ import annotations

import asyncio
import gc
from collections import Counter

import httpx
import pytest
import respx
from nethelp import fast_config

from citecheck import online
from citecheck.config import ArchiveConfig
from citecheck.model import Verdict
from citecheck.net import http as net_http
from citecheck.net.checker import check_urls
from citecheck.net.page import Page
from citecheck.parse import parse
from citecheck.pipeline import collect_links
from citecheck.readers.text import Source


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
        self.gc_seen: set[tuple[object, ...]] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        self.asked[str(request.url)] += 1
        self.gc_seen.add((gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()))
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
def test_limits_hold_and_each_url_is_fetched_once(per_host: int, in_all: int) -> None:
    hosts = [f"h{i}.example.org" for i in range(5)]
    urls = [f"https://{hosts[i % 5]}/annual-figures-{i:04d}" for i in range(600)]
    counting = _Counting()
    config = fast_config(host_concurrency=per_host, max_concurrency=in_all)
    outcome = asyncio.run(check_urls(urls + urls[:50], config, transport=counting))
    assert list(outcome.results) == urls
    assert all(r.verdict is Verdict.OK for r in outcome.results.values())
    assert outcome.requests == len(urls)
    assert sorted(counting.asked) == sorted(urls) and set(counting.asked.values()) == {1}
    assert max(counting.peak.values()) <= per_host
    assert counting.peak_total == min(in_all, per_host * len(hosts))  # reached, never passed


def test_cancelling_a_run_leaves_nothing_running() -> None:
    counting = _Counting(delay=10.0)
    urls = [f"https://h{i % 3}.example.org/report/{i}" for i in range(300)]

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
        assert counting.total == 0

    asyncio.run(main())


def test_the_library_leaves_the_gc_alone() -> None:
    before = (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled())
    counting = _Counting(delay=0.0)
    asyncio.run(check_urls([f"https://h.example.org/annual-{i:04d}" for i in range(50)],
                           fast_config(), transport=counting))
    assert counting.gc_seen == {before}
    assert (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()) == before


def test_links_archives_and_drift_share_one_loop_and_one_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """check_online: one event loop and one client for the run; the link check, the archive
    look-up of the dead link and the drift comparison of the live one all go to the client's
    transport (the respx router standing in for the network sees every request)."""
    loops: list[object] = []
    real_run = online._run

    def counted(coro: object) -> online.OnlineOutcome:
        loops.append(coro)
        return real_run(coro)

    dead, live = "https://gone.example.org/report", "https://live.example.org/story"
    router = respx.Router(assert_all_called=False)
    router.get(dead).mock(return_value=httpx.Response(404))
    page = "<html><body><main><p>" + " ".join(f"word{i}" for i in range(80)) + "</p></main>"
    router.get(live).mock(return_value=httpx.Response(
        200, headers={"content-type": "text/html"}, text=f"<title>Story</title>{page}"))
    router.get("https://archive.test/wayback/available").mock(return_value=httpx.Response(
        200, json={"archived_snapshots": {"closest": {
            "available": True, "status": "200", "timestamp": "20240101000000",
            "url": f"https://archive.test/web/20240101000000/{dead}"}}}))
    router.get(url__startswith="https://archive.test/web/").mock(
        return_value=httpx.Response(200, text=page))
    transport = httpx.MockTransport(router.async_handler)
    clients: list[object] = []
    real_init = httpx.AsyncClient.__init__

    def init(self: httpx.AsyncClient, *args: object, **kw: object) -> None:
        clients.append(self)
        real_init(self, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(httpx.AsyncClient, "__init__", init)
    monkeypatch.setattr(online, "_run", counted)
    monkeypatch.setattr(net_http, "open_client", _with_transport(transport))
    archive = ArchiveConfig(wayback_available="https://archive.test/wayback/available",
                            wayback_cdx="", timegates=(), interval=0.0)
    config = fast_config(archive=archive, allow_private=False)
    doc = parse(Source("b.txt", "text", (
        "Ports.[1] Ships.[2]\n\nEndnotes\n\n"
        f"1. Jane Doe, *Gone*, 2023, <{dead}> (accessed January 2, 2024).\n"
        f"2. Jane Doe, *Live*, 2023, <{live}> (accessed January 2, 2024).\n")), path="b.txt")
    outcome = online.check_online([doc], [collect_links(doc)], config)
    assert len(loops) == 1 and len(clients) == 1
    assert outcome.results[dead].verdict is Verdict.DEAD
    assert outcome.results[dead].archive is not None
    asked = {str(c.request.url).split("?")[0] for c in router.calls}
    assert {dead, live, "https://archive.test/wayback/available"} <= asked


def _with_transport(transport: httpx.AsyncBaseTransport) -> object:
    real = net_http.open_client

    def opener(config: object, **kw: object) -> object:
        return real(config, transport=transport)  # type: ignore[arg-type]

    return opener


def test_respx_sees_the_request_users_send() -> None:
    """The headers a user's run sends (user agent, per-host extras, Host) are what respx
    sees: tests and production share the request path."""
    router = respx.Router()
    route = router.get("https://capture.example.org/annual-figures-2024").mock(
        return_value=httpx.Response(200, headers={"content-type": "text/html"},
                                    text="<title>Annual figures 2024</title>"))
    config = fast_config(user_agent="citecheck-test/1.0",
                         headers={"capture.example.org": {"X-Token": "abc"}})
    outcome = asyncio.run(check_urls(["https://capture.example.org/annual-figures-2024"],
                                     config, transport=httpx.MockTransport(router.async_handler)))
    sent = route.calls[0].request.headers
    assert sent["user-agent"] == "citecheck-test/1.0"
    assert sent["x-token"] == "abc"
    assert sent["host"] == "capture.example.org"
    assert [r.verdict for r in outcome.results.values()] == [Verdict.OK]


def test_page_facts_are_computed_once() -> None:
    page = Page(b"<html><title>A &amp; B</title><h1>Heading</h1></html>")
    assert page.title == "A & B"
    assert page.__dict__["title"] == "A & B"
    assert page.heading == "Heading"
