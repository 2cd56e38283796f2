"""URLs as briefs print them: bare, in <angle brackets>, in Markdown or HTML links, wrapped
across lines by a layout program, and followed by punctuation that is not theirs.

Wrapping is the hard case. Inside <…> every piece up to the closing bracket belongs to
the URL. A bare URL continues on the next line only when the break is plainly inside it:
the line ends in a separator (`/`, `-`, `=`, …) and the next line begins with URL text, or
the next line's first token has URL punctuation in it (`pdf/strategy_en.pdf`). Ordinary
words after a URL (`accessed April 5`) are never swallowed.
"""

from __future__ import annotations

import bisect
import re

from citecheck.lazyre import lazy

# RFC 3986 unreserved + reserved characters, plus '%' and a few that appear in the wild.
_INVISIBLE = "\u200b\u200c\u200d\u2060\u00ad"
"""Zero-width spaces and joiners, word joiner, soft hyphen: break hints a publisher puts
inside long URLs ("tumblr.com/\u200cpost/…"); a reader copying the link gets none of them."""
_URL_CHARS = r"A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%" + _INVISIBLE
_DROP_INVISIBLE = str.maketrans("", "", _INVISIBLE)
_START = lazy(r"(?:https?://|www\.|perma\.cc/)[" + _URL_CHARS + r"]*", re.IGNORECASE)
_ANGLE = lazy(r"<\s*((?:https?://|www\.)[^<>]{1,2000}?)\s*>", re.IGNORECASE)
_DOI = lazy(r"(?<![\w/:.%-])doi:\s?(10\.\d{4,9}/[^\s<>\"]+)", re.IGNORECASE)
"""`doi:10.1234/abc`: a DOI cited without a resolver's address (checked as a DOI online)."""
_MD_LINK = lazy(r"\]\(\s*((?:https?://|www\.)[^\s()]+(?:\([^\s()]*\)[^\s()]*)*)\s*\)")
_TOKEN = lazy(r"[" + _URL_CHARS + r"]+")
_INSIDE_SEP = "-_?=&%#~+"
"""A line ending in one of these breaks a URL mid-word. A final '/' or '.' does not say so
by itself: the next token must look like URL text too."""
_TRAILING = ".,;:!?'\"*”’»›"
_HAS_URL_PUNCT = lazy(r"[/=&?%_#]|\.[A-Za-z0-9]{2}")
"""URL text has a path separator, a query, or a '.ext' of two or more characters; "U.S."
and "e.g.," do not."""
_SLUG = lazy(r"[a-z0-9]+(?:[-_][a-z0-9]+)+|[a-z]*[0-9][a-z0-9]*")
"""After a line ending in '/', a path segment such as 'county-broadband-tracker' or '2023'
goes on with the URL; a plain word may be the sentence going on."""
_PROSE_AFTER = lazy(r"[ \t]+[A-Z0-9(]")
_PROSE_WORDS = frozenset(
    [
        "accessed",
        "retrieved",
        "viewed",
        "visited",
        "last",
        "available",
        "consulted",
        "downloaded",
        "see",
        "and",
        "at",
        "on",
        "in",
        "from",
        "via",
        "archived",
    ]
)


class FoundUrl:
    """A URL found in text: the cleaned URL and the span of text it came from."""

    __slots__ = ("end", "start", "url")

    def __init__(self, url: str, start: int, end: int) -> None:
        self.url, self.start, self.end = url, start, end

    def __repr__(self) -> str:
        return f"FoundUrl({self.url!r}, {self.start}, {self.end})"


def find_urls(text: str) -> list[FoundUrl]:
    """URLs in `text` in order of appearance, cleaned, with their offsets in `text`."""
    found: list[FoundUrl] = []
    lowered = text.lower()
    if "doi:" in lowered:
        for m in _DOI.finditer(text):
            doi = _clean(m.group(1), bracketed=False)
            found.append(FoundUrl("doi:" + doi, m.start(), m.start(1) + len(doi)))
    if "http" not in lowered and "www." not in lowered and "perma.cc/" not in lowered:
        return found
    angled = _Spans()
    for m in _ANGLE.finditer(text) if "<" in text else ():
        url = "".join(m.group(1).split())
        found.append(FoundUrl(_with_scheme(_clean(url, bracketed=True)), m.start(1), m.end(1)))
        angled.add(m.start(), m.end())
    taken = _Spans(angled)
    for m in _MD_LINK.finditer(text) if "](" in text else ():
        if not angled.holds(m.start(1)):
            url = _with_scheme(_clean(m.group(1), bracketed=True))
            found.append(FoundUrl(url, m.start(1), m.end(1)))
            taken.add(m.start(1), m.end(1))
    starts = _Starts(text, lowered)
    pos = 0
    while True:
        m = starts.next(pos)
        if m is None:
            break
        if taken.holds(m.start()):
            pos = m.end()
            continue
        start = m.start()
        end = _extend_over_wraps(text, m.end())
        link = text.find("](", start, end)
        if link >= 0:
            end = link  # "[https://x](…)": a Markdown link's text ends at its bracket
        raw = "".join(text[start:end].split())
        url = _clean(raw.translate(_DROP_INVISIBLE), bracketed=False)
        if len(url) > len("https://"):
            found.append(FoundUrl(_with_scheme(url), start, start + _raw_len(text, start, url)))
        pos = max(end, m.end())
    found.sort(key=lambda f: f.start)
    return found


class _Starts:
    """Where bare URLs may start, found with str.find (fast) before the pattern confirms
    each (a case-insensitive pattern would be tried at every position). Each needle's next
    place is remembered, so a text with 200,000 URL starts is scanned once, not 200,000
    times."""

    def __init__(self, text: str, lowered: str) -> None:
        self.text, self.lowered = text, lowered
        self.at = {needle: lowered.find(needle) for needle in ("http", "www.", "perma.cc/")}

    def next(self, pos: int) -> re.Match[str] | None:
        while True:
            for needle, at in self.at.items():
                if 0 <= at < pos:
                    self.at[needle] = self.lowered.find(needle, pos)
            hits = [at for at in self.at.values() if at >= 0]
            if not hits:
                return None
            at = min(hits)
            m = _START.match(self.text, at)
            if m is not None:
                return m
            pos = at + 1


class _Spans:
    """Non-overlapping spans added in order of start, with a bisecting membership test."""

    def __init__(self, other: _Spans | None = None) -> None:
        self.starts: list[int] = list(other.starts) if other else []
        self.ends: list[int] = list(other.ends) if other else []

    def add(self, start: int, end: int) -> None:
        k = bisect.bisect_right(self.starts, start)
        self.starts.insert(k, start)
        self.ends.insert(k, end)

    def holds(self, pos: int) -> bool:
        k = bisect.bisect_right(self.starts, pos) - 1
        return k >= 0 and pos < self.ends[k]


def _extend_over_wraps(text: str, end: int) -> int:
    """Follow a bare URL across line breaks while the break is plainly inside it."""
    while end < len(text) and text[end] == "\n":
        nxt = end + 1
        while nxt < len(text) and text[nxt] in " \t\r":
            nxt += 1
        tok = _TOKEN.match(text, nxt)
        if tok is None:
            break
        token = tok.group()
        bare = token.rstrip(_TRAILING + ")").lower()
        if bare in _PROSE_WORDS or (bare.isalpha() and _PROSE_AFTER.match(text, tok.end())):
            break  # "…/cable-\naccessed April 5": the sentence goes on, not the URL
        tail = text[end - 1] if end > 0 else ""
        if text.endswith("://", 0, end) and token[0].isalnum():
            end = tok.end()  # "https://" at a line end, the host on the next line
            continue
        mid_word_break = tail in _INSIDE_SEP and token[0].isalnum()
        url_like = _HAS_URL_PUNCT.search(token.rstrip(_TRAILING + ")")) is not None
        slug = tail == "/" and _SLUG.fullmatch(bare) is not None
        if not (mid_word_break or url_like or slug) or token.lower().startswith(("http", "www.")):
            break
        if token[0] in "(<[":
            break
        end = tok.end()
    return end


def _raw_len(text: str, start: int, url: str) -> int:
    """How many characters of `text` from `start` the cleaned URL covers (whitespace from
    joined line breaks included)."""
    if text.startswith(url, start):
        return len(url)
    i, n = start, 0
    while i < len(text) and n < len(url):
        if not text[i].isspace() and text[i] not in _INVISIBLE:
            n += 1
        i += 1
    return i - start


def _with_scheme(url: str) -> str:
    """A bare `www.` address is cited for the web: give it the scheme a browser would.
    Perma.cc links, which law reviews print without a scheme, are served over https."""
    if url[:4].lower() == "www.":
        return "http://" + url
    if url[:9].lower() == "perma.cc/":
        return "https://" + url
    return url


def _clean(url: str, *, bracketed: bool) -> str:
    """Strip punctuation that closes the sentence rather than the URL: a final '.', ',',
    quote or '*', and a ')' or ']' that has no opening partner inside the URL."""
    while url:
        last = url[-1]
        if (
            (last in _TRAILING and not bracketed)
            or (last == ")" and url.count("(") < url.count(")"))
            or (last == "]" and url.count("[") < url.count("]"))
            or (last in "*_" and not bracketed)
        ):
            url = url[:-1]
        else:
            break
    return url
