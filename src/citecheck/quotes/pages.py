"""Pages: which pages a note's locator names, and on which page of a source a passage is.

A PDF's page index (the 14th page of the file) and the number printed on the page (12) often
differ — front matter is numbered in roman numerals, a report starts at its cover. A note
cites the printed number, so a passage counts as on a cited page when either the page's
index or its printed label is among the pages the locator names.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_NUMBERS = re.compile(r"(\d{1,5})(?:\s*[-–—]\s*(\d{1,5})|\s*(ff?)\.?(?![a-z]))?")
_FOLLOWING = 10
"""Pages "ff." may stand for: the passage is near the page named, not anywhere after it."""
_MAX_SPAN = 400
"""A range wider than this is a misread, not pages."""


def locator_pages(locator: str | None) -> frozenset[int]:
    """The page numbers a pin cite names: "p. 9", "pp. 12–14", "at 45–46", "pp. 19 and 20",
    "12, 15", "3 f.", "3ff.". Empty when it names none (a section, a paragraph, nothing)."""
    if not locator or re.search(r"(?:§|¶|\bparas?\b|\bsec(?:tion)?s?\b|\bch(?:ap)?\b)", locator,
                                re.IGNORECASE):
        return frozenset()
    pages: set[int] = set()
    for m in _NUMBERS.finditer(locator):
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else first
        if m.group(3):
            # "12 f." is 12 and the next page; "12 ff." 12 and the following ones.
            last = first + (1 if m.group(3) == "f" else _FOLLOWING)
        if m.group(2) and last < first and len(m.group(2)) < len(m.group(1)):
            # "123-25" is 123 to 125 (Chicago 9.64 elides the repeated digits).
            head = m.group(1)[: len(m.group(1)) - len(m.group(2))]
            last = int(head + m.group(2))
        if first <= last <= first + _MAX_SPAN:
            pages.update(range(first, last + 1))
    return frozenset(pages)


@dataclass(frozen=True, slots=True)
class Paged:
    """A source's text with its pages: where each run of a page's text begins, which page it
    is, and the labels printed on each page."""

    text: str
    starts: tuple[int, ...] = ()
    """Offset in `text` where each run of one page's text begins (empty without pages)."""
    labels: tuple[frozenset[str], ...] = field(default_factory=tuple)
    """Per page (0-based index), the page numbers printed on it or given by page labels."""
    runs: tuple[int, ...] = ()
    """The page index of each run; empty when run k is page k (a page's text in one run).
    A PDF source's text is its body pages then their footnotes, so a page has two runs."""

    def page_at(self, offset: int) -> int | None:
        """The 0-based index of the page holding `offset`, or None without pages."""
        if not self.starts:
            return None
        run = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.runs[run] if self.runs else run

    def names(self, index: int) -> frozenset[str]:
        """What a citation may call page `index`: its position and its printed label."""
        printed = self.labels[index] if index < len(self.labels) else frozenset()
        return printed | {str(index + 1)}

    def shown(self, index: int) -> str:
        """How a finding names page `index`: "page 14", or "page 12 (PDF page 14)"."""
        printed = sorted(self.labels[index]) if index < len(self.labels) else []
        label = next((p for p in printed if p != str(index + 1)), None)
        if label is None:
            return f"page {index + 1}"
        return f"page {label} (PDF page {index + 1})"


def on_cited_page(source: Paged, start: int, end: int, cited: frozenset[int]) -> bool:
    """Whether the passage start..end stands on a page the locator names (a passage that
    runs over a page break counts for both pages)."""
    first, last = source.page_at(start), source.page_at(max(start, end - 1))
    if first is None or last is None or not cited:
        return True
    wanted = {str(p) for p in cited}
    low, high = min(first, last), max(first, last)
    return any(source.names(i) & wanted for i in range(low, high + 1))
