"""Cheap facts about a fetched page: title and heading, paywall markup, bot challenges.

The classifier asks these of every page of a brief, and a page is whatever a server chose to
send, hostile ones included. So nothing here parses HTML into a tree, and every fact is found
in time linear in a bounded prefix of the body (`PREFIX`): elements by `bytes.find`, markers
by `in` (a C substring search), attribute values read by hand, and the few regular expressions
left cannot backtrack over more than one tag (`<[^<>]*>` stops at the next `<`, where
`<[^>]*>` would rescan the rest of the body from every `<`). An unclosed tag costs a missed
hint, never a crash or a stall.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urljoin

PREFIX = 256 * 1024  # bytes of a body examined at most (Config.max_body is usually less)
_HEAD_PREFIX = 64 * 1024  # where a <meta http-equiv="refresh"> may stand: near the top
_ELEMENT_TEXT = 4096  # bytes of a <title> or <h1> read: a longer one is no title to read

_TAG = re.compile(r"<[^<>]*>")
_BYTES_TAG = re.compile(rb"<[^<>]*>")
_WORD = re.compile(r"\w+")
_REFRESH_CONTENT = re.compile(r"""^\s*(\d{1,6})\s*[;,]\s*url\s*=\s*["']?([^"'>\s]+)""")
_JSON_LD_FALSE = re.compile(rb'"isaccessibleforfree"\s{0,40}:\s{0,40}"?false')

# Paywall vendors: (name, literal markers in the lower-cased body; any one suffices).
_VENDORS = (
    ("Piano", (b"tinypass", b"piano.io", b"tp-modal", b"tp-backdrop")), ("Poool", (b"poool",)),
    ("Zephr", (b"zephr",)), ("LaterPay", (b"laterpay",)),
)
# The overlay and meter markup a paywall leaves on a page it serves with 200: `data-paywall`,
# `data-meter`, metered-content markers, and these words in a class name.
_PAYWALL_CLASS = re.compile(r"paywall|(?:^|[\s_-])meter(?:ed)?(?:$|[\s_-])")
# What readers are told when the text stops, "Subscribe to continue reading" and its kin:
# each phrase holds one of these keys, around which alone the pattern is tried.
_TEXT_KEYS = (b"reading", b"subscribe", b"members", b"ve reached", b"ve used")
# Between two words of such a phrase: spaces, a no-break space (as text or as an entity) or
# the tags of inline markup ("<strong>Subscribe</strong> to continue reading").
_GAP = rb"(?:\s|&nbsp;|&#160;|&#xa0;|\xc2\xa0|</?[a-z][^<>]{0,80}>)+"
_PAYWALL_TEXT = re.compile((
    rb"subscribe\s+(?:now\s+)?to\s+(?:continue|keep)\s+reading"
    rb"|subscribe\s+to\s+(?:read|unlock)\s+(?:the\s+full|the\s+rest|this|more)"
    rb"|(?:log|sign)\s+in\s+to\s+(?:continue|keep)\s+reading"
    rb"|(?:register|create\s+a\s+free\s+account)\s+to\s+(?:continue|keep)\s+reading"
    rb"|to\s+continue\s+reading,?\s+(?:please\s+)?(?:subscribe|log\s+in|sign\s+in|register)"
    rb"|this\s+(?:article|story|content)\s+is\s+(?:only\s+)?(?:available\s+)?"
    rb"(?:for|to)\s+(?:paying\s+)?(?:subscribers|members)"
    rb"|you(?:'|&#39;|&rsquo;|&#8217;|\xe2\x80\x99|\s+ha)ve\s+(?:reached|used)\s+"
    rb"(?:your|all\s+your)\s+(?:limit\s+of\s+)?free\s+(?:articles?|stories|story|reads?)"
    rb"|subscriber[-\s]only\s+(?:content|article|story)"
).replace(rb"\s+", _GAP))

# Bot challenges and WAF block pages, as lower-case literals. Each is distinctive: "access
# denied" alone is also what a genuine permission error says, so it is not one of them.
_CHALLENGE_MARKERS = (
    b"<title>just a moment...", "<title>just a moment…".encode(), b"_cf_chl_opt",
    b"/cdn-cgi/challenge-platform/", b"cf-browser-verification",
    b"attention required! | cloudflare", b"checking your browser before accessing",
    b"ddos protection by", b"captcha-delivery.com", b"px-captcha", b"_incapsula_resource",
    b"incapsula incident id", b"pardon our interruption", b"sucuri website firewall",
    b"please enable js and disable any ad blocker", b"awswaf", b"aws-waf-token",
    b"why have i been blocked?", b"verify you are human", b"verify you are a human",
)


def charset(content_type: str, body: bytes) -> str:
    """The text encoding: from Content-Type, else a <meta charset> near the top, else UTF-8."""
    for text in (content_type.lower(), body[:2048].lower().decode("latin-1")):
        found = re.search(r"""charset=["']?([\w-]{1,40})""", text)
        if found:
            return found.group(1)
    return "utf-8"


def _decode(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding, "replace")
    except LookupError:
        return raw.decode("utf-8", "replace")


def _text(raw: bytes, encoding: str) -> str:
    text = _decode(raw[:_ELEMENT_TEXT], encoding)
    if "<" in text or "&" in text:  # most titles have neither tags nor entities
        text = html.unescape(_TAG.sub(" ", text))
    return " ".join(text.split())


def is_html(content_type: str) -> bool:
    ct = content_type.lower()
    return "html" in ct or ct.startswith("text/xml")


def is_textual(content_type: str) -> bool:
    """Bodies worth reading for classification; everything else is judged by its headers."""
    ct = content_type.lower().split(";", 1)[0].strip()
    return not ct or ct.startswith("text/") or "html" in ct or "xml" in ct or "json" in ct


def challenge(headers: Mapping[str, str], body: bytes, lower: bytes | None = None) -> str | None:
    """The bot-protection challenge a response is, or None. A challenge says nothing about
    the page behind it, so it is `blocked` whatever the status, and never retried.
    `headers` must have lower-case keys; `lower` is the body lower-cased if the caller has it."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "Cloudflare challenge"
    if headers.get("x-amzn-waf-action", "").lower() in ("captcha", "challenge"):
        return "AWS WAF challenge"
    if not body:
        return None
    lower = body[:PREFIX].lower() if lower is None else lower
    if "x-datadome" in headers and b"captcha" in lower:
        return "DataDome captcha"
    for marker in _CHALLENGE_MARKERS:  # (a loop: any() over a generator costs 2x per page)
        if marker in lower:
            return "bot challenge page"
    return None


def _element(lower: bytes, body: bytes, tag: bytes) -> bytes | None:
    """The raw content of the first <tag …>…</tag>, found by substring search."""
    opening = b"<" + tag
    start = lower.find(opening)
    while start >= 0:
        after = start + len(opening)
        if lower[after:after + 1] in (b" ", b">", b"\t", b"\r", b"\n", b"/"):
            open_end = lower.find(b">", after, after + 1024)
            if open_end < 0:
                return None
            close = lower.find(b"</" + tag, open_end, open_end + _ELEMENT_TEXT)
            return body[open_end + 1 : close if close >= 0 else open_end + 1 + _ELEMENT_TEXT]
        start = lower.find(opening, after)
    return None


def _attribute(tag: bytes, name: bytes) -> bytes | None:
    """The value of attribute `name` in an opening tag (already lower-cased)."""
    at = tag.find(name + b"=")
    while at > 0 and tag[at - 1 : at] not in (b" ", b"\t", b"\n", b"\r", b"/"):
        at = tag.find(name + b"=", at + 1)
    return None if at < 0 else _value(tag, at + len(name) + 1)


def _value(text: bytes, at: int) -> bytes:
    """The attribute value that starts at `at` (quoted or not), at most 1 KB of it."""
    rest = text[at : at + 1024].lstrip()
    if rest[:1] in (b'"', b"'"):
        end = rest.find(rest[:1], 1)
        return rest[1 : end if end >= 0 else len(rest)]
    return rest.split(None, 1)[0].split(b">", 1)[0] if rest.strip() else b""


def _places(lower: bytes, word: bytes, most: int = 50) -> Iterator[int]:
    at = lower.find(word)
    while at >= 0 and most:
        yield at
        at, most = lower.find(word, at + 1), most - 1


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
    """An HTML (or text) body, with the facts the classifier asks of it, each computed at
    most once and only when asked."""

    body: bytes
    content_type: str = "text/html"

    @cached_property
    def lower(self) -> bytes:
        return self.body[:PREFIX].lower()

    @cached_property
    def encoding(self) -> str:
        return charset(self.content_type, self.body)

    @cached_property
    def title(self) -> str:
        raw = _element(self.lower, self.body, b"title")
        return _text(raw, self.encoding)[:300] if raw else ""

    @cached_property
    def heading(self) -> str:
        raw = _element(self.lower, self.body, b"h1")
        return _text(raw, self.encoding)[:300] if raw else ""

    @cached_property
    def accessible_for_free(self) -> bool | None:
        """schema.org `isAccessibleForFree` from the page's JSON-LD (Google's markup for
        paywalled content): False when any block says false, True when one says true,
        None when no block says either."""
        lower = self.lower
        if b"isaccessibleforfree" not in lower:
            return None
        verdict: bool | None = None
        at, blocks = 0, 0
        while blocks < 50:
            start = lower.find(b"<script", at)
            if start < 0:
                break
            end_tag = lower.find(b">", start)
            if end_tag < 0:
                break
            at = end_tag + 1
            if b"ld+json" not in lower[start:end_tag]:
                continue
            end = lower.find(b"</script", at)
            if end < 0:
                break  # nothing after an unclosed block can be read either
            block, at, blocks = lower[at:end], end, blocks + 1
            if b"isaccessibleforfree" not in block:
                continue
            try:
                said = [v for node in _walk(json.loads(_decode(block, self.encoding)))
                        for k, v in node.items() if k == "isaccessibleforfree"]
            except (ValueError, RecursionError):  # not JSON, or nested beyond reading
                said = [False] if _JSON_LD_FALSE.search(block) else []
            for value in said:
                if not (value if isinstance(value, bool) else str(value) == "true"):
                    return False
                verdict = True
        return verdict

    @cached_property
    def paywall_vendor(self) -> str | None:
        for name, markers in _VENDORS:
            for marker in markers:
                if marker in self.lower:
                    return name
        return None

    @cached_property
    def paywall_markup(self) -> str | None:
        """What on the page is a paywall's overlay or meter, or its "subscribe to continue
        reading" line; None for a page without any."""
        lower = self.lower
        # Found by substring search, then looked at closely where found (the first 50 places
        # of each): a pattern run over a whole 256 KB page costs milliseconds.
        for word in (b"paywall", b"meter"):
            for at in _places(lower, word):
                if lower.startswith(b"data-", at - 5):
                    return f"data-{word.decode()} markup"
                if lower.startswith((b"meteredcontent", b"metered-content"), at):
                    return "metered-content markup"
                start = lower.rfind(b"class=", max(0, at - 300), at)
                value = _value(lower, start + 6).decode("latin-1") if start >= 0 else ""
                if _PAYWALL_CLASS.search(value):
                    return f'class="{" ".join(value.split())[:60]}"'
        for key in _TEXT_KEYS:
            for at in _places(lower, key):
                found = _PAYWALL_TEXT.search(lower, max(0, at - 200), at + 200)
                if found:
                    words = _BYTES_TAG.sub(b" ", found.group(0)).replace(b"&nbsp;", b" ")
                    said = " ".join(words.decode("utf-8", "replace").split())
                    return f"“{said}”"
        return None

    def refresh_target(self, base: str) -> str | None:
        """Where a <meta http-equiv="refresh"> with a short delay (≤ 5 s) sends the reader,
        as an absolute URL, or None."""
        if b"refresh" not in self.lower:
            return None
        for start in _places(self.lower[:_HEAD_PREFIX], b"<meta", 200):
            tag = self.lower[start : start + 1024].split(b">", 1)[0]
            if _attribute(tag, b"http-equiv") != b"refresh":
                continue
            content = _attribute(tag, b"content")
            found = _REFRESH_CONTENT.match(content.decode("latin-1")) if content else None
            if not found or int(found.group(1)) > 5:
                return None
            # The target as written (the tag was lower-cased to be searched, not to be used).
            where = tag.find(found.group(2).encode("latin-1"))
            raw = self.body[start + where : start + where + len(found.group(2))]
            return urljoin(base, html.unescape(_decode(raw, self.encoding)))
        return None

    def challenge(self, headers: Mapping[str, str]) -> str | None:
        return challenge(headers, self.body, self.lower)

    @cached_property
    def words(self) -> frozenset[str]:
        """The visible words, for comparing a page with a probe of a random path."""
        text = _decode(self.body[:PREFIX], self.encoding)
        for tag in ("script", "style", "noscript", "template"):
            text = _without(text, tag)
        text = _TAG.sub(" ", text)
        return frozenset(w.lower() for w in _WORD.findall(html.unescape(text)))


def _without(text: str, tag: str) -> str:
    """`text` without its <tag>…</tag> elements (an unclosed one runs to the end)."""
    lower = text.lower()
    opening, closing = "<" + tag, "</" + tag
    start = lower.find(opening)
    if start < 0:
        return text
    kept, at = [], 0
    while start >= 0:
        kept.append(text[at:start])
        end = lower.find(closing, start)
        if end < 0:
            return " ".join(kept)
        at = end + len(closing)
        start = lower.find(opening, at)
    kept.append(text[at:])
    return " ".join(kept)
