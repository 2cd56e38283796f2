"""HTML shapes other publishing tools write (beyond the three fixtures): each is read for
its notes, markers, URLs and access dates, at the source file's lines and columns."""

from __future__ import annotations

from pathlib import Path

from readerhelp import codes, report, write

PAGE = "<!DOCTYPE html>\n<html><body>\n{}\n</body></html>\n"


def _notes(doc: dict) -> list[tuple]:
    return [(n["number"], n["kind"], n["urls"], n["accessed"]) for n in doc["notes"]]


def _markers(doc: dict) -> list[tuple]:
    return [(m["number"], m["line"], m["column"]) for m in doc["markers"]]


def test_word_html_footnotes_by_anchor_name(tmp_path: Path) -> None:
    """Word's "save as web page": markers and notes are <a name> anchors, notes in divs."""
    body = (
        '<p class=MsoNormal>Ports grew.<a style=\'mso-footnote-id:ftn1\' href="#_ftn1" '
        'name="_ftnref1" title=""><span class=MsoFootnoteReference>[1]</span></a> They '
        'shrank.<a href="#_ftn2" name="_ftnref2"><span class=MsoFootnoteReference>[2]</span>'
        '</a></p>\n<div style=\'mso-element:footnote-list\'><hr align=left size=1 width="33%">\n'
        "<div style='mso-element:footnote' id=ftn1>\n<p class=MsoFootnoteText><a "
        'href="#_ftnref1" name="_ftn1" title=""><span class=MsoFootnoteReference>[1]</span>'
        "</a> Smith, <i>Ports</i> (2020), https://ports.example.org/a, accessed May 5, 2024.</p>"
        "\n</div>\n<div style='mso-element:footnote' id=ftn2>\n<p class=MsoFootnoteText><a "
        'href="#_ftnref2" name="_ftn2"><span class=MsoFootnoteReference>[2]</span></a> '
        "Ibid., 4.</p>\n</div></div>"
    )
    _, doc = report(write(tmp_path, "word.htm", PAGE.format(body)))
    assert _notes(doc) == [
        (1, "full", ["https://ports.example.org/a"], ["2024-05-05"]),
        (2, "ibid", [], []),
    ]
    assert [(n, line) for n, line, _ in _markers(doc)] == [(1, 3), (2, 3)]
    assert doc["notes"][0]["line"] == 6  # where the note's text begins
    assert codes(doc) == []


def test_google_docs_footnotes(tmp_path: Path) -> None:
    body = (
        '<p><span>Claim one.</span><sup><a href="#ftnt1" id="ftnt_ref1">[1]</a></sup></p>\n'
        '<hr>\n<div><p><a href="#ftnt_ref1" id="ftnt1">[1]</a><span>&nbsp;Lee, '
        '&ldquo;Docks,&rdquo; 2021, </span><span><a href="https://www.google.com/url?q=https://'
        'docks.example.org/&amp;sa=D">https://docks.example.org/</a></span></p></div>'
    )
    _, doc = report(write(tmp_path, "gdoc.html", PAGE.format(body)))
    assert _notes(doc) == [
        (1, "full", ["https://www.google.com/url?q=https://docks.example.org/&sa=D"], [])]
    assert _markers(doc) == [(1, 3, 27)]


def test_substack_footnote_divs(tmp_path: Path) -> None:
    body = (
        '<p>Claim.<a class="footnote-anchor" id="footnote-anchor-1" href="#footnote-1">1</a>'
        '</p>\n<div class="footnote"><a id="footnote-1" href="#footnote-anchor-1" '
        'class="footnote-number">1</a><div class="footnote-content"><p>Smith, Ports, 2020, '
        '<a href="https://ports.example.org/b">link</a>.</p></div></div>'
    )
    _, doc = report(write(tmp_path, "post.html", PAGE.format(body)))
    assert _notes(doc) == [(1, "full", ["https://ports.example.org/b"], [])]
    assert _markers(doc) == [(1, 3, 10)]


def test_parsoid_wikipedia_links_carry_the_page_name(tmp_path: Path) -> None:
    """Wikipedia's REST HTML links markers as ./Title#cite_note-N."""
    body = (
        '<p>Fact.<sup class="mw-ref reference" id="cite_ref-1" typeof="mw:Extension/ref">'
        '<a href="./Harlan_Bridge#cite_note-1"><span class="mw-reflink-text">[1]</span></a>'
        '</sup></p>\n<ol class="mw-references references"><li about="#cite_note-1" '
        'id="cite_note-1"><span class="mw-cite-backlink" rel="mw:referencedBy"><a href='
        '"./Harlan_Bridge#cite_ref-1">↑</a></span> <span class="mw-reference-text">'
        '<a rel="mw:ExtLink" class="external text" href="https://bridges.example.org/h">'
        "Harlan</a>. Retrieved 5 May 2014.</span></li></ol>"
    )
    _, doc = report(write(tmp_path, "parsoid.html", PAGE.format(body)))
    assert _notes(doc) == [(1, "full", ["https://bridges.example.org/h"], ["2014-05-05"])]
    assert _markers(doc) == [(1, 3, 9)]


def test_epub_aside_notes_and_unclosed_list_items(tmp_path: Path) -> None:
    body = (
        '<p>One.<a epub:type="noteref" href="#n1">1</a> Two.<a epub:type="noteref" '
        'href="#n2">2</a></p>\n<aside epub:type="footnote" id="n1"><p>Smith, Ports, 2020.</p>'
        '</aside>\n<aside epub:type="footnote" id="n2"><p>Id. at 4.</p></aside>'
    )
    _, doc = report(write(tmp_path, "book.xhtml", PAGE.format(body)))
    assert _notes(doc) == [(1, "full", [], []), (2, "id", [], [])]
    body = (
        '<p>One.<sup><a href="#fn1">1</a></sup> Two.<sup><a href="#fn2">2</a></sup></p>\n'
        '<ol><li id="fn1">Smith, Ports, 2020.\n<li id="fn2">Ibid.</ol>'
    )
    _, doc = report(write(tmp_path, "old.html", PAGE.format(body)))
    assert _notes(doc) == [(1, "full", [], []), (2, "ibid", [], [])]


def test_typed_notes_under_a_heading_with_sup_markers(tmp_path: Path) -> None:
    """A CMS page: <sup>N</sup> markers with no links, notes as a list under "Endnotes"."""
    body = (
        "<p>Claim one.<sup>1</sup> Claim two.<sup>2</sup> Area: 5 km<sup>2</sup>; "
        "10<sup>6</sup> people.</p>\n<h2>Endnotes</h2>\n<ol>\n<li>Smith, <em>Ports</em>, "
        "2020, <a href='https://ports.example.org/c'>here</a>, accessed\n May 5, 2024.</li>\n"
        "<li>Ibid.</li>\n</ol>\n<h2>About us</h2><p>We are 1<sup>st</sup>.</p>"
    )
    _, doc = report(write(tmp_path, "cms.html", PAGE.format(body)))
    assert _notes(doc) == [
        (1, "full", ["https://ports.example.org/c"], ["2024-05-05"]),
        (2, "ibid", [], []),
    ]
    assert _markers(doc) == [(1, 3, 14), (2, 3, 37)]
    assert codes(doc) == []


def test_typed_notes_as_paragraphs_starting_with_a_number(tmp_path: Path) -> None:
    body = (
        "<p>Claim one.<sup>1</sup> Claim two.<sup>2</sup></p>\n<p><strong>Notes</strong></p>\n"
        "<p><sup>1</sup> Smith, Ports, 2020.</p>\n<p>2. Lee, Docks, 2021,\n"
        "https://docks.example.org/d.</p>"
    )
    _, doc = report(write(tmp_path, "notes.html", PAGE.format(body)))
    assert _notes(doc) == [(1, "full", [], []), (2, "full", ["https://docks.example.org/d"], [])]


def test_markers_without_notes_never_pass_silently(tmp_path: Path) -> None:
    body = "\n".join(f"<p>Claim {n}.<sup>{n}</sup></p>" for n in range(1, 80))
    code, doc = report(write(tmp_path, "cut.html", PAGE.format(body)))
    assert code == 1
    [n107] = [f for f in doc["findings"] if f["code"] == "N107"]
    assert n107["severity"] == "error"
    assert "read as HTML" in n107["message"] and "79 <sup> markers" in n107["message"]
    assert n107["line"] == 3


def test_notes_without_markers_are_reported(tmp_path: Path) -> None:
    body = ('<p>Claims with no markers.</p>\n<section class="footnotes" role="doc-endnotes">'
            '<ol><li id="fn1">Smith, Ports, 2020.</li><li id="fn2">Ibid.</li></ol></section>')
    code, doc = report(write(tmp_path, "lost.html", PAGE.format(body)))
    assert code == 1 and "N107" in codes(doc)


def test_a_page_without_notes_is_only_told_so(tmp_path: Path) -> None:
    body = "<p>A press release with no notes, and a link to <a href='https://x.example.org/'>us</a>.</p>"
    code, doc = report(write(tmp_path, "plain.html", PAGE.format(body)))
    assert (code, codes(doc)) == (0, ["N106"])


def test_script_style_nav_and_footer_are_not_read(tmp_path: Path) -> None:
    body = (
        "<nav><p>Menu<sup>1</sup></p></nav><script>var s = '<sup>2</sup>';</script>\n"
        "<style>sup:after{content:'3'}</style><footer><p>&copy; 2024<sup>4</sup></p></footer>"
        "\n<p>Plain text.</p>"
    )
    code, doc = report(write(tmp_path, "furniture.html", PAGE.format(body)))
    assert (code, doc["markers"], codes(doc)) == (0, [], ["N106"])


def test_legacy_encoding_and_crlf_line_ends(tmp_path: Path) -> None:
    page = ('<html><head><meta charset="windows-1252"></head><body>\r\n<p>Café claim.'
            '<sup><a href="#fn1">1</a></sup></p>\r\n<ol><li id="fn1">“Ports,” 2020.</li>'
            "</ol></body></html>").encode("cp1252")
    path = tmp_path / "legacy.html"
    path.write_bytes(page)
    _, doc = report(path)
    assert _markers(doc) == [(1, 2, 15)]
    assert doc["notes"][0]["line"] == 3


def test_a_notes_box_of_paragraphs_and_bracket_markers(tmp_path: Path) -> None:
    body = ('<p>Claim one.[1] Claim two.[2]</p>\n<div class="endnotes">\n'
            "<p>[1] Smith, Ports, 2020, https://a.example.org/x.</p>\n<p>[2] Ibid.</p>\n</div>")
    _, doc = report(write(tmp_path, "brackets.html", PAGE.format(body)))
    assert _notes(doc) == [(1, "full", ["https://a.example.org/x"], []), (2, "ibid", [], [])]
    assert _markers(doc) == [(1, 3, 14), (2, 3, 28)]


def test_bracket_markers_without_notes_are_reported(tmp_path: Path) -> None:
    body = "<p>Claim one.[1] Claim two.[2] Claim three.[3]</p>"
    code, doc = report(write(tmp_path, "cut.html", PAGE.format(body)))
    assert code == 1 and "N107" in codes(doc)


def test_an_unexpected_reader_failure_is_one_line(tmp_path: Path, monkeypatch) -> None:
    from readerhelp import run

    import citecheck.readers.html as html_reader

    def broken(name: str, data: bytes) -> None:
        raise ValueError("unexpected shape")

    monkeypatch.setattr(html_reader, "read", broken)
    code, _out, err = run(["--offline", str(write(tmp_path, "p.html", PAGE.format("<p>x</p>")))])
    assert code == 2 and err.count("\n") == 1 and "ValueError: unexpected shape" in err


def test_a_typed_list_of_paragraph_items_ends_with_the_list(tmp_path: Path) -> None:
    body = ("<p>Claim one.<sup>1</sup> Claim two.<sup>2</sup></p>\n<h2>Notes</h2>\n<ol>\n"
            "<li><p>Smith, Ports, 2020,</p><p>continued, https://a.example.org/x.</p></li>\n"
            "<li><p>Ibid.</p></li>\n</ol>\n<p>Jane Doe is a fellow, see https://b.example.org/.</p>")
    _, doc = report(write(tmp_path, "cms2.html", PAGE.format(body)))
    assert _notes(doc) == [(1, "full", ["https://a.example.org/x"], []), (2, "ibid", [], [])]


def test_parsoid_reference_lists_with_a_named_group_and_autonumber_links(tmp_path: Path) -> None:
    """Wikipedia's Parsoid HTML (the REST API's page/html): markers link to './Page#cite_note-…'
    with the group written out ("[lower-alpha 1]", which the style sheet shows as "a"), and
    a bare external link is an empty <a class="external autonumber"> that still cites."""
    body = (
        '<p>Ports grew.<sup class="mw-ref" id="cite_ref-1" typeof="mw:Extension/ref">'
        '<a href="./Ports#cite_note-1"><span class="mw-reflink-text">[1]</span></a></sup> '
        'Not all of them.<sup class="mw-ref" id="cite_ref-2" typeof="mw:Extension/ref">'
        '<a href="./Ports#cite_note-2" data-mw-group="lower-alpha">'
        '<span class="mw-reflink-text">[lower-alpha 1]</span></a></sup></p>\n'
        '<div class="mw-references-wrap"><ol class="mw-references references" '
        'data-mw-group="lower-alpha">\n<li about="#cite_note-2" id="cite_note-2">'
        '<a href="./Ports#cite_ref-2" rel="mw:referencedBy"><span class="mw-linkback-text">'
        '↑ </span></a> <span class="mw-reference-text">Harbors are counted apart.</span></li>'
        '\n</ol></div>\n<div class="mw-references-wrap"><ol class="mw-references references">\n'
        '<li about="#cite_note-1" id="cite_note-1"><a href="./Ports#cite_ref-1" '
        'rel="mw:referencedBy"><span class="mw-linkback-text">↑ </span></a> '
        '<span class="mw-reference-text"><a rel="mw:ExtLink" '
        'href="https://stats.example.gov/ports.html" class="external autonumber"></a> '
        '<a rel="mw:WikiLink" href="./Port_Authority">Port Authority</a>: "Ports, 2010".'
        '</span></li>\n</ol></div>'
    )
    _, doc = report(write(tmp_path, "ports.html", PAGE.format(body)))
    assert sorted(str(n["number"]) for n in doc["notes"]) == ["1", "lower-alpha 1"]
    urls = {str(n["number"]): n["urls"] for n in doc["notes"]}
    assert urls["1"] == ["https://stats.example.gov/ports.html"]
    assert sorted(str(m["number"]) for m in doc["markers"]) == ["1", "lower-alpha 1"]


def test_wordpress_modern_footnotes_tooltips(tmp_path: Path) -> None:
    """Law reviews on WordPress ("Modern Footnotes"): each marker is a <sup> whose link goes
    nowhere, and its note is the tooltip <span> right after it."""
    body = (
        '<p>Courts excluded the evidence.<sup class="modern-footnotes-footnote" data-mfn="1">'
        '<a href="javascript:void(0)" role="button" aria-describedby="mfn-content-7-1">1</a>'
        '</sup><span id="mfn-content-7-1" role="tooltip" class="modern-footnotes-footnote__note"'
        ' data-mfn="1">Mapp v. Ohio, 367 U.S. 643 (1961).</span> Then they stopped.'
        '<sup class="modern-footnotes-footnote" data-mfn="2"><a href="javascript:void(0)" '
        'role="button">2</a></sup><span id="mfn-content-7-2" role="tooltip" '
        'class="modern-footnotes-footnote__note" data-mfn="2">See Hudson, '
        'https://law.example.edu/hudson [https://perma.cc/AB12-CD34].</span></p>'
    )
    _, doc = report(write(tmp_path, "mlr.html", PAGE.format(body)))
    assert [(n["number"], n["urls"]) for n in doc["notes"]] == [
        (1, []),
        (2, ["https://law.example.edu/hudson", "https://perma.cc/AB12-CD34"]),
    ]
    assert [m["number"] for m in doc["markers"]] == [1, 2]


def test_a_see_footnotes_button_is_no_marker(tmp_path: Path) -> None:
    body = (
        '<p>Police arrived.<sup id="footnote-1" class="footnote-item"><a class="js-footnote-item"'
        ' href="#footnote-ref-1">1</a></sup></p>\n'
        '<a class="wp-block-button__link js-see-footnotes-cta" href="#footnotes-container">'
        'See Footnotes</a>\n<details><span id="footnotes-container"></span><ol>'
        '<li id="footnote-ref-1"><a href="#footnote-1">^</a> Id. at 4.</li></ol></details>'
    )
    _, doc = report(write(tmp_path, "hlr.html", PAGE.format(body)))
    assert [n["number"] for n in doc["notes"]] == [1]
    assert [m["number"] for m in doc["markers"]] == [1]


def test_the_dot_after_a_list_numbers_note_is_not_its_text(tmp_path: Path) -> None:
    """A law review's list writes each note as ".\u2002<em>Id.</em> at 112." (the <ol>
    shows the number, the dot and an en space follow it): the note is an Id."""
    body = (
        '<p>Courts gainsay it.<sup><a id="r1" href="#n1">[1]</a></sup> They did.<sup>'
        '<a id="r2" href="#n2">[2]</a></sup></p>\n<ol>\n<li id="n1">.\u2002<em>See </em>Mohawk'
        ' Indus., Inc. v. Carpenter, 558 U.S. 100, 112 (2009). <a href="#r1">↑</a></li>\n'
        '<li id="n2">.\u2002<em>Id.</em> at 112. <a href="#r2">↑</a></li>\n</ol>'
    )
    _, doc = report(write(tmp_path, "tlr.html", PAGE.format(body)))
    assert [(n["number"], n["kind"]) for n in doc["notes"]] == [(1, "full"), (2, "id")]
