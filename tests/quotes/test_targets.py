"""Which pages a quotation's note cites, through its Ibid./Id./supra/short-form chain."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck.quotes.body import quotations
from citecheck.quotes.stage import _targets
from citecheck.readers import read_document

BRIEF = """Fleet

It says “the navy operates eleven patrol vessels in all.”¹ And “only seven were available for
tasking in 2023.”² Also “the remainder were in refit or awaiting crews.”³ Then “two of the
three dry docks are old.”⁴ Next “each new vessel needs forty sailors.”⁵ And “the review
concludes with twelve recommendations.”⁶ Then “the government accepted all twelve of them.”⁷
Finally “the dock will be ready in the year 2027.”⁸ Last “a third dock is planned now.”⁹

Notes

1. Ministry of Defence, Fleet Review 2024, p. 3, http://127.0.0.1:9/f.pdf (accessed June 1, 2024).
2. Ibid.
3. Ibid., p. 5.
4. Ibid.
5. Id. at 7.
6. Ministry of Defence, Fleet Review 2024, 12–14.
7. Ibid., 4.
8. Ministry of Defence, supra note 1, at 9.
9. Ibid.
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[object, frozenset[int]]:
    path: Path = tmp_path_factory.mktemp("brief") / "brief.txt"
    path.write_text(BRIEF, encoding="utf-8")
    doc = read_document(path)
    out = {}
    for q in quotations(doc):
        targets = _targets(doc, q)
        assert isinstance(targets, list) and len(targets) == 1
        out[q.note] = targets[0].pages
    return out


def test_a_full_citation_and_its_own_pin_cites(pages: dict[object, frozenset[int]]) -> None:
    assert pages[1] == {3}
    assert pages[3] == {5}
    assert pages[5] == {7}
    assert pages[8] == {9}


def test_a_bare_ibid_names_no_page(pages: dict[object, frozenset[int]]) -> None:
    """Briefs write a bare "Ibid." for "the same source", whatever page the quotation is on:
    its page is not checked (a Q602 there would be a false finding on a correct quotation)."""
    assert pages[2] == pages[4] == pages[9] == frozenset()


def test_a_short_forms_bare_page_number(pages: dict[object, frozenset[int]]) -> None:
    assert pages[6] == {12, 13, 14}
    assert pages[7] == {4}


def test_a_number_in_a_title_is_no_pin_cite(tmp_path: Path) -> None:
    path = tmp_path / "brief.txt"
    path.write_text(
        "She said “the harbours will turn away traffic by 2030.”¹ And “the two sources agree "
        "within three percent.”²\n\nNotes\n\n1. Institute, Remarks at 10 Downing Street, "
        "http://127.0.0.1:9/r.pdf.\n2. Institute, Report, at 4 n. 2, http://127.0.0.1:9/r.pdf.\n",
        encoding="utf-8")
    doc = read_document(path)
    found = {q.note: _targets(doc, q) for q in quotations(doc)}
    assert [t.pages for t in found[1]] == [frozenset()]  # type: ignore[union-attr]
    assert [t.pages for t in found[2]] == [{4}]  # type: ignore[union-attr]


def test_following_pages_of_a_full_citation(tmp_path: Path) -> None:
    path = tmp_path / "brief.txt"
    path.write_text(
        "She said “the harbours will turn away traffic by 2030.”¹\n\nNotes\n\n1. Institute, "
        "Report, pp. 4 ff., http://127.0.0.1:9/r.pdf.\n", encoding="utf-8")
    doc = read_document(path)
    (q,) = quotations(doc)
    assert [t.pages for t in _targets(doc, q)] == [set(range(4, 15))]  # type: ignore[union-attr]


def test_the_note_a_supra_names_is_no_page(tmp_path: Path) -> None:
    path = tmp_path / "brief.txt"
    path.write_text(
        "She said “the harbours will turn away traffic by 2030.”¹ And “the two sources agree "
        "within three percent.”²\n\nNotes\n\n1. Institute, Report, p. 2, "
        "http://127.0.0.1:9/r.pdf.\n2. Institute, supra n. 1, at 8.\n", encoding="utf-8")
    doc = read_document(path)
    found = {q.note: _targets(doc, q) for q in quotations(doc)}
    assert [t.pages for t in found[2]] == [{8}]  # type: ignore[union-attr]
