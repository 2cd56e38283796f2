"""The archive clients with respx standing in for the network: the documented answer shapes
of the real endpoints (archive.org, web.archive.org), retries, Retry-After and the breaker.

No request leaves the process: the respx router is the client's transport.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
import respx
from helpers import brief, cite, results

from citecheck.archive import memento, wayback
from citecheck.archive.http import BREAKER_FAILURES, ArchiveHttp, ArchiveUnavailable
from citecheck.archive.stage import check_archives
from citecheck.archive.types import State
from citecheck.config import ArchiveConfig, Config
from citecheck.model import Verdict
from citecheck.net.facts import Fetched
from citecheck.net.http import Http
from citecheck.net.limits import Limits

AVAILABLE = "https://archive.org/wayback/available"
CDX = "https://web.archive.org/cdx/search/cdx"
GATE = "https://web.archive.org/web/"
URL = "https://example.org/report"
DAY = dt.date(2024, 4, 5)

CONFIG = Config(retry_backoff=0.01, archive=ArchiveConfig(interval=0.0, retries=2))


def available(stamp: str | None, status: str = "200") -> httpx.Response:
    if stamp is None:
        return httpx.Response(200, json={"url": URL, "archived_snapshots": {}})
    return httpx.Response(200, json={"url": URL, "archived_snapshots": {"closest": {
        "available": True, "status": status, "timestamp": stamp,
        "url": f"http://web.archive.org/web/{stamp}/{URL}"}}})


def cdx(*rows: tuple[str, str]) -> httpx.Response:
    header = ["timestamp", "original", "statuscode", "digest", "mimetype"]
    body = [header] + [[s, URL, code, f"D{s}", "text/html"] for s, code in rows] if rows else []
    return httpx.Response(200, json=body)


def with_router(
    test: Callable[[respx.Router, ArchiveHttp, list[float]], Awaitable[Any]],
    config: Config = CONFIG,
) -> Any:
    """Run `test` with a router as the transport and a recorded (not slept) wait."""
    router = respx.Router(assert_all_called=False)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def main() -> Any:
        transport = httpx.MockTransport(router.async_handler)
        async with httpx.AsyncClient(transport=transport) as c:
            http = Http(c, transport, config, Limits(10, 10, 0.0), sleep=sleep)
            return await test(router, ArchiveHttp(http, config, ()), waits)

    return asyncio.run(main())


def test_retry_after_is_honoured_then_the_answer_is_used() -> None:
    async def test(router: respx.Router, http: ArchiveHttp, waits: list[float]) -> None:
        router.get(AVAILABLE).mock(side_effect=[
            httpx.Response(429, headers={"Retry-After": "2"}), available("20240404000000")])
        answer = await wayback.lookup(http, CONFIG.archive, URL, DAY)
        assert answer.state is State.FOUND
        assert answer.capture.url == f"https://web.archive.org/web/20240404000000/{URL}"
        assert waits == [2.0] and http.requests == 2

    with_router(test)


def test_a_long_retry_after_switches_the_archive_off_without_waiting() -> None:
    """Not waited for, nor retried; an archive asking it of three look-ups in a row is
    switched off (one asking it of a single look-up is not: test below)."""
    async def test(router: respx.Router, http: ArchiveHttp, waits: list[float]) -> None:
        route = router.get(AVAILABLE).mock(
            return_value=httpx.Response(429, headers={"Retry-After": "7200"}))
        for n in range(BREAKER_FAILURES):
            with pytest.raises(ArchiveUnavailable, match="7200"):
                await http.get(AVAILABLE, params={"url": f"u{n}"})
        with pytest.raises(ArchiveUnavailable, match="not asked again"):
            await http.get(AVAILABLE, params={"url": "next"})
        assert route.call_count == BREAKER_FAILURES and waits == []

    with_router(test)


@pytest.mark.parametrize("fault", [
    httpx.Response(429, headers={"Retry-After": "7200"}), httpx.Response(500),
    httpx.ReadTimeout("no answer"),
])
def test_one_look_up_the_archive_cannot_answer_does_not_switch_it_off(
    fault: httpx.Response | Exception,
) -> None:
    """A fault catalogue's "archive 429/500/timeout" case for one URL among good ones: that
    look-up is A504, the look-ups after it are asked and answered."""
    async def test(router: respx.Router, http: ArchiveHttp, waits: list[float]) -> None:
        def answer(request: httpx.Request) -> httpx.Response:
            if request.url.params["url"] == "bad":
                if isinstance(fault, Exception):
                    raise fault
                return fault
            return httpx.Response(200, json={"archived_snapshots": {}})

        route = router.get(AVAILABLE).mock(side_effect=answer)
        await http.get(AVAILABLE, params={"url": "first"})
        with pytest.raises(ArchiveUnavailable):
            await http.get(AVAILABLE, params={"url": "bad"})
        for n in range(2 * BREAKER_FAILURES):
            got = await http.get(AVAILABLE, params={"url": f"good{n}"})
            assert got.status == 200
        assert route.call_count >= 2 + 2 * BREAKER_FAILURES

    with_router(test)


def test_server_errors_are_retried_then_unavailable() -> None:
    async def test(router: respx.Router, http: ArchiveHttp, waits: list[float]) -> None:
        route = router.get(AVAILABLE).mock(return_value=httpx.Response(502))
        with pytest.raises(ArchiveUnavailable, match="HTTP 502"):
            await http.get(AVAILABLE)
        assert route.call_count == 3 and len(waits) == 2

    with_router(test)


def test_a_refusing_archive_is_switched_off() -> None:
    async def test(router: respx.Router, http: ArchiveHttp, waits: list[float]) -> None:
        route = router.get(AVAILABLE).mock(side_effect=httpx.ConnectError("Connection refused"))
        with pytest.raises(ArchiveUnavailable, match="refused"):
            await http.get(AVAILABLE)
        with pytest.raises(ArchiveUnavailable, match="not asked again"):
            await http.get(AVAILABLE, params={"url": "other"})
        assert route.call_count == 3

    with_router(test)


def test_an_archive_whose_connections_time_out_is_switched_off_at_once() -> None:
    """A firewall dropping packets: one connect timeout, not three, switches the archive's
    machine off (each would cost the run a whole timeout), CDX on it included."""
    async def test(router: respx.Router, http: ArchiveHttp, waits: list[float]) -> None:
        route = router.get(AVAILABLE).mock(side_effect=httpx.ConnectTimeout("timed out"))
        with pytest.raises(ArchiveUnavailable, match="connect timed out"):
            await http.get(AVAILABLE)
        other = router.get("https://archive.org/cdx/search").mock(
            side_effect=httpx.ConnectTimeout("timed out"))
        with pytest.raises(ArchiveUnavailable, match="not asked again"):
            await http.get("https://archive.org/cdx/search", params={"url": "other"})
        assert (route.call_count, other.call_count) == (1, 0)

    with_router(test)


def test_private_addresses_are_refused_unless_allowed() -> None:
    async def test(router: respx.Router, http: ArchiveHttp, waits: list[float]) -> None:
        route = router.get(url__startswith="http://169.254.169.254/").mock(
            return_value=httpx.Response(200))
        with pytest.raises(ArchiveUnavailable, match="metadata"):
            await http.get("http://169.254.169.254/latest/meta-data/")
        assert route.call_count == 0

    with_router(test)


def test_cdx_is_asked_up_to_the_date_with_a_status_filter_then_after_it() -> None:
    async def test(router: respx.Router, http: ArchiveHttp, waits: list[float]) -> None:
        router.get(AVAILABLE).mock(return_value=available("20240601000000"))
        route = router.get(CDX).mock(side_effect=[cdx(), cdx(("20240501000000", "200"))])
        answer = await wayback.lookup(http, CONFIG.archive, URL, DAY)
        first, second = (c.request.url.params for c in route.calls)
        assert first["filter"] == "statuscode:200" and first["to"] == "20240405235959"
        assert first["output"] == "json" and "from" not in first
        assert second["from"] == "20240405235959" and second["limit"] == "10"
        assert answer.state is State.FOUND
        assert answer.capture.timestamp == dt.datetime(2024, 5, 1, tzinfo=dt.UTC)

    with_router(test)


def test_an_availability_capture_before_the_date_settles_it_in_one_request() -> None:
    async def test(router: respx.Router, http: ArchiveHttp, waits: list[float]) -> None:
        router.get(AVAILABLE).mock(return_value=available("20240404000000"))
        route = router.get(CDX).mock(return_value=cdx())
        answer = await wayback.lookup(http, CONFIG.archive, URL, DAY)
        assert answer.state is State.FOUND and route.call_count == 0
        assert router.calls[0].request.url.params["timestamp"] == "20240405235959"

    with_router(test)


@pytest.mark.parametrize("body", [b"", b"[[", b'{"archived_snapshots": []}', b"<html>",
                                  b'{"archived_snapshots": {"closest": {"url": 3}}}'])
def test_garbage_from_the_availability_api_is_unavailable(body: bytes) -> None:
    config = Config(archive=ArchiveConfig(interval=0.0, wayback_cdx=""))

    async def test(router: respx.Router, http: ArchiveHttp, waits: list[float]) -> None:
        router.get(AVAILABLE).mock(return_value=httpx.Response(200, content=body))
        answer = await wayback.lookup(http, config.archive, URL, DAY)
        assert answer.state is State.UNAVAILABLE

    with_router(test, config)


def test_plain_cdx_lines_are_read_and_bad_rows_refused() -> None:
    good = httpx.Response(200, text=(
        f"org,example)/report 20240404000000 {URL} text/html 200 ABC 1234\n"
        f"org,example)/report 20240405000000 {URL} warc/revisit - ABC 567\n"))
    caps = wayback.parse_cdx(_answer(good), "https://web.archive.org/web/")
    assert [c.status for c in caps] == [200, 0] and caps[1].digest == "ABC"
    with pytest.raises(ArchiveUnavailable):
        wayback.parse_cdx(_answer(httpx.Response(200, text="oops not cdx\n")), "x/")
    with pytest.raises(ArchiveUnavailable):
        wayback.parse_cdx(_answer(httpx.Response(200, json=[["timestamp"], ["x", "y"]])), "x/")
    assert wayback.parse_cdx(_answer(httpx.Response(200, json=[])), "x/") == []


def _answer(response: httpx.Response) -> Fetched:
    return Fetched(CDX, CDX, response.status_code, "GET",
                   {k.lower(): v for k, v in response.headers.items()}, response.content)


def test_link_headers_with_commas_in_dates_are_parsed() -> None:
    links = memento.parse_links([
        '<https://example.org/>; rel="original", '
        '<https://a.org/web/20240101000000/x>; rel="first memento"; '
        'datetime="Mon, 01 Jan 2024 00:00:00 GMT", <https://a.org/timemap/x>; rel="timemap"'])
    assert [(u, sorted(r), d is not None) for u, r, d in links] == [
        ("https://example.org/", ["original"], False),
        ("https://a.org/web/20240101000000/x", ["first", "memento"], True),
        ("https://a.org/timemap/x", ["timemap"], False)]


def test_timegate_redirect_is_verified_and_dated_by_memento_datetime() -> None:
    memento_url = "https://archive.example/m/abc"

    async def test(router: respx.Router, http: ArchiveHttp, waits: list[float]) -> None:
        gate = router.get(f"https://archive.example/tg/{URL}").mock(return_value=httpx.Response(
            302, headers={"Location": "/m/abc", "Vary": "accept-datetime"}))
        router.get(memento_url).mock(return_value=httpx.Response(
            200, headers={"Memento-Datetime": "Wed, 03 Apr 2024 08:00:00 GMT"}))
        answer = await memento.lookup(http, "https://archive.example/tg/", URL, DAY)
        assert gate.calls[0].request.headers["Accept-Datetime"] == "Fri, 05 Apr 2024 23:59:59 GMT"
        assert answer.state is State.FOUND and answer.archive == "archive.example"
        assert answer.capture.url == memento_url
        assert answer.capture.timestamp == dt.datetime(2024, 4, 3, 8, tzinfo=dt.UTC)

    with_router(test)


def test_timegate_200_style_answer_is_the_memento() -> None:
    async def test(router: respx.Router, http: ArchiveHttp, waits: list[float]) -> None:
        router.get(f"{GATE}{URL}").mock(return_value=httpx.Response(200, headers={
            "Memento-Datetime": "Tue, 02 Apr 2024 00:00:00 GMT",
            "Content-Location": f"/web/20240402000000/{URL}"}))
        answer = await memento.lookup(http, GATE, URL, DAY)
        assert answer.state is State.FOUND
        assert answer.capture.url == f"https://web.archive.org/web/20240402000000/{URL}"

    with_router(test)


def test_timegate_without_memento_headers_is_not_trusted() -> None:
    async def test(router: respx.Router, http: ArchiveHttp, waits: list[float]) -> None:
        router.get(f"{GATE}{URL}").mock(return_value=httpx.Response(200, text="Welcome!"))
        assert (await memento.lookup(http, GATE, URL, DAY)).state is State.UNAVAILABLE
        router.get(f"{GATE}{URL}2").mock(return_value=httpx.Response(404))
        assert (await memento.lookup(http, GATE, URL + "2", DAY)).state is State.MISSING

    with_router(test)


def test_the_stage_over_the_default_endpoints() -> None:
    """The default configuration's three endpoints, answered the way archive.org answers:
    an availability capture after the date, a CDX capture before it."""
    router = respx.Router(assert_all_called=False)
    router.get(AVAILABLE).mock(return_value=available("20240420000000"))
    router.get(CDX).mock(return_value=cdx(("20240302101010", "200")))
    gate = router.get(url__startswith=GATE).mock(return_value=httpx.Response(404))
    config = Config(cache=False, archive=ArchiveConfig(interval=0.0))
    out = asyncio.run(check_archives(
        [brief(cite(URL))], results(**{URL: Verdict.DEAD}), config,
        transport=httpx.MockTransport(router.async_handler)))
    snap = out.results[URL].archive
    assert snap.url == f"https://web.archive.org/web/20240302101010/{URL}"
    assert gate.call_count == 0  # settled before the date: the TimeGate is not asked
    assert [f.code for f in out.findings[0]] == ["A501"]


def test_a_memento_that_does_not_replay_as_a_200_is_rejected() -> None:
    async def test(router: respx.Router, http: ArchiveHttp, waits: list[float]) -> None:
        for name, headers in (("err", {"Memento-Datetime": "Wed, 03 Apr 2024 08:00:00 GMT"}),
                              ("plain", {})):
            router.get(f"https://a.example/tg/{URL}{name}").mock(return_value=httpx.Response(
                302, headers={"Location": f"https://a.example/m/20240403080000/{URL}{name}"}))
            router.get(f"https://a.example/m/20240403080000/{URL}{name}").mock(
                return_value=httpx.Response(404, headers=headers))
        rejected = await memento.lookup(http, "https://a.example/tg/", URL + "err", DAY)
        assert rejected.state is State.MISSING
        plain = await memento.lookup(http, "https://a.example/tg/", URL + "plain", DAY)
        assert plain.state is State.MISSING  # a reader following it would get a 404

    with_router(test)


def test_cdx_json_rows_without_a_header_in_the_servers_own_order() -> None:
    rows = [["org,example)/report", "20240404000000", URL, "text/html", "404", "A", "9"],
            ["org,example)/report", "20240403000000", URL, "text/html", "200", "B", "9"]]
    caps = wayback.parse_cdx(_answer(httpx.Response(200, json=rows)), "x/")
    assert [(c.status, c.digest) for c in caps] == [(404, "A"), (200, "B")]
