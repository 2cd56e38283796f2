"""What one fetch established, before any judgement: the input of the classifier.

Kept free of httpx so the classifier and the rules can be tested (and imported) without the
network stack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from citecheck.model import Hop

if TYPE_CHECKING:  # failures.py imports httpx; the rules import this module without it
    from citecheck.net.failures import Failure

PERMANENT = (301, 308)
REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True, slots=True)
class Fetched:
    """The last response of a redirect chain (or the failure that ended it).

    `headers` is case-insensitive when it comes from httpx; tests may pass a dict with
    lower-case keys. `body` is at most Config.max_body bytes, decoded from gzip/deflate, and
    empty for HEAD, for redirects and for bodies not worth reading (PDFs, images).
    """

    url: str
    final_url: str
    status: int | None = None
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    chain: tuple[Hop, ...] = ()
    failure: Failure | None = None
    failure_detail: str = ""
    attempts: int = 1
    elapsed: float = 0.0
    truncated: bool = False
    retry_after: float | None = None
    """The server's Retry-After when it was longer than we wait (the fetch then ended)."""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def permanent_target(url: str, chain: tuple[Hop, ...], final_url: str | None) -> str | None:
    """Where the leading run of permanent redirects (301/308) leads: the address to cite.

    `A -301-> B -302-> C` gives B: the publisher moved A to B for good, and B's temporary
    redirect is B's business. None when the first hop is not permanent or the move is only
    cosmetic (see `same_address`).
    """
    target = None
    for i, hop in enumerate(chain):
        if hop.status not in PERMANENT:
            break
        target = chain[i + 1].url if i + 1 < len(chain) else final_url
    if target is None or same_address(url, target):
        return None
    return target


_DEFAULT_PORTS = {"http": 80, "https": 443}
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")


def without_credentials(url: str) -> str:
    """`url` without a `user:password@` part: what a server puts in a redirect target is
    not echoed into reports."""
    return _USERINFO.sub(r"\1", url, count=1) if "@" in url else url


def same_address(a: str, b: str) -> bool:
    """Equal but for host case, a default port, a trailing slash or the fragment: a redirect
    between such forms is not worth a citation change."""
    return _normal(a) == _normal(b)


def _normal(url: str) -> tuple[str, str, int | None, str, str]:
    p = urlsplit(url)
    try:
        port = p.port
    except ValueError:
        port = None
    if port == _DEFAULT_PORTS.get(p.scheme.lower()):
        port = None
    return (p.scheme.lower(), (p.hostname or "").lower(), port, p.path.rstrip("/"), p.query)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")


def clean(text: str, limit: int = 200) -> str:
    """Text from the web made safe for a terminal: no control characters or escape sequences
    (DESIGN.md §9), no bidi overrides, one line, bounded length."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
