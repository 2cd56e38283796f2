"""Where each element and text node of a parsed HTML page stands in its source file.

Beautiful Soup's lxml tree builder keeps no source positions, and a finding must name the
line and column of the page's source. The source is therefore tokenised once more, cheaply
(start tags and text runs, script/style/comments skipped), and the tree is aligned with it
in document order: the n-th `<sup>` of the tree is the next `<sup` start tag of the source,
and a text node is the next text run whose decoded text equals it. Tags the parser invents
(`<tbody>`, an implied `<p>`) and runs it drops (whitespace between blocks) are skipped
without losing step: a match is looked for only a few tokens ahead.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable

from citecheck.model import Span

_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<[!?][^>]*>?"
    r"|<(?P<end>/)?(?P<name>[A-Za-z][^\s/>]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>?",
    re.S,
)
_RAW_TEXT = {"script", "style", "xmp", "plaintext"}
_ENTITY = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_TAG_LOOKAHEAD = 24
"""How many source start tags a tree tag may skip (tags the parser dropped) to find its
match; past that the tag is one the parser invented and gets no position."""
_TEXT_LOOKAHEAD = 12


class _Run:
    """A run of text between two tags: its raw source span and its decoded text."""

    __slots__ = ("_map", "end", "raw", "start", "text")

    def __init__(self, source: str, start: int, end: int) -> None:
        self.start, self.end = start, end
        self.raw = raw = source[start:end]
        self.text = html.unescape(raw) if "&" in raw else raw
        self._map: tuple[list[int], list[int]] | None = None

    def offset(self, k: int) -> int:
        """Source offset of character k of the decoded text."""
        if self.text is self.raw:
            return self.start + k
        if self._map is None:
            self._map = _entity_map(self.raw)
        decoded, raw = self._map
        i = max(0, bisect.bisect_right(decoded, k) - 1)
        return self.start + raw[i] + max(0, k - decoded[i])


def _entity_map(raw: str) -> tuple[list[int], list[int]]:
    """Segment starts in decoded and raw text: each entity is a segment of its own."""
    decoded, rawpos = [0], [0]
    d = r = 0
    for m in _ENTITY.finditer(raw):
        d += m.start() - r
        r = m.start()
        decoded.append(d)
        rawpos.append(r)
        d += len(html.unescape(m.group()))
        r = m.end()
        decoded.append(d)
        rawpos.append(r)
    return decoded, rawpos


class SourceMap:
    """Positions of a Beautiful Soup tree's nodes in the source text it was parsed from."""

    def __init__(self, source: str, root: object) -> None:
        self.source = source
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", source))]
        self._tags: dict[int, tuple[int, int]] = {}
        self._runs: dict[int, _Run] = {}
        self._align(root)

    # -- places --------------------------------------------------------------------

    def span(self, offset: int) -> Span:
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return Span(line + 1, offset - self._line_starts[line] + 1)

    def tag_span(self, tag: object) -> Span | None:
        """Where the tag's start tag begins (its `<`)."""
        found = self._tags.get(id(tag))
        return self.span(found[0]) if found else None

    def tag_extent(self, tag: object) -> tuple[int, int] | None:
        return self._tags.get(id(tag))

    def text_offset(self, string: object, k: int = 0) -> int | None:
        run = self._runs.get(id(string))
        return run.offset(k) if run is not None else None

    def text_span(self, string: object, k: int = 0) -> Span | None:
        offset = self.text_offset(string, k)
        return self.span(offset) if offset is not None else None

    # -- alignment -----------------------------------------------------------------

    def _tokens(self) -> tuple[list[tuple[str, int, int]], list[_Run]]:
        source = self.source
        tags: list[tuple[str, int, int]] = []
        runs: list[_Run] = []
        pos = 0
        search = _TOKEN.search
        while True:
            m = search(source, pos)
            if m is None:
                break
            if m.start() > pos:
                runs.append(_Run(source, pos, m.start()))
            pos = m.end()
            name = m.group("name")
            if name is None or m.group("end"):
                continue
            name = name.lower()
            tags.append((name, m.start(), m.end()))
            if name in _RAW_TEXT:
                close = re.compile(r"</" + name + r"\s*>", re.I).search(source, pos)
                pos = close.end() if close else len(source)
        if pos < len(source):
            runs.append(_Run(source, pos, len(source)))
        return tags, runs

    def _align(self, root: object) -> None:
        from bs4 import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

        skipped_strings = (Comment, Declaration, Doctype, ProcessingInstruction)
        tags, runs = self._tokens()
        tag_starts = [t[1] for t in tags]
        run_starts = [r.start for r in runs]
        ti = ri = 0
        for node in _descendants(root):
            if isinstance(node, Tag):
                j = ti
                stop = min(len(tags), ti + _TAG_LOOKAHEAD)
                name = node.name
                while j < stop and tags[j][0] != name:
                    j += 1
                if j < stop:
                    _, start, end = tags[j]
                    self._tags[id(node)] = (start, end)
                    ti = j + 1
                    ri = max(ri, bisect.bisect_left(run_starts, end))
            elif isinstance(node, NavigableString) and not isinstance(node, skipped_strings):
                s = str(node)
                if not s.strip():
                    continue  # Beautiful Soup shortens blank strings to "\n" or " "
                j = ri
                stop = min(len(runs), ri + _TEXT_LOOKAHEAD)
                while j < stop and runs[j].text != s:
                    j += 1
                if j == stop:
                    j = _loose(runs, ri, stop, s)
                if j < stop:
                    run = runs[j]
                    self._runs[id(node)] = run
                    ri = j + 1
                    ti = max(ti, bisect.bisect_left(tag_starts, run.end))


def _loose(runs: list[_Run], lo: int, hi: int, s: str) -> int:
    """The first non-blank run from `lo` when it is plainly the same text decoded another
    way (a numeric entity libxml2 reads differently): same length, or same first words."""
    head = s.strip()[:12]
    for j in range(lo, hi):
        text = runs[j].text
        if not text.strip():
            continue
        if len(text) == len(s) or text.strip().startswith(head):
            return j
        return hi
    return hi


def _descendants(root: object) -> Iterable[object]:
    return root.descendants  # type: ignore[attr-defined]
