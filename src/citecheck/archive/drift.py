"""Does the live page still say what the snapshot nearest its access date says? Pure functions.

Markup is useless for this (a redesign rewrites every tag and leaves the article alone), so
both pages are reduced to their main text — scripts, styles, navigation, headers, footers,
sidebars, cookie banners and the Wayback toolbar removed, dates and times erased — and cut
into overlapping three-word shingles. The measure is asymmetric on purpose: the share of the
*snapshot's* shingles still on the live page (what the author read must still be there; text
the live page added is not drift). The snapshot is narrowed to its `<main>`/`<article>`, the
live page is searched whole, so a redesign that moves the article out of `<main>` is no drift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SHINGLE = 3
"""Words per shingle: 3 keeps one edited word from hiding a rewrite while a single changed
word costs only three shingles."""
MIN_WORDS = 25
"""Below this many words of snapshot main text (a JavaScript shell, an image page) there is
nothing to compare, and no verdict is given."""

_DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "iframe", "form", "nav", "header",
    "footer", "aside", "button", "select", "object", "embed", "canvas", "menu",
)
_DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu",
               "menubar", "dialog", "alert"}
# Boilerplate containers by id/class; the Wayback replay toolbar (wm-ipp*, donato) too.
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|footer|header|masthead|sidebar|"
    r"cookies?|consent|banner|share|sharing|social|related|newsletter|subscribe|skip|"
    r"wm-ipp(?:-\w+)?|donato|playback|wb-autocomplete)(?:$|[\s_-])",
    re.I,
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATES = re.compile(
    "|".join((
        rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?\b",
        rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?\b",
        rf"\b{_MONTH}\s+\d{{4}}\b",
        r"\b\d{4}-\d{1,2}-\d{1,2}(?:t[\d:.]+(?:z|[+-]\d{2}:?\d{2})?)?\b",
        r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b",
        r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s+(?:utc|gmt|[ecmp][sd]?t|cet|cest|bst))?",
        r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
        r"\b\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b",
        r"\b(?:1[89]|20)\d{2}\b",
    )),
    re.I,
)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Comparison:
    retained: float  # share of the snapshot's shingles found on the live page, 0..1
    words: int  # words of main text in the snapshot (after dates were erased)

    def drifted(self, threshold: float) -> bool | None:
        """True when at least `threshold` of the snapshot's text is gone from the live page;
        None when the snapshot has too little text to judge."""
        if self.words < MIN_WORDS:
            return None
        return 1.0 - self.retained >= threshold


def _tree(html: bytes | str) -> Any:
    import lxml.html
    from lxml import etree

    if not html or not html.strip():
        return None
    if isinstance(html, str):
        html = html.encode("utf-8")  # lxml refuses str that carries an encoding declaration
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    return root


def _strip_boilerplate(root: Any) -> None:
    from lxml import etree

    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag in _DROP_TAGS:
            doomed.append(el)
            continue
        if (el.get("role") or "").lower() in _DROP_ROLES or el.get("aria-hidden") == "true":
            doomed.append(el)
            continue
        marks = f"{el.get('id') or ''} {el.get('class') or ''}"
        if marks.strip() and tag not in ("html", "body", "main", "article") and (
            _BOILERPLATE.search(marks)
        ):
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        # Keep the text that follows the element: it belongs to the parent.
        tail = el.tail
        previous = el.getprevious()
        parent.remove(el)
        if tail:
            if previous is not None:
                previous.tail = (previous.tail or "") + " " + tail
            else:
                parent.text = (parent.text or "") + " " + tail


def _text(el: Any) -> str:
    return " ".join(" ".join(el.itertext()).split())


def main_text(html: bytes | str, *, narrow: bool = True) -> str:
    """The readable text of a page without its boilerplate. With `narrow`, only the page's
    `<main>` (or `[role=main]`, or its single `<article>`) when it has one."""
    root = _tree(html)
    if root is None:
        return ""
    _strip_boilerplate(root)
    if narrow:
        for path in ("//main", "//*[@role='main']", "//article"):
            found = root.xpath(path)
            if len(found) == 1 or (found and path != "//article"):
                text = " ".join(_text(f) for f in found)
                if len(text.split()) >= MIN_WORDS:
                    return text
    body = root.find("body")
    return _text(body if body is not None else root)


def normalise(text: str) -> list[str]:
    """Lower-case words with dates, times and years erased."""
    return _WORD.findall(_DATES.sub(" ", text.lower()))


def shingles(words: list[str], size: int = SHINGLE) -> set[tuple[str, ...]]:
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


def compare_text(snapshot_text: str, live_text: str) -> Comparison:
    """How much of the snapshot's text the live text still holds."""
    old = normalise(snapshot_text)
    new = normalise(live_text)
    old_sh = shingles(old)
    if not old_sh:
        return Comparison(1.0, 0)
    kept = len(old_sh & shingles(new))
    return Comparison(kept / len(old_sh), len(old))


def compare(snapshot_html: bytes | str, live_html: bytes | str) -> Comparison:
    """Compare two HTML pages by main text: the snapshot narrowed to its main content, the
    live page whole (minus boilerplate)."""
    return compare_text(main_text(snapshot_html), main_text(live_html, narrow=False))
