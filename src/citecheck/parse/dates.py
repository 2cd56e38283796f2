"""Dates in citations: access dates ("accessed April 5, 2024", "last visited Jan. 5, 2023",
"retrieved on 5 April 2024", "viewed 2024-04-05") and a source's own date.

A date that has the shape of a date but names no real day (February 30) is kept as a
problem to report (D301), never raised: a typo in a brief must not stop the check.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from citecheck.lazyre import lazy

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
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
    r"(?:\s+(?:on|from|at))?\s*:?\s*"
)
ACCESS_RE = lazy(rf"\b(?P<trigger>{_TRIGGER})", re.IGNORECASE)
DATE_RE = lazy(rf"\b(?:{_DATE})\b")
# What an unreadable date looks like: two words and a year ("Febuary 5, 2024", "5 Avril 2024").
_UNREADABLE = lazy(r"[^\s);\]]+\s+[^\s);\]]+,?\s+\d{4}(?!\d)")


@dataclass(frozen=True, slots=True)
class ParsedDate:
    start: int
    end: int
    text: str
    date: dt.date | None
    precision: str
    problem: str | None


def find_access_dates(text: str) -> list[ParsedDate]:
    """Every access-date clause in `text`. A trigger word ("accessed") followed by something
    date-like that does not parse is reported with a problem; a trigger followed by
    ordinary words ("accessed through the portal") is not an access date at all."""
    found = []
    for m in ACCESS_RE.finditer(text):
        d = DATE_RE.match(text, m.end())
        if d:
            date, precision, problem = _interpret(d)
            found.append(ParsedDate(d.start(), d.end(), d.group(), date, precision, problem))
            continue
        bad = _UNREADABLE.match(text, m.end())
        if bad:
            what = bad.group()
            found.append(ParsedDate(m.end(), bad.end(), what, None, "day",
                                    f"'{what}' is not a date citecheck can read"))
    return found


def find_dates(text: str) -> list[ParsedDate]:
    """Every readable written date in `text` (for a source's own date)."""
    out = []
    for m in DATE_RE.finditer(text):
        date, precision, problem = _interpret(m)
        if date is not None and problem is None:
            out.append(ParsedDate(m.start(), m.end(), m.group(), date, precision, None))
    return out


def _interpret(m: re.Match[str]) -> tuple[dt.date | None, str, str | None]:
    g = m.groupdict()
    if g.get("mdy"):
        return _make(g["y1"], g["m1"], g["d1"], g["mdy"])
    if g.get("dmy"):
        return _make(g["y2"], g["m2"], g["d2"], g["dmy"])
    if g.get("iso"):
        return _make(g["y3"], g["m3"], g["d3"], g["iso"])
    if g.get("num"):
        a, b, year = int(g["a4"]), int(g["b4"]), g["y4"]
        if len(year) == 2:
            year = str(2000 + int(year)) if int(year) < 70 else str(1900 + int(year))
        # US order (month/day) as Chicago writes it; a first part above 12 can only be a day.
        month, day = (b, a) if a > 12 else (a, b)
        return _make(year, str(month), str(day), g["num"])
    if g.get("my"):
        month = _month(g["m5"])
        if month is None:
            return None, "month", f"'{g['my']}' is not a date citecheck can read"
        return dt.date(int(g["y5"]), month, 1), "month", None
    return None, "day", "no date"


def _make(year: str, month: str, day: str, text: str) -> tuple[dt.date | None, str, str | None]:
    m = int(month) if month.isdigit() else _month(month)
    if m is None:
        return None, "day", f"'{text}' is not a date citecheck can read"
    y = int(year)
    d = int(re.sub(r"\D", "", day))
    if not 1 <= m <= 12:
        return None, "day", f"'{text}' has no month {m}"
    last = calendar.monthrange(y, m)[1]
    if not 1 <= d <= last:
        name = calendar.month_name[m]
        return None, "day", f"'{text}' is not a real date: {name} {y} has {last} days"
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
