"""Access dates and a source's own date (DESIGN.md §3): every written form, dates that do not
exist, text that cannot be read, and trigger words followed by ordinary prose."""

from __future__ import annotations

import datetime as dt

import pytest

from citecheck.parse.dates import find_access_dates, find_dates

D = dt.date


def only(text: str):
    found = find_access_dates(text)
    assert len(found) == 1, f"expected one access date in {text!r}, got {found!r}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "date", "written"),
    [
        ("(accessed April 5, 2024).", D(2024, 4, 5), "April 5, 2024"),
        ("accessed 5 April 2024", D(2024, 4, 5), "5 April 2024"),
        ("accessed 2024-04-05", D(2024, 4, 5), "2024-04-05"),
        ("last visited Jan. 5, 2023", D(2023, 1, 5), "Jan. 5, 2023"),
        ("retrieved on 5 April 2024", D(2024, 4, 5), "5 April 2024"),
        ("Retrieved on April 5, 2024", D(2024, 4, 5), "April 5, 2024"),
        ("viewed 2024-04-05.", D(2024, 4, 5), "2024-04-05"),
        ("Viewed on 12 March 2023", D(2023, 3, 12), "12 March 2023"),
        ("Accessed: April 5, 2024", D(2024, 4, 5), "April 5, 2024"),
        ("accessed on April 5, 2024", D(2024, 4, 5), "April 5, 2024"),
        ("ACCESSED APRIL 5, 2024", D(2024, 4, 5), "APRIL 5, 2024"),
        ("accessed Sept. 5, 2023", D(2023, 9, 5), "Sept. 5, 2023"),
        ("accessed 5 Apr. 2024", D(2024, 4, 5), "5 Apr. 2024"),
        ("accessed April 5th, 2024", D(2024, 4, 5), "April 5th, 2024"),
        ("accessed\nApril 5,\n2024", D(2024, 4, 5), "April 5,\n2024"),
    ],
)
def test_day_precision_forms(text: str, date: dt.date, written: str) -> None:
    found = only(text)
    assert found.date == date
    assert found.precision == "day"
    assert found.problem is None
    assert found.text == written
    assert text[found.start : found.end] == written


def test_offsets_point_at_the_date_not_the_trigger() -> None:
    text = "Smith, Report (accessed April 5, 2024)."
    found = only(text)
    assert (found.start, found.end) == (text.index("April"), text.index(")"))


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("accessed April 2024", D(2024, 4, 1)),
        ("accessed May 2024", D(2024, 5, 1)),
        ("last visited Dec. 2022", D(2022, 12, 1)),
    ],
)
def test_month_precision(text: str, date: dt.date) -> None:
    found = only(text)
    assert (found.date, found.precision, found.problem) == (date, "month", None)


def test_accessed_in_month_year() -> None:
    found = only("Ministry of Defense, Cable Strategy, 2024 (accessed in April 2024).")
    assert (found.date, found.precision, found.problem) == (D(2024, 4, 1), "month", None)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("accessed February 30, 2024", "February 2024 has 29 days"),
        ("accessed 31 June 2023", "June 2023 has 30 days"),
        ("accessed February 29, 2023", "February 2023 has 28 days"),
        ("accessed Feb. 29, 2100", "February 2100 has 28 days"),
        ("accessed 1900-02-29", "February 1900 has 28 days"),
        ("accessed April 31, 2024", "April 2024 has 30 days"),
        ("accessed April 0, 2024", "not a real date"),
        ("accessed 2024-13-01", "no month 13"),
    ],
)
def test_dates_that_do_not_exist_are_problems_not_crashes(text: str, says: str) -> None:
    found = only(text)
    assert found.date is None
    assert found.problem is not None and says in found.problem


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("accessed February 29, 2024", D(2024, 2, 29)),
        ("accessed 2000-02-29", D(2000, 2, 29)),
        ("accessed 30 June 2023", D(2023, 6, 30)),
    ],
)
def test_leap_days_and_month_ends_that_exist(text: str, date: dt.date) -> None:
    found = only(text)
    assert (found.date, found.problem) == (date, None)


@pytest.mark.parametrize("text", ["accessed Febuary 5, 2024", "accessed 5 Avril 2024"])
def test_unreadable_month_is_reported(text: str) -> None:
    found = only(text)
    assert found.date is None
    assert "not a date citecheck can read" in (found.problem or "")
    assert found.text == text.removeprefix("accessed ")


@pytest.mark.parametrize(
    "text",
    [
        "The archive was accessed through the portal of the ministry.",
        "The video was viewed over 3 million times.",
        "Records were retrieved by the committee staff.",
        "Nobody accessed it.",
        "No trigger word here: April 5, 2024.",
    ],
)
def test_trigger_words_in_prose_give_no_date(text: str) -> None:
    assert find_access_dates(text) == []


def test_several_access_dates_in_one_text() -> None:
    found = find_access_dates(
        "A, https://a.example (accessed April 5, 2024); B, https://b.example "
        "(last visited 6 May 2024)."
    )
    assert [d.date for d in found] == [D(2024, 4, 5), D(2024, 5, 6)]


# A source's own date: find_dates, with and without lone years.


def test_find_dates_reads_written_dates() -> None:
    found = find_dates("Smith, Report, March 24, 2024, p. 3; updated 2024-05-01.")
    assert [(d.date, d.precision) for d in found] == [
        (D(2024, 3, 24), "day"),
        (D(2024, 5, 1), "day"),
    ]


def test_find_dates_skips_impossible_dates() -> None:
    assert find_dates("Report, February 30, 2024.") == []


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Smith v. Jones, 123 F.3d 456 (2d Cir. 1999).", 1999),
        ("Jane Smith, Ports and Power, Harbor Press, 2019.", 2019),
        ("Smith, Report (2019)", 2019),
        ("Ships, 2021; Ports, 2020", 2021),
    ],
)
def test_find_dates_with_years_reads_a_lone_year_as_a_citation_element(
    text: str, year: int
) -> None:
    found = find_dates(text, years=True)
    assert found, text
    first = found[0]
    assert (first.date, first.precision) == (D(year, 1, 1), "year")
    assert text[first.start : first.end] == str(year)


@pytest.mark.parametrize(
    "text",
    [
        "The Vision 2050 plan sets targets.",
        "In 2019 the ministry changed course.",
        "Call 2019 1234 for details.",
    ],
)
def test_find_dates_with_years_ignores_years_inside_running_words(text: str) -> None:
    assert find_dates(text, years=True) == []


def test_lone_years_only_with_years_flag() -> None:
    text = "Smith v. Jones, 123 F.3d 456 (2d Cir. 1999)."
    assert find_dates(text) == []
    assert [d.date for d in find_dates(text, years=True)] == [D(1999, 1, 1)]
