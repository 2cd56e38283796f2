"""Every case of issue 3 against a real HTTP server on loopback: the verdict, and why.

All cases run in one check (as a brief's links would), once per module; each case is then
its own test. A second test repeats the whole run and demands identical verdicts: results must
not depend on timing.
"""

from __future__ import annotations

import uuid

import pytest
from faultserver import FaultServer, free_port
from nethelp import fast_config, run

from citecheck.model import Verdict
from citecheck.net.checker import CheckOutcome

OK, MOVED, DEAD, SOFT, PAY, BLOCKED, TIMEOUT, ERROR, SKIPPED = (
    Verdict.OK, Verdict.MOVED, Verdict.DEAD, Verdict.SOFT_404, Verdict.PAYWALL,
    Verdict.BLOCKED, Verdict.TIMEOUT, Verdict.ERROR, Verdict.SKIPPED,
)

# (name, host, path, verdict, reason or None). Stateful cases get a fresh query per run.
CASES = [
    ("html 200", "site", "/article", OK, "ok"),
    ("pdf 200 by HEAD", "site", "/report.pdf", OK, "ok"),
    ("pdf 200 without suffix", "site", "/download", OK, "ok"),
    ("HEAD 405, GET 200 (pdf)", "site", "/head405.pdf", OK, "ok"),
    ("HEAD 404, GET 200 (pdf)", "site", "/head404.pdf", OK, "ok"),
    ("HEAD 405, GET 200 (page)", "site", "/head405", OK, "ok"),
    ("301 to page", "site", "/r301", MOVED, "http-301"),
    ("302 to page", "site", "/r302", OK, "ok"),
    ("307 to page", "site", "/r307", OK, "ok"),
    ("308 absolute", "site", "/r308", MOVED, "http-308"),
    ("301-302-308 chain", "site", "/chain", MOVED, "http-301"),
    ("chain ending 404", "site", "/chain-dead", DEAD, "http-404"),
    ("redirect loop", "site", "/loop-a", DEAD, "redirect-loop"),
    ("cookie then redirect to self", "site", "/cookie-bounce", OK, "ok"),
    ("404", "site", "/gone-404", DEAD, "http-404"),
    ("410", "site", "/gone-410", DEAD, "http-410"),
    ("unknown path", "site", "/no-such-page", DEAD, "http-404"),
    ("500 persisting", "site", "/error-500", ERROR, "http-500"),
    ("503 then 200", "site", "/flaky-503?{token}", OK, "ok"),
    ("429 Retry-After then 200", "throttle", "/throttled-429?{token}", OK, "ok"),
    ("429 persisting", "throttle", "/always-429?{token}", BLOCKED, None),
    ("reset once then 200", "site", "/reset-once?{token}", OK, "ok"),
    ("slow within timeout", "site", "/slow", OK, "ok"),
    ("never completing", "site", "/hang", TIMEOUT, None),
    ("401", "site", "/auth-401", BLOCKED, "http-401"),
    ("403 challenge", "site", "/challenge-403", BLOCKED, "challenge"),
    ("503 challenge, not retried", "site", "/challenge-503?{token}", BLOCKED, "challenge"),
    ("200 challenge page", "site", "/challenge-200", BLOCKED, "challenge"),
    ("999", "site", "/linkedin-999", BLOCKED, "http-999"),
    ("402", "site", "/pay-402", PAY, "http-402"),
    ("isAccessibleForFree false", "site", "/jsonld-paywall", PAY, "jsonld"),
    ("Piano script", "site", "/piano-paywall", PAY, "vendor"),
    ("Piano but marked free", "site", "/jsonld-free-piano", OK, "ok"),
    ("redirect to /login", "site", "/premium-story", PAY, "login-redirect"),
    ("soft-404 title", "site", "/soft-404", SOFT, "not-found-title"),
    ("soft-404 title, gzip", "site", "/soft-404-gzip", SOFT, "not-found-title"),
    ("article about 404s", "site", "/blog/http-404-errors-explained", OK, "ok"),
    ("deep link to /", "site", "/2019/05/deep/story", SOFT, "redirect-home"),
    ("deep link far up", "site", "/section/a/b/c/story", SOFT, "redirect-up"),
    ("redirect to error page", "site", "/old-page", SOFT, "error-page"),
    ("generic page, honest host", "site", "/news/kishida-visit", OK, "ok"),
    ("generic page, soft-404 host", "soft", "/news/kishida-visit", SOFT, "probe-match"),
    ("HEAD never answers, GET 200 (pdf)", "site", "/head-hangs.pdf", OK, "ok"),
    ("meta refresh to /", "site", "/meta-refresh-home", SOFT, "redirect-home"),
    ("redirect to a search page", "site", "/old-report", SOFT, "error-page"),
    ("gzip bomb", "site", "/gzip-bomb", OK, "ok"),
    ("endless body", "site", "/endless", OK, "ok"),
    ("endless pdf", "site", "/endless.pdf", OK, "ok"),
    ("redirect to unknown host", "site", "/to-nxdomain", DEAD, "nxdomain"),
    ("redirect to ftp", "site", "/to-ftp", SKIPPED, "invalid-url"),
]


def _urls(server: FaultServer, token: str) -> dict[str, str]:
    urls = {
        name: f"http://{host}.test:{server.port}{path.format(token=token)}"
        for name, host, path, _, _ in CASES
    }
    urls["refused port"] = f"http://site.test:{free_port()}/x"
    urls["unresolvable host"] = "http://nosuch.invalid/report"
    return urls


EXPECTED = {name: (verdict, reason) for name, _, _, verdict, reason in CASES} | {
    "refused port": (DEAD, "refused"),
    "unresolvable host": (DEAD, "nxdomain"),
}


@pytest.fixture(scope="module")
def checked(server: FaultServer) -> tuple[dict[str, str], CheckOutcome]:
    urls = _urls(server, uuid.uuid4().hex)
    return urls, run(list(urls.values()))


@pytest.mark.parametrize("name", list(EXPECTED))
def test_verdict(name: str, checked: tuple[dict[str, str], CheckOutcome]) -> None:
    urls, outcome = checked
    result = outcome.results[urls[name]]
    verdict, reason = EXPECTED[name]
    assert (result.verdict, result.reason if reason else None) == (verdict, reason), result


def test_never_dead_on_transient_evidence(checked: tuple[dict[str, str], CheckOutcome]) -> None:
    urls, outcome = checked
    dead = {n for n, u in urls.items() if outcome.results[u].verdict is Verdict.DEAD}
    assert dead == {n for n, (v, _) in EXPECTED.items() if v is Verdict.DEAD}


def test_details(server: FaultServer, checked: tuple[dict[str, str], CheckOutcome]) -> None:
    urls, outcome = checked
    r = outcome.results
    chain = r[urls["301-302-308 chain"]]
    assert [h.status for h in chain.chain] == [301, 302, 308]
    assert chain.final_url == f"http://site.test:{server.port}/article"
    assert chain.status == 200
    assert r[urls["404"]].detail == "404 Not Found"
    assert "3 attempts" in r[urls["500 persisting"]].detail
    assert r[urls["never completing"]].verdict is Verdict.TIMEOUT


def test_challenge_is_not_retried_but_503_is(
    server: FaultServer, checked: tuple[dict[str, str], CheckOutcome]
) -> None:
    urls, _ = checked
    target = urls["503 challenge, not retried"].split(f":{server.port}", 1)[1]
    assert server.hits[target] == 1
    flaky = urls["503 then 200"].split(f":{server.port}", 1)[1]
    assert server.hits[flaky] == 2


def test_head_first_only_for_documents(
    server: FaultServer, checked: tuple[dict[str, str], CheckOutcome]
) -> None:
    # /head405.pdf: HEAD (405) then GET. /head405 (a page): GET only, no wasted HEAD.
    assert server.hits["/head405.pdf"] >= 2
    assert server.hits["/head405"] >= 1


def _verdicts(urls: dict[str, str], outcome: CheckOutcome) -> dict[str, tuple[Verdict, str]]:
    return {n: (outcome.results[u].verdict, outcome.results[u].reason) for n, u in urls.items()}


def test_same_verdicts_when_repeated(
    server: FaultServer, checked: tuple[dict[str, str], CheckOutcome]
) -> None:
    first = _verdicts(*checked)
    for _ in range(2):
        urls = _urls(server, uuid.uuid4().hex)
        assert _verdicts(urls, run(list(urls.values()))) == first


def test_each_url_fetched_once_however_often_cited(server: FaultServer) -> None:
    url = f"http://site.test:{server.port}/article?once={uuid.uuid4().hex}"
    outcome = run([url, url, url])
    assert len(outcome.results) == 1
    assert server.hits[url.split(str(server.port), 1)[1]] == 1


def test_endless_body_is_bounded(server: FaultServer) -> None:
    import resource

    config = fast_config(max_body=64 * 1024)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    urls = [f"http://site.test:{server.port}/endless?n={i}" for i in range(20)]
    outcome = run(urls, config)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert all(r.verdict is Verdict.OK for r in outcome.results.values())
    assert after - before < 30_000  # KiB: 20 endless streams cost no more than a few buffers
