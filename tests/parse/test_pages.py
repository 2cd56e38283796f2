"""Footnotes at the foot of each page in extracted text (issue 8): pages from form feeds or
from page furniture, zones opened by the next note whose marker stands above, notes
continued across pages, and the numbers that are not notes or markers."""

from __future__ import annotations

import datetime as dt

from citecheck.model import Document
from citecheck.parse import parse
from citecheck.parse.pages import foot_number, page_starts
from citecheck.readers.text import Source
from citecheck.rules import offline

HEADER = "Rural Broadband Study | Prairie Policy Center"


def doc(text: str) -> Document:
    return parse(Source("report.txt", "text", text))


def numbers(d: Document) -> list[int | str]:
    return [n.number for n in d.notes]


def marks(d: Document) -> list[int | str]:
    return [m.number for m in d.markers]


def text_of(d: Document, number: int) -> str:
    return " ".join(next(n for n in d.notes if n.number == number).text.split())


def page(body: list[str], notes: list[str], number: int, *, ff: bool = True) -> str:
    """One page as pdftotext prints it: header, body, footnotes, page number."""
    head = ("\f" if ff and number > 1 else "") + HEADER
    return "\n".join([head, "", *body, "", *notes, "", str(number), ""])


TWO_PAGES = [
    page(
        [
            "The 117th Congress funded broadband under Pub. L. No. 117-58, and the",
            "agency wrote rules for the states.1 Counties struggled to apply.2 A county",
            "clerk spent most of 2023 on challenges to the map.3",
        ],
        [
            "1 Infrastructure Investment and Jobs Act, Pub. L. No. 117-58, § 60102 (2021).",
            "2 Prairie Policy Center, County Tracker, https://www.prairiepolicy.org/data/",
            "county-tracker (accessed January 12, 2025).",
            "3 Interview with a county clerk (Aug. 2, 2024).",
        ],
        1,
    ),
    page(
        [
            "Providers said the rules kept cooperatives out.4 The agency later allowed",
            "alternatives under 42 U.S.C. § 1983 and other statutes.5",
        ],
        [
            "4 Id.",
            "5 See Prairie Policy Center, supra note 2.",
        ],
        2,
    ),
]


def test_form_feeds_give_pages() -> None:
    text = "".join(TWO_PAGES)
    d = doc(text)
    second = text.split("\n").index("\f" + HEADER) + 1
    assert d.pages == (1, second)
    assert d.page_of(second + 2) == (2, 3)


def test_text_without_form_feeds_has_no_pages() -> None:
    assert doc("".join(TWO_PAGES).replace("\f", "")).pages == ()


def test_footnotes_on_each_page_with_form_feeds() -> None:
    d = doc("".join(TWO_PAGES))
    assert numbers(d) == [1, 2, 3, 4, 5]
    assert marks(d) == [1, 2, 3, 4, 5]
    assert d.notes[1].urls[0].url == "https://www.prairiepolicy.org/data/county-tracker"
    assert [a.date for a in d.notes[1].accessed] == [dt.date(2025, 1, 12)]
    assert (d.notes[3].kind.value, d.notes[3].resolves_to) == ("id", 3)
    assert (d.notes[4].kind.value, d.notes[4].resolves_to) == ("supra", 2)


def test_footnotes_without_form_feeds() -> None:
    """Page breaks show only as page numbers and running headers."""
    d = doc("".join(TWO_PAGES).replace("\f", ""))
    assert numbers(d) == [1, 2, 3, 4, 5]
    assert marks(d) == [1, 2, 3, 4, 5]


def test_ordinals_statutes_and_page_numbers_are_neither_notes_nor_markers() -> None:
    d = doc("".join(TWO_PAGES))
    body = [m for m in d.markers if m.number in (117, 58, 1983, 60102)]
    assert body == []
    assert "§ 1983" not in " ".join(n.text for n in d.notes)
    # "42 U.S.C. § 1983" in the body and the page numbers 1, 2 open no note.
    assert numbers(d) == [1, 2, 3, 4, 5]


def test_findings_are_clean_on_a_clean_report() -> None:
    d = doc("".join(TWO_PAGES))
    codes = [f.code for f in offline.check(d, as_of=dt.date(2026, 1, 1))]
    assert [c for c in codes if c.startswith("N")] == []


def test_note_continued_on_the_next_page_is_joined() -> None:
    """The URL breaks at the foot of page 1; the rest of note 2 opens page 2's zone."""
    text = page(
        [
            "Counties struggled to apply.1 The map was the first bottleneck, and the",
            "challenge windows were measured in weeks.2",
        ],
        [
            "1 Prairie Policy Center, County Tracker (2024).",
            "2 Federal Communications Commission, Challenge Process Overview (rev. 2023),",
            "https://www.fcc.gov/sites/default/files/bdc-challenge-",
        ],
        1,
    ) + page(
        [
            "A county clerk spent most of 2023 on the challenge process and none on the",
            "applications the challenges were meant to support.3",
        ],
        [
            "process-overview-2023.pdf (accessed January 14, 2025).",
            "3 Interview with a county clerk (Aug. 2, 2024).",
        ],
        2,
    )
    d = doc(text)
    assert numbers(d) == [1, 2, 3]
    assert [u.url for u in d.notes[1].urls] == [
        "https://www.fcc.gov/sites/default/files/bdc-challenge-process-overview-2023.pdf"
    ]
    assert [a.date for a in d.notes[1].accessed] == [dt.date(2025, 1, 14)]
    assert text_of(d, 3) == "Interview with a county clerk (Aug. 2, 2024)."


def test_continued_marks_are_not_note_text() -> None:
    text = page(
        ["The program began in 2021.1 It grew quickly in the first two years.2"],
        [
            "1 U.S. Gov't Accountability Off., GAO-23-105265, Broadband 22 (2023).",
            "2 For an overview of the programs, see Nat'l Telecomms. & Info. Admin., Notice",
            "(continued...)",
        ],
        1,
    ) + page(
        ["Counties with a planning office moved first.3"],
        [
            "of Funding Opportunity 31 (2022).",
            "3 Prairie Policy Center, County Tracker (2024).",
        ],
        2,
    )
    d = doc(text)
    assert numbers(d) == [1, 2, 3]
    assert text_of(d, 2).endswith("Notice of Funding Opportunity 31 (2022).")
    assert "continued" not in text_of(d, 2)


def test_glued_and_superscript_note_numbers_open_notes() -> None:
    text = page(
        ["The act passed in 2021.1 States wrote plans.² Counties waited.3"],
        [
            "1See Infrastructure Investment and Jobs Act, Pub. L. No. 117-58 (2021).",
            "² Kan. Office of Broadband Dev., Initial Proposal 12 (2023).",
            "3 42 U.S.C. § 1702 (2018).",
        ],
        1,
    ) + page(["Providers objected.4"], ["4 Id. § 1702(b)."], 2)
    d = doc(text)
    assert numbers(d) == [1, 2, 3, 4]
    assert text_of(d, 3) == "42 U.S.C. § 1702 (2018)."
    assert (d.notes[3].kind.value, d.notes[3].resolves_to) == ("id", 3)


def test_number_alone_on_its_line_opens_the_note_below() -> None:
    """pdftotext sets a raised footnote number on a line of its own."""
    text = page(
        ["The act passed in 2021.1 States wrote plans.2"],
        ["1", "Infrastructure Investment and Jobs Act (2021).", "2", "Id. § 60102."],
        1,
    ) + page(["Counties waited.3"], ["3", "Prairie Policy Center, County Tracker."], 2)
    d = doc(text)
    assert numbers(d) == [1, 2, 3]
    assert text_of(d, 1) == "Infrastructure Investment and Jobs Act (2021)."


def test_a_numbered_list_at_the_foot_of_a_page_is_not_footnotes() -> None:
    """Nothing in the body cites 1 and 2 in marker position: the list is body text."""
    text = page(
        ["Washington should:"],
        ["1. Fund two repair ships for the region.", "2. Adopt common reporting rules."],
        1,
    ) + page(["The ships take three years to build."], [], 2)
    d = doc(text)
    assert d.notes == ()


def test_an_endnotes_section_with_form_feeds_stays_endnotes() -> None:
    text = page(["Cables carry most traffic.1 Repairs take weeks.2"], [], 1) + (
        "\fNotes\n\n1. Atlas Project, Cable Incidents (2024).\n"
        "2. Lindqvist, Who Owns the Seabed Internet? (2022).\n\n2\n"
    )
    d = doc(text)
    assert numbers(d) == [1, 2]
    assert d.notes_heading is not None


def test_the_first_footnote_number_set_after_the_zone_is_given_back() -> None:
    """Plain pdftotext sometimes prints a page's first footnote number after its last
    footnote; the unnumbered text under the body is that note."""
    text = page(["Congress acted in 2021.1"], ["1 Pub. L. No. 117-58 (2021)."], 1) + page(
        [
            "The agency wrote rules.2 Counties applied late.3",
        ],
        [
            "Nat'l Telecomms. & Info. Admin., Notice of Funding Opportunity (2022).",
            "3 Prairie Policy Center, County Tracker (2024).",
            "2",
        ],
        2,
    )
    d = doc(text)
    assert numbers(d) == [1, 2, 3]
    assert text_of(d, 2).startswith("Nat'l Telecomms.")


def test_foot_number_shapes() -> None:
    assert foot_number("12 Id. at 5.") == 12
    assert foot_number("  7 See 42 U.S.C. § 1983.") == 7
    assert foot_number("3See Smith, Report.") == 3
    assert foot_number("¹² Smith, Report.") == 12
    assert foot_number("14 42 U.S.C. § 1983 (2018).") == 14
    assert foot_number("117th Congress, first session") is None
    assert foot_number("2021 was a difficult year") is None


def test_page_starts_ignore_a_final_form_feed() -> None:
    assert page_starts(["a", "\x0cb", "\x0c"]) == [0, 1]
    assert page_starts(["no", "form feeds"]) == []


def test_findings_name_their_page(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from citecheck.config import Config
    from citecheck.pipeline import check

    text = "".join(TWO_PAGES).replace("4 Id.", "4 Smith, supra note 9.")
    brief = tmp_path / "report.txt"
    brief.write_text(text, encoding="utf-8")
    report = check([str(brief)], Config(offline=True))
    paged = [f for f in report.findings if f.note == 4]
    assert paged and all(f.page == 2 for f in paged)


def test_a_blank_line_inside_a_zone_keeps_its_notes_for_the_markers_above() -> None:
    """pdftotext -layout leaves a blank line under a note's first line: the zone goes on,
    and a marker glued after a section number ("section 804.3") is that page's next note."""
    first = page(
        ["The agency relied on its own rule.1 It then cited the statute at",
         "FD&C Act section 804.2 Courts have read the provision narrowly."],
        ["1 Agency Rule, 89 Fed. Reg. 1000 (Jan. 2, 2024).", "",
         "2 21 U.S.C. § 384.", "       Id. at 12."],
        1,
    )
    second = page(
        ["Another provision appears at FD&C Act section 521.3 Subsection (a) of",
         "that section applies to devices."],
        ["3 21 U.S.C. § 360k(a).", "", "       See id."],
        2,
    )
    d = doc(first + second)
    assert numbers(d) == [1, 2, 3]
    assert marks(d) == [1, 2, 3]


def test_a_note_repeated_at_the_foot_of_two_pages_is_not_a_running_footer() -> None:
    """GAO sets a note's number alone on its line, its text under it; two notes citing the
    same statute end two pages with the same line. A running footer stands on most pages;
    a line at the foot of two of many is a note."""
    words = ["grants", "loans", "audits", "awards", "claims", "reports", "rules", "funds"]
    pages = []
    for k, word in enumerate(words, start=1):
        note = "Pub. L. No. 98-502." if k in (3, 6) else f"Agency Report on {word} (2005)."
        pages.append("\n".join([
            ("\f" if k > 1 else "") + "Grants Management Study",
            "",
            f"The office reviewed the {word} it made that year and reported on",
            f"the {word} to the committee, as the audit law required.{k}",
            "",
            f"   {k}",
            f"       {note}",
            "",
            f"Page {k}                                   GAO-06-1046 Grants Management",
            "",
        ]))
    d = doc("".join(pages))
    assert numbers(d) == list(range(1, 9))
    assert text_of(d, 3) == "Pub. L. No. 98-502."


def test_a_numbering_that_starts_over_in_an_appendix_takes_series_labels() -> None:
    """A GAO report's appendix numbers its footnotes from 1 again: in extracted text too,
    its notes and their markers are "2:1", "2:2"."""
    words = ["grants", "loans", "audits", "awards", "claims"]
    numbering = [[1], [2, 3], [4], [1], [2]]
    pages = []
    for k, (word, numbers_here) in enumerate(zip(words, numbering, strict=True), start=1):
        body = [f"The office reviewed the {word} it made that year and reported on",
                f"the {word} to the committee"
                + "".join(f", as the law required.{n} Then it checked them" for n in numbers_here)
                + "."]
        notes = [f"{n} Agency Report on {word}, part {n} (2005)." for n in numbers_here]
        pages.append(page(body, notes, k))
    d = doc("".join(pages))
    assert numbers(d) == [1, 2, 3, 4, "2:1", "2:2"]
    assert marks(d) == [1, 2, 3, 4, "2:1", "2:2"]


def test_times_in_a_footnote_do_not_read_as_prose_citing_notes() -> None:
    """"(Feb. 8, 2024, 2:02 PM)" in a law review's note is a time, not a marker glued
    after a colon: the zone is footnotes, not body text citing them."""
    first = page(
        ["Quinto was suffering from a mental health crisis.1 The family called for",
         "help.2 Officers pinned him down.3"],
        ["1 Andie Judson, What Is Excited Delirium and Why Is It the Cause of Death for Many",
         "Restrained by Police?, ABC10 (Feb. 8, 2024, 2:02 PM), https://www.example.com/b.",
         "2 Id.", "3 Id."],
        1,
    )
    second = page(["The coroner disagreed with the family.4"], ["4 Id. at 5."], 2)
    d = doc(first + second)
    assert numbers(d) == [1, 2, 3, 4]
    assert marks(d) == [1, 2, 3, 4]


def test_a_footer_padded_far_right_by_layout_mode_is_furniture() -> None:
    """pdftotext -layout pads a footer's page number to the right margin: the footer is
    still one short line repeated on every page, not a note's continuation."""
    pad = " " * 95
    pages = []
    for k, word in enumerate(["cables", "harbors", "ships", "ports"], start=1):
        pages.append("\n".join([
            ("\f" if k > 1 else "") + "Seabed Mining: Issues for Congress",
            "",
            f"The {word} were reviewed by the agency in its report on the subject.{k}",
            "",
            f"{k} Agency Report on {word} (2024), https://www.example.gov/{word}.",
            "",
            f"Congressional Research Service{pad}{k}",
            "",
        ]))
    d = doc("".join(pages))
    assert numbers(d) == [1, 2, 3, 4]
    assert all("Congressional" not in n.text for n in d.notes)


def test_a_note_continued_above_the_zone_keeps_a_url_broken_over_a_short_line() -> None:
    """The rest of a note carried to the next page is set above that page's zone, in lines
    longer than the body's; a long URL in it breaks after "CORRECTION-OF-" and goes on in
    a short line, which is still the note's (as is the line it goes on from)."""
    from citecheck.parse.footzones import _continuation

    body = [f"Line {k}: the boards reviewed the records of those separated and reported it."
            for k in range(30)]
    rest = [
        "Code,” September 20, 2011, at https://media.example.gov/2023/Sep/18/2003303089/-1/-1/0/"
        "CORRECTION-OF-",
        "MILITARY-RECORD-TITLE-10.PDF; Nathan Lowrey,",
        "Repealing the Policy; A Historical Perspective from the Joint Chiefs of Staff, Office of "
        "the Chairman of the",
        "Joint Chiefs of Staff, Special Historical Study 15, Washington, DC, 2021, and other "
        "studies of the same.",
    ]
    lines = [*body, "", *rest, "43 U.S. Department of Defense, Report on Reviews (2021)."]
    first = _continuation(lines, [False] * len(lines), 0, len(lines) - 1, "continued")
    assert first == len(body) + 1
