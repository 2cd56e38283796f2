"""Robustness of the parser (issue 2 item 8): it never raises anything but InputError, on
arbitrary text and on generators aimed at its hard parts, and it stays linear on
adversarial input.

Linearity is checked by shape, not by exact timing: each input is parsed at size n and 2n
(best of two runs), and must finish within a generous wall-clock bound while doubling the
input costs less than ~3x the time. Inputs that are known to be quadratic are first probed
at a small size, so a regression fails in a second instead of hanging the suite."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.errors import InputError
from citecheck.model import Document, NoteKind
from citecheck.parse import parse
from citecheck.readers.text import Source
from citecheck.rules import offline

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUP = str.maketrans("0123456789", SUPERSCRIPTS)

FAST = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def parse_or_refuse(text: str) -> Document | None:
    """Parse; InputError is the one allowed failure (a notes section of symbol soup)."""
    try:
        return parse(Source("fuzz.txt", "text", text))
    except InputError:
        return None


def check_invariants(text: str, doc: Document) -> None:
    lines = text.split("\n")
    numbers = {n.number for n in doc.notes}
    for m in doc.markers:
        assert 1 <= m.span.line <= len(lines)
        assert 1 <= m.span.column <= len(lines[m.span.line - 1])
        start = lines[m.span.line - 1][m.span.column - 1]
        assert start in SUPERSCRIPTS or start in "[^" or start.isdigit(), (m, start)
    for n in doc.notes:
        assert 1 <= n.span.line <= n.end_line <= len(lines)
        if n.resolves_to is not None:
            assert n.resolves_to in numbers
            assert n.kind is not NoteKind.FULL
        for u in n.urls:
            assert u.url.lower().startswith(("http://", "https://")), u
            assert not any(ch.isspace() for ch in u.url), u
        for a in n.accessed:
            assert (a.date is None) == (a.problem is not None), a
    for f in offline.check(doc, as_of=dt.date(2025, 1, 1)):
        assert f.line >= 1 and f.column >= 1


# Arbitrary text.


@FAST
@given(st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    doc = parse_or_refuse(text)
    if doc is not None:
        check_invariants(text, doc)


@FAST
@given(st.binary(max_size=300))
def test_arbitrary_bytes_decoded_leniently(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    doc = parse_or_refuse(text)
    if doc is not None:
        check_invariants(text, doc)


# Structured adversarial generators.

superscript = st.integers(0, 99999).map(lambda n: str(n).translate(SUP))
bracket = st.one_of(
    st.integers(0, 9999).map(lambda n: f"[{n}]"),
    st.lists(st.integers(0, 120), min_size=1, max_size=5).map(
        lambda ns: "[" + ", ".join(map(str, ns)) + "]"
    ),
    st.tuples(st.integers(0, 200), st.integers(0, 200)).map(lambda ab: f"[{ab[0]}–{ab[1]}]"),
    st.integers(0, 30).map(lambda n: "[" * n),
    st.integers(0, 30).map(lambda n: "]" * n),
    st.sampled_from(["^1", "^[2]", "[^a]", "[^a]:", "[^]", "^", "[]", "[,]", "[–]"]),
)
url = st.builds(
    lambda scheme, host, path, tail, wrap: scheme + host + path.replace("/", wrap, 1) + tail,
    st.sampled_from(["https://", "http://", "www.", "HTTP://", "<https://", "](https://"]),
    st.sampled_from(["example.org", "a.b", "", "x.y.z", "例え.jp"]),
    st.text(alphabet="abc/-_.?=&%#()[]~", max_size=30),
    st.sampled_from(["", ".", ").", ">", "”", "*", ",", ">.", ")", "\n"]),
    st.sampled_from(["/", "/\n", "-\n", "/\n    ", "\n14\n"]),
)
date = st.builds(
    lambda trigger, month, day, year, form: trigger
    + form.format(m=month, d=day, y=year, mm=f"{day % 13:02d}"),
    st.sampled_from(
        ["accessed ", "Accessed: ", "last visited ", "retrieved on ", "viewed ", "accessed in "]
    ),
    st.sampled_from(["April", "Febuary", "Feb.", "Sept.", "May", "Xyz", "February"]),
    st.integers(0, 40),
    st.integers(0, 3000),
    st.sampled_from(["{m} {d}, {y}", "{d} {m} {y}", "{y}-{mm}-{d}", "{m} {y}", "{d}/{mm}/{y}"]),
)
word = st.sampled_from(
    [
        "Smith,", "*Ports*", "“Title,”", "Ibid.", "Ibid., p. 9.", "Id.", "Id. at 45.",
        "supra note 3", "Smith, supra note 1, at 4.", "[hereinafter X]", "p. 12", "2019.1",
        "3.2", "km²", "10 to 20", "1,000", "$3.2", "p.3", ";", ",", ".", "(", ")", "“", "”",
        "Section 4.1", "2021", "v.", "Page 3 of 9", "Brief | Center", "©", "\t", "\x0c",
        "\u202e", "\x1b[31m", "𝒜", "٣", "\xa0",
    ]
)
fragment = st.one_of(superscript, bracket, url, date, word, st.text(max_size=8))
line = st.lists(fragment, max_size=12).map(" ".join)
heading = st.sampled_from(
    ["Notes", "Endnotes", "## Notes", "**Notes**", "REFERENCES", "Sources:", "Footnotes", ""]
)
numbering = st.sampled_from(["{n}. ", "{n} ", "[{n}] ", "({n}) ", "{n}) ", "{s} ", "", "[^{n}]: "])


@st.composite
def brief(draw: st.DrawFn) -> str:
    body = draw(st.lists(line, max_size=8))
    notes = []
    n = 0
    for _ in range(draw(st.integers(0, 12))):
        n += draw(st.sampled_from([1, 1, 1, 0, 2, -1, 7]))
        style = draw(numbering)
        prefix = style.format(n=n, s=str(abs(n)).translate(SUP))
        notes.append(prefix + draw(line))
        notes.extend(draw(st.lists(line, max_size=2)))
        if draw(st.booleans()):
            notes.append(draw(st.sampled_from(["", "7", "Page 2 of 9", "Brief | Center"])))
    return "\n".join([*body, "", draw(heading), "", *notes])


@FAST
@given(brief())
def test_random_briefs(text: str) -> None:
    doc = parse_or_refuse(text)
    if doc is not None:
        check_invariants(text, doc)


@FAST
@given(st.lists(st.one_of(superscript, bracket), max_size=40).map("".join), line)
def test_random_superscripts_and_brackets(markers: str, text: str) -> None:
    full = f"{text}{markers}\n\nNotes\n\n1. Smith, Report, 2020.\n2. Ibid."
    doc = parse_or_refuse(full)
    if doc is not None:
        check_invariants(full, doc)


@FAST
@given(st.lists(st.one_of(url, date), max_size=15).map(" ".join))
def test_random_urls_and_dates_in_a_note(text: str) -> None:
    full = f"Body.¹\n\nEndnotes\n\n1. {text}\n"
    doc = parse_or_refuse(full)
    if doc is not None:
        check_invariants(full, doc)


# Linear time on adversarial input.

SLACK = 0.02
"""Seconds of timer noise forgiven when comparing the two sizes."""


def seconds(text: str) -> float:
    """CPU seconds of the best of two parses: CPU time, not wall time, so that other
    processes on a loaded machine (CI runners, parallel jobs) do not make the parse look
    quadratic."""
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        parse_or_refuse(text)
        best = min(best, time.process_time() - start)
    return best


def assert_linear(make: Callable[[int], str], n: int, bound: float, probe: int | None = None):
    if probe is not None:
        small, double = seconds(make(probe)), seconds(make(2 * probe))
        assert double <= 3 * small + SLACK, (
            f"quadratic already at {probe}: {small:.3f}s -> {double:.3f}s"
        )
    one = seconds(make(n))
    two = seconds(make(2 * n))
    assert one < bound, f"{one:.2f}s at size {n}"
    assert two < 2 * bound, f"{two:.2f}s at size {2 * n}"
    assert two <= 3 * one + SLACK, f"doubling the input: {one:.3f}s -> {two:.3f}s"


def sup(n: int) -> str:
    return str(n).translate(SUP)


_rnd = random.Random(2024)
_GARBAGE = [
    "%$#@ 12 ** ## [ ( <", "3. x", "12", "Ibid.", "supra note 4", "accessed", "http://",
    "— ¶ §", "1)", "(2)", "[3]", "Page 4 of 9", "A | B", "¹²³", "<https://", "2019.1 The",
]
_GARBAGE_LINES = [_rnd.choice(_GARBAGE) for _ in range(200_000)]

ADVERSARIAL: dict[str, tuple[Callable[[int], str], int, float]] = {
    # name: (make(size), size, seconds allowed at that size)
    "1MB without a newline": (lambda n: "word. " * (n // 6), 1_000_000, 5.0),
    "1MB of digits and dots without a newline": (
        lambda n: "in 2019.1 The 3.2 percent, " * (n // 27), 1_000_000, 5.0),
    "1MB without a newline as one note": (
        lambda n: "Body.¹\n\nNotes\n\n1. " + "Smith, “Report,” 2020, p. 4. " * (n // 29),
        1_000_000, 5.0),
    "100,000 superscripts on one line": (
        lambda n: " ".join(f"claim{sup(i % 99 + 1)}" for i in range(n)), 100_000, 5.0),
    "100,000 superscripts run together": (lambda n: "¹" * n, 100_000, 5.0),
    "100,000 superscripts with a notes section": (
        lambda n: "Body " + " ".join(f"x.{sup(i % 999 + 1)}" for i in range(n))
        + "\n\nNotes\n\n1. Smith, Report, 2020.\n", 100_000, 5.0),
    "nested brackets": (lambda n: "[" * n, 100_000, 5.0),
    "nested brackets, balanced": (lambda n: "[" * n + "1" + "]" * n, 100_000, 5.0),
    "nested brackets in a note": (
        lambda n: "Body.¹\n\nNotes\n\n1. " + "[(" * n + "; x" + ")]" * n, 100_000, 5.0),
    "notes section of 50,000 garbage lines": (
        lambda n: "Body.¹\n\nNotes\n\n" + "\n".join(_GARBAGE_LINES[:n]), 50_000, 10.0),
    "notes section of 50,000 lines of symbol soup": (
        lambda n: "Body.¹\n\nNotes\n\n" + "\n".join(["#$%^&*(){}|<>?~"] * n), 50_000, 5.0),
    "10,000 numbered notes, short forms and Ibid.": (
        lambda n: "Body.¹\n\nNotes\n\n1. Jane Smith, *Title 1* (Press, 2020).\n"
        + "\n".join(f"{i}. {'Ibid.' if i % 3 else 'Smith, *Title*,'} p. {i}."
                    for i in range(2, n + 1)),
        10_000, 10.0),
    "200,000 '<https://' fragments on separate lines": (
        lambda n: "<https://\n" * n, 200_000, 10.0),
    "200,000 'https://' run together": (lambda n: "https://" * n, 200_000, 10.0),
    # Footnotes at the foot of each page (issue 8): zones, openers, continuations.
    "20,000 pages of one footnote each": (
        lambda n: "".join(f"Body claim.{i % 999 + 1}\n{i % 999 + 1} Smith, Report.\n\f"
                          for i in range(n)), 20_000, 10.0),
    "50,000 footnote-like lines on one page": (
        lambda n: "Body.1\n" + "1 A\n" * n + "\fnext page\n", 50_000, 10.0),
    "50,000 unfinished footnotes, one a page": (
        lambda n: "".join(f"Body {i}.1\n1 See the report at https://a.org/x-\n\f"
                          for i in range(n)), 50_000, 10.0),
    "50,000 lines of a page, then a continued note": (
        lambda n: "Body.1\n1 See the report at https://a.org/x-\n\f" + "word " * 20 + "\n"
        + ("a long line of body text that goes on and on and on\n" * n), 50_000, 10.0),
    "20,000 page numbers between numbered lines": (
        lambda n: "".join(f"Claim.{i % 99 + 1}\n\n{i % 99 + 1}\n\nSmith.\n\n{i}\n\n"
                          "Running Header Title\n\n" for i in range(n)), 20_000, 10.0),
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_linear_time(name: str) -> None:
    make, size, bound = ADVERSARIAL[name]
    assert_linear(make, size, bound)


def test_linear_time_angle_url_fragments() -> None:
    assert_linear(lambda n: "<https://" * n, 200_000, 10.0, probe=12_000)


def test_linear_time_many_urls_on_one_line() -> None:
    assert_linear(lambda n: "https://a.org/x " * (n // 16), 1_000_000, 10.0, probe=80_000)


def test_linear_time_one_note_with_many_access_dates() -> None:
    def make(n: int) -> str:
        return "Body.¹\n\nNotes\n\n1. " + "accessed April 5, 2024, " * (n // 24)

    assert_linear(make, 1_000_000, 10.0, probe=200_000)
