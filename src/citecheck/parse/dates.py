"""Dates in citations: access dates ("accessed April 5, 2024", "last visited Jan. 5, 2023",
"retrieved on 5 April 2024", "viewed 2024-04-05") and a source's own date.

A date that has the shape of a date but names no real day (February 30) is kept as a
problem to report (D301), never raised: a typo in a brief must not stop the check.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from citecheck.lazyre import lazy

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

_WORD = r"[A-Za-z]{3,10}\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"\d{4}"
# The shapes a written date takes; a word in the month slot that is not a month makes the
# date unreadable (D301) rather than invisible, once a trigger word says a date follows.
_DATE = (
    rf"(?P<mdy>(?P<m1>{_WORD})\s+(?P<d1>{_DAY}),?\s+(?P<y1>{_YEAR}))"
    rf"|(?P<dmy>(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_WORD}),?\s+(?P<y2>{_YEAR}))"
    rf"|(?P<iso>(?P<y3>{_YEAR})-(?P<m3>\d{{1,2}})-(?P<d3>\d{{1,2}}))"
    rf"|(?P<num>(?P<a4>\d{{1,2}})/(?P<b4>\d{{1,2}})/(?P<y4>\d{{4}}|\d{{2}}))"
    rf"|(?P<my>(?P<m5>{_WORD}),?\s+(?P<y5>{_YEAR}))"
)
_TRIGGER = (
    r"(?:last\s+visited|(?:last\s+)?(?:accessed|retrieved|viewed|consulted|downloaded))"
    r"(?:\s+(?:on|from|at|in))?\s*:?\s*"
)
ACCESS_RE = lazy(rf"\b(?P<trigger>{_TRIGGER})", re.IGNORECASE)
DATE_RE = lazy(rf"\b(?:{_DATE})\b")
_TRIGGER_STEMS = ("access", "visited", "retriev", "viewed", "consulted", "download")
_YEAR_RE = lazy(r"[12]\d{3}(?!\d)")
"""Years 1000–2999. A leading character class lets the engine skip ahead quickly (a
look-behind first would be tried at every position, 5x slower on a long note)."""
_ENDS_BEFORE_YEAR = lazy(
    rf"(?<![A-Za-z0-9])(?:{_WORD}\s+{_DAY},?|{_DAY}\s+(?:of\s+)?{_WORD},?|{_WORD},?)\s+$"
)
# What an unreadable date looks like: two words and a year ("Febuary 5, 2024", "5 Avril 2024").
_UNREADABLE = lazy(r"[^\s);\]]+\s+[^\s);\]]+,?\s+\d{4}(?!\d)")


class ParsedDate:
    """A date found in text, with where it stands. A plain slotted class, not a frozen
    dataclass: parsing a large brief makes tens of thousands, and frozen ones are 3x slower
    to build."""

    __slots__ = ("date", "end", "precision", "problem", "start", "text")

    def __init__(
        self,
        start: int,
        end: int,
        text: str,
        date: dt.date | None,
        precision: str,
        problem: str | None,
    ) -> None:
        self.start, self.end, self.text = start, end, text
        self.date, self.precision, self.problem = date, precision, problem

    def __repr__(self) -> str:
        return f"ParsedDate({self.text!r}, {self.date}, {self.precision}, {self.problem!r})"


def find_access_dates(text: str) -> list[ParsedDate]:
    """Every access-date clause in `text`. A trigger word ("accessed") followed by something
    date-like that does not parse is reported with a problem; a trigger followed by
    ordinary words ("accessed through the portal") is not an access date at all."""
    found: list[ParsedDate] = []
    lowered = text.lower()
    stems = [stem for stem in _TRIGGER_STEMS if stem in lowered]
    if not stems:
        return found
    starts = sorted(i for stem in stems for i in _find_all(lowered, stem))
    seen = -1
    for i in starts:  # the regular expression runs only where a trigger word stands
        m = ACCESS_RE.search(text, max(0, i - 5), i + 40)
        if m is None or m.start() <= seen:
            continue
        seen = m.start()
        d = DATE_RE.match(text, m.end())
        if d:
            date, precision, problem = _interpret(d)
            found.append(ParsedDate(d.start(), d.end(), d.group(), date, precision, problem))
            continue
        bad = _UNREADABLE.match(text, m.end())
        if bad:
            what = bad.group()
            found.append(
                ParsedDate(
                    m.end(),
                    bad.end(),
                    what,
                    None,
                    "day",
                    f"'{what}' is not a date citecheck can read",
                )
            )
    return found


def _find_all(text: str, word: str) -> list[int]:
    found = []
    i = text.find(word)
    while i >= 0:
        found.append(i)
        i = text.find(word, i + 1)
    return found


def find_dates(text: str, *, years: bool = False) -> list[ParsedDate]:
    """Every readable written date in `text` (for a source's own date). With `years`, also
    a year standing alone as a citation element: "(2d Cir. 1999)", ", 2019." — not one
    inside running words ("Vision 2050 plan").

    Every date shape but ISO ends in its year and ISO starts with it, so the search is
    anchored on four-digit years and looks a few characters back (or forward) from each:
    much cheaper than trying the full pattern at every position of every note."""
    out = []
    last_end = 0
    for y in _YEAR_RE.finditer(text):
        start = y.start()
        if start < last_end or (start and text[start - 1].isdigit()):
            continue
        m = DATE_RE.match(text, start) if text.startswith("-", y.end()) else None
        if m is None and start and text[start - 1] in " \t\n\xa0":
            # every other shape puts white space before its year ("March 24, 2024")
            window = max(last_end, start - 20)
            b = _ENDS_BEFORE_YEAR.search(text, window, start)
            m = DATE_RE.match(text, b.start()) if b else None
            if m is not None and m.end() <= start:
                m = None
        if m is not None:
            date, precision, problem = _interpret(m)
            if date is not None and problem is None:
                out.append(ParsedDate(m.start(), m.end(), m.group(), date, precision, None))
                last_end = m.end()
                continue
        if years and _alone(text, start, y.end()):
            year = int(y.group())
            if 1600 <= year <= 2199:
                out.append(ParsedDate(start, y.end(), y.group(), dt.date(year, 1, 1), "year", None))
    return out


def _alone(text: str, start: int, end: int) -> bool:
    """Is the year at text[start:end] a citation element of its own?"""
    after = text[end : end + 2]
    if not (
        after[:1] == ")"
        or after[:1] in ("", "\n")
        or (after[:1] in ",.;" and after[1:2] in ("", " ", "\n", "\t"))
    ):
        return False
    before = text[max(0, start - 40) : start]
    if before.endswith(("(", ", ", ",\n")) or start == 0:
        return True
    opening = before.rfind("(")
    return opening >= 0 and ")" not in before[opening:] and after[:1] == ")"


def _interpret(m: re.Match[str]) -> tuple[dt.date | None, str, str | None]:
    shape = m.lastgroup  # the outer group closes last: mdy, dmy, iso, num or my
    if shape == "mdy":
        return _make(*m.group("y1", "m1", "d1", "mdy"))
    if shape == "dmy":
        return _make(*m.group("y2", "m2", "d2", "dmy"))
    if shape == "iso":
        return _make(*m.group("y3", "m3", "d3", "iso"))
    if shape == "num":
        a, b, year = int(m.group("a4")), int(m.group("b4")), m.group("y4")
        if len(year) == 2:
            year = str(2000 + int(year)) if int(year) < 70 else str(1900 + int(year))
        # US order (month/day) as Chicago writes it; a first part above 12 can only be a day.
        month, day = (b, a) if a > 12 else (a, b)
        return _make(year, str(month), str(day), m.group("num"))
    if shape == "my":
        month = _month(m.group("m5"))
        if month is None:
            return None, "month", f"'{m.group('my')}' is not a date citecheck can read"
        return dt.date(int(m.group("y5")), month, 1), "month", None
    return None, "day", "no date"


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@functools.lru_cache(maxsize=4096)  # a brief repeats its access dates many times
def _make(year: str, month: str, day: str, text: str) -> tuple[dt.date | None, str, str | None]:
    m = int(month) if month.isdigit() else _month(month)
    if m is None:
        return None, "day", f"'{text}' is not a date citecheck can read"
    y = int(year)
    d = int(day.rstrip("stndrh"))
    if not 1 <= m <= 12:
        return None, "day", f"'{text}' has no month {m}"
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    last = 29 if m == 2 and leap else _DAYS[m - 1]
    if not 1 <= d <= last or y < 1:
        return (
            None,
            "day",
            (f"'{text}' is not a real date: {_MONTH_NAMES[m - 1]} {y} has {last} days"),
        )
    return dt.date(y, m, d), "day", None


def _month(word: str) -> int | None:
    return MONTHS.get(word.rstrip(".").lower())


def at_precision(date: dt.date, precision: str) -> tuple[int, ...]:
    """Comparable key at a precision: a year-only source date compares by year alone."""
    if precision == "year":
        return (date.year,)
    if precision == "month":
        return (date.year, date.month)
    return (date.year, date.month, date.day)
