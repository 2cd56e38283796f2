"""The classifier through the real fetcher, with respx standing in for the network.

respx routes are injected as the client's transport (net/transport.py's seam), so these run
the same redirect, retry and body-reading code as production, minus sockets. Pure helpers are
tested directly below.
"""

from __future__ import annotations

import asyncio
import gzip

import httpx
import pytest
import respx
from nethelp import fast_config

from citecheck.config import Config
from citecheck.model import Hop, Verdict
from citecheck.net import page as pages
from citecheck.net.checker import check_urls
from citecheck.net.classify import classify, redirect_problem, wants_probe
from citecheck.net.facts import Fetched, clean, permanent_target, same_address
from citecheck.net.failures import Failure, failure_of

HTML = {"content-type": "text/html; charset=utf-8"}


def _html(title: str, body: str = "", head: str = "") -> str:
    return f"<html><head><title>{title}</title>{head}</head><body>{body}</body></html>"


def check(router: respx.Router, url: str, config: Config | None = None) -> tuple[Verdict, str]:
    outcome = asyncio.run(check_urls(
        [url], config or fast_config(allow_private=False),
        transport=httpx.MockTransport(router.async_handler),
    ))
    result = outcome.results[url]
    return result.verdict, result.reason


@pytest.fixture
def router() -> respx.Router:
    r = respx.Router(assert_all_mocked=True, assert_all_called=False)
    r.get(url__regex=r"/citecheck-[0-9a-f]+$").respond(404)  # soft-404 probes: honest host
    return r


URL = "https://news.example.org/2024/04/port-traffic-report"


@pytest.mark.parametrize(
    ("status", "headers", "body", "expected"),
    [
        (200, HTML, _html("Port traffic report"), (Verdict.OK, "ok")),
        (403, {"cf-mitigated": "challenge", **HTML}, _html("Just a moment..."),
         (Verdict.BLOCKED, "challenge")),
        (503, {"server": "cloudflare", **HTML}, _html("Attention Required! | Cloudflare"),
         (Verdict.BLOCKED, "challenge")),
        (403, {"x-amzn-waf-action": "captcha"}, "", (Verdict.BLOCKED, "challenge")),
        (405, HTML, _html("Not allowed"), (Verdict.BLOCKED, "http-405")),
        (451, HTML, _html("Unavailable"), (Verdict.BLOCKED, "http-451")),
        (999, {}, "", (Verdict.BLOCKED, "http-999")),
        (402, HTML, _html("Subscribe"), (Verdict.PAYWALL, "http-402")),
        (410, HTML, "", (Verdict.DEAD, "http-410")),
        (502, HTML, "", (Verdict.ERROR, "http-502")),
        (200, HTML, _html("Seite nicht gefunden"), (Verdict.SOFT_404, "not-found-title")),
        (200, HTML, _html("Page introuvable"), (Verdict.SOFT_404, "not-found-title")),
        (200, HTML, _html("News", "<h1>Sorry, this page doesn't exist</h1>"),
         (Verdict.SOFT_404, "not-found-title")),
        (200, HTML, _html("ページが見つかりません"), (Verdict.SOFT_404, "not-found-title")),
        (200, HTML, _html("Port traffic", head='<script type="application/ld+json">'
                          '[{"@type":"NewsArticle","isAccessibleForFree":"False"}]</script>'),
         (Verdict.PAYWALL, "jsonld")),
        (200, HTML, _html("Port traffic", head='<script src="https://cdn.piano.io/x.js">'
                          '</script>'), (Verdict.PAYWALL, "vendor")),
        (200, HTML, _html("Port traffic", head='<script src="https://assets.poool.fr/audit.min'
                          '.js"></script>'), (Verdict.PAYWALL, "vendor")),
        (200, HTML, _html("Port traffic", head='<script src="https://js.laterpay.net/c.js">'
                          '</script>'), (Verdict.PAYWALL, "vendor")),
        (200, {"content-type": "application/pdf"}, "%PDF-1.4", (Verdict.OK, "ok")),
    ],
)
def test_single_response(
    router: respx.Router, status: int, headers: dict[str, str], body: str,
    expected: tuple[Verdict, str],
) -> None:
    router.get(URL).respond(status, headers=headers, text=body)
    assert check(router, URL, fast_config(allow_private=False, retries=0)) == expected


def test_gzip_bomb_is_bounded(router: respx.Router) -> None:
    bomb = gzip.compress(b"<html><title>ok page</title>" + b" " * 50_000_000)
    router.get(URL).respond(200, headers={**HTML, "content-encoding": "gzip"}, content=bomb)
    config = fast_config(allow_private=False, max_body=10_000)
    assert check(router, URL, config) == (Verdict.OK, "ok")


def test_transient_then_ok_via_retry(router: respx.Router) -> None:
    router.get(URL).mock(side_effect=[
        httpx.Response(503), httpx.ReadTimeout("slow"),
        httpx.Response(200, headers=HTML, text=_html("Port traffic report")),
    ])
    assert check(router, URL) == (Verdict.OK, "ok")


def test_refused_is_dead_after_retries(router: respx.Router) -> None:
    route = router.get(URL).mock(side_effect=httpx.ConnectError("[Errno 111] Connection refused"))
    assert check(router, URL) == (Verdict.DEAD, "refused")
    assert route.call_count == 3


def test_timeout_is_never_dead(router: respx.Router) -> None:
    router.get(URL).mock(side_effect=httpx.ConnectTimeout("timed out"))
    assert check(router, URL) == (Verdict.TIMEOUT, "connect-timeout")


def test_per_host_accept(router: respx.Router) -> None:
    router.get(URL).respond(403)
    config = fast_config(allow_private=False, accept={"example.org": (403,)})
    assert check(router, URL, config) == (Verdict.OK, "accepted")


def test_paywall_host_list(router: respx.Router) -> None:
    url = "https://www.ft.com/content/df99994d-ec4b-4c3c-9c42-738ec9b338d0"
    router.get(url).respond(200, headers=HTML, text=_html("US and Japan plan biggest upgrade"))
    assert check(router, url) == (Verdict.PAYWALL, "paywall-host")


def test_too_many_redirects_is_not_dead(router: respx.Router) -> None:
    for i in range(15):
        router.get(f"https://example.org/r{i}").respond(302, headers={"location": f"/r{i + 1}"})
    config = fast_config(allow_private=False, max_redirects=5)
    assert check(router, "https://example.org/r0", config) == (
        Verdict.ERROR, "too-many-redirects"
    )


def test_request_headers(router: respx.Router) -> None:
    route = router.get(URL).respond(200, headers=HTML, text=_html("Port traffic report"))
    config = fast_config(allow_private=False, headers={"example.org": {"X-Token": "t"}})
    check(router, URL, config)
    sent = route.calls.last.request.headers
    assert sent["x-token"] == "t"
    assert "citecheck" in sent["user-agent"]
    assert sent["accept-encoding"] == "gzip, deflate"


# --- pure helpers ----------------------------------------------------------------------


def test_failure_kinds_from_os_errors() -> None:
    import socket

    nx = httpx.ConnectError("boom")
    nx.__cause__ = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    assert failure_of(nx)[0] is Failure.NXDOMAIN
    again = httpx.ConnectError("boom")
    again.__cause__ = socket.gaierror(socket.EAI_AGAIN, "Temporary failure")
    assert failure_of(again)[0] is Failure.DNS_TEMPORARY
    reset = httpx.ReadError("x")
    reset.__context__ = ConnectionResetError(104, "Connection reset by peer")
    assert failure_of(reset)[0] is Failure.RESET
    assert failure_of(httpx.ReadTimeout("t"))[0] is Failure.READ_TIMEOUT


def test_permanent_target_and_same_address() -> None:
    chain = (Hop("http://a.org/x", 301), Hop("https://a.org/x", 302))
    assert permanent_target("http://a.org/x", chain, "https://a.org/login") == "https://a.org/x"
    assert permanent_target("http://a.org/x", (Hop("http://a.org/x", 301),),
                            "http://A.org:80/x/") is None
    assert same_address("https://a.org/x/#top", "https://a.org:443/x")
    assert not same_address("http://a.org/x", "https://a.org/x")


@pytest.mark.parametrize(
    ("final", "reason"),
    [
        ("https://a.org/ok", None),  # a two-letter page is not a language's home page
        ("https://a.org/go", None),
        ("https://a.org/tv/", None),
        ("https://a.org/en/", "redirect-home"),
        ("https://a.org/pt-br", "redirect-home"),
        ("https://a.org/index.html", "redirect-home"),
    ],
)
def test_a_redirect_to_a_two_letter_page_is_not_to_the_home_page(
    final: str, reason: str | None
) -> None:
    problem = redirect_problem("https://a.org/r302", final)
    assert (problem[0] if problem else None) == reason


def test_clean_strips_terminal_escapes() -> None:
    assert clean("ok\x1b[31mred\x1b]0;title\x07\u202e") == "ok [31mred ]0;title"
    assert len(clean("x" * 500)) == 200


def test_wants_probe_only_for_generic_pages() -> None:
    config = Config()

    def generic(url: str, title: str) -> bool:
        f = Fetched(url, url, 200, headers=HTML, body=_html(title).encode())
        return wants_probe(f, classify(f, config))

    assert not generic(URL, "Port traffic report 2024")
    assert generic(URL, "Example News")
    assert generic(URL, "")
    assert not generic("https://example.org/", "Example News")


def test_challenge_markers_ignored_deep_in_a_long_article() -> None:
    article = _html("DDoS attacks explained", "x" * 70_000 + " DDoS protection by Cloudflare")
    f = Fetched(URL, URL, 200, headers=HTML, body=article.encode())
    assert classify(f, Config()).verdict is Verdict.OK


def test_page_facts() -> None:
    p = pages.Page(b"<title>Caf\xe9 &amp; bar</title>", "text/html; charset=latin-1")
    assert p.title == "Café & bar"
    assert pages.Page(b'<script type="application/ld+json">{"isAccessibleForFree": true}'
                      b"</script>").accessible_for_free is True
    assert pages.Page(b"<p>no markup</p>").accessible_for_free is None


@pytest.mark.parametrize(
    ("html", "paywalled"),
    [
        ("<p><strong>Subscribe</strong> to continue reading</p>", True),
        ("<p>Subscribe&nbsp;to continue reading.</p>", True),
        ("<p>Subscribe\u00a0to <em>keep</em> reading.</p>", True),
        ("<p>You\u2019ve reached your free article limit.</p>", True),
        ("<p>You&rsquo;ve used all your free articles this month.</p>", True),
        ("<p>Subscribe to our newsletter to keep up with port news.</p>", False),
        ("<p>Why the paywall debate matters to readers.</p>", False),
    ],
)
def test_paywall_lines_across_inline_markup_and_no_break_spaces(html: str, paywalled: bool) -> None:
    body = f"<html><body><main>{'<p>Volumes rose.</p>' * 20}{html}</main></body></html>"
    assert (pages.Page(body.encode()).paywall_markup is not None) is paywalled


@pytest.mark.parametrize(
    "landing",
    ["/wp-login.php?redirect_to=%2Fstory%2F77", "/users/sign_in", "/user/log_in",
     "/signup?next=/x"],
)
def test_login_pages_of_common_platforms(landing: str) -> None:
    problem = redirect_problem("https://a.org/story/77", f"https://a.org{landing}")
    assert problem is not None and problem[0] == "login-redirect"
