"""DOIs: a registered identifier is not a dead link because its publisher refuses robots.

A DOI (`https://doi.org/10.…`, `http://dx.doi.org/10.…`, `doi:10.…`) is asked of the DOI
handle API (Config.doi_resolver, configuration so tests run it on loopback): `responseCode` 1
with the handle's values (the `URL` it resolves to among them) when registered, 100 when not.
Not registered is `dead`. Registered, the landing page is checked like any link, and its
verdict stands when it says something about the page; when the publisher only refused a robot
(blocked, timeout, server error) the DOI is `ok` ("DOI registered; publisher blocked the
check"). A resolver that cannot be asked gives `error`, never `dead`.
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
        why = (asked.failure_detail or "no answer" if asked.status is None else
               f"HTTP {asked.status}" if asked.status != 200 else "an answer that is no record")
        # A failure keeps its kind as the reason: with the network down it is "not checked".
        reason = asked.failure.value if asked.failure is not None else "doi-resolver"
        return checker.result(url, Verdict.ERROR, reason,
                              f"the DOI resolver could not be consulted: {clean(why, 120)}")
    landing = _landing(record.get("values"))
    if landing is None:
        return checker.result(url, Verdict.OK, "doi-registered",
                              "DOI registered (its record names no landing page)", status=200)
    from citecheck.net.checker import precheck

    admitted = precheck(landing, config, ())  # a record may name a private address
    if isinstance(admitted, LinkResult):
        return replace(admitted, url=url, detail=f"DOI registered; {admitted.detail}")
    page = await checker.check(admitted, cited=landing)
    verdict, reason, said = page.verdict, page.reason, f"DOI registered; {page.detail}"
    if verdict in ASKED_OF_PUBLISHER:
        verdict, reason = Verdict.OK, "doi-registered"
        said = f"DOI registered; publisher blocked the check ({page.detail})"
    elif verdict is Verdict.MOVED:  # a DOI redirects by design: cite the DOI
        verdict, reason = Verdict.OK, "ok"
        said = f"DOI registered; resolves to {clean(page.final_url or landing)}"
    elif verdict is not Verdict.OK:
        said = f"DOI registered, but {page.detail}"
    return replace(page, url=url, verdict=verdict, reason=reason, detail=said,
                   chain=(Hop(url, 302), *page.chain))
