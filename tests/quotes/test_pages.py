"""Pin cites and pages: which pages a locator names, and whether a passage is on one."""

from __future__ import annotations

import pytest

from citecheck.quotes.pages import Paged, locator_pages, on_cited_page


@pytest.mark.parametrize(
    ("locator", "pages"),
    [
        ("p. 9", {9}),
        ("pp. 12–14", {12, 13, 14}),
        ("at 45", {45}),
        ("at 45-46", {45, 46}),
        ("pp. 19 and 20", {19, 20}),
        ("123-25", {123, 124, 125}),
        ("12, 15", {12, 15}),
        ("§ 4", set()),
        ("para. 12", set()),
        (None, set()),
        ("pp. 1-9000", set()),
        ("pp. 3 f.", {3, 4}),
        ("3ff", set(range(3, 14))),
        ("at 7 ff.", set(range(7, 18))),
    ],
)
def test_locator_pages(locator: str | None, pages: set[int]) -> None:
    assert locator_pages(locator) == pages


def test_a_passage_on_the_printed_page_or_the_pdf_page_counts() -> None:
    text = "cover\fpage one text\fpage two text"
    src = Paged(text, (0, 6, 20), (frozenset(), frozenset({"1"}), frozenset({"2"})))
    at = text.index("two")
    assert on_cited_page(src, at, at + 3, frozenset({2}))  # printed 2
    assert on_cited_page(src, at, at + 3, frozenset({3}))  # PDF page 3
    assert not on_cited_page(src, at, at + 3, frozenset({1}))
    assert src.shown(2) == "page 2 (PDF page 3)"


def test_a_passage_over_a_page_break_counts_for_both_pages() -> None:
    text = "first page ends here\fsecond page begins"
    src = Paged(text, (0, 21))
    start = text.index("ends")
    end = text.index("begins") + 6
    assert on_cited_page(src, start, end, frozenset({2}))
    assert on_cited_page(src, start, end, frozenset({1}))


def test_without_pages_any_page_is_fine() -> None:
    assert on_cited_page(Paged("no pages here"), 0, 5, frozenset({7}))
