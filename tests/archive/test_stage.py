"""The archive stage against the fake archive on 127.0.0.1 (tests/archive/fakearchive.py).

Each test writes the captures and faults it needs; link verdicts are given directly (the link
checker has its own tests), so what is judged here is the look-up, the choice and the rules.
"""

from __future__ import annotations

import itertools
import time

from fakearchive import Cap, Fault
from helpers import brief, cite, codes, config, results, run

from citecheck.archive.types import State
from citecheck.model import Verdict

GONE = "https://gone.example.org/2024/report"


def test_nearest_capture_before_the_access_date_is_chosen(archive) -> None:
    archive.add(GONE, Cap("20230101000000", GONE), Cap("20240401120000", GONE),
                Cap("20240406090000", GONE), Cap("20250101000000", GONE))
    out = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), config(archive))
    snap = out.results[GONE].archive
    assert snap is not None and snap.timestamp.strftime("%Y%m%d%H%M%S") == "20240401120000"
    assert codes(out) == ["A501"]
    a501 = out.findings[0][0]
    assert a501.note == 1 and "2024-04-01" in a501.message and snap.url in a501.message
    assert snap.url.startswith(archive.base + "/web/20240401120000/")


def test_without_a_capture_before_the_nearest_after_is_chosen(archive) -> None:
    archive.add(GONE, Cap("20250101000000", GONE), Cap("20240410000000", GONE))
    out = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), config(archive))
    assert out.results[GONE].archive.timestamp.strftime("%Y%m%d") == "20240410"
    assert codes(out) == ["A501"]
    assert "nearest after" in out.findings[0][0].message


def test_a_capture_later_on_the_access_day_counts_as_before(archive) -> None:
    archive.add(GONE, Cap("20240301000000", GONE), Cap("20240405220000", GONE))
    out = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), config(archive))
    assert out.results[GONE].archive.timestamp.strftime("%Y%m%d%H") == "2024040522"


def test_no_capture_anywhere_gives_a502_for_a_dead_link_only(archive) -> None:
    soft = "https://soft.example.org/page"
    wall = "https://paper.example.com/story"
    docs = [brief(cite(GONE), cite(soft), cite(wall))]
    out = run(docs, results(**{GONE: Verdict.DEAD, soft: Verdict.SOFT_404,
                               wall: Verdict.PAYWALL}), config(archive))
    assert codes(out) == ["A502"]
    assert out.findings[0][0].url == GONE
    assert out.lookups[(GONE, out.lookups[next(iter(out.lookups))].target)].state is State.MISSING


def test_non_200_captures_are_never_the_fix(archive) -> None:
    # The availability API's closest capture is a recorded 404; CDX finds the older 200.
    archive.add(GONE, Cap("20240404000000", GONE, status=404), Cap("20231001000000", GONE),
                Cap("20240403000000", GONE, status=302))
    out = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), config(archive))
    assert out.results[GONE].archive.timestamp.strftime("%Y%m%d") == "20231001"


def test_only_captures_of_an_error_page_is_a502(archive) -> None:
    archive.add(GONE, Cap("20240404000000", GONE, status=404))
    out = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), config(archive))
    assert codes(out) == ["A502"]


def test_a_lax_cdx_server_that_ignores_every_parameter_cannot_mislead(archive) -> None:
    archive.lax = True
    other = "https://gone.example.org/2024/report?page=2"
    archive.add(GONE, Cap("20240404000000", GONE, status=404),
                Cap("20240402000000", "http://www.gone.example.org/2024/report", digest="A"),
                Cap("20240402000000", GONE, digest="A"),
                Cap("20240403000000", GONE, status=0, digest="A"),  # a revisit of A
                Cap("20240601000000", GONE))
    archive.add(other, Cap("20240404120000", other))
    out = run([brief(cite(GONE + "#section-2"))], results(**{GONE + "#section-2": Verdict.DEAD}),
              config(archive, wayback_available=""))
    snap = out.results[GONE + "#section-2"].archive
    assert snap.timestamp.strftime("%Y%m%d") == "20240403"


def test_without_an_access_date_the_briefs_date_is_the_target(archive) -> None:
    archive.add(GONE, Cap("20220101000000", GONE), Cap("20230301000000", GONE),
                Cap("20240301000000", GONE))
    doc = brief(cite(GONE, accessed=None), date_line="May 10, 2023")
    assert doc.date is not None and doc.date.year == 2023
    out = run([doc], results(**{GONE: Verdict.DEAD}), config(archive))
    assert out.results[GONE].archive.timestamp.year == 2023


def test_without_any_date_the_newest_capture_is_chosen(archive) -> None:
    archive.add(GONE, Cap("20220101000000", GONE), Cap("20240301000000", GONE),
                Cap("20240501000000", GONE, status=404))
    out = run([brief(cite(GONE, accessed=None))], results(**{GONE: Verdict.DEAD}),
              config(archive))
    assert out.results[GONE].archive.timestamp.strftime("%Y%m%d") == "20240301"
    assert "newest" in out.findings[0][0].message


def test_archive_down_gives_a504_never_a502(archive) -> None:
    for endpoint in ("available", "cdx", "timegate"):
        archive.faults[endpoint] = Fault("down")
    out = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), config(archive))
    assert codes(out) == ["A504"]
    assert "503" in out.findings[0][0].message
    assert out.results[GONE].archive is None


def test_malformed_answers_give_a504_never_a502(archive) -> None:
    archive.faults["available"] = Fault("malformed")
    archive.faults["cdx"] = Fault("html")
    archive.faults["timegate"] = Fault("down")
    out = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), config(archive))
    assert codes(out) == ["A504"]
    assert "malformed" in out.findings[0][0].message


def test_one_archive_down_and_the_others_empty_is_still_unknown(archive) -> None:
    archive.faults["timegate"] = Fault("down")
    out = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), config(archive))
    assert codes(out) == ["A504"]


def test_a_working_archive_covers_for_one_that_is_down(archive) -> None:
    archive.add(GONE, Cap("20240101000000", GONE))
    archive.faults["available"] = Fault("down")
    archive.faults["cdx"] = Fault("down")
    out = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), config(archive))
    assert codes(out) == ["A501"]
    assert out.results[GONE].archive.archive == "127.0.0.1"


def test_rate_limited_then_recovering_within_retry_after_finds_the_snapshot(archive) -> None:
    archive.add(GONE, Cap("20240101000000", GONE))
    archive.faults["available"] = Fault("429", times=1, retry_after="1")
    start = time.monotonic()
    out = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), config(archive))
    assert codes(out) == ["A501"]
    assert time.monotonic() - start >= 0.9  # the Retry-After was honoured
    assert archive.hits("available") == 2


def test_rate_limited_for_longer_than_the_cap_gives_a504_at_once(archive) -> None:
    archive.add(GONE, Cap("20240101000000", GONE))
    for endpoint in ("available", "cdx", "timegate"):
        archive.faults[endpoint] = Fault("429", retry_after="3600")
    start = time.monotonic()
    out = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), config(archive))
    assert codes(out) == ["A504"]
    assert "3600" in out.findings[0][0].message
    assert time.monotonic() - start < 2


def test_a_hanging_archive_gives_a504_and_is_not_asked_again(archive) -> None:
    urls = [f"https://gone.example.org/{i}" for i in range(4)]
    for endpoint in ("available", "cdx", "timegate"):
        archive.faults[endpoint] = Fault("hang")
    cfg = config(archive, timeout=0.3, retries=1)
    start = time.monotonic()
    out = run([brief(*(cite(u) for u in urls))], results(**dict.fromkeys(urls, Verdict.DEAD)),
              cfg)
    assert codes(out) == ["A504"]  # one archive problem, one finding naming every link
    assert "for 4 links" in out.findings[0][0].message
    # One timeout per concurrent slot (2) and service (availability, CDX, TimeGate), not one
    # per link and attempt: a hang is not retried, and the service is switched off after it.
    assert time.monotonic() - start < 2.5
    assert len(archive.log) <= 6


def test_timegate_prefers_the_memento_before_the_date_over_the_closest(archive) -> None:
    # Only the TimeGate is configured; the closest memento is after the access date, the
    # Link header names the previous one, which is before it.
    archive.add(GONE, Cap("20240301000000", GONE), Cap("20240406000000", GONE))
    cfg = config(archive, wayback_available="", wayback_cdx="")
    out = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), cfg)
    assert out.results[GONE].archive.timestamp.strftime("%Y%m%d") == "20240301"
    sent = [e for e in archive.log if e.path.startswith("/tg/")]
    assert sent[0].headers["Accept-Datetime"] == "Fri, 05 Apr 2024 23:59:59 GMT"


def test_timegate_memento_whose_own_status_is_404_is_rejected(archive) -> None:
    archive.add(GONE, Cap("20240404000000", GONE, status=404))
    cfg = config(archive, wayback_available="", wayback_cdx="")
    out = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), cfg)
    assert codes(out) == ["A502"]


def test_live_and_unchecked_links_are_not_looked_up(archive) -> None:
    ok, timeout = "https://ok.example.org/", "https://slow.example.org/"
    out = run([brief(cite(ok, None), cite(timeout))],
              results(**{ok: Verdict.OK, timeout: Verdict.TIMEOUT}), config(archive))
    assert codes(out) == [] and archive.log == []


def test_requests_to_an_archive_host_are_spaced_by_the_interval(archive) -> None:
    urls = [f"https://gone.example.org/{i}" for i in range(3)]
    cfg = config(archive, interval=0.2, timegates=())
    run([brief(*(cite(u) for u in urls))], results(**dict.fromkeys(urls, Verdict.DEAD)), cfg)
    times = sorted(e.at for e in archive.log)
    assert len(times) == 9  # availability, CDX up to the date, CDX after it: for each
    # Measured where they arrive: the first also paid for opening the client session.
    assert all(b - a >= 0.15 for a, b in itertools.pairwise(times))


def test_look_ups_are_cached_in_the_result_cache(archive, tmp_path) -> None:
    from dataclasses import replace

    archive.add(GONE, Cap("20240101000000", GONE))
    cfg = replace(config(archive), cache=True, cache_dir=str(tmp_path))
    first = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), cfg)
    sent = len(archive.log)
    second = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), cfg)
    assert sent > 0 and len(archive.log) == sent and second.requests == 0
    assert second.results[GONE].archive == first.results[GONE].archive
    assert (tmp_path / "links.sqlite3").exists()


def test_failures_are_not_cached(archive, tmp_path) -> None:
    from dataclasses import replace

    archive.add(GONE, Cap("20240101000000", GONE))
    archive.faults["available"] = Fault("down", times=1)
    archive.faults["cdx"] = Fault("down", times=1)
    cfg = replace(config(archive, retries=0, timegates=()), cache=True, cache_dir=str(tmp_path))
    assert codes(run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), cfg)) == ["A504"]
    assert codes(run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}), cfg)) == ["A501"]


def test_a_hung_availability_api_does_not_silence_the_cdx_api_beside_it(archive) -> None:
    archive.add(GONE, Cap("20240101000000", GONE))
    archive.faults["available"] = Fault("hang")
    out = run([brief(cite(GONE))], results(**{GONE: Verdict.DEAD}),
              config(archive, timeout=0.3))
    assert codes(out) == ["A501"]


def _many_dead(n: int) -> tuple[list, dict]:
    urls = [f"http://127.0.0.1:9/gone/{i}" for i in range(n)]
    return [brief(*(cite(u) for u in urls))], results(**{u: Verdict.DEAD for u in urls})


def test_an_archive_that_refuses_is_off_within_seconds_however_many_dead_links(archive) -> None:
    """Thirty dead links and an archive whose port refuses, its requests spaced as the
    archives' are: retries queued behind other look-ups must not keep it asked for minutes
    (the breaker counts attempts, and look-ups that wait for a switched-off archive do not
    spend its interval). Spaced 0.3 s here, to keep the suite fast."""
    docs, res = _many_dead(30)
    closed = "http://127.0.0.1:9"
    cfg = config(archive, wayback_available=f"{closed}/wayback/available",
                 wayback_cdx=f"{closed}/cdx/search/cdx", timegates=(f"{closed}/tg/",),
                 interval=0.3)
    start = time.monotonic()
    outcome = run(docs, res, cfg)
    assert time.monotonic() - start < 4  # 30 look-ups x 3 attempts x 0.3 s before: 27 s
    assert codes(outcome) == ["A504"]


def test_an_archive_answering_503_is_off_within_seconds_however_many_dead_links(
        archive) -> None:
    docs, res = _many_dead(30)
    for endpoint in ("available", "cdx", "timegate"):
        archive.faults[endpoint] = Fault("down")
    start = time.monotonic()
    outcome = run(docs, res, config(archive, interval=0.3))
    assert time.monotonic() - start < 6  # 3 services x 3 strikes x 0.3 s
    assert codes(outcome) == ["A504"]
