"""URLs as briefs print them (DESIGN.md §3): bare, <…>, Markdown links, wrapped across
lines, followed by punctuation that is not theirs."""

from __future__ import annotations

import pytest

from citecheck.parse import parse
from citecheck.parse.urls import find_urls
from citecheck.readers.text import Source


def urls(text: str) -> list[str]:
    return [u.url for u in find_urls(text)]


def test_bare_url_with_offsets() -> None:
    text = "See https://example.org/a/b.html for more."
    [found] = find_urls(text)
    assert found.url == "https://example.org/a/b.html"
    assert text[found.start : found.end] == found.url


def test_angle_brackets() -> None:
    text = "Available at <https://example.org/a/b.html> now."
    [found] = find_urls(text)
    assert found.url == "https://example.org/a/b.html"
    assert text[found.start : found.end] == found.url


def test_markdown_link() -> None:
    assert urls("See [the report](https://example.org/report.pdf).") == [
        "https://example.org/report.pdf"
    ]


def test_markdown_link_with_balanced_parens() -> None:
    assert urls("[x](https://en.wikipedia.org/wiki/Cable_(disambiguation))") == [
        "https://en.wikipedia.org/wiki/Cable_(disambiguation)"
    ]


def test_html_link() -> None:
    assert urls('<a href="https://example.org/h">x</a>') == ["https://example.org/h"]


def test_several_urls_in_order() -> None:
    assert urls("A <https://a.example/1>; B https://b.example/2, C [c](https://c.example/3).") == [
        "https://a.example/1",
        "https://b.example/2",
        "https://c.example/3",
    ]


# Wrapped across lines.


def test_wrapped_inside_angle_brackets_with_indentation() -> None:
    text = "Available at <https://www.example.gov/files/\n    2024/report-final.pdf> (accessed)"
    assert urls(text) == ["https://www.example.gov/files/2024/report-final.pdf"]


def test_wrapped_inside_angle_brackets_over_three_lines() -> None:
    text = "<https://example.org/a/\n  b/\n  c.pdf>."
    assert urls(text) == ["https://example.org/a/b/c.pdf"]


def test_bare_url_ending_in_slash_continues_with_a_path() -> None:
    text = "https://www.mod.go.jp/en/\nstrategy/pdf/x.pdf (accessed April 5, 2024)."
    [found] = find_urls(text)
    assert found.url == "https://www.mod.go.jp/en/strategy/pdf/x.pdf"
    assert text[found.start : found.end] == "https://www.mod.go.jp/en/\nstrategy/pdf/x.pdf"


def test_bare_url_ending_in_slash_continues_with_an_indented_path() -> None:
    assert urls("https://example.org/a/\n    strategy/pdf/x.pdf") == [
        "https://example.org/a/strategy/pdf/x.pdf"
    ]


def test_bare_url_ending_in_hyphen_continues() -> None:
    assert urls("https://example.org/long-\nname.html, accessed") == [
        "https://example.org/long-name.html"
    ]


def test_bare_url_ending_in_underscore_continues() -> None:
    assert urls("https://example.org/path_\nrest") == ["https://example.org/path_rest"]


@pytest.mark.parametrize(
    "text",
    [
        "https://example.org/report\naccessed April 5, 2024.",
        "https://example.org/report/\naccessed April 5, 2024.",
        "https://example.org/report\n(accessed April 5, 2024)",
        "https://example.org/report\nThe next sentence begins here.",
        "https://example.org/report/\nand then words",
        "https://example.org/report\n2",
        "https://example.org/report\nhttps://example.org/other",
    ],
)
def test_prose_on_the_next_line_is_not_joined(text: str) -> None:
    assert urls(text)[0] == text.split("\n")[0]


def test_hyphen_end_does_not_swallow_accessed() -> None:
    text = (
        "Body.¹\n\nNotes\n\n"
        "1. Cable Report, https://example.org/cable-\naccessed April 5, 2024.\n"
    )
    [note] = parse(Source("b.txt", "text", text)).notes
    [url] = [u.url for u in note.urls]
    assert url.startswith("https://example.org/cable")
    assert "accessed" not in url
    assert [a.date.isoformat() for a in note.accessed if a.date] == ["2024-04-05"]


@pytest.mark.parametrize("next_line", ["U.S. Navy officials said so.", "e.g., the report"])
def test_abbreviation_on_the_next_line_is_not_joined(next_line: str) -> None:
    [url] = urls(f"https://example.org/report\n{next_line}")
    assert url == "https://example.org/report"


# Trailing punctuation.


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("https://example.org/a.", "https://example.org/a"),
        ("https://example.org/a,", "https://example.org/a"),
        ("https://example.org/a;", "https://example.org/a"),
        ("(see https://example.org/a)", "https://example.org/a"),
        ("(see https://example.org/a).", "https://example.org/a"),
        ("“https://example.org/a”", "https://example.org/a"),
        ("“https://example.org/a.”", "https://example.org/a"),
        ("https://example.org/a”.", "https://example.org/a"),
        ("*https://example.org/a*", "https://example.org/a"),
        ("**https://example.org/a**.", "https://example.org/a"),
        ("https://example.org/a?b=1&c=2#frag.", "https://example.org/a?b=1&c=2#frag"),
        ("https://example.org/page.html?x=1.", "https://example.org/page.html?x=1"),
        ("[https://example.org/a]", "https://example.org/a"),
    ],
)
def test_trailing_punctuation_is_stripped(text: str, url: str) -> None:
    assert urls(text) == [url]


@pytest.mark.parametrize(
    ("text", "url"),
    [
        (
            "https://en.wikipedia.org/wiki/Cable_(disambiguation)",
            "https://en.wikipedia.org/wiki/Cable_(disambiguation)",
        ),
        (
            "(https://en.wikipedia.org/wiki/Cable_(disambiguation)).",
            "https://en.wikipedia.org/wiki/Cable_(disambiguation)",
        ),
        ("https://example.org/foo_(bar)_baz", "https://example.org/foo_(bar)_baz"),
    ],
)
def test_balanced_parentheses_are_kept(text: str, url: str) -> None:
    assert urls(text) == [url]


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("www.example.org/page.", "http://www.example.org/page"),
        ("<www.example.org/a>", "http://www.example.org/a"),
        ("[x](www.example.org/a)", "http://www.example.org/a"),
    ],
)
def test_www_gets_a_scheme(text: str, url: str) -> None:
    assert urls(text) == [url]


def test_scheme_alone_is_not_a_url() -> None:
    assert urls("see http:// and https:// here") == []


def test_no_url_in_plain_text() -> None:
    assert urls("The ministry published the report in 2024.") == []


def test_url_split_by_page_break_in_a_note_is_joined() -> None:
    text = (
        "Body.¹\n\nEndnotes\n\n"
        "1. Ministry, Strategy, https://www.example.gov/en/\n"
        "14\n"
        "strategy/pdf/x.pdf (accessed April 5, 2024).\n"
    )
    [note] = parse(Source("b.txt", "text", text)).notes
    assert [u.url for u in note.urls] == ["https://www.example.gov/en/strategy/pdf/x.pdf"]
    assert [u.span.line for u in note.urls] == [5]
    assert [a.date.isoformat() for a in note.accessed if a.date] == ["2024-04-05"]


def test_zero_width_break_hints_inside_a_url_are_dropped() -> None:
    """Publishers put zero-width spaces or joiners inside long URLs to let them wrap; the
    address a reader copies has none."""
    text = "(Jan. 5, 2013), http://notes.example.com/\u200cpost/4003/comments-on-the-panel [x]"
    assert [u.url for u in find_urls(text)] == [
        "http://notes.example.com/post/4003/comments-on-the-panel"
    ]
