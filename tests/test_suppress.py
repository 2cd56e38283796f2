"""Suppressions: ignore directives in the document, `suppress` entries, URL excludes."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck import suppress
from citecheck.cli import main
from citecheck.config import Config, Suppression
from citecheck.model import Document, Finding, Note, Severity, Span

DATA = Path(__file__).resolve().parent / "data"
BROKEN = (DATA / "broken-ibid.txt").read_text(encoding="utf-8")
IBID = "2. Ibid., p. 14."


def codes(capsys: pytest.CaptureFixture[str], path: Path, *argv: str) -> tuple[int, set[str]]:
    import json

    code = main(["--offline", "--as-of", "2025-01-01", "--format", "json", *argv, str(path)])
    report = json.loads(capsys.readouterr().out)
    return code, {f["code"] for d in report["documents"] for f in d["findings"]}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_unsuppressed_brief_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert codes(capsys, write(tmp_path, "b.md", BROKEN)) == (1, {"R202"})


@pytest.mark.parametrize(
    "edited",
    [
        BROKEN.replace(IBID, f"{IBID} <!-- citecheck: ignore R202 -->"),  # same line
        BROKEN.replace(IBID, f"<!-- citecheck: ignore R2 -->\n{IBID}"),  # line above, prefix
        BROKEN.replace(IBID, f"<!-- citecheck: ignore -->\n\n{IBID}"),  # all rules, blank line
        BROKEN.replace(IBID, f"{IBID} citecheck: ignore[R202, D302]"),  # in the note's text
        BROKEN.replace(IBID, f"{IBID} [citecheck: ignore R202]"),
    ],
    ids=["same-line", "line-above", "all-rules", "bracket", "bracketed-text"],
)
def test_ignore_directives(tmp_path: Path, capsys: pytest.CaptureFixture[str], edited: str) -> None:
    assert codes(capsys, write(tmp_path, "b.md", edited)) == (0, set())


def test_a_directive_for_another_rule_does_not_hide(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = BROKEN.replace(IBID, f"{IBID} <!-- citecheck: ignore R201, D3 -->")
    assert codes(capsys, write(tmp_path, "b.md", edited)) == (1, {"R202"})


def test_a_directive_covers_only_its_note(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    # on note 4's line: note 2's problem stays
    edited = BROKEN.replace("4. Marco Bell", "4. Marco Bell <!-- citecheck: ignore -->")
    assert codes(capsys, write(tmp_path, "b.md", edited)) == (1, {"R202"})


def test_suppress_entry_by_note_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = write(tmp_path, "brief.txt", BROKEN)
    write(tmp_path, "citecheck.toml",
          '[[suppress]]\nnote = "ibid.,  p. 14"\ncodes = ["R202"]\nreason = "the report"\n')
    assert codes(capsys, brief) == (0, set())
    write(tmp_path, "citecheck.toml", '[[suppress]]\nnote = "p. 15"\ncodes = ["R202"]\n')
    assert codes(capsys, brief) == (1, {"R202"})
    write(tmp_path, "citecheck.toml", '[[suppress]]\npath = "other*.txt"\n')
    assert codes(capsys, brief) == (1, {"R202"})
    write(tmp_path, "citecheck.toml", '[[suppress]]\npath = "brief.txt"\ncodes = ["R"]\n')
    assert codes(capsys, brief) == (0, set())


def test_directives_are_parsed() -> None:
    text = "\n".join([
        "body <!-- citecheck: ignore R202 -->",
        "<!--citecheck:ignore-->",
        "x citecheck: ignore[n101,R2] y",
        "citecheck: ignore because we checked",
        "no directive here, citecheck alone",
    ])
    assert suppress.directives(text) == [
        (1, ("R202",), False),
        (2, (), True),
        (3, ("N101", "R2"), False),
        (4, (), False),
    ]


def _doc() -> Document:
    note = Note(1, Span(5), "Smith, Report, https://a.example/x", ())
    return Document("b.txt", "text", "\n" * 6, (note,), ())


def test_excluded_urls_report_no_link_findings() -> None:
    findings = [
        Finding("L401", Severity.ERROR, "dead", "b.txt", 5, note=1, url="https://a.example/x"),
        Finding("D304", Severity.INFO, "no date", "b.txt", 5, note=1, url="https://a.example/x"),
        Finding("L401", Severity.ERROR, "dead", "b.txt", 5, note=1, url="https://b.example/"),
    ]
    kept = suppress.apply(_doc(), findings, Config(exclude=(r"^https://a\.example/",)))
    assert [(f.code, f.url) for f in kept] == [
        ("D304", "https://a.example/x"), ("L401", "https://b.example/"),
    ]


def test_suppress_entry_by_url() -> None:
    findings = [
        Finding("L403", Severity.WARNING, "paywall", "b.txt", 5, note=1, url="https://a.example/x"),
        Finding("L403", Severity.WARNING, "paywall", "b.txt", 5, note=1, url="https://b.example/"),
    ]
    entry = Suppression(codes=("L403",), url=r"a\.example")
    kept = suppress.apply(_doc(), findings, Config(suppress=(entry,)))
    assert [f.url for f in kept] == ["https://b.example/"]


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("brief.txt", "/abs/briefs/brief.txt", True),
        ("b*.txt", "briefs/brief.txt", True),
        ("briefs/*.txt", "briefs/brief.txt", True),
        ("briefs/*.txt", "./briefs/brief.txt", True),
        ("briefs/*.txt", "/repo/briefs/brief.txt", True),
        ("briefs/*.txt", "/repo/other/brief.txt", False),
        ("other.txt", "briefs/brief.txt", False),
    ],
)
def test_suppress_path_globs(pattern: str, path: str, matches: bool) -> None:
    assert suppress._path_matches(pattern, path) is matches
