"""Note markers in the body (DESIGN.md §3): superscripts, [n], ^n, and the plain digits PDF
extraction leaves behind, told apart from ordinary numbers by the expected sequence."""

from __future__ import annotations

import pytest

from citecheck.parse import parse
from citecheck.readers.text import Source

SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def sup(n: int) -> str:
    return str(n).translate(SUP)


def notes_section(count: int) -> str:
    lines = [f"{i}. Author {i}, Report number {i}, 2020." for i in range(1, count + 1)]
    return "\n\nEndnotes\n\n" + "\n".join(lines) + "\n"


def markers(body: str, count: int = 12) -> list[tuple[int | str, int, int]]:
    doc = parse(Source("b.txt", "text", body + notes_section(count)))
    return [(m.number, m.span.line, m.span.column) for m in doc.markers]


def numbers(body: str, count: int = 12) -> list[int | str]:
    return [n for n, _, _ in markers(body, count)]


def test_unicode_superscripts_with_columns() -> None:
    body = "Cables matter.¹ Ships too.² More³ words."
    assert markers(body) == [(1, 1, 15), (2, 1, 27), (3, 1, 33)]


def test_multi_digit_superscripts() -> None:
    body = " ".join(f"claim{sup(i)}" for i in range(1, 101))
    found = markers(body, 100)
    assert [n for n, _, _ in found] == list(range(1, 101))
    tenth = body.index(sup(10))
    hundredth = body.index(sup(100))
    assert found[9] == (10, 1, tenth + 1)
    assert found[99] == (100, 1, hundredth + 1)


def test_columns_count_characters_not_bytes() -> None:
    # 'É', 'é' and '𝒜' take several bytes in UTF-8 (and two code units in UTF-16).
    body = "Émigré café 𝒜.¹ naïve.²"
    assert markers(body) == [(1, 1, body.index("¹") + 1), (2, 1, body.index("²") + 1)]
    assert markers(body)[0][2] == 15


def test_markers_on_later_lines_carry_their_line() -> None:
    body = "First line.¹\nSecond line.²\n\nThird paragraph.³"
    assert markers(body) == [(1, 1, 12), (2, 2, 13), (3, 4, 17)]


def test_bracket_markers() -> None:
    body = "Text [1] and [1, 2] and [3–5] here."
    assert markers(body) == [
        (1, 1, 6),
        (1, 1, 14),
        (2, 1, 14),
        (3, 1, 25),
        (4, 1, 25),
        (5, 1, 25),
    ]


def test_bracket_range_with_hyphen() -> None:
    assert numbers("Text [2-4] here.") == [2, 3, 4]


def test_caret_markers() -> None:
    body = "A claim,^1 and another ^[2]."
    assert markers(body) == [(1, 1, 9), (2, 1, 24)]


def test_bracketed_year_is_not_a_marker() -> None:
    assert numbers("Text [1] more [2019] and [2].") == [1, 2]


def test_power_of_a_number_and_units_are_not_markers() -> None:
    assert numbers("Claim.¹ An area of 3,400 km² and 5 m³ and x² cases.") == [1]


def test_markdown_footnote_reference_is_a_marker() -> None:
    text = (
        "Text.[^smith] More.[^2]\n\n## Notes\n\n"
        "[^smith]: Smith, Report, 2020.\n[^2]: Jones, Paper, 2021.\n"
    )
    doc = parse(Source("b.md", "markdown", text))
    assert [(m.number, m.span.line, m.span.column) for m in doc.markers] == [
        ("smith", 1, 6),
        (2, 1, 20),
    ]
    assert [n.number for n in doc.notes] == ["smith", 2]


# PDF-extracted digits: the expected sequence decides.


def test_digit_after_a_year_is_a_marker() -> None:
    body = "Analysts began to record the damage in\n2019.1 The pattern has since become familiar."
    assert markers(body) == [(1, 2, 6)]


def test_glued_digits_after_punctuation_and_quotes() -> None:
    body = "It began in 2019.1 The operators,2 and capabilities.3 Japan called it “a threat.”4 So."
    assert numbers(body) == [1, 2, 3, 4]


def test_glued_digit_column_is_the_digit() -> None:
    body = "capabilities.1 Japan"
    assert markers(body) == [(1, 1, 14)]


def prefix(k: int) -> str:
    """Body text citing notes 1..k with glued digits, so the next expected marker is k+1."""
    return " ".join(f"Claim number {i}.{i}" for i in range(1, k + 1)) + " "


@pytest.mark.parametrize(
    ("before", "text"),
    [
        (1, "Growth was 3.2 percent last year."),
        (0, "Under Section 4.1 The rule applies."),
        (1, "Under Section 4.2 The rule applies."),
        (1, "Roughly 3,400 km² of seabed."),
        (9, "It takes 10 to 20 days to repair."),
        (1, "Over 1,000 ships and 1,002 boats."),
        (1, "By 2021, the rate doubled in 2021."),
        (1, "It cost $3.2 Billion in all."),
        (2, "As noted at p.3 there."),
        (1, "Version 1.2 The app."),
        (3, "See No.4 of the series."),
    ],
)
def test_ordinary_numbers_are_not_markers(before: int, text: str) -> None:
    """Each number sits where the expected sequence would accept it (note `before + 1`
    is next), so only its shape can rule it out."""
    assert numbers(prefix(before) + text) == list(range(1, before + 1))


def test_sequence_continues_after_a_rejected_number() -> None:
    body = prefix(1) + "Growth was 3.2 percent. Then more.2 And more.3"
    assert numbers(body) == [1, 2, 3]


def test_digits_inside_a_url_are_not_markers() -> None:
    body = "Visit https://example.org/report2019.1 now, or https://example.org/a,2 then. Real.1"
    assert markers(body) == [(1, 1, len(body) - 1 + 1)]


def test_digits_inside_an_angle_bracket_url_are_not_markers() -> None:
    body = "See <https://example.org/2019.1/x.2> here. Real.1"
    assert numbers(body) == [1]


def test_superscript_inside_body_is_found_past_page_furniture() -> None:
    body = (
        "Center for Studies | Policy Brief\nFirst claim.¹\n2\n\n"
        "Center for Studies | Policy Brief\nSecond claim.²\n3\n"
    )
    assert markers(body) == [(1, 2, 13), (2, 6, 14)]


def test_a_numbered_section_heading_is_no_marker() -> None:
    """"2.1 Alternative Dispute Resolution" opens a section; "in 2019.1 The" cites note 1."""
    body = "2.1 Alternative Dispute Resolution\nCourts grew busy in 2019.1 The rest followed.2\n"
    assert markers(body, 2) == [(1, 2, 26), (2, 2, 46)]
