"""Word files: real footnotes and endnotes, numbering as Word shows it, links, typed notes,
and files that are not readable Word documents (one line, exit 2)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from readerhelp import build_docx, report, run


def _notes(doc: dict) -> list[tuple]:
    return [(n["number"], n["line"], n["kind"], n["urls"]) for n in doc["notes"]]


def test_endnotes_are_roman_unless_the_document_says_decimal(tmp_path: Path) -> None:
    body = [["Claim.", ("en", 5), " Claim.", ("en", 2)]]
    notes = {5: [["Smith, Ports, 2020."]], 2: [["Ibid."]]}
    _, doc = report(build_docx(tmp_path / "roman.docx", body=body, endnotes=notes))
    assert [(n[0], n[2]) for n in _notes(doc)] == [("i", "full"), ("ii", "ibid")]
    _, doc = report(build_docx(tmp_path / "decimal.docx", body=body, endnotes=notes,
                               endnote_format="decimal"))
    assert [(n[0], n[2]) for n in _notes(doc)] == [(1, "full"), (2, "ibid")]
    assert [(m["number"], m["line"], m["column"]) for m in doc["markers"]] == [
        (1, 1, 7), (2, 1, 15)]


def test_footnote_ids_are_not_numbers_and_unreferenced_notes_are_skipped(tmp_path: Path) -> None:
    body = [["One.", ("fn", 9)], ["Two.", ("fn", 3)]]
    notes = {3: [["Lee, Docks, 2021."]], 9: [["Smith, Ports, 2020."]], 4: [["Orphan."]]}
    _, doc = report(build_docx(tmp_path / "ids.docx", body=body, footnotes=notes))
    assert [(n["number"], n["text"].strip()) for n in doc["notes"]] == [
        (1, "Smith, Ports, 2020."), (2, "Lee, Docks, 2021.")]
    assert "never referenced" in " ".join(doc["seen"])


def test_links_from_relationships_fields_and_text(tmp_path: Path) -> None:
    body = [["Claim.", ("fn", 1)], ["See ", ("link", "our site", "https://body.example.org/")]]
    notes = {1: [["Smith, ", ("link", "Ports", "https://ports.example.org/a"), "; Lee, ",
                  ("field", "Docks", "https://docks.example.org/b"),
                  ", https://text.example.org/c (accessed May 5, 2024)."]]}
    _, doc = report(build_docx(tmp_path / "links.docx", body=body, footnotes=notes))
    assert doc["notes"][0]["urls"] == [
        "https://ports.example.org/a", "https://docks.example.org/b", "https://text.example.org/c"]
    assert doc["notes"][0]["accessed"] == ["2024-05-05"]
    assert doc["unit"] == "paragraph"


def test_custom_marks_keep_the_numbering(tmp_path: Path) -> None:
    body = [["Title", ("custom", 5, "†")], ["Claim.", ("fn", 2)]]
    notes = {5: [["The author thanks her editors."]], 2: [["Smith, Ports, 2020."]]}
    _, doc = report(build_docx(tmp_path / "custom.docx", body=body, footnotes=notes))
    assert [n["number"] for n in doc["notes"]] == ["†", 1]
    assert [m["number"] for m in doc["markers"]] == ["†", 1]


def test_typed_notes_with_superscript_runs(tmp_path: Path) -> None:
    body = [["Claim one.", ("sup", "1"), " Claim two.", ("sup", "2")], ["Notes"],
            ["1. Smith, ", ("link", "Ports", "https://ports.example.org/a"), ", 2020."],
            ["2. Ibid."]]
    _, doc = report(build_docx(tmp_path / "typed.docx", body=body))
    assert _notes(doc) == [(1, 3, "full", ["https://ports.example.org/a"]), (2, 4, "ibid", [])]
    assert [(m["number"], m["line"]) for m in doc["markers"]] == [(1, 1), (2, 1)]


def test_a_word_file_without_notes_is_told_so(tmp_path: Path) -> None:
    code, doc = report(build_docx(tmp_path / "plain.docx", body=[["A letter."]]))
    assert (code, [f["code"] for f in doc["findings"]]) == (0, ["N106"])


def test_files_that_are_not_readable_word_documents(tmp_path: Path) -> None:
    ole = tmp_path / "locked.docx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    damaged = tmp_path / "cut.docx"
    good = build_docx(tmp_path / "good.docx", body=[["A."]]).read_bytes()
    damaged.write_bytes(good[: len(good) // 2])
    other = tmp_path / "sheet.docx"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    bad_xml = tmp_path / "badxml.docx"
    with zipfile.ZipFile(bad_xml, "w") as zf:
        zf.writestr("word/document.xml", "<w:document><w:body>")
    for path, words in ((ole, "password-protected"), (damaged, "damaged"),
                        (other, "not a Word document"), (bad_xml, "not well-formed")):
        code, _out, err = run(["--offline", str(path)])
        assert code == 2, path.name
        assert err.count("\n") == 1 and words in err and "Traceback" not in err, err


def test_a_reference_deleted_in_tracked_changes_is_not_counted(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "tracked.docx", body=[["One.", ("fn", 1), " Two.", ("fn", 2)]],
                      footnotes={1: [["Smith."]], 2: [["Lee."]], 3: [["Deleted note."]]})
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    deleted = ('<w:del w:id="9" w:author="Editor"><w:r><w:footnoteReference w:id="3"/></w:r>'
               "</w:del>")
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b'<w:r><w:t xml:space="preserve"> Two.</w:t></w:r>',
        deleted.encode() + b'<w:r><w:t xml:space="preserve"> Two.</w:t></w:r>')
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    _, doc = report(path)
    assert [(n["number"], n["text"]) for n in doc["notes"]] == [(1, "Smith."), (2, "Lee.")]
    assert [m["number"] for m in doc["markers"]] == [1, 2]


def test_footnotes_that_nothing_in_the_body_cites(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "orphans.docx", body=[["Text with no references."]],
                      footnotes={1: [["Smith, Ports, 2020."]], 2: [["Ibid."]]})
    code, doc = report(path)
    n107 = next(f for f in doc["findings"] if f["code"] == "N107")
    assert code == 1 and "word/footnotes.xml holds 2 footnotes" in n107["message"]
