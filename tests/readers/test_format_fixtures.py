"""The HTML, Markdown and Word fixtures, each against its hand-checked expected parse.

Each `fixtures/<format>/<name>.<ext>` has a `<name>.expected.json` beside it, compared as
tests/test_fixtures.py compares the text fixtures: notes (number, line, kind, resolves_to,
urls, accessed), markers (number, line, column) and findings (code, note, line). Lines and
columns are those of the source file for HTML and Markdown, and paragraph numbers for Word
(one paragraph per line: the body, then the footnotes, then the endnotes).
"""

from __future__ import annotations

import difflib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from readerhelp import report

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
FORMATS = ("html", "markdown", "docx")
EXPECTED = sorted(p for f in FORMATS for p in (FIXTURES / f).glob("*.expected.json"))


def _source(expected: Path) -> Path:
    stem = expected.name.replace(".expected.json", "")
    [source] = [p for p in expected.parent.glob(stem + ".*") if p != expected]
    return source


def _rows(rows: list[dict], fields: tuple[str, ...]) -> list[str]:
    return [json.dumps({k: r.get(k) for k in fields}, ensure_ascii=False, sort_keys=True)
            for r in rows]


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_format_fixture(expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    _, doc = report(_source(expected_path))
    problems = []
    for what, fields in (("notes", ("number", "line", "kind", "resolves_to", "urls",
                                    "accessed")),
                         ("markers", ("number", "line", "column"))):
        want, got = _rows(expected[what], fields), _rows(doc[what], fields)
        if want != got:
            problems.append(f"{what}:\n" + "\n".join(difflib.unified_diff(
                want, got, "expected", "citecheck", lineterm="", n=1)))
    key = ("code", "note", "line")
    want_f = sorted(_rows(expected["findings"], key))
    got_f = sorted(_rows(doc["findings"], key))
    if want_f != got_f:
        problems.append("findings:\n" + "\n".join(difflib.unified_diff(
            want_f, got_f, "expected", "citecheck", lineterm="", n=1)))
    assert not problems, f"{expected_path.name}:\n" + "\n\n".join(problems)


def test_every_format_fixture_has_its_expected_parse() -> None:
    for fmt in FORMATS:
        sources = {p.name.split(".")[0] for p in (FIXTURES / fmt).iterdir()
                   if p.suffix in (".html", ".md", ".docx")}
        expected = {p.name.replace(".expected.json", "")
                    for p in (FIXTURES / fmt).glob("*.expected.json")}
        assert sources == expected, fmt


def test_the_word_fixtures_are_what_the_generator_writes(tmp_path: Path) -> None:
    """fixtures/make_docx.py is the source of the .docx files: they must not drift."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import make_docx, docx_fixtures\n"
        "from pathlib import Path\n"
        "for name, spec in docx_fixtures.FIXTURES.items():\n"
        "    make_docx.build(Path(sys.argv[2]) / name, **spec)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(FIXTURES), str(tmp_path)], check=True)
    for made in tmp_path.glob("*.docx"):
        assert made.read_bytes() == (FIXTURES / "docx" / made.name).read_bytes(), made.name
