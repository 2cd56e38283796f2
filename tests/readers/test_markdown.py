"""Markdown beyond [^n]: static-site <sup> notes, markup masked line for line."""

from __future__ import annotations

from pathlib import Path

from readerhelp import codes, report, write

from citecheck.readers.markdown import mask


def _notes(doc: dict) -> list[tuple]:
    return [(n["number"], n["line"], n["kind"], n["urls"]) for n in doc["notes"]]


def _markers(doc: dict) -> list[tuple]:
    return [(m["number"], m["line"], m["column"]) for m in doc["markers"]]


def test_masking_keeps_every_line_and_column() -> None:
    text = ('---\ntitle: "x"\n---\nA claim.<sup>1</sup> More <a href="https://a.example.org/p">'
            "here</a>.\n\n<sup>1</sup> Smith, 2020.\n")
    masked, _ = mask(text)
    assert len(masked.split("\n")) == len(text.split("\n"))
    for got, want in zip(masked.split("\n"), text.split("\n"), strict=True):
        assert len(got) == len(want) or not got or got == "Notes"  # (a heading it adds)
    line = masked.split("\n")[3]
    assert line.index("¹") == text.split("\n")[3].index("<sup>")
    assert line.index("https://") == text.split("\n")[3].index("https://")


def test_footnote_labels_still_read(tmp_path: Path) -> None:
    text = "A claim.[^a] Another.[^2]\n\n[^a]: Smith, *Ports*, 2020.\n[^2]: Ibid.\n"
    _, doc = report(write(tmp_path, "labels.md", text))
    assert _notes(doc) == [("a", 3, "full", []), (2, 4, "ibid", [])]
    assert codes(doc) == []


def test_a_hard_wrapped_marker_at_a_line_start_stays_a_marker(tmp_path: Path) -> None:
    text = ("The first claim is long enough that the editor wrapped it right before the marker\n"
            "<sup>1</sup> and the sentence goes on.\n\n## Notes\n\n<sup>1</sup> Smith, 2020.\n")
    _, doc = report(write(tmp_path, "wrap.md", text))
    assert _markers(doc) == [(1, 2, 1)]
    assert _notes(doc) == [(1, 6, "full", [])]


def test_code_comments_and_html_blocks_are_not_read(tmp_path: Path) -> None:
    text = ("Claim.<sup>1</sup>\n\n<!-- a draft note:\n<sup>2</sup> not here\n-->\n"
            "<script>\nvar x = '<sup>3</sup>';\n</script>\n\n    indented prose\n\n"
            "~~~\n<sup>4</sup>\n~~~\n\n**Notes**\n\n<sup>1</sup> Smith, Ports, 2020, "
            "https://ports.example.org/.\n")
    _, doc = report(write(tmp_path, "skip.md", text))
    assert _markers(doc) == [(1, 1, 7)]
    assert _notes(doc) == [(1, 18, "full", ["https://ports.example.org/"])]


def test_reference_links_and_schemeless_urls_in_notes(tmp_path: Path) -> None:
    text = ("Claim.<sup>1</sup> Claim.<sup>2</sup>\n\n### Endnotes\n\n"
            "<sup>1</sup> Smith, [the report][r1], accessed May 5, 2024.\n"
            "<sup>2</sup> Lee, perma.cc/ABCD-1234; www.docks.example.org/report.\n\n"
            "[r1]: https://ports.example.org/report \"Report\"\n")
    _, doc = report(write(tmp_path, "refs.md", text))
    assert _notes(doc) == [
        (1, 5, "full", ["https://ports.example.org/report"]),
        (2, 6, "full", ["https://perma.cc/ABCD-1234", "http://www.docks.example.org/report"]),
    ]


def test_toml_front_matter_and_markdown_link_markers(tmp_path: Path) -> None:
    text = ('+++\ntitle = "Bridges"\ndate = 2024-05-01\n+++\n\nClaim.[1](#fn1) Claim.[2](#fn2)\n'
            "\n## Notes\n\n1. Smith, 2020.\n2. Lee, 2021.\n")
    _, doc = report(write(tmp_path, "hugo.md", text))
    assert _markers(doc) == [(1, 6, 7), (2, 6, 23)]
    assert [n[0] for n in _notes(doc)] == [1, 2]


def test_sup_markers_without_notes_are_an_error(tmp_path: Path) -> None:
    text = "Claim.<sup>1</sup> Claim.<sup>2</sup>\n\nThe notes are on another page.\n"
    code, doc = report(write(tmp_path, "cut.md", text))
    assert code == 1
    [n107] = [f for f in doc["findings"] if f["code"] == "N107"]
    assert n107["message"].startswith("read as Markdown")


def test_footnote_definitions_anywhere_with_lazy_lines(tmp_path: Path) -> None:
    """Blogs put each definition after the paragraph that cites it; a definition runs on
    over its unindented next line; `[^name]:` in mid-sentence is a marker and a colon."""
    text = ("Keyword generics[^kg] are new.\n\n[^kg]: R. Lee, \"Generics,\" 2015.\n"
            "https://blog.example.org/generics (accessed Apr. 6, 2022).\n\n"
            'We call it "generics" [^name]: the ability to be generic.\n\n'
            "[^name]: A longer name was tried.\n\n    A second paragraph of the note.\n\n"
            "Later text, not the note.\n")
    _, doc = report(write(tmp_path, "blog.md", text))
    assert [(n["number"], n["line"], n["urls"], n["accessed"]) for n in doc["notes"]] == [
        ("kg", 3, ["https://blog.example.org/generics"], ["2022-04-06"]),
        ("name", 8, [], []),
    ]
    assert "second paragraph" in doc["notes"][1]["text"]
    assert "Later text" not in doc["notes"][1]["text"]
    assert _markers(doc) == [("kg", 1, 17), ("name", 6, 23)]
    assert codes(doc) == []


def test_notes_in_a_table_and_cross_references_that_are_not_markers(tmp_path: Path) -> None:
    text = ("Under section [401] of the Act, and Table [2], states may act.\n\n# Footnotes\n\n"
            "| 1. | See Smith v. Jones, 197 U.S. 11 (1905). |\n| --- | --- |\n"
            "| 2. | Id. at 25; https://law.example.gov/case. |\n")
    _, doc = report(write(tmp_path, "table.md", text))
    assert _notes(doc) == [(1, 5, "full", []), (2, 7, "id", ["https://law.example.gov/case"])]
    assert doc["markers"] == []
    assert "N107" in codes(doc)  # notes, but no marker cites them


def test_notes_as_an_html_ordered_list(tmp_path: Path) -> None:
    text = ("Claim one.<sup>1</sup> Claim two.<sup>2</sup>\n\n## Notes\n\n<ol start=\"1\">\n"
            '<li id="fn1">Smith, *Ports*, 2020, https://a.example.org/x.</li>\n'
            '<li id="fn2">Ibid.</li>\n</ol>\n')
    _, doc = report(write(tmp_path, "ol.md", text))
    assert _notes(doc) == [(1, 6, "full", ["https://a.example.org/x"]), (2, 7, "ibid", [])]
