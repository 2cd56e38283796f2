"""Never a silent pass (N107): a document whose markers cite notes that were not read, or
whose notes nothing cites, fails the gate with what the reader saw; a document with
neither gets only the N106 notice."""

from __future__ import annotations

from pathlib import Path

from readerhelp import build_docx, codes, report, write


def test_text_with_markers_and_no_notes(tmp_path: Path) -> None:
    code, doc = report(write(tmp_path, "cut.txt", "Claim.¹ Claim.² Claim.³\n\nThe end.\n"))
    [n107] = [f for f in doc["findings"] if f["code"] == "N107"]
    assert code == 1 and n107["severity"] == "error"
    assert n107["message"].startswith("read as text: 0 notes, 3 markers")
    assert (n107["line"], n107["column"]) == (1, 7)


def test_no_notes_and_no_markers_is_only_a_notice(tmp_path: Path) -> None:
    for name, text in (("memo.txt", "A memo with no notes at all.\n"),
                       ("post.md", "# Title\n\nA post with a [link](https://a.example.org/).\n")):
        code, doc = report(write(tmp_path, name, text))
        assert (code, codes(doc)) == (0, ["N106"]), name


def test_a_trailing_numbered_list_in_text_is_not_called_notes(tmp_path: Path) -> None:
    text = "Steps to take:\n\n1. Call the office.\n2. Send the form.\n3. Wait a week.\n"
    _, doc = report(write(tmp_path, "steps.txt", text))
    assert "N107" not in codes(doc)


def test_a_notes_heading_with_notes_but_no_markers(tmp_path: Path) -> None:
    text = "A brief whose markers were lost.\n\nNotes\n1. Smith, Ports, 2020.\n2. Ibid.\n"
    code, doc = report(write(tmp_path, "lost.txt", text))
    [n107] = [f for f in doc["findings"] if f["code"] == "N107"]
    assert code == 1 and n107["line"] == 3
    assert "no marker in the body cites the 2 notes" in n107["message"]


def test_word_typed_notes_without_superscripts(tmp_path: Path) -> None:
    body = [["Claim one. Claim two."], ["Notes"], ["1. Smith, Ports, 2020."], ["2. Ibid."]]
    code, doc = report(build_docx(tmp_path / "flat.docx", body=body))
    assert code == 1 and "N107" in codes(doc)
    n107 = next(f for f in doc["findings"] if f["code"] == "N107")
    assert n107["message"].startswith("read as Word (.docx)")


def test_ignoring_n107_is_the_users_choice(tmp_path: Path) -> None:
    code, doc = report(write(tmp_path, "cut.txt", "Claim.¹ Claim.²\n"), "--ignore", "N107")
    assert code == 0 and "N107" not in codes(doc)
