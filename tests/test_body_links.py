"""Body links: URLs outside the notes are found by the parser, collected as Links with no
note, checked, and reported at their body line as B7xx (rules/body_links.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citecheck.cli import main
from citecheck.model import LinkResult, Span, Verdict
from citecheck.pipeline import collect_links
from citecheck.readers import read_document
from citecheck.rules import body_links

BRIEF = """Port Data

The tables are at <https://data.example.org/ports> and https://data.example.org/ports.¹
A cited page is also mentioned here: https://cited.example.org/report.

Endnotes

1. Jane Doe, "Ports," 2024, https://cited.example.org/report (accessed April 5, 2024).
"""


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "b.txt"
    p.write_text(BRIEF, encoding="utf-8")
    return p


def test_body_urls_are_found_at_their_place(path: Path) -> None:
    doc = read_document(str(path))
    assert [(u.url, u.span) for u in doc.body_urls] == [
        ("https://data.example.org/ports", Span(3, 20)),
        ("https://data.example.org/ports", Span(3, 56)),
        ("https://cited.example.org/report", Span(4, 38)),
    ]
    links = {link.url: link for link in collect_links(doc)}
    assert links["https://data.example.org/ports"].notes == ()
    assert links["https://cited.example.org/report"].notes == (1,)
    assert len(links["https://cited.example.org/report"].spans) == 2
    assert [link.url for link in collect_links(doc, body=False)] == [
        "https://cited.example.org/report"]


def test_body_findings_reuse_the_link_verdicts(path: Path) -> None:
    doc = read_document(str(path))
    url = "https://data.example.org/ports"
    found = body_links.check(doc, {url: LinkResult(url, Verdict.DEAD, 404, detail="404")})
    # one finding per line a URL stands on, at its first place there
    assert [(f.code, f.line, f.column, f.note) for f in found] == [("B701", 3, 20, None)]
    moved = body_links.check(doc, {url: LinkResult(url, Verdict.MOVED, 200, url + "/")})
    assert {f.code for f in moved} == {"B706"}
    assert body_links.check(doc, {url: LinkResult(url, Verdict.OK, 200)}) == []


def test_ignoring_b7_leaves_body_links_unchecked(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--offline", "--format", "json", str(path)])
    assert len(json.loads(capsys.readouterr().out)["documents"][0]["links"]) == 2
    main(["--offline", "--format", "json", "--ignore", "B7", str(path)])
    assert len(json.loads(capsys.readouterr().out)["documents"][0]["links"]) == 1
