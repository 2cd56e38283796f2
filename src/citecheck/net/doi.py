"""DOIs: a registered identifier is not a dead link because its publisher refuses robots.

A DOI (`https://doi.org/10.…`, `http://dx.doi.org/10.…`, `doi:10.…`) is asked of the DOI
handle API (`<Config.doi_resolver><doi>`, by default https://doi.org/api/handles/), which
answers JSON: `responseCode` 1 with the handle's values (among them the `URL` the DOI resolves
to) when the DOI is registered, 100 (with HTTP 404) when it is not. Then:

- not registered: `dead` — the identifier itself leads nowhere;
- registered: the landing page is checked like any link. Its verdict stands when it says
  something about the page (ok, dead, soft-404, paywall); when the publisher only refused to
  show it to a robot (blocked, a timeout, a server error) the DOI is `ok` with "DOI registered;
  publisher blocked the check" — the identifier is sound, which is what the citation needs;
- the resolver could not be asked (down, garbage): `error`, never `dead`.

The resolver is configuration, as the archive endpoints are, so tests run it on loopback.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from citecheck.model import Hop, LinkResult, Verdict
from citecheck.net.facts import clean

if TYPE_CHECKING:
    from citecheck.net.checker import LinkChecker

_HOSTS = ("doi.org", "dx.doi.org", "www.doi.org")
_DOI = re.compile(r"10\.\d{4,9}/\S+")
ASKED_OF_PUBLISHER = (Verdict.BLOCKED, Verdict.TIMEOUT, Verdict.ERROR)
"""Landing-page verdicts that only say the publisher would not answer a robot."""


def doi_of(url: str) -> str | None:
    """The DOI a cited URL names (`10.1234/abc`), or None for any other URL."""
    if "doi" not in url[:24].lower():  # every URL is asked: most are answered here
        return None
    if url[:4].lower() == "doi:":
        doi = url[4:].strip()
    else:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or (
            (parts.hostname or "").lower() not in _HOSTS
        ):
            return None
        doi = unquote(parts.path.lstrip("/"))
    return doi if _DOI.fullmatch(doi) else None


def _landing(values: object) -> str | None:
    """The URL a handle record resolves to (its value of type URL), if any."""
    if not isinstance(values, list):
        return None
    for value in values:
        if isinstance(value, dict) and value.get("type") == "URL":
            data = value.get("data")
            target = data.get("value") if isinstance(data, dict) else None
            if isinstance(target, str) and target.lower().startswith(("http://", "https://")):
                return target
    return None


async def check(checker: LinkChecker, url: str, doi: str) -> LinkResult:
    """The verdict for a cited DOI (see the module docstring)."""
    config = checker.config
    endpoint = config.doi_resolver + quote(doi, safe="/")
    asked = await checker.http.fetch(endpoint, checker.policy,
                                     headers={"Accept": "application/json"})
    code: object = None
    record: dict[str, object] = {}
    if asked.status is not None and asked.body:
        try:
            loaded = json.loads(asked.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            loaded = None
        if isinstance(loaded, dict):
            record, code = loaded, loaded.get("responseCode")
    if code == 100 or (asked.status == 404 and code is None and not asked.body):
        return checker.result(url, Verdict.DEAD, "doi-unregistered",
                              f"DOI {clean(doi, 100)} is not registered (DOI handle API)",
                              status=404)
    if code != 1:
        if asked.status is None:
            why = asked.failure_detail or "no answer"
        elif asked.status != 200:
            why = f"HTTP {asked.status}"
        else:
            why = "an answer that is not a handle record"
        # A failure keeps its kind as the reason: with the network down it is "not checked".
        reason = asked.failure.value if asked.failure is not None else "doi-resolver"
        return checker.result(url, Verdict.ERROR, reason,
                              f"the DOI resolver could not be consulted: {clean(why, 120)}")
    landing = _landing(record.get("values"))
    if landing is None:
        return checker.result(url, Verdict.OK, "doi-registered",
                              "DOI registered (its record names no landing page)", status=200)
    page = await checker.check(landing, cited=landing)
    chain = (Hop(url, 302), *page.chain)
    if page.verdict in ASKED_OF_PUBLISHER:
        return replace(page, url=url, verdict=Verdict.OK, reason="doi-registered", chain=chain,
                       detail=f"DOI registered; publisher blocked the check ({page.detail})")
    if page.verdict is Verdict.MOVED:  # a DOI redirects by design: cite the DOI
        return replace(page, url=url, verdict=Verdict.OK, reason="ok", chain=chain,
                       detail=f"DOI registered; resolves to {clean(page.final_url or landing)}")
    joint = "; " if page.verdict is Verdict.OK else ", but "
    detail = f"DOI registered{joint}{page.detail}"
    return replace(page, url=url, chain=chain, detail=detail)
