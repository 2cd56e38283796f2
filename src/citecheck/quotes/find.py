"""Quotations in the body, each attributed to the note whose marker closes its sentence.

A brief's strongest claims are its quotations: `Japan calls China an “unprecedented...
strategic challenge.”¹`. A quotation is text in curly or straight double quotes, or in
single quotes used as quotation marks (an opening ‘ after a space, a closing ’ before one —
never the apostrophe of `Japan’s` or `’90s`). It is attributed to the first marker after
it in the same sentence (`“…”¹`, `“…,” the report says.²`), else to the last marker before
it in that sentence (`As the report puts it,³ “…”`). Quotations of one to three words
(scare quotes, titles) are not evidence enough and are left out.

Everything here is pure and linear in the length of the body.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from citecheck.model import Marker, NoteNumber, Span

MIN_WORDS = 4
"""Quotations of one to three words are scare quotes or titles, not checkable claims."""
MAX_CHARS = 2000
"""A quotation longer than this is an unbalanced quote mark, not a quotation."""
_REACH = 400
"""How far (characters) after a quotation its marker may stand and still close its sentence."""

_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"[.!?][”\"’')\]]*\s+(?=[“\"‘(\[]?[A-Z])|\n[ \t]*\n")
_ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "st", "u.s", "u.k", "e.g", "i.e", "no", "vol", "pp", "p", "art",
    "sec", "gen", "col", "lt", "sen", "rep", "gov", "jr", "sr", "inc", "co", "corp", "ltd", "v",
    "vs", "al", "fig", "ch", "ed", "eds", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
))
_QUOTE_MARK = re.compile("[“\"‘']")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_MARKER_NOISE = str.maketrans("", "", _SUPERSCRIPTS)


@dataclass(frozen=True, slots=True)
class Quotation:
    """Words the body quotes, with the note they are attributed to and where they stand."""

    text: str
    """The quoted words as the body has them, line breaks kept: a word hyphenated at the end
    of a line is matched as one word (see quotes.match)."""
    note: NoteNumber
    span: Span
    """Where the quotation's first word stands."""

    @property
    def shown(self) -> str:
        """The quotation on one line, for messages."""
        return " ".join(self.text.split())


def find_quotations(
    lines: Sequence[str], markers: Sequence[Marker], body_end: int | None = None
) -> list[Quotation]:
    """Quotations in `lines[:body_end]` (the body; notes excluded) with their notes.
    `markers` are the document's body markers, whose spans index `lines`."""
    end = len(lines) if body_end is None else min(body_end, len(lines))
    text = "\n".join(lines[:end])
    starts = [0]
    for line in lines[: end - 1] if end else ():
        starts.append(starts[-1] + len(line) + 1)
    placed = sorted(
        (starts[m.span.line - 1] + m.span.column - 1, m.number)
        for m in markers
        if 1 <= m.span.line <= end
    )
    offsets = [p[0] for p in placed]
    found = []
    for open_at, close_at in _quoted_spans(text):
        inner_end, note = _marker_inside(text, open_at, close_at, placed, offsets)
        inner = text[open_at + 1 : inner_end].translate(_MARKER_NOISE)
        if len(_WORD.findall(inner)) < MIN_WORDS:
            continue
        if note is None:
            note = _attribute(text, open_at, close_at, placed, offsets)
        if note is None:
            continue
        first = open_at + 1 + (len(inner) - len(inner.lstrip()))
        line = bisect.bisect_right(starts, first) - 1
        found.append(
            Quotation(inner.strip(), note, Span(line + 1, first - starts[line] + 1))
        )
    return found


def _marker_inside(
    text: str,
    open_at: int,
    close_at: int,
    placed: list[tuple[int, NoteNumber]],
    offsets: list[int],
) -> tuple[int, NoteNumber | None]:
    """`“… in the early 2000s.¹⁴”`: a marker set inside the closing quote mark, with only
    punctuation after it, is the quotation's own; the quoted words end before it (an HTML or
    Markdown marker's digits are not the source's words)."""
    k = bisect.bisect_left(offsets, close_at) - 1
    if k < 0 or placed[k][0] <= open_at:
        return close_at, None
    at, number = placed[k]
    tail = text[at:close_at]
    if re.fullmatch(r"\s*\[?\^?\w{1,9}\]?[\s.,;:!?)\]]*", tail) or not _WORD.search(
            tail.translate(_MARKER_NOISE)):
        return at, number
    return close_at, None


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """(opening, closing) offsets of each top-level quotation, in order. Only the quote marks
    are visited (found by a pattern), not every character of the body."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        m = _QUOTE_MARK.search(text, i)
        if m is None:
            break
        i = m.start()
        ch = text[i]
        close = -1
        if ch == "“":
            close = _find_close(text, i + 1, "”")
        elif ch == '"' and _opens(text, i):
            close = _find_close(text, i + 1, '"')
        elif ch in "‘'" and _opens(text, i) and i + 1 < n and text[i + 1].isalpha():
            close = _find_single_close(text, i + 1)
        if close > 0:
            spans.append((i, close))
            i = close + 1
        else:
            i += 1
    return spans


def _opens(text: str, i: int) -> bool:
    """A straight quote opens when it follows a space, a bracket or a dash (or starts)."""
    return i == 0 or text[i - 1] in " \t\n([{—–-/"


def _find_close(text: str, start: int, mark: str) -> int:
    """The closing mark within MAX_CHARS, not past a paragraph break."""
    limit = min(len(text), start + MAX_CHARS)
    at = text.find(mark, start, limit)
    if at < 0:
        return -1
    para = text.find("\n\n", start, at)
    return -1 if para >= 0 else at


def _find_single_close(text: str, start: int) -> int:
    """A closing ’ or ' that is not an apostrophe: not followed by a letter or digit."""
    limit = min(len(text), start + MAX_CHARS)
    i = start
    while i < limit:
        ch = text[i]
        if ch == "\n" and text.startswith("\n\n", i):
            return -1
        if ch in "’'" and (i + 1 >= len(text) or not text[i + 1].isalnum()
                           or text[i + 1] in _SUPERSCRIPTS):
            if text[i - 1].isalpha() and text[i - 1] == "s" and _plural_possessive(text, i):
                i += 1
                continue
            return i
        if ch == "“" or ch == '"':
            # A quotation nested in a single-quoted one (British style): skip past it.
            inner = _find_close(text, i + 1, "”" if ch == "“" else '"')
            if inner < 0:
                return -1
            i = inner
        i += 1
    return -1


def _plural_possessive(text: str, i: int) -> bool:
    """`the states’ powers`: an apostrophe after a plural s, followed by a word."""
    rest = text[i + 1 : i + 3]
    return rest[:1] == " " and rest[1:2].isalpha() and rest[1:2].islower()


def _attribute(
    text: str,
    open_at: int,
    close_at: int,
    placed: list[tuple[int, NoteNumber]],
    offsets: list[int],
) -> NoteNumber | None:
    k = bisect.bisect_left(offsets, close_at)
    if k < len(placed):
        at, number = placed[k]
        # Start at the quotation's own last character: `“… challenge.” Tokyo …` ends there.
        if at - close_at <= _REACH and not _sentence_ends(text, close_at - 1, at):
            return number
    # A marker before the quotation in the same sentence: "As the strategy says,³ “…”".
    k = bisect.bisect_left(offsets, open_at) - 1
    if k >= 0:
        at, number = placed[k]
        closes_sentence = text[max(0, at - 2) : at].rstrip("”\"’')]")[-1:] in (".", "!", "?")
        if (
            open_at - at <= _REACH
            and not closes_sentence
            and not _sentence_ends(text, at + 1, open_at)
        ):
            return number
    return None


def _sentence_ends(text: str, start: int, end: int) -> bool:
    """Whether a sentence (or paragraph) ends between start and end, abbreviations aside."""
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.group().startswith("\n"):
            return True
        before = text[max(start, m.start() - 6) : m.start()].split()
        word = before[-1].lower().strip('(“"') if before else ""
        if word.rstrip(".") in _ABBREVIATIONS or len(word) == 1:
            continue
        return True
    return False
