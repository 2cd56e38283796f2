"""Quotations checked against their sources through the whole command, as a user runs it:
the brief in fixtures/quotes quotes local HTML pages and a PDF served on 127.0.0.1 (and one
page that is gone, whose archived copy a fake archive holds). Each case's expected finding is
in fixtures/quotes/brief.expected.json."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from citecheck.cli import main

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parents[1] / "fixtures" / "quotes"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "archive"))
from fakearchive import Cap, FakeArchive  # noqa: E402
from siteserver import Site  # noqa: E402

ARCHIVED = "20240301000000"


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Site, FakeArchive]]:
    site = Site().start()
    archive = FakeArchive().start()
    gone = f"{site.base}/gone/harbour-study"
    archive.add(gone, Cap(ARCHIVED, gone, body=(FIXTURES / "sources" / "harbour-study.html")
                          .read_bytes()))
    yield site, archive
    site.stop()
    archive.stop()


def _config(tmp: Path, archive: FakeArchive) -> Path:
    lines = ["allow_private = true", "cache = false", "timeout = 2", "retries = 0",
             "network_probe = []", "as_of = 2026-11-25",
             "[archive]", f'wayback_available = "{archive.base}/wayback/available"',
             f'wayback_cdx = "{archive.base}/cdx/search/cdx"',
             f'timegates = ["{archive.base}/tg/"]',
             "drift = false", "interval = 0.0", "timeout = 2.0", "retries = 0"]
    path = tmp / "citecheck.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(tmp: Path, servers: tuple[Site, FakeArchive], *flags: str,
         name: str = "brief.txt") -> tuple[int, dict]:
    site, archive = servers
    brief = tmp / name
    text = (FIXTURES / "brief.txt").read_text(encoding="utf-8")
    brief.write_text(text.replace("{site}", site.base), encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--config", str(_config(tmp, archive)), "--format", "json", *flags,
                     str(brief)])
    return code, json.loads(out.getvalue())


def _expected() -> dict:
    return json.loads((FIXTURES / "brief.expected.json").read_text(encoding="utf-8"))


def _findings(report: dict, prefix: str = "") -> list[tuple[str, object, int]]:
    return sorted((f["code"], f["note"], f["line"]) for d in report["documents"]
                  for f in d["findings"] if f["code"].startswith(prefix))


def test_every_case_of_the_brief_gives_its_expected_finding(
        tmp_path: Path, servers: tuple[Site, FakeArchive]) -> None:
    code, report = _run(tmp_path, servers)
    expected = _expected()
    assert _findings(report) == sorted(
        (f["code"], f["note"], f["line"]) for f in expected["findings"])
    assert report["quotations"] == expected["quotations"]
    assert code == 1  # the dead link (L401) is an error; quotation findings are not


def test_findings_say_what_differs_and_which_copy_was_searched(
        tmp_path: Path, servers: tuple[Site, FakeArchive]) -> None:
    _, report = _run(tmp_path, servers)
    by_note = {f["note"]: f for d in report["documents"] for f in d["findings"]
               if f["code"] in ("Q601", "Q602")}
    assert "source says 'a third', brief says 'half'" in by_note[4]["message"]
    assert "not in the source cited by note 4" in by_note[4]["message"]
    assert "no passage comes close" in by_note[5]["message"]
    assert "the archived copy of 2024-03-01" in by_note[12]["message"]
    assert "source says '2023', brief says '2022'" in by_note[12]["message"]
    assert "page 3 (PDF page 4)" in by_note[8]["message"]
    assert by_note[8]["fix"] == "Cite page 3 in note 8."


def test_no_quotes_restores_the_run_without_quotations(
        tmp_path: Path, servers: tuple[Site, FakeArchive]) -> None:
    site = servers[0]
    site.log.clear()
    _, plain = _run(tmp_path, servers, "--no-quotes")
    # Without quotations no source is read whole: the PDF is only looked at with HEAD.
    assert "/coastal-strategy.pdf" not in site.fetched("GET")
    assert plain["quotations"] is None
    assert _findings(plain, "Q") == []
    _, quoted = _run(tmp_path, servers)
    assert _findings(plain) == [f for f in _findings(quoted) if not f[0].startswith("Q")]


def test_ignoring_q_fetches_no_source(tmp_path: Path, servers: tuple[Site, FakeArchive]) -> None:
    site = servers[0]
    site.log.clear()
    _, report = _run(tmp_path, servers, "--ignore", "Q")
    assert report["quotations"] is None
    assert "/coastal-strategy.pdf" not in site.fetched("GET")


def test_a_brief_without_quotations_makes_no_extra_request(
        tmp_path: Path, servers: tuple[Site, FakeArchive]) -> None:
    site, archive = servers
    brief = tmp_path / "plain.txt"
    brief.write_text(
        "Exports fell sharply.¹\n\nNotes\n\n1. Nordic Trade Council, Seafood Trade Outlook "
        f"2024, {site.base}/coastal-strategy.pdf (accessed March 1, 2024).\n", encoding="utf-8")
    site.log.clear()
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(["--config", str(_config(tmp_path, archive)), "--format", "json", str(brief)])
    report = json.loads(out.getvalue())
    assert report["quotations"] is None
    assert site.log == [("HEAD", "/coastal-strategy.pdf")]
