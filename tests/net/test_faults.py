"""Issue 9's failures, and more of the ways real sites fail link checkers, against the
loopback fault server: each case checked on its own, asserting the verdict and the wall time
(a bound on time is as much a part of the answer as the verdict).

Configs are fast_config's (timeout 1 s, so a link's deadline is 2 s; 2 retries).
"""

from __future__ import annotations

import time
import uuid

import pytest
from faultserver import FaultServer
from nethelp import fast_config, run

from citecheck.model import Verdict

OK, MOVED, DEAD, SOFT, PAY, BLOCKED, TIMEOUT, ERROR = (
    Verdict.OK, Verdict.MOVED, Verdict.DEAD, Verdict.SOFT_404, Verdict.PAYWALL,
    Verdict.BLOCKED, Verdict.TIMEOUT, Verdict.ERROR,
)

# (path, verdict, reason or None, at most this many seconds)
CASES = {
    "Retry-After: 3600 on every attempt": ("/retry-after-3600", BLOCKED, "rate-limited", 0.8),
    "Retry-After of 400 digits (ignored)": ("/retry-after-huge", BLOCKED, "http-429", 0.8),
    "503 with Retry-After: 3600": ("/unavailable-3600", ERROR, "http-503", 0.8),
    "metered overlay (Piano modal)": ("/metered-overlay", PAY, None, 0.8),
    "data-paywall markup": ("/data-paywall", PAY, "paywall-markup", 0.8),
    "class*=paywall": ("/paywall-class", PAY, "paywall-markup", 0.8),
    "free-article meter text": ("/meter-text", PAY, "paywall-markup", 0.8),
    "newsletter box is not a paywall": ("/newsletter-box", OK, "ok", 0.8),
    "login redirect from /premium/": ("/premium/port-story", PAY, "login-redirect", 0.8),
    "/premium/ page moved to another": ("/premium/moved-story", MOVED, "http-301", 0.8),
    "raw UTF-8 Location": ("/utf8-location", MOVED, "http-301", 0.8),
    "hostile title: 250 KB of <": ("/hostile-title", OK, None, 1.5),
    "hostile page: 32k <script": ("/hostile-scripts", OK, None, 1.5),
    "hostile page: 40k <meta": ("/hostile-refresh", OK, None, 1.5),
    "redirect with credentials": ("/to-credentials", OK, "ok", 0.8),
    "HEAD 500, GET 200 (pdf)": ("/head500.pdf", OK, "ok", 0.8),
    "closes without answering": ("/closes", ERROR, "closed", 0.8),
    "malformed status line": ("/bad-status", ERROR, "malformed", 0.8),
    "malformed header": ("/bad-header", ERROR, "malformed", 0.8),
    "body that drips for ever": ("/drip", OK, "ok", 1.6),
    "too many redirects": ("/too-many-redirects", ERROR, "too-many-redirects", 1.0),
    "403 to everyone": ("/403-always", BLOCKED, "http-403", 0.8),
    "slow 11-hop redirect chain": ("/slow-chain/0", TIMEOUT, "timeout", 2.6),
    "never answers": ("/hang", TIMEOUT, "timeout", 2.6),
}


@pytest.mark.parametrize("name", list(CASES))
def test_fault(name: str, server: FaultServer) -> None:
    path, verdict, reason, bound = CASES[name]
    url = f"http://site.test:{server.port}{path}"
    start = time.monotonic()
    result = run([url]).results[url]
    took = time.monotonic() - start
    assert result.verdict is verdict, result
    assert reason is None or result.reason == reason, result
    assert took < bound, f"{name}: {took:.2f} s"


def test_a_long_retry_after_is_reported_at_once_with_the_servers_figure(
    server: FaultServer,
) -> None:
    token = uuid.uuid4().hex
    url = f"http://site.test:{server.port}/retry-after-3600?{token}"
    result = run([url]).results[url]
    assert "3600" in result.detail and "rate-limited" in result.detail
    assert server.hits[f"/retry-after-3600?{token}"] == 1  # not retried, not waited for


def test_a_retry_after_within_the_cap_is_waited_for(server: FaultServer) -> None:
    token = uuid.uuid4().hex
    url = f"http://site.test:{server.port}/throttled-2s?{token}"
    start = time.monotonic()
    result = run([url], fast_config(timeout=3.0)).results[url]
    took = time.monotonic() - start
    assert result.verdict is OK and server.hits[f"/throttled-2s?{token}"] == 2
    assert 1.9 <= took < 3.5


def test_a_site_that_rate_limits_every_request_is_not_waited_on(server: FaultServer) -> None:
    """Thirty links to a site answering 429 (Retry-After: 1) to everything: after a few 429s
    in a row the site is not asked again this run, and every link is blocked within seconds
    (each waiting its turn behind the others at the slowed-down pace took the whole budget)."""
    token = uuid.uuid4().hex
    urls = [f"http://site.test:{server.port}/always-429?{token}-{i}" for i in range(30)]
    start = time.monotonic()
    results = run(urls, fast_config(timeout=5.0)).results
    took = time.monotonic() - start
    assert {r.verdict for r in results.values()} == {BLOCKED}
    not_asked = sum(1 for r in results.values() if r.reason == "rate-limited")
    sent = sum(v for k, v in server.hits.items() if token in k)
    assert not_asked >= 10 and sent <= 30, (not_asked, sent)
    assert took < 8, f"{took:.1f} s"


def test_utf8_location_is_followed_as_a_browser_does(server: FaultServer) -> None:
    url = f"http://site.test:{server.port}/utf8-location"
    result = run([url]).results[url]
    assert result.final_url and result.final_url.endswith("/exact/caf%C3%A9")
    assert result.status == 200


def test_latin1_location_is_requested_with_its_bytes_percent_encoded(server: FaultServer) -> None:
    """`Location: /exact/caf\\xe9` (Latin-1): a browser asks for /exact/caf%E9. Decoded as
    Latin-1 and re-encoded as UTF-8 it became /exact/caf%C3%A9, a 404: a live link called dead."""
    url = f"http://site.test:{server.port}/latin1-location"
    result = run([url]).results[url]
    assert result.final_url and result.final_url.endswith("/exact/caf%E9"), result
    assert result.status == 200 and result.verdict is MOVED


def test_credentials_in_a_redirect_are_not_echoed(server: FaultServer) -> None:
    url = f"http://site.test:{server.port}/to-credentials"
    result = run([url]).results[url]
    assert "secret" not in f"{result.final_url} {result.chain} {result.detail}"
    assert result.final_url == f"http://site.test:{server.port}/article"


def test_malformed_answers_are_told_apart(server: FaultServer) -> None:
    urls = [f"http://site.test:{server.port}{p}" for p in ("/closes", "/bad-status")]
    closes, bad = (run(urls).results[u] for u in urls)
    assert "without answering" in closes.detail
    assert closes.detail != bad.detail and bad.detail.startswith("malformed")


def test_a_run_is_bounded_by_max_time_and_nothing_is_called_dead(server: FaultServer) -> None:
    hanging = [f"http://site.test:{server.port}/hang?{i}-{uuid.uuid4().hex}" for i in range(12)]
    quick = f"http://site.test:{server.port}/article"
    start = time.monotonic()
    outcome = run([quick, *hanging], fast_config(timeout=5.0, max_time=1.0))
    took = time.monotonic() - start
    assert took < 1.6
    assert outcome.results[quick].verdict is OK
    late = [outcome.results[u] for u in hanging]
    assert {(r.verdict, r.reason) for r in late} == {(TIMEOUT, "max-time")}
    assert "not checked" in late[0].detail and "--max-time 1 s" in late[0].detail


def _doi_config(server: FaultServer) -> object:
    return fast_config(doi_resolver=f"http://doi.test:{server.port}/api/handles/")


@pytest.mark.parametrize(("cited", "verdict", "reason", "said"), [
    ("https://doi.org/10.1234/registered", OK, "ok", "DOI registered"),
    ("doi:10.1234/registered", OK, "ok", "DOI registered"),
    ("http://dx.doi.org/10.1234/blocked", OK, "doi-registered",
     "DOI registered; publisher blocked the check"),
    ("https://doi.org/10.1234/missing", DEAD, "doi-unregistered", "not registered"),
    ("https://doi.org/10.1234/gone-page", DEAD, "http-404", "DOI registered, but 404"),
    ("https://doi.org/10.1234/garbage", ERROR, "doi-resolver", "could not be consulted"),
])
def test_dois_through_the_handle_api(
    cited: str, verdict: Verdict, reason: str, said: str, server: FaultServer
) -> None:
    """doi.org itself is never asked (the test resolver would call it NXDOMAIN: dead); the
    handle API on loopback says whether the DOI is registered and where it leads."""
    start = time.monotonic()
    result = run([cited], _doi_config(server)).results[cited]
    assert (result.verdict, result.reason) == (verdict, reason), result
    assert said in result.detail
    assert time.monotonic() - start < 0.8


def test_dois_are_plain_links_without_a_resolver(server: FaultServer) -> None:
    result = run(["doi:10.1234/registered"], fast_config(doi_resolver="")).results
    assert result["doi:10.1234/registered"].reason == "unsupported-scheme"


def test_dois_in_a_brief_through_the_command(server: FaultServer, tmp_path: object) -> None:
    import contextlib
    import io
    import json
    from pathlib import Path

    from citecheck import cli

    folder = Path(str(tmp_path))
    (folder / "citecheck.toml").write_text(
        f'doi_resolver = "http://127.0.0.1:{server.port}/api/handles/"\n'
        "network_probe = []\ncache = false\nallow_private = true\n")
    (folder / "brief.txt").write_text(
        "Ports matter.[1] Ships too.[2]\n\nEndnotes\n\n"
        "1. Jane Doe, \"Port Traffic,\" Journal of Ports 3 (2020): 4, doi:10.1234/blocked.\n"
        "2. John Roe, \"Ships,\" 2021, https://doi.org/10.1234/missing.\n")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([str(folder / "brief.txt"), "--no-archive", "--format", "json"])
    links = {link["url"]: link for link in json.loads(out.getvalue())["documents"][0]["links"]}
    assert links["doi:10.1234/blocked"]["verdict"] == "ok"
    assert "publisher blocked" in links["doi:10.1234/blocked"]["detail"]
    assert links["https://doi.org/10.1234/missing"]["verdict"] == "dead"
    assert code == 1 and "Traceback" not in err.getvalue()


def test_a_retry_out_of_time_keeps_the_answer_already_had(server: FaultServer) -> None:
    """429, then a retry that never answers: the link was rate-limited (blocked), not a
    timeout, as it was when the retry's timeout replaced the answer."""
    token = uuid.uuid4().hex
    url = f"http://site.test:{server.port}/429-then-hangs?{token}"
    start = time.monotonic()
    result = run([url]).results[url]
    assert result.verdict is BLOCKED and result.status == 429, result
    assert time.monotonic() - start < 3


def test_a_few_rate_limited_pages_do_not_block_or_slow_their_site(server: FaultServer) -> None:
    """A site limiting a few pages (a fault catalogue has five 429 cases on one host): the
    other pages are checked as usual and not slowed, and the limited ones are blocked. The
    host was once given up after five 429 answers in a row, counting each link's retries, so
    every later link on it came back "blocked" unasked."""
    token = uuid.uuid4().hex
    limited = [f"http://site.test:{server.port}/{p}?{token}-{i}" for i, p in enumerate(
        ["always-429", "retry-after-3600", "retry-after-huge", "always-429", "retry-after-3600",
         "retry-after-huge"])]
    live = [f"http://site.test:{server.port}/{p}?{token}-{i}"
            for i in range(12) for p in ("article", "r302", "gone-404")]
    start = time.monotonic()
    results = run(limited + live, fast_config(timeout=2.0)).results
    took = time.monotonic() - start
    assert {results[u].verdict for u in limited} == {BLOCKED}
    verdicts = {u.split("/")[3].split("?")[0]: results[u].verdict for u in live}
    assert verdicts == {"article": OK, "r302": OK, "gone-404": DEAD}, [
        (u, results[u].verdict, results[u].detail) for u in live
        if results[u].verdict not in (OK, DEAD)][:3]
    assert took < 6, f"{took:.1f} s"
