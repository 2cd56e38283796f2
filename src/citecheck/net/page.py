"""Cheap facts about a fetched page: its title and heading, paywall markup, bot challenges.

The classifier runs on every page of a brief with hundreds of links, so these are regular
expressions over the bounded body prefix rather than a full parse: a page's <title>, its first
<h1> and its JSON-LD blocks are easy to find without building a tree, and an unclosed tag
costs a missed hint, never a crash. json.loads is used only on JSON-LD blocks that mention
`isAccessibleForFree`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

_TITLE = re.compile(rb"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
_H1 = re.compile(rb"<h1\b[^>]*>(.*?)</h1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)
_JSON_LD = re.compile(
    rb"""<script\b[^>]*type\s*=\s*["']?application/ld\+json["']?[^>]*>(.*?)</script\s*>""",
    re.I | re.S,
)
_SCRIPTS_STYLES = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
_WORD = re.compile(r"\w+")

# Paywall vendors, by the script or endpoint a page loads from them.
_VENDORS = (
    ("Piano", re.compile(rb"(?:cdn|experience|buy|api)(?:-\w+)?\.(?:tinypass\.com|piano\.io)|"
                         rb"\btp\.push\b|tinypass", re.I)),
    ("Poool", re.compile(rb"poool\.fr|poool-access|\bpoool\(", re.I)),
    ("Zephr", re.compile(rb"zephr(?:cdn|\.com|-|_)|\bzephrBrowser\b", re.I)),
    ("LaterPay", re.compile(rb"laterpay\.net|connector\.laterpay|\blaterpay\b", re.I)),
)

# Bot challenges and WAF block pages. Each needs a distinctive phrase: "Access denied" alone
# is also what a genuine permission error says.
_CHALLENGE_BODY = re.compile(
    rb"<title>\s*just a moment\.\.\.|<title>\s*just a moment\xe2\x80\xa6|"
    rb"_cf_chl_opt|/cdn-cgi/challenge-platform/|cf-browser-verification|"
    rb"attention required! \| cloudflare|checking your browser before accessing|"
    rb"ddos protection by|captcha-delivery\.com|geo\.captcha-delivery|px-captcha|"
    rb"_incapsula_resource|incapsula incident id|pardon our interruption|"
    rb"sucuri website firewall|request unsuccessful\. incapsula|"
    rb"please enable js and disable any ad blocker|awswaf|aws-waf-token|"
    rb"why have i been blocked\?|verify you are (?:a )?human",
    re.I,
)


def charset(content_type: str, body: bytes) -> str:
    """The text encoding: from Content-Type, else a <meta charset> near the top, else UTF-8."""
    lowered = content_type.lower()
    if "charset=" in lowered:
        name = lowered.split("charset=", 1)[1].split(";", 1)[0].strip(" \"'")
        if name:
            return name
    found = _META_CHARSET.search(body, 0, 2048)
    return found.group(1).decode("ascii", "replace") if found else "utf-8"


def _text(raw: bytes, encoding: str) -> str:
    try:
        text = raw.decode(encoding, "replace")
    except LookupError:
        text = raw.decode("utf-8", "replace")
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()


def is_html(content_type: str) -> bool:
    ct = content_type.lower()
    return "html" in ct or ct.startswith("text/xml")


def is_textual(content_type: str) -> bool:
    """Bodies worth reading for classification; everything else is judged by its headers."""
    ct = content_type.lower().split(";", 1)[0].strip()
    return not ct or ct.startswith("text/") or "html" in ct or "xml" in ct or "json" in ct


def challenge(headers: Mapping[str, str], body: bytes) -> str | None:
    """The bot-protection challenge a response is, or None. A challenge says nothing about
    the page behind it, so it is `blocked` whatever the status, and never retried."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "Cloudflare challenge"
    if headers.get("x-amzn-waf-action", "").lower() in ("captcha", "challenge"):
        return "AWS WAF challenge"
    if "x-datadome" in headers and b"captcha" in body[:65536].lower():
        return "DataDome captcha"
    found = _CHALLENGE_BODY.search(body)
    if found:
        return "bot challenge page"
    return None


def _walk(value: object) -> Iterator[dict[str, object]]:
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)


@dataclass(frozen=True)
class Page:
    """An HTML (or text) body prefix, with the facts the classifier asks of it, each
    computed at most once."""

    body: bytes
    content_type: str = "text/html"

    @cached_property
    def encoding(self) -> str:
        return charset(self.content_type, self.body)

    @cached_property
    def title(self) -> str:
        found = _TITLE.search(self.body)
        return _text(found.group(1), self.encoding)[:300] if found else ""

    @cached_property
    def heading(self) -> str:
        found = _H1.search(self.body)
        return _text(found.group(1), self.encoding)[:300] if found else ""

    @cached_property
    def accessible_for_free(self) -> bool | None:
        """schema.org `isAccessibleForFree` from the page's JSON-LD (Google's markup for
        paywalled content): False when any block says false, True when one says true,
        None when no block says either."""
        if b"isaccessibleforfree" not in self.body.lower():
            return None
        verdict: bool | None = None
        for block in _JSON_LD.findall(self.body):
            try:
                data = json.loads(block.decode(self.encoding, "replace"))
            except (ValueError, LookupError):
                flat = block.lower().replace(b" ", b"")
                if re.search(rb'"isaccessibleforfree":"?false', flat):
                    return False
                continue
            for node in _walk(data):
                for key, value in node.items():
                    if key.lower() != "isaccessibleforfree":
                        continue
                    free = value if isinstance(value, bool) else str(value).lower() == "true"
                    if not free:
                        return False
                    verdict = True
        return verdict

    @cached_property
    def paywall_vendor(self) -> str | None:
        for name, pattern in _VENDORS:
            if pattern.search(self.body):
                return name
        return None

    @cached_property
    def words(self) -> frozenset[str]:
        """The visible words, for comparing a page with a probe of a random path."""
        try:
            text = self.body.decode(self.encoding, "replace")
        except LookupError:
            text = self.body.decode("utf-8", "replace")
        text = _TAG.sub(" ", _SCRIPTS_STYLES.sub(" ", text))
        return frozenset(w.lower() for w in _WORD.findall(html.unescape(text)))
