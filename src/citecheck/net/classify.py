"""From what a fetch established to a verdict an editor can trust: pure functions.

The order of the questions is the design (DESIGN.md §5):

1. No answer at all: only NXDOMAIN, a refused connection and a redirect loop are definite
   enough for `dead`; timeouts, resets and TLS failures are not.
2. A bot challenge, whatever its status, is `blocked`: it says nothing about the page.
3. The status: 402 paywall; 401/403/429/999 and other refusals blocked; 404/410 dead; 5xx
   error (these arrive here only after the retries ran out).
4. A 2xx is examined before it is called `ok`, where general link checkers are wrong most
   often: a redirect that lands on a login page (paywall), the home page or far up the path
   (soft-404), a "not found" title (soft-404), `isAccessibleForFree: false`, a paywall
   vendor's script, overlay, meter or "subscribe to continue reading" line (paywall), and for
   a generic-looking page a comparison with a random path on the same host (soft-404;
   Bar-Yossef et al., "Sic transit gloria telae", WWW 2004).
5. A permanent redirect that survives all that is `moved`; anything else is `ok`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urlsplit

from citecheck.config import Config
from citecheck.model import Verdict
from citecheck.net import page as pages
from citecheck.net.facts import Fetched, clean, permanent_target, same_address
from citecheck.net.failures import Failure

# Hosts whose articles are behind a hard paywall, checked in addition to Config.paywall_hosts.
# Short on purpose: a metered site is free for most readers, and markup (JSON-LD, vendor
# scripts) catches the rest.
KNOWN_PAYWALL_HOSTS = ("ft.com", "wsj.com", "economist.com", "barrons.com", "thetimes.co.uk")
_KNOWN_PAYWALL = frozenset(KNOWN_PAYWALL_HOSTS)


@dataclass(frozen=True, slots=True)
class Classified:
    verdict: Verdict
    reason: str  # a stable token saying which evidence decided (e.g. "http-404", "redirect-home")
    detail: str


def status_text(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:  # 999 is LinkedIn's (and others') "request denied"
        return f"{status} Request denied" if status == 999 else str(status)


def classify(
    fetched: Fetched, config: Config, probe: Fetched | None = None,
    page: pages.Page | None = None,
) -> Classified:
    """The verdict for `fetched`. `probe` is the fetch of a random path on the same host,
    made when `wants_probe` said so; `page` is `fetched`'s body as a Page, if already made."""
    if fetched.failure is not None:
        return _failed(fetched)
    status = fetched.status or 0
    if _accepted(config.accept, status, fetched):
        return Classified(Verdict.OK, "accepted", f"{status_text(status)} (accepted for host)")
    page = page or pages.Page(fetched.body, fetched.content_type)
    found = _challenge(fetched, page, status)
    if found:
        return Classified(Verdict.BLOCKED, "challenge", f"{status_text(status)}: {found}")
    if not 200 <= status < 300:
        return _by_status(fetched, status)
    return _examine(fetched, config, probe, page)


def _failed(f: Fetched) -> Classified:
    kind = f.failure
    assert kind is not None
    detail = clean(f.failure_detail or kind.value)
    if f.chain:
        detail += f" (after {len(f.chain)} redirect{'s' if len(f.chain) > 1 else ''})"
    if f.attempts > 1:
        detail += f", {f.attempts} attempts"
    if kind in (Failure.NXDOMAIN, Failure.REFUSED, Failure.LOOP):
        return Classified(Verdict.DEAD, kind.value, detail)
    if kind in (Failure.CONNECT_TIMEOUT, Failure.READ_TIMEOUT, Failure.TIMEOUT):
        return Classified(Verdict.TIMEOUT, kind.value, detail)
    if kind in (Failure.FORBIDDEN, Failure.INVALID):
        return Classified(Verdict.SKIPPED, kind.value, detail)
    if kind is Failure.RATE_LIMITED:
        return Classified(Verdict.BLOCKED, kind.value, detail)
    return Classified(Verdict.ERROR, kind.value, detail)


def _challenge(f: Fetched, page: pages.Page, status: int) -> str | None:
    """Look at all of an error body, but only at the top of a small 2xx page: an article may
    well mention "DDoS protection" in its text, and challenge pages are small."""
    if not 200 <= status < 300:
        return page.challenge(f.headers)
    if len(f.body) >= 65536:
        return pages.challenge(f.headers, b"")
    return pages.challenge(f.headers, f.body[:32768], page.lower[:32768])


def _by_status(f: Fetched, status: int) -> Classified:
    detail = status_text(status)
    if f.chain:
        detail += f" at {clean(f.final_url)}"
    if f.retry_after is not None:
        # A pause longer than we wait for (net/http.py): reported at once, in its own words.
        detail += (f": rate-limited, the server asked to retry after {f.retry_after:.0f} s "
                   "(more than citecheck waits)")
        if status == 429:
            return Classified(Verdict.BLOCKED, "rate-limited", detail)
    if status == 402:
        return Classified(Verdict.PAYWALL, "http-402", detail)
    if status in (404, 410):
        return Classified(Verdict.DEAD, f"http-{status}", detail)
    if status >= 500 and status != 999:
        if f.attempts > 1:
            detail += f", {f.attempts} attempts"
        return Classified(Verdict.ERROR, f"http-{status}", detail)
    if 300 <= status < 400:
        return Classified(Verdict.ERROR, f"http-{status}", detail + " without a usable Location")
    # 401, 403, 429 (after retries), 999 (LinkedIn and others) and the other refusals (400,
    # 405, 406, 451, …): the server declined to show the page to a robot. Not evidence that the
    # page is gone.
    return Classified(Verdict.BLOCKED, f"http-{status}", detail)


def _examine(f: Fetched, config: Config, probe: Fetched | None, page: pages.Page) -> Classified:
    html = pages.is_html(f.content_type) or (not f.content_type and bool(f.body))
    # A redirect, in the headers or in the page (<meta http-equiv="refresh">), may give the
    # page away: to a login page (paywall), the home page or an error page (soft-404).
    refresh = page.refresh_target(f.final_url) if html else None
    for target, how in ((f.final_url if f.chain else None, ""), (refresh, " (meta refresh)")):
        problem = redirect_problem(f.url, target) if target else None
        if problem:
            verdict = Verdict.PAYWALL if problem[0] == "login-redirect" else Verdict.SOFT_404
            return Classified(verdict, problem[0], f"{problem[1]}{how}: {clean(target or '')}")
    free = page.accessible_for_free if html else None
    if html and (said := _not_found_text(page, f.url)):
        return Classified(Verdict.SOFT_404, "not-found-title", f"page says “{said}”")
    if free is False:
        return Classified(Verdict.PAYWALL, "jsonld",
                          "marked isAccessibleForFree: false (schema.org)")
    if free is None and html and page.paywall_vendor:
        return Classified(Verdict.PAYWALL, "vendor", f"loads the {page.paywall_vendor} paywall")
    if free is None and html and page.paywall_markup:
        return Classified(Verdict.PAYWALL, "paywall-markup",
                          f"paywall on the page: {page.paywall_markup}")
    if free is None and _paywall_host(f.final_url, config.paywall_hosts):
        return Classified(Verdict.PAYWALL, "paywall-host", "host is on the paywall list")
    if html and probe is not None and _matches_probe(f, page, probe):
        return Classified(Verdict.SOFT_404, "probe-match",
                          "the site serves this same page for a random path that cannot exist")
    target = permanent_target(f.url, f.chain, f.final_url)
    if target is not None:
        first = f.chain[0].status
        return Classified(Verdict.MOVED, f"http-{first}",
                          f"{first} moved permanently to {clean(target)}")
    text = status_text(f.status or 200)
    if f.chain and not same_address(f.url, f.final_url):
        text += f" via redirect to {clean(f.final_url)}"
    return Classified(Verdict.OK, "ok", text)


def _accepted(accept: Mapping[str, tuple[int, ...]], status: int, f: Fetched) -> bool:
    hosts = [(urlsplit(u).hostname or "").lower() for u in (f.final_url, f.url)] if accept else []
    return any(_within(h, d) and status in s for h in hosts for d, s in accept.items())


def _within(host: str, domain: str) -> bool:
    domain = domain.lower().strip(".")
    return host == domain or host.endswith("." + domain)


def _paywall_host(url: str, configured: tuple[str, ...]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    domains = {d.lower().strip(".") for d in configured} | _KNOWN_PAYWALL if configured \
        else _KNOWN_PAYWALL
    parts = host.split(".")
    return any(".".join(parts[k:]) in domains for k in range(len(parts)))


# --- redirects that give the page away --------------------------------------------------

_LOGIN = re.compile(
    r"(?:^|/)(?:wp-)?(?:log[-_]?in|sign[-_]?(?:in|up)|signon|sso|auth|authenticate|subscribe|subscription|"
    r"subscriptions|register|registration|paywall)(?:$|[/.;])|/premium/?$",
    re.I,
)
_LOGIN_HOSTS = ("login", "signin", "auth", "sso", "accounts", "account", "myaccount", "id")
# A language's home page (/en/, /pt-br/) is the home page: ISO 639-1 codes only, so that a
# two-letter page (/ok, /go, /tv) a link is redirected to is not taken for one.
_LANGUAGES = (
    " aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv "
    "cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr "
    "ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw "
    "ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv "
    "ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr "
    "ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi "
    "yo za zh zu "
)
_LOCALE = re.compile(r"^([a-z]{2})(?:[-_][a-z]{2,4})?$", re.I)
_HOMEISH = re.compile(r"^(?:index|default|home|main|start)(?:\.\w+)?$", re.I)
_ERROR_PAGE = re.compile(
    r"(?:^|/)(?:404|not-?found|page-?not-?found|notfound|error|errors|fehler|search)(?:$|[/.;])",
    re.I,
)


def _login_page(url: str, final_url: str) -> bool:
    """A redirect that lands on a login, sign-in or subscribe page. Judged by where it lands:
    words in the cited path (`/premium/…`) say nothing about what the reader is shown. Only a
    redirect from the landing page to itself (`/login` -> `/login?next=…`) is not one."""
    end = urlsplit(final_url)
    host = (end.hostname or "").split(".")[0]
    if not (_LOGIN.search(end.path) or host in _LOGIN_HOSTS):
        return False
    start = urlsplit(url)
    return (start.path.rstrip("/"), start.hostname) != (end.path.rstrip("/"), end.hostname)


def redirect_problem(url: str, final_url: str) -> tuple[str, str] | None:
    """Why a redirect from `url` to `final_url` does not reach the cited page — (reason token,
    what happened): a login page, the home page, an error page — or None when it may."""
    if _login_page(url, final_url):
        return "login-redirect", "redirected to a login page"
    return _soft_redirect(url, final_url)


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def _soft_redirect(url: str, final_url: str) -> tuple[str, str] | None:
    """A deep link sent to the site's home page, to an error page, or far up its own path."""
    start, end = urlsplit(url), urlsplit(final_url)
    asked = _segments(start.path)
    got = _segments(end.path)
    deep = bool(start.query) or (bool(asked) and not (len(asked) == 1 and _HOMEISH.match(asked[0])))
    if not deep:
        return None
    if _ERROR_PAGE.search(end.path) and not _ERROR_PAGE.search(start.path):
        return "error-page", "redirected to an error or search page"
    home = [s for s in got if not _locale(s)]
    if (not home or (len(home) == 1 and _HOMEISH.match(home[0]))) and not end.query:
        return "redirect-home", "deep link redirected to the site's home page"
    same_site = _site(start.hostname) == _site(end.hostname)
    lower = [s.lower() for s in asked]
    if same_site and len(got) <= len(asked) - 2 and [s.lower() for s in got] == lower[: len(got)]:
        return "redirect-up", "deep link redirected to a page far up its path"
    if same_site and len(got) <= 1 and len(asked) >= 3 and 3 * len(end.path) <= len(start.path):
        return "redirect-up", "deep link redirected to a much shorter path"
    return None


def _locale(segment: str) -> bool:
    match = _LOCALE.match(segment)
    return bool(match) and f" {match.group(1).lower()} " in _LANGUAGES


def _site(host: str | None) -> str:
    host = (host or "").lower()
    return host[4:] if host.startswith("www.") else host


# --- what the page says ----------------------------------------------------------------

_NOT_FOUND = re.compile(
    r"\b404\b|\bnot\s+found\b|\bpage\s+(?:does\s+not|doesn['’]t)\s+exist|"
    r"\bno\s+longer\s+(?:available|exists?)\b|"
    r"\b(?:cannot|can['’]t|could\s+not|couldn['’]t|unable\s+to)\s+(?:be\s+)?(?:find|found|locate)|"
    r"\bpage\s+(?:is\s+)?(?:missing|unavailable|not\s+available)\b|"
    r"\b(?:page|content|article)\s+(?:has\s+been\s+|was\s+)?(?:removed|deleted)\b|"
    r"\bnicht\s+gefunden\b|\bintrouvable\b|\bnon\s+trouv|\bno\s+encontrad|\bno\s+existe\b|"
    r"\bnon\s+trovat|\bnão\s+encontrad|\bniet\s+gevonden\b|не\s+найден|"
    r"見つかりません|存在しません|页面不存在|找不到|찾을\s*수\s*없",
    re.I,
)
# Every phrase _NOT_FOUND matches holds one of these: the substring test (under 1 µs a
# title) rules out most titles before the pattern (9 µs) is tried.
_HINTS = ("404", "found", "exist", "availab", "find", "locate", "missing", "removed",
          "deleted", "gefunden", "introuvable", "trouv", "encontrad", "trovat", "gevonden",
          "найден", "見つかりません", "存在しません", "页面不存在", "找不到", "찾을")
_PATH_WORD = re.compile(r"[^\W_]+")
_HEX = re.compile(r"[0-9a-f]{8,}")


def _not_found_text(page: pages.Page, url: str) -> str | None:
    """The title or heading when it says "not found" — unless the URL is about that very
    thing (an article on HTTP 404 errors may well be titled so)."""
    for text in (page.title, page.heading):
        lower = text.lower()
        found = _NOT_FOUND.search(text) if any(h in lower for h in _HINTS) else None
        if found and not {w.lower() for w in _PATH_WORD.findall(found.group(0))} <= {
            w.lower() for w in _PATH_WORD.findall(urlsplit(url).path)
        }:
            return clean(text, 80)
    return None


# --- soft-404 by comparison with a random path -----------------------------------------

_STOP = {
    "html", "htm", "php", "asp", "aspx", "jsp", "cfm", "shtml", "index", "default", "www",
    "content", "view", "page", "pages", "article", "articles", "news", "story", "stories",
    "post", "posts", "item", "items", "detail", "details", "node", "home", "main", "docs",
    "document", "documents", "publication", "publications", "report", "reports", "blog",
}


def _path_tokens(url: str) -> set[str]:
    """The words and numbers of a URL's path that could name its page."""
    out = set()
    for token in _PATH_WORD.findall(urlsplit(url).path.lower()):
        if token in _STOP:
            continue
        if token.isdigit():
            if len(token) >= 3:
                out.add(token)
        elif len(token) >= 4 and not _HEX.fullmatch(token):
            out.add(token)
    return out


def wants_probe(fetched: Fetched, verdict: Classified, page: pages.Page | None = None) -> bool:
    """Whether a page judged ok (or moved) looks generic enough to compare with a random path
    on its host: no title, or a title that shares no word with the path it was asked for."""
    if verdict.verdict not in (Verdict.OK, Verdict.MOVED) or verdict.reason == "accepted":
        return False
    if not pages.is_html(fetched.content_type) or not fetched.body:
        return False
    if not _segments(urlsplit(fetched.url).path):
        return False
    page = page or pages.Page(fetched.body, fetched.content_type)
    words = {w.lower() for w in _PATH_WORD.findall(f"{page.title} {page.heading}")}
    if not words:
        return True
    wanted = _path_tokens(fetched.url)
    if fetched.final_url != fetched.url:
        wanted |= _path_tokens(fetched.final_url)
    if not wanted:
        return len(words) <= 3
    return not any(t in words or any(w.startswith(t[:5]) for w in words) for t in wanted)


def _matches_probe(f: Fetched, page: pages.Page, probe: Fetched) -> bool:
    if probe.failure is not None or not 200 <= (probe.status or 0) < 300:
        return False  # the host answers junk paths with an error: its 200s are real
    if same_address(probe.final_url, f.final_url):
        return True
    other = pages.Page(probe.body, probe.content_type)
    if _not_found_text(other, probe.url) and not _not_found_text(page, f.url):
        return False
    noise = _path_tokens(f.url) | _path_tokens(probe.url)
    mine, theirs = page.words - noise, other.words - noise
    if not mine and not theirs:
        return True
    similarity = len(mine & theirs) / max(1, len(mine | theirs))
    return similarity >= (0.8 if page.title and page.title == other.title else 0.9)
