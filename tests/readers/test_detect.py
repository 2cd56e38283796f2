"""Choosing the reader: by extension, confirmed by content; --input-format forces one; '-'
reads stdin, named by --stdin-filename. The plain-text path imports no reader library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from readerhelp import build_docx, report, run, write

from citecheck.readers import detect

HTML = b"<!DOCTYPE html><html><body><p>Claim.<sup><a href='#fn1'>1</a></sup></p>" \
       b"<ol><li id='fn1'>Smith, Ports, 2020.</li></ol></body></html>"
MD = b"---\ntitle: x\n---\nClaim.<sup>1</sup>\n\n<sup>1</sup> Smith, Ports, 2020.\n"


@pytest.mark.parametrize(("name", "data", "fmt"), [
    ("brief.txt", b"Claim.\xc2\xb9\n\nNotes\n1. Smith.\n", "text"),
    ("page.html", HTML, "html"),
    ("saved-page.txt", HTML, "html"),
    ("<stdin>", b"<!-- saved -->\n" + HTML, "html"),
    ("<stdin>", MD, "markdown"),
    ("post.md", MD, "markdown"),
    ("<stdin>", b"Claim.\xc2\xb9\n\nNotes\n1. Smith.\n", "text"),
    # An opinion re-saved by an editor that left "%%EOF" before the header: readers take
    # a header anywhere in the first 1024 bytes.
    ("opinion.pdf", b"%%EOF\r\n%PDF-1.5\r\n%\xe2\xe3\xcf\xd3\r\n29 0 obj\r\n", "pdf"),
])
def test_detect(name: str, data: bytes, fmt: str) -> None:
    assert detect(name, data) == fmt


def test_stdin_with_a_name_and_a_forced_format(tmp_path: Path) -> None:
    _, doc = report("-", "--stdin-filename", "post.md", stdin=MD)
    assert (doc["path"], doc["format"], len(doc["notes"])) == ("post.md", "markdown", 1)
    _, doc = report("-", stdin=HTML)
    assert (doc["format"], len(doc["notes"]), len(doc["markers"])) == ("html", 1, 1)
    docx = build_docx(tmp_path / "a.docx", body=[["Claim.", ("fn", 1)]],
                      footnotes={1: [["Smith, Ports, 2020."]]})
    _, doc = report("-", stdin=docx.read_bytes())
    assert (doc["format"], len(doc["notes"])) == ("docx", 1)
    _, doc = report(write(tmp_path, "page.txt", HTML.decode()), "--input-format", "text")
    assert doc["format"] == "text"


def test_verbose_says_what_the_reader_recognised(tmp_path: Path) -> None:
    code, out, _ = run(["--offline", "-v", str(write(tmp_path, "p.html", HTML.decode()))])
    assert code == 0
    assert "read as HTML; 1 note links to 1 notes (<li>)" in out


def _modules(script: str, *args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                          text=True, check=False)
    return set(done.stderr.strip().splitlines()[-1].split(" ")) if done.stderr else set()


_REPORT = "print(' '.join(sorted(sys.modules)), file=sys.stderr)"


def _imported(args: list[str]) -> set[str]:
    """What a run adds to the modules a bare interpreter starts with: site customisation
    (a .pth file of the machine's) may import zipfile or others before citecheck runs."""
    ran = _modules("import sys\nfrom citecheck.cli import main\n"
                   f"try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n{_REPORT}", *args)
    return ran - _modules(f"import sys\n{_REPORT}")


HEAVY = ("bs4", "lxml", "markdown_it", "soupsieve", "zipfile", "httpx")


def test_the_text_and_markdown_paths_import_no_reader_library(tmp_path: Path) -> None:
    brief = write(tmp_path, "brief.txt", "Claim.¹\n\nNotes\n1. Smith, Ports, 2020.\n")
    post = write(tmp_path, "post.md", MD.decode())
    for path in (brief, post):
        modules = _imported(["--offline", str(path)])
        assert "citecheck.parse" in modules, "the check did not run"
        assert not [m for m in modules if m.split(".")[0] in HEAVY], path.name
    page = write(tmp_path, "page.html", HTML.decode())
    assert "bs4" in _imported(["--offline", str(page)])
