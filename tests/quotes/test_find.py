"""Which body text is a quotation, and which note it is attributed to."""

from __future__ import annotations

from pathlib import Path

from citecheck.model import Marker, Span
from citecheck.quotes.find import find_quotations


def _markers(lines: list[str], *numbers: int, glyph: str = "¹²³⁴⁵⁶⁷⁸⁹") -> list[Marker]:
    """Markers at each superscript digit in `lines`, numbered by the digit."""
    table = {g: i + 1 for i, g in enumerate(glyph)}
    out = []
    for i, line in enumerate(lines):
        for j, ch in enumerate(line):
            if ch in table and (not numbers or table[ch] in numbers):
                out.append(Marker(table[ch], Span(i + 1, j + 1)))
    return out


def _found(text: str) -> list[tuple[str, int]]:
    lines = text.split("\n")
    return [(q.shown, q.note) for q in find_quotations(lines, _markers(lines))]


def test_a_quotation_closed_by_its_marker() -> None:
    assert _found("Tokyo calls it “an even more grave and imminent threat.”¹ Then more.") == [
        ("an even more grave and imminent threat.", 1)
    ]


def test_the_marker_later_in_the_same_sentence() -> None:
    text = "“The alliance is the strongest it has ever been,” the ambassador said in May.²"
    assert _found(text) == [("The alliance is the strongest it has ever been,", 2)]


def test_a_marker_before_the_quotation_in_the_same_sentence() -> None:
    text = "As the strategy puts it,³ “the security environment is the most severe since 1945.”"
    assert _found(text) == [("the security environment is the most severe since 1945.", 3)]


def test_a_sentence_ending_inside_the_quotation_is_not_carried_to_the_next_marker() -> None:
    text = "He said “the port will close by the end of May.” Tokyo disagreed sharply.¹"
    assert _found(text) == []


def test_a_marker_that_closes_the_previous_sentence_does_not_take_the_next_quote() -> None:
    text = "Ports matter.¹ “Trade depends on open sea lanes in the region,” he said."
    assert _found(text) == []


def test_short_quotations_are_scare_quotes_not_evidence() -> None:
    assert _found("This “strategic challenge”¹ and the “new normal”² were discussed.") == []


def test_a_quotation_wrapped_over_lines_keeps_its_first_line_and_column() -> None:
    lines = ["Intro line.", "The report found that “exports of", "chips fell by a third in 2023.”¹"]
    (q,) = find_quotations(lines, _markers(lines))
    assert q.shown == "exports of chips fell by a third in 2023."
    assert (q.span.line, q.span.column) == (2, 24)


def test_single_quotes_used_as_quotation_marks_but_not_apostrophes() -> None:
    text = "Japan’s view of the states’ powers: ‘we will never accept a change by force’.¹"
    assert _found(text) == [("we will never accept a change by force", 1)]


def test_straight_double_quotes() -> None:
    text = 'The minister said "the budget will double within five years."4'
    lines = [text]
    markers = [Marker(4, Span(1, len(text)))]
    assert [(q.shown, q.note) for q in find_quotations(lines, markers)] == [
        ("the budget will double within five years.", 4)
    ]


def test_each_quotation_goes_to_the_marker_that_follows_it() -> None:
    text = (
        "Japan called China “an unprecedented and the greatest strategic challenge”¹ and "
        "North Korea “an even more grave and imminent threat.”²"
    )
    assert [n for _, n in _found(text)] == [1, 2]


def test_notes_section_is_not_searched() -> None:
    lines = ["Body “with a long enough quotation here”¹.", "Notes", "1. “A title in quotes here.”"]
    found = find_quotations(lines, _markers(lines), body_end=1)
    assert [q.note for q in found] == [1]


def test_an_unbalanced_quote_mark_swallows_nothing() -> None:
    text = "He said “this never closes.\n\nNext paragraph “is a real quote of five words”¹."
    assert _found(text) == [("is a real quote of five words", 1)]


def test_a_marker_inside_the_closing_quote_is_the_quotations_own() -> None:
    # The next sentence's marker (²) must not take it, and the marker is not a quoted word.
    text = "It says: “Traffic has grown steadily since the ice began to retreat.¹” It fell.²"
    assert _found(text) == [("Traffic has grown steadily since the ice began to retreat.", 1)]


def test_a_marker_inside_the_closing_quote_of_an_html_brief() -> None:
    # An HTML brief's marker is a <sup> whose tags the finder sees blanked: its digits remain.
    lines = ["It says: “Traffic has grown steadily since the ice began.     14     ” Then.     15"]
    markers = [Marker(14, Span(1, lines[0].index("14") - 4)),  # at the blanked <sup>
               Marker(15, Span(1, lines[0].index("15") - 4))]
    (q,) = find_quotations(lines, markers)
    assert (q.shown, q.note) == ("Traffic has grown steadily since the ice began.", 14)


def test_a_single_quoted_quotation_closed_right_before_its_marker() -> None:
    text = "The Authority wants ‘a permanent pilotage requirement for all large vessels’¹ now."
    assert _found(text) == [("a permanent pilotage requirement for all large vessels", 1)]


def test_a_markdown_link_inside_a_quotation_is_its_text(tmp_path: Path) -> None:
    """In a Markdown brief, "[quay](https://…)" inside a quotation is the word "quay": the
    destination is no quoted word (it gave a false Q601), and columns stay the source's."""
    from citecheck.quotes.body import quotations
    from citecheck.readers import read_document

    post = tmp_path / "post.md"
    post.write_text(
        "# Ports\n\nIt wrote “the new [quay](https://example.org/q \"Quay\") will handle "
        "twice the ![cargo](c.png) of the old [one][ref]”.[^1]\n\n"
        "[^1]: Harbour Authority, Port report, http://127.0.0.1:9/p.html.\n", encoding="utf-8")
    (q,) = quotations(read_document(post))
    assert q.shown.split() == ["the", "new", "quay", "will", "handle", "twice", "the",
                               "cargo", "of", "the", "old", "one"]
    assert (q.span.line, q.span.column, q.note) == (3, 11, 1)


def test_a_single_quoted_quotation_with_a_double_quoted_one_inside() -> None:
    """British style: ‘outer “inner” outer’ is one quotation, checked whole."""
    text = ("It spoke of ‘the so-called “blue corridor” that will open to commercial "
            "traffic in 2026’.¹")
    assert _found(text) == [
        ("the so-called “blue corridor” that will open to commercial traffic in 2026", 1)]
