"""The PDF reader (issue 8): superscripts by size and rise, footnote zones, running heads,
link annotations, reading order, and one clear line for what cannot be read.

PDFs are typeset here with the same small typesetter as the fixtures (fixtures/pdfgen.py,
reportlab), so each test states the page it reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from citecheck.errors import InputError
from citecheck.model import Document
from citecheck.readers import read_document
from citecheck.readers.pdflayout import (
    Char,
    Line,
    Page,
    body_size,
    columns,
    lay_out,
    merge_fragments,
    render,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
sys.path.insert(0, str(FIXTURES))

from make_pdfs import FIXTURES as MADE  # noqa: E402
from make_pdfs import synthetic_report  # noqa: E402
from pdfgen import Block, Report, build  # noqa: E402


def pdf(tmp_path: Path, report: Report, name: str = "report.pdf") -> Document:
    path = tmp_path / name
    build(path, report)
    return read_document(str(path))


def small_report(**kw: object) -> Report:
    blocks = [
        Block("title", "Cable Repair in the Western Pacific"),
        Block("para", "Only four cable ships serve the region.{1} Each repair takes weeks, "
                      "and the 117th Congress funded none of them.{2} Japan has moved "
                      "furthest.{3}"),
    ]
    notes = {
        1: "Kestrel Research Group, Repair at Sea 14 (2023), https://www.kestrel.example.org/"
           "reports/repair-at-sea.pdf (accessed January 12, 2024).",
        2: "Id. at 19.",
        3: "Maritime Agency of Japan, Cable Security Guideline (2023).",
    }
    return Report(blocks, notes, header="Cable Repair | Center for Maritime Studies", **kw)


def test_superscript_markers_and_footnotes(tmp_path: Path) -> None:
    d = pdf(tmp_path, small_report())
    assert [n.number for n in d.notes] == [1, 2, 3]
    assert [m.number for m in d.markers] == [1, 2, 3]
    assert all(m.style == "sup" for m in d.markers)
    assert d.notes[0].urls[0].url == (
        "https://www.kestrel.example.org/reports/repair-at-sea.pdf"
    )
    assert (d.notes[1].kind.value, d.notes[1].resolves_to) == ("id", 1)
    assert d.format == "pdf" and d.pages == (1,)
    assert any("read as PDF" in s for s in d.seen)


def test_ordinals_and_years_are_not_markers(tmp_path: Path) -> None:
    d = pdf(tmp_path, small_report())
    line = d.text.split("\n")[d.markers[1].span.line - 1]
    assert "117th" in line
    assert {m.number for m in d.markers} == {1, 2, 3}


@pytest.mark.parametrize("name", sorted(MADE))
def test_committed_fixture_pdfs_match_their_generator(tmp_path: Path, name: str) -> None:
    """The PDFs in fixtures/ read as what fixtures/make_pdfs.py makes now: a change to one
    without the other fails here (compared as read, not byte for byte, so that another
    reportlab version writing the same pages passes)."""
    build(tmp_path / name, MADE[name]())
    made, committed = read_document(str(tmp_path / name)), read_document(str(FIXTURES / name))
    assert made.text == committed.text
    assert made.pages == committed.pages
    assert [(n.number, n.span) for n in made.notes] == [
        (n.number, n.span) for n in committed.notes
    ]


def test_note_continued_across_a_page_keeps_its_url(tmp_path: Path) -> None:
    d = read_document(str(FIXTURES / "pdf-footnotes.pdf"))
    nine = next(n for n in d.notes if n.number == 9)
    assert [u.url for u in nine.urls] == [
        "https://www.fcc.gov/sites/default/files/"
        "bdc-challenge-process-overview-for-local-governments-2023.pdf"
    ]
    # The note's text runs from one page to the next.
    first, last = d.page_of(nine.span.line), d.page_of(nine.end_line)
    assert first is not None and last is not None and last[0] == first[0] + 1


def test_running_heads_and_page_numbers_are_dropped(tmp_path: Path) -> None:
    d = read_document(str(FIXTURES / "pdf-footnotes.pdf"))
    lines = d.text.split("\n")
    assert not any(line.startswith("Last Mile, Last in Line |") for line in lines)
    assert not any(line.strip().isdigit() for line in lines)
    assert len(d.pages) == 4


def test_findings_carry_page_and_line() -> None:
    from citecheck.config import Config
    from citecheck.pipeline import check

    report = check([str(FIXTURES / "pdf-law-review.pdf")], Config(offline=True))
    r204 = [f for f in report.findings if f.code == "R204"]
    assert len(r204) == 1 and r204[0].page == 3 and r204[0].line > 1


def test_endnotes_section(tmp_path: Path) -> None:
    d = read_document(str(FIXTURES / "pdf-endnotes.pdf"))
    assert [n.number for n in d.notes] == list(range(1, 11))
    assert d.notes_heading is not None
    assert [a.date.isoformat() for a in d.notes[0].accessed if a.date] == ["2024-05-02"]


def test_law_review_plain_digit_footnotes(tmp_path: Path) -> None:
    d = read_document(str(FIXTURES / "pdf-law-review.pdf"))
    assert [n.number for n in d.notes] == list(range(1, 25))
    assert [m.number for m in d.markers] == list(range(1, 25))
    fourteen = next(n for n in d.notes if n.number == 14)
    assert fourteen.urls[0].url.endswith("ciraolo-riley-collection")


def test_link_annotation_completes_a_url_the_text_cuts(tmp_path: Path) -> None:
    """The footnote shows the URL cut short with an ellipsis; the link over it has it all."""
    from reportlab.pdfgen import canvas

    full = "https://www.kestrel.example.org/reports/2023/repair-at-sea-full-edition.pdf"
    shown = "https://www.kestrel.example.org/reports/2023/repair-at-sea\u2026"
    path = tmp_path / "cut.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    c.setFont("Times-Roman", 11)
    c.drawString(72, 700, "Only four cable ships serve the region.")
    t = c.beginText(72 + c.stringWidth("Only four cable ships serve the region.", "Times-Roman",
                                       11), 704)
    t.setFont("Times-Roman", 6.5)
    t.textOut("1")
    c.drawText(t)
    c.line(72, 130, 216, 130)
    t = c.beginText(72, 118)
    t.setFont("Times-Roman", 6.5)
    t.textOut("1")
    t.setFont("Times-Roman", 8.5)
    t.textOut(f" Kestrel Research Group, Repair at Sea (2023), {shown}")
    c.drawText(t)
    c.linkURL(full, (250, 112, 520, 124), relative=0)
    c.save()
    d = read_document(str(path))
    assert [n.number for n in d.notes] == [1]
    assert [u.url for u in d.notes[0].urls] == [full]


def test_fifty_pages_read_in_time(tmp_path: Path) -> None:
    """50 pages with 400 footnotes read whole (parse included) well inside the 2 s bar."""
    import time

    path = tmp_path / "long.pdf"
    build(path, synthetic_report(notes=400))
    start = time.process_time()
    d = read_document(str(path))
    elapsed = time.process_time() - start
    assert len(d.notes) == 400 and len(d.markers) == 400
    assert len(d.pages) >= 50
    assert elapsed < 4.0, f"{elapsed:.2f}s of CPU for {len(d.pages)} pages"


# Refusals: one clear line, exit 2.


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(72, 720, "A brief nobody can read without the password.")
    c.save()
    with pytest.raises(InputError, match="encrypted"):
        read_document(str(path))


def test_pdf_without_text_is_refused(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(72, 72, 400, 600, fill=1)  # a page image, as far as text goes
    c.save()
    with pytest.raises(InputError, match="no text layer"):
        read_document(str(path))


def test_broken_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage")
    with pytest.raises(InputError, match="not a readable PDF"):
        read_document(str(path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4\nnot really", "not a readable PDF"),
        (b"%PDF-", "not a readable PDF"),
    ],
)
def test_cli_says_one_line_and_exits_2(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    out = subprocess.run(
        [sys.executable, "-m", "citecheck", "--offline", str(path)],
        capture_output=True, text=True, check=False,
    )
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_text_path_does_not_import_the_pdf_library() -> None:
    code = (
        "import sys; from citecheck.cli import main; "
        f"main(['--offline', {str(FIXTURES / 'clean.txt')!r}]); "
        "print('pypdfium2' in sys.modules, 'citecheck.readers.pdf' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    assert out.stdout.strip().splitlines()[-1] == "False False"


# The layout, from positioned characters (no PDF library involved).


def chars(text: str, x: float, y: float, size: float, sup: str = "") -> list[Char]:
    """`text` on a baseline, then `sup` raised in a smaller size."""
    out = []
    for ch in text:
        out.append(Char(ch, x, y, size) if not ch.isspace() else Char(" ", 0, 0, 0))
        x += size * 0.5
    for ch in sup:
        out.append(Char(ch, x, y + size * 0.35, size * 0.6))
        x += size * 0.3
    return out


def line(text: str, y: float, size: float = 11.0, x: float = 72.0, sup: str = "") -> Line:
    ln = Line(chars(text, x, y, size, sup))
    ln.measure()
    return ln


def test_raised_small_digits_are_superscripts() -> None:
    ln = line("capacity.", 700, sup="12")
    ln.chars += chars(" Japan", ln.x1 + 8, 700, 11.0)
    ln.measure()
    render(ln)
    assert ln.text == "capacity.¹² Japan"


def test_digits_raised_inside_a_code_are_not_superscripts() -> None:
    ln = line("EP06AU", 700, sup="20")
    ln.chars += chars(".015", ln.x1 + 3, 700 + 11 * 0.35, 6.6)
    ln.measure()
    render(ln)
    assert "²⁰" not in ln.text


def test_a_footnote_number_at_the_start_of_its_line() -> None:
    ln = Line(chars("", 72, 100, 8.5, sup="7") + chars("Id. at 5.", 78, 100, 8.5))
    ln.measure()
    render(ln)
    assert (ln.lead_sup, ln.text) == ("7", "Id. at 5.")


def two_pages(footer: str = "Policy Brief | Maritime Center") -> list[Page]:
    pages = []
    for k in (1, 2):
        body = [line(f"Body text of page {k} cites a source.", 700, sup=str(k))]
        notes = [line(f"Source number {k}, Report (2023).", 100, 8.5, sup="")]
        notes[0].chars = chars("", 72, 100, 8.5, sup=str(k)) + notes[0].chars
        notes[0].measure()
        furniture = [line(footer, 40, 8.0), line(str(k), 30, 9.0)]
        pages.append(Page(612, 792, body + notes + furniture))
    return pages


def test_lay_out_drops_furniture_and_marks_zones() -> None:
    layout = lay_out(two_pages())
    lines = layout.text.split("\n")
    assert lines == [
        "Body text of page 1 cites a source.¹",
        "1 Source number 1, Report (2023).",
        "Body text of page 2 cites a source.²",
        "2 Source number 2, Report (2023).",
    ]
    assert layout.pages == [0, 2]
    assert layout.hints.zone == [False, True, False, True]
    assert layout.hints.starts == {1: 1, 3: 2}


def test_columns_split_at_the_gutter() -> None:
    left = [line(f"left column line {k}", 700 - 12 * k, x=72) for k in range(6)]
    right = [line(f"right column line {k}", 700 - 12 * k, x=320) for k in range(6)]
    cols = columns(left + right)
    assert [len(c) for c in cols] == [6, 6]
    assert cols[0][0].x0 < cols[1][0].x0


def test_a_footnote_number_the_library_set_on_a_line_of_its_own() -> None:
    """GAO reports raise a note's number a full x-height over its text: PDFium hands it
    over as a line of its own, which must still open the note."""
    label = Line([Char("3", 216, 103.5, 4.8)])
    label.measure()
    text = line("Pass-through grants are federal grants given to states.", 98.3, 7.8, x=218.8)
    merged = merge_fragments([label.chars, text.chars])
    assert len(merged) == 1
    render(merged[0])
    assert (merged[0].lead_sup, merged[0].text[:12]) == ("3", "Pass-through")


def test_a_chart_raising_digits_does_not_set_the_body_size() -> None:
    """Axis labels of a chart ("196⁵") are short lines with raised digits; the body's
    citing lines are long ones and set the body size."""
    body = [line(f"Long body text that cites a source, line {k}.", 700 - 14 * k, 9.6,
                 sup=str(k + 1)) for k in range(3)]
    axis = [line("196", 400 - 9 * k, 6.5, sup="5") for k in range(8)]
    pages = [Page(612, 792, body + axis)]
    for ln in body + axis:
        render(ln)
    assert body_size(pages) == 9.6


def test_a_link_underline_inside_the_notes_is_not_their_separator() -> None:
    """A link underlined in the first note draws a short rule with small type under it:
    an underline, not the separator."""
    body = [line(f"Body line {k} of the article cites sources.", 700 - 14 * k, sup=str(k + 1))
            for k in range(2)]
    notes = []
    for k, y in ((1, 140.0), (2, 128.0)):
        ln = Line(chars("", 72, y, 8.5, sup=str(k)) + chars(
            f"See https://www.example.org/source-{k} (last viewed 2 February 2017).",
            78, y, 8.5))
        ln.measure()
        notes.append(ln)
    rules = [(72.0, 200.0, 155.0), (96.0, 250.0, 138.5)]  # the separator, an underline
    layout = lay_out([Page(612, 792, body + notes, rules)])
    assert layout.hints.starts == {2: 1, 3: 2}


def test_a_marker_glued_to_the_next_word_after_punctuation() -> None:
    """Some PDFs draw no space after a superscript ("tem.⁷¹Similarly"): after punctuation
    the raised run is a marker, not digits inside a word."""
    ln = line("system.", 700, sup="71")
    ln.chars += chars("Similarly", ln.x1 + 4, 700, 11.0)
    ln.measure()
    render(ln)
    assert ln.text == "system.⁷¹Similarly"


def test_a_footnote_number_at_the_margin_with_its_text_indented() -> None:
    label = Line([Char("6", 72, 141.4, 5.9)])
    label.measure()
    text = line("'Artificial Intelligence And Corporate Legal Departments' (2021)", 137.2,
                9.1, x=96.1)
    merged = merge_fragments([label.chars, text.chars])
    render(merged[0])
    assert (len(merged), merged[0].lead_sup) == (1, "6")


def note_line(number: int, text: str, y: float, size: float = 8.5) -> Line:
    ln = Line(chars("", 72, y, size, sup=str(number)) + chars(text, 78, y, size))
    ln.measure()
    return ln


def test_a_numbering_that_starts_over_takes_series_labels() -> None:
    """GAO reports number the footnotes of each appendix from 1 again: the notes of the
    second numbering are "2:1", "2:2", and the markers above them cite those labels."""
    from citecheck.parse import parse
    from citecheck.readers.text import Source

    pages = []
    words = ("Cables", "Harbors", "Ships")
    for k, numbers in enumerate(([1, 2], [3], [1, 2]), start=1):
        body = [line(f"{words[k - 1]} {'and more ' * i}cite a source.", 600 - 14 * i,
                     sup=str(n)) for i, n in enumerate(numbers)]
        notes = [note_line(n, f"{words[k - 1]} source {'x' * n}, Report (2023).", 200 - 11 * i)
                 for i, n in enumerate(numbers)]
        pages.append(Page(612, 792, body + notes))
    layout = lay_out(pages)
    assert sorted(layout.hints.series.values()) == [2, 2]
    doc = parse(Source("gao.pdf", "pdf", layout.text), hints=layout.hints,
                pages=layout.pages, marker_forms=frozenset({"sup"}))
    assert [n.number for n in doc.notes] == [1, 2, 3, "2:1", "2:2"]
    assert [m.number for m in doc.markers] == [1, 2, 3, "2:1", "2:2"]


@pytest.mark.parametrize(
    ("before", "sup", "after"),
    [
        ("www.gao.gov/cgi-bin/getrpt?GAO-07-", "283", ""),  # a report number in an address
        ("February ", "2006", " BREASTFEEDING"),  # a cover's year set apart
        ("199", "8", ""),  # a chart's axis label, partly raised
    ],
)
def test_raised_digits_that_stand_where_no_marker_does(before: str, sup: str, after: str) -> None:
    ln = line(before, 700, sup=sup)
    if after:
        ln.chars += chars(after, ln.x1 + 8, 700, 11.0)
        ln.measure()
    render(ln)
    assert not any(ch in "⁰¹²³⁴⁵⁶⁷⁸⁹" for ch in ln.text)


def test_a_page_number_far_right_in_a_table_of_contents_is_no_marker() -> None:
    ln = line("Bibliography", 700, 14.0)
    ln.chars += [Char("4", 560, 705, 9.0), Char("1", 565, 705, 9.0)]
    ln.measure()
    render(ln)
    assert ln.text.endswith("41") or "⁴¹" not in ln.text


def test_an_appendix_set_smaller_than_the_chapters_keeps_its_footnotes() -> None:
    """The chapters in 12.5-point type and an appendix in 9.6: on the appendix's page, the
    footnotes are the lines set smaller than its own text."""
    chapter = [line(f"Chapter text set large, line {k}, cites a source.", 700 - 16 * k, 12.5,
                    sup=str(k + 1)) for k in range(4)]
    chapter_notes = [note_line(k + 1, f"Chapter source {k + 1} (2023).", 140 - 11 * k, 9.0)
                     for k in range(4)]
    heading = line("Appendix I: Scope and Methodology", 720, 14.0)
    appendix = [line(f"Appendix text set smaller, line {k}, cites a source.", 700 - 12 * k,
                     9.6, sup=str(k + 5)) for k in range(3)]
    appendix_notes = [note_line(k + 5, f"Appendix source {k + 5} (2023).", 140 - 10 * k, 7.8)
                      for k in range(3)]
    layout = lay_out([Page(612, 792, chapter + chapter_notes),
                      Page(612, 792, [heading, *appendix, *appendix_notes])])
    assert sorted(layout.hints.starts.values()) == [1, 2, 3, 4, 5, 6, 7]
    lines = layout.text.split("\n")
    in_zone = [t for t, z in zip(lines, layout.hints.zone, strict=True) if z]
    assert not any(t.startswith("Appendix text") for t in in_zone)


def test_footnotes_in_the_body_type_under_a_rule() -> None:
    """A court's typewriter-style opinion sets its footnotes in the body's own type, set
    apart by a short rule and opened by a raised number."""
    body = [line(f"The court considered each claim in turn, part {w}.", 700 - 14 * k, 12.0,
                 sup="1" if k == 2 else "") for k, w in enumerate(("one", "two", "three"))]
    note = Line(chars("", 108, 200, 12.0, sup="1") + chars("The claims were these.", 115,
                                                           200, 12.0))
    note.measure()
    rest = line("And they were many in number, and all of them failed.", 186, 12.0)
    layout = lay_out([Page(612, 792, [*body, note, rest], [(72.0, 216.0, 220.0)])])
    assert list(layout.hints.starts.values()) == [1]
    assert layout.hints.zone.count(True) == 2


def test_a_numbered_declaration_at_the_end_is_not_the_notes_of_a_pdf() -> None:
    """A declaration's numbered paragraphs end the document; its one footnote is the note."""
    from citecheck.parse import parse
    from citecheck.parse.pages import PageHints
    from citecheck.readers.text import Source

    text = "\n".join([
        "Counsel filed the motion under the rule.¹",
        "1 The rule allows it, Fed. R. App. P. 27.",
        "DECLARATION",
        "1. I am a licensed attorney in this State.",
        "2. I make this declaration in support of the motion.",
        "3. The attorneys responsible for the case are listed below.",
    ])
    hints = PageHints([False, True, False, False, False, False], {1: 1})
    doc = parse(Source("d.pdf", "pdf", text), hints=hints, pages=[0],
                marker_forms=frozenset({"sup"}))
    assert [n.number for n in doc.notes] == [1]
    assert [m.number for m in doc.markers] == [1]


def test_a_journal_page_number_in_a_wide_margin_is_furniture() -> None:
    """A 6 x 9 in journal page printed on letter paper: its number stands a sixth of the
    way up, under the footnotes, and must not end the footnote zone."""
    pages = []
    for k in (1, 2, 3):
        body = [line(f"Text of the essay on page {w} cites a case.", 600 - 14 * i, 11.7,
                     sup=str(k)) for i, w in enumerate(("one",)) ]
        notes = [note_line(k, f"Case number {'x' * k}, 102 B.U. L. Rev. 1 (2022).", 240, 10.1)]
        number = line(str(91 + k), 118.7, 11.7, x=301)
        pages.append(Page(612, 792, body + notes + [number]))
    layout = lay_out(pages)
    assert sorted(layout.hints.starts.values()) == [1, 2, 3]


def test_a_contents_page_in_small_type_is_not_a_footnote_zone() -> None:
    contents = [line(f"{k} Part {w} . . . . . . . . . . . . {1500 + k}", 300 - 12 * k, 7.4)
                for k, w in enumerate(("one", "two", "three"), start=1)]
    title = [line("EXCITED DELIRIUM AND THE LAW", 700, 12.0)]
    body = [line("The essay begins here and cites a source.", 600, 9.6, sup="1")]
    notes = [note_line(1, "See Source One, N.Y. TIMES (Jan. 24, 2022).", 150, 7.0)]
    layout = lay_out([Page(612, 792, title + contents), Page(612, 792, body + notes)])
    assert list(layout.hints.starts.values()) == [1]


def test_law_review_numbers_past_a_misprint() -> None:
    """"4. Id." where note 2 is due, then "3.", "4.": the first is a misprint of 2; the
    notes after it go on."""
    body = [line(f"The text cites note {w} here.", 600 - 14 * i, 11.7, sup=str(i + 1))
            for i, w in enumerate(("one", "two", "three", "four", "five"))]
    labels = ["1. Ruth Obrien, Crippled Justice 176 (2001).", "4. Id.",
              "3. Reasonable Accommodations, ADA Nat'l Network.", "4. 42 U.S.C. § 12111.",
              "5. 42 U.S.C. § 4151."]
    notes = [line(t, 220 - 10 * i, 9.3, x=157) for i, t in enumerate(labels)]
    layout = lay_out([Page(612, 792, body + notes)])
    assert sorted(layout.hints.starts.values()) == [1, 2, 3, 4, 5]
