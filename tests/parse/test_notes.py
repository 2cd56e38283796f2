"""Finding the notes section and splitting it into notes (DESIGN.md §3): headings, numbering
styles, continuation lines, page debris, a trailing run without a heading, and sections
citecheck cannot read."""

from __future__ import annotations

import pytest

from citecheck.errors import InputError
from citecheck.model import Document
from citecheck.parse import parse
from citecheck.readers.text import Source

BODY = "Body text cites one.¹ And two.²\n\n"
TWO = "1. Smith, Report, 2020.\n2. Jones, Paper, 2021.\n"


def doc(text: str) -> Document:
    return parse(Source("b.txt", "text", text))


def notes(text: str) -> list[tuple[int | str, int, str]]:
    """(number, line, text with line breaks collapsed) per note."""
    return [(n.number, n.span.line, " ".join(n.text.split())) for n in doc(text).notes]


EXPECTED_TWO = [(1, 5, "Smith, Report, 2020."), (2, 6, "Jones, Paper, 2021.")]


@pytest.mark.parametrize(
    "heading",
    [
        "Endnotes",
        "ENDNOTES",
        "End Notes",
        "Notes",
        "NOTES",
        "notes",
        "Notes:",
        "References",
        "Footnotes",
        "Sources",
        "sources",
        "## Notes",
        "# ENDNOTES",
        "**Notes**",
        "  Notes  ",
    ],
)
def test_headings(heading: str) -> None:
    d = doc(BODY + heading + "\n\n" + TWO)
    assert notes(BODY + heading + "\n\n" + TWO) == EXPECTED_TWO
    assert d.notes_heading is not None and d.notes_heading.line == 3
    assert d.problems == ()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("1. ", "2. "),
        ("1 ", "2 "),
        ("[1] ", "[2] "),
        ("(1) ", "(2) "),
        ("1) ", "2) "),
        ("¹ ", "² "),
    ],
)
def test_numbering_styles(first: str, second: str) -> None:
    text = BODY + "Notes\n\n" + first + "Smith, Report, 2020.\n" + second + "Jones, Paper, 2021.\n"
    assert notes(text) == EXPECTED_TWO


def test_note_span_and_end_line() -> None:
    d = doc(BODY + "Notes\n\n1. Smith, Report,\n   continued, 2020.\n\n2. Jones, Paper, 2021.\n")
    first, second = d.notes
    assert (first.span.line, first.end_line) == (5, 6)
    assert (second.span.line, second.end_line) == (8, 8)


def test_continuation_lines_belong_to_their_note() -> None:
    text = BODY + (
        "Notes\n\n"
        "1. Jane Smith, Ports and Power: A History of the\n"
        "   Western Pacific (Washington: Harbor Press, 2020),\n"
        "   p. 4.\n"
        "2. Jones, Paper, 2021.\n"
    )
    assert notes(text) == [
        (
            1,
            5,
            "Jane Smith, Ports and Power: A History of the Western Pacific "
            "(Washington: Harbor Press, 2020), p. 4.",
        ),
        (2, 8, "Jones, Paper, 2021."),
    ]


@pytest.mark.parametrize(
    ("style", "continuation"),
    [
        ("{n}. ", "2022, p. 7."),
        ("{n}. ", "10 to 20 percent, 2021."),
        ("{n} ", "2022, p. 7."),
        ("{n} ", "10 to 20 percent, 2021."),
        ("[{n}] ", "2022, p. 7."),
        ("{n}. ", "3 percent of the total, 2021."),
    ],
)
def test_continuation_starting_with_a_number_is_not_a_new_note(
    style: str, continuation: str
) -> None:
    text = BODY + (
        "Notes\n\n"
        f"{style.format(n=1)}Smith, The Report on growth from\n"
        f"{continuation}\n"
        f"{style.format(n=2)}Jones, Paper, 2021.\n"
    )
    assert [n for n, _, _ in notes(text)] == [1, 2]
    assert notes(text)[0][2].endswith(continuation)


def test_page_number_and_running_header_between_notes() -> None:
    text = (
        "Center for Maritime Studies | Policy Brief\n"
        "Body one.¹ Body two.²\n"
        "1\n\n"
        "Center for Maritime Studies | Policy Brief\n"
        "Body three.³\n\n"
        "Endnotes\n\n"
        "1. Smith, Report, 2020.\n"
        "2. Jones, Paper, 2021.\n"
        "7\n"
        "Center for Maritime Studies | Policy Brief\n"
        "3. Lee, Study, 2019.\n"
    )
    assert notes(text) == [
        (1, 10, "Smith, Report, 2020."),
        (2, 11, "Jones, Paper, 2021."),
        (3, 14, "Lee, Study, 2019."),
    ]


def test_page_debris_in_the_middle_of_a_note_is_skipped_and_the_url_joined() -> None:
    text = (
        "Center for Maritime Studies | Policy Brief\n"
        "Body one.¹ Body two.²\n\n"
        "Center for Maritime Studies | Policy Brief\n"
        "Endnotes\n\n"
        "1. Ministry of Defense, “Cable Strategy,” March 2024, https://www.mod.go.jp/en/\n"
        "14\n"
        "Center for Maritime Studies | Policy Brief\n"
        "strategy/pdf/x.pdf (accessed April 5, 2024).\n"
        "2. Smith, Report, 2020.\n"
    )
    d = doc(text)
    first, second = d.notes
    assert first.span.line == 7 and first.end_line == 10
    assert "14" not in first.text.split() and "Policy Brief" not in first.text
    assert [u.url for u in first.urls] == ["https://www.mod.go.jp/en/strategy/pdf/x.pdf"]
    assert [a.date.isoformat() for a in first.accessed if a.date] == ["2024-04-05"]
    assert (second.number, second.span.line) == (2, 11)


def test_page_number_line_between_body_lines_does_not_break_markers() -> None:
    text = "A sentence that runs\n3\nacross a page break.¹\n\nNotes\n\n1. Smith, Report, 2020.\n"
    d = doc(text)
    assert [(m.number, m.span.line) for m in d.markers] == [(1, 3)]


def test_trailing_run_of_numbered_lines_without_heading() -> None:
    text = "Some body text.[1] And more.[2]\n\n1. Smith, Report, 2020.\n2. Jones, Paper, 2021.\n"
    d = doc(text)
    assert d.notes_heading is None
    assert [(n.number, n.span.line) for n in d.notes] == [(1, 3), (2, 4)]


def test_numbered_list_followed_by_prose_is_not_a_trailing_run() -> None:
    text = (
        "Cables carry most traffic.¹\n\nRecommendations:\n\n"
        "1. Fund repair ships.\n2. Patrol the landing sites.\n\n"
        "The government should act soon, before a crisis tests the network.\n"
    )
    assert doc(text).notes == ()


def test_text_after_the_notes_is_not_part_of_the_last_note() -> None:
    text = BODY + "Notes\n\n" + TWO + "\nAbout the Authors\n\nJane Smith is a fellow.\n"
    assert notes(text) == EXPECTED_TWO


def test_last_notes_heading_with_notes_wins() -> None:
    text = (
        "Notes\n\nOn method: these notes explain the approach.¹ Then.²\n\n"
        "Endnotes\n\n1. Smith, Report, 2020.\n2. Jones, Paper, 2021.\n"
    )
    d = doc(text)
    assert d.notes_heading is not None and d.notes_heading.line == 5
    assert [n.number for n in d.notes] == [1, 2]
    assert [m.number for m in d.markers] == [1, 2]


def test_heading_over_unnumbered_text_is_an_n106_problem() -> None:
    d = doc("Some body text.¹\n\nNotes\n\nThese are thoughts without numbers.\nMore prose.\n")
    assert d.notes == ()
    assert d.notes_heading is not None and d.notes_heading.line == 3
    [problem] = d.problems
    assert (problem.code, problem.severity.value, problem.line) == ("N106", "info", 3)


def test_no_heading_and_no_run_is_no_notes_without_problem() -> None:
    d = doc("Just a paragraph of body text with no notes at all.\n")
    assert d.notes == () and d.notes_heading is None and d.problems == ()


def test_notes_section_of_symbol_soup_is_refused() -> None:
    soup = "\n".join("#$%^&*(){}|<>?~`!@#$%^&*()_+{}|:<>?~" for _ in range(20))
    with pytest.raises(InputError, match="not readable text"):
        doc("Some body text.¹\n\nNotes\n\n" + soup + "\n")


def test_duplicate_and_skipped_numbers_are_kept_for_the_rules() -> None:
    text = BODY + "Notes\n\n1. Smith, Report, 2020.\n1. Again, Paper, 2021.\n3. Lee, X, 2019.\n"
    assert [(n, line) for n, line, _ in notes(text)] == [(1, 5), (1, 6), (3, 7)]


def test_list_items_inside_a_note_in_another_style_stay_in_the_note() -> None:
    text = BODY + (
        "Notes\n\n1. The law requires:\n(1) a permit;\n(2) a survey.\n2. Jones, Paper, 2021.\n"
    )
    got = notes(text)
    assert [n for n, _, _ in got] == [1, 2]
    assert got[0][2] == "The law requires: (1) a permit; (2) a survey."


def test_markdown_footnote_definitions_under_a_heading() -> None:
    text = (
        "Text.[^smith] More.[^b]\n\n## Notes\n\n"
        "[^smith]: Smith, Report, 2020.\n[^b]: Jones, P.\n"
    )
    d = parse(Source("b.md", "markdown", text))
    assert [n.number for n in d.notes] == ["smith", "b"]


def test_markdown_footnote_definitions_without_a_heading() -> None:
    text = "Text.[^smith] More.[^2]\n\n[^smith]: Smith, Report, 2020.\n[^2]: Jones, Paper, 2021.\n"
    d = parse(Source("b.md", "markdown", text))
    assert [n.number for n in d.notes] == ["smith", 2]
    assert [(m.number, m.span.line) for m in d.markers] == [("smith", 1), (2, 1)]


def test_year_alone_on_a_continuation_line_is_kept() -> None:
    text = BODY + (
        "Notes\n\n1. Jane Smith, Ports and Power (Washington: Harbor Press,\n2020.\n"
        "2. Jones, Paper, 2021.\n"
    )
    d = doc(text)
    first = d.notes[0]
    assert first.text.split()[-1] == "2020."
    assert first.citations[0].source_date is not None
    assert first.citations[0].source_date.year == 2020
